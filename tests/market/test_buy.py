"""Buying a listing: the card and the money change hands at once, fee and royalty included."""

from __future__ import annotations

import asyncio

import httpx
from fastapi import FastAPI
from sqlalchemy import select

from ece.core.clock import clock
from ece.core.money import Asset, parse_amount
from ece.ledger import service as ledger
from ece.ledger.models import LedgerAccount, OwnerType
from ece.settlement.service import FEE_SHARDS
from tests.builders import SignedInUser, recorded_commits, recorded_statements, sign_in
from tests.market.support import (
    account_total,
    buyer,
    card_row,
    events,
    fresh_listing,
    fund,
    ledger_ok,
    list_card,
    minted_card,
    open_market,
    platform_fees,
    quick_card,
    sale_events,
    usdc,
    user_balance,
)


async def test_a_buy_moves_card_price_fee_and_royalty_together(
    app: FastAPI, client: httpx.AsyncClient
) -> None:
    market = await open_market(client, app)
    seller = await sign_in(client)
    card_id = await minted_card(client, market, seller)
    listing = await list_card(client, seller, card_id, "25")
    alice = await buyer(client, app, "100")

    response = await client.post(
        f"/api/v1/listings/{listing['id']}/buy", headers=alice.headers, json={}
    )

    assert response.status_code == 201, response.text
    trade = response.json()
    # 2.5% fee and 5% royalty of 25, both exact; the seller gets the rest.
    assert (trade["price"], trade["fee"], trade["royalty"], trade["seller_receives"]) == (
        "25",
        "0.625",
        "1.25",
        "23.125",
    )
    assert trade["currency"] == "USDC" and trade["source"] == "listing"
    assert trade["buyer"] == {"kind": "user", "id": alice.user["id"], "address": alice.address}
    assert trade["seller"]["address"] == seller.address
    assert (await user_balance(app, alice.user["id"])).available == usdc("75")
    assert (await user_balance(app, seller.user["id"])).available == usdc("23.125")
    assert await platform_fees(app) == usdc("0.625")
    royalties = await account_total(
        app, OwnerType.company, market.company_id, Asset.USDC, "royalties"
    )
    assert royalties == usdc("1.25")

    card = (await client.get(f"/api/v1/cards/{card_id}")).json()
    assert card["status"] == "available"
    assert (await card_row(app, card_id)).owner_user_id == alice.user["id"]
    assert await sale_events(app, card_id) == 1
    shown = (await client.get(f"/api/v1/listings/{listing['id']}")).json()
    assert shown["status"] == "filled"
    executed = await events(app, "trade.executed")
    assert [e.aggregate_id for e in executed] == [trade["trade_id"]]
    assert await ledger_ok(app)


async def test_refusals_are_clean_409s_and_change_nothing(
    app: FastAPI, client: httpx.AsyncClient
) -> None:
    market = await open_market(client, app)
    seller = await buyer(client, app, "100")
    card_id = await quick_card(app, market.company_id, seller.user["id"])
    listing = await list_card(client, seller, card_id, "25")
    buy = f"/api/v1/listings/{listing['id']}/buy"

    own = await client.post(buy, headers=seller.headers)
    assert (own.status_code, own.json()["code"]) == (409, "own_listing")
    assert own.headers["content-type"] == "application/problem+json"

    poor = await buyer(client, app, "24.99")
    broke = await client.post(buy, headers=poor.headers)
    assert (broke.status_code, broke.json()["code"]) == (409, "insufficient_funds")
    # Plain words for the whole price (not the first leg of the sale), no internal ids.
    assert (broke.json()["missing"], broke.json()["asset"]) == ("0.01", "USDC")
    assert broke.json()["detail"] == (
        "Not enough USDC available: you need 0.01 USDC more. Add funds to continue."
    )
    assert (await user_balance(app, poor.user["id"])).available == usdc("24.99")
    assert (await client.get(f"/api/v1/listings/{listing['id']}")).json()["status"] == "active"
    assert (await card_row(app, card_id)).lock_ref == listing["id"]

    assert (
        await client.delete(f"/api/v1/listings/{listing['id']}", headers=seller.headers)
    ).status_code == 200
    rich = await buyer(client, app, "100")
    gone = await client.post(buy, headers=rich.headers)
    assert (gone.status_code, gone.json()["code"]) == (409, "listing_unavailable")
    missing = await client.post("/api/v1/listings/nope/buy", headers=rich.headers)
    assert (missing.status_code, missing.json()["code"]) == (404, "listing_not_found")
    assert (await user_balance(app, rich.user["id"])).available == usdc("100")
    assert await events(app, "trade.executed") == []


