"""What the signed-in pages show (wallet, portfolio, offers, trade offers), from the services.

Every function takes the signed-in ``User``: ownership is checked by the services exactly as
for the API (another user's deposit or trade offer is "not found").
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from urllib.parse import quote

from sqlalchemy.ext.asyncio import AsyncSession

from ece.auth.service import User
from ece.cards import service as cards
from ece.cards.service import Card, CardStatus
from ece.compliance import service as compliance
from ece.compliance.schemas import KycOut
from ece.config import Settings
from ece.core.money import Asset, format_amount
from ece.core.pagination import PageParams
from ece.ledger import service as ledger
from ece.ledger.schemas import BalanceOut, EntryOut
from ece.market import service as market
from ece.market.schemas import OfferOut
from ece.market.service import OfferFilters, OfferParty
from ece.marketdata import service as marketdata
from ece.payments import service as payments
from ece.payments.schemas import DepositOut, WithdrawalOut
from ece.settlement import service as settlement
from ece.trades import service as trade_offers
from ece.trades.schemas import TradeDetailOut, TradeOfferOut, detail_out
from ece.web.views import CardTile

OWNED = PageParams(limit=200, cursor=None)


def explorer_base(settings: Settings) -> str:
    """Where a transaction signature can be looked at, like an explorer link (the embedded
    chain's RPC is a custom cluster the public explorer can read from this browser)."""
    cluster = "custom" if settings.embedded_chain else settings.solana_cluster
    if cluster == "custom":
        rpc = quote(settings.solana_rpc_url or f"{settings.uri}/rpc", safe="")
        return f"https://explorer.solana.com/tx/{{sig}}?cluster=custom&customUrl={rpc}"
    return f"https://explorer.solana.com/tx/{{sig}}?cluster={cluster}"


# --- wallet -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class LedgerRow:
    """One line of the wallet's history as its owner reads it: a sale's legs are one row
    naming the card, with the gross, the fee and the royalty as this user's side saw them."""

    entry: EntryOut
    what: str
    card_id: str | None = None
    card_name: str | None = None
    detail: str = ""


async def ledger_rows(
    session: AsyncSession, user: User, entries: Sequence[EntryOut]
) -> list[LedgerRow]:
    sale_ids = [i for i in (settlement.sale_id_of(e.reference) for e in entries) if i]
    sales = await settlement.sales_by_id(session, list(dict.fromkeys(sale_ids)))
    names = {
        c.id: c.name for c in await cards.cards_by_id(session, [s.card_id for s in sales.values()])
    }
    rows: list[LedgerRow] = []
    shown: set[str] = set()
    for entry in entries:
        sale = sales.get(settlement.sale_id_of(entry.reference) or "")
        if sale is None:
            rows.append(LedgerRow(entry, entry.code.replace("_", " ")))
            continue
        if sale.id in shown:
            continue  # the sale's other legs are in its one row
        shown.add(sale.id)
        asset = Asset(sale.currency)
        price, fee, royalty = (
            format_amount(n, asset) for n in (sale.price, sale.fee, sale.royalty)
        )
        bought = sale.buyer_user_id == user.id
        net = -sale.price if bought else sale.price - sale.fee - sale.royalty
        amount = format_amount(net, asset)
        detail = (
            f"price {price}; the seller paid fee {fee} and royalty {royalty} out of it"
            if bought
            else f"price {price}, less fee {fee} and royalty {royalty}"
        )
        rows.append(
            LedgerRow(
                entry.model_copy(update={"amount": amount}),
                "Bought" if bought else "Sold",
                sale.card_id,
                names.get(sale.card_id, "a card"),
                detail,
            )
        )
    return rows


@dataclass(frozen=True)
class WalletPage:
    balances: list[BalanceOut]
    deposits: list[DepositOut]
    withdrawals: list[WithdrawalOut]
    entries: list[LedgerRow]
    next_cursor: str | None
    faucet: bool
    cluster: str
    explorer: str
    kyc: KycOut


async def wallet(
    session: AsyncSession, settings: Settings, user: User, cursor: str | None
) -> WalletPage:
    balances = await ledger.user_balances(session, user.id)
    recent_deposits, _ = await payments.list_deposits(session, user.id, PageParams(5, None))
    recent_withdrawals, _ = await payments.list_withdrawals(session, user.id, PageParams(5, None))
    entries, next_cursor = await ledger.list_entries(session, user.id, None, PageParams(20, cursor))
    label = settings.solana_pay_label
    return WalletPage(
        balances=[BalanceOut.of(b) for b in balances],
        deposits=[DepositOut.of(d, label, settings.domain) for d in recent_deposits],
        withdrawals=[WithdrawalOut.of(w) for w in recent_withdrawals],
        entries=await ledger_rows(session, user, [EntryOut.of(e) for e in entries]),
        next_cursor=next_cursor,
        faucet=payments.faucet_enabled(settings),
        cluster="embedded" if settings.embedded_chain else settings.solana_cluster,
        explorer=explorer_base(settings),
        kyc=KycOut.of(await compliance.my_kyc(session, settings, user.id, strict=False)),
    )


# --- portfolio --------------------------------------------------------------------------------


@dataclass(frozen=True)
class PortfolioPage:
    available: list[CardTile]
    listed: list[CardTile]
    locked: list[CardTile]
    value_at_floor: dict[str, str]  # per currency: the sum of each card's company floor
    unpriced: int  # cards whose company has no floor in any currency
    held: int  # every card held (the tiles show at most 200)


async def portfolio(session: AsyncSession, user: User) -> PortfolioPage:
    owned, _ = await cards.list_cards(session, cards.CardFilters(owner=user.id), OWNED)
    # The value covers every card held, not only the tiles shown (at most 200).
    held = await cards.held_cards(session, user.id)
    floors = await marketdata.floors(session, list({c.company_id for c in held}))
    totals: dict[Asset, int] = {}
    unpriced = 0
    for card in held:
        floor = floors.get(card.company_id, {})
        if not floor:
            unpriced += 1
        for asset, price in floor.items():
            totals[asset] = totals.get(asset, 0) + price

    def tiles(keep: Sequence[CardStatus]) -> list[CardTile]:
        return [CardTile.of(c) for c in owned if c.status in keep]

    return PortfolioPage(
        available=tiles([CardStatus.available]),
        listed=tiles([CardStatus.listed]),
        locked=tiles([CardStatus.in_auction, CardStatus.in_trade, CardStatus.in_battle]),
        value_at_floor={a.value: format_amount(n, a) for a, n in sorted(totals.items())},
        unpriced=unpriced,
        held=len(held),
    )


# --- offers -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class ReceivedOffer:
    offer: OfferOut
    # Cards of yours that can fill it: the one card of a card offer, or your cards of the
    # collection's company (the service checks rarity and power on accepting).
    fillable: list[CardTile]


@dataclass(frozen=True)
class OffersPage:
    made: list[OfferOut]
    received: list[ReceivedOffer]
    names: dict[str, str]  # card id -> name, for card offers


async def market_offers(session: AsyncSession, user: User) -> OffersPage:
    made, _ = await market.list_offers(
        session, OfferFilters(mine=OfferParty.made), PageParams(50, None), user
    )
    received, _ = await market.list_offers(
        session, OfferFilters(mine=OfferParty.received), PageParams(50, None), user
    )
    owned, _ = await cards.list_cards(session, cards.CardFilters(owner=user.id), OWNED)
    free = [c for c in owned if c.status in (CardStatus.available, CardStatus.listed)]
    rows = []
    for view in received:
        o = view.offer
        fits = [
            c for c in free if c.id == o.card_id or (not o.card_id and c.company_id == o.company_id)
        ]
        rows.append(ReceivedOffer(OfferOut.of(view), [CardTile.of(c) for c in fits]))
    wanted = [v.offer.card_id for v in [*made, *received] if v.offer.card_id]
    names = {c.id: c.name for c in await cards.cards_by_id(session, wanted)}
    return OffersPage([OfferOut.of(v) for v in made], rows, names)


# --- trade offers -----------------------------------------------------------------------------


@dataclass(frozen=True)
class TradesPage:
    received: list[TradeOfferOut]
    sent: list[TradeOfferOut]
    names: dict[str, str]


async def _names(session: AsyncSession, card_ids: Sequence[str]) -> dict[str, str]:
    return {c.id: f"{c.name} {c.serial}" for c in await cards.cards_by_id(session, card_ids)}


async def trades(session: AsyncSession, user: User) -> TradesPage:
    recent = PageParams(50, None)
    got, _ = await trade_offers.list_trades(
        session, user.id, trade_offers.Box.received, None, recent
    )
    sent, _ = await trade_offers.list_trades(session, user.id, trade_offers.Box.sent, None, recent)
    ids = [c for v in [*got, *sent] for c in [*v.give_cards, *v.want_cards]]
    return TradesPage(
        received=[TradeOfferOut.of(v) for v in got],
        sent=[TradeOfferOut.of(v) for v in sent],
        names=await _names(session, ids),
    )


@dataclass(frozen=True)
class TradePage:
    trade: TradeDetailOut
    names: dict[str, str]
    is_maker: bool
    is_taker: bool
    active: bool


async def trade(session: AsyncSession, user: User, offer_id: str) -> TradePage:
    detail = await trade_offers.trade_detail(
        session, user.id, offer_id, prices=marketdata.swap_reference_prices
    )
    out = detail_out(detail)
    ids = [c for v in detail.chain for c in [*v.give_cards, *v.want_cards]]
    return TradePage(
        trade=out,
        names=await _names(session, ids),
        is_maker=out.maker.user_id == user.id,
        is_taker=out.taker.user_id == user.id,
        active=out.status == "active",
    )


@dataclass(frozen=True)
class Composer:
    """The trade offer form: your cards and theirs to pick from, prefilled for a counter."""

    to: str
    counterparty_known: bool
    mine: list[CardTile]
    theirs: list[CardTile]
    give: set[str]  # pre-checked card ids
    want: set[str]
    give_amounts: dict[str, str]
    want_amounts: dict[str, str]
    counter_of: str | None


async def composer(
    session: AsyncSession, user: User, to: str, want: Sequence[str], counter_of: str | None
) -> Composer:
    """For a counter, the sides swap: what they gave is what you now ask for."""
    give_ids: set[str] = set()
    want_ids = set(want)
    give_amounts: dict[str, str] = {}
    want_amounts: dict[str, str] = {}
    if counter_of:
        detail = await trade_offers.trade_detail(
            session, user.id, counter_of, prices=marketdata.swap_reference_prices
        )
        out = detail_out(detail)
        to = out.maker.address
        give_ids, want_ids = set(out.want.cards), set(out.give.cards)
        give_amounts = {a: v for a, v in (("ECE", out.want.ECE), ("USDC", out.want.USDC)) if v}
        want_amounts = {a: v for a, v in (("ECE", out.give.ECE), ("USDC", out.give.USDC)) if v}
    mine, _ = await cards.list_cards(session, cards.CardFilters(owner=user.id), OWNED)
    theirs: list[Card] = []
    if to:
        theirs, _ = await cards.list_cards(session, cards.CardFilters(owner=to), OWNED)
    # Cards of a counter are locked by the offer being countered: show them as pickable too.
    mine_tiles = [
        CardTile.of(c) for c in mine if c.status is CardStatus.available or c.id in give_ids
    ]
    their_tiles = [
        CardTile.of(c) for c in theirs if c.status is CardStatus.available or c.id in want_ids
    ]
    return Composer(
        to=to,
        counterparty_known=bool(theirs) or bool(counter_of),
        mine=mine_tiles,
        theirs=their_tiles,
        give=give_ids,
        want=want_ids,
        give_amounts=give_amounts,
        want_amounts=want_amounts,
        counter_of=counter_of,
    )


# --- first run --------------------------------------------------------------------------------


@dataclass(frozen=True)
class FirstRunStep:
    label: str
    href: str
    done: bool


async def first_run(session: AsyncSession, settings: Settings, user: User) -> list[FirstRunStep]:
    """The newcomer's checklist (get test funds, deposit, first buy); empty once all are done.

    Funds in the wallet are on chain, where the server does not look on a page view: getting
    them counts as done once a deposit (which needs them) is credited.
    """
    balances = await ledger.user_balances(session, user.id)
    deposited = any(b.total > 0 for b in balances)
    bought = await settlement.has_traded(session, user.id)
    if bought:
        return []
    steps = [
        FirstRunStep("Deposit USDC into your exchange balance", "/wallet#dep-title", deposited),
        FirstRunStep("Buy your first card", "/explore?listed=1&sort=price_asc", bought),
    ]
    if payments.faucet_enabled(settings):
        steps.insert(0, FirstRunStep("Get test tokens in your wallet", "/wallet", deposited))
    return steps
