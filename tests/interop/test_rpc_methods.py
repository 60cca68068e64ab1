"""The JSON-RPC methods wallets and explorers call, through solana-py's AsyncClient: each reply is
parsed by solders' response types, so a field the validator has and we lack (or a wrong type)
fails the parse. Values are checked against the chain's own state."""

from __future__ import annotations

import base64
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
import zstandard
from solana.rpc.async_api import AsyncClient
from solana.rpc.models import MemcmpOpts, TokenAccountOpts
from solders.keypair import Keypair
from spl.token.instructions import approve
from spl.token.models import ApproveParams

from ece.chain.tokens import spl
from tests.chain.chain_builders import (
    ServedChain,
    make_chain,
    make_token_setup,
    send,
    serve_chain,
)


@pytest.fixture
def served(tmp_path: Path) -> Iterator[ServedChain]:
    with serve_chain(make_chain(tmp_path), tmp_path) as served_chain:
        yield served_chain


def raw_call(url: str, method: str, *params: Any) -> dict[str, Any]:
    body = {"jsonrpc": "2.0", "id": 1, "method": method, "params": list(params)}
    answer: dict[str, Any] = httpx.post(url, json=body).json()
    return answer


async def test_program_accounts_with_filters_and_token_queries(served: ServedChain) -> None:
    client = AsyncClient(served.url)
    setup = await make_token_setup(served.chain)
    # Alice lets a delegate spend 100.
    delegate = Keypair()
    approve_ix = approve(
        ApproveParams(
            program_id=spl.TOKEN_PROGRAM_ID,
            source=setup.alice_ata,
            delegate=delegate.pubkey(),
            owner=setup.alice.pubkey(),
            amount=100,
        )
    )
    await send(served.chain, [approve_ix], setup.alice)

    everything = (await client.get_program_accounts(spl.TOKEN_PROGRAM_ID, encoding="base64")).value
    addresses = {str(item.pubkey) for item in everything}
    assert {str(setup.mint), str(setup.alice_ata), str(setup.bob_ata)} <= addresses

    # Token accounts of this mint: dataSize 165 and the mint at offset 0.
    mine = await client.get_program_accounts(
        spl.TOKEN_PROGRAM_ID,
        encoding="base64",
        filters=[spl.ACCOUNT_LEN, MemcmpOpts(offset=0, bytes=str(setup.mint))],
    )
    assert {str(item.pubkey) for item in mine.value} == {str(setup.alice_ata), str(setup.bob_ata)}
    # Owned by Alice (owner at offset 32).
    alices = await client.get_program_accounts_json_parsed(
        spl.TOKEN_PROGRAM_ID,
        filters=[MemcmpOpts(offset=32, bytes=str(setup.alice.pubkey()))],
    )
    assert [str(item.pubkey) for item in alices.value] == [str(setup.alice_ata)]
    parsed = alices.value[0].account.data.parsed
    assert parsed["info"]["delegate"] == str(delegate.pubkey())
    assert parsed["info"]["delegatedAmount"]["amount"] == "100"

    by_delegate = await client.get_token_accounts_by_delegate_json_parsed(
        delegate.pubkey(), TokenAccountOpts(mint=setup.mint)
    )
    assert [str(item.pubkey) for item in by_delegate.value] == [str(setup.alice_ata)]
    nobody = await client.get_token_accounts_by_delegate(
        Keypair().pubkey(), TokenAccountOpts(program_id=spl.TOKEN_PROGRAM_ID)
    )
    assert nobody.value == []

    largest = (await client.get_token_largest_accounts(setup.mint)).value
    assert [(str(item.address), item.amount.amount) for item in largest] == [
        (str(setup.alice_ata), "5000000"),
        (str(setup.bob_ata), "0"),
    ]
    assert largest[0].amount.ui_amount_string == "5"


