"""Card minting against the real Token-2022 program running in LiteSVM."""

from __future__ import annotations

import hashlib
import struct
from dataclasses import dataclass

import pytest
from solders.instruction import Instruction
from solders.keypair import Keypair
from solders.litesvm import LiteSVM
from solders.message import Message
from solders.pubkey import Pubkey
from solders.transaction import Transaction
from solders.transaction_metadata import FailedTransactionMetadata, TransactionMetadata
from spl.token import instructions as spl_instructions
from spl.token import models as spl_models

from ece.chain.tokens.nft import (
    EXTENSION_METADATA_POINTER,
    EXTENSION_TOKEN_METADATA,
    PACKET_DATA_SIZE,
    TOKEN_2022_PROGRAM_ID,
    BaseField,
    build_card_mint,
    card_custody_account,
    card_mint_space,
    rent_exempt_minimum,
    update_token_metadata_field,
)
from ece.chain.tokens.nft_decoder import Token2022Mint, decode_token2022_mint

URI = "ipfs://bafkreibm6jg3ux5qumhcn2b3flc3tyu6dmlb4xa7u5bf44yegnrjhc4yeq"
FIELDS = (("company", 'Acme <Corp> & "Sons"'), ("serial", "#7/50"))
# sha256 of the serialized instructions of test_card_mint_instructions_are_pinned's card.
PINNED_CARD_MINT_DIGEST = "dc7b7638f21827148b432d99d8eb523bcd0d7b6ba1af5ac45092b35f23f1200f"


@dataclass
class Card:
    svm: LiteSVM
    payer: Keypair
    authority: Keypair
    custody_owner: Keypair
    mint: Keypair


def send(svm: LiteSVM, signers: list[Keypair], instructions: list[Instruction]) -> object:
    message = Message(instructions, signers[0].pubkey())
    result = svm.send_transaction(Transaction(signers, message, svm.latest_blockhash()))
    svm.expire_blockhash()  # LiteSVM only honours the latest blockhash; never replay one
    return result


def make_card(
    name: str = "Acme Legend",
    symbol: str = "ACME",
    uri: str = URI,
    fields: tuple[tuple[str, str], ...] = FIELDS,
    svm: LiteSVM | None = None,
    custody_owner: Keypair | None = None,
) -> Card:
    svm = svm or LiteSVM()
    payer, authority, mint = Keypair(), Keypair(), Keypair()
    custody_owner = custody_owner or Keypair()
    svm.airdrop(payer.pubkey(), 10_000_000_000)
    rent = svm.minimum_balance_for_rent_exemption(card_mint_space(name, symbol, uri, fields).final)
    instructions = build_card_mint(
        payer.pubkey(),
        mint.pubkey(),
        authority.pubkey(),
        custody_owner.pubkey(),
        name,
        symbol,
        uri,
        rent,
        fields=fields,
    )
    result = send(svm, [payer, mint, authority], instructions)
    assert isinstance(result, TransactionMetadata), result
    return Card(svm, payer, authority, custody_owner, mint)


def some_keys() -> tuple[Pubkey, Pubkey, Pubkey, Pubkey]:
    """payer, mint, authority, custody owner for tests that only build instructions."""
    return Keypair().pubkey(), Keypair().pubkey(), Keypair().pubkey(), Keypair().pubkey()


def read_mint(card: Card) -> Token2022Mint:
    account = card.svm.get_account(card.mint.pubkey())
    assert account is not None
    return decode_token2022_mint(bytes(account.data))


def token_balance(svm: LiteSVM, address: Pubkey) -> tuple[Pubkey, Pubkey, int]:
    account = svm.get_account(address)
    assert account is not None
    assert account.owner == TOKEN_2022_PROGRAM_ID
    data = bytes(account.data)
    # Token account base layout: mint (32), owner (32), amount (u64 LE).
    return (
        Pubkey.from_bytes(data[:32]),
        Pubkey.from_bytes(data[32:64]),
        struct.unpack_from("<Q", data, 64)[0],
    )


