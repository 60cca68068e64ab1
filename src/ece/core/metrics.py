"""Prometheus metrics: HTTP by route and status, and the business counters domains update."""

from __future__ import annotations

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram

REGISTRY = CollectorRegistry(auto_describe=True)

HTTP_REQUESTS = Counter(
    "ece_http_requests_total",
    "HTTP requests by route template, method and status",
    ["method", "route", "status"],
    registry=REGISTRY,
)
HTTP_LATENCY = Histogram(
    "ece_http_request_duration_seconds",
    "HTTP request latency by route template and method",
    ["method", "route"],
    buckets=(0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0),
    registry=REGISTRY,
)
JOB_RUNS = Counter(
    "ece_job_runs_total",
    "Background job runs by job and outcome",
    ["job", "outcome"],
    registry=REGISTRY,
)
RECONCILIATION_OK = Gauge(
    "ece_reconciliation_ok",
    "1 when ledger liabilities match on-chain custody, per asset",
    ["asset"],
    registry=REGISTRY,
)
RECONCILIATION_CARD_MISMATCHES = Gauge(
    "ece_reconciliation_card_mismatches",
    "Cards custody should hold but does not, plus withdrawn cards custody holds",
    registry=REGISTRY,
)
PAGE_CACHE = Counter(
    "ece_page_cache_total",
    "Public page cache lookups by cache and result (hit or miss)",
    ["cache", "result"],
    registry=REGISTRY,
)
PAUSED = Gauge(
    "ece_paused",
    "1 while the scope is paused by an admin (emergency pause), else 0",
    ["scope"],
    registry=REGISTRY,
)
OUTBOX_WRITTEN = Counter(
    "ece_outbox_events_written_total",
    "Outbox events emitted (counted at emit: a rolled-back transaction's count too)",
    registry=REGISTRY,
)
OUTBOX_DELIVERED = Counter(
    "ece_outbox_events_delivered_total",
    "Outbox events the relay delivered and acknowledged",
    registry=REGISTRY,
)
OUTBOX_LAG = Gauge(
    "ece_outbox_lag_seconds",
    "Age of the oldest undelivered outbox event, as of the relay's last run",
    registry=REGISTRY,
)
WEBSOCKETS_OPEN = Gauge(
    "ece_websockets_open",
    "WebSocket connections open on this process",
    registry=REGISTRY,
)
WEBHOOK_DELIVERIES = Counter(
    "ece_webhook_deliveries_total",
    "Webhook delivery attempts by outcome (succeeded, retrying, failed)",
    ["outcome"],
    registry=REGISTRY,
)
JOB_DURATION = Histogram(
    "ece_job_duration_seconds",
    "Background job run duration by job",
    ["job"],
    buckets=(0.005, 0.025, 0.1, 0.5, 1.0, 5.0, 30.0, 120.0),
    registry=REGISTRY,
)
# Business figures, counted from the domain events a transaction committed (never from one
# rolled back): trade.executed, listing.*, offer.*, auction.*, battle.*, deposit.*, withdrawal.*.
BUSINESS_EVENTS = Counter(
    "ece_business_events_total",
    "Committed domain events by type (sales, listings, offers, auctions, battles, payments)",
    ["type"],
    registry=REGISTRY,
)
SALES_VOLUME = Counter(
    "ece_sales_volume_base_units_total",
    "Committed sales volume in the currency's base units (USDC 6 decimals, ECE 9)",
    ["currency"],
    registry=REGISTRY,
)
PAYMENT_AMOUNTS = Counter(
    "ece_payment_amount_base_units_total",
    "Deposit and withdrawal amounts by event type (its status) and asset, in base units",
    ["type", "asset"],
    registry=REGISTRY,
)
BACKUP_LAST_SUCCESS = Gauge(
    "ece_backup_last_success_timestamp_seconds",
    "Unix time of the last backup this process completed",
    registry=REGISTRY,
)
LEDGER_CHECK_OK = Gauge(
    "ece_ledger_check_ok",
    "1 when the last ledger check found every asset summing to zero and no negative user account",
    registry=REGISTRY,
)
WITHDRAWAL_BACKLOG_AGE = Gauge(
    "ece_withdrawal_backlog_age_seconds",
    "Age of the oldest withdrawal not yet final on chain (pending or sent), 0 when none",
    registry=REGISTRY,
)
CHAIN_RPC_ERRORS = Counter(
    "ece_chain_rpc_errors_total",
    "Solana RPC calls that failed, by kind (unavailable: unreachable; error: an RPC error)",
    ["kind"],
    registry=REGISTRY,
)
CHAIN_TRANSACTIONS = Counter(
    "ece_chain_transactions_total",
    "Transactions the platform sent to the chain, by outcome (sent, confirmed, failed)",
    ["outcome"],
    registry=REGISTRY,
)
