"""Deterministic SVG artwork for a card: same inputs, same bytes, same CID.

Built with ElementTree so every text and attribute value is XML-escaped by construction, and
self-contained (no fonts, images or links fetched) so it renders the same from any gateway.
"""

from __future__ import annotations

import hashlib
import re
import xml.etree.ElementTree as ET
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Final

from ece.cards.metadata import STAT_MAX, Rarity, checked_stats

WIDTH: Final = 300
HEIGHT: Final = 420
_SVG_NS: Final = "http://www.w3.org/2000/svg"
_FONT: Final = "Helvetica, Arial, sans-serif"
_HEX_COLOUR: Final = re.compile(r"#[0-9a-fA-F]{6}")
# Rough glyph width as a share of font size, to keep long names inside the card.
_GLYPH_WIDTH: Final = 0.6
_MIN_FONT: Final = 10
# Characters XML 1.0 forbids even when escaped (controls, surrogates, U+FFFE/U+FFFF).
_NOT_XML_CHAR: Final = re.compile("[^\t\n\r\u0020-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


@dataclass(frozen=True, slots=True)
class _FrameStyle:
    stops: tuple[str, ...]  # gradient from top-left to bottom-right
    width: int
    inner_line: str | None  # a second, thin line inside the frame for the higher rarities


_FRAMES: Final[Mapping[Rarity, _FrameStyle]] = {
    Rarity.COMMON: _FrameStyle(("#9aa4ae", "#9aa4ae"), 6, None),
    Rarity.RARE: _FrameStyle(("#dbe7ff", "#5b8def", "#2a4f9e"), 8, None),
    Rarity.EPIC: _FrameStyle(("#f0d4ff", "#9d4edd", "#5a189a"), 10, "#f0d4ff"),
    Rarity.LEGENDARY: _FrameStyle(("#fff6c2", "#f5c542", "#b8860b", "#fff0a0"), 12, "#fff6c2"),
}


def _rgb(colour: str) -> tuple[int, int, int]:
    return int(colour[1:3], 16), int(colour[3:5], 16), int(colour[5:7], 16)


def _darker(colour: str, factor: float = 0.45) -> str:
    r, g, b = (round(c * factor) for c in _rgb(colour))
    return f"#{r:02x}{g:02x}{b:02x}"


def _ink_for(colour: str) -> str:
    # Relative luminance (sRGB weights) decides whether white or near-black text reads better.
    r, g, b = _rgb(colour)
    return "#111111" if 0.2126 * r + 0.7152 * g + 0.0722 * b > 150 else "#ffffff"


def _sub(parent: ET.Element, tag: str, **attrs: str | int) -> ET.Element:
    # Python names can't hold dashes, so attributes are passed with underscores.
    return ET.SubElement(parent, tag, {k.replace("_", "-"): str(v) for k, v in attrs.items()})


def _fit(content: str, size: int, max_width: int) -> tuple[str, int]:
    """Shrink the font, then cut with an ellipsis, so text stays inside its box. Renderers
    disagree on `textLength`, so the fitting is done here."""
    size = max(min(size, int(max_width / (max(len(content), 1) * _GLYPH_WIDTH))), _MIN_FONT)
    max_chars = int(max_width / (size * _GLYPH_WIDTH))
    if len(content) > max_chars:
        content = content[: max_chars - 1].rstrip() + "\u2026"
    return content, size


def _text(
    parent: ET.Element, content: str, x: int, y: int, size: int, max_width: int, **attrs: str
) -> None:
    content, size = _fit(_NOT_XML_CHAR.sub("", content), size, max_width)
    element = _sub(parent, "text", x=x, y=y, font_size=size, font_family=_FONT, **attrs)
    element.text = content


def _gradient(defs: ET.Element, gradient_id: str, stops: tuple[str, ...]) -> None:
    gradient = _sub(defs, "linearGradient", id=gradient_id, x1=0, y1=0, x2=1, y2=1)
    last = max(len(stops) - 1, 1)
    for i, colour in enumerate(stops):
        _sub(gradient, "stop", offset=f"{100 * i // last}%", stop_color=colour)


@dataclass(frozen=True, slots=True)
class _Palette:
    colour: str  # the company's colour, lower case
    ink: str  # text colour that reads on it
    uid: str  # id prefix unique to this card, for its gradients
    frame: _FrameStyle


def render_card_svg(
    *,
    colour: str,
    ticker: str,
    company_name: str,
    card_name: str,
    rarity: Rarity | str,
    serial: str,
    stats: Mapping[str, int],
) -> str:
    """The card's SVG document (300x420). ValueError on a bad colour, rarity or stats."""
    if not _HEX_COLOUR.fullmatch(colour):
        raise ValueError(f"colour must look like #1f6feb, got {colour!r}")
    card_rarity = Rarity(rarity)
    card_stats = checked_stats(stats)
    colour = colour.lower()
    # Ids unique to this card, so several cards inlined in one HTML page don't clash.
    seed = "\x1f".join([colour, ticker, company_name, card_name, card_rarity, serial])
    uid = "c" + hashlib.sha256(seed.encode("utf-8", "surrogatepass")).hexdigest()[:10]
    palette = _Palette(colour, _ink_for(colour), uid, _FRAMES[card_rarity])

    summary = f"{card_name} — {company_name} ({ticker}), {card_rarity.value} {serial}"
    svg = _document(summary, palette)
    _frame(svg, palette)
    _header(svg, ticker, card_rarity, palette.ink)
    _emblem(svg, ticker, palette)
    _names(svg, card_name, company_name, palette.ink)
    _stat_bars(svg, card_stats, palette)
    _footer(svg, serial, palette.ink)
    return ET.tostring(svg, encoding="unicode")


_LEFT: Final = 26
_RIGHT: Final = WIDTH - 26


def _document(summary: str, palette: _Palette) -> ET.Element:
    """The root element with its title and the two gradients the card is painted with."""
    svg = ET.Element(
        "svg",
        {
            "xmlns": _SVG_NS,
            "viewBox": f"0 0 {WIDTH} {HEIGHT}",
            "width": str(WIDTH),
            "height": str(HEIGHT),
            "role": "img",
        },
    )
    title = _sub(svg, "title")
    title.text = _NOT_XML_CHAR.sub("", summary)
    defs = _sub(svg, "defs")
    _gradient(defs, f"{palette.uid}-bg", (palette.colour, _darker(palette.colour)))
    _gradient(defs, f"{palette.uid}-frame", palette.frame.stops)
    return svg


def _frame(svg: ET.Element, palette: _Palette) -> None:
    frame, uid = palette.frame, palette.uid
    _sub(svg, "rect", x=0, y=0, width=WIDTH, height=HEIGHT, rx=18, fill=f"url(#{uid}-frame)")
    inset = frame.width
    _sub(
        svg,
        "rect",
        x=inset,
        y=inset,
        width=WIDTH - 2 * inset,
        height=HEIGHT - 2 * inset,
        rx=12,
        fill=f"url(#{uid}-bg)",
    )
    if frame.inner_line:
        _sub(
            svg,
            "rect",
            x=inset + 4,
            y=inset + 4,
            width=WIDTH - 2 * inset - 8,
            height=HEIGHT - 2 * inset - 8,
            rx=9,
            fill="none",
            stroke=frame.inner_line,
            stroke_width="1.5",
            stroke_opacity="0.8",
        )


def _header(svg: ET.Element, ticker: str, rarity: Rarity, ink: str) -> None:
    _text(svg, ticker, _LEFT, 46, 20, 130, fill=ink, font_weight="bold")
    _text(
        svg,
        rarity.value.upper(),
        _RIGHT,
        46,
        12,
        110,
        fill=ink,
        text_anchor="end",
        letter_spacing="2",
    )


def _emblem(svg: ET.Element, ticker: str, palette: _Palette) -> None:
    """The ticker on a disc in the frame's colours."""
    _sub(svg, "circle", cx=WIDTH // 2, cy=135, r=58, fill=f"url(#{palette.uid}-frame)")
    _sub(svg, "circle", cx=WIDTH // 2, cy=135, r=50, fill=palette.colour)
    _text(
        svg,
        ticker[:5],
        WIDTH // 2,
        147,
        34,
        84,
        fill=palette.ink,
        font_weight="bold",
        text_anchor="middle",
    )


def _names(svg: ET.Element, card_name: str, company_name: str, ink: str) -> None:
    width = _RIGHT - _LEFT
    _text(
        svg,
        card_name,
        WIDTH // 2,
        226,
        22,
        width,
        fill=ink,
        font_weight="bold",
        text_anchor="middle",
    )
    _text(svg, company_name, WIDTH // 2, 247, 13, width, fill=ink, text_anchor="middle")


def _stat_bars(svg: ET.Element, stats: Mapping[str, int], palette: _Palette) -> None:
    bar_x, bar_width, ink = 112, 128, palette.ink
    for row, (stat, value) in enumerate(stats.items()):
        y = 268 + row * 21
        _text(svg, stat.capitalize(), _LEFT, y + 9, 11, bar_x - _LEFT - 6, fill=ink)
        track = _sub(svg, "rect", x=bar_x, y=y, width=bar_width, height=10, rx=5)
        track.set("fill", "#000000")
        track.set("fill-opacity", "0.3")
        filled = bar_width * value // STAT_MAX
        if filled:
            bar = _sub(svg, "rect", x=bar_x, y=y, width=filled, height=10, rx=5)
            bar.set("fill", f"url(#{palette.uid}-frame)")
        _text(svg, str(value), _RIGHT, y + 9, 11, 30, fill=ink, text_anchor="end")


def _footer(svg: ET.Element, serial: str, ink: str) -> None:
    _text(svg, "ECE", _LEFT, HEIGHT - 24, 11, 60, fill=ink, letter_spacing="3", opacity="0.8")
    _text(svg, serial, _RIGHT, HEIGHT - 24, 12, 150, fill=ink, text_anchor="end")
