"""The platform's identity on chain: created once by ``ece init``, checked at every start.

A custody wallet that silently changes sends deposits to a new, empty wallet while the ledger
still owes every balance. So keys are created only by an explicit ``ece init`` on a data dir
that holds nothing yet; ``ece init`` pins the custody wallet and the mints in the database; and
a server (``ece serve``, ``ece worker``, ``create_app``) refuses to start when a key, the
embedded chain state or the pins are missing or disagree.
"""

from __future__ import annotations

import inspect
from dataclasses import dataclass

import structlog

from ece.cards import service as cards
from ece.chain import spl
from ece.chain.litesvm import chain_state_file
from ece.chain.pins import read_pins, write_pins
from ece.chain.platform import Platform, PlatformSetupError
from ece.chain.setup import (
    build_chain,
    build_platform,
    create_missing_keys,
    has_chain_state,
    missing_key_files,
    prepare_chain,
)
from ece.config import Settings
from ece.core.db import Database
from ece.ledger import service as ledger

log = structlog.get_logger("ece.platform")


@dataclass(frozen=True)
class Records:
    """What the database already knows about the platform."""

    pins: dict[str, str]
    in_use: bool  # value was recorded (ledger transfers) or cards were minted into custody


@dataclass(frozen=True)
class InitReport:
    custody: str
    created_keys: list[str]
    pinned: bool
    bootstrapped: bool

    @property
    def changed(self) -> bool:
        return bool(self.created_keys) or self.pinned or self.bootstrapped


async def read_records(db: Database) -> Records:
    async with db.unit_of_work(write=False) as session:
        pins = await read_pins(session)
        in_use = await ledger.has_transfers(session) or await cards.has_cards(session)
    return Records(pins, in_use)


def _mismatch(settings: Settings, name: str, ours: str, pinned: str) -> PlatformSetupError:
    if name in ("custody", "authority"):
        where = f"{settings.resolved_keys_dir}/{name}.json"
        fix = f"restore keys/{name}.json (the key of {pinned}) from its backup"
    elif settings.embedded_chain:
        asset = name.split(":", 1)[1]
        where = f"{settings.resolved_keys_dir}/mint-{asset.lower()}.json"
        fix = f"restore keys/mint-{asset.lower()}.json from its backup"
    else:
        asset = name.split(":", 1)[1]
        where = f"ECE_{asset}_MINT"
        fix = f"set ECE_{asset}_MINT={pinned}"
    return PlatformSetupError(
        f"{where} gives {name} {ours} but the database pinned {pinned}: {fix}, or point "
        "ECE_DATABASE_URL at this platform's own database."
    )


def check_pins(settings: Settings, platform: Platform, pins: dict[str, str]) -> None:
    ours = platform.pins
    for name in sorted(pins, key=lambda n: n != "custody"):  # the custody wallet first
        if name in ours and ours[name] != pins[name]:
            raise _mismatch(settings, name, ours[name], pins[name])


def refuse_missing_chain_state(settings: Settings) -> None:
    """The embedded chain's state is created by ``ece init`` only: opening the chain without it
    would start a new, empty chain under the same keys."""
    if settings.embedded_chain and not has_chain_state(settings):
        path = chain_state_file(settings.data_dir)
        raise PlatformSetupError(
            f"the embedded chain state {path} is missing. A new installation starts with "
            f"`ece init`; an existing one must restore {path} from its backup (a new chain "
            "would hold none of the deposited assets)."
        )


async def check_on_start(settings: Settings, db: Database, platform: Platform) -> None:
    """Refuse to serve unless the database pinned exactly these keys (``ece init`` did)."""
    records = await read_records(db)
    if records.pins:
        check_pins(settings, platform, records.pins)
        return
    if not records.in_use:
        raise PlatformSetupError(
            "the database records no platform custody wallet: run `ece init` first (it checks "
            "the keys and pins the custody wallet and mints in the database)."
        )
    # A database from before pins existed: its keys are the ones it has always used.
    async with db.unit_of_work() as session:
        await write_pins(session, platform.pins)
    log.warning("platform.pinned", custody=platform.pins["custody"])


async def verify_platform(settings: Settings) -> None:
    """What a server checks at start, on its own (the CLI runs it before serving)."""
    platform = build_platform(settings)
    refuse_missing_chain_state(settings)
    db = Database(settings.resolved_database_url)
    try:
        await check_on_start(settings, db, platform)
    finally:
        await db.dispose()


def _refuse_unsafe_init(settings: Settings, records: Records, chain_state: bool) -> None:
    missing = missing_key_files(settings)
    if missing and (records.pins or records.in_use or chain_state):
        found = "; ".join(
            what
            for what, present in (
                ("pinned custody", bool(records.pins)),
                ("ledger entries or cards", records.in_use),
                ("chain state", chain_state),
            )
            if present
        )
        raise PlatformSetupError(
            f"refusing to create platform keys: this platform already has {found}; but "
            f"{', '.join('keys/' + name for name in missing)} is missing. Restore the key files "
            "from their backup; new keys would make a new, empty custody wallet."
        )
    if settings.embedded_chain and records.in_use and not chain_state:
        refuse_missing_chain_state(settings)


async def _custody_holds_assets(settings: Settings, platform: Platform) -> bool:
    chain = build_chain(settings)
    try:
        for program in spl.TOKEN_PROGRAMS:
            held = await chain.get_token_accounts_by_owner(
                platform.custody_owner, program_id=program
            )
            if any(account.amount for account in held):
                return True
        return False
    finally:
        closed = chain.close()  # type: ignore[attr-defined]  # both chains have close()
        if inspect.isawaitable(closed):
            await closed


async def _refuse_lost_database(
    settings: Settings, platform: Platform, records: Records, *, new_custody: bool
) -> None:
    """Custody holds assets the database knows nothing of: the database was lost or replaced."""
    if records.pins or records.in_use or new_custody:
        return
    if settings.embedded_chain and not has_chain_state(settings):
        return  # no chain yet: nothing can be held
    if await _custody_holds_assets(settings, platform):
        where = chain_state_file(settings.data_dir) if settings.embedded_chain else "the cluster"
        raise PlatformSetupError(
            f"the custody wallet {platform.custody_owner} holds assets on {where} but the "
            "database records nothing of this platform: restore the database from its backup "
            "(or, to start over, use a new empty data dir and database)."
        )


async def init_platform(settings: Settings) -> InitReport:
    """Create the platform keys on a new data dir, set up the embedded chain and pin the custody
    wallet and mints in the database. Idempotent: on a complete platform it checks and changes
    nothing. The database must be migrated."""
    db = Database(settings.resolved_database_url)
    try:
        records = await read_records(db)
        chain_state = has_chain_state(settings)
        _refuse_unsafe_init(settings, records, chain_state)
        created = create_missing_keys(settings)
        platform = build_platform(settings)
        check_pins(settings, platform, records.pins)
        await _refuse_lost_database(
            settings, platform, records, new_custody="custody.json" in created
        )
        if not records.pins:
            # Pinned before the chain is set up: a crash in between leaves a state this
            # function completes on its next run.
            async with db.unit_of_work() as session:
                await write_pins(session, platform.pins)
        bootstrapped = settings.embedded_chain and not (chain_state and records.pins)
        if bootstrapped:
            chain = build_chain(settings)
            try:
                await prepare_chain(settings, chain, platform)
            finally:
                closed = chain.close()  # type: ignore[attr-defined]  # both chains have close()
                if inspect.isawaitable(closed):
                    await closed
    finally:
        await db.dispose()
    return InitReport(platform.pins["custody"], created, not records.pins, bootstrapped)
