"""Transfers through the service: posting, holds, idempotency, linked batches, guards."""

from __future__ import annotations

from dataclasses import replace

import pytest
from sqlalchemy import text
from sqlalchemy.exc import IntegrityError

from ece.core.db import Database
from ece.core.errors import Conflict, InsufficientFunds, NotFound, Unprocessable
from ece.core.money import Asset
from ece.ledger import service
from ece.ledger.models import OwnerType, TransferCode
from ece.ledger.service import PostPending, TransferResult, VoidPending
from tests.builders import recorded_statements
from tests.ledger.support import balances, custody, funded_user, pay


async def test_posted_transfer_moves_balances_and_keeps_zero_sum(db: Database) -> None:
    async with db.unit_of_work() as session:
        alice = await funded_user(session, "alice", 100)
        bob = await funded_user(session, "bob", 0)
        result = await service.create_transfers(session, [pay(alice, bob, 30)])
    assert result == [TransferResult.created]
    async with db.unit_of_work() as session:
        a, b = await balances(session, alice, bob)
        assert (a.available, a.total, b.available, b.total) == (70, 70, 30, 30)
        source = await service.balance(session, await custody(session))
        assert source.total == -100  # custody mirrors the outside value
        assert (await service.check(session)).ok


async def test_user_account_cannot_go_below_zero(db: Database) -> None:
    async with db.unit_of_work() as session:
        alice = await funded_user(session, "alice", 100)
        bob = await funded_user(session, "bob", 0)
    async with db.unit_of_work() as session:
        with pytest.raises(InsufficientFunds):
            await service.create_transfers(session, [pay(alice, bob, 101)])
        # The failed call wrote nothing, so the same transaction goes on.
        await service.create_transfers(session, [pay(alice, bob, 100)])
    async with db.unit_of_work() as session:
        a, b = await balances(session, alice, bob)
        assert (a.available, b.available) == (0, 100)


async def test_holds_count_against_available(db: Database) -> None:
    async with db.unit_of_work() as session:
        alice = await funded_user(session, "alice", 100)
        bob = await funded_user(session, "bob", 0)
        await service.create_transfers(session, [pay(alice, bob, 80, id="hold", pending=True)])
        a, b = await balances(session, alice, bob)
        assert (a.available, a.held, a.total) == (20, 80, 100)
        assert (b.available, b.credits_pending) == (0, 80)  # incoming holds are not spendable
        with pytest.raises(InsufficientFunds):
            await service.create_transfers(session, [pay(alice, bob, 21)])


async def test_same_id_twice_applies_once(db: Database) -> None:
    async with db.unit_of_work() as session:
        alice = await funded_user(session, "alice", 100)
        bob = await funded_user(session, "bob", 0)
        spec = pay(alice, bob, 10, id="once")
        assert await service.create_transfers(session, [spec]) == [TransferResult.created]
    async with db.unit_of_work() as session:
        assert await service.create_transfers(session, [spec]) == [TransferResult.exists]
        a, b = await balances(session, alice, bob)
        assert (a.total, b.total) == (90, 10)


async def test_a_repeat_is_still_exists_when_the_funds_it_moved_are_gone(db: Database) -> None:
    """A plain transfer is written as new before its id is read: a repeat that the balance
    would refuse (its funds already moved) must still answer ``exists``, moving nothing, and
    a repeat next to a new transfer in one batch applies only the new one."""
    async with db.unit_of_work() as session:
        alice = await funded_user(session, "alice", 100)
        bob = await funded_user(session, "bob", 0)
        spec = pay(alice, bob, 100, id="all-of-it")
        assert await service.create_transfers(session, [spec]) == [TransferResult.created]
    async with db.unit_of_work() as session:
        assert await service.create_transfers(session, [spec]) == [TransferResult.exists]
        back = pay(bob, alice, 40, id="back")
        assert await service.create_transfers(session, [back, spec]) == [
            TransferResult.created,
            TransferResult.exists,
        ]
    async with db.unit_of_work() as session:
        a, b = await balances(session, alice, bob)
        assert (a.total, b.total) == (40, 60)
        assert (await service.check(session)).ok


async def test_a_plain_transfer_is_three_statements(db: Database) -> None:
    async with db.unit_of_work() as session:
        alice = await funded_user(session, "alice", 100)
        bob = await funded_user(session, "bob", 0)
    async with db.unit_of_work() as session:
        with recorded_statements(db) as statements:
            await service.create_transfers(session, [pay(alice, bob, 10)])
    work = [s for s in statements if not s.upper().startswith(("BEGIN", "COMMIT"))]
    # The balances locked, the transfer written as new, the balances moved.
    assert len(work) == 3, work


