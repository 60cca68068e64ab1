"""The ``ece`` command line."""

from __future__ import annotations

import asyncio
import contextlib
import socket
from collections.abc import Callable, Coroutine, Iterator
from pathlib import Path
from typing import Annotated, Any, TypeVar

import typer
from pydantic import ValidationError

from ece.auth.service import Role
from ece.chain.platform import PlatformSetupError
from ece.config import Settings

app = typer.Typer(
    help="ECE — Elite Card Exchange: serve the app, run workers, manage the database and roles.",
    no_args_is_help=True,
    add_completion=False,
    # A traceback with local variables could print a secret setting.
    pretty_exceptions_show_locals=False,
)
db_app = typer.Typer(help="Database schema.", no_args_is_help=True)
admin_app = typer.Typer(help="Grant and revoke roles.", no_args_is_help=True)
app.add_typer(db_app, name="db")
app.add_typer(admin_app, name="admin")
ledger_app = typer.Typer(help="Ledger invariants.", no_args_is_help=True)
app.add_typer(ledger_app, name="ledger")
audit_app = typer.Typer(help="The audit log.", no_args_is_help=True)
app.add_typer(audit_app, name="audit")
chain_app = typer.Typer(
    help="The Solana chain: facts and the development faucet.", no_args_is_help=True
)
app.add_typer(chain_app, name="chain")
compliance_app = typer.Typer(
    help="Compliance: the sanctions deny list, KYC personal data and its keys.",
    no_args_is_help=True,
)
app.add_typer(compliance_app, name="compliance")
backup_app = typer.Typer(
    help="Backups: one archive of the embedded data dir, or pgBackRest on PostgreSQL.",
    no_args_is_help=True,
)
app.add_typer(backup_app, name="backup")
keys_app = typer.Typer(help="Platform key files, sealed at rest.", no_args_is_help=True)
app.add_typer(keys_app, name="keys")
treasury_app = typer.Typer(help="Treasury payouts.", no_args_is_help=True)
app.add_typer(treasury_app, name="treasury")

T = TypeVar("T")


def load_settings() -> Settings:
    """The settings, or exit 2 naming what is wrong (never a value: it may be a secret)."""
    try:
        return Settings()
    except ValidationError as exc:
        for error in exc.errors(include_input=False, include_context=False, include_url=False):
            where = ".".join(str(part) for part in error["loc"])
            name = f"ECE_{where.upper()}: " if where else ""
            message = error["msg"].removeprefix("Value error, ")
            typer.echo(f"error: invalid configuration: {name}{message}", err=True)
        raise typer.Exit(code=2) from None


def _refused(exc: Exception) -> typer.Exit:
    typer.echo(f"error: {exc}", err=True)
    return typer.Exit(code=1)


def _refuse_demo_in_production(settings: Settings) -> None:
    if settings.is_production:
        typer.echo(
            "error: demo data is refused in production (ECE_ENV=production): its wallets and "
            "funds are for trying ECE out, never for real money.",
            err=True,
        )
        raise typer.Exit(code=2)


def _verify_platform(settings: Settings) -> None:
    """Refuse to run on missing or unpinned keys before any server starts."""
    from ece.platform_init import verify_platform

    try:
        asyncio.run(verify_platform(settings))
    except PlatformSetupError as exc:
        raise _refused(exc) from exc


@contextlib.contextmanager
def _chain_lock(settings: Settings, *, create: bool = False) -> Iterator[None]:
    """Hold the embedded chain's process lock for the command's life (the server it runs
    included): a second process on the same chain is refused with who holds it."""
    from ece.chain.embedded import lock

    chain_dir = settings.data_dir / "chain"
    if not settings.embedded_chain or not (create or chain_dir.is_dir()):
        yield  # nothing to lock: opening a missing chain is refused later
        return
    try:
        path = lock.acquire(chain_dir)
    except PlatformSetupError as exc:
        raise _refused(exc) from exc
    try:
        yield
    finally:
        lock.release(path)


