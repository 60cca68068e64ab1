"""Platform key files are sealed at rest (AES-256-GCM under ECE_SECRET_KEY): never a plain
keypair on disk after `ece init`, refused under another secret, plain ones refused in
production, and `ece keys rotate` re-seals them under a new secret."""

from __future__ import annotations

import base64
import json

import pytest
from typer.testing import CliRunner

from ece.chain.platform import Platform, PlatformSetupError, create_keypair, load_keypair
from ece.chain.sealing import KeySealing
from ece.chain.setup import build_platform, key_file_names
from ece.cli import app as cli
from ece.config import Settings

NEW_SECRET = "n" * 24 + "-rotated-secret-for-tests-0123456789"


def test_init_leaves_no_plain_keypair_on_disk(settings: Settings) -> None:
    platform = build_platform(settings)
    secrets = {
        "custody.json": bytes(platform.custody),
        "authority.json": bytes(platform.authority),
    }
    for name in key_file_names(embedded=True):
        text = (settings.resolved_keys_dir / name).read_text()
        document = json.loads(text)
        # A document, not the Solana CLI's byte array.
        assert isinstance(document, dict) and document["cipher"] == "AES-256-GCM"
        secret = secrets.get(name)
        if secret is not None:
            assert json.dumps(list(secret))[1:40] not in text
            assert secret.hex() not in text
            assert base64.b64encode(secret).decode() not in text
    # Without the secret the files do not load as keys.
    with pytest.raises(PlatformSetupError, match="sealed"):
        Platform.load(settings.resolved_keys_dir)


def test_another_secret_is_refused_naming_the_setting(settings: Settings) -> None:
    other = settings.model_copy(update={"secret_key": NEW_SECRET})
    with pytest.raises(PlatformSetupError, match="ECE_SECRET_KEY"):
        build_platform(other)


def test_a_sealed_file_renamed_over_another_does_not_open(settings: Settings) -> None:
    keys = settings.resolved_keys_dir
    (keys / "custody.json").write_text((keys / "authority.json").read_text())
    with pytest.raises(PlatformSetupError, match="ECE_SECRET_KEY"):
        build_platform(settings)


def test_production_refuses_a_plain_keypair_file(tmp_path: pytest.TempPathFactory) -> None:
    path = tmp_path / "keys" / "custody.json"  # type: ignore[operator]
    create_keypair(path)  # the Solana CLI format
    with pytest.raises(PlatformSetupError, match="plain keypair"):
        load_keypair(path, KeySealing("s" * 40, refuse_plain=True))
    assert load_keypair(path, KeySealing("s" * 40)).pubkey()  # read as it is outside production


def test_rotate_reseals_under_the_new_secret_keeping_the_keys(
    settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = build_platform(settings).pins
    monkeypatch.setenv("ECE_DATA_DIR", str(settings.data_dir))
    monkeypatch.setenv("ECE_DATABASE_URL", settings.resolved_database_url)
    monkeypatch.setenv("ECE_SECRET_KEY", NEW_SECRET)
    runner = CliRunner()
    refused = runner.invoke(cli, ["keys", "rotate"])  # the old secret not given: cannot open
    assert refused.exit_code == 1 and "ECE_SECRET_KEY" in refused.output

    monkeypatch.setenv("ECE_PREVIOUS_SECRET_KEY", settings.secret_key)
    done = runner.invoke(cli, ["keys", "rotate"])
    assert done.exit_code == 0, done.output
    assert "custody.json" in done.output
    rotated = settings.model_copy(update={"secret_key": NEW_SECRET})
    assert build_platform(rotated).pins == before
    with pytest.raises(PlatformSetupError):
        build_platform(settings)  # the old secret no longer opens them
    again = runner.invoke(cli, ["keys", "rotate"])
    assert again.exit_code == 0 and "nothing to change" in again.output
