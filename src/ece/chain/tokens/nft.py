"""Card NFTs as Token-2022 mints: instruction builders and sizing (`nft_decoder` reads one back).

A card is a 0-decimal, supply-1 Token-2022 mint that carries its own metadata: the
metadata-pointer extension points at the mint itself and the token-metadata extension stores
name, symbol, URI and extra fields in the mint's TLV area (no Metaplex, which LiteSVM lacks).

Layouts and numbers follow solana-program/token-2022 (`interface/src/extension/mod.rs`,
`metadata_pointer/`) and solana-program/token-metadata (`interface/src/{instruction,state}.rs`).
"""

from __future__ import annotations

import hashlib
import struct
from collections.abc import Sequence
from dataclasses import dataclass
from enum import IntEnum
from typing import Final

from solders.instruction import AccountMeta, Instruction
from solders.message import Message
from solders.pubkey import Pubkey
from solders.system_program import CreateAccountParams, create_account
from solders.transaction import Transaction
from spl.token import constants as spl_constants
from spl.token import instructions as spl_instructions
from spl.token import models as spl_models

TOKEN_2022_PROGRAM_ID: Final[Pubkey] = spl_constants.TOKEN_2022_PROGRAM_ID

# Token-2022 account layout: base mint (82 bytes), zero padding up to the size of a token
# account (165) so mints and accounts with extensions stay distinguishable, one account-type
# byte, then TLV entries (u16 type, u16 length, value), all little-endian.
MINT_BASE_LEN: Final = 82
ACCOUNT_BASE_LEN: Final = 165
ACCOUNT_TYPE_MINT: Final = 1
TLV_HEADER_LEN: Final = 4
MULTISIG_LEN: Final = 355

EXTENSION_METADATA_POINTER: Final = 18
EXTENSION_TOKEN_METADATA: Final = 19
METADATA_POINTER_LEN: Final = 64  # two OptionalNonZeroPubkey (all-zero means None)

# TokenInstruction::MetadataPointerExtension is tag 39; its sub-instruction Initialize is 0.
_METADATA_POINTER_EXTENSION_TAG: Final = 39
_METADATA_POINTER_INITIALIZE: Final = 0

# Borsh enum `Field` of spl-token-metadata-interface: Name, Symbol, Uri, Key(String).
_FIELD_KEY_VARIANT: Final = 3

# Token-metadata sets no limits, but the whole mint must fit one 1232-byte transaction, and
# wallets expect the Metaplex-era bounds, so we keep to those.
MAX_NAME_BYTES: Final = 32
MAX_SYMBOL_BYTES: Final = 10
MAX_URI_BYTES: Final = 200
MAX_FIELD_KEY_BYTES: Final = 32
MAX_FIELD_VALUE_BYTES: Final = 64
PACKET_DATA_SIZE: Final = 1232  # largest serialized transaction a validator accepts

# Solana's default rent: 3480 lamports per byte-year, exempt at two years, plus 128 bytes of
# per-account overhead. LiteSVM and mainnet use these values.
_ACCOUNT_STORAGE_OVERHEAD: Final = 128
_LAMPORTS_PER_BYTE_YEAR: Final = 3480
_EXEMPTION_THRESHOLD_YEARS: Final = 2

_ZERO_KEY: Final = bytes(32)


def _spl_discriminator(preimage: str) -> bytes:
    # spl-discriminator: first 8 bytes of sha256 of "namespace:name".
    return hashlib.sha256(preimage.encode()).digest()[:8]


TOKEN_METADATA_INITIALIZE: Final = _spl_discriminator(
    "spl_token_metadata_interface:initialize_account"
)
TOKEN_METADATA_UPDATE_FIELD: Final = _spl_discriminator(
    "spl_token_metadata_interface:updating_field"
)


class BaseField(IntEnum):
    """The fixed token-metadata fields, numbered as the interface's borsh `Field` enum."""

    NAME = 0
    SYMBOL = 1
    URI = 2


@dataclass(frozen=True, slots=True)
class CardMintSpace:
    """Bytes of the card mint account at creation and after the metadata is written."""

    initial: int  # what create_account allocates: base mint + metadata pointer only
    final: int  # after Token-2022 reallocs for the token-metadata entry


def _borsh_string(value: str) -> bytes:
    encoded = value.encode("utf-8")
    return struct.pack("<I", len(encoded)) + encoded


