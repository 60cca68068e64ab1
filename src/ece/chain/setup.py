"""Which chain the app talks to, and the platform wallets on it, from settings."""

from __future__ import annotations

from solders.pubkey import Pubkey

from ece.chain.embedded.litesvm import LiteSvmChain, chain_state_file
from ece.chain.platform import (
    Platform,
    bootstrap_embedded,
    create_keypair,
    key_file_names,
    load_keypair,
)
from ece.chain.protocol import Chain
from ece.chain.rpc_client import RpcChain
from ece.chain.sealing import KeySealing
from ece.config import Settings
from ece.core.clock import clock
from ece.core.money import Asset


def build_chain(settings: Settings, *, create: bool = False) -> Chain:
    """The chain of ``settings``. The embedded one must already exist unless ``create`` (only
    ``ece init`` on a new data dir), and this process holds its lock until ``close``."""
    if settings.solana_rpc_url:
        return RpcChain(settings.solana_rpc_url, cluster=settings.solana_cluster)
    return LiteSvmChain(settings.data_dir, now=clock.now, create=create)


def has_chain_state(settings: Settings) -> bool:
    """Whether the embedded chain was ever opened in the data dir (False on a real cluster)."""
    return settings.embedded_chain and chain_state_file(settings.data_dir).exists()


def missing_key_files(settings: Settings) -> list[str]:
    keys = settings.resolved_keys_dir
    return [
        name
        for name in key_file_names(embedded=settings.embedded_chain)
        if not (keys / name).exists()
    ]


def key_sealing(settings: Settings) -> KeySealing:
    """Key files sealed under ``ECE_SECRET_KEY``; plain ones refused in production."""
    return KeySealing(settings.secret_key, refuse_plain=settings.is_deployed)


def create_keys(settings: Settings) -> list[str]:
    """Create every platform key (``ece init`` on a keys dir holding none of them), sealed;
    their names."""
    names = key_file_names(embedded=settings.embedded_chain)
    for name in names:
        create_keypair(settings.resolved_keys_dir / name, key_sealing(settings))
    return names


def build_platform(settings: Settings) -> Platform:
    """The platform's keys from the keys dir; raises ``PlatformSetupError`` when one is missing."""
    keys = settings.resolved_keys_dir
    sealing = key_sealing(settings)
    if settings.embedded_chain:
        return Platform.load(keys, sealing)
    assert settings.ece_mint and settings.usdc_mint  # checked by Settings
    return Platform(
        custody=load_keypair(keys / "custody.json", sealing),
        authority=load_keypair(keys / "authority.json", sealing),
        mints={
            Asset.ECE: Pubkey.from_string(settings.ece_mint),
            Asset.USDC: Pubkey.from_string(settings.usdc_mint),
        },
    )


async def prepare_chain(settings: Settings, chain: Chain, platform: Platform) -> None:
    """Create what the embedded chain lacks (``ece init``); a real cluster is set up by ops."""
    if settings.embedded_chain:
        await bootstrap_embedded(chain, platform, settings.resolved_keys_dir, key_sealing(settings))
