"""Which addresses can be a person's wallet: the one rule for every address a user gives us as
someone who will sign or spend (a withdrawal's destination, a private listing's taker). Pure:
no chain access."""

from __future__ import annotations

from solders.pubkey import Pubkey

# Programs and sysvars: nobody holds their keys (several, e.g. the System Program, are even
# on the curve), so nobody can sign as them nor spend what is sent to them.
NOT_WALLETS = frozenset(
    Pubkey.from_string(address)
    for address in (
        "11111111111111111111111111111111",  # System
        "TokenkegQfeZyiNwAJbNbGKPFXCWuBvf9Ss623VQ5DA",  # SPL Token
        "TokenzQdBNbLqP5VEhdkAS6EPFLC1PHnBqCXEpPxuEb",  # Token-2022
        "ATokenGPvbdGVxr1b2hvZbsiqW5xWH25efTNsLJA8knL",  # Associated Token Account
        "MemoSq4gqABAXKb96qnH8TysNcWxMyWCqXgDLGmfcHr",  # Memo v2
        "Memo1UhkJRfHyvLMcVucJwxXeuD728EqVDDwQDxFMNo",  # Memo v1
        "ComputeBudget111111111111111111111111111111",
        "AddressLookupTab1e1111111111111111111111111",
        "Stake11111111111111111111111111111111111111",
        "Vote111111111111111111111111111111111111111",
        "Config1111111111111111111111111111111111111",
        "Ed25519SigVerify111111111111111111111111111",
        "KeccakSecp256k11111111111111111111111111111",
        "BPFLoader1111111111111111111111111111111111",
        "BPFLoader2111111111111111111111111111111111",
        "BPFLoaderUpgradeab1e11111111111111111111111",
        "LoaderV411111111111111111111111111111111111",
        "NativeLoader1111111111111111111111111111111",
        "Sysvar1111111111111111111111111111111111111",
        "SysvarC1ock11111111111111111111111111111111",
        "SysvarRent111111111111111111111111111111111",
        "SysvarEpochSchedu1e111111111111111111111111",
        "SysvarFees111111111111111111111111111111111",
        "SysvarRecentB1ockHashes11111111111111111111",
        "SysvarS1otHashes111111111111111111111111111",
        "SysvarS1otHistory11111111111111111111111111",
        "SysvarStakeHistory1111111111111111111111111",
        "Sysvar1nstructions1111111111111111111111111",
        "SysvarEpochRewards1111111111111111111111111",
        "SysvarLastRestartS1ot1111111111111111111111",
        "Feature111111111111111111111111111111111111",  # the feature-gate program
        "1nc1nerator11111111111111111111111111111111",  # the incinerator: burned, by design
        # Wrapped SOL's native mints: a mint, not a wallet, even where the chain lacks it.
        "So11111111111111111111111111111111111111112",
        "9pan9bMn5HatX4EJdBwg9VgCa7Uz5HL8N1m5D3NdXejP",
    )
)
SYSVAR_OWNER = Pubkey.from_string("Sysvar1111111111111111111111111111111111111")


def can_be_wallet(address: Pubkey) -> bool:
    """Whether a person could hold the key of ``address``: not a known program or sysvar, and
    on the ed25519 curve (an off-curve address is program-derived: only its program signs)."""
    return address not in NOT_WALLETS and address.is_on_curve()
