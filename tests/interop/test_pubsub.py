"""RPC PubSub (`ws://…/rpc`) driven by solana-py's own WebSocket client, which parses every
frame with solders' notification types: a shape that differs from the validator's fails here."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Iterator
from pathlib import Path

import pytest
import websockets
from solana.rpc.async_api import AsyncClient
from solana.rpc.websocket_api import SolanaWsClient
from solders.keypair import Keypair
from solders.message import Message
from solders.rpc.config import RpcTransactionLogsFilterMentions
from solders.rpc.responses import (
    AccountNotification,
    LogsNotification,
    ProgramNotificationJsonParsed,
    SignatureNotification,
    SlotNotification,
)
from solders.system_program import TransferParams, transfer
from solders.transaction import Transaction

from ece.chain.tokens import spl
from tests.chain.chain_builders import (
    SOL,
    ServedChain,
    make_chain,
    make_token_setup,
    serve_chain,
    signed_transfer,
)


@pytest.fixture
def served(tmp_path: Path) -> Iterator[ServedChain]:
    with serve_chain(make_chain(tmp_path), tmp_path) as served_chain:
        yield served_chain


def ws_url(served: ServedChain) -> str:
    return served.url.replace("http://", "ws://")


async def test_signature_account_logs_notifications(served: ServedChain) -> None:
    client = AsyncClient(served.url)
    payer, target = Keypair(), Keypair()
    await client.confirm_transaction((await client.request_airdrop(payer.pubkey(), SOL)).value)
    async with SolanaWsClient(ws_url(served)) as ws:
        account_sub = await ws.account_subscribe(pubkey=target.pubkey(), encoding="base64")
        logs_sub = await ws.logs_subscribe(
            filter_=RpcTransactionLogsFilterMentions(target.pubkey())
        )
        blockhash = (await client.get_latest_blockhash()).value.blockhash
        ix = transfer(
            TransferParams(
                from_pubkey=payer.pubkey(), to_pubkey=target.pubkey(), lamports=1_000_000
            )
        )
        tx = Transaction([payer], Message([ix], payer.pubkey()), blockhash)
        signature = (await client.send_raw_transaction(bytes(tx))).value
        # Subscribed after it landed (as web3.js does): notified at once, then the sub ends.
        sig_sub = await ws.signature_subscribe(signature=signature, commitment="confirmed")
        seen: dict[type, object] = {}
        while len(seen) < 3:
            note = await asyncio.wait_for(ws.recv(), 5)
            seen[type(note)] = note
        account_note = seen[AccountNotification]
        assert isinstance(account_note, AccountNotification)
        assert account_note.subscription == account_sub.subscription_id
        assert account_note.result.value.lamports == 1_000_000
        logs_note = seen[LogsNotification]
        assert isinstance(logs_note, LogsNotification)
        assert logs_note.subscription == logs_sub.subscription_id
        assert logs_note.result.value.signature == signature
        assert any(
            "11111111111111111111111111111111 success" in line
            for line in logs_note.result.value.logs
        )
        sig_note = seen[SignatureNotification]
        assert isinstance(sig_note, SignatureNotification)
        assert sig_note.subscription == sig_sub.subscription_id
        assert sig_note.result.value.err is None
        await ws.unsubscribe(account_sub)
        await ws.unsubscribe(logs_sub)


async def test_signature_subscribed_before_it_lands(served: ServedChain) -> None:
    client = AsyncClient(served.url)
    payer = Keypair()
    await client.confirm_transaction((await client.request_airdrop(payer.pubkey(), SOL)).value)
    blockhash = (await client.get_latest_blockhash()).value.blockhash
    ix = transfer(
        TransferParams(from_pubkey=payer.pubkey(), to_pubkey=Keypair().pubkey(), lamports=1_000_000)
    )
    tx = Transaction([payer], Message([ix], payer.pubkey()), blockhash)
    async with SolanaWsClient(ws_url(served)) as ws:
        sub = await ws.signature_subscribe(signature=tx.signatures[0])
        await client.send_raw_transaction(bytes(tx))
        note = await asyncio.wait_for(ws.recv(), 5)
        assert isinstance(note, SignatureNotification)
        assert note.subscription == sub.subscription_id


async def test_program_subscribe_with_filters_sees_token_changes(served: ServedChain) -> None:
    async with SolanaWsClient(ws_url(served)) as ws:
        setup_task = make_token_setup(served.chain)
        sub = await ws.program_subscribe(
            program_id=spl.TOKEN_PROGRAM_ID, encoding="jsonParsed", filters=[spl.ACCOUNT_LEN]
        )
        setup = await setup_task
        latest = served.chain.latest_blockhash()
        served.chain.submit(signed_transfer(setup, 250, latest.blockhash))
        seen: list[tuple[str, dict]] = []
        wanted = {(str(setup.bob_ata), "250"), (str(setup.alice_ata), str(5_000_000 - 250))}
        while not wanted <= {(address, info["tokenAmount"]["amount"]) for address, info in seen}:
            note = await asyncio.wait_for(ws.recv(), 5)
            assert isinstance(note, ProgramNotificationJsonParsed)
            assert note.subscription == sub.subscription_id
            value = note.result.value
            seen.append((str(value.pubkey), value.account.data.parsed["info"]))
        # Only token accounts (165 bytes) match dataSize: the mint never comes through.
        assert {address for address, _ in seen} == {str(setup.alice_ata), str(setup.bob_ata)}


async def test_slot_notifications_follow_the_slot_clock(served: ServedChain) -> None:
    async with SolanaWsClient(ws_url(served)) as ws:
        await ws.slot_subscribe()
        start = served.chain.slot
        served.chain.tick()
        served.chain.tick()
        first = await asyncio.wait_for(ws.recv(), 5)
        second = await asyncio.wait_for(ws.recv(), 5)
        assert isinstance(first, SlotNotification) and isinstance(second, SlotNotification)
        assert (first.result.parent, first.result.slot) == (start, start + 1)
        assert second.result.slot == start + 2


async def test_bad_requests_answer_errors_and_unknown_ids_are_refused(served: ServedChain) -> None:
    async with websockets.connect(ws_url(served)) as ws:
        await ws.send("{not json")
        assert json.loads(await ws.recv())["error"]["code"] == -32700
        await ws.send(
            json.dumps(
                {"jsonrpc": "2.0", "id": 1, "method": "accountSubscribe", "params": ["nope"]}
            )
        )
        assert json.loads(await ws.recv())["error"]["code"] == -32602
        await ws.send(
            json.dumps({"jsonrpc": "2.0", "id": 2, "method": "slotUnsubscribe", "params": [99]})
        )
        assert json.loads(await ws.recv())["error"]["message"] == "Invalid subscription id."
        await ws.send(json.dumps({"jsonrpc": "2.0", "id": 3, "method": "getSlot", "params": []}))
        assert json.loads(await ws.recv())["error"]["code"] == -32601
        await ws.send(json.dumps({"jsonrpc": "2.0", "id": 4, "method": "slotSubscribe"}))
        sub_id = json.loads(await ws.recv())["result"]
        await ws.send(
            json.dumps({"jsonrpc": "2.0", "id": 5, "method": "slotUnsubscribe", "params": [sub_id]})
        )
        assert json.loads(await ws.recv())["result"] is True


async def test_a_connection_holds_at_most_the_subscription_cap(served: ServedChain) -> None:
    cap = served.services.settings.rpc_max_subscriptions
    batch = [{"jsonrpc": "2.0", "id": i, "method": "slotSubscribe"} for i in range(cap + 1)]
    async with websockets.connect(ws_url(served), max_size=None) as ws:
        await ws.send(json.dumps(batch))
        answers = [json.loads(await ws.recv()) for _ in range(cap + 1)]
        assert all("result" in answer for answer in answers[:cap])
        assert answers[cap]["error"]["code"] == -32600
        # Dropping one makes room again.
        await ws.send(
            json.dumps({"jsonrpc": "2.0", "id": "u", "method": "slotUnsubscribe", "params": [1]})
        )
        assert json.loads(await ws.recv())["result"] is True
        await ws.send(json.dumps({"jsonrpc": "2.0", "id": "again", "method": "slotSubscribe"}))
        assert "result" in json.loads(await ws.recv())
