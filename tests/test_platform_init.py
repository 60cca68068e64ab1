"""Platform keys: created only by `ece init`; a start with a lost or replaced key file, a lost
chain state or a lost database is refused instead of making a new custody wallet."""

from __future__ import annotations

import asyncio
import json
import os
import shutil
import stat
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import Result
from solana.rpc.async_api import AsyncClient
from solders.keypair import Keypair
from solders.pubkey import Pubkey
from sqlalchemy import delete
from typer.testing import CliRunner

from ece.app import create_app, shutdown, startup
from ece.chain.embedded.litesvm import LiteSvmChain
from ece.chain.models import PlatformPin
from ece.chain.pins import read_pins
from ece.chain.platform import Platform, PlatformSetupError, bootstrap_embedded, create_keypair
from ece.chain.setup import create_keys, key_sealing
from ece.cli import app as cli
from ece.config import Settings
from ece.core.db import Database
from ece.models import Base
from ece.payments.faucet import drip
from ece.platform_init import init_platform
from tests.builders import api_client, cluster_platform, served
from tests.chain.chain_builders import serve_chain
from tests.payments.support import funded_user

runner = CliRunner()
CUSTOMER = str(Keypair().pubkey())


async def invoke(*args: str) -> Result:
    """The CLI from an async test: it runs its own event loop, so in a thread."""
    return await asyncio.to_thread(runner.invoke, cli, list(args))


@pytest.fixture
def env(blank_settings: Settings, monkeypatch: pytest.MonkeyPatch) -> Settings:
    """The CLI on the blank data dir and database of ``blank_settings``; no server ever runs."""
    monkeypatch.setenv("ECE_ENV", "test")
    monkeypatch.setenv("ECE_DATA_DIR", str(blank_settings.data_dir))
    monkeypatch.setenv("ECE_DATABASE_URL", blank_settings.resolved_database_url)
    monkeypatch.setattr("uvicorn.run", _no_server)
    return blank_settings


def _no_server(*args: object, **kwargs: object) -> None:
    raise AssertionError("the server was started")


async def use(settings: Settings) -> str:
    """Run the platform for a while: a user deposits USDC for real. Returns the custody wallet."""
    async with served(settings) as app, api_client(app) as client:
        with serve_chain(app.state.services.chain) as chain:
            rpc = AsyncClient(chain.url)
            try:
                await funded_user(client, app, rpc, "USDC", "25")
            finally:
                await rpc.close()
        return str(app.state.services.platform.custody_owner)


async def refused(settings: Settings) -> str:
    """Start the app as a server does; return why it refused."""
    try:
        application = create_app(settings, run_workers=False)
    except PlatformSetupError as exc:
        return str(exc)
    try:
        with pytest.raises(PlatformSetupError) as info:
            await startup(application)
    finally:
        await shutdown(application)
    return str(info.value)


async def wipe_database(settings: Settings) -> None:
    db = Database(settings.resolved_database_url)
    try:
        async with db.unit_of_work() as session:
            # The audit log is append-only (its triggers refuse DELETE); the platform's checks
            # read pins, ledger and cards, which are gone.
            for table in reversed(Base.metadata.sorted_tables):
                if not table.name.startswith("audit_"):
                    await session.execute(delete(table))
    finally:
        await db.dispose()


def test_init_creates_the_keys_once_then_changes_nothing(env: Settings) -> None:
    first = runner.invoke(cli, ["init"])
    assert first.exit_code == 0, first.output
    keys = env.resolved_keys_dir
    files = {path.name: path.read_bytes() for path in keys.glob("*.json")}
    assert set(files) == {"custody.json", "authority.json", "mint-ece.json", "mint-usdc.json"}
    assert {stat.S_IMODE(path.stat().st_mode) for path in keys.glob("*.json")} == {0o600}
    # Sealed at rest: the public key is the one field in clear.
    custody = json.loads(files["custody.json"])["public_key"]
    assert custody in first.output

    again = runner.invoke(cli, ["init"])
    assert again.exit_code == 0, again.output
    assert "Already initialized" in again.output and "nothing changed" in again.output
    assert {path.name: path.read_bytes() for path in keys.glob("*.json")} == files
    info = runner.invoke(cli, ["chain", "info"])
    assert info.exit_code == 0, info.output
    assert custody in info.output


