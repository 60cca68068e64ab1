"""Reading what a transaction paid into custody, and the ignore rule (no database)."""

from __future__ import annotations

from solders.hash import Hash
from solders.keypair import Keypair
from solders.message import MessageV0
from solders.pubkey import Pubkey
from solders.signature import Signature
from solders.transaction import VersionedTransaction

from ece.chain.protocol import ConfirmedTransaction, TokenBalance
from ece.chain.tokens import spl
from ece.core.money import Asset
from ece.payments.intake import signed_by
from ece.payments.rules import ignore_reason
from ece.payments.solana_pay import IncomingTransfer, incoming_transfers, is_deposit_account

CUSTODY = Keypair().pubkey()
MINT = Keypair().pubkey()
PAYER = Keypair()
SOURCE = spl.get_associated_token_address(PAYER.pubkey(), MINT)
TARGET = spl.get_associated_token_address(CUSTODY, MINT)
REFERENCE = Keypair().pubkey()


def confirmed(amounts: list[int], *, before: int, after: int) -> ConfirmedTransaction:
    """Transfers of ``amounts`` into custody, whose balance went from ``before`` to ``after``."""
    instructions = [
        spl.transfer_checked(
            source=SOURCE,
            mint=MINT,
            destination=TARGET,
            owner=PAYER.pubkey(),
            amount=amount,
            decimals=6,
            references=[REFERENCE],
        )
        for amount in amounts
    ]
    message = MessageV0.try_compile(PAYER.pubkey(), instructions, [], Hash.default())
    tx = VersionedTransaction(message, [PAYER])
    keys = list(message.account_keys)

    def balance(account: Pubkey, owner: Pubkey, amount: int) -> TokenBalance:
        return TokenBalance(
            keys.index(account), account, MINT, owner, spl.TOKEN_PROGRAM_ID, amount, 6
        )

    return ConfirmedTransaction(
        signature=Signature.default(),
        slot=1,
        block_time=None,
        err=None,
        fee=5000,
        account_keys=keys,
        log_messages=[],
        pre_balances=[],
        post_balances=[],
        pre_token_balances=[balance(TARGET, CUSTODY, before), balance(SOURCE, PAYER.pubkey(), 50)],
        post_token_balances=[balance(TARGET, CUSTODY, after), balance(SOURCE, PAYER.pubkey(), 0)],
        transaction=tx,
    )


def test_a_transfer_custody_received_is_read_with_its_sender_and_reference() -> None:
    (found,) = incoming_transfers(confirmed([7], before=3, after=10), custody_owner=CUSTODY)
    assert (found.amount, found.verified, found.mint, found.sender) == (
        7,
        True,
        MINT,
        PAYER.pubkey(),
    )
    assert found.references == (REFERENCE,) and found.instruction_index == 0


def test_an_amount_custody_did_not_receive_is_unverified() -> None:
    found = incoming_transfers(confirmed([7, 5], before=0, after=7), custody_owner=CUSTODY)
    assert [t.verified for t in found if t.instruction_index >= 0] == [False, False]
    # What did arrive (7) is still accounted for, as value no instruction explains.
    assert [(t.instruction_index, t.amount) for t in found if t.instruction_index < 0] == [(-1, 7)]


def test_growth_no_instruction_explains_is_not_dropped() -> None:
    found = incoming_transfers(confirmed([2], before=0, after=9), custody_owner=CUSTODY)
    assert [(t.instruction_index, t.amount, t.verified) for t in found] == [
        (-1, 7, True),
        (0, 2, True),
    ]


def test_zero_is_read_and_ignored() -> None:
    (found,) = incoming_transfers(confirmed([0], before=4, after=4), custody_owner=CUSTODY)
    assert found.amount == 0 and found.verified
    assert ignore_reason(found, Asset.USDC, None) == "zero_amount"


def test_ignore_reasons() -> None:
    def transfer(amount: int, verified: bool = True) -> IncomingTransfer:
        return IncomingTransfer(0, TARGET, MINT, amount, SOURCE, PAYER.pubkey(), (), verified)

    assert ignore_reason(transfer(5, verified=False), Asset.USDC, None) == "balance_not_received"
    assert ignore_reason(transfer(5), None, None) == "not_an_ece_asset"
    assert ignore_reason(transfer(5), Asset.USDC, None) is None


def test_unexplained_growth_is_platform_issuance_only_when_the_mint_authority_signed() -> None:
    """The demo's MintTo into custody was parked as unclaimed: a second liability for tokens
    whose ledger side the demo had booked already. Anyone else's unexplained growth still parks."""
    tx = confirmed([2], before=0, after=9)
    unexplained, explained = incoming_transfers(tx, custody_owner=CUSTODY)
    assert (unexplained.sender, explained.sender) == (None, PAYER.pubkey())
    assert signed_by(tx, PAYER.pubkey()) and not signed_by(tx, Keypair().pubkey())
    assert ignore_reason(unexplained, Asset.USDC, None, issued_by_platform=False) is None
    assert (
        ignore_reason(unexplained, Asset.USDC, None, issued_by_platform=True) == "platform_issuance"
    )
    # A transfer someone made stays theirs, whoever co-signed.
    assert ignore_reason(explained, Asset.USDC, None, issued_by_platform=True) is None


def test_only_custodys_associated_account_is_a_deposit_account() -> None:
    (found,) = incoming_transfers(confirmed([7], before=3, after=10), custody_owner=CUSTODY)
    assert found.into_deposit_account
    assert is_deposit_account(TARGET, CUSTODY, MINT)
    assert is_deposit_account(
        spl.get_associated_token_address(CUSTODY, MINT, spl.TOKEN_2022_PROGRAM_ID), CUSTODY, MINT
    )
    assert not is_deposit_account(Keypair().pubkey(), CUSTODY, MINT)
    elsewhere = IncomingTransfer(
        0, Keypair().pubkey(), MINT, 5, SOURCE, PAYER.pubkey(), (REFERENCE,), True, False
    )
    assert ignore_reason(elsewhere, Asset.USDC, None) == "not_custody_deposit_account"
