"""Embedded-chain behaviour a node would give for free: clock, blockhash window, persistence."""

from __future__ import annotations

from pathlib import Path

import pytest
from solders.hash import Hash
from solders.keypair import Keypair
from solders.message import Message
from solders.system_program import (
    AdvanceNonceAccountParams,
    TransferParams,
    advance_nonce_account,
    create_nonce_account,
    transfer,
)
from solders.transaction import Transaction

from ece.chain.embedded.litesvm import LiteSvmChain
from ece.chain.protocol import TokenAmount, TransactionFailed
from ece.chain.tokens import spl
from tests.chain.chain_builders import (
    SOL,
    ManualClock,
    funded_wallet,
    make_chain,
    make_token_setup,
    send,
    signed_transfer,
)


async def test_block_time_comes_from_the_injected_clock() -> None:
    clock = ManualClock()
    chain = make_chain(None, clock)
    first = await chain.request_airdrop(Keypair().pubkey(), SOL)
    clock.advance(3600)
    second = await chain.request_airdrop(Keypair().pubkey(), SOL)

    first_tx, second_tx = await chain.get_transaction(first), await chain.get_transaction(second)
    assert first_tx is not None and second_tx is not None
    assert first_tx.block_time == clock.current.replace(hour=12)
    assert second_tx.block_time == clock.current
    assert second_tx.slot > first_tx.slot


async def test_a_blockhash_stays_valid_while_others_send_then_expires() -> None:
    chain = LiteSvmChain(None, ManualClock(), blockhash_validity=5)
    setup = await make_token_setup(chain)
    old = chain.latest_blockhash()
    await funded_wallet(chain)  # someone else's transaction lands meanwhile

    await chain.send_transaction(signed_transfer(setup, 1, old.blockhash))

    for _ in range(5):
        await funded_wallet(chain)
    assert not chain.is_blockhash_valid(old.blockhash)
    with pytest.raises(TransactionFailed) as failure:
        await chain.send_transaction(signed_transfer(setup, 2, old.blockhash))
    assert failure.value.err == "BlockhashNotFound"
    assert await chain.get_token_account_balance(setup.bob_ata) == TokenAmount(1, 6)


async def test_skip_preflight_failure_lands_charging_only_the_fee() -> None:
    chain = make_chain(None)
    setup = await make_token_setup(chain, alice_amount=10)
    lamports_before = await chain.get_balance(setup.alice.pubkey())
    tx = signed_transfer(setup, 11, chain.latest_blockhash().blockhash)

    with pytest.raises(TransactionFailed) as failure:
        await chain.send_transaction(tx, skip_preflight=True)

    assert failure.value.landed
    assert await chain.get_balance(setup.alice.pubkey()) == lamports_before - 5000
    assert await chain.get_token_account_balance(setup.alice_ata) == TokenAmount(10, 6)
    landed = await chain.get_transaction(tx.signatures[0])
    assert landed is not None
    assert landed.err == {"InstructionError": [0, {"Custom": 1}]}
    assert landed.fee == 5000


async def test_send_instructions_signs_with_every_signer() -> None:
    chain = make_chain(None)
    payer, recipient = await funded_wallet(chain), Keypair()
    instruction = transfer(
        TransferParams(from_pubkey=payer.pubkey(), to_pubkey=recipient.pubkey(), lamports=SOL)
    )
    signature = await chain.send_instructions([instruction], [], payer)
    assert (await chain.get_signature_status(signature)) is not None
    assert await chain.get_balance(recipient.pubkey()) == SOL