async def test_a_new_data_dir_is_not_served_before_init(blank_settings: Settings) -> None:
    reason = await refused(blank_settings)
    assert "custody.json" in reason and "`ece init`" in reason
    assert not (blank_settings.resolved_keys_dir / "custody.json").exists()
    assert not (blank_settings.data_dir / "chain").exists()


async def test_keys_without_init_are_not_served(blank_settings: Settings) -> None:
    # Keys and chain made by hand (or by an old version), but nothing pinned in the database.
    first = await init_platform(blank_settings)
    await wipe_database(blank_settings)
    reason = await refused(blank_settings)
    assert "`ece init`" in reason
    # Custody holds nothing yet, so init may pin these keys into the new database.
    again = await init_platform(blank_settings)
    assert (again.created_keys, again.pinned, again.custody) == ([], True, first.custody)
    async with served(blank_settings) as app:
        assert str(app.state.services.platform.custody_owner) == first.custody


async def test_lost_custody_key_after_use_refuses_start_and_init(
    settings: Settings, env: Settings
) -> None:
    custody = await use(settings)
    (settings.resolved_keys_dir / "custody.json").unlink()

    reason = await refused(settings)
    assert "custody.json" in reason and "restore keys/custody.json" in reason
    served_cli = await invoke("serve")
    assert served_cli.exit_code == 1
    assert "restore keys/custody.json" in served_cli.output
    worker = await invoke("worker")
    assert worker.exit_code == 1
    init = await invoke("init")
    assert init.exit_code == 1
    assert "refusing to create platform keys" in init.output
    assert not (settings.resolved_keys_dir / "custody.json").exists()
    assert custody not in init.output  # no new wallet was announced


async def test_replaced_custody_key_is_refused(settings: Settings) -> None:
    custody = await use(settings)
    key = settings.resolved_keys_dir / "custody.json"
    key.unlink()
    create_keypair(key)  # a key file that is not the pinned custody wallet's

    reason = await refused(settings)
    assert f"pinned {custody}" in reason
    assert "restore keys/custody.json" in reason
    with pytest.raises(PlatformSetupError, match="pinned"):
        await init_platform(settings)


@pytest.mark.parametrize(
    ("file", "pin"), [("mint-usdc.json", "mint:USDC"), ("authority.json", "authority")]
)
async def test_replaced_mint_or_authority_key_is_refused(
    settings: Settings, file: str, pin: str
) -> None:
    key = settings.resolved_keys_dir / file
    key.unlink()
    create_keypair(key)
    reason = await refused(settings)
    assert pin in reason and f"restore keys/{file}" in reason


async def test_lost_chain_state_after_use_refuses_start_and_init(
    settings: Settings, env: Settings
) -> None:
    await use(settings)
    shutil.rmtree(settings.data_dir / "chain")

    reason = await refused(settings)
    assert "chain state" in reason and "restore" in reason
    assert not (settings.data_dir / "chain").exists()  # refusing did not start a new chain
    init = await invoke("init")
    assert init.exit_code == 1
    assert "chain state" in init.output


async def test_lost_database_after_use_refuses_start_and_init(
    settings: Settings, env: Settings
) -> None:
    await use(settings)
    await wipe_database(settings)  # a new, empty database beside the old keys and chain

    reason = await refused(settings)
    assert "`ece init`" in reason
    init = await invoke("init")
    assert init.exit_code == 1
    assert "holds assets" in init.output and "restore the database" in init.output


async def delete_pins(settings: Settings, *names: str) -> None:
    """The pins (or only ``names``) removed: a database from before pins, or an old backup."""
    db = Database(settings.resolved_database_url)
    try:
        async with db.unit_of_work() as session:
            query = delete(PlatformPin)
            if names:
                query = query.where(PlatformPin.name.in_(names))
            await session.execute(query)
    finally:
        await db.dispose()


