"""Plain builders for marketplace tests: a company, cards, funded users, balances."""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from typing import Any

import httpx
from fastapi import FastAPI
from solders.keypair import Keypair
from sqlalchemy import func, select

from ece.cards.models import Card, CardEvent, CardEventKind
from ece.cards.repository import history_event
from ece.cards.search_repository import search_text_of
from ece.cards.service import CardOwner
from ece.core.money import Asset, parse_amount
from ece.core.outbox import OutboxEvent
from ece.ledger import service as ledger
from ece.ledger.models import OwnerType, TransferCode
from ece.ledger.service import AccountBalance, TransferSpec
from ece.settlement.service import platform_fees as settlement_fees
from tests.builders import SignedInUser, make_admin, sign_in
from tests.cards.cards_builders import make_company, mint

_serial = itertools.count()
ROYALTY_BPS = 500  # 5%: distinct from the 2.5% platform fee, so a swapped leg shows


@dataclass
class Market:
    admin: SignedInUser
    company: dict[str, Any]

    @property
    def company_id(self) -> str:
        return str(self.company["id"])


async def open_market(client: httpx.AsyncClient, app: FastAPI, **company: Any) -> Market:
    admin = await make_admin(client, app)
    ticker = company.pop("ticker", f"M{next(_serial)}")
    body = await make_company(client, admin, ticker=ticker, royalty_bps=ROYALTY_BPS, **company)
    return Market(admin, body)


async def minted_card(
    client: httpx.AsyncClient, market: Market, owner: SignedInUser | None, **overrides: Any
) -> str:
    """A real mint through the API (owner None: the company's issuer inventory)."""
    if owner is not None:
        overrides["owner_id"] = owner.user["id"]
    card = await mint(client, market.admin, market.company_id, **overrides)
    return str(card["id"])


async def quick_card(
    app: FastAPI,
    company_id: str,
    owner_user_id: str | None,
    *,
    rarity: str = "rare",
    power: int = 50,
) -> str:
    """A card row without a chain mint, for tests that need many cards fast (the market never
    touches the chain)."""
    n = next(_serial)
    async with app.state.services.db.unit_of_work() as session:
        card = Card(
            company_id=company_id,
            name=f"Card {n}",
            description="test card",
            rarity=rarity,
            serial_number=10_000 + n,
            edition_size=1000,
            power=power,
            valuation=10,
            growth=10,
            innovation=10,
            influence=10,
            mint=str(Keypair().pubkey()),
            mint_signature="test",
            metadata_cid="test",
            image_cid="test",
            search_text=search_text_of(f"Card {n}", "Test", "TEST", "Test"),
            owner_user_id=owner_user_id,
            owner_company_id=None if owner_user_id else company_id,
        )
        session.add(card)
        await session.flush()
        owner = CardOwner.user(owner_user_id) if owner_user_id else CardOwner.issuer(company_id)
        session.add(history_event(card.id, CardEventKind.mint, "mint", "test", target=owner))
        return card.id


async def fund(app: FastAPI, user_id: str, amount: str, asset: Asset = Asset.USDC) -> None:
    """Credit a user from custody, as a confirmed deposit would."""
    async with app.state.services.db.unit_of_work() as session:
        custody = await ledger.account_for(session, OwnerType.custody, "solana", asset)
        await ledger.create_transfers(
            session,
            [
                TransferSpec(
                    f"test-deposit-{next(_serial)}-{user_id}",
                    custody,
                    await ledger.user_account(session, user_id, asset),
                    asset,
                    parse_amount(amount, asset),
                    TransferCode.deposit,
                )
            ],
        )


async def buyer(client: httpx.AsyncClient, app: FastAPI, amount: str = "100") -> SignedInUser:
    user = await sign_in(client)
    if amount != "0":
        await fund(app, user.user["id"], amount)
    return user


async def buyers(
    client: httpx.AsyncClient, app: FastAPI, count: int, amount: str
) -> list[SignedInUser]:
    """Many funded users. Sign-in is limited per client address and every test request comes
    from one address, so the limiter is reset between batches."""
    made = []
    for n in range(count):
        if n % 10 == 9:
            await app.state.services.rate_limiter.reset()
        made.append(await buyer(client, app, amount))
    return made


async def user_balance(app: FastAPI, user_id: str, asset: Asset = Asset.USDC) -> AccountBalance:
    async with app.state.services.db.unit_of_work() as session:
        return await ledger.balance(session, await ledger.user_account(session, user_id, asset))


async def account_total(
    app: FastAPI, owner_type: OwnerType, owner_id: str, asset: Asset, purpose: str
) -> int:
    async with app.state.services.db.unit_of_work() as session:
        account = await ledger.account_for(session, owner_type, owner_id, asset, purpose)
        return (await ledger.balance(session, account)).total


async def platform_fees(app: FastAPI, asset: Asset = Asset.USDC) -> int:
    async with app.state.services.db.unit_of_work() as session:
        return await settlement_fees(session, asset)


async def events(app: FastAPI, type_: str) -> list[OutboxEvent]:
    async with app.state.services.db.unit_of_work(write=False) as session:
        return list(await session.scalars(select(OutboxEvent).where(OutboxEvent.type == type_)))


async def card_row(app: FastAPI, card_id: str) -> Card:
    async with app.state.services.db.unit_of_work(write=False) as session:
        card: Card | None = await session.get(Card, card_id)
        assert card is not None
        return card


async def sale_events(app: FastAPI, card_id: str) -> int:
    async with app.state.services.db.unit_of_work(write=False) as session:
        count = await session.scalar(
            select(func.count())
            .select_from(CardEvent)
            .where(CardEvent.card_id == card_id, CardEvent.kind == CardEventKind.sale.value)
        )
        return int(count or 0)


async def ledger_ok(app: FastAPI) -> bool:
    result = await ledger.run_check(app.state.services.db)
    return result.ok


def usdc(text: str) -> int:
    return parse_amount(text, Asset.USDC, allow_zero=True)


async def list_card(
    client: httpx.AsyncClient,
    seller: SignedInUser,
    card_id: str,
    price: str = "25",
    currency: str = "USDC",
    **extra: Any,
) -> dict[str, Any]:
    response = await client.post(
        "/api/v1/listings",
        json={"card_id": card_id, "price": price, "currency": currency, **extra},
        headers=seller.headers,
    )
    assert response.status_code == 201, response.text
    body: dict[str, Any] = response.json()
    return body


async def fresh_listing(
    client: httpx.AsyncClient, app: FastAPI, price: str = "25"
) -> dict[str, Any]:
    """A USDC listing at ``price`` of a fresh card, by a seller who signs in for it."""
    market = await open_market(client, app)
    seller = await sign_in(client)
    card_id = await quick_card(app, market.company_id, seller.user["id"])
    return await list_card(client, seller, card_id, price)
