"""Custody intake from the outside: what the platform itself issues is never parked twice, the
faucet never mints into custody, and only custody's associated token account takes deposits."""

from __future__ import annotations

from typing import Any

import httpx
from fastapi import FastAPI
from solana.rpc.async_api import AsyncClient
from solders.instruction import AccountMeta, Instruction
from solders.keypair import Keypair
from solders.message import MessageV0
from solders.pubkey import Pubkey
from solders.system_program import CreateAccountParams, create_account
from solders.transaction import VersionedTransaction

from ece.cards import service as cards
from ece.chain.tokens import spl
from ece.payments import jobs
from ece.payments.models import UnclaimedPayment
from tests.audit.support import latest
from tests.builders import SignedInUser, make_admin, sign_in
from tests.cards.cards_builders import make_company, mint
from tests.payments.support import admin_get, balance, faucet, open_deposit, units
from tests.payments.test_cards import card_status, withdrawn_card_with_deposit

_INITIALIZE_ACCOUNT3 = 18
_INITIALIZE_IMMUTABLE_OWNER = 22


async def receipts(client: httpx.AsyncClient, admin: SignedInUser) -> list[dict[str, Any]]:
    page = await admin_get(client, admin, "/api/v1/admin/deposit-receipts")
    return list(page["items"])


async def send_into_other_custody_account(
    rpc: AsyncClient,
    payer: Keypair,
    *,
    mint: Pubkey,
    custody: Pubkey,
    amount: int,
    decimals: int,
    reference: Pubkey,
    token_program: Pubkey,
) -> Pubkey:
    """In one transaction: a new token account owned by custody (not its associated one), and a
    transfer into it carrying ``reference``. Returns the new account."""
    account = Keypair()
    token_2022 = token_program == spl.TOKEN_2022_PROGRAM_ID
    space = 170 if token_2022 else 165  # Token-2022: account type + ImmutableOwner extension
    rent = (await rpc.get_minimum_balance_for_rent_exemption(space)).value
    instructions = [
        create_account(
            CreateAccountParams(
                from_pubkey=payer.pubkey(),
                to_pubkey=account.pubkey(),
                lamports=rent,
                space=space,
                owner=token_program,
            )
        )
    ]
    if token_2022:
        instructions.append(
            Instruction(
                token_program,
                bytes([_INITIALIZE_IMMUTABLE_OWNER]),
                [AccountMeta(account.pubkey(), False, True)],
            )
        )
    instructions += [
        Instruction(
            token_program,
            bytes([_INITIALIZE_ACCOUNT3]) + bytes(custody),
            [AccountMeta(account.pubkey(), False, True), AccountMeta(mint, False, False)],
        ),
        spl.transfer_checked(
            source=spl.get_associated_token_address(payer.pubkey(), mint, token_program),
            mint=mint,
            destination=account.pubkey(),
            owner=payer.pubkey(),
            amount=amount,
            decimals=decimals,
            token_program=token_program,
            references=[reference],
        ),
    ]
    blockhash = (await rpc.get_latest_blockhash()).value.blockhash
    message = MessageV0.try_compile(payer.pubkey(), instructions, [], blockhash)
    sent = await rpc.send_transaction(VersionedTransaction(message, [payer, account]))
    await rpc.confirm_transaction(sent.value)
    return account.pubkey()


async def test_faucet_refuses_custody_and_accounts_custody_owns(
    client: httpx.AsyncClient, app: FastAPI
) -> None:
    """Minted into custody by the platform's authority, tokens would be platform issuance with
    no ledger side: custody would hold more than anyone is owed, for good."""
    user = await sign_in(client)
    platform = app.state.services.platform
    for address in (
        str(platform.custody_owner),
        str(platform.custody_token_account("USDC")),
        str(platform.custody_token_account("ECE")),
    ):
        response = await client.post(
            "/api/v1/dev/faucet",
            json={"asset": "USDC", "amount": "5", "address": address},
            headers=user.headers,
        )
        assert (response.status_code, response.json()["code"]) == (422, "invalid_address")
    admin = await make_admin(client, app)
    report = await admin_get(client, admin, "/api/v1/admin/reconciliation")
    assert report["ok"] is True
    assert [a["onchain_custody"] for a in report["assets"]] == ["0", "0"]


async def usdc_into_another_custody_account(
    client: httpx.AsyncClient, app: FastAPI, rpc: AsyncClient, requested: str, paid: str
) -> tuple[SignedInUser, dict[str, Any], Pubkey]:
    """A funded user opens a USDC deposit of ``requested`` and pays ``paid`` with its reference
    into a custody-owned token account that is not custody's associated one (returned)."""
    user = await sign_in(client)
    await faucet(client, user, "SOL", "1")
    await faucet(client, user, "USDC", "3")
    platform = app.state.services.platform
    deposit = await open_deposit(client, user, "USDC", requested)
    stray = await send_into_other_custody_account(
        rpc,
        user.keypair,
        mint=platform.mints["USDC"],
        custody=platform.custody_owner,
        amount=units(paid, "USDC"),
        decimals=6,
        reference=Pubkey.from_string(deposit["reference"]),
        token_program=spl.TOKEN_PROGRAM_ID,
    )
    return user, deposit, stray


