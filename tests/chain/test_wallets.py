"""The one rule for an address a person must sign or spend with (withdrawals, private-listing
takers): no program, no sysvar, nothing off the curve."""

from __future__ import annotations

from solders.keypair import Keypair
from solders.pubkey import Pubkey

from ece.chain.tokens.spl import TOKEN_2022_PROGRAM_ID, TOKEN_PROGRAM_ID
from ece.chain.wallets import NOT_WALLETS, can_be_wallet


def test_keys_are_wallets_programs_sysvars_and_pdas_are_not() -> None:
    assert can_be_wallet(Keypair().pubkey())
    system = Pubkey.from_string("11111111111111111111111111111111")
    assert system.is_on_curve() and not can_be_wallet(system)  # why the list exists
    assert not can_be_wallet(TOKEN_PROGRAM_ID) and not can_be_wallet(TOKEN_2022_PROGRAM_ID)
    assert not can_be_wallet(Pubkey.from_string("SysvarRent111111111111111111111111111111111"))
    pda, _ = Pubkey.find_program_address([b"vault"], TOKEN_PROGRAM_ID)
    assert not can_be_wallet(pda)
    assert all(not can_be_wallet(address) for address in NOT_WALLETS)
