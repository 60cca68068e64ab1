"""API shapes of the treasury: batches, payouts, their transaction and signatures, summary."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field

from ece.core.money import Asset, format_amount
from ece.treasury.service import (
    Payout,
    PayoutBatch,
    PayoutTransaction,
    StatementLine,
    Summary,
)


class PayoutOut(BaseModel):
    id: str
    batch_id: str
    company_id: str
    amount: str
    currency: str
    destination: str
    status: str = Field(
        description="screening → review? → awaiting_signatures → submitted → confirmed | failed"
        " | rejected"
    )
    rate: str | None = Field(description="USDC per ECE, when ECE payables were converted")
    rate_source: str | None
    reason: str | None
    signature: str | None = Field(description="the payout transaction's signature")
    signers: list[str]
    threshold: int
    created_at: datetime
    finished_at: datetime | None

    @classmethod
    def of(cls, payout: Payout) -> PayoutOut:
        return cls(
            id=payout.id,
            batch_id=payout.batch_id,
            company_id=payout.company_id,
            amount=format_amount(payout.amount, Asset.USDC),
            currency=payout.currency,
            destination=payout.destination,
            status=payout.status,
            rate=payout.rate,
            rate_source=payout.rate_source,
            reason=payout.reason,
            signature=payout.signature,
            signers=list(payout.signers),
            threshold=payout.threshold,
            created_at=payout.created_at,
            finished_at=payout.finished_at,
        )


class BatchOut(BaseModel):
    id: str
    slot: str | None = Field(description="the scheduled run it is; null when made on demand")
    created_by: str
    created_at: datetime
    payouts: list[PayoutOut]

    @classmethod
    def of(cls, batch: PayoutBatch, payouts: list[Payout]) -> BatchOut:
        return cls(
            id=batch.id,
            slot=batch.slot,
            created_by=batch.created_by,
            created_at=batch.created_at,
            payouts=[PayoutOut.of(p) for p in payouts],
        )


class BatchPage(BaseModel):
    items: list[BatchOut]
    next_cursor: str | None


class SignatureOut(BaseModel):
    signer: str
    signature: str


class PayoutTransactionOut(BaseModel):
    message: str | None = Field(
        description="base64 of the message bytes the chosen signers sign; null until "
        "`threshold` members approved"
    )
    signers: list[str] = Field(description="the members the transaction names (the approvers)")
    threshold: int
    approvals: list[str] = Field(description="members who approved, first to last")
    signatures: list[SignatureOut]

    @classmethod
    def of(cls, tx: PayoutTransaction) -> PayoutTransactionOut:
        return cls(
            message=tx.message,
            signers=tx.signers,
            threshold=tx.threshold,
            approvals=tx.approvals,
            signatures=[SignatureOut(signer=s, signature=sig) for s, sig in tx.signatures],
        )


class SignatureIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    signer: str = Field(min_length=32, max_length=44)
    signature: str = Field(min_length=64, max_length=88, description="base58 ed25519 signature")


class PayableOut(BaseModel):
    company_id: str
    asset: str
    amount: str


class MultisigOut(BaseModel):
    address: str | None = Field(description="null until ECE_TREASURY_SIGNERS configures it")
    threshold: int
    signers: list[str]


class SummaryOut(BaseModel):
    revenue: dict[str, str] = Field(description="platform fee revenue per asset")
    payables: list[PayableOut]
    in_flight: str = Field(description="USDC in payouts not yet ended")
    custody: dict[str, str] = Field(description="custody's token balances on chain")
    treasury: str | None = Field(description="the multisig treasury account's USDC on chain")
    multisig: MultisigOut
    next_payout_at: datetime

    @classmethod
    def of(cls, s: Summary) -> SummaryOut:
        return cls(
            revenue={a.value: format_amount(v, a) for a, v in s.revenue.items()},
            payables=[
                PayableOut(company_id=c, asset=a.value, amount=format_amount(v, a))
                for c, a, v in s.payables
            ],
            in_flight=format_amount(s.in_flight, Asset.USDC),
            custody={a.value: format_amount(v, a) for a, v in s.custody_on_chain.items()},
            treasury=None
            if s.treasury_on_chain is None
            else format_amount(s.treasury_on_chain, Asset.USDC),
            multisig=MultisigOut(address=s.multisig, threshold=s.threshold, signers=s.signers),
            next_payout_at=s.next_payout_at,
        )


class StatementLineOut(BaseModel):
    at: datetime
    kind: str = Field(description="royalty | primary_sale | payout")
    asset: str
    amount: str = Field(description="accrued (+) or paid out (-)")
    reference: str = Field(description="the sale id or the payout id")
    status: str | None = Field(description="a payout's status")
    signature: str | None = Field(description="a payout's transaction signature")

    @classmethod
    def of(cls, line: StatementLine) -> StatementLineOut:
        return cls(
            at=line.at,
            kind=line.kind,
            asset=line.asset,
            amount=line.amount,
            reference=line.reference,
            status=line.status,
            signature=line.signature,
        )


class StatementOut(BaseModel):
    company_id: str
    since: datetime = Field(alias="from")
    until: datetime = Field(alias="to")
    lines: list[StatementLineOut]

    model_config = ConfigDict(populate_by_name=True, serialize_by_alias=True)
