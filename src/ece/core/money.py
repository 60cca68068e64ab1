"""Assets and amounts: integers in base units inside, exact decimal strings at the API edge.

One registry of assets (symbol and decimals). ``parse_amount`` is the only way a decimal string
becomes an amount and ``format_amount`` the only way back; no float ever touches money.
"""

from __future__ import annotations

import re
from enum import StrEnum
from typing import Annotated, Self

from pydantic import BaseModel, ConfigDict, Field, model_validator

# Amounts and balances are stored as signed 64-bit integers (BigInteger). 2^63 - 1 base units is
# about 9.2e9 ECE (9 decimals) or 9.2e12 USDC (6 decimals); anything larger is refused at the edge.
MAX_AMOUNT = 2**63 - 1

_DECIMALS: dict[str, int] = {"ECE": 9, "USDC": 6}


class Asset(StrEnum):
    ECE = "ECE"
    USDC = "USDC"

    @property
    def decimals(self) -> int:
        return _DECIMALS[str(self.value)]

    @property
    def unit(self) -> int:
        """Base units in one whole token."""
        return int(10**self.decimals)


class InvalidAmount(ValueError):
    """A decimal string that is not a valid amount of the asset (422 at the edge)."""


# Plain digits with an optional fraction: no sign, exponent, spaces, "NaN" or "Infinity".
_AMOUNT_RE = re.compile(r"(0|[1-9][0-9]{0,18})(?:\.([0-9]+))?")
AMOUNT_PATTERN = r"^(0|[1-9][0-9]{0,18})(\.[0-9]+)?$"


def parse_amount(text: str, asset: Asset, *, allow_zero: bool = False) -> int:
    """``"12.5"`` → ``12_500_000`` for USDC; exact, or ``InvalidAmount``."""
    match = _AMOUNT_RE.fullmatch(text) if isinstance(text, str) else None
    if match is None:
        raise InvalidAmount(f"{text!r} is not a decimal amount such as '12.5'")
    whole, fraction = match.group(1), match.group(2) or ""
    if len(fraction) > asset.decimals:
        raise InvalidAmount(f"{asset.value} has at most {asset.decimals} decimal places")
    value = int(whole) * asset.unit + int(fraction.ljust(asset.decimals, "0") or "0")
    if value == 0 and not allow_zero:
        raise InvalidAmount("the amount must be greater than zero")
    if value > MAX_AMOUNT:
        raise InvalidAmount("the amount is too large")
    return value


def format_amount(value: int, asset: Asset) -> str:
    """``12_500_000`` → ``"12.5"`` for USDC: exact, no trailing zeros, ``"-"`` when negative."""
    sign = "-" if value < 0 else ""
    whole, fraction = divmod(abs(value), asset.unit)
    digits = str(fraction).rjust(asset.decimals, "0").rstrip("0")
    return f"{sign}{whole}.{digits}" if digits else f"{sign}{whole}"


AmountText = Annotated[
    str,
    Field(
        pattern=AMOUNT_PATTERN,
        max_length=40,
        description="Decimal string in whole tokens, e.g. '12.5'",
        examples=["12.5"],
    ),
]


class Money(BaseModel):
    """An amount of an asset as the API carries it; ``base_units`` is what services take."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    asset: Asset
    amount: AmountText

    @model_validator(mode="after")
    def _exact(self) -> Self:
        # Raises InvalidAmount (a ValueError), which Pydantic turns into a 422 field error.
        parse_amount(self.amount, self.asset)
        return self

    @property
    def base_units(self) -> int:
        return parse_amount(self.amount, self.asset)

    @classmethod
    def of(cls, value: int, asset: Asset) -> Money:
        return cls(asset=asset, amount=format_amount(value, asset))
