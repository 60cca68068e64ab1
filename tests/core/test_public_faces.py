"""Each domain is reached through its public face, edge modules stay at the edge, rules stay
pure and routers run no SQL: the rules ``.importlinter`` cannot say (it protects modules by exact
name, and its layer contracts look past the edge modules), checked on the ``ast`` of every
import in ``src/ece``.

- Another package imports a domain's ``service`` or ``schemas`` only. Exceptions by role: the
  app mounts ``router``s, the worker registers ``jobs``, ``ece.models`` gathers ``models`` for
  Alembic, and a domain's pure ``rules``/``models`` may use another domain's pure rules.
- ``router``, ``deps``, ``jobs`` and ``middleware`` (the edge) are imported only by other edge
  modules, the web pages and the entry points: a service that imports one would close a cycle
  through the edge.
- ``rules`` modules import neither SQLAlchemy nor the database nor any service or repository.
- Routers and web pages import no SQLAlchemy but the ``AsyncSession`` type, and no ``models``.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import ece

SRC = Path(ece.__file__).parent.parent
DOMAINS = frozenset(
    {
        "auth",
        "cards",
        "compliance",
        "controls",
        "ledger",
        "market",
        "trades",
        "auctions",
        "audit",
        "marketdata",
        "notifications",
        "payments",
        "settlement",
        "treasury",
    }
)
PUBLIC = frozenset({"service", "schemas"})
EDGE = frozenset({"router", "deps", "jobs", "middleware"})
ENTRY_POINTS = frozenset(
    {"ece.app", "ece.cli", "ece.demo", "ece.platform_init", "ece.models", "ece.worker.main"}
)


def _modules() -> dict[str, Path]:
    found = {}
    for path in (SRC / "ece").rglob("*.py"):
        name = ".".join(path.relative_to(SRC).with_suffix("").parts)
        found[name.removesuffix(".__init__")] = path
    return found


MODULES = _modules()


def _imports(path: Path) -> Iterator[str]:
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            for alias in node.names:
                target = f"{node.module}.{alias.name}"
                yield target if target in MODULES else node.module
        elif isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)


def _kind(module: str) -> str:
    """The last part of a module's name, with ``*_rules``/``*_repository`` folded in."""
    last = module.rsplit(".", 1)[-1]
    for suffix in ("rules", "repository"):
        if last == suffix or last.endswith(f"_{suffix}"):
            return suffix
    return last


def _domain(module: str) -> str | None:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 and parts[1] in DOMAINS else None


def _is_edge(module: str) -> bool:
    return (
        module in ENTRY_POINTS
        or module.startswith(("ece.web", "ece.health"))
        or (_kind(module) in EDGE and not module.startswith("ece.runtime"))
    )


def _allowed_across(importer: str, target: str) -> bool:
    """May ``importer`` (outside ``target``'s domain) import ``target`` (a domain module)?"""
    kind = _kind(target)
    if len(target.split(".")) == 2 or kind in PUBLIC:
        return True
    if kind in EDGE:
        return _is_edge(importer)
    if kind == "models":
        return importer == "ece.models"
    if kind == "rules":
        return _kind(importer) in {"rules", "models"}
    return False


def violations() -> list[str]:
    found = []
    for importer, path in sorted(MODULES.items()):
        for target in _imports(path):
            if target not in MODULES:
                continue
            domain = _domain(target)
            if domain is None or _domain(importer) == domain:
                continue
            if not _allowed_across(importer, target):
                found.append(f"{importer} -> {target}")
    return found


def test_domains_are_reached_through_their_public_face() -> None:
    assert violations() == []


def test_only_the_edge_imports_edge_modules() -> None:
    found = [
        f"{importer} -> {target}"
        for importer, path in sorted(MODULES.items())
        for target in _imports(path)
        if target in MODULES and _domain(target) is not None and _kind(target) in EDGE
        if not _is_edge(importer)
    ]
    assert found == []


def test_rules_do_no_io() -> None:
    found = []
    for importer, path in sorted(MODULES.items()):
        if _kind(importer) != "rules":
            continue
        for target in _imports(path):
            io = target.startswith(
                ("sqlalchemy", "ece.core.db", "ece.runtime", "ece.chain.embedded")
            )
            if io or _kind(target) in {"service", "repository"}:
                found.append(f"{importer} -> {target}")
    assert found == []


def test_routers_and_pages_run_no_sql() -> None:
    found = []
    for importer, path in sorted(MODULES.items()):
        if not (_kind(importer) == "router" or importer.startswith("ece.web")):
            continue
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("sqlalchemy"):
                names = {alias.name for alias in node.names}
                if node.module != "sqlalchemy.ext.asyncio" or names != {"AsyncSession"}:
                    found.append(f"{importer} imports {sorted(names)} from {node.module}")
        found += [
            f"{importer} -> {target}"
            for target in _imports(path)
            if target in MODULES and _kind(target) in {"models", "repository"}
        ]
    assert found == []


def test_the_checks_catch_what_they_name(tmp_path: Path) -> None:
    """Each rule above flags a made-up offender (so none of them passes vacuously)."""
    assert not _allowed_across("ece.trades.service", "ece.cards.search_repository")
    assert not _allowed_across("ece.marketdata.service", "ece.market.buying")
    assert not _allowed_across("ece.web.views", "ece.payments.intake")
    assert not _allowed_across("ece.trades.service", "ece.auth.deps")
    assert _allowed_across("ece.market.router", "ece.auth.deps")
    assert _allowed_across("ece.trades.rules", "ece.settlement.swap_rules")
    assert not _allowed_across("ece.trades.service", "ece.settlement.swap_rules")
    assert _kind("ece.settlement.swap_rules") == "rules"
    assert _kind("ece.cards.catalog_repository") == "repository"
