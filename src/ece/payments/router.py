"""HTTP for chain facts, deposits, withdrawals, the development faucet and reconciliation."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Path, Request, Response

from ece.auth.deps import AdminUser, CurrentUser, Idempotent, api_key_access
from ece.auth.service import ApiKeyScope
from ece.controls.deps import DEPOSITS_OPEN, WITHDRAWALS_OPEN
from ece.core.errors import problem_responses
from ece.core.pagination import PageParams, page_params
from ece.payments import service
from ece.payments.schemas import (
    ChainOut,
    CustodyCardCreditIn,
    CustodyCardCreditOut,
    DepositIn,
    DepositOut,
    DepositPage,
    FaucetIn,
    FaucetOut,
    PayLinkIn,
    PayLinkOut,
    ReceiptOut,
    ReceiptPage,
    ReconciliationOut,
    TransactionRequestIn,
    TransactionRequestOut,
    UnclaimedOut,
    UnclaimedPage,
    UnclaimedResolveIn,
    WithdrawalIn,
    WithdrawalOut,
    WithdrawalPage,
)
from ece.payments.service import ReceiptOutcome, UnclaimedStatus
from ece.runtime.deps import ChainDep, Db, PlatformDep, Session, SettingsDep, services_of
from ece.runtime.routing import UnitOfWorkRoute

router = APIRouter(prefix="/api/v1", route_class=UnitOfWorkRoute)
# Solana Pay transaction requests: called by wallets, with no credential but the link itself.
pay_router = APIRouter(prefix="/pay", route_class=UnitOfWorkRoute)
PayToken = Annotated[
    str,
    Path(
        min_length=16, max_length=64, pattern=r"^[A-Za-z0-9_-]+$", description="The link's secret"
    ),
]


Pagination = Annotated[PageParams, Depends(page_params)]


@router.get("/chain", tags=["chain"], response_model=ChainOut)
async def chain_facts(settings: SettingsDep, platform: PlatformDep) -> ChainOut:
    """Which cluster, where its RPC is, the ECE and USDC mints, and the custody wallet."""
    return ChainOut.of(service.chain_info(settings, platform))


@router.post(
    "/deposits",
    tags=["deposits"],
    status_code=201,
    dependencies=[DEPOSITS_OPEN],
    response_model=DepositOut,
    responses=problem_responses(401, 404, 409, 422),
)
async def create_deposit(
    body: DepositIn,
    user: CurrentUser,
    _idempotency: Idempotent,
    session: Session,
    settings: SettingsDep,
    chain: ChainDep,
    platform: PlatformDep,
) -> DepositOut:
    """A Solana Pay transfer request: pay it from any wallet, with the reference key, and the
    amount received is credited once the transaction is final."""
    deposit = await service.create_deposit(
        session, settings, chain, platform, user, body.asset, body.amount, body.card_id
    )
    return DepositOut.of(deposit, settings.solana_pay_label, settings.domain)


@router.get(
    "/deposits", tags=["deposits"], response_model=DepositPage, responses=problem_responses(401)
)
async def list_deposits(
    user: CurrentUser, session: Session, settings: SettingsDep, params: Pagination
) -> DepositPage:
    """Your deposits, newest first."""
    items, cursor = await service.list_deposits(session, user.id, params)
    label, domain = settings.solana_pay_label, settings.domain
    return DepositPage(items=[DepositOut.of(d, label, domain) for d in items], next_cursor=cursor)


@router.get(
    "/deposits/{deposit_id}",
    tags=["deposits"],
    response_model=DepositOut,
    responses=problem_responses(401, 404),
)
async def get_deposit(
    deposit_id: str, user: CurrentUser, session: Session, settings: SettingsDep
) -> DepositOut:
    deposit = await service.get_deposit(session, user.id, deposit_id)
    return DepositOut.of(deposit, settings.solana_pay_label, settings.domain)


@router.get(
    "/deposits/{deposit_id}/qr.svg",
    tags=["deposits"],
    response_class=Response,
    responses={
        200: {"content": {"image/svg+xml": {}}, "description": "QR code of the request"},
        **problem_responses(401, 404),
    },
)
async def deposit_qr(
    deposit_id: str,
    user: CurrentUser,
    session: Session,
    settings: SettingsDep,
    kind: Literal["transaction", "transfer"] = "transaction",
) -> Response:
    """The deposit's Solana Pay URL as a QR code, for a phone wallet to scan: the transaction
    request by default, the transfer request with ``kind=transfer``."""
    svg = await service.deposit_qr(
        session, user.id, deposit_id, settings.solana_pay_label, settings.domain, kind
    )
    return Response(svg, media_type="image/svg+xml")


@router.post(
    "/deposits/{deposit_id}/transaction",
    tags=["deposits"],
    dependencies=[DEPOSITS_OPEN],
    response_model=TransactionRequestOut,
    responses=problem_responses(401, 404, 409, 422),
)
async def deposit_transaction(
    deposit_id: str,
    body: TransactionRequestIn,
    user: CurrentUser,
    session: Session,
    settings: SettingsDep,
    chain: ChainDep,
    platform: PlatformDep,
) -> TransactionRequestOut:
    """The deposit's transfer built for ``account`` to sign (Solana Pay transaction request)."""
    transaction = await service.deposit_transaction(
        session, chain, platform, user.id, deposit_id, body.account
    )
    return TransactionRequestOut(
        transaction=transaction, message=f"Deposit to {settings.solana_pay_label}"
    )


