from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ece.cards.art import render_card_svg
from ece.cards.blockstore import LocalBlockstore
from ece.cards.metadata import STAT_NAMES, build_card_metadata, canonical_json

SVG = "{http://www.w3.org/2000/svg}"
NASTY = 'Tom\'s <Card> & "Co"'
STATS = {"power": 90, "valuation": 0, "growth": 100, "innovation": 55, "influence": 3}


def make_svg(**overrides: Any) -> str:
    card: dict[str, Any] = {
        "colour": "#1f6feb",
        "ticker": "ACME",
        "company_name": "Acme Corp",
        "card_name": "Acme Legend",
        "rarity": "rare",
        "serial": "#7/50",
        "stats": STATS,
    }
    card.update(overrides)
    return render_card_svg(**card)


def make_metadata(**overrides: Any) -> dict[str, Any]:
    card: dict[str, Any] = {
        "name": "Acme Legend",
        "ticker": "ACME",
        "company_name": "Acme Corp",
        "rarity": "legendary",
        "serial": "#7/50",
        "stats": STATS,
        "description": "The founding card of Acme.",
        "image_url": "ipfs://bafkreibm6jg3ux5qumhcn2b3flc3tyu6dmlb4xa7u5bf44yegnrjhc4yeq",
        "external_url": "https://ece.example/cards/1",
    }
    card.update(overrides)
    return dict(build_card_metadata(**card))


def texts(svg: str) -> list[str]:
    return [t.text or "" for t in ET.fromstring(svg).iter(f"{SVG}text")]


# --- art ---------------------------------------------------------------------------------


def test_svg_is_well_formed_with_the_card_viewbox() -> None:
    root = ET.fromstring(make_svg())
    assert root.tag == f"{SVG}svg"
    assert root.get("viewBox") == "0 0 300 420"


def test_svg_shows_the_card_facts() -> None:
    shown = texts(make_svg())
    for fact in ["ACME", "Acme Legend", "Acme Corp", "#7/50", "RARE", "Power", "90", "3"]:
        assert fact in shown


def test_markup_characters_in_names_are_escaped_and_survive() -> None:
    svg = make_svg(card_name=NASTY, company_name=NASTY, ticker="<&>", serial="#1/'1'")
    assert "<Card>" not in svg  # only the escaped form may appear in the document
    shown = texts(svg)
    assert NASTY in shown
    assert "<&>" in shown
    assert "#1/'1'" in shown


def test_svg_has_no_external_resources() -> None:
    root = ET.fromstring(make_svg(rarity="legendary"))
    for element in root.iter():
        local_name = element.tag.removeprefix(SVG)
        assert local_name not in {"image", "script", "style", "foreignObject", "a", "use"}
        for name, value in element.attrib.items():
            assert "href" not in name
            assert "http" not in value or name == "xmlns"
            assert not value.startswith("url(") or value.startswith("url(#")


def test_rarities_have_distinct_frames() -> None:
    rarities = ["common", "rare", "epic", "legendary"]
    frames = {}
    for rarity in rarities:
        root = ET.fromstring(make_svg(rarity=rarity))
        stops = [s.get("stop-color") for s in root.iter(f"{SVG}stop")]
        frames[rarity] = tuple(stops)
    assert len(set(frames.values())) == len(rarities)
    assert "#f5c542" in frames["legendary"]  # gold


