"""The 24 h limits by KYC level, checked before anything is held: withdrawals (payments asks,
passing its own usage query) and purchases (buys, sweeps, offers and bids at placement; the
level comes with the signed-in user, the usage from settlement). Pure arithmetic is in
``kyc_rules``."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from ece.auth import service as auth
from ece.auth.service import User
from ece.compliance import kyc_rules as rules
from ece.compliance.kyc import kyc_level
from ece.compliance.kyc_rules import Activity, Level
from ece.compliance.overrides import override_limits
from ece.config import Settings
from ece.core.clock import utcnow
from ece.core.money import Asset
from ece.settlement import service as settlement

WINDOW = timedelta(hours=24)


def _limits(settings: Settings) -> dict[Level, int | None]:
    return {level: settings.kyc_limit(level.value) for level in Level}


def purchases_unlimited(settings: Settings, buyer: User) -> bool:
    """Whether the buyer's level has no purchase limit: ``check_purchase`` then never refuses
    and costs no statement (the level comes with the signed-in user)."""
    return _limits(settings)[Level(buyer.kyc_level)] is None


def usdc_equivalent(settings: Settings, amounts: Mapping[Asset, int]) -> int:
    """The USDC-equivalent (base units) of amounts per asset, ECE at ECE_ECE_PRICE_USDC."""
    price = settings.ece_price_usdc_units
    return sum(rules.usdc_equivalent(v, a, price) for a, v in amounts.items())


async def override_limit(
    session: AsyncSession, settings: Settings, user_id: str, activity: Activity
) -> int | None:
    """The user's approved, unexpired limit override for ``activity`` in USDC base units (the
    highest, if several), or None."""
    found = await override_limits(session, user_id, activity)
    values = [usdc_equivalent(settings, {asset: amount}) for amount, asset in found]
    return max(values, default=None)


UsedSince = Callable[[datetime], Awaitable[Mapping[Asset, int]]]


async def check_within_limit(
    session: AsyncSession,
    settings: Settings,
    user_id: str,
    activity: Activity,
    amount: int,
    asset: Asset,
    used_since: UsedSince,
) -> None:
    """403 ``kyc_required`` (with ``level_required``) if ``amount`` of ``asset`` and what
    ``used_since(now - 24 h)`` says was already used pass the user's level's limit. The usage
    is not read at all for a level without a limit. The user's row is locked first, so two
    requests at once cannot both fit under the same remaining limit."""
    level = await kyc_level(session, user_id)
    limits = _limits(settings)
    if limits[level] is None:
        return
    await auth.lock_user(session, user_id)
    value = usdc_equivalent(settings, {asset: amount})
    used = usdc_equivalent(settings, await used_since(utcnow() - WINDOW))
    required = rules.level_required(level, used, value, limits)
    if required is None:
        return
    raised = await override_limit(session, settings, user_id, activity)
    if raised is None or used + value > raised:
        raise rules.kyc_required(required, activity)


OverrideLoader = Callable[[], Awaitable[int | None]]


@dataclass(slots=True)
class PurchaseAllowance:
    """What a buyer may still spend on purchases in this 24 h window (None = unlimited);
    read once, spent by each purchase of a request (a sweep reads it once). An approved limit
    override is read only when the level's limit would refuse a purchase."""

    level: Level
    used: int
    limits: dict[Level, int | None]
    ece_price: int
    load_override: OverrideLoader | None = None
    override: list[int | None] = field(default_factory=list)  # [] until read, then [value]

    async def spend(self, amount: int, asset: Asset) -> None:
        """Count a purchase, or 403 ``kyc_required`` if it passes the level's limit (and the
        buyer's limit override, if one applies)."""
        if self.limits[self.level] is None:
            return
        value = rules.usdc_equivalent(amount, asset, self.ece_price)
        required = rules.level_required(self.level, self.used, value, self.limits)
        if required is not None:
            if not self.override:
                loaded = await self.load_override() if self.load_override else None
                self.override.append(loaded)
            raised = self.override[0]
            if raised is None or self.used + value > raised:
                raise rules.kyc_required(required, Activity.purchase)
        self.used += value


async def purchase_allowance(
    session: AsyncSession, settings: Settings, buyer: User
) -> PurchaseAllowance:
    """The buyer's allowance: the level comes with the signed-in user (no query); for a level
    with a limit only, the purchases settled in the last 24 h (one indexed query on
    ``sales``)."""
    level = Level(buyer.kyc_level)
    limits = _limits(settings)
    allowance = PurchaseAllowance(
        level,
        0,
        limits,
        settings.ece_price_usdc_units,
        lambda: override_limit(session, settings, buyer.id, Activity.purchase),
    )
    if limits[level] is not None:
        bought = await settlement.purchased_since(session, buyer.id, utcnow() - WINDOW)
        allowance.used = usdc_equivalent(settings, bought)
    return allowance


async def check_purchase(
    session: AsyncSession, settings: Settings, buyer: User, amount: int, asset: Asset
) -> None:
    """403 ``kyc_required`` if a purchase (or an offer or bid hold, counted at placement) of
    ``amount`` passes the buyer's 24 h purchase limit."""
    await (await purchase_allowance(session, settings, buyer)).spend(amount, asset)
