"""The platform's identity on chain: created once by ``ece init``, checked at every start.

A custody wallet that silently changes sends deposits to a new, empty wallet while the ledger
still owes every balance; a new chain under the same keys holds none of the deposits. So keys
and the embedded chain are created only by an explicit ``ece init`` on a data dir that holds
nothing yet; ``ece init`` pins the custody wallet, the mints and the chain's genesis hash in the
database; and a server (``ece serve``, ``ece worker``, ``create_app``) refuses to start when a
key, the embedded chain state or the pins are missing or disagree with the chain it reaches.
"""

from __future__ import annotations

from dataclasses import dataclass

import structlog

from ece.audit import service as audit
from ece.cards import service as cards
from ece.chain.embedded.litesvm import chain_state_file
from ece.chain.pins import read_pins, write_pins
from ece.chain.platform import Platform, PlatformSetupError, key_file_names
from ece.chain.protocol import Chain, ChainError
from ece.chain.setup import (
    build_chain,
    build_platform,
    create_keys,
    has_chain_state,
    missing_key_files,
    prepare_chain,
)
from ece.chain.tokens import spl
from ece.compliance import service as compliance
from ece.config import Settings
from ece.core.db import Database
from ece.core.money import Asset
from ece.ledger import service as ledger
from ece.payments import service as payments

# The pin holding the chain's genesis hash: the platform runs on that chain only.
GENESIS = "genesis"

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


def _where(settings: Settings) -> str:
    if settings.embedded_chain:
        return f"the embedded chain {chain_state_file(settings.data_dir)}"
    return f"the chain at ECE_SOLANA_RPC_URL ({settings.solana_rpc_url})"


async def _genesis_hash(settings: Settings, chain: Chain) -> str:
    try:
        return await chain.get_genesis_hash()
    except ChainError as exc:
        raise PlatformSetupError(f"cannot check the identity of {_where(settings)}: {exc}") from exc


async def check_mints(settings: Settings, chain: Chain, platform: Platform) -> None:
    """Every mint exists on this chain; on the embedded one, with the platform's authority as
    its mint authority."""
    for asset in Asset:
        mint = platform.mint(asset)
        try:
            account = await chain.get_account_info(mint)
        except ChainError as exc:
            raise PlatformSetupError(f"cannot read {_where(settings)}: {exc}") from exc
        data = b"" if account is None else bytes(account.data)
        if account is None or not spl.is_mint(data, account.owner):
            raise PlatformSetupError(
                f"the {asset.value} mint {mint} does not exist on {_where(settings)}: this is "
                "not the platform's chain. Restore the chain state from its backup or point the "
                "settings at the platform's own chain."
            )
        if not settings.embedded_chain:
            continue  # a real cluster's mints (USDC) answer to their issuer, not to us
        authority = spl.decode_mint(data).mint_authority
        if authority != platform.authority.pubkey():
            raise PlatformSetupError(
                f"the {asset.value} mint {mint} on {_where(settings)} has mint authority "
                f"{authority}, not the platform's authority {platform.authority.pubkey()}: "
                "restore keys/authority.json from its backup."
            )


async def check_chain(
    settings: Settings, chain: Chain, platform: Platform, pins: dict[str, str]
) -> None:
    """The chain is the one ``ece init`` pinned (same genesis hash) and holds the mints."""
    pinned = pins.get(GENESIS)
    if pinned is None:
        raise PlatformSetupError(
            "the database has not pinned the chain's identity (its genesis hash): run "
            "`ece init`, which checks the chain holds the platform's mints and pins it."
        )
    genesis = await _genesis_hash(settings, chain)
    if genesis != pinned:
        raise PlatformSetupError(
            f"{_where(settings)} is another chain (genesis hash {genesis}) than the one the "
            f"database pinned ({pinned}): restore the platform's chain state from its backup, "
            "or point ECE_SOLANA_RPC_URL at the platform's own cluster."
        )
    await check_mints(settings, chain, platform)


async def check_on_start(
    settings: Settings, db: Database, platform: Platform, chain: Chain
) -> None:
    """Refuse to serve unless the database pinned exactly these keys and this chain."""
    records = await read_records(db)
    if not records.pins and records.in_use:
        raise PlatformSetupError(
            "the database holds ledger entries or cards but pins no custody wallet (a database "
            "from before pins, or restored from an old backup): run `ece init`, which pins the "
            "keys only once the chain's custody holds what the ledger owes."
        )
    if not records.pins:
        raise PlatformSetupError(
            "the database records no platform custody wallet: run `ece init` first (it checks "
            "the keys and pins the custody wallet and mints in the database)."
        )
    check_pins(settings, platform, records.pins)
    await check_chain(settings, chain, platform, records.pins)


async def verify_platform(settings: Settings) -> None:
    """What a server checks at start, on its own (the CLI runs it before serving)."""
    platform = build_platform(settings)
    chain = build_chain(settings)
    db = Database(settings.resolved_database_url)
    try:
        await check_on_start(settings, db, platform, chain)
    finally:
        await db.dispose()
        await chain.close()


