"""Settings are validated at start; production refuses development secrets."""

from __future__ import annotations

import base64
import secrets
from pathlib import Path

import httpx
import pytest
from fastapi import FastAPI
from pydantic import SecretStr, ValidationError
from solders.keypair import Keypair
from typer.testing import CliRunner

from ece.app import create_app, shutdown, startup
from ece.cli import app as cli
from ece.config import Environment, Settings
from ece.runtime.deps import app_services
from tests.builders import cluster_platform

STRONG_SECRET = "k" * 48
METRICS_TOKEN = "m" * 32
KYC_KEYS = "prod-1:" + base64.b64encode(b"q" * 32).decode()


def test_production_refuses_the_development_secret(tmp_path: Path) -> None:
    with pytest.raises(ValidationError, match="ECE_SECRET_KEY"):
        Settings(env="production", data_dir=tmp_path, domain="ece.example")
    with pytest.raises(ValidationError, match="ECE_SECRET_KEY"):
        Settings(env="production", data_dir=tmp_path, domain="ece.example", secret_key="short")


def test_production_refuses_a_local_domain(tmp_path: Path) -> None:
    with pytest.raises(ValidationError, match="ECE_DOMAIN"):
        Settings(env="production", data_dir=tmp_path, secret_key=STRONG_SECRET)


def test_rpc_chain_needs_its_mints(tmp_path: Path) -> None:
    with pytest.raises(ValidationError, match="ECE_ECE_MINT"):
        Settings(data_dir=tmp_path, solana_rpc_url="http://127.0.0.1:8899")


def test_lists_are_read_from_comma_separated_environment(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("ECE_ADMIN_ADDRESSES", "A1, B2 ,,C3")
    monkeypatch.setenv("ECE_CORS_ORIGINS", "https://app.example")
    settings = Settings(data_dir=tmp_path)
    assert settings.admin_addresses == ["A1", "B2", "C3"]
    assert settings.cors_origins == ["https://app.example"]


async def test_production_sends_hsts_and_cors_follows_settings(blank_settings: Settings) -> None:
    async with cluster_platform(
        blank_settings,
        env=Environment.production,
        solana_cluster="mainnet-beta",
        domain="ece.example",
        secret_key=STRONG_SECRET,
        metrics_token=SecretStr(METRICS_TOKEN),
        kyc_keys=SecretStr(KYC_KEYS),
        cors_origins=["https://app.example"],
    ) as cluster:
        await _check_hsts_and_cors(cluster.settings)


async def _check_hsts_and_cors(production: Settings) -> None:
    app = create_app(production, run_workers=False)
    await startup(app)
    try:
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="https://ece.example") as c:
            response = await c.get("/healthz")
            assert "max-age=" in response.headers["strict-transport-security"]
            allowed = await c.options(
                "/api/v1/users/me",
                headers={
                    "Origin": "https://app.example",
                    "Access-Control-Request-Method": "GET",
                },
            )
            assert allowed.headers["access-control-allow-origin"] == "https://app.example"
            refused = await c.options(
                "/api/v1/users/me",
                headers={"Origin": "https://evil.example", "Access-Control-Request-Method": "GET"},
            )
            assert "access-control-allow-origin" not in refused.headers
    finally:
        await shutdown(app)


async def test_development_sends_no_hsts(client: httpx.AsyncClient) -> None:
    response = await client.get("/healthz")
    assert "strict-transport-security" not in response.headers


def _production(tmp_path: Path, **changes: object) -> Settings:
    values: dict[str, object] = {
        "env": "production",
        "data_dir": tmp_path,
        "domain": "ece.example",
        "secret_key": STRONG_SECRET,
        "solana_rpc_url": "http://127.0.0.1:8899",
        "ece_mint": str(Keypair().pubkey()),
        "usdc_mint": str(Keypair().pubkey()),
        "metrics_token": METRICS_TOKEN,
        "kyc_keys": KYC_KEYS,
    }
    return Settings(**{**values, **changes})  # type: ignore[arg-type]


