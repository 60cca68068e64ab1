"""Withdrawals: hold the amount on the ledger (or lock the card) at once and queue the transfer;
``sender`` signs and sends it crash-safely."""

from __future__ import annotations

from dataclasses import dataclass

from solders.pubkey import Pubkey
from sqlalchemy.ext.asyncio import AsyncSession

from ece.audit import service as audit
from ece.cards import service as cards
from ece.chain.platform import Platform
from ece.chain.protocol import Chain
from ece.compliance import service as compliance
from ece.config import Settings
from ece.core.clock import utcnow
from ece.core.db import new_id
from ece.core.errors import NotFound, Unprocessable
from ece.core.money import Asset, InvalidAmount, parse_amount
from ece.core.outbox import emit
from ece.core.pagination import PageParams
from ece.ledger import service as ledger
from ece.payments import assets, destinations, repository, rules, screening
from ece.payments.models import PaymentAsset, Withdrawal, WithdrawalStatus


@dataclass(frozen=True, slots=True)
class _What:
    """What leaves: the amount in base units, where it lives on chain, the daily limit."""

    amount: int
    target: assets.OnChainAsset
    limit: int


async def create_withdrawal(
    session: AsyncSession,
    settings: Settings,
    chain: Chain,
    platform: Platform,
    user_id: str,
    asset: PaymentAsset,
    destination_text: str,
    amount_text: str | None,
    card_id: str | None,
) -> Withdrawal:
    """Hold the amount (or lock the card) and queue the on-chain transfer to ``destination``.

    422 ``invalid_destination`` / ``invalid_amount`` / ``amount_below_minimum``; 409
    ``insufficient_funds`` / ``withdrawal_limit_exceeded`` / card lock conflicts; 403
    ``kyc_required`` past the 24 h limit of the user's KYC level (coins only).
    """
    destination = await destinations.wallet(chain, platform, destination_text)
    now = utcnow()
    what = await _what(session, settings, platform, asset, amount_text, card_id)
    if asset is not PaymentAsset.CARD:  # the KYC limit, before anything is held
        await compliance.check_within_limit(
            session,
            settings,
            user_id,
            compliance.Activity.withdrawal,
            what.amount,
            Asset(asset),
            lambda since: repository.withdrawn_since(session, user_id, since),
        )
    day = rules.quota_day(now)
    if not await repository.use_quota(session, user_id, asset.value, day, what.amount, what.limit):
        raise rules.quota_exceeded()
    withdrawal = Withdrawal(
        id=new_id(),
        user_id=user_id,
        asset=asset.value,
        amount=what.amount,
        card_id=card_id,
        mint=str(what.target.mint),
        destination=str(destination),
        destination_token_account=str(what.target.token_account(destination)),
        status=WithdrawalStatus.pending.value,
        quota_day=day,
        created_at=now,
    )
    await repository.add(session, withdrawal)
    await _hold(session, withdrawal)
    details = rules.audit_details(asset.value, what.amount, card_id)
    await audit.record(
        session,
        actor=user_id,
        action="withdrawal.requested",
        object_type="withdrawal",
        object_id=withdrawal.id,
        details=details,
    )
    # Compliance: held for review, or blocked and released, in this same transaction.
    await screening.screen_withdrawal(session, settings, withdrawal)
    await emit(session, "withdrawal.created", withdrawal.id, user_id=user_id, asset=asset.value)
    return withdrawal


async def _what(
    session: AsyncSession,
    settings: Settings,
    platform: Platform,
    asset: PaymentAsset,
    amount_text: str | None,
    card_id: str | None,
) -> _What:
    if asset is PaymentAsset.CARD:
        assert card_id is not None
        return await _card(session, settings, platform, card_id)
    assert amount_text is not None
    return _coin(settings, platform, Asset(asset), amount_text)


async def _card(
    session: AsyncSession, settings: Settings, platform: Platform, card_id: str
) -> _What:
    card = await cards.get_card(session, card_id)
    target = assets.card(platform, Pubkey.from_string(card.mint))
    return _What(1, target, settings.withdrawal_daily_card_limit)


def _coin(settings: Settings, platform: Platform, coin: Asset, amount_text: str) -> _What:
    try:
        amount = parse_amount(amount_text, coin)
    except InvalidAmount as exc:
        raise Unprocessable(f"amount: {exc}.", code="invalid_amount") from exc
    rules.refuse_below_minimum(amount, settings.withdrawal_min(coin), coin)
    return _What(amount, assets.coin(platform, coin), settings.withdrawal_daily_limit(coin))


async def _hold(session: AsyncSession, withdrawal: Withdrawal) -> None:
    """Lock the card, or hold the coins as a pending ledger transfer to custody."""
    if withdrawal.asset == PaymentAsset.CARD:
        assert withdrawal.card_id is not None
        owner = cards.CardOwner.user(withdrawal.user_id)
        await cards.lock_card(
            session, withdrawal.card_id, owner, cards.LockKind.withdrawal, withdrawal.id
        )
        return
    coin = Asset(withdrawal.asset)
    withdrawal.hold_id = f"withdrawal:{withdrawal.id}"
    await ledger.create_transfers(
        session,
        [
            ledger.TransferSpec(
                id=withdrawal.hold_id,
                debit_account_id=await ledger.user_account(session, withdrawal.user_id, coin),
                credit_account_id=await assets.custody_account(session, coin),
                asset=coin,
                amount=withdrawal.amount,
                code=ledger.TransferCode.withdrawal,
                reference=withdrawal.id,
                pending=True,
            )
        ],
    )


async def get_withdrawal(session: AsyncSession, user_id: str, withdrawal_id: str) -> Withdrawal:
    withdrawal = await repository.get(session, Withdrawal, withdrawal_id)
    if withdrawal is None or withdrawal.user_id != user_id:
        raise NotFound("No such withdrawal.", code="withdrawal_not_found")
    return withdrawal


async def list_withdrawals(
    session: AsyncSession, user_id: str, params: PageParams
) -> tuple[list[Withdrawal], str | None]:
    return await repository.history(session, Withdrawal, params, Withdrawal.user_id == user_id)
