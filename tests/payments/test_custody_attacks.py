"""Attacks on custody from the outside, with real transfers on the embedded chain: nothing is
credited that custody did not receive, no transfer stops the watcher, and nothing received is
stranded."""

from __future__ import annotations

import base64
from datetime import timedelta
from typing import Any

import httpx
from fastapi import FastAPI
from solana.rpc.async_api import AsyncClient
from solders.keypair import Keypair
from solders.message import MessageV0
from solders.pubkey import Pubkey
from solders.transaction import Transaction, VersionedTransaction

from ece.chain.platform import send_instructions
from ece.chain.tokens import spl
from ece.core.clock import clock
from ece.core.errors import Conflict
from ece.payments import jobs, watcher
from tests.audit.support import latest
from tests.builders import SignedInUser, make_admin, sign_in
from tests.payments.support import (
    admin_get,
    balance,
    faucet,
    funded_stranger,
    open_deposit,
    pay,
    send_tokens,
    units,
)
from tests.payments.test_cards import (
    card_status,
    nft_amount,
    user_with_card,
    withdrawn_card_with_deposit,
)
from tests.payments.test_withdrawals import drain_custody


async def deposit_status(client: httpx.AsyncClient, user: SignedInUser, deposit_id: str) -> str:
    response = await client.get(f"/api/v1/deposits/{deposit_id}", headers=user.headers)
    return str(response.json()["status"])


async def reconciliation(client: httpx.AsyncClient, admin: SignedInUser) -> dict[str, Any]:
    return await admin_get(client, admin, "/api/v1/admin/reconciliation")


async def receipts(
    client: httpx.AsyncClient, admin: SignedInUser, outcome: str
) -> list[dict[str, Any]]:
    page = await admin_get(client, admin, f"/api/v1/admin/deposit-receipts?outcome={outcome}")
    return list(page["items"])


async def withdrawn_card_held_elsewhere(
    client: httpx.AsyncClient, app: FastAPI, rpc: AsyncClient
) -> tuple[SignedInUser, dict[str, Any], dict[str, Any]]:
    """A user withdraws a card, opens its deposit, then moves the NFT to another wallet."""
    user, card, deposit = await withdrawn_card_with_deposit(client, app)
    wallet = user.keypair.pubkey()
    mint = Pubkey.from_string(card["mint"])
    elsewhere = Keypair().pubkey()
    ata = spl.create_associated_token_account_idempotent(
        payer=wallet, owner=elsewhere, mint=mint, token_program=spl.TOKEN_2022_PROGRAM_ID
    )
    move = spl.transfer_checked(
        source=spl.get_associated_token_address(wallet, mint, spl.TOKEN_2022_PROGRAM_ID),
        mint=mint,
        destination=spl.get_associated_token_address(elsewhere, mint, spl.TOKEN_2022_PROGRAM_ID),
        owner=wallet,
        amount=1,
        decimals=0,
        token_program=spl.TOKEN_2022_PROGRAM_ID,
    )
    blockhash = (await rpc.get_latest_blockhash()).value.blockhash
    message = MessageV0.try_compile(wallet, [ata, move], [], blockhash)
    await rpc.send_transaction(VersionedTransaction(message, [user.keypair]))
    assert await nft_amount(rpc, elsewhere, card["mint"]) == 1
    return user, card, deposit


