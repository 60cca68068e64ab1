"""Trade offer rules without a database: terms, parties, expiry, wanted cards, the status
machine and the value hint."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, precondition, rule

from ece.core.errors import Conflict, Forbidden, Unprocessable
from ece.core.money import Asset
from ece.trades import rules
from ece.trades.models import TradeOffer, TradeSide, TradeStatus
from ece.trades.rules import OfferTerms, SideSpec

NOW = datetime(2026, 1, 1, 12, tzinfo=UTC)
E, U = Asset.ECE, Asset.USDC


def make_offer(
    status: TradeStatus = TradeStatus.active,
    expires_at: datetime = NOW + timedelta(hours=1),
    **amounts: int,
) -> TradeOffer:
    return TradeOffer(
        id="o1",
        maker_user_id="maker",
        taker_user_id="taker",
        give_ece=amounts.get("give_ece", 0),
        give_usdc=amounts.get("give_usdc", 0),
        want_ece=amounts.get("want_ece", 0),
        want_usdc=amounts.get("want_usdc", 0),
        status=status.value,
        expires_at=expires_at,
        root_id="o1",
    )


def code_of(exc: pytest.ExceptionInfo[Exception]) -> str:
    return str(getattr(exc.value, "instance_code", ""))


# ---------------------------------------------------------------------------------------------
# Terms and parties


def terms(give: SideSpec = SideSpec(), want: SideSpec = SideSpec()) -> OfferTerms:
    return OfferTerms(give, want)


@pytest.mark.parametrize(
    ("offer_terms", "code"),
    [
        (terms(), "empty_trade_offer"),
        (terms(SideSpec(tokens=((E, 0),))), "empty_trade_offer"),
        (terms(SideSpec(cards=tuple(f"c{n}" for n in range(21)))), "too_many_cards"),
        (terms(SideSpec(cards=("a",)), SideSpec(cards=("a",))), "duplicate_card"),
        (terms(SideSpec(cards=("a", "a"))), "duplicate_card"),
    ],
)
def test_bad_terms_are_refused_with_their_reason(offer_terms: OfferTerms, code: str) -> None:
    with pytest.raises(Unprocessable) as exc:
        rules.check_terms(offer_terms)
    assert code_of(exc) == code


def test_good_terms_pass() -> None:
    rules.check_terms(terms(SideSpec(tokens=((U, 1),))))
    rules.check_terms(terms(want=SideSpec(cards=tuple(f"c{n}" for n in range(20)))))
    rules.check_terms(terms(SideSpec(cards=("a",)), SideSpec(cards=("b",), tokens=((E, 5),))))


def test_side_amounts_add_up_per_asset() -> None:
    side = SideSpec(tokens=((E, 2), (U, 3), (E, 4)))
    assert side.amount(E) == 6 and side.amount(U) == 3
    assert not side.empty


def test_only_the_right_party_may_act() -> None:
    offer = make_offer()
    rules.require_party(offer, "maker", maker=True)
    rules.require_party(offer, "taker", maker=False)
    with pytest.raises(Forbidden) as exc:
        rules.require_party(offer, "taker", maker=True)
    assert code_of(exc) == "not_trade_maker"
    with pytest.raises(Forbidden) as exc:
        rules.require_party(offer, "maker", maker=False)
    assert code_of(exc) == "not_trade_taker"
    with pytest.raises(Unprocessable) as refused:
        rules.check_parties("maker", "maker")
    assert code_of(refused) == "cannot_trade_with_self"


def test_expiry_defaults_and_bounds() -> None:
    assert rules.offer_expiry(None, NOW, 60, 3600) == NOW + timedelta(seconds=60)
    asked = NOW + timedelta(seconds=3600)
    assert rules.offer_expiry(asked, NOW, 60, 3600) == asked
    for bad in (NOW, NOW - timedelta(seconds=1), asked + timedelta(microseconds=1)):
        with pytest.raises(Unprocessable) as exc:
            rules.offer_expiry(bad, NOW, 60, 3600)
        assert code_of(exc) == "invalid_expiry"
    with pytest.raises(Unprocessable):
        rules.offer_expiry(asked.replace(tzinfo=None), NOW, 60, 3600)


@dataclass(frozen=True)
class Card:
    owner_user_id: str | None
    withdrawn_at: datetime | None = None
    lock_kind: str | None = None


def test_wanted_cards_must_be_held_at_create_and_free_at_accept() -> None:
    held = {"a": Card("taker"), "locked": Card("taker", lock_kind="listing")}
    rules.check_wanted_held(["a", "locked"], held, "taker")  # locked is fine until accept
    rules.check_wanted_available(["a"], held, "taker")
    for found in ({}, {"a": Card("someone")}, {"a": Card("taker", withdrawn_at=NOW)}):
        with pytest.raises(Unprocessable) as exc:
            rules.check_wanted_held(["a"], found, "taker")
        assert code_of(exc) == "wanted_card_not_held"
    for found in ({}, {"a": Card("someone")}, {"a": Card("taker", lock_kind="trade")}):
        with pytest.raises(Conflict) as conflict:
            rules.check_wanted_available(["a"], found, "taker")
        assert code_of(conflict) == "trade_item_unavailable"


def test_amounts_and_swap_keep_positive_tokens_in_asset_order() -> None:
    offer = make_offer(give_usdc=5, give_ece=2, want_usdc=0, want_ece=7)
    assert rules.amounts(offer, TradeSide.give) == [(E, 2), (U, 5)]
    assert rules.amounts(offer, TradeSide.want) == [(E, 7)]
    swap = rules.swap_of(offer, ["g"], ["w"])
    assert swap.give_tokens == ((E, 2), (U, 5)) and swap.want_tokens == ((E, 7),)
    assert (swap.payer(TradeSide.give), swap.payee(TradeSide.give)) == ("maker", "taker")


def test_the_value_hint_adds_reference_prices_to_tokens_and_lists_the_unpriced() -> None:
    value = rules.side_value({U: 5}, ["a", "b"], {"a": "acme", "b": "beta"}, {"acme": {U: 10}})
    assert value.value == {E: 0, U: 15}
    assert value.unpriced == {E: ["a", "b"], U: ["b"]}


# ---------------------------------------------------------------------------------------------
# The status machine


times = st.integers(min_value=-3600, max_value=3600).map(lambda s: NOW + timedelta(seconds=s))
statuses = st.sampled_from(list(TradeStatus))


@given(statuses, times, st.booleans())
def test_only_an_active_offer_is_claimable_and_only_before_expiry_unless_released(
    status: TradeStatus, expires_at: datetime, expired_ok: bool
) -> None:
    ok = rules.claimable(status.value, expires_at, NOW, expired_ok=expired_ok)
    seen = rules.status_of(make_offer(status, expires_at), NOW)
    if status in rules.FINAL:
        assert not ok and seen is status
    elif expired_ok:
        assert ok
    else:
        assert ok == (seen is TradeStatus.active) == (expires_at > NOW)


@given(statuses, times, st.sampled_from([TradeStatus.cancelled, TradeStatus.declined]))
def test_ending_a_lapsed_offer_writes_expired(
    status: TradeStatus, expires_at: datetime, requested: TradeStatus
) -> None:
    ending = rules.ending(requested, status.value, expires_at, NOW)
    lapsed = rules.status_of(make_offer(status, expires_at), NOW) is TradeStatus.expired
    assert ending is (TradeStatus.expired if lapsed and status is TradeStatus.active else requested)


def test_a_failed_claim_says_why() -> None:
    assert rules.claim_refusal(TradeStatus.expired).instance_code == "trade_offer_expired"
    for status in rules.FINAL - {TradeStatus.expired}:
        refusal = rules.claim_refusal(status)
        assert refusal.instance_code == "trade_offer_not_active"


class OfferLifecycle(RuleBasedStateMachine):
    """An offer driven through the service's steps as rules: once it leaves ``active`` it
    never changes again, and only an unexpired active offer is ever accepted or countered."""

    def __init__(self) -> None:
        super().__init__()
        self.now = NOW
        self.offer = make_offer(expires_at=NOW + timedelta(seconds=60))
        self.history: list[str] = [self.offer.status]

    def _claim(self, to: TradeStatus, *, expired_ok: bool) -> bool:
        offer = self.offer
        if not rules.claimable(offer.status, offer.expires_at, self.now, expired_ok=expired_ok):
            current = rules.status_of(offer, self.now)
            assert rules.claim_refusal(current).instance_code in {
                "trade_offer_expired",
                "trade_offer_not_active",
            }
            return False
        offer.status = to.value
        self.history.append(offer.status)
        return True

    @rule(seconds=st.integers(min_value=0, max_value=90))
    def time_passes(self, seconds: int) -> None:
        self.now += timedelta(seconds=seconds)

    @rule(to=st.sampled_from([TradeStatus.accepted, TradeStatus.countered]))
    def accept_or_counter(self, to: TradeStatus) -> None:
        before = rules.status_of(self.offer, self.now)
        assert self._claim(to, expired_ok=False) == (before is TradeStatus.active)

    @rule(requested=st.sampled_from([TradeStatus.cancelled, TradeStatus.declined]))
    def cancel_or_decline(self, requested: TradeStatus) -> None:
        offer = self.offer
        was_active = offer.status == TradeStatus.active.value
        to = rules.ending(requested, offer.status, offer.expires_at, self.now)
        assert self._claim(to, expired_ok=True) == was_active

    @precondition(lambda self: self.offer.expires_at <= self.now)
    @rule()
    def expiry_job(self) -> None:
        self._claim(TradeStatus.expired, expired_ok=True)

    @invariant()
    def leaves_active_at_most_once(self) -> None:
        assert self.history[0] == TradeStatus.active.value
        assert len(self.history) <= 2
        assert all(s != TradeStatus.active.value for s in self.history[1:])


TestOfferLifecycle = OfferLifecycle.TestCase
