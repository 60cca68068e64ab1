"""API shapes for companies, cards, card history and the catalog."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Annotated, Protocol, Self

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    HttpUrl,
    StrictInt,
    model_validator,
)
from solders.pubkey import Pubkey

from ece.cards.countries import ISO_3166_ALPHA2
from ece.cards.facets import CatalogFacets
from ece.cards.metadata import Rarity
from ece.cards.models import Card, CardEvent, CardStatus, Company
from ece.cards.rules import OwnerKind
from ece.core.money import Asset, format_amount

TICKER_PATTERN = r"^[A-Z0-9]{1,10}$"
COLOR_PATTERN = r"^#[0-9a-fA-F]{6}$"
# The on-chain token-metadata name is capped at 32 bytes (see ece.chain.tokens.nft).
MAX_CARD_NAME_BYTES = 32


def _pubkey(value: str) -> str:
    try:
        key = Pubkey.from_string(value)
    except ValueError as exc:
        raise ValueError("not a Solana address (base58, 32 bytes)") from exc
    if str(key) != value:
        raise ValueError("not a canonical base58 Solana address")
    return value


def _country(value: str) -> str:
    if value not in ISO_3166_ALPHA2:
        raise ValueError("not an ISO 3166-1 alpha-2 country code, e.g. 'US'")
    return value


def _card_name(value: str) -> str:
    if len(value.encode("utf-8")) > MAX_CARD_NAME_BYTES:
        raise ValueError(f"at most {MAX_CARD_NAME_BYTES} bytes in UTF-8 (the on-chain limit)")
    return value


SolanaAddress = Annotated[str, Field(max_length=44), AfterValidator(_pubkey)]
CountryCode = Annotated[str, Field(min_length=2, max_length=2), AfterValidator(_country)]
Ticker = Annotated[str, Field(pattern=TICKER_PATTERN, examples=["ACME"])]
Color = Annotated[str, Field(pattern=COLOR_PATTERN, examples=["#1f6feb"])]
CompanyName = Annotated[str, Field(min_length=1, max_length=100)]
Sector = Annotated[str, Field(min_length=1, max_length=64, examples=["Technology"])]
Description = Annotated[str, Field(max_length=2000)]
RoyaltyBps = Annotated[StrictInt, Field(ge=0, le=1000, description="Royalty in basis points")]
Stat = Annotated[StrictInt, Field(ge=0, le=100)]
CardName = Annotated[str, Field(min_length=1, max_length=32), AfterValidator(_card_name)]


class _In(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class CompanyIn(_In):
    name: CompanyName
    ticker: Ticker
    sector: Sector
    country: CountryCode
    website: HttpUrl
    description: Description = ""
    royalty_bps: RoyaltyBps
    payout_address: SolanaAddress
    color: Color | None = None


class CompanyPatch(_In):
    """Fields to change; the ticker is fixed because minted cards carry it on chain."""

    name: CompanyName | None = None
    sector: Sector | None = None
    country: CountryCode | None = None
    website: HttpUrl | None = None
    description: Description | None = None
    royalty_bps: RoyaltyBps | None = None
    payout_address: SolanaAddress | None = None
    color: Color | None = None

    @model_validator(mode="after")
    def _no_nulls(self) -> Self:
        nulls = [name for name in self.model_fields_set if getattr(self, name) is None]
        if nulls:
            raise ValueError(f"cannot be null: {', '.join(sorted(nulls))}")
        return self


class CompanyOut(BaseModel):
    id: str
    name: str
    ticker: str
    sector: str
    country: str
    website: str
    description: str
    royalty_bps: int
    payout_address: str
    color: str
    created_at: datetime

    @classmethod
    def of(cls, company: Company) -> CompanyOut:
        return cls(
            id=company.id,
            name=company.name,
            ticker=company.ticker,
            sector=company.sector,
            country=company.country,
            website=company.website,
            description=company.description,
            royalty_bps=company.royalty_bps,
            payout_address=company.payout_address,
            color=company.color,
            created_at=company.created_at,
        )


class CompanyPage(BaseModel):
    items: list[CompanyOut]
    next_cursor: str | None = None


class CompanyRef(BaseModel):
    id: str
    name: str
    ticker: str
    sector: str
    color: str

    @classmethod
    def of(cls, company: Company) -> CompanyRef:
        return cls(
            id=company.id,
            name=company.name,
            ticker=company.ticker,
            sector=company.sector,
            color=company.color,
        )


class CardAttributes(_In):
    power: Stat
    valuation: Stat
    growth: Stat
    innovation: Stat
    influence: Stat


class CardIn(_In):
    company_id: str = Field(min_length=1, max_length=32)
    name: CardName
    rarity: Rarity
    attributes: CardAttributes
    description: Description | None = None
    owner_id: str | None = Field(
        default=None,
        max_length=32,
        description="User id of the first owner; default: the company's issuer inventory",
    )


class CardBatchIn(_In):
    cards: list[CardIn] = Field(min_length=1, max_length=500)


class Wallet(Protocol):
    """A user as a card shows them (``ece.auth.service.UserRef``)."""

    @property
    def id(self) -> str: ...
    @property
    def address(self) -> str: ...
    @property
    def display_name(self) -> str | None: ...


Wallets = Mapping[str, Wallet]  # user id → the user, for the owners a page names


class OwnerOut(BaseModel):
    kind: OwnerKind
    id: str
    address: str | None = Field(description="The user's wallet; null for issuer inventory")
    display_name: str | None

    @classmethod
    def user(cls, user: Wallet) -> OwnerOut:
        return cls(
            kind=OwnerKind.user, id=user.id, address=user.address, display_name=user.display_name
        )

    @classmethod
    def issuer(cls, company: Company) -> OwnerOut:
        return cls(
            kind=OwnerKind.issuer,
            id=company.id,
            address=None,
            display_name=f"{company.name} (issuer)",
        )


class PriceOut(BaseModel):
    price: str = Field(description="Decimal string in whole tokens")
    currency: Asset

    @classmethod
    def of(cls, amount: int, asset: str) -> PriceOut:
        currency = Asset(asset)
        return cls(price=format_amount(amount, currency), currency=currency)


class CardLastSaleOut(PriceOut):
    at: datetime


class CardOut(BaseModel):
    id: str
    name: str
    description: str
    serial: str = Field(examples=["#7/50"])
    rarity: Rarity
    attributes: CardAttributes
    company: CompanyRef
    owner: OwnerOut
    status: CardStatus
    mint: str
    metadata_uri: str
    image_url: str
    last_sale: CardLastSaleOut | None
    created_at: datetime

    @classmethod
    def of(cls, card: Card, base_url: str, wallets: Wallets) -> CardOut:
        if card.owner_user_id is not None:
            owner = OwnerOut.user(wallets[card.owner_user_id])
        else:
            assert card.owner_company is not None
            owner = OwnerOut.issuer(card.owner_company)
        last_sale = None
        if card.last_sale_price is not None and card.last_sale_asset and card.last_sale_at:
            sale = PriceOut.of(card.last_sale_price, card.last_sale_asset)
            last_sale = CardLastSaleOut(
                price=sale.price, currency=sale.currency, at=card.last_sale_at
            )
        return cls(
            id=card.id,
            name=card.name,
            description=card.description,
            serial=card.serial,
            rarity=Rarity(card.rarity),
            attributes=CardAttributes(**card.stats),
            company=CompanyRef.of(card.company),
            owner=owner,
            status=card.status,
            mint=card.mint,
            metadata_uri=f"ipfs://{card.metadata_cid}",
            image_url=card_image_url(base_url, card.id),
            last_sale=last_sale,
            created_at=card.created_at,
        )


def card_image_url(base_url: str, card_id: str) -> str:
    return f"{base_url}/api/v1/cards/{card_id}/image.svg"


class FacetBucketOut(BaseModel):
    value: str
    label: str | None = Field(None, description="The ticker, for a company bucket")
    count: int


class PriceBucketOut(BaseModel):
    currency: Asset
    min: str = Field(description="Decimal string, inclusive")
    max: str | None = Field(description="Decimal string, exclusive; null: no upper bound")
    count: int


class StatRangeOut(BaseModel):
    min: int | None
    max: int | None


class CatalogFacetsOut(BaseModel):
    """Counts for the current query; scaled from a uniform sample when ``estimated``."""

    estimated: bool
    company: list[FacetBucketOut] | None = None
    sector: list[FacetBucketOut] | None = None
    rarity: list[FacetBucketOut] | None = None
    listed: list[FacetBucketOut] | None = None
    currency: list[FacetBucketOut] | None = None
    price: list[PriceBucketOut] | None = None
    stats: dict[str, StatRangeOut] | None = None

    @classmethod
    def of(cls, facets: CatalogFacets) -> Self:
        buckets = {
            facet.value: [FacetBucketOut(value=b.value, label=b.label, count=b.count) for b in bs]
            for facet, bs in facets.buckets.items()
        }
        prices = None
        if facets.prices is not None:
            prices = [
                PriceBucketOut(
                    currency=p.currency,
                    min=format_amount(p.low, p.currency),
                    max=None if p.high is None else format_amount(p.high, p.currency),
                    count=p.count,
                )
                for p in facets.prices
            ]
        stats = None
        if facets.stats is not None:
            stats = {name: StatRangeOut(min=lo, max=hi) for name, (lo, hi) in facets.stats.items()}
        return cls(estimated=facets.estimated, price=prices, stats=stats, **buckets)


class CardPage(BaseModel):
    items: list[CardOut]
    next_cursor: str | None = None
    total: int | None = Field(
        None, description="Cards matching, when facets were asked for and counted exactly"
    )
    total_estimate: int | None = Field(
        None, description="Estimated cards matching, when too many to count within budget"
    )
    facets: CatalogFacetsOut | None = None


class SuggestionOut(BaseModel):
    kind: str = Field(description="company, ticker or card")
    label: str
    ref: str = Field(description="The company id (company, ticker) or the card name (card)")
    score: float = Field(description="Share of the typed trigrams the label contains")


class SuggestionList(BaseModel):
    items: list[SuggestionOut]


class CardBatchOut(BaseModel):
    items: list[CardOut]


def _owner_ref(user: Wallet | None, company: Company | None) -> OwnerOut | None:
    if user is not None:
        return OwnerOut.user(user)
    if company is not None:
        return OwnerOut.issuer(company)
    return None


def _wallet(wallets: Wallets, user_id: str | None) -> Wallet | None:
    return wallets[user_id] if user_id is not None else None


class CardEventOut(BaseModel):
    id: int
    kind: str = Field(description="mint | transfer | sale | withdraw | deposit")
    reason: str
    ref: str | None = Field(description="What caused it: a transaction signature, listing id...")
    from_owner: OwnerOut | None
    to_owner: OwnerOut | None
    price: PriceOut | None
    at: datetime

    @classmethod
    def of(cls, event: CardEvent, wallets: Wallets) -> CardEventOut:
        price = None
        if event.price is not None and event.currency is not None:
            price = PriceOut.of(event.price, event.currency)
        return cls(
            id=event.id,
            kind=event.kind,
            reason=event.reason,
            ref=event.ref,
            from_owner=_owner_ref(_wallet(wallets, event.from_user_id), event.from_company),
            to_owner=_owner_ref(_wallet(wallets, event.to_user_id), event.to_company),
            price=price,
            at=event.created_at,
        )


class CardEventPage(BaseModel):
    items: list[CardEventOut]
    next_cursor: str | None = None