def test_production_refuses_the_embedded_chain(tmp_path: Path) -> None:
    assert _production(tmp_path).is_production
    with pytest.raises(ValidationError, match="ECE_SOLANA_RPC_URL must point at a real"):
        _production(tmp_path, solana_rpc_url=None, ece_mint=None, usdc_mint=None)


async def test_create_app_refuses_production_on_the_embedded_chain(settings: Settings) -> None:
    # Settings copied in code skip validation: the app checks again before it opens anything.
    production = settings.model_copy(
        update={
            "env": Environment.production,
            "domain": "ece.example",
            "secret_key": STRONG_SECRET,
            "metrics_token": SecretStr(METRICS_TOKEN),
        }
    )
    with pytest.raises(ValueError, match="ECE_SOLANA_RPC_URL"):
        create_app(production, run_workers=False)


def test_production_needs_a_metrics_token(tmp_path: Path) -> None:
    with pytest.raises(ValidationError, match="ECE_METRICS_TOKEN"):
        _production(tmp_path, metrics_token=None)
    with pytest.raises(ValidationError, match="ECE_METRICS_TOKEN"):
        _production(tmp_path, metrics_token="short")


def _fragments(secret: str, text: str, size: int = 5) -> list[str]:
    return [
        secret[i : i + size] for i in range(len(secret) - size + 1) if secret[i : i + size] in text
    ]


