"""Buying a listing: one conditional UPDATE both checks and takes it (``repository.take_listing``),
so of any number of buyers at once exactly one wins, on either backend, and a price the buyer
did not accept is refused. Only when it matches nothing is the listing read, and
``rules.buy_refusal`` says why."""

from __future__ import annotations

from datetime import datetime
from typing import NoReturn

from sqlalchemy.ext.asyncio import AsyncSession

from ece.auth.service import User
from ece.cards.service import CardOwner
from ece.compliance import service as compliance
from ece.config import Settings
from ece.core.clock import utcnow
from ece.core.money import MAX_AMOUNT, Asset
from ece.market import closed, repository, rules
from ece.market.listing_reads import actor
from ece.market.models import ListingStatus
from ece.market.rules import Actor
from ece.settlement import service as settlement
from ece.settlement.service import SaleSource, SettledSale


async def _why_not_bought(
    session: AsyncSession,
    buyer: Actor,
    listing_id: str,
    now: datetime,
    limit: int | None,
    *,
    learn: bool,
) -> NoReturn:
    """Raise the reason a buy's conditional UPDATE matched nothing (``learn``: the transaction
    wrote nothing of the listing's, so a closed public listing read here is committed and is
    remembered, ``ece.market.closed``)."""
    listing = await repository.fresh_listing(session, listing_id)
    if listing is None:
        raise rules.listing_not_found()
    if learn and listing.taker_address is None and listing.status != ListingStatus.active.value:
        closed.remember(listing_id)
    # No refusal now: it changed between the UPDATE and this read, another buyer won it.
    raise rules.buy_refusal(listing, buyer, now, limit) or rules.unavailable()


async def _buy_in_one_call(
    session: AsyncSession,
    settings: Settings,
    user: User,
    listing_id: str,
    now: datetime,
    limit: int | None,
    allowance: compliance.PurchaseAllowance | None,
    *,
    learn: bool,
) -> SettledSale:
    """``buy_listing`` settled by ``settlement.settle_listing_in_one_call``: the same refusals
    in the same order (the listing's, the KYC limit's, then the card's or the ledger's)."""
    if allowance is None:
        allowance = await compliance.purchase_allowance(session, settings, user)
    buy = settlement.ListingBuy(
        listing_id, user.id, user.address, now, limit, settings.platform_fee_bps
    )
    done = await settlement.settle_listing_in_one_call(session, buy)
    if done.sale is None:
        await _why_not_bought(session, actor(user), listing_id, now, limit, learn=learn)
    if learn and done.public:
        closed.remember_once_committed(session, listing_id)
    await allowance.spend(done.sale.price, Asset(done.sale.currency))
    refused = await settlement.one_call_refusal(session, done)
    if refused is not None:
        raise refused
    return SettledSale(done.sale, done.seller_address, user.address)


async def _limit(
    session: AsyncSession, listing_id: str, max_price: str | None, limit: int | None
) -> int | None:
    """The highest price the buyer accepts, in base units: ``max_price`` (a decimal string
    in the listing's currency) and ``limit``."""
    if max_price is None:
        return limit
    currency = await repository.listing_currency(session, listing_id)
    if currency is None:
        raise rules.listing_not_found()
    return min(limit or MAX_AMOUNT, rules.parse_price(max_price, Asset(currency)))


async def buy_listing(
    session: AsyncSession,
    settings: Settings,
    user: User,
    listing_id: str,
    max_price: str | None,
    source: SaleSource = SaleSource.listing,
    *,
    limit: int | None = None,
    allowance: compliance.PurchaseAllowance | None = None,
    learn_closed: bool = False,
    one_call: bool | None = None,
) -> SettledSale:
    """Buy an active listing at its price, if it is at most ``max_price`` (a decimal string in
    the listing's currency) and ``limit`` (base units). 409 ``own_listing``,
    ``listing_unavailable``, ``price_above_max``, ``insufficient_funds``; 404
    ``listing_not_found`` (also for a private listing reserved for someone else); 403
    ``kyc_required`` past the buyer's 24 h purchase limit (``allowance``: a sweep's, read
    once; the refusal rolls the taken listing back with the request). A listing known closed
    (``ece.market.closed``) is refused before any statement; ``learn_closed``: the caller's
    transaction has written nothing else of listings (a single buy), so a refusal may teach it.

    A buy from a listing (``source`` listing) settles in one database call (``one_call``: None
    for the database's default, ``settlement.in_one_call``: PostgreSQL's function, SQLite's
    one hop to its driver's thread); with ``one_call=False``, and for sweeps, statement by
    statement. Both give the same rows and answers.
    """
    if closed.known(listing_id):
        raise rules.unavailable()
    now = utcnow()
    buyer = actor(user)
    limit = await _limit(session, listing_id, max_price, limit)
    if one_call is None:
        one_call = source is SaleSource.listing and settlement.in_one_call(session)
    if one_call:
        return await _buy_in_one_call(
            session, settings, user, listing_id, now, limit, allowance, learn=learn_closed
        )
    taken = await repository.take_listing(session, listing_id, buyer, now, limit)
    if taken is None:
        await _why_not_bought(session, buyer, listing_id, now, limit, learn=learn_closed)
    listing = taken.listing
    if learn_closed and listing.taker_address is None:
        closed.remember_once_committed(session, listing.id)
    if allowance is None:
        allowance = await compliance.purchase_allowance(session, settings, user)
    await allowance.spend(listing.price, Asset(listing.currency))
    # The listing row says who sells which card (the card's move is conditional on that
    # owner and the listing's lock): no read of the card, its company or the seller's wallet.
    seller = (
        CardOwner.user(listing.seller_id)
        if listing.seller_kind == rules.USER
        else CardOwner.issuer(listing.seller_id)
    )
    goods = settlement.Goods(listing.card_id, listing.company_id, taken.royalty_bps, seller)
    sale = await settlement.settle_sale(
        session,
        goods,
        user.id,
        listing.price,
        Asset(listing.currency),
        source,
        listing.id,
        fee_bps=settings.platform_fee_bps,
    )
    # Its one event, ``trade.executed``, names the listing (``source`` listing, ``ref`` its id):
    # no ``listing.filled`` repeats it.
    return SettledSale(sale, taken.seller_address, user.address)
