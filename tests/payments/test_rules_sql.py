"""The SQL filters of ``payments.repository`` and the rules they mirror, run on the same rows:
which deposits expire, which are scanned by their reference, and the daily withdrawal quota."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from itertools import product

from fastapi import FastAPI
from solders.keypair import Keypair
from sqlalchemy import select

from ece.auth.models import User
from ece.payments import repository, rules
from ece.payments.models import Deposit, DepositStatus, PaymentAsset

NOW = datetime(2026, 1, 1, 12, 0, tzinfo=UTC)
OFFSETS = [timedelta(minutes=-5), timedelta(0), timedelta(minutes=5)]


async def test_deposit_filters_select_exactly_the_rows_the_rules_pick(app: FastAPI) -> None:
    async with app.state.services.db.unit_of_work() as session:
        user = User(address=str(Keypair().pubkey()), roles=[])
        session.add(user)
        await session.flush()
        for status, asset, offset in product(DepositStatus, PaymentAsset, OFFSETS):
            session.add(
                Deposit(
                    user_id=user.id,
                    asset=asset.value,
                    amount=1,
                    mint=str(Keypair().pubkey()),
                    recipient=str(Keypair().pubkey()),
                    reference=str(Keypair().pubkey()),
                    status=status.value,
                    expires_at=NOW + offset,
                    received_amount=0,
                )
            )
        await session.flush()
        rows = (await session.scalars(select(Deposit))).all()
        assert len(rows) == len(DepositStatus) * len(PaymentAsset) * len(OFFSETS)
        for moment in (NOW - timedelta(minutes=1), NOW, NOW + timedelta(minutes=1)):
            due = set(
                await session.scalars(select(Deposit.id).where(repository.due_to_expire(moment)))
            )
            assert due == {
                r.id for r in rows if rules.is_due_to_expire(r.status, r.expires_at, moment)
            }
            assert due  # the comparison is not vacuous
            watched = set(
                await session.scalars(
                    select(Deposit.id).where(repository.watched_by_reference(moment))
                )
            )
            assert watched == {
                r.id
                for r in rows
                if rules.is_watched_by_reference(r.status, r.asset, r.expires_at, moment)
            }
            late_cards = {r.id for r in rows if r.status == DepositStatus.expired} & watched
            assert late_cards  # expired card deposits inside the late window are scanned


async def test_the_quota_update_applies_the_quota_rule(app: FastAPI) -> None:
    async with app.state.services.db.unit_of_work() as session:
        user = User(address=str(Keypair().pubkey()), roles=[])
        session.add(user)
        await session.flush()
        used, limit = 0, 100
        for day, amount in enumerate([30, 60, 11, 10, 1, 0, 101]):
            fits = rules.fits_quota(used, amount, limit)
            assert await repository.use_quota(session, user.id, "USDC", "d", amount, limit) == fits
            used += amount if fits else 0
            # A fresh day starts from zero: only the limit decides.
            fresh = await repository.use_quota(session, user.id, "USDC", f"d{day}", amount, limit)
            assert fresh == rules.fits_quota(0, amount, limit)
        assert used == 100
