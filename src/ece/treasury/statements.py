"""A company's statement: what its payables accrued (royalties on resales, primary-sale
proceeds) and what was paid out, with each payout's transaction signature."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from ece.auth.service import Role, User
from ece.cards import service as cards
from ece.core.errors import Forbidden
from ece.core.money import Asset, format_amount
from ece.settlement import service as settlement
from ece.treasury import repository

COLUMNS = ("at", "kind", "asset", "amount", "reference", "status", "signature")


@dataclass(frozen=True, slots=True)
class StatementLine:
    at: datetime
    kind: str  # royalty | primary_sale | payout
    asset: str
    amount: str
    reference: str  # the sale or payout id
    status: str | None  # a payout's status
    signature: str | None  # a payout's transaction


async def statement(
    session: AsyncSession, user: User, company_id: str, since: datetime, until: datetime
) -> list[StatementLine]:
    """Admins, or the company's own payout wallet signed in; 403 ``not_your_company``."""
    company = await cards.company_by_id(session, company_id)
    if not (user.has_role(Role.admin) or user.address == company.payout_address):
        raise Forbidden("Only the company's payout wallet or an admin.", code="not_your_company")
    lines = []
    for sale in await settlement.company_sales(session, company.id, since, until):
        asset = Asset(sale.currency)
        primary = settlement.is_primary(sale.seller_kind)
        amount = sale.price - sale.fee if primary else sale.royalty
        if amount > 0:
            kind = "primary_sale" if primary else "royalty"
            lines.append(
                StatementLine(
                    sale.executed_at,
                    kind,
                    asset.value,
                    format_amount(amount, asset),
                    sale.id,
                    None,
                    None,
                )
            )
    for payout in await repository.payouts_of_company(session, company.id, since, until):
        lines.append(
            StatementLine(
                payout.created_at,
                "payout",
                payout.currency,
                format_amount(-payout.amount, Asset.USDC),
                payout.id,
                payout.status,
                payout.signature,
            )
        )
    return sorted(lines, key=lambda line: (line.at, line.reference))


def as_csv(lines: list[StatementLine]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(COLUMNS)
    for line in lines:
        writer.writerow(
            [
                line.at.isoformat(),
                line.kind,
                line.asset,
                line.amount,
                line.reference,
                line.status or "",
                line.signature or "",
            ]
        )
    return out.getvalue()