def _token_metadata_value_len(
    name: str, symbol: str, uri: str, fields: Sequence[tuple[str, str]]
) -> int:
    strings = [name, symbol, uri]
    length = 32 + 32 + 4  # update authority, mint, Vec length prefix
    length += sum(len(_borsh_string(s)) for s in strings)
    length += sum(len(_borsh_string(k)) + len(_borsh_string(v)) for k, v in fields)
    return length


def card_mint_space(
    name: str, symbol: str, uri: str, fields: Sequence[tuple[str, str]] = ()
) -> CardMintSpace:
    """Account sizes for a card mint; fund rent for `final` because Token-2022 reallocs the
    mint as the metadata is written but never tops up its lamports."""
    initial = ACCOUNT_BASE_LEN + 1 + TLV_HEADER_LEN + METADATA_POINTER_LEN
    final = initial + TLV_HEADER_LEN + _token_metadata_value_len(name, symbol, uri, fields)
    # Token-2022 pads an extended account that would be exactly multisig-sized by two bytes,
    # so it can never be mistaken for a multisig.
    if final == MULTISIG_LEN:
        final += 2
    return CardMintSpace(initial=initial, final=final)


def rent_exempt_minimum(space: int) -> int:
    """Lamports for rent exemption at Solana's default rent; a live cluster should be asked
    (getMinimumBalanceForRentExemption) in case its rent differs."""
    years = _EXEMPTION_THRESHOLD_YEARS
    return (_ACCOUNT_STORAGE_OVERHEAD + space) * _LAMPORTS_PER_BYTE_YEAR * years


def initialize_metadata_pointer(
    mint: Pubkey, authority: Pubkey | None, metadata_address: Pubkey | None
) -> Instruction:
    data = (
        bytes([_METADATA_POINTER_EXTENSION_TAG, _METADATA_POINTER_INITIALIZE])
        + (bytes(authority) if authority is not None else _ZERO_KEY)
        + (bytes(metadata_address) if metadata_address is not None else _ZERO_KEY)
    )
    return Instruction(TOKEN_2022_PROGRAM_ID, data, [AccountMeta(mint, False, True)])


def initialize_token_metadata(
    mint: Pubkey,
    update_authority: Pubkey,
    mint_authority: Pubkey,
    name: str,
    symbol: str,
    uri: str,
) -> Instruction:
    # The metadata lives in the mint itself, so the metadata account and the mint coincide.
    data = TOKEN_METADATA_INITIALIZE + _borsh_string(name) + _borsh_string(symbol)
    data += _borsh_string(uri)
    accounts = [
        AccountMeta(mint, False, True),
        AccountMeta(update_authority, False, False),
        AccountMeta(mint, False, False),
        AccountMeta(mint_authority, True, False),
    ]
    return Instruction(TOKEN_2022_PROGRAM_ID, data, accounts)


def update_token_metadata_field(
    mint: Pubkey, update_authority: Pubkey, field: BaseField | str, value: str
) -> Instruction:
    """Set name/symbol/uri (a `BaseField`) or an additional key (a `str`) on a card's metadata."""
    if isinstance(field, BaseField):
        encoded_field = bytes([field])
    else:
        encoded_field = bytes([_FIELD_KEY_VARIANT]) + _borsh_string(field)
    data = TOKEN_METADATA_UPDATE_FIELD + encoded_field + _borsh_string(value)
    accounts = [AccountMeta(mint, False, True), AccountMeta(update_authority, True, False)]
    return Instruction(TOKEN_2022_PROGRAM_ID, data, accounts)


def card_custody_account(custody_owner: Pubkey, mint: Pubkey) -> Pubkey:
    """The custody owner's associated token account for a card (Token-2022 derivation)."""
    address: Pubkey = spl_instructions.get_associated_token_address(
        custody_owner, mint, TOKEN_2022_PROGRAM_ID
    )
    return address


def _check_len(what: str, value: str, limit: int) -> None:
    if len(value.encode("utf-8")) > limit:
        raise ValueError(f"{what} is longer than {limit} bytes")


def _check_card_inputs(name: str, symbol: str, uri: str, fields: Sequence[tuple[str, str]]) -> None:
    _check_len("name", name, MAX_NAME_BYTES)
    _check_len("symbol", symbol, MAX_SYMBOL_BYTES)
    _check_len("uri", uri, MAX_URI_BYTES)
    for key, value in fields:
        _check_len("field key", key, MAX_FIELD_KEY_BYTES)
        _check_len("field value", value, MAX_FIELD_VALUE_BYTES)
    keys = [key for key, _ in fields]
    if len(set(keys)) != len(keys):
        raise ValueError("metadata field keys must be unique")