@router.post(
    "/withdrawals",
    tags=["withdrawals"],
    status_code=201,
    dependencies=[WITHDRAWALS_OPEN],
    response_model=WithdrawalOut,
    responses=problem_responses(401, 403, 404, 409, 422),
    openapi_extra=api_key_access(ApiKeyScope.withdraw),
)
async def create_withdrawal(
    body: WithdrawalIn,
    user: CurrentUser,
    _idempotency: Idempotent,
    session: Session,
    settings: SettingsDep,
    chain: ChainDep,
    platform: PlatformDep,
) -> WithdrawalOut:
    """Hold the amount (or lock the card) now; a worker sends it on chain. Send an
    ``Idempotency-Key`` so a retried request cannot withdraw twice."""
    withdrawal = await service.create_withdrawal(
        session,
        settings,
        chain,
        platform,
        user.id,
        body.asset,
        body.destination,
        body.amount,
        body.card_id,
    )
    return WithdrawalOut.of(withdrawal)


@router.get(
    "/withdrawals",
    tags=["withdrawals"],
    response_model=WithdrawalPage,
    responses=problem_responses(401),
)
async def list_withdrawals(
    user: CurrentUser, session: Session, params: Pagination
) -> WithdrawalPage:
    """Your withdrawals, newest first."""
    items, cursor = await service.list_withdrawals(session, user.id, params)
    return WithdrawalPage(items=[WithdrawalOut.of(w) for w in items], next_cursor=cursor)


@router.get(
    "/withdrawals/{withdrawal_id}",
    tags=["withdrawals"],
    response_model=WithdrawalOut,
    responses=problem_responses(401, 404),
)
async def get_withdrawal(withdrawal_id: str, user: CurrentUser, session: Session) -> WithdrawalOut:
    return WithdrawalOut.of(await service.get_withdrawal(session, user.id, withdrawal_id))


@router.post(
    "/dev/faucet",
    tags=["development"],
    response_model=FaucetOut,
    responses=problem_responses(401, 403, 404, 422),
    openapi_extra=api_key_access("session"),
)
async def dev_faucet(
    body: FaucetIn,
    user: CurrentUser,
    settings: SettingsDep,
    chain: ChainDep,
    platform: PlatformDep,
) -> FaucetOut:
    """Development only (embedded chain): tokens or SOL into a wallet on chain, not the ledger."""
    address, signature = await service.faucet_drip(
        settings, chain, platform, body.address or user.address, body.asset, body.base_units
    )
    return FaucetOut(
        asset=body.asset, amount=body.amount, address=str(address), signature=str(signature)
    )


@router.get(
    "/admin/reconciliation",
    tags=["admin"],
    response_model=ReconciliationOut,
    responses=problem_responses(401, 403),
)
async def admin_reconciliation(
    request: Request, _admin: AdminUser, db: Db, chain: ChainDep, platform: PlatformDep
) -> ReconciliationOut:
    """Per asset: ledger liabilities against what custody holds on chain; and cards: every card
    counted in custody is held by custody on chain, and no withdrawn one is. Checked now."""
    result = await service.reconcile(db, chain, platform)
    services_of(request).reconciliation_warnings = result.warnings
    return ReconciliationOut.of(result)