async def test_zero_amount_card_transfer_does_not_bring_a_withdrawn_card_back(
    client: httpx.AsyncClient, app: FastAPI, rpc: AsyncClient
) -> None:
    """Finding 1: a Token-2022 TransferChecked of 0 with the card deposit's reference."""
    user, card, deposit = await withdrawn_card_held_elsewhere(client, app, rpc)
    await send_tokens(
        rpc,
        user.keypair,
        mint=Pubkey.from_string(card["mint"]),
        to_owner=app.state.services.platform.custody_owner,
        amount=0,
        decimals=0,
        references=[Pubkey.from_string(deposit["reference"])],
        token_program=spl.TOKEN_2022_PROGRAM_ID,
    )
    assert await jobs.watch_deposits(app.state.services) == 0
    assert await deposit_status(client, user, deposit["id"]) == "awaiting_transfer"
    assert (await card_status(client, card["id"]))["status"] == "withdrawn"
    assert await nft_amount(rpc, app.state.services.platform.custody_owner, card["mint"]) == 0

    admin = await make_admin(client, app)
    ignored = await receipts(client, admin, "ignored")
    assert [(r["deposit_id"], r["reason"], r["amount"]) for r in ignored] == [
        (None, "zero_amount", 0)
    ]
    report = await reconciliation(client, admin)
    assert report["ok"] is True
    assert report["cards"]["missing"] == [] and report["cards"]["unexpected"] == []


async def test_zero_amount_transfer_does_not_stop_the_watcher(
    client: httpx.AsyncClient, app: FastAPI, rpc: AsyncClient
) -> None:
    """Finding 2: one 0-amount USDC transfer with a deposit's reference, then honest deposits."""
    attacker, honest = await sign_in(client), await sign_in(client)
    for user in (attacker, honest):
        await faucet(client, user, "SOL", "1")
        await faucet(client, user, "USDC", "5")
    target = await open_deposit(client, attacker, "USDC", "1")
    await send_tokens(
        rpc,
        attacker.keypair,
        mint=app.state.services.platform.mints["USDC"],
        to_owner=app.state.services.platform.custody_owner,
        amount=0,
        decimals=6,
        references=[Pubkey.from_string(target["reference"])],
    )
    assert await jobs.watch_deposits(app.state.services) == 0
    paid = await open_deposit(client, honest, "USDC", "2")
    await pay(rpc, honest.keypair, paid, units("2", "USDC"))
    assert await jobs.watch_deposits(app.state.services) == 1
    assert await deposit_status(client, honest, paid["id"]) == "credited"
    assert (await balance(client, honest, "USDC"))["available"] == "2"
    assert (await balance(client, attacker, "USDC"))["total"] == "0"
    clock.advance(timedelta(seconds=app.state.services.settings.deposit_ttl_seconds + 1))
    await jobs.watch_deposits(app.state.services)
    assert await deposit_status(client, attacker, target["id"]) == "expired"
    admin = await make_admin(client, app)
    assert [r["reason"] for r in await receipts(client, admin, "ignored")] == ["zero_amount"]
    assert (await reconciliation(client, admin))["ok"] is True


async def test_dust_carrying_many_references_neither_hides_a_payment_nor_stops_expiry(
    client: httpx.AsyncClient, app: FastAPI, rpc: AsyncClient
) -> None:
    """Finding 2: 9 dust transfers carrying 25 references each over 216 open deposits."""
    # One user stands in for the many it would now take (ECE_DEPOSIT_MAX_OPEN is per user).
    app.state.services.settings.deposit_max_open = 216
    attacker, honest = await sign_in(client), await sign_in(client)
    await faucet(client, attacker, "SOL", "1")
    await faucet(client, attacker, "USDC", "1")
    opened = [await open_deposit(client, attacker, "USDC", "1") for _ in range(216)]
    platform = app.state.services.platform
    for start in range(0, 216, 25):
        await send_tokens(
            rpc,
            attacker.keypair,
            mint=platform.mints["USDC"],
            to_owner=platform.custody_owner,
            amount=1,
            decimals=6,
            references=[Pubkey.from_string(d["reference"]) for d in opened[start : start + 25]],
        )
    await faucet(client, honest, "SOL", "1")
    await faucet(client, honest, "USDC", "3")
    paid = await open_deposit(client, honest, "USDC", "3")
    await pay(rpc, honest.keypair, paid, units("3", "USDC"))
    assert await jobs.watch_deposits(app.state.services) == 10  # 9 dust payments + the honest one
    assert await deposit_status(client, honest, paid["id"]) == "credited"
    assert (await balance(client, honest, "USDC"))["available"] == "3"
    assert (await balance(client, attacker, "USDC"))["total"] == "0.000009"

    clock.advance(timedelta(seconds=app.state.services.settings.deposit_ttl_seconds + 1))
    await jobs.watch_deposits(app.state.services)
    shown = [
        (await client.get(f"/api/v1/deposits/{d['id']}", headers=attacker.headers)).json()
        for d in opened
    ]
    # Dust completes no request (each was for 1 USDC): every one expires, 9 paid in part.
    assert {d["status"] for d in shown} == {"expired"}
    assert sorted(d["received_amount"] for d in shown).count("0.000001") == 9
    admin = await make_admin(client, app)
    assert (await reconciliation(client, admin))["ok"] is True


