"""SPL Token / Token-2022 instruction builders and account decoders.

Builders wrap solana-py's `spl.token.instructions` with typed signatures; decoders read the
classic 82-byte mint and 165-byte token-account layouts, plus Token-2022 extensions (TLV after
the account-type byte at offset 165).
"""

from __future__ import annotations

import struct
from collections.abc import Sequence
from dataclasses import dataclass, field

from solders.instruction import AccountMeta, Instruction
from solders.pubkey import Pubkey
from solders.system_program import CreateAccountParams, create_account
from spl.token import instructions as spl_ix
from spl.token import models as spl_models
from spl.token.constants import (
    ACCOUNT_LEN,
    ASSOCIATED_TOKEN_PROGRAM_ID,
    MINT_LEN,
    MULTISIG_LEN,
    TOKEN_2022_PROGRAM_ID,
    TOKEN_PROGRAM_ID,
)

__all__ = [
    "ACCOUNT_LEN",
    "ASSOCIATED_TOKEN_PROGRAM_ID",
    "MINT_LEN",
    "TOKEN_2022_PROGRAM_ID",
    "TOKEN_PROGRAMS",
    "TOKEN_PROGRAM_ID",
    "MintState",
    "TokenAccountState",
    "TokenExtension",
    "TokenMetadata",
    "create_associated_token_account_idempotent",
    "create_mint_instructions",
    "decode_mint",
    "decode_token_account",
    "get_associated_token_address",
    "is_mint",
    "is_token_account",
    "mint_to",
    "transfer_checked",
]

TOKEN_PROGRAMS: frozenset[Pubkey] = frozenset({TOKEN_PROGRAM_ID, TOKEN_2022_PROGRAM_ID})

# Token-2022 account-type byte (offset 165) and extension type numbers we decode.
_ACCOUNT_TYPE_OFFSET = ACCOUNT_LEN
_ACCOUNT_TYPE_MINT = 1
_ACCOUNT_TYPE_ACCOUNT = 2
EXTENSION_IMMUTABLE_OWNER = 7
EXTENSION_METADATA_POINTER = 18
EXTENSION_TOKEN_METADATA = 19

_ACCOUNT_STATES = {0: "uninitialized", 1: "initialized", 2: "frozen"}


# --- instruction builders -------------------------------------------------------------------


def get_associated_token_address(
    owner: Pubkey, mint: Pubkey, token_program: Pubkey = TOKEN_PROGRAM_ID
) -> Pubkey:
    address: Pubkey = spl_ix.get_associated_token_address(owner, mint, token_program)
    return address


def create_mint_instructions(
    *,
    payer: Pubkey,
    mint: Pubkey,
    decimals: int,
    mint_authority: Pubkey,
    rent_lamports: int,
    freeze_authority: Pubkey | None = None,
    token_program: Pubkey = TOKEN_PROGRAM_ID,
) -> list[Instruction]:
    """Create and initialize a plain mint account (`mint` must also sign).

    `rent_lamports` comes from `chain.get_minimum_balance_for_rent_exemption(MINT_LEN)`.
    """
    create = create_account(
        CreateAccountParams(
            from_pubkey=payer,
            to_pubkey=mint,
            lamports=rent_lamports,
            space=MINT_LEN,
            owner=token_program,
        )
    )
    initialize: Instruction = spl_ix.initialize_mint2(
        spl_models.InitializeMint2Params(
            decimals=decimals,
            program_id=token_program,
            mint=mint,
            mint_authority=mint_authority,
            freeze_authority=freeze_authority,
        )
    )
    return [create, initialize]


def create_associated_token_account_idempotent(
    *, payer: Pubkey, owner: Pubkey, mint: Pubkey, token_program: Pubkey = TOKEN_PROGRAM_ID
) -> Instruction:
    instruction: Instruction = spl_ix.create_idempotent_associated_token_account(
        payer, owner, mint, token_program
    )
    return instruction


def mint_to(
    *,
    mint: Pubkey,
    destination: Pubkey,
    mint_authority: Pubkey,
    amount: int,
    token_program: Pubkey = TOKEN_PROGRAM_ID,
    multisig_signers: Sequence[Pubkey] = (),
) -> Instruction:
    instruction: Instruction = spl_ix.mint_to(
        spl_models.MintToParams(
            program_id=token_program,
            mint=mint,
            dest=destination,
            mint_authority=mint_authority,
            amount=amount,
            signers=list(multisig_signers),
        )
    )
    return instruction


def transfer_checked(
    *,
    source: Pubkey,
    mint: Pubkey,
    destination: Pubkey,
    owner: Pubkey,
    amount: int,
    decimals: int,
    token_program: Pubkey = TOKEN_PROGRAM_ID,
    multisig_signers: Sequence[Pubkey] = (),
    references: Sequence[Pubkey] = (),
) -> Instruction:
    """`TransferChecked`; `references` are appended as read-only keys (Solana Pay), which the
    token program ignores but which make the transaction findable by `getSignaturesForAddress`."""
    instruction: Instruction = spl_ix.transfer_checked(
        spl_models.TransferCheckedParams(
            program_id=token_program,
            source=source,
            mint=mint,
            dest=destination,
            owner=owner,
            amount=amount,
            decimals=decimals,
            signers=list(multisig_signers),
        )
    )
    if not references:
        return instruction
    extra = [AccountMeta(ref, is_signer=False, is_writable=False) for ref in references]
    return Instruction(instruction.program_id, instruction.data, [*instruction.accounts, *extra])