@pytest.mark.parametrize(
    "change",
    [
        {"amount": 11},
        {"code": TransferCode.fee},
        {"reference": "other"},
        {"pending": True},
        {"credit_account_id": "custody"},
    ],
)
async def test_same_id_with_different_details_is_a_conflict(
    db: Database, change: dict[str, object]
) -> None:
    async with db.unit_of_work() as session:
        alice = await funded_user(session, "alice", 100)
        bob = await funded_user(session, "bob", 0)
        spec = pay(alice, bob, 10, id="once")
        await service.create_transfers(session, [spec])
    async with db.unit_of_work() as session:
        if change.get("credit_account_id") == "custody":
            change = {"credit_account_id": await custody(session)}
        with pytest.raises(Conflict) as error:
            await service.create_transfers(session, [replace(spec, **change)])  # type: ignore[arg-type]
        assert error.value.instance_code == "transfer_exists_different"
        a, b = await balances(session, alice, bob)
        assert (a.total, b.total) == (90, 10)


async def test_post_pending_in_full_and_in_part(db: Database) -> None:
    async with db.unit_of_work() as session:
        alice = await funded_user(session, "alice", 100)
        bob = await funded_user(session, "bob", 0)
        await service.create_transfers(
            session,
            [
                pay(alice, bob, 50, id="h1", pending=True),
                pay(alice, bob, 40, id="h2", pending=True),
            ],
        )
        await service.post_pending(session, "h1", new_id="p1")
        await service.post_pending(session, "h2", new_id="p2", amount=15)
        a, b = await balances(session, alice, bob)
        # h1 moved 50, h2 moved 15 and released its other 25 back to alice.
        assert (a.total, a.held, a.available) == (35, 0, 35)
        assert (b.total, b.credits_pending) == (65, 0)


async def test_pending_cannot_be_posted_twice(db: Database) -> None:
    async with db.unit_of_work() as session:
        alice = await funded_user(session, "alice", 100)
        bob = await funded_user(session, "bob", 0)
        await service.create_transfers(session, [pay(alice, bob, 50, id="h", pending=True)])
        await service.post_pending(session, "h", new_id="p1", amount=10)
        with pytest.raises(Conflict) as error:
            await service.post_pending(session, "h", new_id="p2", amount=10)
        assert error.value.instance_code == "pending_already_resolved"
        # Retrying the first post under its own id is idempotent, not a second post.
        assert await service.post_pending(session, "h", new_id="p1", amount=10) == "exists"
        a, b = await balances(session, alice, bob)
        assert (a.total, a.held, b.total) == (90, 0, 10)


async def test_pending_cannot_be_voided_after_posting_nor_posted_after_voiding(
    db: Database,
) -> None:
    async with db.unit_of_work() as session:
        alice = await funded_user(session, "alice", 100)
        bob = await funded_user(session, "bob", 0)
        await service.create_transfers(
            session,
            [
                pay(alice, bob, 50, id="h1", pending=True),
                pay(alice, bob, 20, id="h2", pending=True),
            ],
        )
        await service.post_pending(session, "h1", new_id="p1")
        await service.void_pending(session, "h2", new_id="v2")
        for operation in (VoidPending("v1", "h1"), PostPending("p2", "h2")):
            with pytest.raises(Conflict) as error:
                await service.create_transfers(session, [operation])
            assert error.value.instance_code == "pending_already_resolved"
        a, b = await balances(session, alice, bob)
        assert (a.total, a.held, b.total, b.credits_pending) == (50, 0, 50, 0)


async def test_post_cannot_exceed_the_held_amount(db: Database) -> None:
    async with db.unit_of_work() as session:
        alice = await funded_user(session, "alice", 100)
        bob = await funded_user(session, "bob", 0)
        await service.create_transfers(session, [pay(alice, bob, 50, id="h", pending=True)])
        with pytest.raises(Conflict) as error:
            await service.post_pending(session, "h", new_id="p", amount=51)
        assert error.value.instance_code == "post_exceeds_pending"
        a = (await balances(session, alice))[0]
        assert (a.total, a.held) == (100, 50)


async def test_only_pending_transfers_resolve(db: Database) -> None:
    async with db.unit_of_work() as session:
        alice = await funded_user(session, "alice", 100)
        bob = await funded_user(session, "bob", 0)
        await service.create_transfers(session, [pay(alice, bob, 5, id="plain")])
        with pytest.raises(Conflict) as error:
            await service.void_pending(session, "plain", new_id="v")
        assert error.value.instance_code == "not_pending"
        with pytest.raises(NotFound):
            await service.post_pending(session, "missing", new_id="p")


