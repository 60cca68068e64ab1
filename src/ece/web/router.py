"""HTML routes: read one page's data from the services, render its template.

Pages only read. Every action on a page is a small script posting to the JSON API (with the
session cookie, the CSRF header and an ``Idempotency-Key``), so there is one write path.
"""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator, Callable, Coroutine
from dataclasses import dataclass
from typing import Annotated, Any

from fastapi import APIRouter, Path, Query, Request, Response
from fastapi.responses import FileResponse, HTMLResponse
from fastapi.routing import APIRoute
from sqlalchemy.ext.asyncio import AsyncSession

from ece.auth import service as auth_service
from ece.auth.deps import SESSION_COOKIE
from ece.auth.service import Role, User
from ece.controls.service import Scope
from ece.core.errors import DomainError, Unauthorized
from ece.realtime import service as realtime
from ece.runtime.deps import services_of
from ece.web import (
    account_views,
    audit_views,
    battle_views,
    collection_views,
    compliance_views,
    treasury_views,
    views,
)
from ece.web.templating import STATIC_DIR, templates

Text = Annotated[str, Query(max_length=200)]
Cursor = Annotated[str | None, Query(max_length=512)]
AUCTION_TABS = ("live", "upcoming", "ended")
AUCTION_SORTS = ("ending", "newest", "price")


def render(
    request: Request, template: str, viewer: User | None, *, status: int = 200, **context: Any
) -> HTMLResponse:
    settings = services_of(request).settings
    response = templates.TemplateResponse(
        request,
        template,
        {
            "viewer": viewer,
            # The in-browser dev wallet and the faucet exist outside staging and production.
            "dev": not settings.is_deployed,
            "path": request.url.path,
            # The banner on every page while anything is paused (as this process last read it).
            "pauses": list(services_of(request).pauses.known().values()),
            # The newest event the page reflects: live.js subscribes from it (see ``reading``).
            "live_from": getattr(request.state, "live_from", None),
            **context,
        },
        status_code=status,
    )
    # Pages show the viewer's own data: never kept by shared caches. The service worker keeps
    # its own copy of the portfolio for offline reading.
    response.headers["Cache-Control"] = "private, no-cache"
    return response


class WebRoute(APIRoute):
    """A domain error on a page (an unknown card, say) is an HTML page, not problem+json."""

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        endpoint = super().get_route_handler()

        async def handler(request: Request) -> Response:
            try:
                return await endpoint(request)
            except DomainError as exc:
                return render(request, "error.html", None, status=exc.status, detail=exc.detail)

        return handler


router = APIRouter(route_class=WebRoute, include_in_schema=False)


@dataclass(frozen=True)
class Reading:
    session: AsyncSession
    viewer: User | None


@contextlib.asynccontextmanager
async def reading(request: Request) -> AsyncIterator[Reading]:
    """One read-only unit of work and the signed-in browser user, if any."""
    await services_of(request).pauses.current()  # the banner is at most one refresh old
    async with services_of(request).db.unit_of_work(write=False) as session:
        # First, so that every event after it is replayed to the page's live channel: one
        # committed between this read and the page's subscription would otherwise be missed.
        request.state.live_from = await realtime.resume_point(session)
        viewer = None
        token = request.cookies.get(SESSION_COOKIE)
        if token:
            # An expired or revoked cookie just means "signed out" on a page.
            with contextlib.suppress(Unauthorized):
                viewer, _ = await auth_service.authenticate(session, token)
        yield Reading(session, viewer)


# --- public pages -----------------------------------------------------------------------------


@router.get("/", response_class=HTMLResponse)
async def home(request: Request) -> Response:
    async with reading(request) as r:
        page = await views.home(r.session, r.viewer)
        steps = (
            await account_views.first_run(r.session, services_of(request).settings, r.viewer)
            if r.viewer
            else []
        )
    return render(request, "home.html", r.viewer, page=page, first_run=steps)


