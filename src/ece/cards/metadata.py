"""Card metadata JSON in the shape wallets and marketplaces read (name, image, attributes...).

The document is serialized canonically so the same card always yields the same bytes and so
the same content address (CID) in the blockstore.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import TypedDict

from ece.cards.rules import (
    IMAGE_MIME_TYPE,
    STAT_MAX,
    STAT_MIN,
    STAT_NAMES,
    Rarity,
    checked_stats,
)

__all__ = [
    "IMAGE_MIME_TYPE",
    "STAT_MAX",
    "STAT_MIN",
    "STAT_NAMES",
    "CardMetadata",
    "Rarity",
    "build_card_metadata",
    "canonical_json",
    "checked_stats",
]


class Attribute(TypedDict):
    trait_type: str
    value: str | int


class MetadataFile(TypedDict):
    uri: str
    type: str


class Properties(TypedDict):
    category: str
    files: list[MetadataFile]


class CardMetadata(TypedDict):
    name: str
    symbol: str
    description: str
    image: str
    external_url: str
    attributes: list[Attribute]
    properties: Properties


def build_card_metadata(
    *,
    name: str,
    ticker: str,
    company_name: str,
    rarity: Rarity | str,
    serial: str,
    stats: Mapping[str, int],
    description: str,
    image_url: str,
    external_url: str,
) -> CardMetadata:
    """The metadata document of one card; `image_url` is its SVG (e.g. ipfs://<cid>)."""
    card_rarity = Rarity(rarity)
    attributes: list[Attribute] = [
        {"trait_type": "Company", "value": company_name},
        {"trait_type": "Ticker", "value": ticker},
        {"trait_type": "Rarity", "value": card_rarity.value.capitalize()},
        {"trait_type": "Serial", "value": serial},
    ]
    attributes += [
        {"trait_type": stat.capitalize(), "value": value}
        for stat, value in checked_stats(stats).items()
    ]
    return {
        "name": name,
        "symbol": ticker,
        "description": description,
        "image": image_url,
        "external_url": external_url,
        "attributes": attributes,
        "properties": {
            "category": "image",
            "files": [{"uri": image_url, "type": IMAGE_MIME_TYPE}],
        },
    }


def canonical_json(document: Mapping[str, object]) -> bytes:
    """Sorted keys, no whitespace, UTF-8 (not \\u escapes): one byte string per document."""
    text = json.dumps(
        document, sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False
    )
    try:
        return text.encode("utf-8")
    except UnicodeEncodeError as exc:  # a lone surrogate has no UTF-8 form
        raise ValueError("metadata text is not valid Unicode") from exc