async def test_max_price_guards_against_a_raise(app: FastAPI, client: httpx.AsyncClient) -> None:
    market = await open_market(client, app)
    seller = await sign_in(client)
    card_id = await quick_card(app, market.company_id, seller.user["id"])
    listing = await list_card(client, seller, card_id, "25")
    raised = await client.patch(
        f"/api/v1/listings/{listing['id']}", json={"price": "40"}, headers=seller.headers
    )
    assert raised.status_code == 200 and raised.json()["price"] == "40"
    alice = await buyer(client, app, "100")
    buy = f"/api/v1/listings/{listing['id']}/buy"

    refused = await client.post(buy, json={"max_price": "25"}, headers=alice.headers)
    assert (refused.status_code, refused.json()["code"]) == (409, "price_above_max")
    assert (refused.json()["price"], refused.json()["currency"]) == ("40", "USDC")
    assert refused.json()["detail"] == "The price changed to 40 USDC since you opened the page."
    bad = await client.post(buy, json={"max_price": "25.0000001"}, headers=alice.headers)
    assert (bad.status_code, bad.json()["code"]) == (422, "invalid_amount")
    assert (await user_balance(app, alice.user["id"])).available == usdc("100")

    ok = await client.post(buy, json={"max_price": "40"}, headers=alice.headers)
    assert ok.status_code == 201 and ok.json()["price"] == "40"


async def a_10_usdc_listing_and_its_buyer(
    app: FastAPI, client: httpx.AsyncClient, funds: str
) -> tuple[SignedInUser, str]:
    """A card listed at 10 USDC, and a buyer holding ``funds``: the buyer and the buy URL."""
    listing = await fresh_listing(client, app, "10")
    return await buyer(client, app, funds), f"/api/v1/listings/{listing['id']}/buy"


async def test_a_repeated_idempotency_key_replays_the_trade_and_charges_once(
    app: FastAPI, client: httpx.AsyncClient
) -> None:
    alice, buy = await a_10_usdc_listing_and_its_buyer(app, client, "100")
    headers = {**alice.headers, "Idempotency-Key": "buy-once"}

    first = await client.post(buy, headers=headers)
    again = await client.post(buy, headers=headers)

    assert first.status_code == again.status_code == 201
    assert again.json() == first.json()
    assert again.headers.get("Idempotent-Replayed") == "true"
    assert (await user_balance(app, alice.user["id"])).available == usdc("90")


async def test_a_primary_sale_pays_the_company_less_the_fee_and_no_royalty(
    app: FastAPI, client: httpx.AsyncClient
) -> None:
    market = await open_market(client, app)
    card_id = await minted_card(client, market, None)  # issuer inventory
    listing = await list_card(client, market.admin, card_id, "1000", "ECE")
    assert listing["seller"] == {"kind": "issuer", "id": market.company_id, "address": None}
    alice = await sign_in(client)
    await fund(app, alice.user["id"], "1000", Asset.ECE)

    response = await client.post(f"/api/v1/listings/{listing['id']}/buy", headers=alice.headers)

    assert response.status_code == 201, response.text
    trade = response.json()
    assert (trade["fee"], trade["royalty"], trade["seller_receives"]) == ("25", "0", "975")
    sales = await account_total(app, OwnerType.company, market.company_id, Asset.ECE, "sales")
    royalties = await account_total(
        app, OwnerType.company, market.company_id, Asset.ECE, "royalties"
    )
    assert (sales, royalties) == (parse_amount("975", Asset.ECE), 0)
    assert await platform_fees(app, Asset.ECE) == parse_amount("25", Asset.ECE)
    assert (await card_row(app, card_id)).owner_user_id == alice.user["id"]
    assert await ledger_ok(app)


