"""Which chain the app talks to, and the platform wallets on it, from settings."""

from __future__ import annotations

from solders.pubkey import Pubkey

from ece.chain.base import Chain
from ece.chain.litesvm import LiteSvmChain
from ece.chain.platform import Platform, bootstrap_embedded, load_or_create_keypair
from ece.chain.rpc_client import RpcChain
from ece.config import Settings
from ece.core.clock import clock
from ece.core.money import Asset


def build_chain(settings: Settings) -> Chain:
    if settings.solana_rpc_url:
        return RpcChain(settings.solana_rpc_url, cluster=settings.solana_cluster)
    return LiteSvmChain(settings.data_dir, now=clock.now)


def build_platform(settings: Settings) -> Platform:
    keys = settings.resolved_keys_dir
    if settings.embedded_chain:
        return Platform.load(keys)
    assert settings.ece_mint and settings.usdc_mint  # checked by Settings
    return Platform(
        custody=load_or_create_keypair(keys / "custody.json"),
        authority=load_or_create_keypair(keys / "authority.json"),
        mints={
            Asset.ECE: Pubkey.from_string(settings.ece_mint),
            Asset.USDC: Pubkey.from_string(settings.usdc_mint),
        },
    )


async def prepare_chain(settings: Settings, chain: Chain, platform: Platform) -> None:
    """Create what the embedded chain lacks on first start; a real cluster is set up by ops."""
    if settings.embedded_chain:
        await bootstrap_embedded(chain, platform, settings.resolved_keys_dir)
