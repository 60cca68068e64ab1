"""A price chart from candles, as SVG geometry the template draws (no chart script needed).

Prices stay integers until they become pixel positions; labels are exact decimal strings.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from ece.core.money import Asset, format_amount
from ece.marketdata.service import Candle

WIDTH = 600
HEIGHT = 220
PAD_X = 8
PAD_TOP = 12
PAD_BOTTOM = 24


@dataclass(frozen=True)
class Bar:
    x: float  # centre
    wick_top: float
    wick_bottom: float
    body_top: float
    body_height: float
    rising: bool
    label: str  # for the accessible title of the bar


@dataclass(frozen=True)
class Chart:
    width: int
    height: int
    bar_width: float
    bars: list[Bar]
    close_line: str  # polyline points
    high_label: str
    low_label: str
    first_day: str
    last_day: str
    currency: str


def candle_chart(candles: Sequence[Candle], currency: Asset) -> Chart:
    """Candles laid out left to right, oldest first, scaled to the highest and lowest price."""
    high = max(c.high for c in candles)
    low = min(c.low for c in candles)
    span = max(high - low, 1)
    plot_height = HEIGHT - PAD_TOP - PAD_BOTTOM
    step = (WIDTH - 2 * PAD_X) / len(candles)

    def y(price: int) -> float:
        return round(PAD_TOP + (high - price) * plot_height / span, 2)

    bars = []
    for i, c in enumerate(candles):
        top, bottom = y(max(c.open, c.close)), y(min(c.open, c.close))
        bars.append(
            Bar(
                x=round(PAD_X + step * (i + 0.5), 2),
                wick_top=y(c.high),
                wick_bottom=y(c.low),
                body_top=top,
                body_height=max(bottom - top, 1.5),
                rising=c.close >= c.open,
                label=(
                    f"{c.start:%Y-%m-%d}: open {format_amount(c.open, currency)}, "
                    f"close {format_amount(c.close, currency)}, {c.sales} sales"
                ),
            )
        )
    return Chart(
        width=WIDTH,
        height=HEIGHT,
        bar_width=round(max(min(step * 0.6, 24), 2), 2),
        bars=bars,
        close_line=" ".join(f"{b.x},{y(c.close)}" for b, c in zip(bars, candles, strict=True)),
        high_label=format_amount(high, currency),
        low_label=format_amount(low, currency),
        first_day=f"{candles[0].start:%b %d}",
        last_day=f"{candles[-1].start:%b %d}",
        currency=currency.value,
    )