async def test_odd_prices_split_exactly(app: FastAPI, client: httpx.AsyncClient) -> None:
    market = await open_market(client, app)
    seller = await sign_in(client)
    alice = await buyer(client, app, "1")
    await fund(app, alice.user["id"], "1000000", Asset.ECE)
    app.state.services.settings.kyc_limit_none_usdc = ""  # 100,000 USDC-equivalent: no KYC cap
    cheap = await quick_card(app, market.company_id, seller.user["id"])
    big = await quick_card(app, market.company_id, seller.user["id"])
    one_unit = await list_card(client, seller, cheap, "0.000001", "USDC")
    million = await list_card(client, seller, big, "1000000", "ECE")

    tiny = (
        await client.post(f"/api/v1/listings/{one_unit['id']}/buy", headers=alice.headers)
    ).json()
    large = (
        await client.post(f"/api/v1/listings/{million['id']}/buy", headers=alice.headers)
    ).json()

    # Both cuts of 1 base unit round down to 0: the seller gets the whole unit.
    assert (tiny["fee"], tiny["royalty"], tiny["seller_receives"]) == ("0", "0", "0.000001")
    assert (large["fee"], large["royalty"], large["seller_receives"]) == (
        "25000",
        "50000",
        "925000",
    )
    assert (await user_balance(app, seller.user["id"])).available == 1
    assert (await user_balance(app, seller.user["id"], Asset.ECE)).available == parse_amount(
        "925000", Asset.ECE
    )
    assert await ledger_ok(app)


async def test_a_buy_stays_within_its_statement_budget(
    app: FastAPI, client: httpx.AsyncClient
) -> None:
    """Each statement of a buy costs about a millisecond of worker CPU (bench/README.md): a
    change that adds round trips to the hottest write must say so here."""
    market = await open_market(client, app)
    seller = await sign_in(client)
    alice = await buyer(client, app, "100")
    *warm_up, measured = [
        await list_card(
            client, seller, await quick_card(app, market.company_id, seller.user["id"]), "5"
        )
        for _ in range(3)
    ]
    # Every platform revenue account exists and is known, as after a while in production...
    for _ in range(2):  # (the first pass creates them, the second learns they are committed)
        async with app.state.services.db.unit_of_work() as session:
            for shard in range(FEE_SHARDS):
                purpose = "fees" if shard == 0 else f"fees:{shard}"
                await ledger.account_for(session, OwnerType.platform, "ece", Asset.USDC, purpose)
    # ... and the first buys meet (and remember) the other accounts: the last is steady state.
    # The pause guard reads its table at most every ECE_PAUSE_REFRESH_S per process, not per
    # buy: the clock stands still so that amortised read stays out of the count.
    clock.freeze()
    url = "/api/v1/listings/{}/buy"
    for listing in warm_up:
        bought = await client.post(url.format(listing["id"]), headers=alice.headers, json={})
        assert bought.is_success
    with (
        recorded_statements(app.state.services.db) as statements,
        recorded_statements(app.state.services.db, driver=False) as through_sqlalchemy,
        recorded_commits(app.state.services.db) as commits,
    ):
        headers = {**alice.headers, "Idempotency-Key": "budget"}
        response = await client.post(url.format(measured["id"]), headers=headers, json={})
    assert response.status_code == 201, response.text
    verbs = [statement.split(None, 1)[0].upper() for statement in statements]
    work = [verb for verb in verbs if verb != "BEGIN"]  # SQLite opens its transactions by hand
    shown = "\n".join(" ".join(s.split())[:70] for s in statements)
    if app.state.services.db.is_sqlite:
        # Through SQLAlchemy: authenticate 1, claim 1, KYC purchase limit 1 (the buyer's 24 h
        # purchases), stored answer 1. The settlement is one hop to the driver's thread
        # (``settlement.one_hop``) running 9: listing 1 (its company's royalty and the seller's
        # wallet read in the same UPDATE), card move 1, accounts 1 (their balances), wash
        # check 1 (the card's earlier sales and any payment between the two users), history 1,
        # sale 1, ledger legs 1 (one INSERT), balances 1 (one UPDATE), the sale's one event 1.
        # Reads are 4 of all of them.
        sqlalchemy_work = [s for s in through_sqlalchemy if not s.upper().startswith("BEGIN")]
        assert len(sqlalchemy_work) <= 4, shown
        assert len(work) - len(sqlalchemy_work) <= 9, shown
        assert work.count("SELECT") <= 4, work
        # One outbox event per sale: its trade.executed (no card.sale, no listing.filled).
        outbox = [s for s in statements if "INSERT INTO OUTBOX_EVENTS" in s.upper()]
        assert len(outbox) == 1, outbox
    else:
        # PostgreSQL settles in one call (``ece_settle_listing``, migration 0034): authenticate
        # 1, claim 1, KYC purchase limit 1, the settlement 1, stored answer 1.
        assert len(work) <= 5, shown
        [settle] = [s for s in statements if "ece_settle_listing" in s]
        assert "SELECT" in settle
        assert not any("OUTBOX_EVENTS" in s.upper() for s in statements), shown
    # The key is claimed in the buy's own transaction: one commit for everything.
    assert len(commits) == 1, commits


