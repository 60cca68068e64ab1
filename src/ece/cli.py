"""The ``ece`` command line."""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Coroutine
from typing import Annotated, Any, TypeVar

import typer

from ece.auth.models import Role
from ece.config import Settings

app = typer.Typer(
    help="ECE — Elite Card Exchange: serve the app, run workers, manage the database and roles.",
    no_args_is_help=True,
    add_completion=False,
)
db_app = typer.Typer(help="Database schema.", no_args_is_help=True)
admin_app = typer.Typer(help="Grant and revoke roles.", no_args_is_help=True)
app.add_typer(db_app, name="db")
app.add_typer(admin_app, name="admin")

T = TypeVar("T")


def _run(factory: Callable[[Settings], Coroutine[Any, Any, T]]) -> T:
    return asyncio.run(factory(Settings()))


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

    settings = Settings()
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    upgrade(settings.resolved_database_url)
    if demo:
        from ece.demo import load_demo_if_empty

        created = asyncio.run(load_demo_if_empty(settings))
        typer.echo("Demo data loaded." if created else "Database not empty: demo data skipped.")
    typer.echo(f"ECE serving on http://{host}:{port}  (API docs: http://{host}:{port}/docs)")
    uvicorn.run(
        "ece.app:create_app",
        factory=True,
        host=host,
        port=port,
        workers=workers,
        proxy_headers=True,
        log_level="warning",
    )


@app.command()
def worker() -> None:
    """Run the background jobs (auctions, deposits, withdrawals, reconciliation...) on their own."""
    from ece.worker.main import run_worker

    asyncio.run(run_worker(Settings()))


@db_app.command("upgrade")
def db_upgrade(revision: Annotated[str, typer.Argument(help="Target revision.")] = "heads") -> None:
    """Apply the database migrations."""
    from ece.core.migrate import upgrade

    settings = Settings()
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    upgrade(settings.resolved_database_url, revision)
    typer.echo("Database is up to date.")


@app.command()
def demo() -> None:
    """Load the demo data (only into an empty database)."""
    from ece.demo import load_demo_if_empty

    created = _run(load_demo_if_empty)
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


if __name__ == "__main__":
    app()