async def pins_of(settings: Settings) -> dict[str, str]:
    db = Database(settings.resolved_database_url)
    try:
        async with db.unit_of_work(write=False) as session:
            return await read_pins(session)
    finally:
        await db.dispose()


async def test_a_used_database_without_pins_is_pinned_only_by_init_after_checking_custody(
    settings: Settings, env: Settings
) -> None:
    custody = await use(settings)
    await delete_pins(settings)

    reason = await refused(settings)
    assert "pins no custody wallet" in reason and "`ece init`" in reason
    assert await pins_of(settings) == {}  # the start pinned nothing
    init = await invoke("init")
    assert init.exit_code == 0, init.output  # custody holds the 25 USDC the ledger owes
    assert (await pins_of(settings))["custody"] == custody
    async with served(settings) as app:
        assert str(app.state.services.platform.custody_owner) == custody


async def test_init_refuses_to_pin_other_keys_and_chain_under_a_used_database(
    settings: Settings, env: Settings
) -> None:
    custody = await use(settings)
    await delete_pins(settings)
    # Another platform's keys and chain swapped in: same mint authority, empty custody.
    shutil.rmtree(settings.resolved_keys_dir)
    shutil.rmtree(settings.data_dir / "chain")
    create_keys(settings)
    other = Platform.load(settings.resolved_keys_dir, key_sealing(settings))
    chain = LiteSvmChain(settings.data_dir)
    await bootstrap_embedded(chain, other, settings.resolved_keys_dir, key_sealing(settings))
    await chain.close()

    assert "`ece init`" in await refused(settings)
    init = await invoke("init")
    assert init.exit_code == 1
    assert "does not hold what the database owes" in init.output
    assert "USDC: ledger owes 25000000, custody holds 0" in init.output
    assert await pins_of(settings) == {}
    assert custody not in (await pins_of(settings)).values()


async def test_init_refuses_to_pin_an_authority_key_that_is_not_the_mints(
    settings: Settings, env: Settings
) -> None:
    await use(settings)
    await delete_pins(settings)
    key = settings.resolved_keys_dir / "authority.json"
    key.unlink()
    create_keypair(key)  # not the key the mints answer to
    init = await invoke("init")
    assert init.exit_code == 1
    assert "mint authority" in init.output and "restore keys/authority.json" in init.output
    assert await pins_of(settings) == {}


async def test_a_database_pinned_before_the_chain_identity_is_completed_by_init(
    settings: Settings, env: Settings
) -> None:
    custody = await use(settings)
    genesis = (await pins_of(settings))["genesis"]
    await delete_pins(settings, "genesis")

    assert "chain's identity" in await refused(settings)
    init = await invoke("init")
    assert init.exit_code == 0, init.output
    assert (await pins_of(settings))["genesis"] == genesis
    async with served(settings) as app:
        assert str(app.state.services.platform.custody_owner) == custody


async def test_on_a_real_cluster_keys_must_match_the_pinned_custody(
    blank_settings: Settings,
) -> None:
    async with cluster_platform(blank_settings) as cluster:
        async with served(cluster.settings) as app:
            custody = str(app.state.services.platform.custody_owner)
        key = cluster.settings.resolved_keys_dir / "custody.json"
        backup = key.read_bytes()
        key.unlink()
        assert "restore cluster-keys/custody.json" in await refused(cluster.settings)
        with pytest.raises(PlatformSetupError, match="refusing to create platform keys"):
            await init_platform(cluster.settings)
        create_keypair(key)
        assert f"pinned {custody}" in await refused(cluster.settings)

        key.unlink()
        key.write_bytes(backup)
        key.chmod(0o600)  # restored as the backup had it
        other_mint = cluster.settings.model_copy(update={"usdc_mint": str(Keypair().pubkey())})
        reason = await refused(other_mint)
        assert "ECE_USDC_MINT" in reason and "mint:USDC" in reason
        async with served(cluster.settings) as app:  # the restored key is served again
            assert str(app.state.services.platform.custody_owner) == custody

        # The database is lost while custody holds deposits on the cluster: init refuses.
        await drip(cluster.chain, cluster.platform, cluster.platform.custody_owner, "USDC", 5)
        await wipe_database(cluster.settings)
        with pytest.raises(PlatformSetupError, match="holds assets on the cluster"):
            await init_platform(cluster.settings)


