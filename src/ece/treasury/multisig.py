"""The treasury on chain: an SPL Token multisig (M of N signers) owning the treasury's USDC
account, one durable-nonce account per payout, and the payout transaction the signers sign.

Every address is derived from custody's key with a seed (``create_with_seed``), so the treasury
needs no key file of its own and a restart finds the same accounts. The multisig's seed names
its signers and threshold: another configuration is another multisig.

A payout transaction is ``[advance nonce, custody → treasury, create the destination's
account, treasury → destination]``: custody (the fee payer and nonce authority, whose key the
server holds) funds the treasury account and the multisig pays out, in one atomic transaction.
Without M signer signatures it cannot land, and once it landed (or its nonce moved) it can
never land again.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass

from solders.hash import Hash
from solders.instruction import Instruction
from solders.keypair import Keypair
from solders.message import Message
from solders.pubkey import Pubkey
from solders.signature import Signature
from solders.system_program import (
    ID as SYSTEM_PROGRAM_ID,
)
from solders.system_program import (
    AdvanceNonceAccountParams,
    CreateAccountWithSeedParams,
    advance_nonce_account,
    create_account_with_seed,
    create_nonce_account_with_seed,
)
from solders.transaction import Transaction
from spl.token import instructions as spl_ix
from spl.token import models as spl_models
from spl.token.constants import MULTISIG_LEN

from ece.chain.platform import send_instructions
from ece.chain.protocol import Chain
from ece.chain.tokens import spl
from ece.core.money import Asset

NONCE_ACCOUNT_LEN = 80
_NONCE_VALUE = slice(40, 72)  # the stored durable nonce inside a nonce account's data


@dataclass(frozen=True, slots=True)
class Treasury:
    """The multisig, its USDC account, and the platform keys that fund and pay fees."""

    custody: Keypair
    usdc_mint: Pubkey
    signers: tuple[Pubkey, ...]
    threshold: int
    # A real cluster's multisig and treasury USDC account, made beforehand (by address);
    # None: derived from custody and made on first use.
    given_multisig: Pubkey | None = None
    given_usdc_account: Pubkey | None = None

    @property
    def seed(self) -> str:
        body = f"{self.threshold}:" + ",".join(str(s) for s in self.signers)
        return "ece-msig-" + hashlib.sha256(body.encode()).hexdigest()[:16]

    @property
    def multisig(self) -> Pubkey:
        if self.given_multisig is not None:
            return self.given_multisig
        return Pubkey.create_with_seed(self.custody.pubkey(), self.seed, spl.TOKEN_PROGRAM_ID)

    @property
    def usdc_account(self) -> Pubkey:
        if self.given_usdc_account is not None:
            return self.given_usdc_account
        return spl.get_associated_token_address(self.multisig, self.usdc_mint)

    @property
    def custody_usdc(self) -> Pubkey:
        return spl.get_associated_token_address(self.custody.pubkey(), self.usdc_mint)

    def nonce_account(self, payout_id: str) -> tuple[Pubkey, str]:
        seed = "ece-nonce-" + hashlib.sha256(payout_id.encode()).hexdigest()[:16]
        return Pubkey.create_with_seed(self.custody.pubkey(), seed, SYSTEM_PROGRAM_ID), seed


class TreasuryMismatch(Exception):
    """The multisig or USDC account given by address is not what the settings describe."""


async def check_given(chain: Chain, treasury: Treasury) -> None:
    """A multisig given by address must exist, be an SPL Token multisig of exactly the
    configured signers and threshold, and own the given USDC account (of the USDC mint)."""
    account = await chain.get_account_info(treasury.multisig)
    if account is None or account.owner != spl.TOKEN_PROGRAM_ID:
        raise TreasuryMismatch("ECE_TREASURY_MULTISIG is not an SPL Token account on this chain.")
    data = bytes(account.data)
    if len(data) != MULTISIG_LEN or not data[2]:
        raise TreasuryMismatch("ECE_TREASURY_MULTISIG is not an initialized SPL multisig.")
    m, n = data[0], data[1]
    members = {Pubkey.from_bytes(data[3 + 32 * i : 35 + 32 * i]) for i in range(n)}
    if m != treasury.threshold or members != set(treasury.signers) or n != len(treasury.signers):
        raise TreasuryMismatch(
            "ECE_TREASURY_MULTISIG has other signers or another threshold than "
            "ECE_TREASURY_SIGNERS / ECE_TREASURY_THRESHOLD."
        )
    usdc = await chain.get_account_info(treasury.usdc_account)
    raw = b"" if usdc is None else bytes(usdc.data)
    if (
        usdc is None
        or usdc.owner != spl.TOKEN_PROGRAM_ID
        or len(raw) < 64
        or Pubkey.from_bytes(raw[:32]) != treasury.usdc_mint
        or Pubkey.from_bytes(raw[32:64]) != treasury.multisig
    ):
        raise TreasuryMismatch(
            "ECE_TREASURY_USDC_ACCOUNT is not a USDC token account owned by the multisig."
        )


async def ensure_multisig(chain: Chain, treasury: Treasury) -> None:
    """Create the multisig and its USDC account where they are missing (first start); one
    given by address is checked instead, never created."""
    if treasury.given_multisig is not None:
        await check_given(chain, treasury)
        return
    instructions: list[Instruction] = []
    custody = treasury.custody.pubkey()
    if await chain.get_account_info(treasury.multisig) is None:
        rent = await chain.get_minimum_balance_for_rent_exemption(MULTISIG_LEN)
        instructions += [
            create_account_with_seed(
                CreateAccountWithSeedParams(
                    from_pubkey=custody,
                    to_pubkey=treasury.multisig,
                    base=custody,
                    seed=treasury.seed,
                    lamports=rent,
                    space=MULTISIG_LEN,
                    owner=spl.TOKEN_PROGRAM_ID,
                )
            ),
            spl_ix.initialize_multisig2(
                spl_models.InitializeMultisig2Params(
                    program_id=spl.TOKEN_PROGRAM_ID,
                    multisig=treasury.multisig,
                    m=treasury.threshold,
                    signers=list(treasury.signers),
                )
            ),
        ]
    if await chain.get_account_info(treasury.usdc_account) is None:
        instructions.append(
            spl.create_associated_token_account_idempotent(
                payer=custody, owner=treasury.multisig, mint=treasury.usdc_mint
            )
        )
    if instructions:
        await send_instructions(chain, instructions, [], treasury.custody)


async def ensure_nonce(chain: Chain, treasury: Treasury, payout_id: str) -> tuple[Pubkey, Hash]:
    """The payout's durable-nonce account (created once) and the nonce it holds now."""
    address, seed = treasury.nonce_account(payout_id)
    account = await chain.get_account_info(address)
    if account is None:
        rent = await chain.get_minimum_balance_for_rent_exemption(NONCE_ACCOUNT_LEN)
        custody = treasury.custody.pubkey()
        create, initialize = create_nonce_account_with_seed(
            custody, address, custody, seed, custody, rent
        )
        await send_instructions(chain, [create, initialize], [], treasury.custody)
        account = await chain.get_account_info(address)
        assert account is not None
    return address, nonce_value(bytes(account.data))