def test_minted_card_is_a_fixed_supply_token2022_nft_with_its_metadata() -> None:
    card = make_card()

    account = card.svm.get_account(card.mint.pubkey())
    assert account is not None
    assert account.owner == TOKEN_2022_PROGRAM_ID
    space = card_mint_space("Acme Legend", "ACME", URI, FIELDS)
    assert len(account.data) == space.final
    assert account.lamports >= card.svm.minimum_balance_for_rent_exemption(space.final)

    mint = decode_token2022_mint(bytes(account.data))
    assert mint.is_initialized
    assert mint.supply == 1
    assert mint.decimals == 0
    assert mint.mint_authority is None
    assert mint.freeze_authority is None
    assert mint.extension_types == (EXTENSION_METADATA_POINTER, EXTENSION_TOKEN_METADATA)
    assert mint.metadata_pointer is not None
    assert mint.metadata_pointer.metadata_address == card.mint.pubkey()
    assert mint.metadata_pointer.authority is None
    metadata = mint.token_metadata
    assert metadata is not None
    assert (metadata.name, metadata.symbol, metadata.uri) == ("Acme Legend", "ACME", URI)
    assert metadata.mint == card.mint.pubkey()
    assert metadata.update_authority == card.authority.pubkey()
    assert metadata.additional_metadata == FIELDS


def test_custody_owner_holds_exactly_one() -> None:
    card = make_card()
    ata = card_custody_account(card.custody_owner.pubkey(), card.mint.pubkey())
    assert token_balance(card.svm, ata) == (card.mint.pubkey(), card.custody_owner.pubkey(), 1)


def test_second_mint_to_is_rejected_and_supply_stays_one() -> None:
    card = make_card()
    ata = card_custody_account(card.custody_owner.pubkey(), card.mint.pubkey())
    mint_again = spl_instructions.mint_to(
        spl_models.MintToParams(
            program_id=TOKEN_2022_PROGRAM_ID,
            mint=card.mint.pubkey(),
            dest=ata,
            mint_authority=card.authority.pubkey(),
            amount=1,
        )
    )

    result = send(card.svm, [card.payer, card.authority], [mint_again])

    assert isinstance(result, FailedTransactionMetadata)
    assert read_mint(card).supply == 1
    assert token_balance(card.svm, ata)[2] == 1


def test_card_without_extra_fields() -> None:
    card = make_card(fields=())
    metadata = read_mint(card).token_metadata
    assert metadata is not None
    assert metadata.additional_metadata == ()


def test_two_cards_in_one_custody_get_separate_accounts() -> None:
    first = make_card(name="First")
    second = make_card(name="Second", svm=first.svm, custody_owner=first.custody_owner)
    owner = first.custody_owner.pubkey()
    for card in (first, second):
        ata = card_custody_account(owner, card.mint.pubkey())
        assert token_balance(first.svm, ata) == (card.mint.pubkey(), owner, 1)


def test_platform_can_correct_metadata_after_supply_is_fixed() -> None:
    card = make_card()
    # Same length as the old URI: a longer value would grow the account, and Token-2022 does
    # not fund that realloc, so the caller would have to top up the mint's lamports first.
    new_uri = "ipfs://bafkreidgvpkjawlxz6sffxzwgooowe5yt7i6wsyg236mfoks77nywkptdq"
    assert len(new_uri) == len(URI)
    fix_uri = update_token_metadata_field(
        card.mint.pubkey(), card.authority.pubkey(), BaseField.URI, new_uri
    )

    result = send(card.svm, [card.payer, card.authority], [fix_uri])

    assert isinstance(result, TransactionMetadata), result
    metadata = read_mint(card).token_metadata
    assert metadata is not None
    assert metadata.uri == new_uri
    assert metadata.additional_metadata == FIELDS


def test_metadata_update_by_someone_else_is_rejected() -> None:
    card = make_card()
    stranger = Keypair()
    forged = update_token_metadata_field(card.mint.pubkey(), stranger.pubkey(), "serial", "#1/1")

    result = send(card.svm, [card.payer, stranger], [forged])

    assert isinstance(result, FailedTransactionMetadata)
    metadata = read_mint(card).token_metadata
    assert metadata is not None
    assert dict(metadata.additional_metadata)["serial"] == "#7/50"


def test_largest_allowed_card_fits_one_transaction() -> None:
    name, symbol, uri = "N" * 32, "S" * 10, "u" * 200
    fields = (("company", "C" * 64), ("serial", "#10000/10000"))
    keys = some_keys()
    rent = rent_exempt_minimum(card_mint_space(name, symbol, uri, fields).final)
    instructions = build_card_mint(*keys, name, symbol, uri, rent, fields=fields)
    # Unsigned: signature slots are 64 bytes each whoever fills them.
    transaction = Transaction.new_unsigned(Message(instructions, keys[0]))
    assert transaction.message.header.num_required_signatures == 3  # payer, mint, authority
    assert len(bytes(transaction)) <= PACKET_DATA_SIZE