def test_bars_are_proportional_to_stats() -> None:
    root = ET.fromstring(make_svg())
    filled = [
        int(r.get("width", "0"))
        for r in root.iter(f"{SVG}rect")
        if r.get("fill", "").endswith("-frame)") and r.get("height") == "10"
    ]
    # valuation 0 draws no bar; the others scale on the same 128-pixel track
    assert filled == [128 * 90 // 100, 128, 128 * 55 // 100, 128 * 3 // 100]


def test_same_card_renders_the_same_bytes() -> None:
    assert make_svg() == make_svg()
    assert make_svg() != make_svg(serial="#8/50")


def test_long_names_are_shortened_to_fit() -> None:
    shown = texts(make_svg(card_name="An extraordinarily long card name " * 3))
    (name,) = [t for t in shown if t.startswith("An extra")]
    assert name.endswith("\u2026")
    assert len(name) < 60


@pytest.mark.parametrize(
    ("overrides", "problem"),
    [
        ({"colour": "blue"}, "colour"),
        ({"colour": "#12345"}, "colour"),
        ({"colour": '#1f6feb" onload="x'}, "colour"),
        ({"rarity": "mythic"}, "Rarity"),
        ({"stats": {**STATS, "power": 101}}, "stat power"),
        ({"stats": {**STATS, "power": -1}}, "stat power"),
        ({"stats": {**STATS, "power": True}}, "stat power"),
        ({"stats": {k: v for k, v in STATS.items() if k != "power"}}, "stats must be"),
        ({"stats": {**STATS, "luck": 5}}, "stats must be"),
    ],
)
def test_invalid_art_inputs_are_refused(overrides: dict[str, Any], problem: str) -> None:
    with pytest.raises(ValueError, match=problem):
        make_svg(**overrides)


@given(name=st.text(max_size=40))
def test_any_name_yields_well_formed_svg(name: str) -> None:
    # Includes controls, surrogates and U+FFFF, which XML cannot carry at all: they are dropped.
    root = ET.fromstring(make_svg(card_name=name, company_name=name, serial=name))
    assert root.get("viewBox") == "0 0 300 420"


def test_characters_xml_cannot_hold_are_dropped() -> None:
    shown = texts(make_svg(card_name="Ac\x00me\ufffe\ud800"))
    assert "Acme" in shown


# --- metadata ----------------------------------------------------------------------------


def test_metadata_has_the_usual_nft_shape() -> None:
    metadata = make_metadata()
    image = "ipfs://bafkreibm6jg3ux5qumhcn2b3flc3tyu6dmlb4xa7u5bf44yegnrjhc4yeq"
    assert metadata["name"] == "Acme Legend"
    assert metadata["symbol"] == "ACME"
    assert metadata["description"] == "The founding card of Acme."
    assert metadata["image"] == image
    assert metadata["external_url"] == "https://ece.example/cards/1"
    assert metadata["properties"] == {
        "category": "image",
        "files": [{"uri": image, "type": "image/svg+xml"}],
    }
    traits = {a["trait_type"]: a["value"] for a in metadata["attributes"]}
    assert traits == {
        "Company": "Acme Corp",
        "Ticker": "ACME",
        "Rarity": "Legendary",
        "Serial": "#7/50",
        "Power": 90,
        "Valuation": 0,
        "Growth": 100,
        "Innovation": 55,
        "Influence": 3,
    }


def test_canonical_json_is_sorted_compact_utf8() -> None:
    encoded = canonical_json(make_metadata(name="Café ☕"))
    text = encoded.decode("utf-8")
    assert "Café ☕" in text  # raw UTF-8, not \\u escapes
    assert not text[0].isspace()
    assert ": " not in text
    assert ", " not in text
    decoded = json.loads(encoded)
    assert list(decoded) == sorted(decoded)
    assert decoded == make_metadata(name="Café ☕")


def test_same_card_gives_same_bytes_whatever_the_input_order() -> None:
    shuffled = dict(reversed(list(STATS.items())))
    assert canonical_json(make_metadata()) == canonical_json(make_metadata(stats=shuffled))
    assert [a["trait_type"].lower() for a in make_metadata()["attributes"][4:]] == list(STAT_NAMES)


async def test_text_without_utf8_form_is_refused() -> None:
    with pytest.raises(ValueError, match="Unicode"):
        canonical_json(make_metadata(name="\ud800"))


async def test_same_card_yields_same_cid(tmp_path: Path) -> None:
    store = LocalBlockstore(tmp_path)
    first = await store.put(canonical_json(make_metadata()))
    again = await store.put(canonical_json(make_metadata()))
    other = await store.put(canonical_json(make_metadata(serial="#8/50")))
    assert first == again != other


@pytest.mark.parametrize(
    ("overrides", "problem"),
    [
        ({"rarity": "mythic"}, "Rarity"),
        ({"stats": {**STATS, "growth": 100.0}}, "stat growth"),
        ({"stats": {**STATS, "growth": 250}}, "stat growth"),
    ],
)
def test_invalid_metadata_inputs_are_refused(overrides: dict[str, Any], problem: str) -> None:
    with pytest.raises(ValueError, match=problem):
        make_metadata(**overrides)