def _empty(path: Path) -> None:
    path.write_bytes(b"")


def _garbage(path: Path) -> None:
    path.write_bytes(b"not a chain at all" * 100)


def _half(path: Path) -> None:
    path.write_bytes(path.read_bytes()[: path.stat().st_size // 2])


@pytest.mark.parametrize("damage", [_empty, _garbage, _half], ids=["empty", "garbage", "half"])
async def test_an_emptied_chain_state_is_refused_never_replaced(
    settings: Settings, env: Settings, damage: Callable[[Path], None]
) -> None:
    await use(settings)
    state = settings.data_dir / "chain" / "chain.sqlite3"
    for extra in state.parent.glob("chain.sqlite3-*"):
        extra.unlink()
    damage(state)
    before = state.read_bytes()

    assert "chain state" in await refused(settings)
    for command in (["serve"], ["worker"], ["init"], ["chain", "faucet", CUSTOMER, "USDC", "1"]):
        result = await invoke(*command)
        assert result.exit_code == 1, (command, result.output)
        assert "chain state" in result.output and "restore" in result.output
        assert "Already initialized" not in result.output
    assert state.read_bytes() == before  # nothing started a new chain in its place


async def test_another_chain_under_the_same_keys_is_refused(
    settings: Settings, env: Settings
) -> None:
    await use(settings)
    # A new chain set up with this platform's own keys: same custody and mints, none of the
    # deposits. Only its identity tells it apart.
    shutil.rmtree(settings.data_dir / "chain")
    chain = LiteSvmChain(settings.data_dir)
    keys = settings.resolved_keys_dir
    sealing = key_sealing(settings)
    await bootstrap_embedded(chain, Platform.load(keys, sealing), keys, sealing)
    await chain.close()

    assert "another chain" in await refused(settings)
    for command in (["serve"], ["init"]):
        result = await invoke(*command)
        assert result.exit_code == 1, result.output
        assert "another chain" in result.output


async def test_on_a_real_cluster_another_chain_is_refused(blank_settings: Settings) -> None:
    async with cluster_platform(blank_settings) as cluster:
        other = LiteSvmChain(None)
        # The same mints recreated on another cluster still make another chain.
        await bootstrap_embedded(
            other,
            cluster.platform,
            cluster.settings.data_dir / "cluster-keys",
            key_sealing(cluster.settings),
        )
        with serve_chain(other) as served_other:
            moved = cluster.settings.model_copy(update={"solana_rpc_url": served_other.url})
            assert "another chain" in await refused(moved)
            with pytest.raises(PlatformSetupError, match="another chain"):
                await init_platform(moved)
        async with served(cluster.settings) as app:  # its own cluster is served again
            assert app.state.services.started
        empty = LiteSvmChain(None)  # a chain where the pinned mints do not exist
        with serve_chain(empty) as served_empty:
            fresh = blank_settings.model_copy(
                update={
                    "data_dir": blank_settings.data_dir / "fresh",
                    "solana_rpc_url": served_empty.url,
                    "ece_mint": cluster.settings.ece_mint,
                    "usdc_mint": cluster.settings.usdc_mint,
                }
            )
            await wipe_database(fresh)
            with pytest.raises(PlatformSetupError, match="does not exist on the chain"):
                await init_platform(fresh)


async def test_a_second_process_on_the_same_embedded_chain_is_refused(
    settings: Settings,
) -> None:
    env = {
        **os.environ,
        "ECE_ENV": "test",
        "ECE_DATA_DIR": str(settings.data_dir),
        "ECE_DATABASE_URL": settings.resolved_database_url,
    }

    def ece(*args: str) -> subprocess.CompletedProcess[str]:
        command = [sys.executable, "-m", "ece.cli", *args]
        return subprocess.run(command, env=env, capture_output=True, text=True, timeout=120)

    async with served(settings):  # this process runs the chain, as `ece serve` does
        lock_file = settings.data_dir / "chain" / "chain.lock"
        for args in (["chain", "faucet", CUSTOMER, "USDC", "1"], ["worker"], ["demo"]):
            result = await asyncio.to_thread(ece, *args)
            assert result.returncode == 1, (args, result.stderr)
            assert f"in use by process {os.getpid()}" in result.stderr
            assert str(lock_file) in result.stderr and "Traceback" not in result.stderr
        assert lock_file.read_text().strip() == str(os.getpid())
    # Stopped: the lock is gone with it, as after `ece init` in `make run`.
    result = await asyncio.to_thread(ece, "chain", "faucet", CUSTOMER, "USDC", "1")
    assert result.returncode == 0, result.stderr
    async with served(settings) as app:
        held = await app.state.services.chain.get_token_accounts_by_owner(
            Pubkey.from_string(CUSTOMER)
        )
        assert [account.amount for account in held] == [1_000_000]


async def test_a_partial_keys_dir_gets_no_new_keys(blank_settings: Settings, env: Settings) -> None:
    create_keypair(blank_settings.resolved_keys_dir / "authority.json")  # custody.json lost
    init = await invoke("init")
    assert init.exit_code == 1
    assert "restore keys/custody.json and keys/mint-ece.json" in init.output
    assert sorted(p.name for p in blank_settings.resolved_keys_dir.iterdir()) == ["authority.json"]


async def test_on_a_real_cluster_a_leftover_authority_key_gets_no_new_custody(
    blank_settings: Settings,
) -> None:
    async with cluster_platform(blank_settings) as cluster:
        custody = cluster.settings.resolved_keys_dir / "custody.json"
        custody.unlink()
        await wipe_database(cluster.settings)  # the database lost too: only authority.json left
        with pytest.raises(
            PlatformSetupError, match=r"restore cluster-keys/custody\.json from backup"
        ):
            await init_platform(cluster.settings)
        assert not custody.exists()


def _truncate(path: Path) -> None:
    path.write_bytes(path.read_bytes()[:40])


def _garbage_json(path: Path) -> None:
    path.write_text("{not json")


def _short_array(path: Path) -> None:
    path.write_text("[1, 2, 3]")


def _directory(path: Path) -> None:
    path.unlink()
    path.mkdir(mode=0o700)


@pytest.mark.parametrize(
    "corrupt",
    [_truncate, _empty, _garbage_json, _short_array, _directory],
    ids=["truncated", "empty", "garbage", "short-array", "directory"],
)
async def test_a_corrupt_key_file_is_refused_with_the_file_named(
    settings: Settings, env: Settings, corrupt: Callable[[Path], None]
) -> None:
    key = settings.resolved_keys_dir / "custody.json"
    corrupt(key)
    reason = await refused(settings)
    assert str(key) in reason and "restore keys/custody.json from its backup" in reason
    for command in (["serve"], ["init"], ["chain", "info"]):
        result = await invoke(*command)
        assert result.exit_code == 1, (command, result.output)
        assert isinstance(result.exception, SystemExit)  # a refusal, not a traceback
        assert "restore keys/custody.json" in result.output


async def test_a_key_others_may_read_is_refused(settings: Settings, env: Settings) -> None:
    key = settings.resolved_keys_dir / "custody.json"
    key.chmod(0o644)
    assert f"chmod 600 {key}" in await refused(settings)
    result = await invoke("serve")
    assert result.exit_code == 1 and f"chmod 600 {key}" in result.output
    key.chmod(0o600)
    settings.resolved_keys_dir.chmod(0o775)
    assert f"chmod go-w {settings.resolved_keys_dir}" in await refused(settings)
    settings.resolved_keys_dir.chmod(0o755)  # others may list it, not swap a key
    async with served(settings) as app:
        assert app.state.services.started
