from enum import StrEnum


class Kind(StrEnum):
    AUCTION_SOLD = "auction_sold"
    AUCTION_WON = "auction_won"
    BATTLE_RESULT = "battle_result"
    DEPOSIT_CREDITED = "deposit_credited"
    LISTING_SOLD = "listing_sold"
    OFFER_ACCEPTED = "offer_accepted"
    OUTBID = "outbid"
    PAYOUT_SENT = "payout_sent"
    PRICE_ALERT = "price_alert"
    TRADE_OFFER_ACCEPTED = "trade_offer_accepted"
    TRADE_OFFER_CANCELLED = "trade_offer_cancelled"
    TRADE_OFFER_COUNTERED = "trade_offer_countered"
    TRADE_OFFER_DECLINED = "trade_offer_declined"
    TRADE_OFFER_EXPIRED = "trade_offer_expired"
    TRADE_OFFER_RECEIVED = "trade_offer_received"
    WITHDRAWAL_CONFIRMED = "withdrawal_confirmed"
    WITHDRAWAL_FAILED = "withdrawal_failed"
    WITHDRAWAL_SENT = "withdrawal_sent"

    def __str__(self) -> str:
        return str(self.value)
