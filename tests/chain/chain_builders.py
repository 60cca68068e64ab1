"""Plain builders for chain tests: a served embedded chain and token set-ups through `Chain`."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from fastapi import FastAPI
from solders.hash import Hash
from solders.instruction import Instruction
from solders.keypair import Keypair
from solders.message import MessageV0
from solders.pubkey import Pubkey
from solders.signature import Signature
from solders.transaction import VersionedTransaction

from ece.chain.embedded.litesvm import LiteSvmChain
from ece.chain.embedded.router import router
from ece.chain.platform import Platform
from ece.chain.protocol import Chain
from ece.chain.tokens import spl
from ece.config import Settings
from ece.controls.service import PauseCache
from ece.core.db import Database
from ece.core.money import Asset
from ece.core.pagecache import PageCache
from ece.core.ratelimit import RateLimiter
from ece.ledger.account_ids import AccountIdCache
from ece.runtime.deps import app_services, attach_services
from ece.runtime.services import Services
from tests.http_server import serve_over_http

SOL = 1_000_000_000


class ManualClock:
    """A clock the test moves by hand."""

    def __init__(self, start: datetime | None = None) -> None:
        self.current = start or datetime(2025, 1, 1, 12, 0, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.current

    def advance(self, seconds: float) -> None:
        self.current += timedelta(seconds=seconds)


def make_chain(data_dir: Path | None, clock: ManualClock | None = None) -> LiteSvmChain:
    return LiteSvmChain(data_dir, clock or ManualClock())


@dataclass
class ServedChain:
    app: FastAPI
    url: str
    chain_dir: Path | None

    @property
    def services(self) -> Services:
        return app_services(self.app)

    @property
    def chain(self) -> LiteSvmChain:
        chain = self.services.chain
        assert isinstance(chain, LiteSvmChain)
        return chain


def chain_node_services(chain: LiteSvmChain, data_dir: Path | None) -> Services:
    """A bare chain node's services: airdrops allowed, no rate limit, a database never opened,
    platform keys nobody holds (the endpoint uses neither)."""
    settings = Settings(env="test", data_dir=data_dir or Path("."))
    db = Database("sqlite+aiosqlite:///never-opened.db")
    return Services(
        settings=settings,
        db=db,
        account_ids=AccountIdCache(),
        chain=chain,
        platform=Platform(Keypair(), Keypair(), {asset: Keypair().pubkey() for asset in Asset}),
        rate_limiter=RateLimiter(None, enabled=False),
        listing_pages=PageCache("listings", None, max_age_seconds=0, max_bytes=0),
        pauses=PauseCache(db, refresh=timedelta(seconds=1)),
    )


@contextmanager
def serve_chain(chain: LiteSvmChain, data_dir: Path | None = None) -> Iterator[ServedChain]:
    """The router in a tiny app, over real HTTP on 127.0.0.1 and a free port."""
    app = FastAPI()
    app.include_router(router)
    attach_services(app, chain_node_services(chain, data_dir))
    with serve_over_http(app) as base:
        yield ServedChain(app, f"{base}/rpc", data_dir)


async def send(
    chain: Chain, instructions: list[Instruction], payer: Keypair, *signers: Keypair
) -> Signature:
    latest = await chain.get_latest_blockhash()
    message = MessageV0.try_compile(payer.pubkey(), instructions, [], latest.blockhash)
    tx = VersionedTransaction(message, [payer, *signers])
    signature = await chain.send_transaction(tx)
    await chain.confirm_transaction(
        signature, last_valid_block_height=latest.last_valid_block_height
    )
    return signature


async def funded_wallet(chain: Chain, lamports: int = 2 * SOL) -> Keypair:
    wallet = Keypair()
    signature = await chain.request_airdrop(wallet.pubkey(), lamports)
    await chain.confirm_transaction(signature)
    return wallet


@dataclass
class TokenSetup:
    mint: Pubkey
    decimals: int
    authority: Keypair
    alice: Keypair
    bob: Keypair
    alice_ata: Pubkey
    bob_ata: Pubkey
    program: Pubkey


async def make_token_setup(
    chain: Chain,
    *,
    decimals: int = 6,
    alice_amount: int = 5_000_000,
    program: Pubkey = spl.TOKEN_PROGRAM_ID,
) -> TokenSetup:
    """A mint, two wallets with associated token accounts, and `alice_amount` minted to Alice."""
    authority, alice, bob = await asyncio.gather(
        funded_wallet(chain), funded_wallet(chain), funded_wallet(chain)
    )
    mint = Keypair()
    rent = await chain.get_minimum_balance_for_rent_exemption(spl.MINT_LEN)
    alice_ata = spl.get_associated_token_address(alice.pubkey(), mint.pubkey(), program)
    bob_ata = spl.get_associated_token_address(bob.pubkey(), mint.pubkey(), program)
    instructions = [
        *spl.create_mint_instructions(
            payer=authority.pubkey(),
            mint=mint.pubkey(),
            decimals=decimals,
            mint_authority=authority.pubkey(),
            rent_lamports=rent,
            token_program=program,
        ),
        *(
            spl.create_associated_token_account_idempotent(
                payer=authority.pubkey(), owner=owner, mint=mint.pubkey(), token_program=program
            )
            for owner in (alice.pubkey(), bob.pubkey())
        ),
        spl.mint_to(
            mint=mint.pubkey(),
            destination=alice_ata,
            mint_authority=authority.pubkey(),
            amount=alice_amount,
            token_program=program,
        ),
    ]
    await send(chain, instructions, authority, mint)
    return TokenSetup(mint.pubkey(), decimals, authority, alice, bob, alice_ata, bob_ata, program)


def signed_transfer(
    setup: TokenSetup, amount: int, blockhash: Hash, *, reference: Pubkey | None = None
) -> VersionedTransaction:
    """Alice → Bob `transfer_checked`, optionally carrying a Solana Pay reference key."""
    instruction = spl.transfer_checked(
        source=setup.alice_ata,
        mint=setup.mint,
        destination=setup.bob_ata,
        owner=setup.alice.pubkey(),
        amount=amount,
        decimals=setup.decimals,
        token_program=setup.program,
        references=[] if reference is None else [reference],
    )
    message = MessageV0.try_compile(setup.alice.pubkey(), [instruction], [], blockhash)
    return VersionedTransaction(message, [setup.alice])