def _create_card_mint(
    payer: Pubkey, mint: Pubkey, authority: Pubkey, rent_lamports: int, space: CardMintSpace
) -> list[Instruction]:
    """The mint account, its metadata pointer and the mint itself (0 decimals)."""
    return [
        create_account(
            CreateAccountParams(
                from_pubkey=payer,
                to_pubkey=mint,
                lamports=rent_lamports,
                space=space.initial,
                owner=TOKEN_2022_PROGRAM_ID,
            )
        ),
        # The pointer must be set before InitializeMint2. Its authority is None: the metadata is
        # embedded in the mint, so there is never a reason to repoint it elsewhere (a spoof risk).
        initialize_metadata_pointer(mint, authority=None, metadata_address=mint),
        # No freeze authority: once a card is withdrawn it is the holder's, and a platform key
        # able to freeze it would be a standing risk that wallets flag. Custody is enforced
        # in the ledger, not on chain.
        spl_instructions.initialize_mint2(
            spl_models.InitializeMint2Params(
                decimals=0,
                program_id=TOKEN_2022_PROGRAM_ID,
                mint=mint,
                mint_authority=authority,
                freeze_authority=None,
            )
        ),
    ]


def _card_metadata(
    mint: Pubkey,
    authority: Pubkey,
    name: str,
    symbol: str,
    uri: str,
    fields: Sequence[tuple[str, str]],
) -> list[Instruction]:
    # The update authority stays with the platform so a card's metadata can be corrected
    # (e.g. a moved URI) even after the supply is fixed.
    return [
        initialize_token_metadata(mint, authority, authority, name, symbol, uri),
        *(update_token_metadata_field(mint, authority, k, v) for k, v in fields),
    ]


def _mint_one_into_custody(
    payer: Pubkey, mint: Pubkey, authority: Pubkey, custody_owner: Pubkey
) -> list[Instruction]:
    """Custody's account for the card, its single token, then no mint authority ever again."""
    custody_account = card_custody_account(custody_owner, mint)
    return [
        spl_instructions.create_idempotent_associated_token_account(
            payer, custody_owner, mint, TOKEN_2022_PROGRAM_ID
        ),
        # Checked variant: the program rejects it if the mint's decimals are not 0.
        spl_instructions.mint_to_checked(
            spl_models.MintToCheckedParams(
                program_id=TOKEN_2022_PROGRAM_ID,
                mint=mint,
                dest=custody_account,
                mint_authority=authority,
                amount=1,
                decimals=0,
            )
        ),
        # Removing the mint authority fixes the supply at exactly 1 forever.
        spl_instructions.set_authority(
            spl_models.SetAuthorityParams(
                program_id=TOKEN_2022_PROGRAM_ID,
                account=mint,
                authority=spl_models.AuthorityType.MINT_TOKENS,
                current_authority=authority,
                new_authority=None,
            )
        ),
    ]


def _check_fits_one_transaction(instructions: list[Instruction], payer: Pubkey) -> None:
    # Minting must be atomic (a half-made card would keep its mint authority), so it has to
    # fit in a single transaction; signature slots are 64 bytes whoever fills them.
    size = len(bytes(Transaction.new_unsigned(Message(instructions, payer))))
    if size > PACKET_DATA_SIZE:
        raise ValueError(f"card mint needs {size} bytes, over the {PACKET_DATA_SIZE}-byte limit")


def build_card_mint(
    payer: Pubkey,
    mint: Pubkey,
    authority: Pubkey,
    custody_owner: Pubkey,
    name: str,
    symbol: str,
    uri: str,
    rent_lamports: int,
    *,
    fields: Sequence[tuple[str, str]] = (),
) -> list[Instruction]:
    """Instructions that mint one card NFT into the custody owner's token account.

    Signers: `payer`, `mint` (new account) and `authority`. `rent_lamports` must cover
    `card_mint_space(name, symbol, uri, fields).final`. Extra `fields` become token-metadata
    key/value pairs (e.g. company, serial).
    """
    _check_card_inputs(name, symbol, uri, fields)
    space = card_mint_space(name, symbol, uri, fields)
    if rent_lamports < rent_exempt_minimum(space.final):
        # Only a floor at default rent: a cluster with higher rent would still reject it.
        raise ValueError(f"rent_lamports must cover {space.final} bytes")
    instructions = [
        *_create_card_mint(payer, mint, authority, rent_lamports, space),
        *_card_metadata(mint, authority, name, symbol, uri, fields),
        *_mint_one_into_custody(payer, mint, authority, custody_owner),
    ]
    _check_fits_one_transaction(instructions, payer)
    return instructions