async def test_payment_after_expiry_goes_to_its_sender_or_the_unclaimed_queue(
    client: httpx.AsyncClient, app: FastAPI, rpc: AsyncClient
) -> None:
    """Finding 7: a deposit paid after it expired is credited to a known sender; a stranger's
    payment is parked as unclaimed until an admin resolves it; reconciliation stays ok."""
    user = await sign_in(client)
    await faucet(client, user, "SOL", "1")
    await faucet(client, user, "USDC", "10")
    late = await open_deposit(client, user, "USDC", "4")
    clock.advance(timedelta(seconds=app.state.services.settings.deposit_ttl_seconds + 1))
    await jobs.watch_deposits(app.state.services)
    assert await deposit_status(client, user, late["id"]) == "expired"
    await pay(rpc, user.keypair, late, units("4", "USDC"))
    assert await jobs.watch_deposits(app.state.services) == 1
    assert (await balance(client, user, "USDC"))["available"] == "4"
    assert await deposit_status(client, user, late["id"]) == "expired"

    # A wallet that never signed in pays with the same expired reference, and once with none.
    stranger = await funded_stranger(client, user, "USDC", "3")
    await pay(rpc, stranger, late, units("2", "USDC"))
    platform = app.state.services.platform
    await send_tokens(
        rpc,
        stranger,
        mint=platform.mints["USDC"],
        to_owner=platform.custody_owner,
        amount=units("1", "USDC"),
        decimals=6,
    )
    assert await jobs.watch_deposits(app.state.services) == 0
    admin = await make_admin(client, app)
    parked = (await admin_get(client, admin, "/api/v1/admin/unclaimed?status=open"))["items"]
    assert sorted((p["amount"], p["deposit_id"]) for p in parked) == [
        ("1", None),
        ("2", late["id"]),
    ]
    assert all(p["sender"] == str(stranger.pubkey()) for p in parked)
    report = await reconciliation(client, admin)
    assert report["ok"] is True
    usdc = next(a for a in report["assets"] if a["asset"] == "USDC")
    assert usdc["onchain_custody"] == "7"

    two = next(p for p in parked if p["amount"] == "2")
    one = next(p for p in parked if p["amount"] == "1")
    path = f"/api/v1/admin/unclaimed/{two['id']}/resolve"
    body = {"action": "credit", "user_id": user.user["id"]}
    assert (await client.post(path, json=body, headers=user.headers)).status_code == 403
    first = await client.post(path, json=body, headers=admin.headers)
    again = await client.post(path, json=body, headers=admin.headers)
    assert (first.status_code, again.status_code) == (200, 200), first.text
    assert first.json()["status"] == again.json()["status"] == "credited"
    assert (await balance(client, user, "USDC"))["available"] == "6"
    other = await client.post(
        path, json={"action": "returned", "note": "sent back"}, headers=admin.headers
    )
    assert (other.status_code, other.json()["code"]) == (409, "unclaimed_resolved")
    bad = await client.post(
        f"/api/v1/admin/unclaimed/{one['id']}/resolve",
        json={"action": "credit"},
        headers=admin.headers,
    )
    assert bad.status_code == 422
    nobody = await client.post(
        f"/api/v1/admin/unclaimed/{one['id']}/resolve",
        json={"action": "credit", "user_id": "no-such-user"},
        headers=admin.headers,
    )
    assert (nobody.status_code, nobody.json()["code"]) == (404, "user_not_found")
    assert (await reconciliation(client, admin))["ok"] is True
    assert (await balance(client, user, "USDC"))["available"] == "6"
    # Audited: both parked by the system, one credit by the admin (the replay and refusals: none).
    assert sorted(e.details["amount"] for e in await latest(app, action="deposit.unclaimed")) == [
        "1",
        "2",
    ]
    assert [
        (e.actor, e.object_id, e.details) for e in await latest(app, action="unclaimed.credited")
    ] == [
        (admin.user["id"], two["id"], {"asset": "USDC", "amount": "2", "user_id": user.user["id"]})
    ]


