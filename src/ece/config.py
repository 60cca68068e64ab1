"""One settings object for the whole process (prefix ``ECE_``), validated at start."""

from __future__ import annotations

import base64
import binascii
import ipaddress
from enum import StrEnum
from functools import cached_property
from pathlib import Path
from typing import Annotated

from limits import parse
from pydantic import Field, SecretStr, ValidationInfo, field_validator, model_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

from ece.core.money import Asset, InvalidAmount, parse_amount

DEV_SECRET_KEY = "dev-secret-key-change-me"


class Environment(StrEnum):
    development = "development"
    test = "test"
    staging = "staging"
    production = "production"


# Hosts a deployed environment never names as its domain (sign-in messages bind to it).
LOCAL_HOSTS = ("127.0.0.1", "localhost", "0.0.0.0", "[::1]", "::1")  # noqa: S104
# Clusters whose tokens are free: fine for staging, never for production.
TEST_CLUSTERS = frozenset({"devnet", "testnet"})


def _split_csv(value: object) -> object:
    if isinstance(value, str):
        return [part.strip() for part in value.split(",") if part.strip()]
    return value


KEY_ID_CHARS = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_.")


def parse_key_entries(text: str, where: str) -> dict[str, bytes]:
    """ "id:base64,id:base64" (commas or new lines) as {id: 32-byte AES-256 key}."""
    entries: dict[str, bytes] = {}
    for part in text.replace("\n", ",").split(","):
        if not part.strip():
            continue
        key_id, sep, encoded = part.strip().partition(":")
        if not sep or not key_id or not set(key_id) <= KEY_ID_CHARS or len(key_id) > 32:
            raise ValueError(f"{where}: each entry must read id:base64 (id of [A-Za-z0-9._-])")
        try:
            key = base64.b64decode(encoded.strip(), validate=True)
        except binascii.Error as exc:
            raise ValueError(f"{where}: the key of {key_id!r} is not base64") from exc
        if len(key) != 32 or key_id in entries:
            raise ValueError(f"{where}: the key of {key_id!r} must be 32 bytes, listed once")
        entries[key_id] = key
    return entries