def _create_keys_if_new(settings: Settings, records: Records, chain_state: bool) -> list[str]:
    """All keys or none: only a keys dir holding no key file on a platform with no records
    gets new keys; a partial one lost files that only a backup can bring back."""
    missing = missing_key_files(settings)
    if not missing:
        return []
    present = [n for n in key_file_names(embedded=settings.embedded_chain) if n not in missing]
    found = [
        what
        for what, there in (
            ("key files " + ", ".join(present), bool(present)),
            ("pinned custody", bool(records.pins)),
            ("ledger entries or cards", records.in_use),
            ("chain state", chain_state),
        )
        if there
    ]
    if found:
        folder = settings.resolved_keys_dir.name
        lost = " and ".join(f"{folder}/{name}" for name in missing)
        raise PlatformSetupError(
            f"refusing to create platform keys: this platform already has {'; '.join(found)}; "
            f"but {lost} is missing: restore {lost} from backup (new keys would make a new, "
            "empty custody wallet)."
        )
    return create_keys(settings)


async def _custody_holds_assets(chain: Chain, platform: Platform) -> bool:
    for program in spl.TOKEN_PROGRAMS:
        held = await chain.get_token_accounts_by_owner(platform.custody_owner, program_id=program)
        if any(account.amount for account in held):
            return True
    return False


async def _refuse_lost_database(settings: Settings, chain: Chain, platform: Platform) -> None:
    """Custody holds assets the database knows nothing of: the database was lost or replaced."""
    if await _custody_holds_assets(chain, platform):
        where = chain_state_file(settings.data_dir) if settings.embedded_chain else "the cluster"
        raise PlatformSetupError(
            f"the custody wallet {platform.custody_owner} holds assets on {where} but the "
            "database records nothing of this platform: restore the database from its backup "
            "(or, to start over, use a new empty data dir and database)."
        )


async def _refuse_short_custody(
    settings: Settings, db: Database, chain: Chain, platform: Platform
) -> None:
    """A database that already recorded value is pinned to these keys only if their custody
    holds at least what its ledger owes and every card it counts in custody."""
    await check_mints(settings, chain, platform)
    result = await payments.reconcile(db, chain, platform)
    short = [
        f"{a.asset.value}: ledger owes {a.ledger_liabilities}, custody holds {a.onchain_custody}"
        for a in result.assets
        if a.onchain_custody < a.ledger_liabilities
    ]
    if result.cards.missing:
        short.append(f"cards: {len(result.cards.missing)} in custody per the database, not held")
    if short:
        raise PlatformSetupError(
            f"refusing to pin custody wallet {platform.custody_owner} on {_where(settings)}: it "
            f"does not hold what the database owes ({'; '.join(short)}). Restore this "
            "platform's own keys and chain state from their backup."
        )


async def _adopt_chain(
    settings: Settings, db: Database, chain: Chain, platform: Platform, records: Records
) -> bool:
    """Check (and on a new platform set up) the chain before pinning it; True if set up."""
    if records.pins or records.in_use:
        await _refuse_short_custody(settings, db, chain, platform)
        return False
    await _refuse_lost_database(settings, chain, platform)
    if not settings.embedded_chain:
        await check_mints(settings, chain, platform)
        return False
    await prepare_chain(settings, chain, platform)
    return True


async def init_platform(settings: Settings) -> InitReport:
    """Create the platform keys and the embedded chain on a new data dir, then pin the custody
    wallet, mints and chain identity in the database. Idempotent: on a complete platform it
    checks and changes nothing. The database must be migrated."""
    db = Database(settings.resolved_database_url)
    try:
        records = await read_records(db)
        chain_state = has_chain_state(settings)
        created = _create_keys_if_new(settings, records, chain_state)
        created += compliance.create_development_key(settings)  # outside production only
        platform = build_platform(settings)
        check_pins(settings, platform, records.pins)
        new_chain = settings.embedded_chain and not chain_state
        if new_chain and (records.pins or records.in_use):
            refuse_missing_chain_state(settings)
        chain = build_chain(settings, create=new_chain)
        try:
            if GENESIS in records.pins:
                await check_chain(settings, chain, platform, records.pins)
                return InitReport(platform.pins["custody"], created, False, False)
            bootstrapped = await _adopt_chain(settings, db, chain, platform, records)
            pins = {**platform.pins, GENESIS: await _genesis_hash(settings, chain)}
            # Pinned last: a crash before leaves a state the next ``ece init`` completes.
            async with db.unit_of_work() as session:
                await write_pins(session, pins)
                await audit.record(
                    session,
                    actor=audit.OPERATOR,
                    action="platform.initialized",
                    object_type="platform",
                    object_id=platform.pins["custody"],
                    details={"pins": pins, "created_keys": created, "bootstrapped": bootstrapped},
                )
        finally:
            await chain.close()
    finally:
        await db.dispose()
    return InitReport(platform.pins["custody"], created, True, bootstrapped)