async def test_durable_nonce_transaction_outlives_the_blockhash_window() -> None:
    chain = LiteSvmChain(None, ManualClock(), blockhash_validity=2)
    owner, nonce, recipient = await funded_wallet(chain), Keypair(), Keypair()
    rent = await chain.get_minimum_balance_for_rent_exemption(80)
    await send(
        chain,
        create_nonce_account(owner.pubkey(), nonce.pubkey(), owner.pubkey(), rent),
        owner,
        nonce,
    )
    account = await chain.get_account_info(nonce.pubkey())
    assert account is not None
    nonce_value = Hash(bytes(account.data)[40:72])
    instructions = [
        advance_nonce_account(
            AdvanceNonceAccountParams(nonce_pubkey=nonce.pubkey(), authorized_pubkey=owner.pubkey())
        ),
        transfer(
            TransferParams(from_pubkey=owner.pubkey(), to_pubkey=recipient.pubkey(), lamports=SOL)
        ),
    ]
    tx = Transaction([owner], Message(instructions, owner.pubkey()), nonce_value)
    for _ in range(3):  # the signed transaction waits (e.g. for other multisig signers)
        await funded_wallet(chain)

    await chain.send_transaction(tx)

    assert await chain.get_balance(recipient.pubkey()) == SOL
    with pytest.raises(TransactionFailed) as replay:
        await chain.send_transaction(tx)
    assert replay.value.err == "AlreadyProcessed"


async def test_restart_on_the_same_data_dir_keeps_everything(tmp_path: Path) -> None:
    chain = make_chain(tmp_path)
    setup = await make_token_setup(chain, alice_amount=5_000_000)
    reference = Keypair().pubkey()
    transfer_tx = signed_transfer(
        setup, 2_000_000, chain.latest_blockhash().blockhash, reference=reference
    )
    signature = await chain.send_transaction(transfer_tx)
    sol_alice = await chain.get_balance(setup.alice.pubkey())
    slot = await chain.get_slot()
    await chain.close()

    restarted = make_chain(tmp_path)

    assert await restarted.get_slot() == slot
    assert await restarted.get_balance(setup.alice.pubkey()) == sol_alice
    assert await restarted.get_token_supply(setup.mint) == TokenAmount(5_000_000, 6)
    assert await restarted.get_token_account_balance(setup.alice_ata) == TokenAmount(3_000_000, 6)
    assert await restarted.get_token_account_balance(setup.bob_ata) == TokenAmount(2_000_000, 6)
    found = await restarted.get_signatures_for_address(reference)
    assert [info.signature for info in found] == [signature]
    landed = await restarted.get_transaction(signature)
    assert landed is not None
    assert {b.account: b.amount for b in landed.post_token_balances} == {
        setup.alice_ata: 3_000_000,
        setup.bob_ata: 2_000_000,
    }
    # Replay protection survives the restart; new work goes on as before.
    with pytest.raises(TransactionFailed) as replay:
        await restarted.send_transaction(transfer_tx)
    assert replay.value.err == "AlreadyProcessed"
    await restarted.send_transaction(
        signed_transfer(setup, 1, restarted.latest_blockhash().blockhash)
    )
    assert await restarted.get_token_account_balance(setup.bob_ata) == TokenAmount(2_000_001, 6)
    wallet = await funded_wallet(restarted)
    assert await restarted.get_balance(wallet.pubkey()) == 2 * SOL
    assert restarted.genesis_hash == chain.genesis_hash


async def test_token_2022_accounts_are_decoded() -> None:
    chain = make_chain(None)
    setup = await make_token_setup(
        chain, decimals=0, alice_amount=1, program=spl.TOKEN_2022_PROGRAM_ID
    )
    tx = signed_transfer(setup, 1, chain.latest_blockhash().blockhash)
    signature = await chain.send_transaction(tx)

    landed = await chain.get_transaction(signature)
    assert landed is not None
    assert {b.account: b.amount for b in landed.post_token_balances} == {
        setup.alice_ata: 0,
        setup.bob_ata: 1,
    }
    assert {b.program_id for b in landed.post_token_balances} == {spl.TOKEN_2022_PROGRAM_ID}
    accounts = await chain.get_token_accounts_by_owner(setup.bob.pubkey())
    assert [(a.address, a.amount, a.program_id) for a in accounts] == [
        (setup.bob_ata, 1, spl.TOKEN_2022_PROGRAM_ID)
    ]