async def test_program_accounts_zstd_and_context(served: ServedChain) -> None:
    setup = await make_token_setup(served.chain)
    answer = raw_call(
        served.url,
        "getProgramAccounts",
        str(spl.TOKEN_PROGRAM_ID),
        {"encoding": "base64+zstd", "withContext": True, "filters": [{"dataSize": 82}]},
    )["result"]
    assert answer["context"]["slot"] == served.chain.slot
    [mint] = answer["value"]
    assert mint["pubkey"] == str(setup.mint)
    text, encoding = mint["account"]["data"]
    assert encoding == "base64+zstd"
    raw = zstandard.ZstdDecompressor().decompress(base64.b64decode(text))
    account = served.chain.account(setup.mint)
    assert account is not None and raw == bytes(account.data)
    # Bad filters are refused, never a 500.
    for bad in (
        [{"memcmp": {"offset": -1, "bytes": "1"}}],
        [{"memcmp": {"offset": 0, "bytes": "0OIl"}}],
        [{"dataSize": 1}] * 5,
        [{"tokenAccountState": None}],
        "nope",
    ):
        error = raw_call(
            served.url, "getProgramAccounts", str(spl.TOKEN_PROGRAM_ID), {"filters": bad}
        )
        assert error["error"]["code"] == -32602, bad


async def test_blocks_epochs_supply_and_node(served: ServedChain) -> None:
    client = AsyncClient(served.url)
    setup = await make_token_setup(served.chain)
    slot = served.chain.slot
    # The slot where the token set-up landed holds exactly that transaction.
    block = (await client.get_block(slot, max_supported_transaction_version=0)).value
    assert block.block_height == slot and block.parent_slot == slot - 1
    assert block.transactions is not None and len(block.transactions) == 1
    previous = (await client.get_block(slot - 1, max_supported_transaction_version=0)).value
    assert block.previous_blockhash == previous.blockhash
    block_time = (await client.get_block_time(slot)).value
    assert block_time == int(
        served.chain.landed_transaction(
            block.transactions[0].transaction.signatures[0]  # type: ignore[union-attr]
        ).block_time
        or 0
    )
    assert (await client.get_blocks(slot - 2)).value == [slot - 2, slot - 1, slot]
    first = (await client.get_first_available_block()).value
    assert first == served.chain.genesis_slot < slot
    assert raw_call(served.url, "getBlock", first - 1)["error"]["code"] == -32007
    # A slot still to come, and a v0 transaction asked for without a version.
    future = raw_call(served.url, "getBlock", slot + 5)
    assert future["error"]["code"] == -32004
    legacy_only = raw_call(served.url, "getBlock", slot)
    assert legacy_only["error"]["code"] == -32015
    signatures = raw_call(
        served.url, "getBlock", slot, {"transactionDetails": "signatures", "rewards": False}
    )["result"]
    assert len(signatures["signatures"]) == 1 and "rewards" not in signatures

    info = (await client.get_epoch_info()).value
    assert info.slots_in_epoch == 432_000 and info.slot_index == slot % 432_000
    assert info.epoch == slot // 432_000
    assert info.transaction_count == (await client.get_transaction_count()).value
    assert info.transaction_count == served.chain.transaction_count() >= 4
    schedule = (await client.get_epoch_schedule()).value
    assert schedule.slots_per_epoch == 432_000 and schedule.warmup is False

    identity = (await client.get_identity()).value.identity
    assert (await client.get_slot_leader()).value == identity

    supply = (await client.get_supply()).value
    assert supply.non_circulating_accounts == [served.chain.faucet]
    assert supply.total == supply.circulating + supply.non_circulating
    assert supply.circulating >= 3 * 2 * 10**9 - 10**9  # the three funded wallets, less fees
    largest = (await client.get_largest_accounts()).value
    assert largest[0].address == served.chain.faucet
    circulating = (await client.get_largest_accounts(filter_opt="circulating")).value
    assert served.chain.faucet not in {item.address for item in circulating}
    assert {setup.authority.pubkey(), setup.alice.pubkey()} <= {i.address for i in circulating}

    governor = (await client.get_inflation_governor()).value
    assert governor.terminal == 0.015


async def test_min_context_slot(served: ServedChain) -> None:
    client = AsyncClient(served.url)
    slot = served.chain.slot
    ahead = raw_call(
        served.url, "getBalance", str(Keypair().pubkey()), {"minContextSlot": slot + 10}
    )
    assert ahead["error"]["code"] == -32016
    assert ahead["error"]["data"] == {"contextSlot": slot}
    reached = raw_call(served.url, "getBalance", str(Keypair().pubkey()), {"minContextSlot": slot})
    assert reached["result"]["value"] == 0
    served.chain.tick()  # the slot clock moves on
    later = raw_call(served.url, "getSlot", {"minContextSlot": slot + 1})
    assert later["result"] == slot + 1
    assert (await client.get_slot()).value == slot + 1
