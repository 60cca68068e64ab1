"""The cards domain's public face: the only module other domains import (with ``schemas``).

- Ownership queries: ``load_card`` (the card row as it is now), ``current_owner``.
- Locks and custody moves: ``lock_card``, ``unlock_card``, ``transfer_card`` (a sale or a gift,
  in the caller's transaction with the money that pays for it), ``mark_withdrawn``,
  ``mark_deposited``, and ``set_list_price`` (the catalog's copy of an open listing's price).
- Catalog reads: ``list_cards``, ``get_card``, ``cards_by_id``, ``card_history``, ...
- Companies and minting, whose use cases live in ``companies.py`` and ``minting.py``.

Every change of a card is one conditional UPDATE (``repository``); when it matches nothing, the
reason comes from ``rules.why_not``. Each change appends a ``CardEvent``; history rows are never
updated.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Sequence
from typing import Any

from sqlalchemy import ColumnExpressionArgument, ScalarSelect, Select, Subquery
from sqlalchemy.ext.asyncio import AsyncSession

from ece.auth import service as auth
from ece.cards import catalog_repository, company_repository, facets, repository, rules
from ece.cards.blockstore import Blockstore, parse_cid
from ece.cards.companies import (
    PAYABLE_PURPOSES,
    ROYALTIES,
    SALES,
    create_company,
    get_company,
    list_companies,
    payable_account,
    update_company,
)
from ece.cards.facets import CatalogFacets
from ece.cards.minting import ChainFailed, Minter, mint_batch, mint_card, mint_cards
from ece.cards.models import Card, CardEvent, Company
from ece.cards.rules import (
    EDITION_SIZES,
    STAT_NAMES,
    CardEventKind,
    CardFilters,
    CardHolding,
    CardLock,
    CardMove,
    CardOwner,
    CardSort,
    CardStatus,
    Facet,
    HeldCard,
    LockKind,
    OwnerKind,
    Price,
    Rarity,
)
from ece.cards.search_repository import Suggestion, search_for, suggestions
from ece.core.errors import BadRequest, Conflict, DomainError, NotFound, Unprocessable
from ece.core.feed import FeedSlice
from ece.core.money import Asset
from ece.core.outbox import emit
from ece.core.pagination import PageParams

__all__ = [
    "EDITION_SIZES",
    "PAYABLE_PURPOSES",
    "ROYALTIES",
    "SALES",
    "STAT_NAMES",
    "Card",
    "CardEvent",
    "CardEventKind",
    "CardFilters",
    "CardHolding",
    "CardLock",
    "CardMove",
    "CardOwner",
    "CardSort",
    "CardStatus",
    "CatalogFacets",
    "ChainFailed",
    "Company",
    "Facet",
    "HeldCard",
    "LockKind",
    "Minter",
    "OwnerKind",
    "Price",
    "Rarity",
    "Suggestion",
    "card_names",
    "cards_owned_by",
    "company_id_of",
    "create_company",
    "current_card",
    "find_card",
    "get_company",
    "list_companies",
    "mint_batch",
    "mint_card",
    "mint_cards",
    "payable_account",
    "show_list_price",
    "update_company",
]


def _no_card() -> NotFound:
    return NotFound("No such card.", code="card_not_found")


# --- ownership queries ---------------------------------------------------------------------------


async def load_card(session: AsyncSession, card_id: str) -> Card:
    """The card as the database has it now (not as an earlier read in this session saw it),
    for deciding on its owner, lock or status. 404 ``card_not_found``."""
    card = await repository.fresh_card(session, card_id)
    if card is None:
        raise _no_card()
    return card


async def current_owner(session: AsyncSession, card_id: str) -> CardOwner:
    """Who holds the card now (a user, or its company's issuer inventory)."""
    return CardOwner.of(await load_card(session, card_id))


# --- locks and custody moves ---------------------------------------------------------------------


async def lock_card(
    session: AsyncSession, card_id: str, owner: CardOwner, kind: LockKind, ref: str
) -> CardLock:
    """Lock an available card of ``owner`` for a listing, auction, trade, battle or withdrawal.

    ``ref`` names what holds the lock (e.g. the listing id); only the same (kind, ref) can
    release it. Raises 409 ``card_locked`` (already locked), 409 ``card_unavailable``
    (withdrawn), 403 ``not_card_owner`` or 404 ``card_not_found``.
    """
    rules.check_lock_ref(ref)
    kind = LockKind(kind)
    if not await repository.lock_if_free(session, card_id, owner, kind, ref):
        raise rules.why_not(await load_card(session, card_id), owner)
    await emit(session, "card.locked", card_id, kind=kind.value, ref=ref)
    return CardLock(card_id, kind, ref)


async def unlock_card(session: AsyncSession, card_id: str, kind: LockKind, ref: str) -> None:
    """Release the lock (kind, ref) holds. Raises 409 ``lock_not_held`` if it holds none."""
    kind = LockKind(kind)
    if not await repository.unlock(session, card_id, kind, ref):
        await load_card(session, card_id)  # 404 for an unknown card
        raise rules.lock_not_held(kind)
    await emit(session, "card.unlocked", card_id, kind=kind.value, ref=ref)


async def transfer_card(
    session: AsyncSession,
    card_id: str,
    from_owner: CardOwner,
    to_owner: CardOwner,
    reason: str,
    ref: str,
    price: Price | None = None,
    value_hint: Price | None = None,
) -> None:
    """Give the card of ``from_owner`` to ``to_owner``, recording it in the card's history
    (and, for a move without a price, emitting ``card.transfer``; a sale's event is its trade's).

    Call it in the same transaction as the ledger transfers that pay for it (``price`` given:
    a sale, which also updates the card's last sale). A locked card moves only when ``ref`` is
    the reference of the lock that holds it (e.g. the listing being settled); the lock is
    released with the move. Raises like ``lock_card``; 422 ``invalid_transfer`` for a transfer
    to the same owner or a bad price. ``value_hint`` (an unpriced move only) records the card's
    market value at the move, for cost basis (a card-for-card swap).
    """
    if value_hint is not None and (price is not None or value_hint.amount <= 0):
        raise Unprocessable("A value hint goes only on an unpriced move.", code="invalid_transfer")
    rules.check_transfer(from_owner, to_owner, reason, ref, price)
    if not await repository.move(session, card_id, from_owner, to_owner, ref, price):
        raise rules.why_not(await load_card(session, card_id), from_owner)
    kind = rules.moved_event_kind(price)
    session.add(
        repository.history_event(
            card_id,
            kind,
            reason,
            ref,
            source=from_owner,
            target=to_owner,
            price=price,
            value_hint=value_hint,
        )
    )
    if price is None:
        to = {"kind": to_owner.kind.value, "id": to_owner.id}
        await emit(session, f"card.{kind.value}", card_id, to_owner=to, reason=reason, ref=ref)
    # A sale's one event is its ``trade.executed`` (settlement), which names the card, both
    # parties and the reference: a second event per sale would say the same again.
    await session.flush()


async def move_refusal(session: AsyncSession, card_id: str, owner: CardOwner) -> DomainError:
    """Why ``owner`` could not move the card (``transfer_card``'s refusal), read after a move
    made elsewhere (a sale settled in one database call) matched nothing."""
    return rules.why_not(await load_card(session, card_id), owner)


async def mark_withdrawn(session: AsyncSession, card_id: str, ref: str) -> None:
    """The withdrawal ``ref`` (holding the card's withdrawal lock) landed on chain: the card is
    off the platform until ``mark_deposited``. Its last platform owner stays recorded."""
    done = await repository.mark_withdrawn(session, card_id, ref)
    card = await load_card(session, card_id)
    if not done:
        raise Conflict("This withdrawal does not hold the card.", code="lock_not_held")
    source = CardOwner.of(card)
    session.add(
        repository.history_event(card_id, CardEventKind.withdraw, "withdrawal", ref, source=source)
    )
    await emit(session, "card.withdrawn", card_id, ref=ref)
    await session.flush()


async def mark_deposited(session: AsyncSession, card_id: str, to_user_id: str, ref: str) -> None:
    """A withdrawn card arrived back in custody (deposit ``ref``): ``to_user_id`` owns it now,
    whoever owned it before it left (it may have changed hands on chain)."""
    if not await repository.mark_deposited(session, card_id, to_user_id):
        await load_card(session, card_id)
        raise Conflict("The card is already on the platform.", code="card_not_withdrawn")
    target = CardOwner.user(to_user_id)
    session.add(
        repository.history_event(card_id, CardEventKind.deposit, "deposit", ref, target=target)
    )
    await emit(session, "card.deposited", card_id, ref=ref, to_user_id=to_user_id)
    await session.flush()


async def set_list_price(session: AsyncSession, card_id: str, price: Price | None) -> None:
    """Show ``price`` (an open public listing's) on the card, or no price: the catalog sorts by
    it and tiles show it."""
    await repository.set_list_price(session, card_id, price)


# --- catalog reads -------------------------------------------------------------------------------


async def _conditions(
    session: AsyncSession, filters: CardFilters, below: str | None = None, *, sample: bool = False
) -> list[Any]:
    """The filters as conditions on ``Card``; with ``below``, only cards whose id sorts before
    it (a slice of the id space); ``sample``: for a facet sample read in id order, not a page
    (see ``CardSearch.matching``)."""
    rules.check_stat_ranges(filters)
    conditions: list[Any] = catalog_repository.catalog_conditions(filters)
    if below is not None:
        conditions.append(catalog_repository.id_below(below))
    if filters.company:
        company_id = await company_repository.company_id_of(session, filters.company)
        conditions.append(catalog_repository.company_is(company_id))
    if filters.owner:
        user_id = await auth.user_id_for(session, filters.owner)
        conditions.append(catalog_repository.owner_user_is(user_id))
    if filters.q is not None and filters.q.strip():
        conditions.append(
            await search_for(session).matching(session, filters.q, below, sample=sample)
        )
    return conditions


async def list_cards(
    session: AsyncSession, filters: CardFilters, params: PageParams
) -> tuple[list[Card], str | None]:
    """Cards matching every given filter, in the chosen order, one keyset page. 422
    ``invalid_range`` when a stat's minimum is above its maximum."""
    conditions = await _conditions(session, filters)
    return await catalog_repository.cards_page(session, conditions, filters.sort, params)


async def catalog_facets(
    session: AsyncSession, filters: CardFilters, wanted: Collection[Facet]
) -> CatalogFacets:
    """Counts beside the filters for the cards matching ``filters`` (see ``facets``): exact
    when the whole match set is read, else estimated from a uniform sample. The match set is
    read slice by slice of the id space (``facets.SAMPLE_SLICES``), widening only while the
    slice read holds too few cards to estimate from, so a large match set costs the reading
    of a small slice of it."""
    exact_limit = facets.EXACT_LIMIT
    rows: list[tuple[Any, ...]] = []
    covered = 1.0
    for below, share in facets.SAMPLE_SLICES:
        conditions = await _conditions(session, filters, below, sample=True)
        rows = await catalog_repository.facet_rows(session, conditions, exact_limit + 1)
        covered = share
        if len(rows) > exact_limit or len(rows) >= facets.min_sample(exact_limit):
            break
    companies = await catalog_repository.company_facts(session) if wanted else {}
    return facets.count_facets(rows, wanted, companies, exact_limit=exact_limit, covered=covered)


async def suggest(session: AsyncSession, query: str, limit: int) -> list[Suggestion]:
    """Companies, tickers and card names for what is typed so far, typos forgiven (see
    ``search_repository.suggestions``)."""
    return await suggestions(session, query, limit)


async def wallets_of_owners(
    session: AsyncSession, cards: Iterable[Card]
) -> dict[str, auth.UserRef]:
    """The users who own these cards, by id (for ``schemas.CardOut``)."""
    return await auth.user_refs(session, {c.owner_user_id for c in cards if c.owner_user_id})


async def wallets_in_history(
    session: AsyncSession, events: Iterable[CardEvent]
) -> dict[str, auth.UserRef]:
    """The users these history events name, by id (for ``schemas.CardEventOut``)."""
    ids = {i for e in events for i in (e.from_user_id, e.to_user_id) if i is not None}
    return await auth.user_refs(session, ids)


async def get_card(session: AsyncSession, card_id: str) -> Card:
    """One card with its company and owner loaded. 404 ``card_not_found``."""
    card = await catalog_repository.card_with_parties(session, card_id)
    if card is None:
        raise _no_card()
    return card


async def cards_by_id(session: AsyncSession, card_ids: Sequence[str]) -> list[Card]:
    """These cards, in the order given (unknown ids are left out)."""
    found = {c.id: c for c in await catalog_repository.cards_with_parties(session, card_ids)}
    return [found[card_id] for card_id in card_ids if card_id in found]


async def cards_by_mint(session: AsyncSession, mints: Collection[str]) -> dict[str, Card]:
    """ECE cards by mint address (mints of anything else are left out)."""
    if not mints:
        return {}
    return await catalog_repository.cards_by_mint(session, mints)


async def issuer_inventory(session: AsyncSession, company_id: str, limit: int) -> list[Card]:
    """Up to ``limit`` cards the company still holds (not yet sold), oldest first."""
    return await catalog_repository.issued_cards(session, company_id, limit)


async def custody_card_mints(session: AsyncSession) -> dict[str, tuple[str, bool]]:
    """Every card's mint → (card id, whether the platform says custody holds it)."""
    return await catalog_repository.mints_in_custody(session)


async def has_cards(session: AsyncSession) -> bool:
    """Whether any card was ever minted (custody holds NFTs on chain)."""
    return await catalog_repository.any_card(session)


async def card_history(
    session: AsyncSession, card_id: str, params: PageParams
) -> tuple[list[CardEvent], str | None]:
    """The card's mint, transfers, sales, withdrawals and deposits, oldest first."""
    if not await catalog_repository.card_exists(session, card_id):
        raise _no_card()
    return await catalog_repository.events_page(session, card_id, params)


async def card_image(session: AsyncSession, blockstore: Blockstore, card_id: str) -> bytes:
    """The card's SVG exactly as minted (its CID is in the metadata)."""
    image_cid = await catalog_repository.image_cid_of(session, card_id)
    if image_cid is None:
        raise _no_card()
    svg = await blockstore.get(image_cid)
    if svg is None:
        raise NotFound("The card's image is missing from storage.", code="image_not_found")
    return svg


async def fetch_block(blockstore: Blockstore, cid: str) -> tuple[bytes, str]:
    """A stored block and its content type: 400 ``invalid_cid``, 404 ``block_not_found``."""
    try:
        parse_cid(cid)
    except ValueError as exc:
        raise BadRequest("This is not a CID.", code="invalid_cid") from exc
    data = await blockstore.get(cid)
    if data is None:
        raise NotFound("No block with this CID.", code="block_not_found")
    return data, rules.sniff_content_type(data)


# --- card state for other domains' checks (trade offers) ---------------------------------------


async def card_holdings(session: AsyncSession, card_ids: Sequence[str]) -> dict[str, CardHolding]:
    """These cards by id (unknown ids are left out), never from the session's stale copies."""
    if not card_ids:
        return {}
    return await repository.holdings(session, card_ids)


async def royalty_bps_of(session: AsyncSession, company_ids: Sequence[str]) -> dict[str, int]:
    """Each company's royalty rate in basis points."""
    if not company_ids:
        return {}
    return await company_repository.royalty_bps_of(session, company_ids)


# --- reads for market data, the trades feed and the web pages ----------------------------------


async def company_by_id(session: AsyncSession, company_id: str) -> Company:
    """By id only (not ticker). 404 ``company_not_found``."""
    company = await catalog_repository.company(session, company_id)
    if company is None:
        raise NotFound("No such company.", code="company_not_found")
    return company


async def companies_by_ticker(session: AsyncSession) -> list[Company]:
    return await catalog_repository.companies_by_ticker(session)


async def holder_count(session: AsyncSession, company_id: str) -> int:
    """Distinct users holding the company's cards on the platform."""
    return await catalog_repository.holder_count(session, company_id)


def company_card_ids(company_id: str) -> Select[Any]:
    """The ids of a company's cards, as a subquery for another domain's filter."""
    return catalog_repository.company_card_ids(company_id)


async def transfer_feed(session: AsyncSession, q: FeedSlice) -> list[CardEvent]:
    """Card history rows of kind ``transfer`` (gifts, trade legs), newest first."""
    return await catalog_repository.transfer_feed(session, q)


# --- what the market asks of a card: the card as it stands, its shown list price ---------------


async def current_card(session: AsyncSession, card_id: str) -> Card:
    """The card as it stands now (re-read: ownership and lock columns change by conditional
    UPDATEs). 404 ``card_not_found``."""
    return await load_card(session, card_id)


async def show_list_price(
    session: AsyncSession, card_id: str, price: int | None, asset: str | None
) -> None:
    """Set the price the catalog sorts by and tiles show (None: not listed)."""
    shown = Price(price, Asset(asset)) if price is not None and asset is not None else None
    await repository.set_list_price(session, card_id, shown)


def card_names() -> Subquery:
    """Every card's id and name, to join a card's name onto another domain's rows."""
    return catalog_repository.card_names()


def cards_owned_by(user_id: str) -> Subquery:
    """The id, company, rarity and power of each card ``user_id`` owns (to match offers)."""
    return catalog_repository.cards_owned_by(user_id)


def royalty_subquery(company_id: ColumnExpressionArgument[str]) -> ScalarSelect[int]:
    """The royalty of the company ``company_id`` names, as a scalar subquery: read in the same
    statement as another domain's row (a buy's listing)."""
    return company_repository.royalty_subquery(company_id)


def company_id_of(id_or_ticker: str) -> ScalarSelect[str]:
    """The id of the company with this id or ticker (any case), as a scalar subquery."""
    return company_repository.company_id_subquery(id_or_ticker)


async def find_card(session: AsyncSession, card_id: str) -> Card | None:
    return await catalog_repository.find_card(session, card_id)


# --- a user's collection, for the portfolio -----------------------------------------------------


async def held_cards(session: AsyncSession, user_id: str) -> list[HeldCard]:
    """Every card ``user_id`` holds on the platform (withdrawn cards left out), no page cap."""
    return await catalog_repository.held_by(session, user_id)


async def card_moves(session: AsyncSession, user_id: str) -> list[CardMove]:
    """Every history row that brought a card to ``user_id`` or took one away, oldest first."""
    return await catalog_repository.moves_of(session, user_id)


async def listed_prices(
    session: AsyncSession, card_ids: Collection[str]
) -> dict[str, tuple[int, str]]:
    """Card id → (shown list price, asset) for the cards among these that are listed."""
    if not card_ids:
        return {}
    return await catalog_repository.listed_prices(session, card_ids)


async def card_labels(session: AsyncSession, card_ids: Collection[str]) -> dict[str, str]:
    """Card id → its name with serial (``Acme #3/50``), for exports."""
    if not card_ids:
        return {}
    return await catalog_repository.names_of(session, card_ids)
