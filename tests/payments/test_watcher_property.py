"""Random transfers thrown at the deposit watcher, mixed with honest deposits.

Amounts including 0, the wrong mint, many references at once, payments after expiry, strangers'
wallets and a 0-amount card transfer to a withdrawn card's deposit. Whatever the mix: every
honest deposit is credited in full, nothing is credited that custody did not receive (every
ledger liability is held on chain and every held token is owed: reconciliation, cards included,
is ok), and each 0-amount transfer is recorded as ignored.
"""

from __future__ import annotations

import asyncio
from contextlib import AsyncExitStack
from dataclasses import dataclass, field
from datetime import timedelta
from decimal import Decimal
from typing import Any

import httpx
from fastapi import FastAPI
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st
from solders.keypair import Keypair
from solders.pubkey import Pubkey

from ece.chain.tokens import spl
from ece.config import Settings
from ece.core.clock import clock
from ece.payments import jobs
from tests.builders import SignedInUser, api_client, make_admin, served, sign_in
from tests.chain.chain_builders import send
from tests.payments.support import DECIMALS, admin_get, faucet, open_deposit
from tests.payments.test_cards import user_with_card

# (kind, asset, amount in base units, how many open references to carry, sender index)
Action = tuple[str, str, int, int, int]

actions = st.lists(
    st.tuples(
        st.sampled_from(["honest", "stray", "zero", "wrong_mint", "late", "card_zero", "watch"]),
        st.sampled_from(["USDC", "ECE"]),
        st.integers(min_value=1, max_value=3_000_000),
        st.integers(min_value=0, max_value=12),
        st.integers(min_value=0, max_value=2),
    ),
    min_size=1,
    max_size=6,
)


@dataclass
class World:
    app: FastAPI
    client: httpx.AsyncClient
    admin: SignedInUser
    users: list[SignedInUser]
    stranger: Keypair
    card_deposit: dict[str, Any]
    card_owner: Keypair
    card_mint: Pubkey
    honest: list[tuple[SignedInUser, dict[str, Any], int]] = field(default_factory=list)
    open_refs: list[Pubkey] = field(default_factory=list)
    zero_sent: int = 0


async def transfer(
    world: World, payer: Keypair, asset: str, amount: int, references: list[Pubkey]
) -> None:
    platform = world.app.state.services.platform
    mint = platform.mints[asset]
    instruction = spl.transfer_checked(
        source=spl.get_associated_token_address(payer.pubkey(), mint),
        mint=mint,
        destination=platform.custody_token_account(asset),
        owner=payer.pubkey(),
        amount=amount,
        decimals=DECIMALS[asset],
        references=references,
    )
    await send(world.app.state.services.chain, [instruction], payer)


async def act(world: World, action: Action) -> None:
    kind, asset, amount, n_refs, who = action
    user = world.users[who % len(world.users)]
    payer = world.stranger if who == 2 else user.keypair
    refs = world.open_refs[-n_refs:] if n_refs else []
    if kind == "honest":
        text = format(Decimal(amount).scaleb(-DECIMALS[asset]), "f")
        deposit = await open_deposit(world.client, user, asset, text)
        world.open_refs.append(Pubkey.from_string(deposit["reference"]))
        await transfer(world, user.keypair, asset, amount, [world.open_refs[-1]])
        world.honest.append((user, deposit, amount))
    elif kind == "stray":  # a real payment carrying others' references, or none
        await transfer(world, payer, asset, amount, refs)
    elif kind == "zero":
        await transfer(world, payer, asset, 0, refs)
        world.zero_sent += 1
    elif kind == "wrong_mint":
        deposit = await open_deposit(world.client, user, "USDC", "1")
        world.open_refs.append(Pubkey.from_string(deposit["reference"]))
        await transfer(world, payer, "ECE", amount, [world.open_refs[-1]])
    elif kind == "late":
        deposit = await open_deposit(world.client, user, asset, "1")
        clock.advance(timedelta(seconds=world.app.state.services.settings.deposit_ttl_seconds + 1))
        await jobs.watch_deposits(world.app.state.services)
        await transfer(world, payer, asset, amount, [Pubkey.from_string(deposit["reference"])])
    elif kind == "card_zero":
        await card_zero(world)
        world.zero_sent += 1
    else:
        await jobs.watch_deposits(world.app.state.services)