@pytest.mark.parametrize("space", [0, 82, 234, 444, 357, 10_000])
def test_default_rent_matches_the_runtime(space: int) -> None:
    assert rent_exempt_minimum(space) == LiteSVM().minimum_balance_for_rent_exemption(space)


def test_underfunded_rent_is_refused() -> None:
    keys = some_keys()
    space = card_mint_space("Acme", "ACME", URI)
    with pytest.raises(ValueError, match="rent"):
        build_card_mint(*keys, "Acme", "ACME", URI, rent_exempt_minimum(space.initial))


@pytest.mark.parametrize(
    ("name", "symbol", "uri", "fields"),
    [
        ("N" * 33, "ACME", URI, ()),
        ("Acme", "S" * 11, URI, ()),
        ("Acme", "ACME", "u" * 201, ()),
        ("Acme", "ACME", URI, (("serial", "#1"), ("serial", "#2"))),
        ("Acme", "ACME", URI, (("company", "C" * 65),)),
    ],
)
def test_invalid_card_inputs_are_refused(
    name: str, symbol: str, uri: str, fields: tuple[tuple[str, str], ...]
) -> None:
    keys = some_keys()
    with pytest.raises(ValueError, match=r"bytes|unique"):
        build_card_mint(*keys, name, symbol, uri, 10**9, fields=fields)


def test_card_too_big_for_one_transaction_is_refused() -> None:
    keys = some_keys()
    fields = tuple((f"key{i}", "v" * 64) for i in range(8))
    with pytest.raises(ValueError, match="1232-byte limit"):
        build_card_mint(*keys, "Acme", "ACME", URI, 10**9, fields=fields)


def test_space_grows_past_multisig_size_like_token2022() -> None:
    # A mint whose TLV data would end at exactly 355 bytes is padded by two bytes.
    base = card_mint_space("", "", "").final
    assert base < 355
    space = card_mint_space("x" * (355 - base), "", "")
    assert space.final == 357


def test_decoder_reads_a_plain_mint_without_extensions() -> None:
    authority = Keypair().pubkey()
    data = struct.pack("<I32sQB?I32s", 1, bytes(authority), 5, 6, True, 0, bytes(32))
    mint = decode_token2022_mint(data)
    assert (mint.mint_authority, mint.supply, mint.decimals) == (authority, 5, 6)
    assert mint.extension_types == ()
    assert mint.token_metadata is None


def test_decoder_rejects_malformed_accounts() -> None:
    good = bytes(read_mint_account_data())
    with pytest.raises(ValueError, match="shorter"):
        decode_token2022_mint(good[:50])
    with pytest.raises(ValueError, match="length"):
        decode_token2022_mint(good[:120])
    with pytest.raises(ValueError, match="account type"):
        decode_token2022_mint(good[:165] + b"\x02" + good[166:])
    with pytest.raises(ValueError, match="padding"):
        decode_token2022_mint(good[:100] + b"\x01" + good[101:])
    with pytest.raises(ValueError, match="truncated"):
        decode_token2022_mint(good[:-10])


def read_mint_account_data() -> bytes:
    card = make_card()
    account = card.svm.get_account(card.mint.pubkey())
    assert account is not None
    return bytes(account.data)


def test_card_mint_instructions_are_pinned() -> None:
    # The exact instruction list of a card mint (programs, accounts, data), pinned by a digest
    # taken before build_card_mint was split into steps: any change to what is sent shows here.
    payer, mint, authority, custody = (Pubkey(bytes([n]) * 32) for n in (1, 2, 3, 4))
    instructions = build_card_mint(
        payer, mint, authority, custody, "Acme Legend", "ACME", URI, 10**9, fields=FIELDS
    )
    programs = [str(instruction.program_id)[:8] for instruction in instructions]
    assert programs == [
        "11111111",  # create the mint account
        "TokenzQd",  # metadata pointer
        "TokenzQd",  # InitializeMint2
        "TokenzQd",  # token metadata
        "TokenzQd",  # field: company
        "TokenzQd",  # field: serial
        "ATokenGP",  # custody's associated account
        "TokenzQd",  # mint 1, checked
        "TokenzQd",  # drop the mint authority
    ]
    digest = hashlib.sha256(b"".join(bytes(instruction) for instruction in instructions))
    assert digest.hexdigest() == PINNED_CARD_MINT_DIGEST