async def test_failure_in_the_middle_of_a_linked_batch_applies_nothing(db: Database) -> None:
    async with db.unit_of_work() as session:
        alice = await funded_user(session, "alice", 100)
        bob = await funded_user(session, "bob", 0)
        fees = await service.account_for(session, OwnerType.platform, "ece", Asset.USDC, "fees")
        await service.create_transfers(session, [pay(alice, bob, 60, id="hold", pending=True)])
    batch = [
        PostPending("settle", "hold"),  # applies on its own...
        pay(bob, fees, 5, id="fee"),  # ...so does this...
        pay(alice, bob, 41, id="too-much"),  # ...but alice has only 40 available
        pay(bob, alice, 1, id="after"),
    ]
    async with db.unit_of_work() as session:
        with pytest.raises(InsufficientFunds):
            await service.create_transfers(session, batch)
    async with db.unit_of_work() as session:
        a, b, f = await balances(session, alice, bob, fees)
        assert (a.total, a.held, b.total, b.credits_pending, f.total) == (100, 60, 0, 60, 0)
        # Nothing was recorded either: the same ids are free for a corrected batch.
        batch[2] = pay(alice, bob, 40, id="too-much")
        assert await service.create_transfers(session, batch) == [TransferResult.created] * 4
        a, b, f = await balances(session, alice, bob, fees)
        assert (a.total, a.held, b.total, f.total) == (1, 0, 94, 5)


async def test_a_batch_can_create_and_resolve_a_hold(db: Database) -> None:
    async with db.unit_of_work() as session:
        alice = await funded_user(session, "alice", 100)
        bob = await funded_user(session, "bob", 0)
        await service.create_transfers(
            session,
            [pay(alice, bob, 70, id="h", pending=True), PostPending("p", "h", 30)],
        )
        a, b = await balances(session, alice, bob)
        assert (a.total, a.held, b.total) == (70, 0, 30)
        with pytest.raises(Unprocessable):
            await service.create_transfers(session, [pay(alice, bob, 1, id="x")] * 2)


@pytest.mark.parametrize("amount", [0, -5, 2**63, True])
async def test_invalid_amounts_are_refused(db: Database, amount: int) -> None:
    async with db.unit_of_work() as session:
        alice = await funded_user(session, "alice", 100)
        bob = await funded_user(session, "bob", 0)
        with pytest.raises(Unprocessable):
            await service.create_transfers(session, [pay(alice, bob, amount)])


async def test_accounts_of_different_assets_do_not_mix(db: Database) -> None:
    async with db.unit_of_work() as session:
        alice = await funded_user(session, "alice", 100, Asset.USDC)
        bob_ece = await service.user_account(session, "bob", Asset.ECE)
        with pytest.raises(Conflict) as error:
            await service.create_transfers(session, [pay(alice, bob_ece, 1)])
        assert error.value.instance_code == "asset_mismatch"
        with pytest.raises(Unprocessable):
            await service.create_transfers(session, [pay(alice, alice, 1)])


async def test_account_for_is_get_or_create(db: Database) -> None:
    async with db.unit_of_work() as session:
        first = await service.account_for(session, OwnerType.user, "u", Asset.ECE)
        again = await service.account_for(session, OwnerType.user, "u", Asset.ECE)
        other = await service.account_for(session, OwnerType.user, "u", Asset.ECE, "escrow")
    assert first == again != other


async def test_a_known_account_is_not_read_again(db: Database) -> None:
    async with db.unit_of_work() as session:
        first = await service.user_account(session, "carol", Asset.USDC)

    def account_reads(statements: list[str]) -> int:
        return sum("ledger_accounts" in statement for statement in statements)

    with recorded_statements(db) as statements:
        async with db.unit_of_work() as session:
            # Created in an earlier transaction: read once to learn it is committed...
            assert await service.user_account(session, "carol", Asset.USDC) == first
            assert await service.user_account(session, "carol", Asset.USDC) == first
        assert account_reads(statements) == 1
        async with db.unit_of_work() as session:
            # ... then remembered.
            assert await service.user_account(session, "carol", Asset.USDC) == first
        assert account_reads(statements) == 1


async def test_an_account_created_in_a_rolled_back_transaction_is_not_remembered(
    db: Database,
) -> None:
    session = db.session(write=True)
    lost = await service.user_account(session, "dave", Asset.USDC)
    assert await service.user_account(session, "dave", Asset.USDC) == lost
    await session.rollback()
    await session.close()
    async with db.unit_of_work() as session:
        # Another owner may now get the id the rolled-back insert had.
        await service.user_account(session, "erin", Asset.USDC)
        account = await service.user_account(session, "dave", Asset.USDC)
        owner = await session.scalar(
            text("SELECT owner_id FROM ledger_accounts WHERE id = :id"), {"id": account}
        )
    assert owner == "dave"


async def test_database_refuses_a_negative_user_balance_even_past_the_service(
    db: Database,
) -> None:
    async with db.unit_of_work() as session:
        alice = await funded_user(session, "alice", 100)
        platform = await service.account_for(session, OwnerType.platform, "ece", Asset.USDC)
    with pytest.raises(IntegrityError):
        async with db.unit_of_work() as session:
            await session.execute(
                text("UPDATE ledger_accounts SET debits_posted = 101 WHERE id = :id"),
                {"id": alice},
            )
    # Platform accounts may go negative by design: the same write is accepted there.
    async with db.unit_of_work() as session:
        await session.execute(
            text("UPDATE ledger_accounts SET debits_posted = 101 WHERE id = :id"), {"id": platform}
        )
