"""``compliance.assess`` as other domains call it (the treasury's payouts, post-trade
monitoring): facts from the checks table, a stored check, a review only where one can wait."""

from __future__ import annotations

from datetime import timedelta

from fastapi import FastAPI
from solders.keypair import Keypair

from ece.compliance import service as compliance
from ece.core.clock import clock

COMPANY = "c" * 32


def payout(n: int, amount: int, destination: str) -> compliance.Subject:
    return compliance.Subject(
        type=compliance.SubjectType.payout,
        id=f"payout-{n}",
        company_id=COMPANY,
        asset="USDC",
        amount=amount,
        destination=destination,
        requested_by="treasurer",
    )


async def test_payouts_are_scored_against_the_company_history(app: FastAPI) -> None:
    services = app.state.services
    usual = str(Keypair().pubkey())
    async with services.db.unit_of_work() as session:
        first = await compliance.assess(session, services.settings, payout(0, 1_000_000, usual))
    assert first.decision is compliance.Decision.allow
    assert [r["code"] for r in first.check.reasons] == ["new_destination"]
    clock.advance(timedelta(days=2))
    async with services.db.unit_of_work() as session:
        for n in (1, 2):
            await compliance.assess(session, services.settings, payout(n, 1_000_000, usual))
        quiet = await compliance.assess(session, services.settings, payout(3, 1_000_000, usual))
    assert (quiet.decision, quiet.check.score) == (compliance.Decision.allow, 0)

    clock.advance(timedelta(days=1))
    elsewhere = str(Keypair().pubkey())
    async with services.db.unit_of_work() as session:
        big = await compliance.assess(
            session, services.settings, payout(4, 20_000_000_000, elsewhere)
        )
    codes = {r["code"] for r in big.check.reasons}
    assert codes == {
        "amount_over_10x_median",
        "large_amount",
        "new_destination",
        "velocity_value_24h",
        "velocity_value_1h",
    }
    assert big.decision is compliance.Decision.review and big.review is not None
    assert big.review.requested_by == "treasurer"  # who may never approve it
    assert big.check.company_id == COMPANY and big.check.user_id is None


async def test_trades_are_monitored_never_held(app: FastAPI) -> None:
    services = app.state.services
    async with services.db.unit_of_work() as session:
        trade = await compliance.assess(
            session,
            services.settings,
            compliance.Subject(
                type=compliance.SubjectType.trade,
                id="sale-1",
                company_id=COMPANY,
                asset="USDC",
                amount=50_000_000_000,
            ),
        )
    assert trade.check.score >= 30 and "large_amount" in {r["code"] for r in trade.check.reasons}
    assert (trade.decision, trade.review) == (compliance.Decision.allow, None)
