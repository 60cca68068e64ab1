"""The ledger side of a sale: which accounts its legs pay (seller or company sales payable,
platform fee shard, company royalties, a buyer's offer escrow) and the linked group of
transfers that pays it, from the buyer or out of their hold."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncSession

from ece.cards import service as cards
from ece.cards.service import CardOwner
from ece.core.money import Asset
from ece.ledger import service as ledger
from ece.ledger.service import Operation, OwnerType, PostPending, TransferCode, TransferSpec
from ece.settlement import rules
from ece.settlement.models import Sale
from ece.settlement.rules import LegKind, fee_purpose, is_primary, sale_reference

PLATFORM_OWNER_ID = "ece"


OFFER_HOLDS = "offer_holds"  # purpose of a buyer's escrow account that offer holds credit


LEG_CODES = {
    LegKind.seller: TransferCode.trade,
    LegKind.fee: TransferCode.fee,
    LegKind.royalty: TransferCode.royalty,
}


async def fee_account(session: AsyncSession, asset: Asset, spread_by: str) -> int:
    """The platform revenue account a fee credits (``rules.fee_purpose`` picks the shard)."""
    purpose = fee_purpose(spread_by)
    return await ledger.account_for(session, OwnerType.platform, PLATFORM_OWNER_ID, asset, purpose)


async def platform_fees(session: AsyncSession, asset: Asset) -> int:
    """Fees the platform has earned in ``asset``: the total of its revenue accounts."""
    return await ledger.posted_total(
        session, OwnerType.platform, PLATFORM_OWNER_ID, asset, rules.FEES
    )


async def offer_escrow_account(session: AsyncSession, buyer_user_id: str, asset: Asset) -> int:
    """Where a buyer's offer holds point: per buyer, so offers of different buyers never wait
    on one hot row."""
    return await ledger.account_for(session, OwnerType.escrow, buyer_user_id, asset, OFFER_HOLDS)


@dataclass(frozen=True, slots=True)
class FromHold:
    """Pay from the buyer's pending hold instead of their spendable balance.

    ``price`` of the hold is posted to ``escrow_account_id`` and the rest released; when
    ``rehold`` > 0 that much is held again at once under ``rehold_id`` (what an offer still has
    open), all in the sale's linked group.
    """

    pending_id: str
    escrow_account_id: int
    rehold: int = 0
    rehold_id: str | None = None


async def seller_account_of(session: AsyncSession, sale: Sale, seller: CardOwner) -> int:
    """A primary sale pays the company's sales payable; any other sale the seller user."""
    currency = Asset(sale.currency)
    if is_primary(seller.kind.value):
        return await cards.payable_account(session, sale.company_id, currency, cards.SALES)
    assert seller.user_id is not None
    return await ledger.user_account(session, seller.user_id, currency)


async def sale_operations(
    session: AsyncSession, sale: Sale, seller: CardOwner, hold: FromHold | None
) -> list[Operation]:
    """The linked group paying ``sale``: from the buyer, or out of their hold (re-holding
    what an offer still has open)."""
    currency = Asset(sale.currency)
    seller_account = await seller_account_of(session, sale, seller)
    buyer_account = await ledger.user_account(session, sale.buyer_user_id, currency)
    reference = sale_reference(sale.id)
    ops: list[Operation] = []
    payer = buyer_account
    if hold is not None:
        ops.append(PostPending(f"{reference}:hold", hold.pending_id, sale.price))
        payer = hold.escrow_account_id
    ops.extend(await sale_payments(session, sale, payer, seller_account))
    if hold is not None and hold.rehold > 0:
        assert hold.rehold_id is not None
        ops.append(
            TransferSpec(
                hold.rehold_id,
                buyer_account,
                hold.escrow_account_id,
                currency,
                hold.rehold,
                TransferCode.hold,
                reference,
                pending=True,
            )
        )
    return ops


async def sale_payments(
    session: AsyncSession, sale: Sale, payer_account: int, seller_account: int
) -> list[Operation]:
    """The transfers that pay for ``sale`` from ``payer_account``: the seller's part, the
    platform fee and the company royalty, as ``sale``'s split says (``rules.sale_legs``).
    One linked group with the caller's other transfers."""
    currency = Asset(sale.currency)
    accounts = {
        LegKind.seller: seller_account,
        LegKind.fee: await fee_account(session, currency, sale.id),
    }
    if sale.royalty:
        accounts[LegKind.royalty] = await cards.payable_account(
            session, sale.company_id, currency, cards.ROYALTIES
        )
    reference = sale_reference(sale.id)
    return [
        TransferSpec(
            leg.transfer_id(sale.id),
            payer_account,
            accounts[leg.kind],
            currency,
            leg.amount,
            LEG_CODES[leg.kind],
            reference,
        )
        for leg in rules.sale_legs(sale.price, sale.fee, sale.royalty)
    ]
