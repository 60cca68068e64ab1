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
from sqlalchemy.ext.asyncio import AsyncSession

from ece.audit import service as audit
from ece.auth import service as auth
from ece.cards import company_repository, repository, rules
from ece.cards.art import render_card_svg
from ece.cards.blockstore import Blockstore
from ece.cards.metadata import IMAGE_MIME_TYPE, build_card_metadata, canonical_json
from ece.cards.models import Card, Company
from ece.cards.rules import EDITION_SIZES, CardEventKind, CardOwner, Rarity
from ece.cards.schemas import CardIn, card_image_url
from ece.cards.search_repository import add_card_names, search_for, search_text_of
from ece.chain.platform import Platform, send_instructions
from ece.chain.protocol import Chain, ChainError
from ece.chain.tokens.nft import build_card_mint, card_mint_space
from ece.core.db import new_id
from ece.core.errors import DomainError, Unprocessable
from ece.core.outbox import emit

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
    companies = await company_repository.companies_for_minting(
        session, {item.company_id for item in items}
    )
    users = await auth.existing_user_ids(session, {i.owner_id for i in items if i.owner_id})
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
            next_serial[key] = await repository.last_serial(session, company.id, rarity) + 1
        rules.check_serial(next_serial[key], rarity, company.ticker)
        checked.append(_Checked(company, owner, next_serial[key]))
        next_serial[key] += 1
    return checked


@dataclass(frozen=True)
class _Content:
    """What is stored by content address before the chain sees the card."""

    image_cid: str
    metadata_cid: str

    @property
    def uri(self) -> str:
        return f"ipfs://{self.metadata_cid}"


@dataclass(frozen=True)
class _Minted:
    mint: str
    signature: str


async def _mint_one(session: AsyncSession, minter: Minter, item: CardIn, checked: _Checked) -> Card:
    company, rarity = checked.company, Rarity(item.rarity)
    serial = rules.serial_label(checked.serial_number, EDITION_SIZES[rarity])
    card_id = new_id()  # chosen first: the metadata names the card's image URL
    description = item.description or rules.default_description(
        item.name, rarity, company.name, company.ticker
    )
    content = await _store_content(minter, item, company, serial, card_id, description)
    minted = await _mint_on_chain(minter, item.name, company.ticker, content.uri, serial, rarity)
    return await _record(session, item, checked, card_id, description, content, minted)


async def _store_content(
    minter: Minter, item: CardIn, company: Company, serial: str, card_id: str, description: str
) -> _Content:
    """The card's art, then its metadata (which names the art), into the blockstore."""
    rarity, stats = Rarity(item.rarity), item.attributes.model_dump()
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
    return _Content(image_cid, await minter.blockstore.put(canonical_json(metadata)))


async def _mint_on_chain(
    minter: Minter, name: str, ticker: str, uri: str, serial: str, rarity: Rarity
) -> _Minted:
    """A supply-1 Token-2022 mint in custody, confirmed; 502 ``chain_error`` otherwise."""
    mint = Keypair()  # used once to create the account; it has no authority afterwards
    platform = minter.platform
    fields = [("serial", serial), ("rarity", rarity.value)]
    space = card_mint_space(name, ticker, uri, fields)
    try:
        rent = await minter.chain.get_minimum_balance_for_rent_exemption(space.final)
        instructions = build_card_mint(
            payer=platform.custody_owner,
            mint=mint.pubkey(),
            authority=platform.authority.pubkey(),
            custody_owner=platform.custody_owner,
            name=name,
            symbol=ticker,
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
    return _Minted(str(mint.pubkey()), str(signature))


async def _record(
    session: AsyncSession,
    item: CardIn,
    checked: _Checked,
    card_id: str,
    description: str,
    content: _Content,
    minted: _Minted,
) -> Card:
    """The card row and its mint event, once the chain confirmed the mint."""
    company, rarity = checked.company, Rarity(item.rarity)
    card = Card(
        id=card_id,
        company_id=company.id,
        name=item.name,
        description=description,
        rarity=rarity.value,
        serial_number=checked.serial_number,
        edition_size=EDITION_SIZES[rarity],
        **item.attributes.model_dump(),
        mint=minted.mint,
        mint_signature=minted.signature,
        metadata_cid=content.metadata_cid,
        image_cid=content.image_cid,
        search_text=search_text_of(item.name, company.name, company.ticker, company.sector),
        owner_user_id=checked.owner.user_id,
        owner_company_id=checked.owner.company_id,
    )
    session.add(card)
    session.add(
        repository.history_event(
            card_id, CardEventKind.mint, "mint", minted.signature, target=checked.owner
        )
    )
    await emit(session, "card.minted", card_id, mint=card.mint, company_id=company.id)
    return card


async def mint_cards(
    session: AsyncSession, minter: Minter, items: Sequence[CardIn], *, actor: str
) -> list[Card]:
    """Mint cards in the caller's transaction (each audited as ``actor``); all checks pass
    before the first one is minted."""
    checked = await _check(session, items)
    cards = [
        await _mint_one(session, minter, item, c) for item, c in zip(items, checked, strict=True)
    ]
    await session.flush()
    await search_for(session).index(session, [card.id for card in cards])
    await add_card_names(session, [card.name for card in cards])
    for card in cards:
        details = {"company_id": card.company_id, "rarity": card.rarity, "mint": card.mint}
        await audit.record(
            session,
            actor=actor,
            action="card.minted",
            object_type="card",
            object_id=card.id,
            details=details,
        )
    return cards


async def mint_card(session: AsyncSession, minter: Minter, item: CardIn, *, actor: str) -> Card:
    """Mint one card (see ``mint_cards``)."""
    return (await mint_cards(session, minter, [item], actor=actor))[0]


async def mint_batch(
    session: AsyncSession,
    minter: Minter,
    items: Sequence[CardIn],
    chunk: int | None = None,
    *,
    actor: str,
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
            cards = await mint_cards(session, minter, items[start : start + chunk], actor=actor)
        except DomainError as exc:
            exc.extra.setdefault("minted", minted)
            raise
        await session.commit()
        minted += [card.id for card in cards]
    return minted