@router.get("/explore", response_class=HTMLResponse)
async def explore(
    request: Request,
    q: Text = "",
    company: Text = "",
    sector: Text = "",
    rarity: Text = "",
    listed: Text = "",
    currency: Text = "USDC",
    min_price: Text = "",
    max_price: Text = "",
    sort: Text = "newest",
    cursor: Cursor = None,
    fragment: Text = "",
) -> Response:
    if not request.query_params:
        # A first visit shows what can be bought, cheapest first; any filter sent says otherwise.
        listed, sort = "1", "price_asc"
    query = views.ExploreQuery(
        q=q.strip(),
        company=company,
        sector=sector,
        rarity=rarity,
        listed=bool(listed),
        currency=currency,
        min_price=min_price.strip(),
        max_price=max_price.strip(),
        sort=sort,
        cursor=cursor,
        # The five attribute ranges (min_power ... max_influence), 0 to 100.
        stats={k: request.query_params.get(k, "").strip()[:8] for k in views.STAT_FIELDS},
    )
    async with reading(request) as r:
        page = await views.explore(r.session, query, r.viewer)
    # "Load more" (and infinite scroll) fetch only the next tiles.
    template = "_explore_results.html" if fragment else "explore.html"
    return render(request, template, r.viewer, page=page, next_url=_next_url(request, page))


def _next_url(request: Request, page: views.ExplorePage) -> str | None:
    if page.next_cursor is None:
        return None
    params = {k: v for k, v in request.query_params.items() if k not in ("cursor", "fragment")}
    return str(request.url.replace_query_params(**params, cursor=page.next_cursor))


@router.get("/companies", response_class=HTMLResponse)
async def companies(request: Request, sort: Text = "volume", currency: Text = "USDC") -> Response:
    """Every company, sortable by 7 d volume, floor and 24 h change."""
    async with reading(request) as r:
        page = await views.companies_page(r.session, sort, currency)
    return render(request, "companies.html", r.viewer, page=page)


@router.get("/companies/{id_or_ticker}", response_class=HTMLResponse)
async def company(request: Request, id_or_ticker: str, currency: Text = "USDC") -> Response:
    async with reading(request) as r:
        page = await views.company(r.session, id_or_ticker, currency, r.viewer)
        battles = await battle_views.company_history(r.session, id_or_ticker)
    return render(request, "company.html", r.viewer, page=page, battles=battles)


@router.get("/cards/{card_id}", response_class=HTMLResponse)
async def card(request: Request, card_id: str) -> Response:
    async with reading(request) as r:
        settings = services_of(request).settings
        page = await views.card(
            r.session,
            card_id,
            settings.uri,
            r.viewer,
            settings.listing_default_ttl_seconds,
            settings.offer_default_ttl_seconds,
        )
        battles = await battle_views.card_history(r.session, card_id)
    return render(request, "card.html", r.viewer, page=page, battles=battles)


@router.get("/u/{address}", response_class=HTMLResponse)
async def collector(request: Request, address: Annotated[str, Path(max_length=64)]) -> Response:
    """A collector's public profile: showcase, stats and recent sales, unless hidden."""
    async with reading(request) as r:
        profile = await collection_views.profile(r.session, address)
    return render(request, "profile.html", r.viewer, profile=profile)


@router.get("/activity", response_class=HTMLResponse)
async def activity(
    request: Request, type: Text = "", company: Text = "", cursor: Cursor = None
) -> Response:
    async with reading(request) as r:
        page = await views.activity(r.session, type, company, cursor)
    return render(request, "activity.html", r.viewer, page=page)


@router.get("/auctions", response_class=HTMLResponse)
async def auctions(
    request: Request,
    status: Text = "live",
    sort: Text = "ending",
    company: Text = "",
    currency: Text = "",
) -> Response:
    """The page shell: the browser fills it from ``GET /api/v1/auctions`` and keeps it fresh."""
    async with reading(request) as r:
        page = await views.auctions_page(r.session, company, currency)
    return render(
        request,
        "auctions.html",
        r.viewer,
        page=page,
        tab=status if status in AUCTION_TABS else "live",
        sort=sort if sort in AUCTION_SORTS else "ending",
        tabs=AUCTION_TABS,
    )


@router.get("/auctions/{auction_id}", response_class=HTMLResponse)
async def auction(request: Request, auction_id: Annotated[str, Path(max_length=64)]) -> Response:
    """The page shell: price, countdown, bids and the bid form come from the JSON API."""
    async with reading(request) as r:
        viewer = r.viewer
    return render(request, "auction.html", viewer, auction_id=auction_id)