def _run(factory: Callable[[Settings], Coroutine[Any, Any, T]]) -> T:
    return asyncio.run(factory(load_settings()))


@app.command()
def init() -> None:
    """Create the platform keys on a new data dir and pin the custody wallet in the database.

    Idempotent: on an initialized platform it checks the keys against the database and changes
    nothing. Refuses to create keys where the chain state, pins or ledger entries already exist.
    """
    from ece.core.migrate import upgrade
    from ece.platform_init import init_platform

    settings = load_settings()
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    upgrade(settings.resolved_database_url)
    try:
        with _chain_lock(settings, create=True):
            report = asyncio.run(init_platform(settings))
    except PlatformSetupError as exc:
        raise _refused(exc) from exc
    if not report.changed:
        typer.echo(f"Already initialized (custody {report.custody}): nothing changed.")
        return
    if report.created_keys:
        created = ", ".join(report.created_keys)
        typer.echo(f"Created keys in {settings.resolved_keys_dir}: {created} (back them up).")
    typer.echo(f"Initialized: custody wallet {report.custody} pinned in the database.")


@app.command()
def serve(
    host: Annotated[str, typer.Option(help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on.")] = 8000,
    demo: Annotated[bool, typer.Option(help="Load demo data first when the database is empty.")] = (
        False
    ),
    workers: Annotated[
        int, typer.Option(help="Web server processes (production: about one per core).")
    ] = 1,
) -> None:
    """Serve the web app and API, with the background jobs in-process by default."""
    import uvicorn

    from ece.core.migrate import upgrade
    from ece.realtime.protocol import UVICORN_OPTIONS

    settings = load_settings()
    if demo:
        _refuse_demo_in_production(settings)
    if workers > 1 and settings.embedded_chain:
        # Each process would load its own copy of the in-process chain and they would diverge.
        typer.echo(
            "error: the embedded chain lives in one process; use --workers 1, or set "
            "ECE_SOLANA_RPC_URL to a chain node shared by all workers.",
            err=True,
        )
        raise typer.Exit(code=2)
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    upgrade(settings.resolved_database_url)
    with _chain_lock(settings):
        _verify_platform(settings)
        if demo:
            from ece.demo import load_demo_if_empty

            created = asyncio.run(load_demo_if_empty(settings))
            typer.echo("Demo data loaded." if created else "Database not empty: demo data skipped.")
        typer.echo(f"ECE serving on http://{host}:{port}  (API docs: http://{host}:{port}/docs)")
        options: dict[str, Any] = {
            "factory": True,
            # ECE reads X-Forwarded-For itself, from ECE_TRUSTED_PROXIES only (uvicorn would
            # trust any local peer and rewrite the client address before the rate limiter sees it).
            "proxy_headers": False,
            # On SIGTERM requests in flight get this long to finish (Kubernetes' grace period
            # and compose's stop_grace_period are longer); the balancer has stopped sending.
            "timeout_graceful_shutdown": 20,
            "log_level": "warning",
            # The WebSocket protocol the hub writes pre-built frames through; no deflate.
            **UVICORN_OPTIONS,
        }
        if workers == 1 and settings.embedded_chain:
            # web3.js and other clients look for the RPC PubSub at the RPC's port + 1.
            sockets = listen_sockets(host, [port, port + 1])
            if len(sockets) == 2:
                typer.echo(f"RPC PubSub also on ws://{host}:{port + 1}/rpc (the RPC port + 1).")
            server = uvicorn.Server(uvicorn.Config("ece.app:create_app", **options))
            server.run(sockets=sockets)
            return
        uvicorn.run("ece.app:create_app", host=host, port=port, workers=workers, **options)


def listen_sockets(host: str, ports: list[int]) -> list[socket.socket]:
    """Listening sockets on ``host`` for ``ports``; the first must bind, a later one that cannot
    (port taken) is left out with a warning."""
    sockets: list[socket.socket] = []
    for index, number in enumerate(ports):
        family, kind, proto, _, address = socket.getaddrinfo(host, number, type=socket.SOCK_STREAM)[
            0
        ]
        sock = socket.socket(family, kind, proto)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind(address)
        except OSError as exc:
            sock.close()
            if index == 0:
                raise
            typer.echo(f"warning: port {number} not served ({exc})", err=True)
            continue
        sock.listen(2048)
        sock.set_inheritable(True)
        sockets.append(sock)
    return sockets


@app.command()
def worker() -> None:
    """Run the background jobs (auctions, deposits, withdrawals, reconciliation...) on their own."""
    from ece.worker.main import run_worker

    settings = load_settings()
    with _chain_lock(settings):
        _verify_platform(settings)
        asyncio.run(run_worker(settings))


@db_app.command("upgrade")
def db_upgrade(revision: Annotated[str, typer.Argument(help="Target revision.")] = "heads") -> None:
    """Apply the database migrations."""
    from ece.core.migrate import upgrade

    settings = load_settings()
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    upgrade(settings.resolved_database_url, revision)
    typer.echo("Database is up to date.")


@db_app.command("anonymized-dump")
def db_anonymized_dump(
    output: Annotated[
        Path, typer.Argument(help="The new file: a SQLite database, or plain SQL on PostgreSQL.")
    ],
    pg_bin: Annotated[
        Path | None,
        typer.Option(help="Directory of pg_dump and pg_restore (PostgreSQL; default: PATH)."),
    ] = None,
) -> None:
    """Copy the database with every personal field masked, for non-production use."""
    from ece.privacy.dump import DumpFailed, anonymized_copy, anonymized_pg_dump

    settings = load_settings()
    url = settings.resolved_database_url
    try:
        if url.startswith("sqlite"):
            changed = asyncio.run(anonymized_copy(Path(url.split("///", 1)[1]), output))
        else:
            changed = asyncio.run(anonymized_pg_dump(url, output, pg_bin))
    except (FileExistsError, DumpFailed) as exc:
        typer.echo(str(exc), err=True)
        raise typer.Exit(2) from exc
    typer.echo(f"{changed} rows masked.")
    typer.echo(str(output))


@app.command()
def demo() -> None:
    """Load the demo data (only into an empty database; never in production)."""
    from ece.demo import load_demo_if_empty

    settings = load_settings()
    _refuse_demo_in_production(settings)
    with _chain_lock(settings):
        _verify_platform(settings)
        created = asyncio.run(load_demo_if_empty(settings))
    typer.echo("Demo data loaded." if created else "Database not empty: demo data skipped.")


def _change_role(address: str, role: Role, grant: bool) -> None:
    from ece.auth import service
    from ece.core.db import Database
    from ece.core.errors import DomainError

    async def go(settings: Settings) -> list[str]:
        db = Database(settings.resolved_database_url)
        try:
            async with db.unit_of_work() as session:
                if grant:
                    user = await service.grant_role(session, address, role)
                else:
                    user = await service.revoke_role(session, address, role)
                return [r.value for r in user.role_names]
        finally:
            await db.dispose()

    try:
        roles = _run(go)
    except (DomainError, ValueError) as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(code=1) from exc
    typer.echo(f"{address}: {', '.join(roles)}")


@admin_app.command("grant")
def admin_grant(
    address: Annotated[str, typer.Argument(help="The wallet address (base58).")],
    role: Annotated[Role, typer.Argument(help="The role to grant.")],
) -> None:
    """Give a wallet a role (creates the user if it never signed in)."""
    _change_role(address, role, grant=True)


@admin_app.command("revoke")
def admin_revoke(
    address: Annotated[str, typer.Argument(help="The wallet address (base58).")],
    role: Annotated[Role, typer.Argument(help="The role to take away.")],
) -> None:
    """Take a role away from a wallet."""
    _change_role(address, role, grant=False)


@chain_app.command("info")
def chain_info() -> None:
    """Cluster, RPC URL, the ECE and USDC mints and the custody wallet, as JSON."""
    import json

    from ece.chain.setup import build_platform
    from ece.payments.service import chain_info as facts

    settings = load_settings()
    try:
        info = facts(settings, build_platform(settings))
    except PlatformSetupError as exc:
        raise _refused(exc) from exc
    body = {
        "cluster": info.cluster,
        "rpc_url": info.rpc_url,
        "assets": {
            asset.value: {"mint": str(mint), "decimals": asset.decimals}
            for asset, mint in info.mints.items()
        },
        "custody": str(info.custody),
    }
    typer.echo(json.dumps(body, indent=2))


@chain_app.command("faucet")
def chain_faucet(
    address: Annotated[str, typer.Argument(help="The wallet to fund (base58).")],
    asset: Annotated[str, typer.Argument(help="ECE, USDC or SOL.")],
    amount: Annotated[str, typer.Argument(help="Whole tokens, e.g. 12.5.")],
) -> None:
    """Mint ECE/USDC or airdrop SOL to a wallet on the embedded chain (development only).

    Opens the embedded chain of the data dir under its process lock: while a server runs it,
    this is refused (use the server's faucet, ``POST /api/v1/dev/faucet``), so the chain state
    only ever has one writer.
    """
    from ece.chain.protocol import ChainError
    from ece.chain.setup import build_chain, build_platform
    from ece.core.errors import Unprocessable
    from ece.core.money import Asset, InvalidAmount, parse_amount
    from ece.payments.service import InvalidAddress, drip, parse_address, refuse_custody

    settings = load_settings()
    if not settings.embedded_chain:
        typer.echo("error: the faucet exists only on the embedded chain", err=True)
        raise typer.Exit(code=1)
    name = asset.upper()
    if name not in ("ECE", "USDC", "SOL"):
        typer.echo("error: ASSET is ECE, USDC or SOL", err=True)
        raise typer.Exit(code=2)
    try:
        wallet = parse_address(address)
        # SOL has 9 decimals, like ECE.
        units = parse_amount(amount, Asset.ECE if name == "SOL" else Asset(name))
    except (InvalidAddress, InvalidAmount) as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(code=2) from exc

    async def go() -> str:
        platform = build_platform(settings)
        chain = build_chain(settings)  # refuses a missing chain and one another process runs
        try:
            await refuse_custody(chain, platform, wallet)
            return str(await drip(chain, platform, wallet, name, units))  # type: ignore[arg-type]
        finally:
            await chain.close()

    try:
        with _chain_lock(settings):
            typer.echo(asyncio.run(go()))
    except PlatformSetupError as exc:
        raise _refused(exc) from exc
    except Unprocessable as exc:  # custody's own address
        typer.echo(f"error: {exc.detail}", err=True)
        raise typer.Exit(code=2) from exc
    except ChainError as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(code=1) from exc


@ledger_app.command("check")
def ledger_check(
    max_pending_age_hours: Annotated[
        int | None,
        typer.Option(
            min=0,
            max=10 * 365 * 24,
            help="Report holds older than this many hours (default: the longest offer or "
            "trade-offer lifetime plus a day).",
        ),
    ] = None,
) -> None:
    """Prove every asset sums to zero, no user account is negative and no hold is stale (exit
    1 if not)."""
    from datetime import timedelta

    from ece.core.db import Database
    from ece.ledger.schemas import LedgerCheckOut
    from ece.ledger.service import longer_hold_ages, run_check, stale_hold_age

    async def go(settings: Settings) -> LedgerCheckOut:
        age = (
            stale_hold_age(settings)
            if max_pending_age_hours is None
            else timedelta(hours=max_pending_age_hours)
        )
        db = Database(settings.resolved_database_url)
        try:
            longer = longer_hold_ages(settings)
            return LedgerCheckOut.of(await run_check(db, max_pending_age=age, longer=longer))
        finally:
            await db.dispose()

    report = _run(go)
    typer.echo(report.model_dump_json(indent=2))
    if not report.ok:
        raise typer.Exit(code=1)


@audit_app.command("verify")
def audit_verify() -> None:
    """Recompute the audit log's hash chain from the database; print the result as JSON (exit 1
    when an entry does not match, naming the first one)."""
    from ece.audit.schemas import AuditVerifyOut
    from ece.audit.service import verify
    from ece.core.db import Database

    async def go(settings: Settings) -> AuditVerifyOut:
        db = Database(settings.resolved_database_url)
        try:
            async with db.unit_of_work(write=False) as session:
                return AuditVerifyOut.of(await verify(session))
        finally:
            await db.dispose()

    report = _run(go)
    typer.echo(report.model_dump_json(indent=2, exclude_none=True))
    if not report.ok:
        raise typer.Exit(code=1)


# --- compliance: screening, risk and reviews ---------------------------------------------------


@compliance_app.command("import-denylist")
def compliance_import_denylist(
    file: Annotated[
        Path,
        typer.Argument(
            help="One address a line, or a CSV with an 'address' column.",
            exists=True,
            dir_okay=False,
            readable=True,
        ),
    ],
    reason: Annotated[str, typer.Option(help="The reason stored with each address.")] = (
        "published sanctions list"
    ),
) -> None:
    """Deny-list every valid base58 address of a published list (idempotent: a second run adds
    nothing). Prints the counts; exit 1 if the file held no valid address."""
    from ece.audit import service as audit
    from ece.compliance import service as compliance
    from ece.core.db import Database

    text = file.read_text(encoding="utf-8-sig")

    async def go(settings: Settings) -> compliance.ImportReport:
        db = Database(settings.resolved_database_url)
        try:
            async with db.unit_of_work() as session:
                return await compliance.import_denylist(session, text, reason[:200], audit.SYSTEM)
        finally:
            await db.dispose()

    report = _run(go)
    typer.echo(
        f"added {report.added}, already listed {report.already_listed}, "
        f"invalid {report.invalid}, duplicates {report.duplicates}"
    )
    if report.added + report.already_listed == 0:
        raise typer.Exit(code=1)


@app.command("vapid-keys")
def vapid_keys() -> None:
    """Print a new VAPID key pair for web push (set ECE_VAPID_PRIVATE_KEY to the first)."""
    from ece.notifications import service as notifications

    private, public = notifications.generate_vapid_keys()
    typer.echo(f"ECE_VAPID_PRIVATE_KEY={private}")
    typer.echo(f"# public key (served at /api/v1/push/config): {public}")


@treasury_app.command("run-payouts")
def treasury_run_payouts() -> None:
    """Make a payout batch now (one USDC payout per company owed at least the minimum) and put
    every fully signed payout on chain; prints the batch as JSON."""
    from ece.chain.protocol import ChainError
    from ece.core.errors import DomainError
    from ece.runtime.services import build_services
    from ece.treasury import service as treasury
    from ece.treasury.schemas import BatchOut

    settings = load_settings()

    async def go() -> str:
        services = build_services(settings)
        try:
            async with services.db.unit_of_work() as session:
                batch = await treasury.create_batch(
                    session, settings, services.platform, actor="cli"
                )
                assert batch is not None
            await treasury.prepare_approved(
                services.db, settings, services.chain, services.platform
            )
            await treasury.send_submitted(services.db, settings, services.chain, services.platform)
            async with services.db.unit_of_work(write=False) as session:
                payouts = await treasury.payouts_of(session, [batch.id])
                return BatchOut.of(batch, payouts[batch.id]).model_dump_json(indent=2)
        finally:
            await services.close()

    try:
        with _chain_lock(settings):
            typer.echo(asyncio.run(go()))
    except PlatformSetupError as exc:
        raise _refused(exc) from exc
    except (DomainError, ChainError) as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(code=1) from exc


@compliance_app.command("rotate-key")
def compliance_rotate_key() -> None:
    """Re-encrypt every KYC value sealed with another key under the active one
    (ECE_KYC_ACTIVE_KEY). Idempotent and resumable: run it again after a stop; once it reports
    only the active key in use, the old keys can leave ECE_KYC_KEYS."""
    from ece.compliance.service import rotate_keys
    from ece.core.db import Database
    from ece.core.errors import DomainError

    async def go(settings: Settings) -> str:
        db = Database(settings.resolved_database_url)
        try:
            done = await rotate_keys(db, settings)
        finally:
            await db.dispose()
        in_use = ", ".join(done.key_ids) or "none"
        return (
            f"Re-encrypted {done.records} KYC records with key {done.active}; keys in use: {in_use}"
        )

    try:
        typer.echo(_run(go))
    except DomainError as exc:  # unreadable data (PersonalDataUnreadable), or no keys
        typer.echo(f"error: {exc.detail}", err=True)
        raise typer.Exit(code=1) from exc


if __name__ == "__main__":
    app()


@backup_app.command("create")
def backup_create(
    output: Annotated[
        Path | None,
        typer.Option(help="Archive path (default <data_dir>/backups/ece-<time>.tar.gz)."),
    ] = None,
    stanza: Annotated[str, typer.Option(help="pgBackRest stanza (PostgreSQL only).")] = "ece",
) -> None:
    """Back up while the server runs. SQLite: one archive of the database, chain state and keys
    (its path is the last line printed). PostgreSQL: a pgBackRest backup of the stanza."""
    import subprocess

    from ece.backup import service

    settings = load_settings()
    if not settings.resolved_database_url.startswith("sqlite"):
        done = subprocess.run(["pgbackrest", f"--stanza={stanza}", "backup"], check=False)  # noqa: S603, S607
        raise typer.Exit(code=done.returncode)
    try:
        report = service.create(settings.data_dir, output)
    except service.BackupError as exc:
        raise _refused(exc) from exc
    typer.echo(f"Backed up {report.files} files in {report.seconds:.2f} s.")
    typer.echo(str(report.archive))


@backup_app.command("restore")
def backup_restore(
    archive: Annotated[Path, typer.Argument(help="An archive made by `ece backup create`.")],
    force: Annotated[bool, typer.Option(help="Restore over a data dir that is not empty.")] = False,
) -> None:
    """Restore an archive into ECE_DATA_DIR (empty unless --force); ECE must be stopped."""
    from ece.backup import service

    settings = load_settings()
    try:
        files = service.restore(archive, settings.data_dir, force=force)
    except service.BackupError as exc:
        raise _refused(exc) from exc
    typer.echo(f"Restored {files} files into {settings.data_dir}; run `ece ledger check` next.")


@keys_app.command("rotate")
def keys_rotate() -> None:
    """Seal every platform key file under the current ECE_SECRET_KEY: plain files, and files
    sealed under ECE_PREVIOUS_SECRET_KEY (set it to the old secret when the secret changes).
    Atomic per file; the keys themselves (and so every address) stay the same."""
    import os

    from ece.chain.platform import key_file_names, reseal_keypair
    from ece.chain.sealing import KeySealing
    from ece.chain.setup import key_sealing

    settings = load_settings()
    previous = os.environ.get("ECE_PREVIOUS_SECRET_KEY")
    old = KeySealing(previous) if previous else None
    keys = settings.resolved_keys_dir
    changed = []
    try:
        for name in key_file_names(embedded=settings.embedded_chain):
            if reseal_keypair(keys / name, old, key_sealing(settings)):
                changed.append(name)
    except PlatformSetupError as exc:
        raise _refused(exc) from exc
    typer.echo(f"Sealed under ECE_SECRET_KEY: {', '.join(changed) or 'nothing to change'}.")