async def current_nonce(chain: Chain, address: Pubkey) -> Hash | None:
    account = await chain.get_account_info(address)
    return None if account is None else nonce_value(bytes(account.data))


def nonce_value(data: bytes) -> Hash:
    return Hash.from_bytes(data[_NONCE_VALUE])


def payout_message(
    treasury: Treasury,
    *,
    nonce_account: Pubkey,
    nonce: Hash,
    destination_wallet: Pubkey,
    amount: int,
    signers: Sequence[Pubkey],
) -> Message:
    """The message the ``signers`` (M members of the multisig) sign, hours apart if need be."""
    custody = treasury.custody.pubkey()
    destination = spl.get_associated_token_address(destination_wallet, treasury.usdc_mint)
    decimals = Asset.USDC.decimals
    instructions = [
        advance_nonce_account(
            AdvanceNonceAccountParams(nonce_pubkey=nonce_account, authorized_pubkey=custody)
        ),
        spl.transfer_checked(
            source=treasury.custody_usdc,
            mint=treasury.usdc_mint,
            destination=treasury.usdc_account,
            owner=custody,
            amount=amount,
            decimals=decimals,
        ),
        spl.create_associated_token_account_idempotent(
            payer=custody, owner=destination_wallet, mint=treasury.usdc_mint
        ),
        spl.transfer_checked(
            source=treasury.usdc_account,
            mint=treasury.usdc_mint,
            destination=destination,
            owner=treasury.multisig,
            amount=amount,
            decimals=decimals,
            multisig_signers=list(signers),
        ),
    ]
    return Message.new_with_blockhash(instructions, custody, nonce)


def signed_transaction(
    treasury: Treasury, message: Message, signatures: dict[Pubkey, Signature]
) -> Transaction:
    """The transaction with custody's signature and the signers' (all must be there)."""
    by_key = {
        **signatures,
        treasury.custody.pubkey(): treasury.custody.sign_message(bytes(message)),
    }
    required = message.account_keys[: message.header.num_required_signatures]
    return Transaction.populate(message, [by_key[key] for key in required])


async def burn_nonce(chain: Chain, treasury: Treasury, nonce_account: Pubkey) -> None:
    """Advance the payout's nonce so its signed transaction can never land (before failing it)."""
    instruction = advance_nonce_account(
        AdvanceNonceAccountParams(
            nonce_pubkey=nonce_account, authorized_pubkey=treasury.custody.pubkey()
        )
    )
    await send_instructions(chain, [instruction], [], treasury.custody)