async def test_custody_holding_a_withdrawn_card_is_a_card_mismatch(
    client: httpx.AsyncClient, app: FastAPI, rpc: AsyncClient
) -> None:
    """Card reconciliation: a card the platform counts as withdrawn sits in custody (sent back
    without any deposit), and the reverse: a card counted in custody that custody lacks."""
    user, card = await user_with_card(client, app)
    admin = await make_admin(client, app)
    assert (await reconciliation(client, admin))["cards"]["ok"] is True
    created = await client.post(
        "/api/v1/withdrawals",
        json={"asset": "CARD", "card_id": card["id"], "destination": user.address},
        headers=user.headers,
    )
    assert created.status_code == 201
    await jobs.send_withdrawals(app.state.services)
    await faucet(client, user, "SOL", "1")
    await send_tokens(
        rpc,
        user.keypair,
        mint=Pubkey.from_string(card["mint"]),
        to_owner=app.state.services.platform.custody_owner,
        amount=1,
        decimals=0,
        token_program=spl.TOKEN_2022_PROGRAM_ID,
    )
    report = await reconciliation(client, admin)
    assert report["ok"] is False
    assert report["cards"]["unexpected"] == [card["id"]]
    assert (await client.get("/metrics")).text.count("ece_reconciliation_card_mismatches 1.0") == 1
    ready = await client.get("/readyz")
    assert ready.status_code == 200
    assert any(card["id"] in w for w in ready.json()["warnings"])


async def test_card_paid_after_its_deposit_expired_comes_back_to_its_sender(
    client: httpx.AsyncClient, app: FastAPI, rpc: AsyncClient
) -> None:
    """Finding 7 for cards: the late card is found by the expired deposit's reference."""
    user, card = await user_with_card(client, app)
    created = await client.post(
        "/api/v1/withdrawals",
        json={"asset": "CARD", "card_id": card["id"], "destination": user.address},
        headers=user.headers,
    )
    assert created.status_code == 201
    await jobs.send_withdrawals(app.state.services)
    await faucet(client, user, "SOL", "1")
    deposit = await client.post(
        "/api/v1/deposits", json={"asset": "CARD", "card_id": card["id"]}, headers=user.headers
    )
    assert deposit.status_code == 201
    clock.advance(timedelta(seconds=app.state.services.settings.deposit_ttl_seconds + 1))
    await jobs.watch_deposits(app.state.services)
    assert await deposit_status(client, user, deposit.json()["id"]) == "expired"
    await send_tokens(
        rpc,
        user.keypair,
        mint=Pubkey.from_string(card["mint"]),
        to_owner=app.state.services.platform.custody_owner,
        amount=1,
        decimals=0,
        references=[Pubkey.from_string(deposit.json()["reference"])],
        token_program=spl.TOKEN_2022_PROGRAM_ID,
    )
    assert await jobs.watch_deposits(app.state.services) == 1
    back = await card_status(client, card["id"])
    assert (back["status"], back["owner"]["id"]) == ("available", user.user["id"])
    admin = await make_admin(client, app)
    assert (await reconciliation(client, admin))["ok"] is True
    late = await receipts(client, admin, "credited_sender")
    assert [(r["user_id"], r["amount"]) for r in late] == [(user.user["id"], 1)]


