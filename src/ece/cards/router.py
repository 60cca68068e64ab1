"""HTTP for companies, minting, the card catalog, and the IPFS gateway for card content."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Header, Path, Query, Response, status

from ece.auth.deps import AdminUser, CurrentUser, Idempotent
from ece.cards import service
from ece.cards.deps import BlockstoreDep, MinterDep
from ece.cards.rules import IMAGE_MIME_TYPE, CardStatus, Rarity
from ece.cards.schemas import (
    CardBatchIn,
    CardBatchOut,
    CardEventOut,
    CardEventPage,
    CardIn,
    CardOut,
    CardPage,
    CatalogFacetsOut,
    CompanyIn,
    CompanyOut,
    CompanyPage,
    CompanyPatch,
    SuggestionList,
    SuggestionOut,
)
from ece.core.errors import Unprocessable, problem_responses
from ece.core.money import Asset
from ece.core.pagination import PageParams, page_params
from ece.core.patterns import CID_PATTERN, stated
from ece.runtime.deps import Session, SettingsDep
from ece.runtime.routing import UnitOfWorkRoute

router = APIRouter(prefix="/api/v1", route_class=UnitOfWorkRoute)
gateway = APIRouter(tags=["ipfs"])

Pages = Annotated[PageParams, Depends(page_params)]
# Content-addressed bytes never change; a year is the longest cache lifetime browsers honour.
IMMUTABLE = "public, max-age=31536000, immutable"
# SVG can carry script; ours never does, but served from our origin it must not be able to run.
SVG_SAFETY = {"Content-Security-Policy": "default-src 'none'; style-src 'unsafe-inline'; sandbox"}


# --- companies ------------------------------------------------------------------------------


@router.post(
    "/companies",
    tags=["companies"],
    status_code=status.HTTP_201_CREATED,
    response_model=CompanyOut,
    responses=problem_responses(401, 403, 409, 422),
)
async def create_company(body: CompanyIn, admin: AdminUser, session: Session) -> CompanyOut:
    """Register a card-issuing company (admin). Its payable ledger accounts open with it."""
    return CompanyOut.of(await service.create_company(session, body, actor=admin.id))


@router.get(
    "/companies", tags=["companies"], response_model=CompanyPage, responses=problem_responses(422)
)
async def list_companies(
    session: Session,
    params: Pages,
    sector: Annotated[str | None, Query(max_length=64)] = None,
    q: Annotated[str | None, Query(max_length=100, description="Part of name or ticker")] = None,
) -> CompanyPage:
    """Companies by ticker."""
    companies, cursor = await service.list_companies(session, params, sector=sector, q=q)
    return CompanyPage(items=[CompanyOut.of(c) for c in companies], next_cursor=cursor)


@router.get(
    "/companies/{id_or_ticker}",
    tags=["companies"],
    response_model=CompanyOut,
    responses=problem_responses(404),
)
async def get_company(id_or_ticker: str, session: Session) -> CompanyOut:
    """A company by id or ticker."""
    return CompanyOut.of(await service.get_company(session, id_or_ticker))


@router.patch(
    "/companies/{id_or_ticker}",
    tags=["companies"],
    response_model=CompanyOut,
    responses=problem_responses(401, 403, 404, 422),
)
async def update_company(
    id_or_ticker: str, body: CompanyPatch, admin: AdminUser, session: Session
) -> CompanyOut:
    """Change a company's details (admin). The ticker is fixed once cards carry it on chain."""
    company = await service.update_company(session, id_or_ticker, body, actor=admin.id)
    return CompanyOut.of(company)


# --- minting --------------------------------------------------------------------------------


@router.post(
    "/cards",
    tags=["cards"],
    status_code=status.HTTP_201_CREATED,
    response_model=CardOut,
    responses=problem_responses(401, 403, 409, 422, 502),
)
async def mint_card(
    body: CardIn,
    admin: AdminUser,
    _claim: Idempotent,
    session: Session,
    minter: MinterDep,
    settings: SettingsDep,
) -> CardOut:
    """Mint a card (admin): a Token-2022 NFT with supply 1, its metadata and art on IPFS."""
    minted = await service.mint_card(session, minter, body, actor=admin.id)
    card = await service.get_card(session, minted.id)
    wallets = await service.wallets_of_owners(session, [card])
    return CardOut.of(card, settings.uri, wallets)


