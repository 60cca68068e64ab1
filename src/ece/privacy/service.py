"""Export and erasure of one user's personal data.

The export walks every table: a row belongs to it when any of its text columns holds the
user's id or wallet address (foreign keys, ``seller_id``, audit ``actor``/``object_id``...),
plus the ledger transfers that touch the user's accounts. Secrets (credential hashes, webhook
secrets, push keys, signed transactions, sealed KYC values) are never exported.

Erasure keeps what the law makes us keep — ledger, sales, trades, card history, payments and
the audit chain — under the user's id, which is a random pseudonym once the wallet address,
names, email and KYC values are gone. In the audit log the address becomes the same pseudonym
as on the user row, each entry keeping its hash (``ece.audit.rules``: personal values are
hashed through salted commitments). It is refused while anything is still open or held.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from datetime import date, datetime
from decimal import Decimal
from typing import Any, Protocol

from sqlalchemy import JSON, LargeBinary, String, Table, Text, delete, func, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from ece.audit import service as audit
from ece.core.clock import utcnow
from ece.core.db import Base
from ece.core.errors import Conflict

EXPORT_VERSION = 1
ERASED_PREFIX = "erased:"

# Internal machinery, not records about a person: caches, queues, indexes, chain cursors.
SKIPPED_TABLES = frozenset(
    {"idempotency_records", "outbox_events", "search_suggestions", "audit_head", "platform_pins"}
)
# Never exported: bearer-secret hashes, webhook and push secrets, signed transactions.
SECRET_COLUMNS = frozenset(
    {"token_hash", "secret", "p256dh", "auth", "signed_transaction", "message_hash", "salts"}
)
SEALED = "[sealed]"

# Stored state values (the domains' enums), spelled here so this module reads every table
# without reaching into another package's models: it works on the schema as a whole.
ACTIVE = "active"  # listings, offers, trade offers
OPEN_AUCTION = "open"
LIVE_BIDS = ("winning", "outbid")
FINAL_WITHDRAWALS = ("confirmed", "failed", "blocked", "rejected")
AWAITING_DEPOSIT = "awaiting_transfer"
USER_OWNER = "user"
# Rows that exist only for the person (preferences, follows, messages to them): deleted.
ERASED_TABLES = (
    "collector_profiles",
    "notification_preferences",
    "notifications",
    "email_messages",
    "push_messages",
    "push_subscriptions",
    "watchlist_items",
    "price_alerts",
)


class Person(Protocol):
    """What this module reads of the signed-in user (``ece.auth`` ``User``)."""

    @property
    def id(self) -> str: ...
    @property
    def address(self) -> str: ...


def _t(name: str) -> Table:
    return Base.metadata.tables[name]


class AccountHasOpenOrders(Conflict):
    code = "erase_open_orders"


class AccountHasBalance(Conflict):
    code = "erase_balance_not_zero"


def _plain(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, bytes | bytearray | memoryview):
        return SEALED
    return value


def _row(table: Table, row: Mapping[Any, Any]) -> dict[str, Any]:
    return {
        column: SEALED if column in SECRET_COLUMNS and row[column] is not None else _plain(value)
        for column, value in row.items()
        if column in table.c
    }


def _text_columns(table: Table) -> list[Any]:
    return [
        c
        for c in table.columns
        if isinstance(c.type, String | Text) and not isinstance(c.type, JSON | LargeBinary)
    ]


async def _user_accounts(session: AsyncSession, user_id: str) -> list[int]:
    accounts = _t("ledger_accounts")
    return list(
        await session.scalars(
            select(accounts.c.id).where(
                accounts.c.owner_type == USER_OWNER, accounts.c.owner_id == user_id
            )
        )
    )


async def export(session: AsyncSession, user: Person) -> dict[str, Any]:
    """Every row that names ``user`` (by id or wallet address), table by table."""
    names = {user.id, user.address}
    tables: dict[str, list[dict[str, Any]]] = {}
    for table in Base.metadata.sorted_tables:
        if table.name in SKIPPED_TABLES:
            continue
        columns = _text_columns(table)
        if not columns:
            continue
        query = select(table).where(or_(*(c.in_(names) for c in columns)))
        rows = (await session.execute(query)).mappings().all()
        if rows:
            tables[table.name] = [_row(table, r) for r in rows]
    accounts = await _user_accounts(session, user.id)
    if accounts:
        transfers = _t("ledger_transfers")
        rows = (
            (
                await session.execute(
                    select(transfers)
                    .where(
                        or_(
                            transfers.c.debit_account_id.in_(accounts),
                            transfers.c.credit_account_id.in_(accounts),
                        )
                    )
                    .order_by(transfers.c.created_at, transfers.c.id)
                )
            )
            .mappings()
            .all()
        )
        # Transfers on the user's accounts, with any whose text already named the user.
        seen = {r["id"] for r in rows}
        extra = [r for r in tables.get("ledger_transfers", []) if r["id"] not in seen]
        tables["ledger_transfers"] = [_row(transfers, r) for r in rows] + extra
    return {
        "format": "ece.personal-data-export",
        "version": EXPORT_VERSION,
        "generated_at": utcnow().isoformat(),
        "user_id": user.id,
        "amounts": "integers in base units (USDC 6 decimals, ECE 9)",
        "tables": tables,
    }


async def _open_orders(session: AsyncSession, user_id: str) -> list[str]:
    listings, offers, trades = _t("listings"), _t("offers"), _t("trade_offers")
    auctions, bids = _t("auctions"), _t("auction_bids")
    withdrawals, deposits = _t("withdrawals"), _t("deposits")
    open_auctions = select(auctions.c.id).where(auctions.c.state == OPEN_AUCTION)
    checks: list[tuple[str, Any]] = [
        (
            "listings",
            select(func.count())
            .select_from(listings)
            .where(
                listings.c.seller_kind == USER_OWNER,
                listings.c.seller_id == user_id,
                listings.c.status == ACTIVE,
            ),
        ),
        (
            "offers",
            select(func.count())
            .select_from(offers)
            .where(offers.c.buyer_user_id == user_id, offers.c.status == ACTIVE),
        ),
        (
            "trade_offers",
            select(func.count())
            .select_from(trades)
            .where(
                or_(trades.c.maker_user_id == user_id, trades.c.taker_user_id == user_id),
                trades.c.status == ACTIVE,
            ),
        ),
        (
            "auctions",
            select(func.count())
            .select_from(auctions)
            .where(auctions.c.seller_id == user_id, auctions.c.state == OPEN_AUCTION),
        ),
        (
            "auction_bids",
            select(func.count())
            .select_from(bids)
            .where(
                bids.c.bidder_user_id == user_id,
                bids.c.status.in_(LIVE_BIDS),
                bids.c.auction_id.in_(open_auctions),
            ),
        ),
        (
            "withdrawals",
            select(func.count())
            .select_from(withdrawals)
            .where(
                withdrawals.c.user_id == user_id, withdrawals.c.status.not_in(FINAL_WITHDRAWALS)
            ),
        ),
        (
            "deposits",
            select(func.count())
            .select_from(deposits)
            .where(deposits.c.user_id == user_id, deposits.c.status == AWAITING_DEPOSIT),
        ),
    ]
    return [name for name, query in checks if int(await session.scalar(query) or 0)]


async def _holdings(session: AsyncSession, user_id: str) -> list[str]:
    accounts, cards = _t("ledger_accounts"), _t("cards")
    held: list[str] = []
    rows = await session.execute(
        select(
            accounts.c.asset,
            accounts.c.debits_posted,
            accounts.c.credits_posted,
            accounts.c.debits_pending,
            accounts.c.credits_pending,
        ).where(accounts.c.owner_type == USER_OWNER, accounts.c.owner_id == user_id)
    )
    for asset, dp, cp, dpe, cpe in rows:
        if cp - dp != 0 or dpe != 0 or cpe != 0:
            held.append(str(asset))
    owned = await session.scalar(
        select(func.count())
        .select_from(cards)
        .where(cards.c.owner_user_id == user_id, cards.c.withdrawn_at.is_(None))
    )
    if owned:
        held.append("cards")
    return sorted(set(held))


def pseudonym(user_id: str) -> str:
    """What replaces the wallet address: unique, fits the column, says nothing about it."""
    return ERASED_PREFIX + hashlib.sha256(user_id.encode()).hexdigest()[:36]


async def _erase_kyc(session: AsyncSession, user_id: str) -> None:
    kyc = _t("kyc_records")
    await session.execute(
        update(kyc)
        .where(kyc.c.user_id == user_id)
        .values(
            full_name=b"",
            full_name_key="erased",
            country=b"",
            country_key="erased",
            date_of_birth=b"",
            date_of_birth_key="erased",
            document_number=None,
            document_number_key=None,
            note=None,
        )
    )


async def erase(session: AsyncSession, user: Person) -> None:
    """Erase ``user``'s personal data in the caller's transaction, or refuse with a 409."""
    # Serialize with other writes to this user (a no-op lock on SQLite's single writer).
    await session.execute(
        select(_t("users").c.id).where(_t("users").c.id == user.id).with_for_update()
    )
    open_orders = await _open_orders(session, user.id)
    if open_orders:
        raise AccountHasOpenOrders(
            "Close your open listings, offers, trades, bids and payments before erasing your "
            "account: " + ", ".join(open_orders) + ".",
            open=open_orders,
        )
    holdings = await _holdings(session, user.id)
    if holdings:
        raise AccountHasBalance(
            "Withdraw your balance and cards before erasing your account: "
            + ", ".join(holdings)
            + ".",
            holdings=holdings,
        )
    address = user.address
    now = utcnow()
    uid = user.id
    users, credentials = _t("users"), _t("credentials")
    await session.execute(
        update(users)
        .where(users.c.id == uid)
        .values(address=pseudonym(uid), display_name=None, email=None)
    )
    await session.execute(
        update(credentials)
        .where(credentials.c.user_id == uid, credentials.c.revoked_at.is_(None))
        .values(revoked_at=now)
    )
    await session.execute(update(credentials).where(credentials.c.user_id == uid).values(name=None))
    await session.execute(delete(_t("user_roles")).where(_t("user_roles").c.user_id == uid))
    nonces = _t("signin_nonces")
    await session.execute(delete(nonces).where(nonces.c.address == address))
    await _erase_kyc(session, uid)
    for name in ERASED_TABLES:
        table = _t(name)
        await session.execute(delete(table).where(table.c.user_id == uid))
    hooks = _t("webhook_endpoints")
    await session.execute(
        update(hooks)
        .where(hooks.c.user_id == uid, hooks.c.active.is_(True))
        .values(active=False, disabled_at=now)
    )
    # Free text the user wrote to others; the trade itself stays.
    trades = _t("trade_offers")
    await session.execute(
        update(trades)
        .where(or_(trades.c.maker_user_id == uid, trades.c.taker_user_id == uid))
        .values(message=None)
    )
    # The audit entries naming the wallet (deny-list changes, refused sign-ins) keep their
    # place and hash; the address in them becomes the same pseudonym as on the user row.
    cleared = await audit.pseudonymize(session, address, pseudonym(uid))
    await audit.record(
        session,
        actor=uid,
        action="user.erased",
        object_type="user",
        object_id=uid,
        details={
            "audit_entries_pseudonymized": cleared.entries,
            "audit_entries_kept": cleared.kept,
        },
    )
