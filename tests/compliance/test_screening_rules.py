"""Reading a published deny list, without a database."""

from __future__ import annotations

from solders.keypair import Keypair

from ece.compliance.screening_rules import parse_list, valid_address

A = str(Keypair().pubkey())
B = str(Keypair().pubkey())


def test_valid_address_is_canonical_base58_only() -> None:
    assert valid_address(f"  {A} ") == A
    assert valid_address("0OIl") is None
    assert valid_address(A[:-1]) is None or valid_address(A[:-1]) != A
    assert valid_address("") is None
    assert valid_address("x" * 100) is None


def test_one_address_a_line_with_comments_blanks_junk_and_repeats() -> None:
    parsed = parse_list(f"# OFAC list\n{A}\n\nnot-an-address\n{B}\n{A}\n")
    assert parsed.addresses == (A, B)
    assert (parsed.invalid, parsed.duplicates) == (1, 1)


def test_csv_with_an_address_column() -> None:
    parsed = parse_list(
        f"name,Address,chain\nmixer,{A},sol\nbad,xyz,sol\nshort\nexchange,{B},sol\n"
    )
    assert parsed.addresses == (A, B)
    assert parsed.invalid == 2


def test_empty_file() -> None:
    assert parse_list("").addresses == ()
    assert parse_list("\n# only a comment\n").invalid == 0