@router.post(
    "/cards/batch",
    tags=["cards"],
    status_code=status.HTTP_201_CREATED,
    response_model=CardBatchOut,
    responses=problem_responses(401, 403, 409, 422, 502),
)
async def mint_card_batch(
    body: CardBatchIn,
    admin: AdminUser,
    _claim: Idempotent,
    session: Session,
    minter: MinterDep,
    settings: SettingsDep,
) -> CardBatchOut:
    """Mint up to 500 cards (admin), one database transaction per chunk of 25. All are checked
    before the first is minted; a chain failure reports the ids already minted."""
    card_ids = await service.mint_batch(session, minter, body.cards, actor=admin.id)
    page = await service.cards_by_id(session, card_ids)
    wallets = await service.wallets_of_owners(session, page)
    return CardBatchOut(items=[CardOut.of(card, settings.uri, wallets) for card in page])


# --- catalog --------------------------------------------------------------------------------


Stat = Annotated[int | None, Query(ge=0, le=100)]


async def card_filters(
    company: Annotated[str | None, Query(max_length=32, description="Company id or ticker")] = None,
    rarity: Rarity | None = None,
    owner: Annotated[str | None, Query(max_length=44, description="User id or wallet")] = None,
    q: Annotated[str | None, Query(max_length=200, description="Words to search for")] = None,
    status: CardStatus | None = None,
    sector: Annotated[str | None, Query(max_length=64, description="Exact, any case")] = None,
    listed: Annotated[bool | None, Query(description="Has an open public listing")] = None,
    currency: Annotated[Asset | None, Query(description="The open listing's currency")] = None,
    min_power: Stat = None,
    max_power: Stat = None,
    min_valuation: Stat = None,
    max_valuation: Stat = None,
    min_growth: Stat = None,
    max_growth: Stat = None,
    min_innovation: Stat = None,
    max_innovation: Stat = None,
    min_influence: Stat = None,
    max_influence: Stat = None,
    sort: service.CardSort = service.CardSort.newest,
) -> service.CardFilters:
    return service.CardFilters(
        company=company,
        rarity=rarity,
        owner=owner,
        q=q,
        status=status,
        sort=sort,
        sector=sector,
        listed=listed,
        currency=currency,
        min_power=min_power,
        max_power=max_power,
        min_valuation=min_valuation,
        max_valuation=max_valuation,
        min_growth=min_growth,
        max_growth=max_growth,
        min_innovation=min_innovation,
        max_innovation=max_innovation,
        min_influence=min_influence,
        max_influence=max_influence,
    )


Filters = Annotated[service.CardFilters, Depends(card_filters)]
FACETS_HELP = "Comma-separated counts to return: " + ",".join(f.value for f in service.Facet)
_FACET = "(?:" + "|".join(f.value for f in service.Facet) + ")"
FACETS_PATTERN = rf"^\s*(?:{_FACET}\s*)?(?:,\s*(?:{_FACET}\s*)?)*$"


async def wanted_facets(
    facets: Annotated[
        str | None,
        Query(max_length=100, description=FACETS_HELP, json_schema_extra=stated(FACETS_PATTERN)),
    ] = None,
) -> set[service.Facet] | None:
    if facets is None:
        return None
    wanted: set[service.Facet] = set()
    for name in filter(None, (part.strip() for part in facets.split(","))):
        try:
            wanted.add(service.Facet(name))
        except ValueError:
            raise Unprocessable(f"No facet named {name!r}.", code="invalid_facet") from None
    return wanted


@router.get("/cards", tags=["cards"], response_model=CardPage, responses=problem_responses(422))
async def list_cards(
    session: Session,
    filters: Filters,
    params: Pages,
    settings: SettingsDep,
    facets: Annotated[set[service.Facet] | None, Depends(wanted_facets)],
) -> CardPage:
    """Browse and search cards. ``q`` matches the start of words in the card's name, company,
    ticker and sector. Price sorts follow open listings; unlisted (or never sold) cards last.
    Stat bounds ``min_*``/``max_*`` are inclusive. With ``facets`` (even empty) the page also
    carries ``total`` (or ``total_estimate`` past 2,000 matches) and the asked counts."""
    cards, cursor = await service.list_cards(session, filters, params)
    wallets = await service.wallets_of_owners(session, cards)
    items = [CardOut.of(c, settings.uri, wallets) for c in cards]
    page = CardPage(items=items, next_cursor=cursor)
    if facets is not None:
        counted = await service.catalog_facets(session, filters, facets)
        page.total, page.total_estimate = counted.total, counted.total_estimate
        page.facets = CatalogFacetsOut.of(counted)
    return page