class Settings(BaseSettings):
    # Errors name the setting, never its value: a failed start must not print a secret.
    model_config = SettingsConfigDict(
        env_prefix="ECE_", env_file=".env", extra="ignore", hide_input_in_errors=True
    )

    env: Environment = Environment.development
    data_dir: Path = Path("./var")
    # Never in a repr (logs, tracebacks): URLs may carry passwords.
    database_url: str | None = Field(default=None, repr=False)
    redis_url: str | None = Field(default=None, repr=False)
    domain: str = "127.0.0.1:8000"
    secret_key: str = Field(default=DEV_SECRET_KEY, repr=False)
    admin_addresses: Annotated[list[str], NoDecode] = Field(default_factory=list)
    cors_origins: Annotated[list[str], NoDecode] = Field(default_factory=list)
    # Reverse proxies (IPs or CIDRs) whose X-Forwarded-For is believed; nobody else's is.
    trusted_proxies: Annotated[list[str], NoDecode] = Field(default_factory=list)
    # Request bodies over this are refused with 413 before anything parses them.
    max_body_bytes: int = Field(default=1024 * 1024, gt=0)

    # Sessions and sign-in
    session_ttl_seconds: int = Field(default=7 * 24 * 3600, gt=0)
    signin_nonce_ttl_seconds: int = Field(default=300, gt=0, le=300)
    api_key_ttl_days: int = Field(default=365, gt=0)

    # Rate limits (``limits`` notation, e.g. "120/minute")
    rate_limit_enabled: bool = True
    rate_limit_default: str = "600/minute"
    rate_limit_auth: str = "30/minute"
    rate_limit_orders: str = "120/minute"
    rate_limit_rpc: str = "600/minute"  # embedded chain's /rpc, each call of a batch counts

    # The embedded chain's JSON-RPC endpoint: calls per batch
    rpc_max_batch: int = Field(default=100, gt=0, le=10_000)
    # Origins whose pages may call /rpc (CORS); unset: "*" outside production, none in it
    rpc_cors_origins: Annotated[list[str] | None, NoDecode] = None
    # Subscriptions one RPC PubSub WebSocket (ws://…/rpc) may hold at once
    rpc_max_subscriptions: int = Field(default=1000, gt=0, le=100_000)
    # The embedded chain's slot clock: a slot every this many ms (0 = only when a transaction
    # lands); unset: 400 (a cluster's pace), except in tests
    chain_slot_ms: int | None = Field(default=None, ge=0, le=60_000)

    # Bearer token for /metrics (required in production; unset elsewhere = public)
    metrics_token: SecretStr | None = None

    # Idempotency
    idempotency_ttl_seconds: int = Field(default=24 * 3600, gt=0)
    idempotency_lock_seconds: int = Field(default=60, gt=0)

    # Anonymous listing pages served from memory until a listing changes (PostgreSQL only:
    # invalidated by NOTIFY from any process; see ece.core.pagecache). 0 turns it off.
    listing_cache_seconds: int = Field(default=30, ge=0)
    listing_cache_bytes: int = Field(default=32 * 1024 * 1024, gt=0)  # per web process

    # Database pool (PostgreSQL)
    db_pool_size: int = Field(default=10, gt=0)
    db_max_overflow: int = Field(default=20, ge=0)
    sqlite_busy_timeout_ms: int = Field(default=30_000, gt=0)

    # Chain: unset = the embedded LiteSVM chain; a URL = a real Solana cluster via JSON-RPC
    solana_rpc_url: str | None = None
    solana_cluster: str = "custom"  # devnet | mainnet-beta | custom (with solana_rpc_url)
    ece_mint: str | None = None  # with solana_rpc_url: the ECE token mint
    usdc_mint: str | None = None  # with solana_rpc_url: the USDC mint
    keys_dir: Path | None = None  # platform keypairs; default <data_dir>/keys

    # Backups of the embedded (SQLite) data dir by `ece worker`: hours between archives (0 =
    # off) and how many to keep in <data_dir>/backups. PostgreSQL: pgBackRest (deploy/pgbackrest).
    backup_interval_hours: int = Field(default=24, ge=0)
    backup_keep: int = Field(default=7, gt=0)

    # Payments: deposits (Solana Pay) and withdrawals; amounts are decimal strings in whole tokens
    deposit_ttl_seconds: int = Field(default=1800, gt=0)
    # A card paid to an expired deposit is still looked for by its reference this long after.
    deposit_late_window_seconds: int = Field(default=7 * 24 * 3600, gt=0)
    # Open (awaiting) deposits per user: the watcher scans each one's reference every run.
    deposit_max_open: int = Field(default=20, gt=0)
    solana_pay_label: str = Field(default="ECE", max_length=64)
    withdrawal_min_ece: str = "1"
    withdrawal_min_usdc: str = "1"
    withdrawal_daily_limit_ece: str = "1000000"
    withdrawal_daily_limit_usdc: str = "100000"
    withdrawal_daily_card_limit: int = Field(default=20, ge=0)

    # Compliance: screening, risk and reviews. A check scoring at least the review score waits
    # for an officer (100, a sanctions hit, blocks); a USDC amount at or above the large amount
    # adds the ``large_amount`` reason.
    compliance_review_score: int = Field(default=70, ge=1, le=100)
    compliance_large_amount_usdc: str = "10000"
    # Post-trade monitoring reads sales executed at least this long ago (a sale still
    # committing is not passed by); a limit override may last at most this many days.
    compliance_trade_scan_lag_s: int = Field(default=60, ge=0, le=3600)
    compliance_override_max_days: int = Field(default=90, ge=1, le=366)

    # Marketplace: fee on every sale, and how long listings and offers may stay open. The ledger
    # check calls a hold stale past the longest offer / trade-offer lifetime plus a day
    # (``ece.ledger.checks.stale_hold_age``).
    platform_fee_bps: int = Field(default=250, ge=0, le=1000)
    listing_default_ttl_seconds: int = Field(default=30 * 24 * 3600, gt=0)
    listing_max_ttl_seconds: int = Field(default=180 * 24 * 3600, gt=0)
    offer_default_ttl_seconds: int = Field(default=3 * 24 * 3600, gt=0)
    offer_max_ttl_seconds: int = Field(default=6 * 24 * 3600, gt=0, lt=7 * 24 * 3600)

    # Trade offers: the fee on each token leg (unset = the platform fee) and how long an offer
    # may stay open.
    trade_fee_bps: int | None = Field(default=None, ge=0, le=1000)
    trade_offer_default_ttl_seconds: int = Field(default=3 * 24 * 3600, gt=0)
    trade_offer_max_ttl_seconds: int = Field(default=6 * 24 * 3600, gt=0, lt=7 * 24 * 3600)

    # Auctions: how long one may run, the soft-close window (a bid in its last seconds moves
    # the end to now + the window), the bid increment table ("below=step,...,*=step" in whole
    # tokens of the auction's currency) and a Dutch price's step (0: it falls continuously).
    auction_min_duration_s: int = Field(default=3600, ge=1)
    auction_max_duration_s: int = Field(default=30 * 24 * 3600, ge=1, le=30 * 24 * 3600)
    auction_extension_s: int = Field(default=300, ge=0)
    auction_increments: str = "1=0.05,10=0.25,100=1,*=5"
    auction_dutch_step_s: int = Field(default=0, ge=0)

    # Battles: the shortest phase (enrolment, voting), the longest battle (its fee holds count as
    # stale a day after it), the platform's cut of entry fees, the
    # winning voters' share of the prize pool, points a unanimous vote adds to a side's score,
    # each rarity's multiplier in per mille, entries per side, and who votes with weight
    # (accounts at least this old that ever bought or sold a card).
    battle_min_phase_s: int = Field(default=3600, ge=1)
    battle_max_duration_s: int = Field(default=30 * 24 * 3600, ge=1, le=90 * 24 * 3600)
    battle_fee_bps: int = Field(default=500, ge=0, le=5000)
    battle_voter_pool_bps: int = Field(default=1000, ge=0, le=5000)
    battle_vote_points: int = Field(default=100, ge=0, le=1_000_000)
    battle_rarity_multipliers: str = "common=1000,rare=1250,epic=1500,legendary=2000"
    battle_max_entries_per_side: int = Field(default=100, ge=1, le=10_000)
    battle_voter_min_age_s: int = Field(default=7 * 24 * 3600, ge=0)

    # Emergency pause: each process reads the pauses again at most this often (seconds); with
    # Redis a pause reaches the others at once.
    pause_refresh_s: float = Field(default=0.5, gt=0, le=60)
    # Compliance: KYC personal data is sealed with AES-256-GCM under ECE_KYC_KEYS ("id:base64
    # of 32 bytes,..."); ECE_KYC_ACTIVE_KEY seals new values (default: the last listed), the
    # others only open old ones until `ece compliance rotate-key`. Required in production;
    # elsewhere unset = <keys dir>/kyc-keys, made by `ece init`. The 24 h limits per KYC level
    # on the USDC-equivalent of withdrawals and of purchases are whole USDC ("" = unlimited);
    # ECE counts at ECE_ECE_PRICE_USDC.
    kyc_keys: SecretStr | None = Field(default=None, repr=False)
    kyc_active_key: str | None = None
    kyc_limit_none_usdc: str = "1000"
    kyc_limit_basic_usdc: str = "10000"
    kyc_limit_full_usdc: str = ""
    ece_price_usdc: str = "0.10"
    # Notifications and real-time: the outbox relay's batch, how long delivered events stay
    # (the window a dropped WebSocket resumes from), socket heartbeats and the resume limit.
    outbox_relay_batch: int = Field(default=500, gt=0, le=10_000)
    outbox_retention_hours: int = Field(default=72, gt=0)
    ws_heartbeat_seconds: float = Field(default=20.0, gt=0)
    ws_replay_limit: int = Field(default=5000, gt=0, le=100_000)
    # Email notifications through SMTP; without a host no email is queued.
    smtp_host: str | None = None
    smtp_port: int = Field(default=587, gt=0, lt=65536)
    smtp_username: str | None = None
    smtp_password: SecretStr | None = Field(default=None, repr=False)
    smtp_starttls: bool = True
    smtp_from: str = "ECE <no-reply@ece.example>"
    # Web push (VAPID): the application server's P-256 private key (base64url of its 32 bytes,
    # `ece vapid-keys` makes one; the public key is derived) and the contact the push services
    # see. Without a key no push is queued.
    vapid_private_key: SecretStr | None = Field(default=None, repr=False)
    vapid_subject: str = "mailto:ops@ece.example"
    # Treasury payouts: the ECE price in USDC (the embedded price source; the KYC limits read it
    # too), the smallest payout, the weekly schedule ("mon 00:00", UTC) and the M-of-N multisig.
    treasury_min_payout_usdc: str = "10"
    treasury_payout_schedule: str = "mon 00:00"
    treasury_signers: Annotated[list[str], NoDecode] = Field(default_factory=list)
    treasury_threshold: int = Field(default=2, ge=1, le=11)
    # On a real cluster: an SPL Token multisig and its USDC token account made beforehand (by
    # address); checked against the signers and threshold above. Empty: derived from custody
    # and created on first use (the embedded chain).
    treasury_multisig: str | None = None
    treasury_usdc_account: str | None = None

    # Background work inside ``ece serve``
    run_workers: bool = True
    log_level: str = "INFO"
    log_json: bool = True

    @field_validator(
        "admin_addresses",
        "cors_origins",
        "rpc_cors_origins",
        "trusted_proxies",
        "treasury_signers",
        mode="before",
    )
    @classmethod
    def _csv(cls, value: object) -> object:
        return _split_csv(value)

    def refuse_unsafe_production(self) -> None:
        """Raise ValueError naming the first unsafe setting (never its value) in a deployed
        environment (staging or production); production also refuses the test clusters."""
        if not self.is_deployed:
            return
        where = self.env.value
        if self.secret_key == DEV_SECRET_KEY or len(self.secret_key) < 32:
            raise ValueError(
                f"ECE_SECRET_KEY must be set to a random value of 32+ characters in {where}"
            )
        host = self.domain.strip().lower()
        if not host or host.startswith(LOCAL_HOSTS) or host.split(":")[0].endswith(".local"):
            raise ValueError(f"ECE_DOMAIN must be the public host name in {where}")
        if self.solana_rpc_url is None:
            # The embedded chain answers airdrops (the dev faucet) and keeps custody in one
            # local file.
            raise ValueError(
                f"ECE_SOLANA_RPC_URL must point at a real Solana cluster in {where} "
                "(the embedded chain is for development and tests)"
            )
        if self.env is Environment.production and self.solana_cluster in TEST_CLUSTERS:
            raise ValueError(
                "ECE_SOLANA_CLUSTER must be mainnet-beta or custom in production "
                "(devnet and testnet are for staging)"
            )
        if self.metrics_token is None or len(self.metrics_token.get_secret_value()) < 16:
            raise ValueError(
                f"ECE_METRICS_TOKEN must be set to a random value of 16+ characters in {where} "
                "(Prometheus sends it as a Bearer token to /metrics)"
            )
        self._refuse_production_without_kyc_keys()

    def _refuse_production_without_kyc_keys(self) -> None:
        if self.kyc_keys is None or not self.kyc_keys.get_secret_value().strip():
            raise ValueError(
                f"ECE_KYC_KEYS must be set in {self.env.value} (id:base64 of a random 32-byte "
                "key); personal data is never sealed with a development key"
            )

    @field_validator("rate_limit_default", "rate_limit_auth", "rate_limit_orders", "rate_limit_rpc")
    @classmethod
    def _rate_limit(cls, value: str, info: ValidationInfo) -> str:
        # Checked here so a bad limit refuses the start instead of failing every request.
        try:
            parsed = parse(value)
        except ValueError:
            parsed = None
        if parsed is None or parsed.amount < 1:
            raise ValueError(
                f"ECE_{str(info.field_name).upper()} must read like 600/minute "
                "(a positive count per second, minute, hour or day)"
            )
        return value

    @field_validator("trusted_proxies")
    @classmethod
    def _networks(cls, value: list[str]) -> list[str]:
        for entry in value:
            try:
                ipaddress.ip_network(entry, strict=False)
            except ValueError as exc:
                raise ValueError(f"ECE_TRUSTED_PROXIES: {entry!r} is not an IP or CIDR") from exc
        return value

    @model_validator(mode="after")
    def _refuse_unsafe_production(self) -> Settings:
        self.refuse_unsafe_production()
        for name in (
            "withdrawal_min_ece",
            "withdrawal_min_usdc",
            "withdrawal_daily_limit_ece",
            "withdrawal_daily_limit_usdc",
            "compliance_large_amount_usdc",
            "treasury_min_payout_usdc",
            "ece_price_usdc",
        ):
            asset = Asset(name.rsplit("_", 1)[1].upper())
            try:
                parse_amount(getattr(self, name), asset, allow_zero=True)
            except InvalidAmount as exc:
                # Name the setting, never echo its value (a refused start is logged).
                raise ValueError(
                    f"ECE_{name.upper()} must be a decimal amount of whole {asset.value} tokens"
                ) from exc
        self._check_kyc_settings()
        self._check_vapid_key()
        if self.solana_rpc_url and not (self.ece_mint and self.usdc_mint):
            raise ValueError("ECE_SOLANA_RPC_URL needs ECE_ECE_MINT and ECE_USDC_MINT")
        return self

    def _check_vapid_key(self) -> None:
        if self.vapid_private_key is None:
            return
        raw = self.vapid_private_key.get_secret_value().strip()
        try:
            key = base64.urlsafe_b64decode(raw + "=" * (-len(raw) % 4))
        except ValueError:
            key = b""
        if len(key) != 32:
            raise ValueError("ECE_VAPID_PRIVATE_KEY must be base64url of 32 bytes (ece vapid-keys)")

    def _check_kyc_settings(self) -> None:
        for level in ("none", "basic", "full"):
            try:
                self.kyc_limit(level)
            except InvalidAmount as exc:
                raise ValueError(
                    f"ECE_KYC_LIMIT_{level.upper()}_USDC must be a decimal amount of whole USDC "
                    "or empty (unlimited)"
                ) from exc
        try:
            parse_amount(self.ece_price_usdc, Asset.USDC)
        except InvalidAmount as exc:
            raise ValueError("ECE_ECE_PRICE_USDC must be a positive decimal amount") from exc
        keys = self.kyc_key_entries()
        if self.kyc_keys is not None and self.kyc_active_key and self.kyc_active_key not in keys:
            raise ValueError("ECE_KYC_ACTIVE_KEY must name a key id of ECE_KYC_KEYS")

    def kyc_limit(self, level: str) -> int | None:
        """The 24 h limit of a KYC level in USDC base units; None = unlimited."""
        text = str(getattr(self, f"kyc_limit_{level}_usdc")).strip()
        return parse_amount(text, Asset.USDC, allow_zero=True) if text else None

    @property
    def ece_price_usdc_units(self) -> int:
        """USDC base units per whole ECE token."""
        return parse_amount(self.ece_price_usdc, Asset.USDC)

    def kyc_key_entries(self) -> dict[str, bytes]:
        """ECE_KYC_KEYS as {key id: 32-byte key}, in the order listed ({} when unset).
        Errors name the setting and the key id, never a key."""
        if self.kyc_keys is None:
            return {}
        return parse_key_entries(self.kyc_keys.get_secret_value(), "ECE_KYC_KEYS")

    @cached_property
    def resolved_database_url(self) -> str:
        if self.database_url:
            return self.database_url
        return f"sqlite+aiosqlite:///{(self.data_dir / 'ece.db').resolve()}"

    @property
    def resolved_keys_dir(self) -> Path:
        return self.keys_dir or self.data_dir / "keys"

    @property
    def rpc_cors_allowed(self) -> list[str]:
        if self.rpc_cors_origins is not None:
            return self.rpc_cors_origins
        return [] if self.is_deployed else ["*"]

    @property
    def slot_interval_s(self) -> float:
        """Seconds between the embedded chain's slots; 0 when the clock is off."""
        if self.chain_slot_ms is None:
            return 0.0 if self.env is Environment.test else 0.4
        return self.chain_slot_ms / 1000

    @property
    def embedded_chain(self) -> bool:
        return self.solana_rpc_url is None

    @property
    def is_sqlite(self) -> bool:
        return self.resolved_database_url.startswith("sqlite")

    def withdrawal_min(self, asset: Asset) -> int:
        return parse_amount(
            getattr(self, f"withdrawal_min_{asset.value.lower()}"), asset, allow_zero=True
        )

    def withdrawal_daily_limit(self, asset: Asset) -> int:
        text = getattr(self, f"withdrawal_daily_limit_{asset.value.lower()}")
        return parse_amount(text, asset, allow_zero=True)

    @property
    def resolved_trade_fee_bps(self) -> int:
        return self.platform_fee_bps if self.trade_fee_bps is None else self.trade_fee_bps

    @cached_property
    def trusted_proxy_networks(self) -> tuple[ipaddress.IPv4Network | ipaddress.IPv6Network, ...]:
        return tuple(ipaddress.ip_network(entry, strict=False) for entry in self.trusted_proxies)

    @property
    def is_production(self) -> bool:
        return self.env is Environment.production

    @property
    def is_deployed(self) -> bool:
        """Staging or production: served to the internet over TLS behind our proxies, with real
        secrets and a real cluster (the embedded default is development and tests)."""
        return self.env in (Environment.staging, Environment.production)

    @property
    def uri(self) -> str:
        """The origin bound into sign-in messages."""
        scheme = "https" if self.is_deployed else "http"
        return f"{scheme}://{self.domain}"
