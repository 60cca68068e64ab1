"""The art is content-addressed: the same card must render to the same bytes forever, or its CID
(on chain, in the metadata) would stop matching. These hashes were taken before the renderer was
split into steps; any change to them is a change to every future mint's art."""

from __future__ import annotations

import hashlib
from typing import Any

import pytest

from ece.cards.art import render_card_svg

STATS = {"power": 90, "valuation": 0, "growth": 100, "innovation": 55, "influence": 3}

GOLDEN: list[tuple[dict[str, Any], str]] = [
    (
        {
            "colour": "#1f6feb",
            "ticker": "ACME",
            "company_name": "Acme Corp",
            "card_name": "Acme Legend",
            "rarity": "rare",
            "serial": "#7/50",
            "stats": STATS,
        },
        "77ab5c80eec807fd6764d8a6a1d9a9ad20aa50f4f6ff18eea105a8b54224c440",
    ),
    (
        {
            "colour": "#F5F5F5",
            "ticker": "<&>",
            "company_name": 'Tom\'s <Card> & "Co"',
            "card_name": "A very long card name that overflows",
            "rarity": "legendary",
            "serial": "#1000/1000",
            "stats": {**STATS, "power": 0},
        },
        "cb10775dcd9fe295d5490467d13f430e1871246f12a180b27650eec12c70ac3f",
    ),
    (
        {
            "colour": "#000000",
            "ticker": "ZZZZZZZZZZ",
            "company_name": "x\x00y\ud800",
            "card_name": "É",
            "rarity": "epic",
            "serial": "#1/10",
            "stats": STATS,
        },
        "fd06f9b26f6aeb88390852dc3ae2fed871b1e66abf062d7798f3f19498476c72",
    ),
    (
        {
            "colour": "#abcdef",
            "ticker": "C",
            "company_name": "Common Co",
            "card_name": "C",
            "rarity": "common",
            "serial": "#3/1000",
            "stats": dict.fromkeys(STATS, 100),
        },
        "f77bd457910ebac3bc03bd6c16af9fe20b24e5ef8324258558be35647b87e375",
    ),
]


@pytest.mark.parametrize(("card", "digest"), GOLDEN, ids=["rare", "legendary", "epic", "common"])
def test_rendered_svg_bytes_never_change(card: dict[str, Any], digest: str) -> None:
    svg = render_card_svg(**card).encode("utf-8", "surrogatepass")
    assert hashlib.sha256(svg).hexdigest() == digest