@router.get("/battles", response_class=HTMLResponse)
async def battles(request: Request, status: Text = "all", cursor: Cursor = None) -> Response:
    """Battles by phase; admins also get the form that opens one."""
    async with reading(request) as r:
        page = await battle_views.list_page(r.session, status, cursor)
    return render(request, "battles.html", r.viewer, page=page, tabs=battle_views.TABS)


@router.get("/battles/{battle_id}", response_class=HTMLResponse)
async def battle(request: Request, battle_id: Annotated[str, Path(max_length=64)]) -> Response:
    """The arena: sides, staked cards, vote bars, countdowns, the enter and vote forms, and
    once settled the result and the proof. It reloads on the battle's live events."""
    async with reading(request) as r:
        page = await battle_views.arena(r.session, battle_id, r.viewer)
    return render(request, "battle.html", r.viewer, page=page)


# --- signed-in pages --------------------------------------------------------------------------


async def _signed_in_page(
    request: Request,
    title: str,
    template: str,
    load: Callable[[AsyncSession, User], Coroutine[Any, Any, Any]],
) -> Response:
    """``template`` with what ``load`` reads for the signed-in user; anyone else gets the
    sign-in prompt titled ``title``."""
    async with reading(request) as r:
        if r.viewer is None:
            return render(request, "signin.html", None, title=title)
        page = await load(r.session, r.viewer)
    return render(request, template, r.viewer, page=page)


@router.get("/wallet", response_class=HTMLResponse)
async def wallet(request: Request, cursor: Cursor = None) -> Response:
    settings = services_of(request).settings
    return await _signed_in_page(
        request,
        "Wallet",
        "wallet.html",
        lambda session, viewer: account_views.wallet(session, settings, viewer, cursor),
    )


@router.get("/admin/pause", response_class=HTMLResponse)
async def admin_pause(request: Request) -> Response:
    """The emergency switch: pause or resume a scope (admins; the forms post to the API)."""
    async with reading(request) as r:
        viewer = r.viewer
    if viewer is None:
        return render(request, "signin.html", None, title="Emergency pause")
    if not viewer.has_role(Role.admin):
        return render(request, "error.html", viewer, status=403, detail="Admins only")
    return render(request, "admin_pause.html", viewer, scopes=list(Scope))


@router.get("/portfolio", response_class=HTMLResponse)
async def portfolio(request: Request) -> Response:
    return await _signed_in_page(request, "My cards", "portfolio.html", account_views.portfolio)


@router.get("/collection", response_class=HTMLResponse)
async def collection(request: Request) -> Response:
    """Portfolio with cost basis and P&L, CSV exports, watchlist and price alerts."""
    return await _signed_in_page(
        request, "Collection", "collection.html", collection_views.collection
    )


@router.get("/offers", response_class=HTMLResponse)
async def offers(request: Request) -> Response:
    return await _signed_in_page(request, "Offers", "offers.html", account_views.market_offers)


@router.get("/trades", response_class=HTMLResponse)
async def trades(request: Request) -> Response:
    return await _signed_in_page(request, "Trade offers", "trades.html", account_views.trades)


@router.get("/trades/new", response_class=HTMLResponse)
async def trade_new(
    request: Request,
    to: Annotated[str, Query(max_length=64)] = "",
    want: Annotated[list[str] | None, Query(max_length=32)] = None,
    counter: Annotated[str | None, Query(max_length=32)] = None,
) -> Response:
    return await _signed_in_page(
        request,
        "New trade offer",
        "trade_new.html",
        lambda session, viewer: account_views.composer(
            session, viewer, to.strip(), want or [], counter
        ),
    )


@router.get("/trades/{offer_id}", response_class=HTMLResponse)
async def trade(request: Request, offer_id: str) -> Response:
    return await _signed_in_page(
        request,
        "Trade offer",
        "trade.html",
        lambda session, viewer: account_views.trade(session, viewer, offer_id),
    )


@router.get("/audit", response_class=HTMLResponse)
async def audit_log(
    request: Request,
    actor: Text = "",
    action: Text = "",
    object_type: Text = "",
    object_id: Text = "",
    since: Annotated[str, Query(alias="from", max_length=40)] = "",
    until: Annotated[str, Query(alias="to", max_length=40)] = "",
    cursor: Cursor = None,
) -> Response:
    """Admins and compliance officers: the chain's status, then the entries (403 for others)."""
    values = (actor, action, object_type, object_id, since, until)
    typed = dict(zip(audit_views.FILTERS, values, strict=True))
    return await _signed_in_page(
        request,
        "Audit log",
        "audit.html",
        lambda session, viewer: audit_views.audit_page(session, viewer, typed, cursor),
    )


