"""The embedded chain's slot clock: slots (so block heights) pass without transactions, so a
blockhash expires as on a cluster and an idle chain still hands out fresh ones; the slot reached
survives a restart; the app runs the clock from ECE_CHAIN_SLOT_MS."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest
from solders.keypair import Keypair
from solders.message import Message
from solders.system_program import TransferParams, transfer
from solders.transaction import Transaction

from ece.chain.embedded.events import ChainEvent, SlotAdvanced
from ece.chain.embedded.litesvm import BLOCKHASH_REFRESH_SLOTS, DEFAULT_BLOCKHASH_VALIDITY
from ece.chain.protocol import TransactionFailed
from ece.config import Settings
from tests.builders import served
from tests.chain.chain_builders import SOL, make_chain


def test_ticks_expire_blockhashes_and_issue_new_ones(tmp_path: Path) -> None:
    chain = make_chain(tmp_path)
    payer = Keypair()
    chain.airdrop_transaction(payer.pubkey(), SOL)
    old = chain.latest_blockhash()
    start = chain.block_height
    assert old.last_valid_block_height == start + DEFAULT_BLOCKHASH_VALIDITY
    for _ in range(BLOCKHASH_REFRESH_SLOTS):
        chain.tick()
    assert chain.block_height == start + BLOCKHASH_REFRESH_SLOTS
    fresh = chain.latest_blockhash()
    assert fresh.blockhash != old.blockhash  # an idle chain still issues blockhashes
    assert chain.is_blockhash_valid(old.blockhash)
    while chain.block_height <= old.last_valid_block_height:
        chain.tick()
    assert not chain.is_blockhash_valid(old.blockhash)
    assert chain.is_blockhash_valid(chain.latest_blockhash().blockhash)
    # A transaction signed with the expired blockhash is refused, as a cluster refuses it.
    ix = transfer(
        TransferParams(from_pubkey=payer.pubkey(), to_pubkey=Keypair().pubkey(), lamports=10**6)
    )
    stale = Transaction([payer], Message([ix], payer.pubkey()), old.blockhash)
    with pytest.raises(TransactionFailed) as refused:
        chain.submit(stale)
    assert refused.value.err == "BlockhashNotFound"


async def test_the_slot_reached_survives_a_restart(tmp_path: Path) -> None:
    chain = make_chain(tmp_path)
    for _ in range(5):
        chain.tick()
    reached = chain.slot
    latest = chain.latest_blockhash()
    await chain.close()
    reopened = make_chain(tmp_path)
    assert reopened.slot == reached
    assert reopened.is_blockhash_valid(latest.blockhash)
    await reopened.close()


async def test_listeners_hear_every_slot(tmp_path: Path) -> None:
    chain = make_chain(tmp_path)
    heard: list[ChainEvent] = []
    chain.add_listener(heard.append)
    start = chain.slot
    chain.tick()
    chain.airdrop_transaction(Keypair().pubkey(), SOL)
    chain.remove_listener(heard.append)
    chain.tick()
    slots = [event for event in heard if isinstance(event, SlotAdvanced)]
    assert [(e.parent, e.slot) for e in slots] == [(start, start + 1), (start + 1, start + 2)]
    assert len(heard) == 3  # and the airdrop's landing; nothing after the listener left


async def test_the_app_runs_the_slot_clock(settings: Settings) -> None:
    fast = settings.model_copy(update={"chain_slot_ms": 20})
    async with served(fast) as app:
        chain = app.state.services.chain
        start = chain.slot
        await asyncio.sleep(0.5)
        assert chain.slot >= start + 5
    stopped = chain.slot
    await asyncio.sleep(0.1)
    assert chain.slot == stopped  # the clock stops with the app
    # Tests run without it unless asked: slots move only when a transaction lands.
    assert settings.slot_interval_s == 0
    assert Settings(env="development").slot_interval_s == 0.4