async def test_a_card_counted_in_custody_that_custody_lacks_is_a_card_mismatch(
    client: httpx.AsyncClient, app: FastAPI
) -> None:
    _user, card = await user_with_card(client, app)
    platform = app.state.services.platform
    mint = Pubkey.from_string(card["mint"])
    thief = Keypair().pubkey()
    await send_instructions(
        app.state.services.chain,
        [
            spl.create_associated_token_account_idempotent(
                payer=platform.custody_owner,
                owner=thief,
                mint=mint,
                token_program=spl.TOKEN_2022_PROGRAM_ID,
            ),
            spl.transfer_checked(
                source=spl.get_associated_token_address(
                    platform.custody_owner, mint, spl.TOKEN_2022_PROGRAM_ID
                ),
                mint=mint,
                destination=spl.get_associated_token_address(
                    thief, mint, spl.TOKEN_2022_PROGRAM_ID
                ),
                owner=platform.custody_owner,
                amount=1,
                decimals=0,
                token_program=spl.TOKEN_2022_PROGRAM_ID,
            ),
        ],
        [],
        platform.custody,
    )
    result = await jobs.reconcile(app.state.services)
    assert not result.ok and result.cards.missing == [card["id"]]
    admin = await make_admin(client, app)
    report = await reconciliation(client, admin)
    assert (report["ok"], report["cards"]["missing"]) == (False, [card["id"]])
    ready = await client.get("/readyz")
    assert ready.status_code == 200 and any(card["id"] in w for w in ready.json()["warnings"])


async def test_unclaimed_payment_marked_returned_leaves_the_platform_books(
    client: httpx.AsyncClient, app: FastAPI, rpc: AsyncClient
) -> None:
    user = await sign_in(client)
    stranger = await funded_stranger(client, user, "ECE", "2")
    platform = app.state.services.platform
    await send_tokens(
        rpc,
        stranger,
        mint=platform.mints["ECE"],
        to_owner=platform.custody_owner,
        amount=units("2", "ECE"),
        decimals=9,
        references=[Keypair().pubkey()],  # a reference no deposit has
    )
    assert await jobs.watch_deposits(app.state.services) == 0
    admin = await make_admin(client, app)
    (parked,) = (await admin_get(client, admin, "/api/v1/admin/unclaimed"))["items"]
    assert (parked["asset"], parked["amount"], parked["status"]) == ("ECE", "2", "open")
    assert (await reconciliation(client, admin))["ok"] is True
    body = {"action": "returned", "note": "sent back to the sender by support"}
    path = f"/api/v1/admin/unclaimed/{parked['id']}/resolve"
    response = await client.post(
        path, json=body, headers={**admin.headers, "Idempotency-Key": "return-1"}
    )
    assert response.status_code == 200, response.text
    assert (response.json()["status"], response.json()["note"]) == ("returned", body["note"])
    # Until an operator actually sends it, custody holds 2 ECE nobody is owed: a mismatch.
    assert (await reconciliation(client, admin))["ok"] is False
    await drain_custody(app, "ECE", units("2", "ECE"))
    assert (await reconciliation(client, admin))["ok"] is True
    missing = await client.post(
        "/api/v1/admin/unclaimed/nope/resolve", json=body, headers=admin.headers
    )
    assert (missing.status_code, missing.json()["code"]) == (404, "unclaimed_not_found")


async def test_a_transfer_that_cannot_be_applied_is_recorded_and_holds_up_nothing(
    client: httpx.AsyncClient, app: FastAPI, rpc: AsyncClient, monkeypatch: Any
) -> None:
    """Per-transfer isolation: a transfer whose crediting fails for good is recorded as ignored
    (with the failure) and the next deposit is credited in the same run."""
    first, second = await sign_in(client), await sign_in(client)
    for user in (first, second):
        await faucet(client, user, "SOL", "1")
        await faucet(client, user, "USDC", "2")
    broken = await open_deposit(client, first, "USDC", "2")
    fine = await open_deposit(client, second, "USDC", "2")
    bad_signature, _ = await pay(rpc, first.keypair, broken, units("2", "USDC"))
    await pay(rpc, second.keypair, fine, units("2", "USDC"))
    real = watcher.take_transaction

    async def failing(session: Any, platform: Any, tx: Any) -> int:
        if tx.signature == bad_signature:
            raise Conflict("simulated", code="simulated")
        return await real(session, platform, tx)

    monkeypatch.setattr(watcher, "take_transaction", failing)
    assert await jobs.watch_deposits(app.state.services) == 1
    assert await deposit_status(client, second, fine["id"]) == "credited"
    assert await deposit_status(client, first, broken["id"]) == "awaiting_transfer"
    admin = await make_admin(client, app)
    assert [r["reason"] for r in await receipts(client, admin, "ignored")] == ["failed: Conflict"]
    # Custody holds the 2 USDC no one is credited with yet: reconciliation says so.
    assert (await reconciliation(client, admin))["ok"] is False