def test_a_refused_production_start_shows_no_part_of_the_secret(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    secret = secrets.token_hex(24)
    for refuse in (
        lambda: Settings(env="production", data_dir=tmp_path, secret_key=secret[:20]),
        lambda: Settings(env="production", domain="ece.example", secret_key=secret),
        lambda: _production(tmp_path, secret_key=secret, domain="127.0.0.1:8000"),
        lambda: _production(tmp_path, secret_key=secret, metrics_token=secret[::-1][:10]),
    ):
        with pytest.raises(ValidationError) as refused:
            refuse()
        assert "ECE_" in str(refused.value)
        assert _fragments(secret, str(refused.value)) == []
        assert _fragments(secret[::-1], str(refused.value)) == []

    valid = _production(tmp_path, secret_key=secret, metrics_token=secret[::-1])
    assert _fragments(secret, repr(valid)) == []
    assert _fragments(secret[::-1], repr(valid)) == []

    monkeypatch.setenv("ECE_ENV", "production")
    monkeypatch.setenv("ECE_DATA_DIR", str(tmp_path))
    monkeypatch.setenv("ECE_SECRET_KEY", secret[:20])
    monkeypatch.setattr("uvicorn.run", _no_server)
    for command in (["serve"], ["worker"], ["init"], ["db", "upgrade"]):
        result = CliRunner().invoke(cli, command)
        assert result.exit_code == 2, result.output
        assert "error: invalid configuration: ECE_SECRET_KEY" in result.output
        assert _fragments(secret, result.output) == []


def _no_server(*args: object, **kwargs: object) -> None:
    raise AssertionError("the server was started")


def test_trusted_proxies_and_body_limit_from_the_environment(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("ECE_TRUSTED_PROXIES", "10.0.0.0/8, 192.0.2.7,2001:db8::/32")
    monkeypatch.setenv("ECE_MAX_BODY_BYTES", "4096")
    settings = Settings(data_dir=tmp_path)
    assert [str(n) for n in settings.trusted_proxy_networks] == [
        "10.0.0.0/8",
        "192.0.2.7/32",
        "2001:db8::/32",
    ]
    assert settings.max_body_bytes == 4096
    assert Settings(data_dir=tmp_path, trusted_proxies=[]).trusted_proxy_networks == ()
    with pytest.raises(ValidationError, match="ECE_TRUSTED_PROXIES"):
        Settings(data_dir=tmp_path, trusted_proxies="proxy.internal")
    with pytest.raises(ValidationError):
        Settings(data_dir=tmp_path, max_body_bytes=0)


@pytest.mark.parametrize("value", ["abc", "-5/minute", "0/minute", "5/fortnight"])
def test_a_bad_rate_limit_refuses_the_start(tmp_path: Path, value: str) -> None:
    # Accepted before, it failed every request on the routes it governs with a 500.
    with pytest.raises(ValidationError, match="ECE_RATE_LIMIT_RPC must read like 600/minute"):
        Settings(data_dir=tmp_path, rate_limit_rpc=value)
    assert Settings(data_dir=tmp_path, rate_limit_rpc="10 per second").rate_limit_rpc


def test_a_refused_amount_setting_is_named_not_echoed(tmp_path: Path) -> None:
    with pytest.raises(ValidationError) as refused:
        Settings(data_dir=tmp_path, withdrawal_min_ece="12x-marker")
    assert "ECE_WITHDRAWAL_MIN_ECE must be a decimal amount" in str(refused.value)
    assert "12x-marker" not in str(refused.value)


def _staging(tmp_path: Path, **changes: object) -> Settings:
    return _production(tmp_path, env="staging", solana_cluster="devnet", **changes)


def test_staging_is_deployed_and_may_use_devnet_production_may_not(tmp_path: Path) -> None:
    staging = _staging(tmp_path)
    assert staging.is_deployed and not staging.is_production
    assert staging.uri == "https://ece.example"
    assert _production(tmp_path, solana_cluster="mainnet-beta").is_deployed
    for cluster in ("devnet", "testnet"):
        with pytest.raises(ValidationError, match="ECE_SOLANA_CLUSTER must be mainnet-beta"):
            _production(tmp_path, solana_cluster=cluster)
    for env in ("development", "test"):
        assert not Settings(env=env, data_dir=tmp_path).is_deployed


@pytest.mark.parametrize(
    ("changes", "setting"),
    [
        ({"secret_key": "dev-secret-key-change-me"}, "ECE_SECRET_KEY"),
        ({"secret_key": "x" * 31}, "ECE_SECRET_KEY"),
        ({"domain": "127.0.0.1:8000"}, "ECE_DOMAIN"),
        ({"domain": "localhost"}, "ECE_DOMAIN"),
        ({"domain": "0.0.0.0:8000"}, "ECE_DOMAIN"),
        ({"domain": "ece.local"}, "ECE_DOMAIN"),
        ({"solana_rpc_url": None, "ece_mint": None, "usdc_mint": None}, "ECE_SOLANA_RPC_URL"),
        ({"metrics_token": None}, "ECE_METRICS_TOKEN"),
        ({"kyc_keys": None}, "ECE_KYC_KEYS"),
    ],
)
def test_staging_refuses_what_production_refuses(
    tmp_path: Path, changes: dict[str, object], setting: str
) -> None:
    for make in (_staging, _production):
        with pytest.raises(ValidationError, match=setting) as refused:
            make(tmp_path, **changes)
        assert make.__name__.strip("_") in str(refused.value)


def test_staging_has_no_faucet_dev_wallet_or_airdrop(tmp_path: Path) -> None:
    from ece.payments.faucet import faucet_enabled

    staging = _staging(tmp_path)
    assert not faucet_enabled(staging)
    # Copied in code (no validation): even on the embedded chain staging has no faucet.
    embedded = staging.model_copy(update={"solana_rpc_url": None})
    assert not faucet_enabled(embedded)
    assert faucet_enabled(Settings(env="development", data_dir=tmp_path))


async def test_staging_pages_have_no_dev_wallet(app: FastAPI, client: httpx.AsyncClient) -> None:
    services = app_services(app)
    dev_page = (await client.get("/")).text
    development = services.settings
    services.settings = development.model_copy(update={"env": Environment.staging})
    try:
        staging_page = (await client.get("/")).text
    finally:
        services.settings = development
    assert "devwallet.js" in dev_page
    assert "devwallet.js" not in staging_page