# --- account decoders -----------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class TokenMetadata:
    """Token-2022 token-metadata extension (what wallets show for a card)."""

    update_authority: Pubkey | None
    mint: Pubkey
    name: str
    symbol: str
    uri: str
    additional_metadata: list[tuple[str, str]]


@dataclass(frozen=True, slots=True)
class TokenExtension:
    extension_type: int
    value: bytes


@dataclass(frozen=True, slots=True)
class MintState:
    mint_authority: Pubkey | None
    supply: int
    decimals: int
    is_initialized: bool
    freeze_authority: Pubkey | None
    extensions: list[TokenExtension] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class TokenAccountState:
    mint: Pubkey
    owner: Pubkey
    amount: int
    delegate: Pubkey | None
    state: str
    is_native: int | None
    delegated_amount: int
    close_authority: Pubkey | None
    extensions: list[TokenExtension] = field(default_factory=list)


def _coption_pubkey(data: bytes, offset: int) -> Pubkey | None:
    (tag,) = struct.unpack_from("<I", data, offset)
    return Pubkey.from_bytes(data[offset + 4 : offset + 36]) if tag == 1 else None


def _extensions(data: bytes) -> list[TokenExtension]:
    found: list[TokenExtension] = []
    offset = _ACCOUNT_TYPE_OFFSET + 1
    while offset + 4 <= len(data):
        ext_type, length = struct.unpack_from("<HH", data, offset)
        if ext_type == 0:  # the rest is zero padding
            break
        found.append(TokenExtension(ext_type, bytes(data[offset + 4 : offset + 4 + length])))
        offset += 4 + length
    return found


def _account_type(data: bytes) -> int | None:
    return data[_ACCOUNT_TYPE_OFFSET] if len(data) > ACCOUNT_LEN else None


def is_mint(data: bytes, owner: Pubkey) -> bool:
    if owner not in TOKEN_PROGRAMS:
        return False
    if len(data) == MINT_LEN:
        return True
    return owner == TOKEN_2022_PROGRAM_ID and _account_type(data) == _ACCOUNT_TYPE_MINT


def is_token_account(data: bytes, owner: Pubkey) -> bool:
    if owner not in TOKEN_PROGRAMS:
        return False
    if len(data) == ACCOUNT_LEN:
        return True
    return (
        owner == TOKEN_2022_PROGRAM_ID
        and len(data) != MULTISIG_LEN
        and _account_type(data) == _ACCOUNT_TYPE_ACCOUNT
    )


def decode_mint(data: bytes) -> MintState:
    if len(data) < MINT_LEN:
        raise ValueError("not a mint: too short")
    (supply,) = struct.unpack_from("<Q", data, 36)
    return MintState(
        mint_authority=_coption_pubkey(data, 0),
        supply=supply,
        decimals=data[44],
        is_initialized=bool(data[45]),
        freeze_authority=_coption_pubkey(data, 46),
        extensions=_extensions(data) if len(data) > ACCOUNT_LEN else [],
    )


def decode_token_account(data: bytes) -> TokenAccountState:
    if len(data) < ACCOUNT_LEN:
        raise ValueError("not a token account: too short")
    amount, native_tag, native, delegated = (
        struct.unpack_from("<Q", data, 64)[0],
        struct.unpack_from("<I", data, 109)[0],
        struct.unpack_from("<Q", data, 113)[0],
        struct.unpack_from("<Q", data, 121)[0],
    )
    return TokenAccountState(
        mint=Pubkey.from_bytes(data[0:32]),
        owner=Pubkey.from_bytes(data[32:64]),
        amount=amount,
        delegate=_coption_pubkey(data, 72),
        state=_ACCOUNT_STATES.get(data[108], "uninitialized"),
        is_native=native if native_tag == 1 else None,
        delegated_amount=delegated,
        close_authority=_coption_pubkey(data, 129),
        extensions=_extensions(data) if len(data) > ACCOUNT_LEN else [],
    )


def _optional_nonzero_pubkey(raw: bytes) -> Pubkey | None:
    return None if raw == bytes(32) else Pubkey.from_bytes(raw)


def decode_metadata_pointer(value: bytes) -> tuple[Pubkey | None, Pubkey | None]:
    """(authority, metadata address) of a metadata-pointer extension."""
    return _optional_nonzero_pubkey(value[0:32]), _optional_nonzero_pubkey(value[32:64])


def decode_token_metadata(value: bytes) -> TokenMetadata:
    offset = 64

    def read_str() -> str:
        nonlocal offset
        (length,) = struct.unpack_from("<I", value, offset)
        text = value[offset + 4 : offset + 4 + length].decode()
        offset += 4 + length
        return text

    name, symbol, uri = read_str(), read_str(), read_str()
    (count,) = struct.unpack_from("<I", value, offset)
    offset += 4
    additional = [(read_str(), read_str()) for _ in range(count)]
    return TokenMetadata(
        update_authority=_optional_nonzero_pubkey(value[0:32]),
        mint=Pubkey.from_bytes(value[32:64]),
        name=name,
        symbol=symbol,
        uri=uri,
        additional_metadata=additional,
    )
