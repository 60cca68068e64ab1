"""Settings are validated at start; production refuses development secrets."""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest
from pydantic import ValidationError

from ece.app import create_app, shutdown, startup
from ece.config import Environment, Settings

STRONG_SECRET = "k" * 48


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


async def test_production_sends_hsts_and_cors_follows_settings(settings: Settings) -> None:
    production = settings.model_copy(
        update={
            "env": Environment.production,
            "domain": "ece.example",
            "secret_key": STRONG_SECRET,
            "cors_origins": ["https://app.example"],
        }
    )
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
