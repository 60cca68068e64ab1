"""The same user-visible flows through the `Chain` protocol, on both implementations:
the embedded `LiteSvmChain`, and `RpcChain` talking real HTTP to that chain's JSON-RPC server."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from solders.keypair import Keypair

from ece.chain.protocol import AccountNotFound, Chain, TokenAmount, TransactionFailed
from ece.chain.rpc_client import RpcChain
from ece.chain.tokens import spl
from tests.chain.chain_builders import (
    SOL,
    funded_wallet,
    make_chain,
    make_token_setup,
    serve_chain,
    signed_transfer,
)


@pytest.fixture(params=["embedded", "rpc"])
async def chain(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[Chain]:
    embedded = make_chain(tmp_path)
    if request.param == "embedded":
        yield embedded
        return
    with serve_chain(embedded) as served:
        rpc = RpcChain(served.url, commitment="finalized", cluster="localnet")
        try:
            yield rpc
        finally:
            await rpc.close()


async def test_airdrop_credits_lamports(chain: Chain) -> None:
    wallet = Keypair()
    signature = await chain.request_airdrop(wallet.pubkey(), 3 * SOL)
    status = await chain.confirm_transaction(signature)
    assert status.err is None
    assert status.confirmation_status == "finalized"
    assert await chain.get_balance(wallet.pubkey()) == 3 * SOL


async def test_mint_and_token_accounts(chain: Chain) -> None:
    setup = await make_token_setup(chain, decimals=6, alice_amount=5_000_000)
    assert await chain.get_token_supply(setup.mint) == TokenAmount(5_000_000, 6)
    assert await chain.get_token_account_balance(setup.alice_ata) == TokenAmount(5_000_000, 6)
    assert await chain.get_token_account_balance(setup.bob_ata) == TokenAmount(0, 6)
    accounts = await chain.get_token_accounts_by_owner(setup.alice.pubkey(), mint=setup.mint)
    assert [(a.address, a.mint, a.amount, a.decimals) for a in accounts] == [
        (setup.alice_ata, setup.mint, 5_000_000, 6)
    ]
    mint_account = await chain.get_account_info(setup.mint)
    assert mint_account is not None
    assert mint_account.owner == spl.TOKEN_PROGRAM_ID
    assert spl.decode_mint(bytes(mint_account.data)).mint_authority == setup.authority.pubkey()


async def test_solana_pay_transfer_is_found_by_reference(chain: Chain) -> None:
    setup = await make_token_setup(chain)
    reference = Keypair().pubkey()
    latest = await chain.get_latest_blockhash()
    tx = signed_transfer(setup, 2_000_000, latest.blockhash, reference=reference)

    signature = await chain.send_transaction(tx)
    await chain.confirm_transaction(signature)

    found = await chain.get_signatures_for_address(reference, limit=10)
    assert [info.signature for info in found] == [signature]
    assert found[0].err is None
    confirmed = await chain.get_transaction(signature)
    assert confirmed is not None
    assert confirmed.err is None
    assert reference in confirmed.account_keys
    pre = {b.account: b.amount for b in confirmed.pre_token_balances}
    post = {b.account: b.amount for b in confirmed.post_token_balances}
    assert pre == {setup.alice_ata: 5_000_000, setup.bob_ata: 0}
    assert post == {setup.alice_ata: 3_000_000, setup.bob_ata: 2_000_000}
    assert {b.mint for b in confirmed.post_token_balances} == {setup.mint}
    assert {b.owner for b in confirmed.post_token_balances} == {
        setup.alice.pubkey(),
        setup.bob.pubkey(),
    }
    assert f"Program {spl.TOKEN_PROGRAM_ID} success" in confirmed.log_messages
    assert await chain.get_token_account_balance(setup.bob_ata) == TokenAmount(2_000_000, 6)


async def test_replayed_transaction_is_rejected(chain: Chain) -> None:
    setup = await make_token_setup(chain)
    tx = signed_transfer(setup, 1_000_000, (await chain.get_latest_blockhash()).blockhash)
    await chain.send_transaction(tx)

    with pytest.raises(TransactionFailed) as failure:
        await chain.send_transaction(tx)

    assert failure.value.err == "AlreadyProcessed"
    assert await chain.get_token_account_balance(setup.bob_ata) == TokenAmount(1_000_000, 6)


async def test_failing_transfer_reports_error_and_changes_nothing(chain: Chain) -> None:
    setup = await make_token_setup(chain, alice_amount=5_000_000)
    sol_before = await chain.get_balance(setup.alice.pubkey())
    tx = signed_transfer(setup, 5_000_001, (await chain.get_latest_blockhash()).blockhash)

    with pytest.raises(TransactionFailed) as failure:
        await chain.send_transaction(tx)

    # SPL Token error 1 is InsufficientFunds.
    assert failure.value.err == {"InstructionError": [0, {"Custom": 1}]}
    assert any("insufficient funds" in line.lower() for line in failure.value.logs)
    assert await chain.get_token_account_balance(setup.alice_ata) == TokenAmount(5_000_000, 6)
    assert await chain.get_token_account_balance(setup.bob_ata) == TokenAmount(0, 6)
    assert await chain.get_balance(setup.alice.pubkey()) == sol_before
    assert await chain.get_signature_status(tx.signatures[0]) is None


async def test_missing_accounts_are_reported_as_such(chain: Chain) -> None:
    nobody = Keypair().pubkey()
    assert await chain.get_account_info(nobody) is None
    assert await chain.get_balance(nobody) == 0
    with pytest.raises(AccountNotFound):
        await chain.get_token_account_balance(nobody)
    with pytest.raises(AccountNotFound):
        await chain.get_token_supply(nobody)
    assert await chain.get_transaction(Keypair().sign_message(b"x")) is None


async def test_rent_and_blockhash(chain: Chain) -> None:
    assert await chain.get_minimum_balance_for_rent_exemption(spl.MINT_LEN) > 0
    latest = await chain.get_latest_blockhash()
    assert latest.last_valid_block_height > 0
    wallet = await funded_wallet(chain)
    assert await chain.get_balance(wallet.pubkey()) == 2 * SOL
    assert chain.cluster == "localnet"