@router.get(
    "/search/suggest",
    tags=["cards"],
    response_model=SuggestionList,
    responses=problem_responses(422),
)
async def suggest(
    session: Session,
    q: Annotated[str, Query(min_length=1, max_length=100, description="What is typed so far")],
    limit: Annotated[int, Query(ge=1, le=20)] = 10,
) -> SuggestionList:
    """Companies, tickers and card names for search-as-you-type, forgiving typos ("qantum"
    finds "Quantum"): a label matches when it holds half the typed letter trigrams or more."""
    found = await service.suggest(session, q, limit)
    return SuggestionList(
        items=[SuggestionOut(kind=s.kind, label=s.label, ref=s.ref, score=s.score) for s in found]
    )


@router.get(
    "/users/me/cards",
    tags=["cards"],
    response_model=CardPage,
    responses=problem_responses(401, 422),
)
async def my_cards(
    user: CurrentUser, session: Session, filters: Filters, params: Pages, settings: SettingsDep
) -> CardPage:
    """Your cards, with the catalog's filters and sorts."""
    mine = service.CardFilters(**{**filters.__dict__, "owner": user.id})
    cards, cursor = await service.list_cards(session, mine, params)
    wallets = await service.wallets_of_owners(session, cards)
    items = [CardOut.of(c, settings.uri, wallets) for c in cards]
    return CardPage(items=items, next_cursor=cursor)


@router.get(
    "/cards/{card_id}", tags=["cards"], response_model=CardOut, responses=problem_responses(404)
)
async def get_card(card_id: str, session: Session, settings: SettingsDep) -> CardOut:
    """One card: its company, owner, status, mint address, metadata URI and last sale."""
    card = await service.get_card(session, card_id)
    wallets = await service.wallets_of_owners(session, [card])
    return CardOut.of(card, settings.uri, wallets)


@router.get(
    "/cards/{card_id}/history",
    tags=["cards"],
    response_model=CardEventPage,
    responses=problem_responses(404, 422),
)
async def card_history(card_id: str, session: Session, params: Pages) -> CardEventPage:
    """The card's mint, transfers and sales (with prices), withdrawals and deposits."""
    events, cursor = await service.card_history(session, card_id, params)
    wallets = await service.wallets_in_history(session, events)
    items = [CardEventOut.of(e, wallets) for e in events]
    return CardEventPage(items=items, next_cursor=cursor)


@router.get(
    "/cards/{card_id}/image.svg",
    tags=["cards"],
    response_class=Response,
    responses={200: {"content": {IMAGE_MIME_TYPE: {}}}, **problem_responses(404)},
)
async def card_image(card_id: str, session: Session, blockstore: BlockstoreDep) -> Response:
    """The card's artwork as minted."""
    svg = await service.card_image(session, blockstore, card_id)
    # Fixed at mint, but addressed by card id rather than content: cache a day, not forever.
    headers = {"Cache-Control": "public, max-age=86400", **SVG_SAFETY}
    return Response(svg, media_type=IMAGE_MIME_TYPE, headers=headers)


# --- IPFS gateway ---------------------------------------------------------------------------


@gateway.get(
    "/ipfs/{cid}",
    response_class=Response,
    responses={
        200: {"content": {"application/json": {}, IMAGE_MIME_TYPE: {}}},
        304: {"description": "Not Modified"},
        **problem_responses(400, 404),
    },
)
async def ipfs_block(
    cid: Annotated[
        str, Path(description="CIDv1 (base32) or CIDv0", json_schema_extra=stated(CID_PATTERN))
    ],
    blockstore: BlockstoreDep,
    if_none_match: Annotated[str | None, Header()] = None,
) -> Response:
    """Card metadata and art by content address, like an IPFS path gateway."""
    data, content_type = await service.fetch_block(blockstore, cid)
    etag = f'"{cid}"'
    headers = {"Cache-Control": IMMUTABLE, "ETag": etag, "X-Ipfs-Path": f"/ipfs/{cid}"}
    if content_type == IMAGE_MIME_TYPE:
        headers.update(SVG_SAFETY)
    if if_none_match is not None and etag in {t.strip() for t in if_none_match.split(",")}:
        return Response(status_code=status.HTTP_304_NOT_MODIFIED, headers=headers)
    return Response(data, media_type=content_type, headers=headers)
