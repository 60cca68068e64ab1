"""deploy/env/*.env.example list every setting, and each environment's example is valid once
its secrets are filled in (and refused while they are empty)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from pydantic import ValidationError
from solders.keypair import Keypair

from ece.config import Settings

ROOT = Path(__file__).resolve().parents[2]
ENV_DIR = ROOT / "deploy" / "env"
ENVIRONMENTS = ("development", "staging", "production")
LINE = re.compile(r"^(#\s*)?(ECE_[A-Z0-9_]+)=(.*)$")
FILLED = {
    "ECE_SECRET_KEY": "s" * 48,
    "ECE_METRICS_TOKEN": "m" * 32,
    "ECE_KYC_KEYS": "prod-1:" + "cXFx" * 10 + "cXE=",
    "ECE_DATABASE_URL": "postgresql+asyncpg://ece:pw@db.internal:5432/ece",
}


def settings_names() -> set[str]:
    return {f"ECE_{name.upper()}" for name in Settings.model_fields}


def example(env: str) -> tuple[set[str], dict[str, str]]:
    """(every ECE_ name the file lists, commented or not; the values it sets)."""
    listed: set[str] = set()
    values: dict[str, str] = {}
    for raw in (ENV_DIR / f"{env}.env.example").read_text().splitlines():
        if match := LINE.match(raw.strip()):
            listed.add(match[2])
            if not match[1]:
                values[match[2]] = match[3]
    return listed, values


def as_settings(values: dict[str, str], tmp_path: Path) -> Settings:
    fields = {key[4:].lower(): value for key, value in values.items()}
    fields["data_dir"] = str(tmp_path)
    fields.pop("keys_dir", None)
    return Settings(_env_file=None, **fields)  # type: ignore[arg-type]


@pytest.mark.parametrize("env", ENVIRONMENTS)
def test_every_setting_is_listed_once_and_nothing_else(env: str) -> None:
    listed, _ = example(env)
    assert sorted(settings_names() - listed) == [], f"missing from {env}.env.example"
    assert sorted(listed - settings_names()) == [], f"unknown in {env}.env.example"
    text = (ENV_DIR / f"{env}.env.example").read_text()
    for name in settings_names():
        assert len(re.findall(rf"^#?\s*{name}=", text, re.MULTILINE)) == 1, name


def test_every_setting_is_in_the_readme() -> None:
    # The Configuration table, or the settings table of the domain's own section.
    readme = (ROOT / "README.md").read_text()
    assert sorted(n for n in settings_names() if f"`{n}`" not in readme) == []


def test_development_example_is_the_embedded_default(tmp_path: Path) -> None:
    _, values = example("development")
    settings = as_settings(values, tmp_path)
    assert not settings.is_deployed and settings.embedded_chain


@pytest.mark.parametrize("env", ["staging", "production"])
def test_deployed_examples_are_valid_once_secrets_are_set(env: str, tmp_path: Path) -> None:
    _, values = example(env)
    empty = sorted(key for key, value in values.items() if value == "")
    assert empty == sorted(FILLED), "the secrets are the empty lines"
    with pytest.raises(ValidationError, match="ECE_SECRET_KEY"):
        as_settings(values, tmp_path)  # as committed: no secret, no start
    mints = {k: str(Keypair().pubkey()) for k, v in values.items() if v.startswith("<")}
    settings = as_settings({**values, **FILLED, **mints}, tmp_path)
    assert settings.env.value == env and settings.is_deployed
    assert not settings.run_workers, "web replicas leave the jobs to `ece worker`"
    assert settings.trusted_proxies, "rate limits must key on the client behind the proxy"
    assert settings.redis_url, "limits and pauses are shared by every replica"
    assert settings.resolved_database_url.startswith("postgresql")