async def test_faucet_refuses_a_token_account_custody_owns(
    client: httpx.AsyncClient, app: FastAPI, rpc: AsyncClient
) -> None:
    user, _deposit, stray = await usdc_into_another_custody_account(client, app, rpc, "1", "1")
    response = await client.post(
        "/api/v1/dev/faucet",
        json={"asset": "USDC", "amount": "5", "address": str(stray)},
        headers=user.headers,
    )
    assert (response.status_code, response.json()["code"]) == (422, "invalid_address")


async def test_coins_into_another_custody_account_are_recorded_not_credited(
    client: httpx.AsyncClient, app: FastAPI, rpc: AsyncClient
) -> None:
    """Finding: a coin payment into a custody-owned account that is not custody's associated
    one, carrying a deposit's reference, left no receipt; it can never be withdrawn from."""
    user, deposit, stray = await usdc_into_another_custody_account(client, app, rpc, "2", "2")
    assert await jobs.watch_deposits(app.state.services) == 0
    shown = await client.get(f"/api/v1/deposits/{deposit['id']}", headers=user.headers)
    assert shown.json()["status"] == "awaiting_transfer"
    assert (await balance(client, user, "USDC"))["total"] == "0"

    admin = await make_admin(client, app)
    assert [(r["outcome"], r["reason"], r["amount"]) for r in await receipts(client, admin)] == [
        ("ignored", "not_custody_deposit_account", 2_000_000)
    ]
    report = await admin_get(client, admin, "/api/v1/admin/reconciliation")
    usdc = next(a for a in report["assets"] if a["asset"] == "USDC")
    assert report["ok"] is True  # surplus no one is owed
    assert (usdc["stray"], usdc["stray_accounts"]) == ("2", [str(stray)])
    assert await admin_get(client, admin, "/api/v1/admin/unclaimed") == {
        "items": [],
        "next_cursor": None,
    }


async def test_a_card_into_another_custody_account_is_not_credited(
    client: httpx.AsyncClient, app: FastAPI, rpc: AsyncClient
) -> None:
    """Finding: a card sent with its deposit's reference into a custody-owned Token-2022 account
    other than the associated one was credited, and could then never be withdrawn."""
    user, card, deposit = await withdrawn_card_with_deposit(client, app)
    custody = app.state.services.platform.custody_owner
    await send_into_other_custody_account(
        rpc,
        user.keypair,
        mint=Pubkey.from_string(card["mint"]),
        custody=custody,
        amount=1,
        decimals=0,
        reference=Pubkey.from_string(deposit["reference"]),
        token_program=spl.TOKEN_2022_PROGRAM_ID,
    )
    assert await jobs.watch_deposits(app.state.services) == 0
    shown = await client.get(f"/api/v1/deposits/{deposit['id']}", headers=user.headers)
    assert shown.json()["status"] == "awaiting_transfer"
    assert (await card_status(client, card["id"]))["status"] == "withdrawn"

    admin = await make_admin(client, app)
    assert [(r["outcome"], r["reason"]) for r in await receipts(client, admin)] == [
        ("ignored", "not_custody_deposit_account")
    ]
    report = await admin_get(client, admin, "/api/v1/admin/reconciliation")
    assert report["cards"]["unexpected"] == [card["id"]]
    assert report["cards"]["stray"] == [card["id"]]


async def credit_card(
    client: httpx.AsyncClient, admin: SignedInUser, card_id: str, user_id: str, key: str | None
) -> httpx.Response:
    headers = {**admin.headers, **({"Idempotency-Key": key} if key else {})}
    return await client.post(
        f"/api/v1/admin/custody/cards/{card_id}/credit", json={"user_id": user_id}, headers=headers
    )


async def users_with_cards(
    client: httpx.AsyncClient, app: FastAPI, count: int
) -> list[tuple[SignedInUser, dict[str, Any]]]:
    admin = await make_admin(client, app)
    company = await make_company(client, admin)
    found = []
    for _ in range(count):
        card = await mint(client, admin, company["id"])
        user = await sign_in(client)
        async with app.state.services.db.unit_of_work() as session:
            await cards.transfer_card(
                session,
                card["id"],
                cards.CardOwner.issuer(company["id"]),
                cards.CardOwner.user(user.user["id"]),
                "grant",
                "test",
            )
        found.append((user, card))
    return found