async def card_zero(world: World) -> None:
    instruction = spl.transfer_checked(
        source=spl.get_associated_token_address(
            world.card_owner.pubkey(), world.card_mint, spl.TOKEN_2022_PROGRAM_ID
        ),
        mint=world.card_mint,
        destination=spl.get_associated_token_address(
            world.app.state.services.platform.custody_owner,
            world.card_mint,
            spl.TOKEN_2022_PROGRAM_ID,
        ),
        owner=world.card_owner.pubkey(),
        amount=0,
        decimals=0,
        token_program=spl.TOKEN_2022_PROGRAM_ID,
        references=[Pubkey.from_string(world.card_deposit["reference"])],
    )
    await send(world.app.state.services.chain, [instruction], world.card_owner)


async def check(world: World) -> None:
    await jobs.watch_deposits(world.app.state.services)
    shown: dict[str, dict[str, Any]] = {}
    for user in world.users:
        params: dict[str, Any] = {"limit": 200}
        while True:
            page = (
                await world.client.get("/api/v1/deposits", params=params, headers=user.headers)
            ).json()
            shown.update({d["id"]: d for d in page["items"]})
            if page["next_cursor"] is None:
                break
            params["cursor"] = page["next_cursor"]
    for _user, deposit, amount in world.honest:
        found = shown[deposit["id"]]
        assert found["status"] == "credited", found
        # Strays may carry its reference too (and add to it), never take from it.
        paid = int(Decimal(found["received_amount"]).scaleb(DECIMALS[deposit["asset"]]))
        assert paid >= amount, (found, amount)
    report = await admin_get(world.client, world.admin, "/api/v1/admin/reconciliation")
    assert report["ok"] is True, report
    assert report["cards"]["expected_in_custody"] == report["cards"]["held_by_custody"]
    card = (await world.client.get(f"/api/v1/cards/{world.card_deposit['card_id']}")).json()
    assert card["status"] == "withdrawn"
    ignored = await admin_get(
        world.client, world.admin, "/api/v1/admin/deposit-receipts?outcome=ignored&limit=100"
    )
    assert sum(r["reason"] == "zero_amount" for r in ignored["items"]) == world.zero_sent


async def build_world(stack: AsyncExitStack, settings: Settings) -> World:
    app = await stack.enter_async_context(served(settings))
    client = await stack.enter_async_context(api_client(app))
    users = [await sign_in(client), await sign_in(client)]
    stranger = Keypair()
    for address in (*(u.address for u in users), str(stranger.pubkey())):
        for asset, amount in (("SOL", "5"), ("USDC", "1000"), ("ECE", "1000")):
            await faucet(client, users[0], asset, amount, address=address)
    owner, card = await user_with_card(client, app)
    await faucet(client, owner, "SOL", "1")
    created = await client.post(
        "/api/v1/withdrawals",
        json={"asset": "CARD", "card_id": card["id"], "destination": owner.address},
        headers=owner.headers,
    )
    assert created.status_code == 201, created.text
    await jobs.send_withdrawals(app.state.services)
    deposit = await client.post(
        "/api/v1/deposits", json={"asset": "CARD", "card_id": card["id"]}, headers=owner.headers
    )
    assert deposit.status_code == 201, deposit.text
    return World(
        app=app,
        client=client,
        admin=await make_admin(client, app),
        users=users,
        stranger=stranger,
        card_deposit=dict(deposit.json()),
        card_owner=owner.keypair,
        card_mint=Pubkey.from_string(card["mint"]),
    )


def test_random_transfers_credit_only_what_custody_received(settings: Settings) -> None:
    with asyncio.Runner() as runner:
        stack = AsyncExitStack()
        # Shrinking replays many examples in a minute: the rate limits are not under test here.
        quiet = settings.model_copy(update={"rate_limit_enabled": False})
        world = runner.run(build_world(stack, quiet))
        try:

            @hypothesis_settings(
                max_examples=20,
                derandomize=True,
                database=None,
                deadline=None,
                suppress_health_check=[HealthCheck.too_slow],
            )
            @given(plan=actions)
            def run(plan: list[Action]) -> None:
                # The world carries over between examples: every example adds to one history,
                # and the invariants hold for the whole of it.
                for action in plan:
                    runner.run(act(world, action))
                runner.run(check(world))

            run()
        finally:
            clock.reset()
            runner.run(stack.aclose())