# --- staff pages ------------------------------------------------------------------------------


@router.get("/compliance", response_class=HTMLResponse)
async def compliance_console(request: Request) -> Response:
    """The compliance console: compliance officers and admins only."""
    settings = services_of(request).settings
    async with reading(request) as r:
        if r.viewer is None:
            return render(request, "signin.html", None, title="Compliance")
        if not r.viewer.has_role(Role.compliance, Role.admin):
            return render(
                request, "error.html", r.viewer, status=403, detail="Compliance staff only."
            )
        page = await compliance_views.console(r.session, settings)
    return render(request, "compliance.html", r.viewer, page=page)


# --- the installable app ----------------------------------------------------------------------


@router.get("/treasury", response_class=HTMLResponse)
async def treasury_console(request: Request) -> Response:
    """Summary, batches and payouts; signers sign with their wallet, admins run a batch."""
    services = services_of(request)
    return await _signed_in_page(
        request,
        "Treasury",
        "treasury.html",
        lambda session, viewer: treasury_views.console(
            session, services.settings, services.chain, services.platform, viewer
        ),
    )


@router.get("/companies/{company_id}/statement", response_class=HTMLResponse)
async def company_statement(
    request: Request, company_id: Annotated[str, Path(max_length=64)]
) -> Response:
    return await _signed_in_page(
        request,
        "Statement",
        "statement.html",
        lambda session, viewer: treasury_views.statement(session, viewer, company_id),
    )


@router.get("/offline", response_class=HTMLResponse)
async def offline(request: Request) -> Response:
    """The page the service worker shows for a page it has no copy of."""
    return render(request, "offline.html", None)


@router.get("/sw.js")
async def service_worker() -> Response:
    # Served from the root so its scope is the whole site; always revalidated so an update
    # reaches browsers on their next visit.
    return FileResponse(
        STATIC_DIR / "sw.js",
        media_type="text/javascript",
        headers={"Cache-Control": "no-cache"},
    )


@router.get("/docs", response_class=HTMLResponse)
async def api_docs(request: Request) -> Response:
    """Swagger UI from our own origin: its script and styles pass the pages' CSP."""
    return templates.TemplateResponse(request, "docs.html", {})


@router.get("/manifest.webmanifest")
async def manifest() -> Response:
    return FileResponse(STATIC_DIR / "manifest.webmanifest", media_type="application/manifest+json")


# --- compliance console: screening, risk and reviews (staff) --------------------------------


async def _staff_page(
    request: Request,
    title: str,
    template: str,
    load: Callable[[AsyncSession], Coroutine[Any, Any, Any]],
) -> Response:
    """A compliance console page: the sign-in prompt for strangers, 403 for non-staff."""
    async with reading(request) as r:
        if r.viewer is None:
            return render(request, "signin.html", None, title=title)
        if not compliance_views.is_officer(r.viewer):
            detail = "Compliance officers only."
            return render(request, "error.html", r.viewer, status=403, detail=detail)
        page = await load(r.session)
    return render(request, template, r.viewer, page=page)


@router.get("/compliance/reviews", response_class=HTMLResponse)
async def compliance_reviews(
    request: Request, status: Text = "open", cursor: Cursor = None
) -> Response:
    return await _staff_page(
        request,
        "Review queue",
        "compliance_reviews.html",
        lambda session: compliance_views.reviews(session, status, cursor),
    )


@router.get("/compliance/denylist", response_class=HTMLResponse)
async def compliance_denylist(request: Request, cursor: Cursor = None) -> Response:
    return await _staff_page(
        request,
        "Deny list",
        "compliance_denylist.html",
        lambda session: compliance_views.denylist(session, cursor),
    )


@router.get("/compliance/checks", response_class=HTMLResponse)
async def compliance_checks(
    request: Request,
    subject_type: Text = "",
    min_score: Annotated[int | None, Query(ge=0, le=100)] = None,
    cursor: Cursor = None,
) -> Response:
    return await _staff_page(
        request,
        "Compliance checks",
        "compliance_checks.html",
        lambda session: compliance_views.checks(session, subject_type, min_score, cursor),
    )