async def test_transactions_carrying_a_reference_are_fetched_once(
    client: httpx.AsyncClient, app: FastAPI, rpc: AsyncClient, monkeypatch: Any
) -> None:
    """Spamming a card deposit's reference with transactions that pay custody nothing costs the
    watcher one look at each, not one per run for as long as the deposit is watched."""
    user, card, deposit = await withdrawn_card_held_elsewhere(client, app, rpc)
    await faucet(client, user, "USDC", "1")
    usdc = app.state.services.platform.mints["USDC"]
    for _ in range(3):
        await send_tokens(
            rpc,
            user.keypair,
            mint=usdc,
            to_owner=user.keypair.pubkey(),  # to itself: custody is not involved
            amount=0,
            decimals=6,
            references=[Pubkey.from_string(deposit["reference"])],
        )
    fetched: list[str] = []
    real = app.state.services.chain.get_transaction

    async def counting(signature: Any) -> Any:
        fetched.append(str(signature))
        return await real(signature)

    monkeypatch.setattr(app.state.services.chain, "get_transaction", counting)
    assert await jobs.watch_deposits(app.state.services) == 0
    assert len(fetched) >= 3
    fetched.clear()
    assert await jobs.watch_deposits(app.state.services) == 0
    assert fetched == []
    assert (await card_status(client, card["id"]))["status"] == "withdrawn"


async def test_dust_from_a_stranger_does_not_close_a_deposit_request(
    client: httpx.AsyncClient, app: FastAPI, rpc: AsyncClient
) -> None:
    """A payment short of the amount is credited, and the request stays open for the rest."""
    user = await sign_in(client)
    await faucet(client, user, "SOL", "1")
    await faucet(client, user, "USDC", "10")
    request = await open_deposit(client, user, "USDC", "10")
    stranger = await funded_stranger(client, user, "USDC", "1")
    await pay(rpc, stranger, request, 1)  # one base unit carrying the user's reference
    assert await jobs.watch_deposits(app.state.services) == 1
    shown = (await client.get(f"/api/v1/deposits/{request['id']}", headers=user.headers)).json()
    assert (shown["status"], shown["received_amount"]) == ("awaiting_transfer", "0.000001")
    assert (await balance(client, user, "USDC"))["available"] == "0.000001"
    # The user's wallet is still offered the transaction, for what is still owed.
    built = await client.post(
        f"/api/v1/deposits/{request['id']}/transaction",
        json={"account": str(user.keypair.pubkey())},
        headers=user.headers,
    )
    assert built.status_code == 200, built.text
    unsigned = Transaction.from_bytes(base64.b64decode(built.json()["transaction"]))
    (transfer,) = [i for i in unsigned.message.instructions if bytes(i.data)[:1] == b"\x0c"]
    assert int.from_bytes(bytes(transfer.data)[1:9], "little") == units("9.999999", "USDC")
    await pay(rpc, user.keypair, request, units("9.999999", "USDC"))
    assert await jobs.watch_deposits(app.state.services) == 1
    assert await deposit_status(client, user, request["id"]) == "credited"
    assert (await balance(client, user, "USDC"))["available"] == "10"
    admin = await make_admin(client, app)
    assert (await reconciliation(client, admin))["ok"] is True
