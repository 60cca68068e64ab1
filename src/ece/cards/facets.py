"""Facet counts for a catalog query, with no I/O: counted over the matching cards' rows.

The service reads the facet columns of at most ``EXACT_LIMIT + 1`` matching cards in id order,
first from a slice of the id space (``SAMPLE_SLICES``: ids below ``01``, 1/256 of the space,
then below ``1``, 1/16), going on to the next slice only while the slice read holds fewer
than ``min_sample`` matches, and to the whole space last. Card ids are random 128-bit numbers,
so any slice, and the first N cards in id order, are uniform samples of the match set.

- The whole space read and the match set fits in ``EXACT_LIMIT``: every count is exact
  (``total``).
- More than ``EXACT_LIMIT`` matches read: the first ``EXACT_LIMIT`` are the sample; the size
  of the match set is estimated from how much of the id space they cover.
- A slice read with ``min_sample`` to ``EXACT_LIMIT`` matches: those are the sample, and the
  slice's share of the id space is its coverage.

Estimated counts are scaled to the estimated size (``total_estimate``, ``estimated``). Counts
are over the whole current query, the facet's own filter included. A large match set so costs
the reading of a small slice of it, and the search engine reads only that slice too
(``CardSearch.matching`` takes the slice's bound).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Final

from ece.cards.rules import PRICE_BUCKET_BOUNDS, STAT_NAMES, Facet, price_bucket
from ece.core.money import Asset

EXACT_LIMIT: Final = 2_000
_ID_SPACE: Final = 16**32
# (ids below this, share of the id space): read in this order; ``None`` is the whole space.
SAMPLE_SLICES: Final[tuple[tuple[str | None, float], ...]] = (
    ("01", 1 / 256),
    ("1", 1 / 16),
    (None, 1.0),
)


def min_sample(exact_limit: int) -> int:
    """Matches a slice must hold to estimate from it (else the next, wider slice is read)."""
    return max(1, exact_limit // 8)


@dataclass(frozen=True)
class FacetRow:
    """The columns ``catalog_repository.FACET_COLUMNS`` reads, in that order."""

    id: str
    company_id: str
    rarity: str
    list_price: int | None
    list_asset: str | None
    power: int
    valuation: int
    growth: int
    innovation: int
    influence: int


@dataclass(frozen=True)
class Bucket:
    value: str
    count: int
    label: str | None = None


@dataclass(frozen=True)
class PriceBucket:
    currency: Asset
    low: int  # base units, inclusive
    high: int | None  # base units, exclusive; None: no upper bound
    count: int


@dataclass
class CatalogFacets:
    total: int | None  # exact size of the match set, or None when estimated
    total_estimate: int | None
    buckets: dict[Facet, list[Bucket]] = field(default_factory=dict)
    prices: list[PriceBucket] | None = None
    stats: dict[str, tuple[int | None, int | None]] | None = None

    @property
    def estimated(self) -> bool:
        return self.total is None


def estimate_total(sample_size: int, last_id: str) -> int:
    """Size of a match set whose first ``sample_size`` cards in id order end at ``last_id``."""
    try:
        covered = (int(last_id, 16) + 1) / _ID_SPACE
    except ValueError:
        return sample_size  # not a random hex id: the sample is all we know
    return max(sample_size, round(sample_size / covered))


def count_facets(
    rows: Sequence[Sequence[Any]],
    wanted: Collection[Facet],
    companies: Mapping[str, tuple[str, str]],
    *,
    exact_limit: int = EXACT_LIMIT,
    covered: float = 1.0,
) -> CatalogFacets:
    """The facets of the match set from its first ``exact_limit + 1`` rows in id order, read
    from the slice of the id space whose share is ``covered`` (1: all of it)."""
    cards = [FacetRow(*row) for row in rows]
    if len(cards) <= exact_limit and covered >= 1:
        total, estimate, scale = len(cards), None, 1.0
    elif len(cards) <= exact_limit:
        total, estimate = None, max(len(cards), round(len(cards) / covered))
        scale = 1 / covered
    else:
        cards = cards[:exact_limit]
        total, estimate = None, estimate_total(exact_limit, cards[-1].id)
        scale = estimate / exact_limit
    result = CatalogFacets(total=total, total_estimate=estimate)

    def scaled(counter: Counter[str], labels: Mapping[str, str] | None = None) -> list[Bucket]:
        ordered = sorted(counter.items(), key=lambda kv: (-kv[1], kv[0]))
        return [
            Bucket(value, round(n * scale), labels.get(value) if labels else None)
            for value, n in ordered
        ]

    if Facet.company in wanted:
        tickers = {cid: ticker for cid, (ticker, _) in companies.items()}
        result.buckets[Facet.company] = scaled(Counter(c.company_id for c in cards), tickers)
    if Facet.sector in wanted:
        sectors = Counter(companies.get(c.company_id, ("", ""))[1] for c in cards)
        result.buckets[Facet.sector] = scaled(sectors)
    if Facet.rarity in wanted:
        result.buckets[Facet.rarity] = scaled(Counter(c.rarity for c in cards))
    if Facet.listed in wanted:
        listed = Counter("true" if c.list_price is not None else "false" for c in cards)
        result.buckets[Facet.listed] = scaled(listed)
    listed_cards = [c for c in cards if c.list_price is not None and c.list_asset is not None]
    if Facet.currency in wanted:
        result.buckets[Facet.currency] = scaled(Counter(str(c.list_asset) for c in listed_cards))
    if Facet.price in wanted:
        result.prices = _price_buckets(listed_cards, scale)
    if Facet.stats in wanted:
        result.stats = {
            stat: (
                min((getattr(c, stat) for c in cards), default=None),
                max((getattr(c, stat) for c in cards), default=None),
            )
            for stat in STAT_NAMES
        }
    return result


def _price_buckets(listed: Sequence[FacetRow], scale: float) -> list[PriceBucket]:
    counts: Counter[tuple[Asset, int]] = Counter()
    for card in listed:
        asset = Asset(str(card.list_asset))
        counts[(asset, price_bucket(card.list_price or 0, asset))] += 1
    buckets: list[PriceBucket] = []
    for (asset, index), n in sorted(counts.items()):
        bounds = (0, *PRICE_BUCKET_BOUNDS)
        high = PRICE_BUCKET_BOUNDS[index] * asset.unit if index < len(PRICE_BUCKET_BOUNDS) else None
        buckets.append(PriceBucket(asset, bounds[index] * asset.unit, high, round(n * scale)))
    return buckets
