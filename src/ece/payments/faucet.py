"""Chain facts for clients, and the development faucet (embedded chain, development/test only)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from solders.pubkey import Pubkey
from solders.signature import Signature

from ece.chain.platform import Platform, send_instructions
from ece.chain.protocol import Chain
from ece.chain.tokens import spl
from ece.config import Settings
from ece.core.errors import NotFound, Unprocessable
from ece.core.money import Asset
from ece.payments.solana_pay import InvalidAddress, parse_address

FaucetAsset = Literal["ECE", "USDC", "SOL"]
SOL_DECIMALS = 9


@dataclass(frozen=True, slots=True)
class ChainInfo:
    cluster: str
    rpc_url: str
    mints: dict[Asset, Pubkey]
    custody: Pubkey


def chain_info(settings: Settings, platform: Platform) -> ChainInfo:
    if settings.embedded_chain:
        cluster, rpc_url = "embedded", f"{settings.uri}/rpc"
    else:
        assert settings.solana_rpc_url is not None
        cluster, rpc_url = settings.solana_cluster, settings.solana_rpc_url
    return ChainInfo(cluster, rpc_url, dict(platform.mints), platform.custody_owner)


def faucet_enabled(settings: Settings) -> bool:
    return settings.embedded_chain and not settings.is_deployed


def require_faucet(settings: Settings) -> None:
    if not faucet_enabled(settings):
        # 404, not 403: in production the faucet does not exist.
        raise NotFound("There is no faucet here.", code="not_found")


async def refuse_custody(chain: Chain, platform: Platform, address: Pubkey) -> None:
    """422 ``invalid_address`` for custody's wallet or any token account custody owns: minted
    there, the tokens would be custody's with no one owed them (reconciliation off for good)."""
    if address not in platform.custody_addresses():
        account = await chain.get_account_info(address)
        if account is None or not spl.is_token_account(bytes(account.data), account.owner):
            return
        if spl.decode_token_account(bytes(account.data)).owner != platform.custody_owner:
            return
    raise Unprocessable("address: that is the platform's custody.", code="invalid_address")


async def drip(
    chain: Chain, platform: Platform, address: Pubkey, asset: FaucetAsset, amount: int
) -> Signature:
    """Put ``amount`` base units of ``asset`` in ``address``'s wallet on chain (not the ledger):
    SOL by airdrop, ECE and USDC minted by the platform's mint authority. Callers taking an
    address from outside refuse custody first (``refuse_custody``)."""
    if asset == "SOL":
        return await chain.request_airdrop(address, amount)
    mint = platform.mint(Asset(asset))
    return await send_instructions(
        chain,
        [
            spl.create_associated_token_account_idempotent(
                payer=platform.custody_owner, owner=address, mint=mint
            ),
            spl.mint_to(
                mint=mint,
                destination=spl.get_associated_token_address(address, mint),
                mint_authority=platform.authority.pubkey(),
                amount=amount,
            ),
        ],
        [platform.authority],
        platform.custody,
    )


async def faucet_drip(
    settings: Settings,
    chain: Chain,
    platform: Platform,
    address_text: str,
    asset: FaucetAsset,
    amount: int,
) -> tuple[Pubkey, Signature]:
    """The faucet as the API offers it: 404 unless enabled, 422 ``invalid_address`` for text
    that is no address or is custody's; returns the address and the drip's signature."""
    require_faucet(settings)
    try:
        address = parse_address(address_text)
    except InvalidAddress as exc:
        raise Unprocessable(f"address: {exc}.", code="invalid_address") from exc
    await refuse_custody(chain, platform, address)
    return address, await drip(chain, platform, address, asset, amount)
