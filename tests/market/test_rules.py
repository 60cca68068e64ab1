"""The market's rules without a database: what a buyer sees, who may buy, act or accept, which
cards fill an offer, and how fills move an offer on."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, precondition, rule

from ece.core.errors import Conflict, DomainError, NotFound, Unprocessable
from ece.core.money import MAX_AMOUNT, Asset
from ece.market import rules
from ece.market.models import ListingStatus, OfferKind, OfferStatus
from ece.market.rules import Actor

NOW = datetime(2026, 6, 1, 12, tzinfo=UTC)
ALICE = Actor("alice", "AliceWallet")
BOB = Actor("bob", "BobWallet")
ADMIN = Actor("admin", "AdminWallet", admin=True)


@dataclass(frozen=True)
class AListing:
    seller_kind: str = "user"
    seller_id: str = "alice"
    price: int = 100
    currency: str = "USDC"
    taker_address: str | None = None
    status: str = "active"
    expires_at: datetime = NOW + timedelta(hours=1)


@dataclass(frozen=True)
class AnOffer:
    kind: str = "collection"
    buyer_user_id: str = "bob"
    card_id: str | None = None
    company_id: str = "acme"
    filter_rarity: str | None = None
    filter_min_power: int | None = None
    status: str = "active"
    expires_at: datetime = NOW + timedelta(hours=1)


@dataclass(frozen=True)
class ACard:
    id: str = "c1"
    company_id: str = "acme"
    rarity: str = "rare"
    power: int = 50


def code(error: DomainError | None) -> str | None:
    return None if error is None else error.instance_code


# --- listings -------------------------------------------------------------------------------


@given(status=st.sampled_from(list(ListingStatus)), ahead=st.integers(-3600, 3600))
def test_a_listing_past_its_expiry_is_seen_expired_only_while_active(
    status: ListingStatus, ahead: int
) -> None:
    listing = AListing(status=status.value, expires_at=NOW + timedelta(seconds=ahead))
    seen = rules.listing_status(listing, NOW)
    if status is ListingStatus.active and ahead <= 0:
        assert seen is ListingStatus.expired
        assert rules.expired_unreleased(listing, NOW)
    else:
        assert seen is status
        assert not rules.expired_unreleased(listing, NOW)


def test_a_private_listing_shows_to_its_seller_and_taker_only() -> None:
    private = AListing(taker_address=BOB.address)
    assert rules.visible_to(private, BOB)
    assert rules.visible_to(private, ALICE)
    assert not rules.visible_to(private, Actor("carol", "CarolWallet"))
    assert not rules.visible_to(private, None)
    assert rules.visible_to(AListing(), None)
    issuer = AListing(seller_kind="issuer", seller_id="acme", taker_address=BOB.address)
    assert rules.visible_to(issuer, ADMIN)
    assert not rules.may_act_for(issuer, ALICE)


@pytest.mark.parametrize(
    ("listing", "buyer", "limit", "expected"),
    [
        (AListing(), BOB, None, None),
        (AListing(), BOB, 100, None),
        (AListing(), BOB, 99, "price_above_max"),
        (AListing(), ALICE, None, "own_listing"),
        (AListing(status="filled"), BOB, None, "listing_unavailable"),
        (AListing(expires_at=NOW), BOB, None, "listing_unavailable"),
        (AListing(taker_address=BOB.address), BOB, None, None),
        (AListing(taker_address="Someone"), BOB, None, "listing_not_found"),
        (AListing(seller_kind="issuer", seller_id="acme", taker_address="X"), ADMIN, None,
         "private_listing"),
        (AListing(seller_kind="issuer", seller_id="acme"), ADMIN, None, None),
    ],
)  # fmt: skip
def test_the_reason_a_buy_is_refused(
    listing: AListing, buyer: Actor, limit: int | None, expected: str | None
) -> None:
    assert code(rules.buy_refusal(listing, buyer, NOW, limit)) == expected


def test_a_sweep_skips_other_currencies_and_what_is_over_budget() -> None:
    assert rules.sweep_refusal(10, "ECE", Asset.USDC, 100) == "currency_mismatch"
    assert rules.sweep_refusal(101, "USDC", Asset.USDC, 100) == "over_max_total"
    assert rules.sweep_refusal(100, "USDC", Asset.USDC, 100) is None
    assert rules.sweep_reason("price_above_max") == "over_max_total"
    assert rules.sweep_reason("own_listing") == "own_listing"


def test_only_the_owner_or_an_admin_for_the_issuer_sells() -> None:
    assert rules.may_sell("user", "alice", ALICE)
    assert not rules.may_sell("user", "alice", BOB)
    assert not rules.may_sell("user", "alice", ADMIN)
    assert rules.may_sell("issuer", "acme", ADMIN)
    assert not rules.may_sell("issuer", "acme", ALICE)


@given(seconds=st.integers(-10, 40 * 86400))
def test_an_expiry_is_in_the_future_and_within_the_maximum(seconds: int) -> None:
    at = NOW + timedelta(seconds=seconds)
    maximum = 30 * 86400
    if 0 < seconds <= maximum:
        assert rules.check_expiry(at, 3600, maximum, NOW) == at
    else:
        with pytest.raises(Unprocessable):
            rules.check_expiry(at, 3600, maximum, NOW)
    assert rules.check_expiry(None, 3600, maximum, NOW) == NOW + timedelta(hours=1)
    assert rules.check_expiry(None, 2 * maximum, maximum, NOW) == NOW + timedelta(days=30)


def test_an_expiry_needs_a_time_zone_and_a_price_its_decimals() -> None:
    with pytest.raises(Unprocessable):
        rules.check_expiry(datetime(2026, 7, 1), 3600, 86400 * 30, NOW)
    assert rules.parse_price("1.5", Asset.USDC) == 1_500_000
    with pytest.raises(Unprocessable):
        rules.parse_price("0.0000001", Asset.USDC)


# --- offers ---------------------------------------------------------------------------------


@given(
    rarity=st.sampled_from(["common", "rare"]),
    power=st.integers(0, 100),
    filter_rarity=st.sampled_from([None, "common", "rare"]),
    min_power=st.one_of(st.none(), st.integers(0, 100)),
    company=st.sampled_from(["acme", "other"]),
)
def test_a_collection_offer_matches_cards_of_its_company_through_its_filters(
    rarity: str, power: int, filter_rarity: str | None, min_power: int | None, company: str
) -> None:
    offer = AnOffer(filter_rarity=filter_rarity, filter_min_power=min_power)
    card = ACard(company_id=company, rarity=rarity, power=power)
    expected = (
        company == "acme"
        and filter_rarity in (None, rarity)
        and (min_power is None or power >= min_power)
    )
    assert rules.matches(offer, card) is expected


def test_a_card_offer_matches_its_card_only() -> None:
    offer = AnOffer(kind=OfferKind.card.value, card_id="c1")
    assert rules.matches(offer, ACard())
    assert not rules.matches(offer, ACard(id="c2"))
    assert rules.card_to_accept(offer, None) == "c1"
    with pytest.raises(Unprocessable, match="another card"):
        rules.card_to_accept(offer, "c2")
    with pytest.raises(Unprocessable, match="Name the card_id"):
        rules.card_to_accept(AnOffer(), None)


@given(
    card=st.booleans(),
    company=st.booleans(),
    quantity=st.integers(-1, 102),
    price=st.integers(1, MAX_AMOUNT),
)
def test_the_shape_of_an_offer(card: bool, company: bool, quantity: int, price: int) -> None:
    refusal = rules.offer_shape_refusal(
        "c1" if card else None, "acme" if company else None, price, quantity
    )
    ok = (
        card != company
        and 1 <= quantity <= rules.MAX_QUANTITY
        and (quantity == 1 or not card)
        and price * quantity <= MAX_AMOUNT
    )
    assert (refusal is None) is ok


def test_who_may_accept_and_make_an_offer() -> None:
    assert rules.accept_refusal(AnOffer(), ALICE, NOW) is None
    assert code(rules.accept_refusal(AnOffer(), BOB, NOW)) == "own_offer"
    assert code(rules.accept_refusal(AnOffer(expires_at=NOW), ALICE, NOW)) == "offer_unavailable"
    assert code(rules.accept_refusal(AnOffer(status="filled"), ALICE, NOW)) == "offer_unavailable"
    assert code(rules.offer_on_card_refusal(True, None, BOB)) == "card_unavailable"
    assert code(rules.offer_on_card_refusal(False, "bob", BOB)) == "own_card"
    assert rules.offer_on_card_refusal(False, "alice", BOB) is None


def test_closing_an_offer() -> None:
    assert rules.closing_status(AnOffer(), NOW) is OfferStatus.cancelled
    assert rules.closing_status(AnOffer(expires_at=NOW), NOW) is OfferStatus.expired
    assert rules.offer_expiry_due(AnOffer(expires_at=NOW), NOW)
    assert not rules.offer_expiry_due(AnOffer(), NOW)
    assert not rules.offer_expiry_due(AnOffer(status="cancelled", expires_at=NOW), NOW)


class OfferFills(RuleBasedStateMachine):
    """Fill an offer unit by unit: each fill re-holds exactly what is left under a new id, and
    the offer is filled exactly when nothing is left."""

    def __init__(self) -> None:
        super().__init__()
        self.quantity = 0
        self.filled = 0
        self.seq = 0
        self.status = OfferStatus.active
        self.holds: list[str | None] = []

    @precondition(lambda self: self.quantity == 0)
    @rule(quantity=st.integers(1, rules.MAX_QUANTITY))
    def open(self, quantity: int) -> None:
        self.quantity = quantity
        self.holds = [rules.hold_id("o1", 0)]

    @precondition(lambda self: self.quantity > 0 and self.status is OfferStatus.active)
    @rule()
    def fill(self) -> None:
        fill = rules.next_fill("o1", self.quantity, self.filled, self.seq)
        assert fill.filled == self.filled + 1
        assert fill.remaining == self.quantity - fill.filled
        self.filled, self.seq, self.status = fill.filled, fill.hold_seq, fill.status
        self.holds.append(fill.hold_transfer_id)

    @precondition(lambda self: self.status is OfferStatus.filled)
    @rule()
    def fill_again(self) -> None:
        with pytest.raises(ValueError, match="filled already"):
            rules.next_fill("o1", self.quantity, self.filled, self.seq)

    @invariant()
    def holds_follow_what_is_left(self) -> None:
        assert 0 <= self.filled <= max(self.quantity, 0)
        assert (self.status is OfferStatus.filled) == (
            self.quantity > 0 and self.filled == self.quantity
        )
        live = [h for h in self.holds if h is not None]
        assert len(live) == len(set(live))  # every re-hold has a new id
        if self.holds:
            assert (self.holds[-1] is None) == (self.status is OfferStatus.filled)


TestOfferFills = OfferFills.TestCase


def test_errors_are_the_domain_errors_the_api_maps() -> None:
    assert isinstance(rules.unavailable(), Conflict)
    assert isinstance(rules.listing_not_found(), NotFound)
