"""The cards domain's pure rules, without a database: ownership, status, why a card cannot be
locked or moved, editions and serials, company helpers and the gateway's content sniffing."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ece.cards import rules
from ece.cards.rules import (
    EDITION_SIZES,
    STAT_NAMES,
    CardOwner,
    CardStatus,
    LockKind,
    OwnerKind,
    Price,
    Rarity,
)
from ece.core.errors import Conflict, DomainError, Forbidden, Unprocessable
from ece.core.money import MAX_AMOUNT, Asset

WHEN = datetime(2026, 1, 1, tzinfo=UTC)


@dataclass
class FakeCard:
    owner_user_id: str | None = "u1"
    owner_company_id: str | None = None
    lock_kind: str | None = None
    lock_ref: str | None = None
    withdrawn_at: datetime | None = None


owners = st.one_of(
    st.builds(CardOwner.user, st.sampled_from(["u1", "u2"])),
    st.builds(CardOwner.issuer, st.sampled_from(["c1", "c2"])),
)
locks = st.one_of(
    st.none(), st.tuples(st.sampled_from(list(LockKind)), st.sampled_from(["r1", "r2"]))
)


@st.composite
def cards(draw: st.DrawFn) -> FakeCard:
    owner = draw(owners)
    lock = draw(locks)
    return FakeCard(
        owner_user_id=owner.user_id,
        owner_company_id=owner.company_id,
        lock_kind=lock[0].value if lock else None,
        lock_ref=lock[1] if lock else None,
        withdrawn_at=draw(st.sampled_from([None, WHEN])),
    )


# --- owners ---------------------------------------------------------------------------------------


def test_owner_of_a_card_is_its_user_or_its_issuer() -> None:
    assert CardOwner.of(FakeCard(owner_user_id="u1")) == CardOwner.user("u1")
    issuer = CardOwner.of(FakeCard(owner_user_id=None, owner_company_id="c1"))
    assert issuer == CardOwner.issuer("c1")
    assert (issuer.kind, issuer.company_id, issuer.user_id) == (OwnerKind.issuer, "c1", None)


def test_a_user_and_a_company_with_the_same_id_are_different_owners() -> None:
    assert CardOwner.user("x") != CardOwner.issuer("x")


# --- status ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("lock", "withdrawn", "status"),
    [
        (None, None, CardStatus.available),
        ("listing", None, CardStatus.listed),
        ("auction", None, CardStatus.in_auction),
        ("trade", None, CardStatus.in_trade),
        ("battle", None, CardStatus.in_battle),
        ("withdrawal", None, CardStatus.withdrawn),  # leaving the platform already
        (None, WHEN, CardStatus.withdrawn),
        ("listing", WHEN, CardStatus.withdrawn),
    ],
)
def test_status_of(lock: str | None, withdrawn: datetime | None, status: CardStatus) -> None:
    assert rules.status_of(lock, withdrawn) is status


# --- locks and moves ------------------------------------------------------------------------------


@given(cards(), owners)
def test_a_card_that_can_be_locked_can_be_moved_by_any_ref(
    card: FakeCard, owner: CardOwner
) -> None:
    if rules.can_lock(card, owner):
        assert rules.can_move(card, owner, "anything")


@given(cards(), owners, st.sampled_from(["r1", "r2"]))
def test_a_refused_lock_or_move_always_has_a_reason(
    card: FakeCard, owner: CardOwner, ref: str
) -> None:
    if not rules.can_lock(card, owner):
        assert isinstance(rules.why_not(card, owner), DomainError)
    if not rules.can_move(card, owner, ref):
        reason = rules.why_not(card, owner)
        # A move is refused only for these reasons; never "cannot be changed right now".
        assert reason.instance_code in {"card_unavailable", "not_card_owner", "card_locked"}
        assert reason.instance_code != "card_unavailable" or card.withdrawn_at is not None


@given(cards(), owners)
def test_only_the_owner_locks_a_free_card_on_the_platform(card: FakeCard, owner: CardOwner) -> None:
    expected = card.withdrawn_at is None and card.lock_kind is None and CardOwner.of(card) == owner
    assert rules.can_lock(card, owner) is expected


def test_the_lock_holder_moves_a_locked_card_and_nobody_else() -> None:
    card = FakeCard(lock_kind="listing", lock_ref="L1")
    assert rules.can_move(card, CardOwner.user("u1"), "L1")
    assert not rules.can_move(card, CardOwner.user("u1"), "L2")
    assert not rules.can_move(card, CardOwner.user("u2"), "L1")


def test_why_not_says_withdrawn_before_anything_else() -> None:
    card = FakeCard(owner_user_id="u2", lock_kind="listing", lock_ref="x", withdrawn_at=WHEN)
    reason = rules.why_not(card, CardOwner.user("u1"))
    assert isinstance(reason, Conflict) and reason.instance_code == "card_unavailable"


def test_why_not_says_not_yours_before_locked() -> None:
    card = FakeCard(owner_user_id="u2", lock_kind="listing", lock_ref="x")
    reason = rules.why_not(card, CardOwner.user("u1"))
    assert isinstance(reason, Forbidden) and reason.instance_code == "not_card_owner"


def test_why_not_names_the_lock() -> None:
    reason = rules.why_not(FakeCard(lock_kind="auction", lock_ref="a"), CardOwner.user("u1"))
    assert reason.instance_code == "card_locked"
    assert reason.extra["lock"] == "auction"


def test_why_not_without_an_owner_skips_the_ownership_check() -> None:
    reason = rules.why_not(FakeCard(owner_user_id="u2", lock_kind="trade", lock_ref="t"), None)
    assert reason.instance_code == "card_locked"


@given(st.text(max_size=80))
def test_lock_refs_are_1_to_64_characters(ref: str) -> None:
    if 1 <= len(ref) <= 64:
        rules.check_lock_ref(ref)
    else:
        with pytest.raises(Unprocessable):
            rules.check_lock_ref(ref)


@given(st.integers(min_value=-10, max_value=MAX_AMOUNT + 10))
def test_a_transfer_price_is_within_the_amount_range(amount: int) -> None:
    price = Price(amount, Asset.USDC)
    args = (CardOwner.user("a"), CardOwner.user("b"), "sale", "ref")
    if 0 <= amount <= MAX_AMOUNT:
        rules.check_transfer(*args, price)
    else:
        with pytest.raises(Unprocessable) as refused:
            rules.check_transfer(*args, price)
        assert refused.value.instance_code == "invalid_transfer"


@pytest.mark.parametrize(
    ("to", "reason", "ref", "code"),
    [
        (CardOwner.user("a"), "gift", "r", "invalid_transfer"),  # to its owner
        (CardOwner.user("b"), "", "r", "invalid_transfer"),
        (CardOwner.user("b"), "x" * 33, "r", "invalid_transfer"),
        (CardOwner.user("b"), "gift", "", "invalid_lock_ref"),
    ],
)
def test_transfers_that_can_never_be_valid(to: CardOwner, reason: str, ref: str, code: str) -> None:
    with pytest.raises(Unprocessable) as refused:
        rules.check_transfer(CardOwner.user("a"), to, reason, ref, None)
    assert refused.value.instance_code == code


def test_a_move_with_a_price_is_a_sale() -> None:
    assert rules.moved_event_kind(Price(1, Asset.ECE)) is rules.CardEventKind.sale
    assert rules.moved_event_kind(None) is rules.CardEventKind.transfer


# --- editions, stats, companies -------------------------------------------------------------------


@given(st.sampled_from(list(Rarity)), st.integers(min_value=1, max_value=2000))
def test_serials_run_up_to_the_edition_size(rarity: Rarity, serial: int) -> None:
    if serial <= EDITION_SIZES[rarity]:
        rules.check_serial(serial, rarity, "ACME")
    else:
        with pytest.raises(Conflict) as refused:
            rules.check_serial(serial, rarity, "ACME")
        assert refused.value.instance_code == "edition_sold_out"


def test_edition_sizes_shrink_with_rarity() -> None:
    sizes = [EDITION_SIZES[r] for r in (Rarity.COMMON, Rarity.RARE, Rarity.EPIC, Rarity.LEGENDARY)]
    assert sizes == sorted(sizes, reverse=True)
    assert rules.serial_label(7, 50) == "#7/50"


@given(st.fixed_dictionaries({name: st.integers(-5, 105) for name in STAT_NAMES}))
def test_stats_are_integers_from_0_to_100(stats: dict[str, int]) -> None:
    if all(0 <= v <= 100 for v in stats.values()):
        assert list(rules.checked_stats(stats)) == list(STAT_NAMES)
    else:
        with pytest.raises(ValueError, match="must be an integer from 0 to 100"):
            rules.checked_stats(stats)


def test_a_bool_is_not_a_stat() -> None:
    with pytest.raises(ValueError, match="stat power must be an integer"):
        rules.checked_stats({**dict.fromkeys(STAT_NAMES, 1), "power": True})


@given(st.text(alphabet="ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789", min_size=1, max_size=10))
def test_default_colour_is_stable_and_mid_bright(ticker: str) -> None:
    colour = rules.default_color(ticker)
    assert colour == rules.default_color(ticker)
    assert all(64 <= int(colour[i : i + 2], 16) < 224 for i in (1, 3, 5))


@pytest.mark.parametrize(
    ("text", "pattern"),
    [("Acme", "%acme%"), ("50%", "%50\\%%"), ("a_b", "%a\\_b%"), ("x\\y", "%x\\\\y%")],
)
def test_like_pattern_escapes_wildcards(text: str, pattern: str) -> None:
    assert rules.like_pattern(text) == pattern


@pytest.mark.parametrize(
    ("data", "content_type"),
    [
        (b"<svg xmlns='http://www.w3.org/2000/svg'/>", "image/svg+xml"),
        (b'  <?xml version="1.0"?><svg/>', "image/svg+xml"),
        (b'{"name": "card"}', "application/json"),
        (b"\x00\x01binary", "application/octet-stream"),
        (b"<?xml version='1.0'?><html/>", "application/octet-stream"),
    ],
)
def test_gateway_sniffs_the_content_type(data: bytes, content_type: str) -> None:
    assert rules.sniff_content_type(data) == content_type
