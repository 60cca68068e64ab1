"""HTTP for listings, buying, sweeps and offers."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request, Response, status

from ece.auth import service as auth_service
from ece.auth.deps import CurrentUser, Idempotent, IdempotentInWork, presented_token
from ece.auth.service import User
from ece.cards.service import Rarity
from ece.controls.deps import TRADING_OPEN
from ece.core.errors import Unprocessable, problem_responses
from ece.core.money import AMOUNT_PATTERN, AmountText, Asset
from ece.core.pagecache import PageCache
from ece.core.pagination import PageParams, page_params
from ece.core.patterns import stated
from ece.market import closed, service
from ece.market import middleware as closed_buys
from ece.market.schemas import (
    AcceptIn,
    BestOffersOut,
    BuyIn,
    ListingBatchIn,
    ListingBatchOut,
    ListingCancelBatchIn,
    ListingCancelBatchOut,
    ListingIn,
    ListingOut,
    ListingPage,
    ListingPatch,
    OfferIn,
    OfferOut,
    OfferPage,
    QuoteOut,
    SweepIn,
    SweepOut,
    TradeOut,
)
from ece.market.service import ListingFilters, ListingSort, OfferFilters, OfferParty, OfferStatus
from ece.runtime.deps import MARKET_ORDER_LIMIT, Session, SettingsDep, charge, services_of
from ece.runtime.routing import FAST_REFUSAL, UnitOfWorkRoute, rendered_json

router = APIRouter(prefix="/api/v1", route_class=UnitOfWorkRoute)

Pages = Annotated[PageParams, Depends(page_params)]


async def optional_viewer(request: Request, session: Session) -> User | None:
    """The signed-in caller of a public read, if any (they also see their private listings)."""
    token, _ = presented_token(request)
    if token is None:
        return None
    user, _ = await auth_service.authenticate(session, token)
    return user


Viewer = Annotated[User | None, Depends(optional_viewer)]


# --- listings -------------------------------------------------------------------------------


@router.post(
    "/listings",
    tags=["market"],
    status_code=status.HTTP_201_CREATED,
    response_model=ListingOut,
    dependencies=[*MARKET_ORDER_LIMIT, TRADING_OPEN],
    responses=problem_responses(401, 403, 404, 409, 422, 429),
)
async def create_listing(
    body: ListingIn,
    user: CurrentUser,
    _idempotency: Idempotent,
    session: Session,
    settings: SettingsDep,
) -> ListingOut:
    """List a card you own at a fixed price; the card is locked until the listing ends."""
    view = await service.create_listing(
        session,
        settings,
        user,
        body.card_id,
        body.base_units,
        body.currency,
        body.expires_at,
        body.taker,
    )
    return ListingOut.of(view)


@router.post(
    "/listings/batch",
    tags=["market"],
    response_model=ListingBatchOut,
    dependencies=[TRADING_OPEN],
    responses=problem_responses(401, 409, 422, 429),
)
async def create_listings(
    request: Request,
    body: ListingBatchIn,
    user: CurrentUser,
    _idempotency: Idempotent,
    session: Session,
    settings: SettingsDep,
) -> ListingBatchOut:
    """List up to 100 cards at once, each exactly as ``POST /listings`` would (ownership, a
    card not already locked, the price, the expiry). ``all_or_nothing`` (default): any refused
    item lists nothing, 409 ``batch_failed`` with ``failed`` [{index, card_id, code, detail}];
    ``best_effort``: the refused items are reported with the code a single listing would give.
    Each item counts as one order against the market order rate limit."""
    await charge(request, "rate_limit_orders", "market_orders", len(body.items))
    results = await service.create_listings(session, settings, user, body.new_listings(), body.mode)
    return ListingBatchOut.of(body.mode, results)


@router.post(
    "/listings/batch-cancel",
    tags=["market"],
    response_model=ListingCancelBatchOut,
    responses=problem_responses(401, 409, 422),
)
async def cancel_listings(
    body: ListingCancelBatchIn,
    user: CurrentUser,
    _idempotency: Idempotent,
    session: Session,
) -> ListingCancelBatchOut:
    """Cancel up to 100 of your listings at once, each as ``DELETE /listings/{id}`` would.
    ``all_or_nothing`` (default): any refused item cancels nothing (409 ``batch_failed``, ``failed``
    [{index, listing_id, code, detail}]);
    ``best_effort``: the refused items are reported with their code."""
    results = await service.cancel_listings(session, user, body.listing_ids, body.mode)
    return ListingCancelBatchOut.of(body.mode, results)


async def listing_filters(
    company: Annotated[str | None, Query(max_length=32, description="Company id or ticker")] = None,
    rarity: Rarity | None = None,
    currency: Asset | None = None,
    min_price: Annotated[AmountText | None, Query(description="Needs currency")] = None,
    max_price: Annotated[AmountText | None, Query(description="Needs currency")] = None,
    card: Annotated[str | None, Query(max_length=32, description="Card id")] = None,
    sort: ListingSort = ListingSort.price_asc,
) -> ListingFilters:
    bounds: list[int | None] = []
    for name, text in (("min_price", min_price), ("max_price", max_price)):
        if text is None:
            bounds.append(None)
            continue
        if currency is None:
            raise Unprocessable(f"{name} needs currency.", code="validation_error")
        bounds.append(service.parse_price(text, currency))
    return ListingFilters(
        company=company,
        rarity=rarity.value if rarity else None,
        currency=currency,
        min_price=bounds[0],
        max_price=bounds[1],
        card_id=card,
        sort=sort,
    )


@router.get(
    "/listings", tags=["market"], response_model=ListingPage, responses=problem_responses(401, 422)
)
async def list_listings(
    request: Request,
    response: Response,
    session: Session,
    viewer: Viewer,
    params: Pages,
    filters: Annotated[ListingFilters, Depends(listing_filters)],
) -> Response:
    """Active listings (never expired ones). ``price_*`` sorts order ECE before USDC, each by
    price; filter by ``currency`` for one price ladder."""
    # Anonymous pages come from memory until a listing changes (ece.core.pagecache); a
    # signed-in caller may see private listings, and always reads the database.
    # (PageCacheMiddleware answers a cached one before routing; the key is the query string.)
    cache: PageCache = services_of(request).listing_pages
    key = None if viewer is not None else bytes(request.scope["query_string"])
    generation = cache.generation()
    views, cursor = await service.list_listings(session, filters, params, viewer)
    body = ListingPage(items=[ListingOut.of(v) for v in views], next_cursor=cursor)
    rendered = body.model_dump_json().encode()
    if key is not None:
        # Time alone changes the page when its first listing expires.
        ends = min((v.listing.expires_at for v in views), default=None)
        cache.put(key, rendered, generation, ends)
    return rendered_json(rendered, response)


@router.get(
    "/listings/{listing_id}",
    tags=["market"],
    response_model=ListingOut,
    responses=problem_responses(401, 404),
)
async def get_listing(listing_id: str, session: Session, viewer: Viewer) -> ListingOut:
    """One listing, in any status (an active listing past its expiry shows as expired). A
    private listing is 404 ``listing_not_found`` to anyone but its seller and its taker."""
    return ListingOut.of(await service.get_listing(session, listing_id, viewer))


@router.patch(
    "/listings/{listing_id}",
    tags=["market"],
    response_model=ListingOut,
    dependencies=[TRADING_OPEN],
    responses=problem_responses(401, 403, 404, 409, 422),
)
async def update_listing(
    listing_id: str, body: ListingPatch, user: CurrentUser, session: Session, settings: SettingsDep
) -> ListingOut:
    """Change the price (in the listing's currency) or the expiry of your active listing."""
    view = await service.update_listing(
        session, settings, user, listing_id, body.price, body.expires_at
    )
    return ListingOut.of(view)


@router.delete(
    "/listings/{listing_id}",
    tags=["market"],
    response_model=ListingOut,
    responses=problem_responses(401, 403, 404, 409),
)
async def cancel_listing(listing_id: str, user: CurrentUser, session: Session) -> ListingOut:
    """Cancel your active listing; the card is free again."""
    return ListingOut.of(await service.cancel_listing(session, user, listing_id))


@router.post(
    "/listings/{listing_id}/buy",
    tags=["market"],
    status_code=status.HTTP_201_CREATED,
    response_model=TradeOut,
    dependencies=[*MARKET_ORDER_LIMIT, TRADING_OPEN],
    responses=problem_responses(401, 403, 404, 409, 422, 429),
)
async def buy_listing(
    listing_id: str,
    user: CurrentUser,
    _idempotency: IdempotentInWork,
    session: Session,
    settings: SettingsDep,
    body: BuyIn | None = None,
) -> TradeOut:
    """Buy the listing now: the card and the money change hands at once. 409 ``own_listing``,
    ``listing_unavailable``, ``insufficient_funds``, ``price_above_max``; 404 for a private
    listing reserved for someone else."""
    trade = await service.buy_listing(
        session, settings, user, listing_id, body.max_price if body else None, learn_closed=True
    )
    return TradeOut.of(trade)


class _ClosedListingRefusal:
    """A buy of a listing this process learnt was closed while the request was already routed
    (on SQLite, while it waited for the writer): ``closed_buys.refusal``, the answer the ASGI
    layer gives the requests that arrive after."""

    def applies(self, request: Request) -> bool:
        return closed.known(request.path_params.get("listing_id", ""))

    async def answer(self, request: Request) -> Response | None:
        return await closed_buys.refusal(services_of(request), request, await request.body())

    def turn(self, request: Request) -> str | None:
        # Buys of one listing take turns: only the first can win; the rest learn from it.
        return request.path_params.get("listing_id")


setattr(buy_listing, FAST_REFUSAL, _ClosedListingRefusal())


@router.post(
    "/sweeps",
    tags=["market"],
    response_model=SweepOut,
    dependencies=[*MARKET_ORDER_LIMIT, TRADING_OPEN],
    responses=problem_responses(401, 404, 409, 422, 429),
)
async def sweep(
    body: SweepIn,
    user: CurrentUser,
    _idempotency: Idempotent,
    session: Session,
    settings: SettingsDep,
) -> SweepOut:
    """Buy several listings (by id, or the ``count`` cheapest of a company) for at most
    ``max_total``: all of them or none (409 ``sweep_failed``), or as many as possible."""
    result = await service.sweep(
        session,
        settings,
        user,
        listing_ids=body.listing_ids,
        company_id=body.company_id,
        count=body.count,
        rarity=body.rarity.value if body.rarity else None,
        currency=body.currency,
        max_total=service.parse_price(body.max_total, body.currency),
        mode=body.mode,
    )
    return SweepOut.of(result)


# --- offers ---------------------------------------------------------------------------------


@router.post(
    "/offers",
    tags=["market"],
    status_code=status.HTTP_201_CREATED,
    response_model=OfferOut,
    dependencies=[*MARKET_ORDER_LIMIT, TRADING_OPEN],
    responses=problem_responses(401, 404, 409, 422, 429),
)
async def create_offer(
    body: OfferIn,
    user: CurrentUser,
    _idempotency: Idempotent,
    session: Session,
    settings: SettingsDep,
) -> OfferOut:
    """Offer on one card, or on any ``quantity`` cards of a company matching ``filter``. The
    price * quantity is held from your balance until the offer fills, ends or is cancelled."""
    view = await service.create_offer(
        session,
        settings,
        user,
        card_id=body.card_id,
        company_id=body.company_id,
        price=body.base_units,
        currency=body.currency,
        quantity=body.quantity,
        rarity=body.filter.rarity.value if body.filter and body.filter.rarity else None,
        min_power=body.filter.min_power if body.filter else None,
        expires_at=body.expires_at,
    )
    return OfferOut.of(view)


@router.get(
    "/offers", tags=["market"], response_model=OfferPage, responses=problem_responses(401, 422)
)
async def list_offers(
    session: Session,
    viewer: Viewer,
    params: Pages,
    card: Annotated[
        str | None, Query(max_length=32, description="Offers this card can fill")
    ] = None,
    company: Annotated[str | None, Query(max_length=32, description="Company id")] = None,
    mine: Annotated[
        OfferParty | None, Query(description="made by you, or received on cards you own")
    ] = None,
    offer_status: Annotated[OfferStatus, Query(alias="status")] = OfferStatus.active,
) -> OfferPage:
    """Offers, newest first (open ones unless ``status`` says otherwise)."""
    filters = OfferFilters(card_id=card, company_id=company, mine=mine, status=offer_status)
    views, cursor = await service.list_offers(session, filters, params, viewer)
    return OfferPage(items=[OfferOut.of(v) for v in views], next_cursor=cursor)


@router.get(
    "/market/quote",
    tags=["market"],
    response_model=QuoteOut,
    response_model_exclude_none=True,
    responses=problem_responses(404, 422),
)
async def market_quote(
    session: Session,
    settings: SettingsDep,
    company_id: Annotated[str, Query(min_length=1, max_length=32)],
    price: Annotated[
        str,
        Query(
            max_length=40,
            description="Decimal string, e.g. '12.5'",
            json_schema_extra=stated(AMOUNT_PATTERN),
        ),
    ],
    currency: Asset,
    side: service.QuoteSide,
    primary: Annotated[
        bool, Query(description="A company's own first sale (an issuer listing): no royalty")
    ] = False,
) -> QuoteOut:
    """What a sale of one of the company's cards at ``price`` costs: platform fee, royalty, and
    what the buyer pays (``side=buy``) or the seller receives (``side=sell``). The same split
    settlement applies; pages show it before every buy, listing and accepted offer."""
    amount = service.parse_price(price, currency)
    found = await service.quote(
        session, settings, company_id, amount, currency, side, primary=primary
    )
    return QuoteOut.of(found)


@router.get(
    "/offers/best",
    tags=["market"],
    response_model=BestOffersOut,
    responses=problem_responses(404, 422),
)
async def best_offers(
    session: Session,
    card: Annotated[
        str | None, Query(max_length=32, description="Card id; give card or company (neither: 422)")
    ] = None,
    company: Annotated[
        str | None, Query(max_length=32, description="Company id; give card or company")
    ] = None,
) -> BestOffersOut:
    """The best open offer per currency for a card (its own and matching collection offers)
    or for a company (its collection offers)."""
    views = await service.best_offers(session, card_id=card, company_id=company)
    return BestOffersOut(items=[OfferOut.of(v) for v in views])


@router.get(
    "/offers/{offer_id}", tags=["market"], response_model=OfferOut, responses=problem_responses(404)
)
async def get_offer(offer_id: str, session: Session) -> OfferOut:
    return OfferOut.of(await service.get_offer(session, offer_id))


@router.post(
    "/offers/{offer_id}/accept",
    tags=["market"],
    status_code=status.HTTP_201_CREATED,
    response_model=TradeOut,
    dependencies=[*MARKET_ORDER_LIMIT, TRADING_OPEN],
    responses=problem_responses(401, 403, 404, 409, 422, 429),
)
async def accept_offer(
    offer_id: str,
    user: CurrentUser,
    _idempotency: Idempotent,
    session: Session,
    settings: SettingsDep,
    body: AcceptIn | None = None,
) -> TradeOut:
    """Sell your card into the offer (name the ``card_id`` for a collection offer). Your
    listing of that card, if any, ends with the sale."""
    trade = await service.accept_offer(
        session, settings, user, offer_id, body.card_id if body else None
    )
    return TradeOut.of(trade)


@router.delete(
    "/offers/{offer_id}",
    tags=["market"],
    response_model=OfferOut,
    responses=problem_responses(401, 403, 404, 409),
)
async def cancel_offer(offer_id: str, user: CurrentUser, session: Session) -> OfferOut:
    """Cancel your open offer; what it still holds is released at once."""
    return OfferOut.of(await service.cancel_offer(session, user, offer_id))