@router.get(
    "/admin/unclaimed",
    tags=["admin"],
    response_model=UnclaimedPage,
    responses=problem_responses(401, 403, 422),
)
async def admin_list_unclaimed(
    _admin: AdminUser,
    session: Session,
    params: Pagination,
    status: UnclaimedStatus | None = None,
) -> UnclaimedPage:
    """Payments custody received that no open deposit or known wallet claimed, newest first."""
    items, cursor = await service.list_unclaimed(session, status, params)
    return UnclaimedPage(items=[UnclaimedOut.of(u) for u in items], next_cursor=cursor)


@router.post(
    "/admin/unclaimed/{unclaimed_id}/resolve",
    tags=["admin"],
    response_model=UnclaimedOut,
    responses=problem_responses(401, 403, 404, 409, 422),
)
async def admin_resolve_unclaimed(
    unclaimed_id: str,
    body: UnclaimedResolveIn,
    admin: AdminUser,
    _idempotency: Idempotent,
    session: Session,
) -> UnclaimedOut:
    """Credit a named user, or mark it returned with a note; the same resolution again answers
    the stored outcome, a different one is 409 ``unclaimed_resolved``."""
    row = await service.resolve(
        session, unclaimed_id, admin.id, body.action, body.user_id, body.note
    )
    return UnclaimedOut.of(row)


@router.post(
    "/admin/custody/cards/{card_id}/credit",
    tags=["admin"],
    response_model=CustodyCardCreditOut,
    responses=problem_responses(401, 403, 404, 409, 422),
)
async def admin_credit_custody_card(
    card_id: str,
    body: CustodyCardCreditIn,
    admin: AdminUser,
    _idempotency: Idempotent,
    session: Session,
    chain: ChainDep,
    platform: PlatformDep,
) -> CustodyCardCreditOut:
    """A card custody holds on chain that the platform counts as withdrawn (sent with no open
    deposit's reference): back on the platform, owned by ``user_id``. 409 ``card_not_withdrawn``,
    ``card_not_in_custody`` or ``card_unclaimed`` (resolve that item instead)."""
    await service.credit_stranded_card(session, chain, platform, card_id, body.user_id, admin.id)
    return CustodyCardCreditOut(card_id=card_id, user_id=body.user_id)


@router.get(
    "/admin/deposit-receipts",
    tags=["admin"],
    response_model=ReceiptPage,
    responses=problem_responses(401, 403, 422),
)
async def admin_list_receipts(
    _admin: AdminUser,
    session: Session,
    params: Pagination,
    outcome: ReceiptOutcome | None = None,
) -> ReceiptPage:
    """Every transfer into custody and what became of it; ``ignored`` ones give the reason."""
    items, cursor = await service.list_receipts(session, outcome, params)
    return ReceiptPage(items=[ReceiptOut.of(r) for r in items], next_cursor=cursor)


@pay_router.get(
    "/deposits/{token}",
    tags=["deposits"],
    response_model=PayLinkOut,
    responses=problem_responses(404, 409, 410, 422),
)
async def pay_link(token: PayToken, session: Session, settings: SettingsDep) -> PayLinkOut:
    """Solana Pay transaction request, first step: the label and icon a wallet shows. No
    sign-in: the unguessable link is the credential. 404 ``pay_link_not_found``, 409
    ``deposit_closed`` once credited, 410 ``deposit_expired``."""
    await service.pay_link_deposit(session, token)
    return PayLinkOut(
        label=settings.solana_pay_label,
        icon=f"https://{settings.domain}/static/icons/icon-192.png",
    )


@pay_router.post(
    "/deposits/{token}",
    tags=["deposits"],
    dependencies=[DEPOSITS_OPEN],
    response_model=TransactionRequestOut,
    responses=problem_responses(404, 409, 410, 422),
)
async def pay_link_transaction(
    token: PayToken,
    body: PayLinkIn,
    session: Session,
    settings: SettingsDep,
    chain: ChainDep,
    platform: PlatformDep,
) -> TransactionRequestOut:
    """Solana Pay transaction request: the unsigned transaction paying what the deposit still
    owes from ``account`` (its fee payer), for the wallet to sign and send. Paid into the
    deposit owner's balance, whoever pays. 422 ``invalid_account`` for an address that is not
    base58, custody's, or a program's."""
    deposit, transaction = await service.pay_link_transaction(
        session, chain, platform, token, body.account
    )
    message = service.pay_link_message(deposit, settings.solana_pay_label)
    return TransactionRequestOut(transaction=transaction, message=message)
