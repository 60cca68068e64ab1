"""Minting cards: art and metadata into the blockstore, a Token-2022 NFT on chain, then rows.

Order matters: everything that can be refused (unknown company or owner, sold-out edition) is
checked first; then the content is stored and the card minted on chain; only after the chain
confirmed are the card rows added and flushed. A chain failure raises ``chain_error`` before
any row exists. (If the transaction then fails to commit, the mint stays on chain, unrecorded
but harmless in custody; content-addressed blocks are likewise left for garbage collection.)
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from solders.keypair import Keypair
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from ece.auth.models import User
from ece.cards.art import render_card_svg
from ece.cards.blockstore import Blockstore
from ece.cards.metadata import IMAGE_MIME_TYPE, Rarity, build_card_metadata, canonical_json
from ece.cards.models import Card, CardEventKind, Company
from ece.cards.ownership import CardOwner, history_event
from ece.cards.schemas import CardIn, card_image_url
from ece.cards.search import search_for, search_text_of
from ece.chain.platform import Platform, send_instructions
from ece.chain.protocol import Chain, ChainError
from ece.chain.tokens.nft import build_card_mint, card_mint_space
from ece.core.db import new_id
from ece.core.errors import Conflict, DomainError, Unprocessable
from ece.core.outbox import emit

# Serials are per company and rarity, out of a fixed edition size: "#7/50" is the 7th epic.
EDITION_SIZES: dict[Rarity, int] = {
    Rarity.COMMON: 1000,
    Rarity.RARE: 250,
    Rarity.EPIC: 50,
    Rarity.LEGENDARY: 10,
}
BATCH_CHUNK = 25  # cards per transaction in a batch mint


class ChainFailed(DomainError):
    status = 502
    code = "chain_error"


@dataclass(frozen=True)
class Minter:
    """What minting needs besides the database."""

    chain: Chain
    platform: Platform
    blockstore: Blockstore
    base_url: str  # public origin, for the image and external URLs in the metadata


@dataclass(frozen=True)
class _Checked:
    company: Company
    owner: CardOwner
    serial_number: int


async def _check(session: AsyncSession, items: Sequence[CardIn]) -> list[_Checked]:
    """Refuse the whole request before anything is minted: 422 ``unknown_company`` /
    ``unknown_owner``, 409 ``edition_sold_out``."""
    company_ids = {item.company_id for item in items}
    # FOR UPDATE on PostgreSQL: concurrent mints of one company queue here, so serials are
    # allocated one at a time (SQLite writers are serialized already).
    companies = {
        c.id: c
        for c in await session.scalars(
            select(Company)
            .where(Company.id.in_(company_ids))
            .order_by(Company.id)
            .with_for_update()
        )
    }
    owner_ids = {item.owner_id for item in items if item.owner_id}
    users = set(await session.scalars(select(User.id).where(User.id.in_(owner_ids))))
    next_serial: dict[tuple[str, Rarity], int] = {}
    checked: list[_Checked] = []
    for item in items:
        company = companies.get(item.company_id)
        if company is None:
            raise Unprocessable(f"No company {item.company_id!r}.", code="unknown_company")
        if item.owner_id and item.owner_id not in users:
            raise Unprocessable(f"No user {item.owner_id!r}.", code="unknown_owner")
        owner = CardOwner.user(item.owner_id) if item.owner_id else CardOwner.issuer(company.id)
        rarity = Rarity(item.rarity)
        key = (company.id, rarity)
        if key not in next_serial:
            next_serial[key] = await _last_serial(session, company.id, rarity) + 1
        serial_number = next_serial[key]
        if serial_number > EDITION_SIZES[rarity]:
            raise Conflict(
                f"Not enough {rarity.value} cards left in the edition of {company.ticker} "
                f"({EDITION_SIZES[rarity]}).",
                code="edition_sold_out",
            )
        next_serial[key] += 1
        checked.append(_Checked(company, owner, serial_number))
    return checked


async def _last_serial(session: AsyncSession, company_id: str, rarity: Rarity) -> int:
    last = await session.scalar(
        select(func.max(Card.serial_number)).where(
            Card.company_id == company_id, Card.rarity == rarity.value
        )
    )
    return int(last or 0)


async def _mint_one(session: AsyncSession, minter: Minter, item: CardIn, checked: _Checked) -> Card:
    company, rarity = checked.company, Rarity(item.rarity)
    stats = item.attributes.model_dump()
    serial_number = checked.serial_number
    edition = EDITION_SIZES[rarity]
    serial = f"#{serial_number}/{edition}"
    card_id = new_id()  # chosen first: the metadata names the card's image URL
    description = item.description or (
        f"{item.name}: a {rarity.value} card of {company.name} ({company.ticker})."
    )

    svg = render_card_svg(
        colour=company.color,
        ticker=company.ticker,
        company_name=company.name,
        card_name=item.name,
        rarity=rarity,
        serial=serial,
        stats=stats,
    ).encode("utf-8")
    image_cid = await minter.blockstore.put(svg)
    metadata = build_card_metadata(
        name=item.name,
        ticker=company.ticker,
        company_name=company.name,
        rarity=rarity,
        serial=serial,
        stats=stats,
        description=description,
        image_url=card_image_url(minter.base_url, card_id),
        external_url=f"{minter.base_url}/cards/{card_id}",
    )
    # The art by content address too, so the card survives our web server going away.
    metadata["properties"]["files"].append({"uri": f"ipfs://{image_cid}", "type": IMAGE_MIME_TYPE})
    metadata_cid = await minter.blockstore.put(canonical_json(metadata))
    uri = f"ipfs://{metadata_cid}"

    mint = Keypair()  # used once to create the account; it has no authority afterwards
    platform = minter.platform
    fields = [("serial", serial), ("rarity", rarity.value)]
    space = card_mint_space(item.name, company.ticker, uri, fields)
    try:
        rent = await minter.chain.get_minimum_balance_for_rent_exemption(space.final)
        instructions = build_card_mint(
            payer=platform.custody_owner,
            mint=mint.pubkey(),
            authority=platform.authority.pubkey(),
            custody_owner=platform.custody_owner,
            name=item.name,
            symbol=company.ticker,
            uri=uri,
            rent_lamports=rent,
            fields=fields,
        )
        signature = await send_instructions(
            minter.chain, instructions, [mint, platform.authority], platform.custody
        )
        await minter.chain.confirm_transaction(signature)
    except ChainError as exc:
        raise ChainFailed(f"Minting on chain failed: {exc}") from exc

    card = Card(
        id=card_id,
        company_id=company.id,
        name=item.name,
        description=description,
        rarity=rarity.value,
        serial_number=serial_number,
        edition_size=edition,
        **stats,
        mint=str(mint.pubkey()),
        mint_signature=str(signature),
        metadata_cid=metadata_cid,
        image_cid=image_cid,
        search_text=search_text_of(item.name, company.name, company.ticker, company.sector),
        owner_user_id=checked.owner.user_id,
        owner_company_id=checked.owner.company_id,
    )
    session.add(card)
    session.add(
        history_event(card_id, CardEventKind.mint, "mint", str(signature), target=checked.owner)
    )
    await emit(session, "card.minted", card_id, mint=card.mint, company_id=company.id)
    return card


async def mint_cards(session: AsyncSession, minter: Minter, items: Sequence[CardIn]) -> list[Card]:
    """Mint cards in the caller's transaction; all checks pass before the first one is minted."""
    checked = await _check(session, items)
    cards = [
        await _mint_one(session, minter, item, c) for item, c in zip(items, checked, strict=True)
    ]
    await session.flush()
    await search_for(session).index(session, [card.id for card in cards])
    return cards


async def mint_card(session: AsyncSession, minter: Minter, item: CardIn) -> Card:
    """Mint one card (see ``mint_cards``)."""
    return (await mint_cards(session, minter, [item]))[0]


async def mint_batch(
    session: AsyncSession, minter: Minter, items: Sequence[CardIn], chunk: int | None = None
) -> list[str]:
    """Mint many cards, committing every ``chunk`` of them: each chunk is one transaction, so
    cards already on chain are recorded even if a later chunk fails. (The one service that
    commits: a batch of hundreds of chain transactions must not be all-or-nothing in the DB.)

    The whole batch is checked before anything is minted. On a chain failure the error lists
    ``minted`` (ids committed by earlier chunks). Returns the new card ids, in order.
    """
    await _check(session, items)
    await session.commit()  # release the write lock (SQLite) before the long run of chunks
    minted: list[str] = []
    chunk = chunk or BATCH_CHUNK
    for start in range(0, len(items), chunk):
        try:
            cards = await mint_cards(session, minter, items[start : start + chunk])
        except DomainError as exc:
            exc.extra.setdefault("minted", minted)
            raise
        await session.commit()
        minted += [card.id for card in cards]
    return minted