async def test_a_card_sent_with_no_reference_is_credited_by_an_admin_once(
    client: httpx.AsyncClient, app: FastAPI, rpc: AsyncClient
) -> None:
    """Finding: a card sent to custody with no open deposit's reference was stranded (flagged
    `unexpected` by reconciliation, with no way to put it back on the platform)."""
    (user, card), (other, kept), (_, on_platform) = await users_with_cards(client, app, 3)
    for owner, which in ((user, card), (other, kept)):
        out = await client.post(
            "/api/v1/withdrawals",
            json={
                "asset": "CARD",
                "card_id": which["id"],
                "destination": str(owner.keypair.pubkey()),
            },
            headers=owner.headers,
        )
        assert out.status_code == 201, out.text
    await jobs.send_withdrawals(app.state.services)
    await faucet(client, user, "SOL", "1")
    platform = app.state.services.platform
    mint = Pubkey.from_string(card["mint"])
    create = spl.create_associated_token_account_idempotent(
        payer=user.keypair.pubkey(),
        owner=platform.custody_owner,
        mint=mint,
        token_program=spl.TOKEN_2022_PROGRAM_ID,
    )
    move = spl.transfer_checked(
        source=spl.get_associated_token_address(
            user.keypair.pubkey(), mint, spl.TOKEN_2022_PROGRAM_ID
        ),
        mint=mint,
        destination=spl.get_associated_token_address(
            platform.custody_owner, mint, spl.TOKEN_2022_PROGRAM_ID
        ),
        owner=user.keypair.pubkey(),
        amount=1,
        decimals=0,
        token_program=spl.TOKEN_2022_PROGRAM_ID,
    )
    blockhash = (await rpc.get_latest_blockhash()).value.blockhash
    message = MessageV0.try_compile(user.keypair.pubkey(), [create, move], [], blockhash)
    await rpc.send_transaction(VersionedTransaction(message, [user.keypair]))
    await jobs.watch_deposits(app.state.services)
    assert (await card_status(client, card["id"]))["status"] == "withdrawn"

    admin = await make_admin(client, app)
    report = await admin_get(client, admin, "/api/v1/admin/reconciliation")
    assert report["cards"]["unexpected"] == [card["id"]]
    uid = user.user["id"]
    # Not an admin; no such user; a card on the platform; a withdrawn card custody lacks.
    assert (await credit_card(client, user, card["id"], uid, None)).status_code == 403
    missing = await credit_card(client, admin, card["id"], "nobody", None)
    assert (missing.status_code, missing.json()["code"]) == (404, "user_not_found")
    again = await credit_card(client, admin, on_platform["id"], uid, None)
    assert (again.status_code, again.json()["code"]) == (409, "card_not_withdrawn")
    lacking = await credit_card(client, admin, kept["id"], uid, None)
    assert (lacking.status_code, lacking.json()["code"]) == (409, "card_not_in_custody")
    assert (await card_status(client, kept["id"]))["status"] == "withdrawn"

    done = await credit_card(client, admin, card["id"], uid, "credit-1")
    assert done.status_code == 200, done.text
    replay = await credit_card(client, admin, card["id"], uid, "credit-1")
    assert replay.json() == done.json()
    twice = await credit_card(client, admin, card["id"], other.user["id"], None)
    assert (twice.status_code, twice.json()["code"]) == (409, "card_not_withdrawn")
    shown = await card_status(client, card["id"])
    assert shown["status"] != "withdrawn" and shown["owner"]["id"] == uid
    # One audit entry by the admin: the replay and the refused attempts wrote none.
    assert [(e.actor, e.object_id) for e in await latest(app, action="custody.card_credited")] == [
        (admin.user["id"], card["id"])
    ]
    report = await admin_get(client, admin, "/api/v1/admin/reconciliation")
    assert report["ok"] is True

    # Back on the platform for real: it can leave again, paid from custody's account.
    out = await client.post(
        "/api/v1/withdrawals",
        json={"asset": "CARD", "card_id": card["id"], "destination": str(user.keypair.pubkey())},
        headers=user.headers,
    )
    assert out.status_code == 201, out.text
    await jobs.send_withdrawals(app.state.services)
    assert (await card_status(client, card["id"]))["status"] == "withdrawn"


async def test_a_card_in_the_unclaimed_queue_is_resolved_there(
    client: httpx.AsyncClient, app: FastAPI
) -> None:
    """Its payment is on record: crediting it here too would leave an open item that can never
    be resolved (and two ways to credit one card)."""
    ((user, card),) = await users_with_cards(client, app, 1)
    out = await client.post(
        "/api/v1/withdrawals",
        json={"asset": "CARD", "card_id": card["id"], "destination": str(user.keypair.pubkey())},
        headers=user.headers,
    )
    assert out.status_code == 201, out.text
    await jobs.send_withdrawals(app.state.services)
    async with app.state.services.db.unit_of_work() as session:
        parked = UnclaimedPayment(
            signature="s" * 88,
            instruction_index=0,
            asset="CARD",
            mint=card["mint"],
            amount=1,
            card_id=card["id"],
            status="open",
        )
        session.add(parked)
        await session.flush()
        parked_id = parked.id
    admin = await make_admin(client, app)
    refused = await credit_card(client, admin, card["id"], user.user["id"], None)
    assert (refused.status_code, refused.json()["code"]) == (409, "card_unclaimed")
    assert refused.json()["unclaimed_id"] == parked_id
    assert (await card_status(client, card["id"]))["status"] == "withdrawn"
