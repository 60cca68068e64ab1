"""API shapes for chain facts, deposits, withdrawals, the faucet and reconciliation."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal, Self

from pydantic import BaseModel, ConfigDict, Field, model_validator

from ece.core.money import AmountText, Asset, format_amount, parse_amount
from ece.core.pagination import Page
from ece.core.patterns import ADDRESS_PATTERN, stated
from ece.payments import assets
from ece.payments.deposits import pay_link_url, payment_url
from ece.payments.faucet import ChainInfo, FaucetAsset
from ece.payments.models import (
    Deposit,
    DepositReceipt,
    PaymentAsset,
    UnclaimedPayment,
    Withdrawal,
)
from ece.payments.reconciliation import Reconciliation
from ece.payments.rules import Resolution

Address = Annotated[
    str,
    Field(
        min_length=1,
        max_length=64,
        description="Base58 public key",
        json_schema_extra=stated(ADDRESS_PATTERN),
    ),
]
CardId = Annotated[str, Field(min_length=1, max_length=32)]


class AssetOut(BaseModel):
    mint: str
    decimals: int


class ChainOut(BaseModel):
    cluster: str = Field(description="embedded | devnet | mainnet-beta | custom")
    rpc_url: str
    assets: dict[str, AssetOut]
    custody: str = Field(description="The custody wallet (owner of every custody token account)")

    @classmethod
    def of(cls, info: ChainInfo) -> ChainOut:
        return cls(
            cluster=info.cluster,
            rpc_url=info.rpc_url,
            assets={
                asset.value: AssetOut(mint=str(mint), decimals=asset.decimals)
                for asset, mint in info.mints.items()
            },
            custody=str(info.custody),
        )


class _AssetAmount(BaseModel):
    """A coin with an ``amount``, or ``CARD`` with a ``card_id``."""

    model_config = ConfigDict(extra="forbid")

    asset: PaymentAsset
    amount: AmountText | None = None
    card_id: CardId | None = None

    @model_validator(mode="after")
    def _shape(self) -> Self:
        if self.asset is PaymentAsset.CARD:
            if self.card_id is None or self.amount is not None:
                raise ValueError("a CARD takes card_id and no amount")
        else:
            if self.amount is None or self.card_id is not None:
                raise ValueError(f"{self.asset.value} takes an amount and no card_id")
            parse_amount(self.amount, Asset(self.asset))  # InvalidAmount → 422
        return self


class DepositIn(_AssetAmount):
    pass


class DepositOut(BaseModel):
    id: str
    status: str = Field(description="awaiting_transfer → credited | expired")
    asset: str
    amount: str
    card_id: str | None
    recipient: str = Field(description="The custody wallet to pay")
    mint: str
    reference: str = Field(description="Solana Pay reference key to add to the transfer")
    solana_pay_url: str = Field(
        description="The Solana Pay transfer request (`solana:<recipient>?...`)"
    )
    transaction_request_url: str | None = Field(
        description="The Solana Pay transaction request (`solana:https%3A%2F%2F...`): a wallet "
        "asks its link for the transaction, no sign-in needed; what the QR code shows. Works "
        "until the deposit is credited or expires; null on deposits opened before links existed"
    )
    expires_at: datetime
    received_amount: str
    signature: str | None
    created_at: datetime
    credited_at: datetime | None

    @classmethod
    def of(cls, deposit: Deposit, label: str, domain: str) -> DepositOut:
        return cls(
            id=deposit.id,
            status=deposit.status,
            asset=deposit.asset,
            amount=assets.format_units(deposit.amount, deposit.asset),
            card_id=deposit.card_id,
            recipient=deposit.recipient,
            mint=deposit.mint,
            reference=deposit.reference,
            solana_pay_url=payment_url(deposit, label),
            transaction_request_url=pay_link_url(deposit, label, domain),
            expires_at=deposit.expires_at,
            received_amount=assets.format_units(deposit.received_amount, deposit.asset),
            signature=deposit.signature,
            created_at=deposit.created_at,
            credited_at=deposit.credited_at,
        )


class DepositPage(Page[DepositOut]):
    pass


class TransactionRequestIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    account: Address = Field(description="The paying wallet (fee payer and token owner)")


class TransactionRequestOut(BaseModel):
    transaction: str = Field(description="Base64 unsigned transaction for the wallet to sign")
    message: str


class PayLinkOut(BaseModel):
    """Solana Pay transaction request, GET: what the wallet shows before it asks."""

    label: str
    icon: str = Field(description="Absolute HTTPS URL of a square PNG icon")


class PayLinkIn(BaseModel):
    """Solana Pay transaction request, POST (fields other than ``account`` are ignored)."""

    model_config = ConfigDict(extra="ignore")

    account: Address = Field(description="The paying wallet (fee payer and token owner)")


class WithdrawalIn(_AssetAmount):
    destination: Address = Field(description="The wallet to receive it (not a token account)")


class WithdrawalOut(BaseModel):
    id: str
    status: str = Field(
        description="pending → sent → confirmed | failed; review → pending | rejected; blocked"
    )
    asset: str
    amount: str
    card_id: str | None
    destination: str
    destination_token_account: str
    mint: str
    signature: str | None
    failure_reason: str | None
    created_at: datetime
    sent_at: datetime | None
    finished_at: datetime | None

    @classmethod
    def of(cls, withdrawal: Withdrawal) -> WithdrawalOut:
        return cls(
            id=withdrawal.id,
            status=withdrawal.status,
            asset=withdrawal.asset,
            amount=assets.format_units(withdrawal.amount, withdrawal.asset),
            card_id=withdrawal.card_id,
            destination=withdrawal.destination,
            destination_token_account=withdrawal.destination_token_account,
            mint=withdrawal.mint,
            signature=withdrawal.signature,
            failure_reason=withdrawal.failure_reason,
            created_at=withdrawal.created_at,
            sent_at=withdrawal.sent_at,
            finished_at=withdrawal.finished_at,
        )


class WithdrawalPage(Page[WithdrawalOut]):
    pass


class FaucetIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    asset: FaucetAsset
    amount: AmountText
    address: Address | None = Field(default=None, description="Default: your own wallet")

    @model_validator(mode="after")
    def _exact(self) -> Self:
        self.base_units  # noqa: B018 - validates (InvalidAmount → 422)
        return self

    @property
    def base_units(self) -> int:
        # SOL has 9 decimals, like ECE.
        return parse_amount(self.amount, Asset.ECE if self.asset == "SOL" else Asset(self.asset))


class FaucetOut(BaseModel):
    asset: str
    amount: str
    address: str
    signature: str


class AssetReconciliationOut(BaseModel):
    asset: str
    ledger_liabilities: str
    onchain_custody: str
    difference: str
    withdrawals_landed_unposted: str
    stray: str = Field(
        description="Held by custody-owned accounts other than its deposit account: never "
        "credited to anyone, surplus (does not make ok false)"
    )
    stray_accounts: list[str]
    ok: bool


class CardReconciliationOut(BaseModel):
    ok: bool
    expected_in_custody: int
    held_by_custody: int
    missing: list[str] = Field(description="Card ids counted in custody that custody lacks")
    unexpected: list[str] = Field(description="Withdrawn card ids that custody holds")
    stray: list[str] = Field(
        description="Card ids held by a custody-owned account other than the card's associated "
        "one (withdrawals cannot pay from it)"
    )


class ReconciliationOut(BaseModel):
    ok: bool
    checked_at: datetime
    assets: list[AssetReconciliationOut]
    cards: CardReconciliationOut

    @classmethod
    def of(cls, result: Reconciliation) -> ReconciliationOut:
        return cls(
            ok=result.ok,
            checked_at=result.checked_at,
            assets=[
                AssetReconciliationOut(
                    asset=a.asset.value,
                    ledger_liabilities=format_amount(a.ledger_liabilities, a.asset),
                    onchain_custody=format_amount(a.onchain_custody, a.asset),
                    difference=format_amount(a.difference, a.asset),
                    withdrawals_landed_unposted=format_amount(a.landed_unposted, a.asset),
                    stray=format_amount(a.stray, a.asset),
                    stray_accounts=a.stray_accounts,
                    ok=a.ok,
                )
                for a in result.assets
            ],
            cards=CardReconciliationOut(
                ok=result.cards.ok,
                expected_in_custody=result.cards.expected,
                held_by_custody=result.cards.held,
                missing=result.cards.missing,
                unexpected=result.cards.unexpected,
                stray=result.cards.stray,
            ),
        )


class UnclaimedOut(BaseModel):
    id: str
    status: str = Field(description="open → credited | returned")
    asset: str
    amount: str
    mint: str
    card_id: str | None
    sender: str | None = Field(description="The wallet that owned the source account")
    signature: str
    instruction_index: int
    deposit_id: str | None = Field(description="The expired or closed deposit it named")
    resolved_user_id: str | None
    resolved_by: str | None
    note: str | None
    created_at: datetime
    resolved_at: datetime | None

    @classmethod
    def of(cls, row: UnclaimedPayment) -> UnclaimedOut:
        return cls(
            id=row.id,
            status=row.status,
            asset=row.asset,
            amount=assets.format_units(row.amount, row.asset),
            mint=row.mint,
            card_id=row.card_id,
            sender=row.sender,
            signature=row.signature,
            instruction_index=row.instruction_index,
            deposit_id=row.deposit_id,
            resolved_user_id=row.resolved_user_id,
            resolved_by=row.resolved_by,
            note=row.note,
            created_at=row.created_at,
            resolved_at=row.resolved_at,
        )


class UnclaimedPage(Page[UnclaimedOut]):
    pass


class CustodyCardCreditIn(BaseModel):
    """The user a card custody holds (and the platform counts as withdrawn) is credited to."""

    model_config = ConfigDict(extra="forbid")

    user_id: Annotated[str, Field(min_length=1, max_length=32)]


class CustodyCardCreditOut(BaseModel):
    card_id: str
    user_id: str
    status: Literal["on_platform"] = "on_platform"


class UnclaimedResolveIn(BaseModel):
    """``credit`` a named user, or mark it ``returned`` (sent back off the platform) with a note."""

    model_config = ConfigDict(extra="forbid")

    action: Resolution
    user_id: Annotated[str, Field(min_length=1, max_length=32)] | None = None
    note: Annotated[str, Field(min_length=1, max_length=500)] | None = None

    @model_validator(mode="after")
    def _shape(self) -> Self:
        if self.action is Resolution.credit and self.user_id is None:
            raise ValueError("credit takes the user_id to credit")
        if self.action is Resolution.returned and (self.note is None or self.user_id is not None):
            raise ValueError("returned takes a note and no user_id")
        return self


class ReceiptOut(BaseModel):
    signature: str
    instruction_index: int
    outcome: str = Field(description="credited | credited_sender | unclaimed | ignored")
    reason: str | None = Field(description="Why it was ignored")
    amount: int = Field(description="Base units of the mint")
    mint: str | None
    sender: str | None
    deposit_id: str | None
    user_id: str | None
    slot: int
    created_at: datetime

    @classmethod
    def of(cls, row: DepositReceipt) -> ReceiptOut:
        return cls(
            signature=row.signature,
            instruction_index=row.instruction_index,
            outcome=row.outcome,
            reason=row.reason,
            amount=row.amount,
            mint=row.mint,
            sender=row.sender,
            deposit_id=row.deposit_id,
            user_id=row.user_id,
            slot=row.slot,
            created_at=row.created_at,
        )


class ReceiptPage(Page[ReceiptOut]):
    pass