async def test_a_duplicate_sent_at_once_waits_and_replays_the_one_trade(
    app: FastAPI, client: httpx.AsyncClient
) -> None:
    alice, buy = await a_10_usdc_listing_and_its_buyer(app, client, "100")
    headers = {**alice.headers, "Idempotency-Key": "twice-at-once"}

    first, second = await asyncio.gather(
        client.post(buy, headers=headers), client.post(buy, headers=headers)
    )

    # The duplicate waited on the key's row and replays the answer: no 409, no second sale.
    assert first.status_code == second.status_code == 201, (first.text, second.text)
    assert first.json() == second.json()
    replayed = [r.headers.get("Idempotent-Replayed") for r in (first, second)]
    assert sorted(str(r) for r in replayed) == ["None", "true"]
    assert (await user_balance(app, alice.user["id"])).available == usdc("90")
    assert await ledger_ok(app)


async def test_a_refused_buy_leaves_its_key_free_for_a_retry(
    app: FastAPI, client: httpx.AsyncClient
) -> None:
    alice, buy = await a_10_usdc_listing_and_its_buyer(app, client, "4")
    headers = {**alice.headers, "Idempotency-Key": "retry-me"}

    refused = await client.post(buy, headers=headers)
    assert (refused.status_code, refused.json()["code"]) == (409, "insufficient_funds")
    await fund(app, alice.user["id"], "10")
    retried = await client.post(buy, headers=headers)

    assert retried.status_code == 201, retried.text
    assert retried.headers.get("Idempotent-Replayed") is None
    assert (await user_balance(app, alice.user["id"])).available == usdc("4")


async def test_fees_spread_over_the_platform_revenue_accounts_and_sum_up(
    app: FastAPI, client: httpx.AsyncClient
) -> None:
    market = await open_market(client, app)
    seller = await sign_in(client)
    alice = await buyer(client, app, "100")
    for _ in range(6):
        card_id = await quick_card(app, market.company_id, seller.user["id"])
        listing = await list_card(client, seller, card_id, "4")
        bought = await client.post(
            f"/api/v1/listings/{listing['id']}/buy", headers=alice.headers, json={}
        )
        assert bought.status_code == 201, bought.text
    async with app.state.services.db.unit_of_work(write=False) as session:
        credited = (
            await session.scalars(
                select(LedgerAccount.purpose).where(
                    LedgerAccount.owner_type == OwnerType.platform.value,
                    LedgerAccount.credits_posted > 0,
                )
            )
        ).all()
    # Six sales' fees (2.5 % of 4 each) land on more than one revenue account, all counted.
    assert len(set(credited)) > 1
    assert all(p == "fees" or p.startswith("fees:") for p in credited)
    assert await platform_fees(app) == 6 * usdc("0.1")
    assert await ledger_ok(app)
