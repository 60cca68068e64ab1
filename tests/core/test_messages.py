"""The plain-words table: every message is filled or falls back, never shows internals."""

from __future__ import annotations

import re

import pytest

from ece.core.errors import problem_body
from ece.core.messages import MESSAGES, plain_detail


def test_fields_fill_the_sentence_and_their_absence_leaves_the_general_one() -> None:
    assert plain_detail("insufficient_funds", "internal", {"asset": "USDC", "missing": "4.5"}) == (
        "Not enough USDC available: you need 4.5 USDC more. Add funds to continue."
    )
    assert plain_detail("insufficient_funds", "Not enough for transfer 'sale:1:seller'", {}) == (
        "Not enough funds available for this. Add funds to continue."
    )
    assert plain_detail("no_such_code_here", "The service's own words.") == (
        "The service's own words."
    )


def test_the_problem_body_carries_the_plain_detail() -> None:
    body = problem_body(409, "insufficient_funds", "transfer 'offer:9:hold:0'", extra={})
    assert "offer:" not in body["detail"] and body["code"] == "insufficient_funds"


@pytest.mark.parametrize("code", sorted(MESSAGES))
def test_no_message_names_an_internal_id(code: str) -> None:
    for sentence in MESSAGES[code]:
        assert not re.search(r"transfer '|[a-z]+:[0-9a-f]{6}|_id\\b", sentence), code
    assert MESSAGES[code][1].endswith("."), code  # a general sentence always exists
