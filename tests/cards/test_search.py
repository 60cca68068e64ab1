"""Catalog search: filters, trait ranges, sorts and cursors, facet counts and search-as-you-type,
against a brute-force count, on SQLite (FTS5) and PostgreSQL (tsvector, pg_trgm)."""

from __future__ import annotations

import asyncio
import random
import time
import uuid
from collections import Counter
from collections.abc import Sequence
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from hypothesis import HealthCheck, given
from hypothesis import settings as hsettings
from hypothesis import strategies as st
from sqlalchemy import delete, event, select, text

from ece.cards import facets as facets_module
from ece.cards import search_repository, service
from ece.cards.facets import estimate_total
from ece.cards.models import Card, SearchSuggestion
from ece.cards.rules import PRICE_BUCKET_BOUNDS, CardFilters, CardSort, Facet, Rarity
from ece.cards.search_repository import (
    add_card_names,
    query_trigrams,
    rarest_needed,
    rowid_bound,
    search_terms,
)
from ece.config import Settings
from ece.core.db import Database
from ece.core.errors import Unprocessable
from ece.core.money import Asset
from ece.core.pagination import PageParams
from tests.cards.search_builders import (
    Row,
    company_ids,
    day,
    expected_facets,
    matches,
    ordered,
    write_catalog,
)

WORDS = ["Quantum", "Orbit", "Grid", "Launch"]
stat = st.integers(0, 100)
row_strategy = st.builds(
    lambda company, word, rarity, stats, listed, sold, age: (
        company,
        word,
        rarity,
        stats,
        listed,
        sold,
        age,
    ),
    st.integers(0, 2),
    st.sampled_from(WORDS),
    st.sampled_from([r.value for r in Rarity]),
    st.tuples(stat, stat, stat, stat, stat),
    st.none() | st.tuples(st.sampled_from(["USDC", "ECE"]), st.integers(0, 20_000 * 10**9)),
    st.none() | st.integers(0, 5),
    st.integers(0, 3),  # few distinct ages: ties broken by id
)
maybe_stat = st.none() | stat
filter_strategy = st.fixed_dictionaries(
    {
        "rarity": st.none() | st.sampled_from(list(Rarity)),
        "listed": st.none() | st.booleans(),
        "currency": st.none() | st.sampled_from(list(Asset)),
        "sector": st.none() | st.sampled_from(["energy", "Technology", "Media"]),
        "q": st.none() | st.sampled_from(["quantum", "orb", "acme", "aur grid", "nordwind lau"]),
        "min_power": maybe_stat,
        "max_power": maybe_stat,
        "min_growth": maybe_stat,
        "max_influence": maybe_stat,
        "sort": st.sampled_from(list(CardSort)),
    }
)


def make_rows(specs: Sequence[tuple[Any, ...]]) -> list[Row]:
    rows = []
    for company, word, rarity, stats, listed, sold, age in specs:
        rows.append(
            Row(
                id=uuid.uuid4().hex,
                company=company,
                name=f"{word} Card",
                rarity=rarity,
                stats=stats,
                listed=listed,
                sold_at=None if sold is None else day(sold),
                created_at=day(age),
            )
        )
    return rows


def counts(buckets: Sequence[Any]) -> Counter[str]:
    return Counter({b.value: b.count for b in buckets})


async def check_catalog(url: str, rows: list[Row], wanted: dict[str, Any]) -> None:
    filters = CardFilters(**wanted)
    db = Database(url)
    inverted = any(lo is not None and hi is not None and lo > hi
                   for lo, hi in filters.stat_ranges().values())  # fmt: skip
    try:
        if inverted:  # refused before any query, with nothing changed
            async with db.unit_of_work(write=False) as session:
                with pytest.raises(Unprocessable) as refused:
                    await service.list_cards(session, filters, PageParams(3, None))
            assert refused.value.instance_code == "invalid_range"
            return
        async with db.unit_of_work() as session:
            await write_catalog(session, rows)
        expected = [r for r in rows if matches(r, filters)]
        async with db.unit_of_work(write=False) as session:
            # Every page, three at a time: the brute-force order, no card twice or missed.
            seen: list[str] = []
            cursor = None
            while True:
                page, cursor = await service.list_cards(session, filters, PageParams(3, cursor))
                seen += [card.id for card in page]
                if cursor is None:
                    break
            assert seen == [r.id for r in ordered(expected, filters.sort)]
            counted = await service.catalog_facets(session, filters, set(Facet))
        truth = expected_facets(expected)
        assert counted.total == len(expected) and counted.total_estimate is None
        for facet in ("company", "sector", "rarity", "listed", "currency"):
            assert counts(counted.buckets[Facet(facet)]) == truth[facet], facet
        bounds = (0, *PRICE_BUCKET_BOUNDS)
        prices = Counter(
            {(p.currency.value, bounds.index(p.low // p.currency.unit)): p.count
             for p in counted.prices or []}
        )  # fmt: skip
        assert prices == truth["price"]
        assert counted.stats == truth["stats"]
    finally:
        await db.dispose()


@hsettings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    specs=st.lists(row_strategy, max_size=14),
    wanted=filter_strategy,
    few_matches=st.sampled_from([0, 10_000]),
)
def test_pages_and_facets_equal_a_brute_force_count(
    blank_settings: Settings,
    specs: list[tuple[Any, ...]],
    wanted: dict[str, Any],
    few_matches: int,
) -> None:
    # few_matches 0: every word search that matches a card walks the sort's index; 10,000:
    # every one reads its match set first. Both give the brute-force pages.
    kept = search_repository.FEW_MATCHES
    search_repository.FEW_MATCHES = few_matches
    try:
        asyncio.run(check_catalog(blank_settings.database_url, make_rows(specs), wanted))
    finally:
        search_repository.FEW_MATCHES = kept


def test_the_estimate_scales_a_uniform_sample() -> None:
    # 100 cards whose ids end a quarter of the way through the id space: about 400 in all.
    assert estimate_total(100, "3" + "f" * 31) == 400
    assert estimate_total(100, "f" * 32) == 100
    assert estimate_total(100, "not-hex") == 100


async def test_past_the_exact_limit_counts_are_estimated(
    blank_settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(facets_module, "EXACT_LIMIT", 40)
    rows = make_rows([(i % 3, "Grid", "common", (50,) * 5, None, None, 0) for i in range(200)])
    db = Database(blank_settings.database_url)
    try:
        async with db.unit_of_work() as session:
            await write_catalog(session, rows)
        async with db.unit_of_work(write=False) as session:
            counted = await service.catalog_facets(session, CardFilters(), set(Facet))
            small = await service.catalog_facets(
                session, CardFilters(company=company_ids()[0], max_power=50), {Facet.rarity}
            )
    finally:
        await db.dispose()
    assert counted.total is None and counted.estimated
    assert counted.total_estimate is not None and 40 < counted.total_estimate < 2000
    # Scaled counts add up to the estimate (give or take rounding).
    rarity = counted.buckets[Facet.rarity]
    assert rarity[0].value == "common"
    assert abs(rarity[0].count - counted.total_estimate) <= 1
    # The sample's own values: every card has power 50.
    assert counted.stats is not None and counted.stats["power"] == (50, 50)
    assert small.total is None  # 67 cards of the first company: still past 40
    assert small.total_estimate is not None


@pytest.mark.parametrize(
    "wanted",
    [{}, {"q": "grid"}, {"q": "grid", "rarity": Rarity.COMMON}, {"q": "orbit", "max_power": 60}],
)
async def test_a_large_match_set_is_counted_from_a_slice_of_the_id_space(
    blank_settings: Settings, monkeypatch: pytest.MonkeyPatch, wanted: dict[str, Any]
) -> None:
    # 16 cards counted exactly at most, 2 in a slice enough to estimate from: 600 cards are
    # counted from the first slice (ids below "01") holding 2 or more matches, or from the
    # first 16 matches in id order when none does. The brute force picks the same sample, so
    # the search engine's slice (an FTS5 rowid range on SQLite) must be exactly the id range.
    monkeypatch.setattr(facets_module, "EXACT_LIMIT", 16)
    rng = random.Random(27)
    rows = make_rows(
        [
            (rng.randrange(3), rng.choice(WORDS), rng.choice([r.value for r in Rarity]),
             tuple(rng.randint(0, 100) for _ in range(5)), None, None, 0)
            for _ in range(600)
        ]
    )  # fmt: skip
    filters = CardFilters(**wanted)
    db = Database(blank_settings.database_url)
    try:
        async with db.unit_of_work() as session:
            await write_catalog(session, rows)
        async with db.unit_of_work(write=False) as session:
            counted = await service.catalog_facets(session, filters, set(Facet))
    finally:
        await db.dispose()
    expected = sorted((r for r in rows if matches(r, filters)), key=lambda r: r.id)
    sample, covered = expected, 1.0
    for below, share in facets_module.SAMPLE_SLICES:
        sample, covered = [r for r in expected if below is None or r.id < below], share
        if len(sample) >= 2:
            break
    if len(sample) > 16:
        sample, estimate = sample[:16], estimate_total(16, sample[15].id)
    else:
        estimate = max(len(sample), round(len(sample) / covered))
    assert counted.total is None and counted.total_estimate == estimate
    scale = estimate / len(sample)
    truth = expected_facets(sample)
    for facet in ("company", "rarity"):
        want = Counter({k: round(n * scale) for k, n in truth[facet].items()})
        assert counts(counted.buckets[Facet(facet)]) == want, facet
    assert counted.stats == truth["stats"]


# --- over HTTP ---------------------------------------------------------------------------------


CATALOG = [
    # company, name, rarity, stats (power, valuation, growth, innovation, influence), listed
    (0, "Acme Founders", "legendary", (90, 80, 70, 60, 50), ("USDC", 45_000_000)),
    (0, "Acme Launch", "common", (20, 10, 30, 40, 50), None),
    (0, "Acme Orbit", "rare", (55, 60, 65, 70, 75), ("ECE", 3 * 10**9)),
    (1, "Quantum Leap", "epic", (70, 20, 90, 99, 10), ("USDC", 500_000)),
    (1, "Quantum Gate", "common", (35, 35, 35, 35, 35), None),
    (2, "Nordwind Turbine", "rare", (55, 5, 5, 5, 5), ("USDC", 12_000_000_000)),
]


async def seed(app: FastAPI) -> dict[str, str]:
    rows = [
        Row(
            id=uuid.uuid4().hex,
            company=company,
            name=name,
            rarity=rarity,
            stats=stats,
            listed=listed,
            created_at=day(i),
        )
        for i, (company, name, rarity, stats, listed) in enumerate(CATALOG)
    ]
    async with app.state.services.db.unit_of_work() as session:
        await write_catalog(session, rows)
    return {r.name: r.id for r in rows}


async def get(client: httpx.AsyncClient, path: str, **params: Any) -> httpx.Response:
    return await client.get(path, params=params)


async def names(client: httpx.AsyncClient, **params: Any) -> list[str]:
    response = await get(client, "/api/v1/cards", limit=200, **params)
    assert response.status_code == 200, response.text
    return [card["name"] for card in response.json()["items"]]


async def test_facets_over_http(app: FastAPI, client: httpx.AsyncClient) -> None:
    await seed(app)
    response = await get(
        client, "/api/v1/cards", q="acme", facets="company,rarity,listed,currency,price,stats"
    )
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["total"] == 3 and body["total_estimate"] is None
    facets = body["facets"]
    assert facets["estimated"] is False
    assert facets["company"] == [{"value": company_ids()[0], "label": "ACME", "count": 3}]
    assert {b["value"]: b["count"] for b in facets["rarity"]} == {
        "legendary": 1,
        "common": 1,
        "rare": 1,
    }
    assert {b["value"]: b["count"] for b in facets["listed"]} == {"true": 2, "false": 1}
    assert {b["value"]: b["count"] for b in facets["currency"]} == {"USDC": 1, "ECE": 1}
    assert facets["price"] == [
        {"currency": "ECE", "min": "1", "max": "10", "count": 1},
        {"currency": "USDC", "min": "10", "max": "100", "count": 1},
    ]
    assert facets["stats"]["power"] == {"min": 20, "max": 90}
    assert facets["stats"]["influence"] == {"min": 50, "max": 75}
    assert facets["sector"] is None  # not asked for
    # Without ``facets`` nothing is counted.
    plain = (await get(client, "/api/v1/cards", q="acme")).json()
    assert plain["facets"] is None and plain["total"] is None
    # Asked for nothing but the total.
    assert (await get(client, "/api/v1/cards", facets="", rarity="rare")).json()["total"] == 2


async def test_trait_ranges_are_inclusive_and_combine(
    app: FastAPI, client: httpx.AsyncClient
) -> None:
    await seed(app)
    assert await names(client, min_power=55, max_power=55, sort="price_asc") == [
        "Acme Orbit",
        "Nordwind Turbine",
    ]
    assert await names(client, min_innovation=99) == ["Quantum Leap"]
    assert set(await names(client, max_valuation=10)) == {"Acme Launch", "Nordwind Turbine"}
    assert await names(client, min_growth=30, max_growth=35, max_influence=40) == ["Quantum Gate"]
    assert await names(client, min_influence=100) == []
    assert set(await names(client, sector="technology")) == {"Quantum Leap", "Quantum Gate"}
    assert set(await names(client, listed="false")) == {"Acme Launch", "Quantum Gate"}
    assert await names(client, currency="ECE") == ["Acme Orbit"]


@pytest.mark.parametrize(
    ("params", "code"),
    [
        ({"min_power": 60, "max_power": 50}, "invalid_range"),
        ({"max_growth": 101}, None),
        ({"min_influence": -1}, None),
        ({"facets": "company,colour"}, "invalid_facet"),
        ({"q": "a" * 201}, None),
        ({"limit": 201}, None),
        ({"currency": "BTC"}, None),
        ({"listed": "maybe"}, None),
    ],
)
async def test_bad_catalog_queries_are_422(
    app: FastAPI, client: httpx.AsyncClient, params: dict[str, Any], code: str | None
) -> None:
    response = await get(client, "/api/v1/cards", **params)
    assert response.status_code == 422, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    if code:
        assert response.json()["code"] == code


@pytest.mark.parametrize(
    "q",
    [
        '"acme" OR *',
        "acme*",
        "NEAR(acme launch)",
        "body:acme",
        "acme:* | !launch",
        "acme & launch",
        "'); DROP TABLE cards; --",
        "^acme",
        "acme -launch",
        "\\",
        "%_%",
        "a" * 200,
        "ａｃｍｅ",  # noqa: RUF001 - full-width letters are letters too
    ],
)
async def test_query_syntax_is_only_words(app: FastAPI, client: httpx.AsyncClient, q: str) -> None:
    """Operators of FTS5 and tsquery are separators, never syntax: each query is its words."""
    await seed(app)
    response = await get(client, "/api/v1/cards", q=q, facets="rarity", limit=200)
    assert response.status_code == 200, response.text
    found = {card["name"] for card in response.json()["items"]}
    assert found <= {"Acme Founders", "Acme Launch", "Acme Orbit"}
    assert response.json()["total"] == len(found)
    suggest = await get(client, "/api/v1/search/suggest", q=q[:100])
    assert suggest.status_code == 200, suggest.text
    assert len(await names(client)) == len(CATALOG)  # nothing was dropped


async def test_suggest_forgives_typos(app: FastAPI, client: httpx.AsyncClient) -> None:
    await seed(app)

    async def suggest(q: str) -> list[tuple[str, str]]:
        response = await get(client, "/api/v1/search/suggest", q=q)
        assert response.status_code == 200, response.text
        return [(s["kind"], s["label"]) for s in response.json()["items"]]

    qantum = await suggest("qantum")
    assert ("company", "Aurora Quantum") in qantum
    assert {("card", "Quantum Leap"), ("card", "Quantum Gate")} <= set(qantum)
    assert (await suggest("acm"))[0] == ("ticker", "ACME")
    assert (await suggest("acme"))[:2] == [("ticker", "ACME"), ("card", "Acme Orbit")]
    assert ("company", "Nordwind Energy") in await suggest("nordwnd")
    assert ("card", "Nordwind Turbine") in await suggest("turbien")  # transposed letters
    assert ("company", "Aurora Quantum") in await suggest("au")  # two letters: word starts
    assert await suggest("zzzz") == []
    assert await suggest("!!!") == []
    first = (await get(client, "/api/v1/search/suggest", q="quantum")).json()["items"][0]
    assert first["score"] == 1.0 and first["ref"]
    for params in ({"q": "a" * 101}, {"q": ""}, {"q": "acme", "limit": 21}, {}):
        response = await get(client, "/api/v1/search/suggest", **params)
        assert response.status_code == 422, params


async def test_suggestions_equal_the_rule_whatever_the_trigram_counts(
    blank_settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The index is asked only for the labels holding one of the rarest trigrams; the counts
    # that pick them may be stale or wrong (here: random), and the answer must not change.
    rng = random.Random(5)
    syllables = ["qu", "an", "tum", "or", "bit", "gr", "id", "mer", "ran", "ta"]

    def word() -> str:
        return "".join(rng.choice(syllables) for _ in range(rng.randint(1, 3)))

    labels = sorted({" ".join(word() for _ in range(rng.randint(1, 3))) for _ in range(80)})
    db = Database(blank_settings.database_url)
    try:
        async with db.unit_of_work() as session:
            await session.execute(delete(SearchSuggestion))
            await add_card_names(session, labels)
        for round_ in range(3):
            counts = search_repository.TrigramCounts(ttl=0 if round_ == 0 else 1e9)
            monkeypatch.setattr(search_repository, "TRIGRAM_COUNTS", counts)
            for _ in range(25):
                q = word() + ("" if rng.random() < 0.5 else " " + word())
                trigrams = query_trigrams(search_terms(q))
                if not trigrams:
                    continue
                if round_ == 2:  # made-up counts: the rarest are anyone's guess
                    database = str(db.engine.url)
                    for t in trigrams:
                        counts._counts[(database, t)] = (time.monotonic(), rng.randint(0, 99))
                hits = {lab: sum(t in lab for t in trigrams) for lab in labels}
                want = sorted(
                    (lab for lab in labels if hits[lab] * 2 >= len(trigrams)),
                    key=lambda lab: (-hits[lab], len(lab), lab),
                )[:10]
                async with db.unit_of_work(write=False) as session:
                    got = await service.suggest(session, q, 10)
                assert [s.label for s in got] == want, q
    finally:
        await db.dispose()


async def test_a_frequent_trigram_makes_only_its_oldest_labels_candidates(
    blank_settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Past SUGGEST_CANDIDATES labels holding an asked trigram, only the oldest (lowest ids) are
    # scored: "qua" ranks the three oldest here, not the shorter "quant" and "quanta" added
    # after them. A rarer trigram the query holds still brings its labels in.
    monkeypatch.setattr(search_repository, "SUGGEST_CANDIDATES", 3)
    monkeypatch.setattr(search_repository, "TRIGRAM_COUNTS", search_repository.TrigramCounts())
    labels = ["quantum alpha", "quantum gamma", "quantum beta", "quanta", "quant", "zquaz"]
    db = Database(blank_settings.database_url)
    try:
        async with db.unit_of_work() as session:
            await session.execute(delete(SearchSuggestion))
            await add_card_names(session, labels)
        async with db.unit_of_work(write=False) as session:
            qua = await service.suggest(session, "qua", 10)
            zqu = await service.suggest(session, "zqu", 10)
        assert [s.label for s in qua] == ["quantum beta", "quantum alpha", "quantum gamma"]
        assert [s.label for s in zqu] == ["zquaz"]  # "zqu": one label holds it
        monkeypatch.setattr(search_repository, "SUGGEST_CANDIDATES", 200)
        async with db.unit_of_work(write=False) as session:
            qua = await service.suggest(session, "qua", 10)
        assert [s.label for s in qua][:3] == ["quant", "zquaz", "quanta"]
    finally:
        await db.dispose()


def test_the_rarest_trigrams_cover_every_match() -> None:
    counts = {"mer": 5, "eri": 9, "rid": 900, "ida": 0, "dai": 0, "ain": 40}
    trigrams = list(counts)
    # 6 trigrams, 3 needed: any label holding 3 holds one of the 4 rarest.
    assert rarest_needed(trigrams, counts) == ["dai", "ida", "mer", "eri"]
    assert rarest_needed(["qua"], {}) == ["qua"]
    assert rarest_needed(["qua", "uan"], {"qua": 3, "uan": 1}) == ["uan", "qua"]


async def test_one_or_two_trigrams_are_asked_without_counting(app: FastAPI) -> None:
    # "qua" and "quan" ask the index for every trigram they have: no count of labels is run
    # (and none kept); "quant" (three trigrams, two needed) counts them, in one statement, to
    # ask the rarest two.
    await seed(app)
    db: Database = app.state.services.db
    search_repository.TRIGRAM_COUNTS._counts.clear()
    statements: list[str] = []

    def record(conn: Any, cursor: Any, statement: str, *_: Any) -> None:
        if statement.lstrip().upper().startswith("SELECT"):
            statements.append(statement)

    event.listen(db.engine.sync_engine, "before_cursor_execute", record)
    try:
        async with db.unit_of_work(write=False) as session:
            for query in ("qua", "quan"):
                found = await service.suggest(session, query, 10)
                assert "Aurora Quantum" in [s.label for s in found]
            assert len(statements) == 2 and not search_repository.TRIGRAM_COUNTS._counts
            found = await service.suggest(session, "quant", 10)
            assert "Aurora Quantum" in [s.label for s in found]
    finally:
        event.remove(db.engine.sync_engine, "before_cursor_execute", record)
    assert len(statements) == 4 and len(search_repository.TRIGRAM_COUNTS._counts) == 3


async def test_suggestions_follow_minting_and_renames(
    app: FastAPI, client: httpx.AsyncClient
) -> None:
    from tests.builders import make_admin
    from tests.cards.cards_builders import make_company, mint

    admin = await make_admin(client, app)
    company = await make_company(client, admin, name="Quanta Mechanics", ticker="QNTM")
    await mint(client, admin, company["id"], name="Qubit Forge")

    async def labels(q: str) -> set[str]:
        response = await get(client, "/api/v1/search/suggest", q=q)
        return {s["label"] for s in response.json()["items"]}

    assert "Quanta Mechanics" in await labels("qanta mechanic")
    assert "Qubit Forge" in await labels("qubit forg")
    assert "QNTM" in await labels("qntm")
    response = await client.patch(
        f"/api/v1/companies/{company['id']}", json={"name": "Photon Works"}, headers=admin.headers
    )
    assert response.status_code == 200, response.text
    assert "Photon Works" in await labels("fotn works")
    assert "Quanta Mechanics" not in await labels("quanta mechanics")


# --- query plans -------------------------------------------------------------------------------


async def plans_of(db: Database, filters: CardFilters, postgres: bool) -> list[str]:
    """The plan of each statement reading ``cards`` that ``list_cards`` runs for ``filters`` (a
    second page)."""
    statements: list[tuple[str, Any]] = []

    def record(conn: Any, cursor: Any, statement: str, parameters: Any, *_: Any) -> None:
        # The reads of cards (not the search engine's count of matches before it).
        if statement.lstrip().upper().startswith("SELECT") and "FROM cards" in statement:
            statements.append((statement, parameters))

    event.listen(db.engine.sync_engine, "before_cursor_execute", record)
    try:
        async with db.unit_of_work(write=False) as session:
            _, cursor = await service.list_cards(session, filters, PageParams(2, None))
            statements.clear()
            await service.list_cards(session, filters, PageParams(2, cursor))
    finally:
        event.remove(db.engine.sync_engine, "before_cursor_execute", record)
    plans = []
    async with db.unit_of_work(write=False) as session:
        conn = await session.connection()
        if postgres:
            await conn.exec_driver_sql("SET LOCAL enable_seqscan = off")
        for statement, parameters in statements:
            explain = "EXPLAIN " if postgres else "EXPLAIN QUERY PLAN "
            result = await conn.exec_driver_sql(explain + statement, parameters)
            plans.append("\n".join(str(row[-1]) for row in result))
    return plans


@pytest.mark.parametrize(
    ("filters", "index"),
    [
        (CardFilters(sort=CardSort.newest), "ix_cards_created_at_id"),
        (CardFilters(sort=CardSort.power), "ix_cards_sort_power"),
        (CardFilters(sort=CardSort.price_asc), "ix_cards_sort_price_asc"),
        (CardFilters(sort=CardSort.price_desc), "ix_cards_sort_price_desc"),
        (CardFilters(sort=CardSort.last_sale), "ix_cards_sort_last_sale"),
        (CardFilters(sort=CardSort.price_asc, rarity=Rarity.RARE), "ix_cards_sort_price_asc"),
        (CardFilters(sort=CardSort.power, min_growth=10), "ix_cards_sort_power"),
    ],
)
async def test_sorts_read_their_index_without_sorting(
    app: FastAPI, filters: CardFilters, index: str
) -> None:
    # Enough cards, with fresh statistics, that the planner weighs the choice as at scale.
    rng = random.Random(7)
    specs = [
        (
            rng.randrange(3),
            rng.choice(WORDS),
            rng.choice(list(Rarity)).value,
            tuple(rng.randint(0, 100) for _ in range(5)),
            ("USDC", rng.randint(1, 10**9)) if rng.random() < 0.3 else None,
            rng.randrange(30) if rng.random() < 0.2 else None,
            rng.randrange(300),
        )
        for _ in range(3000)
    ]
    db: Database = app.state.services.db
    async with db.unit_of_work() as session:
        await write_catalog(session, make_rows(specs))
    async with db.unit_of_work() as session:
        await session.execute(text("ANALYZE"))
    postgres = db.engine.dialect.name == "postgresql"
    plans = await plans_of(db, filters, postgres)
    page = plans[0]  # the page query; the rest load companies and owners
    assert index in page, page
    assert ("Sort" not in page) if postgres else ("TEMP B-TREE" not in page), page


async def test_word_search_and_suggest_read_their_indexes(app: FastAPI) -> None:
    await seed(app)
    db: Database = app.state.services.db
    postgres = db.engine.dialect.name == "postgresql"
    plans = await plans_of(db, CardFilters(q="quantum"), postgres)
    assert ("ix_cards_search_tsv" if postgres else "card_search VIRTUAL TABLE") in plans[0]
    async with db.unit_of_work(write=False) as session:
        conn = await session.connection()
        if postgres:
            await conn.exec_driver_sql("SET LOCAL enable_seqscan = off")
            plan = await conn.execute(
                text("EXPLAIN SELECT id FROM search_suggestions WHERE label_lc LIKE '%qan%'")
            )
            assert "ix_search_suggestions_trgm" in "\n".join(r[0] for r in plan)
        else:
            plan = await conn.execute(
                text(
                    "EXPLAIN QUERY PLAN SELECT rowid FROM search_suggest_fts"
                    " WHERE search_suggest_fts MATCH '\"qan\"'"
                )
            )
            assert "VIRTUAL TABLE INDEX" in "\n".join(str(r[-1]) for r in plan)


async def test_facet_slices_read_the_primary_key_range(app: FastAPI) -> None:
    # The narrowest slice is checked row by row along the primary key (PostgreSQL) or is an
    # FTS5 rowid range (SQLite); a wider one ANDs the word index with the key range.
    await seed(app)
    db: Database = app.state.services.db
    postgres = db.engine.dialect.name == "postgresql"
    plans = []
    async with db.unit_of_work(write=False) as session:
        conn = await session.connection()
        if postgres:
            await conn.exec_driver_sql("SET LOCAL enable_seqscan = off")
        for below in ("01", "1"):
            conditions = await service._conditions(session, CardFilters(q="quantum"), below)
            stmt = select(Card.id).where(*conditions).order_by(Card.id).limit(5)
            compiled = stmt.compile(conn.sync_connection, compile_kwargs={"literal_binds": True})
            explain = "EXPLAIN " if postgres else "EXPLAIN QUERY PLAN "
            result = await conn.exec_driver_sql(explain + str(compiled))
            plans.append(("\n".join(str(row[-1]) for row in result), str(compiled)))
    (narrow, narrow_sql), (_, wide_sql) = plans
    if postgres:
        # The narrow slice's text is not the index's expression: the index cannot be used.
        assert "pk_cards" in narrow and "ix_cards_search_tsv" not in narrow, narrow
        assert "search_text || ''" in narrow_sql and "search_text ||" not in wide_sql
    else:
        assert f"card_search.rowid < {rowid_bound('01')}" in narrow_sql
        assert f"card_search.rowid < {rowid_bound('1')}" in wide_sql
        assert "card_search VIRTUAL TABLE" in narrow


async def test_card_search_rowids_follow_the_id_order(blank_settings: Settings) -> None:
    # A hex id's FTS5 rowid is its first 15 hex digits; an id that is not hex, or that shares
    # those digits with another card, gets an ordinary rowid and is found all the same.
    ids = [uuid.uuid4().hex for _ in range(5)] + ["f" * 15 + "0" * 17, "f" * 15 + "1" * 17]
    rows = make_rows([(0, "Grid", "common", (1,) * 5, None, None, 0)] * 8)
    for row, card_id in zip(rows, [*ids, "card-not-hex"], strict=True):
        row.id = card_id
    db = Database(blank_settings.database_url)
    try:
        async with db.unit_of_work() as session:
            await write_catalog(session, rows)
        async with db.unit_of_work(write=False) as session:
            found, _ = await service.list_cards(
                session, CardFilters(q="grid"), PageParams(20, None)
            )
            if db.engine.dialect.name == "sqlite":
                rowids = dict(
                    (await session.execute(text("SELECT card_id, rowid FROM card_search"))).all()
                )
                for card_id in ids[:5]:
                    assert rowids[card_id] == int(card_id[:15], 16)
                assert len(set(rowids.values())) == 8
    finally:
        await db.dispose()
    assert {card.id for card in found} == {row.id for row in rows}


async def test_the_explore_page_shows_counts_beside_filters(
    app: FastAPI, client: httpx.AsyncClient
) -> None:
    await seed(app)
    response = await client.get("/explore", params={"q": "quantum"})
    assert response.status_code == 200, response.text
    html = response.text
    assert "2 cards" in html
    assert "Aurora Quantum (2)</option>" in html and "Acme Rockets (0)</option>" in html
    assert ">epic (1)</option>" in html and ">common (1)</option>" in html
    assert ">Technology (2)</option>" in html
    assert "Listed only (1)</label>" in html
    narrowed = (await client.get("/explore", params={"sector": "Aerospace"})).text
    assert "3 cards" in narrowed and "Acme Rockets (3)</option>" in narrowed


# --- word search: the match set first, or the sort's index walked --------------------------------


def mixed_rows(count: int) -> list[Row]:
    """``count`` cards of every word, with a few ids that get no id-ordered FTS5 rowid: two that
    are not hex and two pairs sharing their first 15 hex digits."""
    rng = random.Random(27)
    specs = [
        (
            rng.randrange(3),
            rng.choice(WORDS),
            rng.choice(list(Rarity)).value,
            tuple(rng.randint(0, 100) for _ in range(5)),
            ("USDC", rng.randint(1, 10**9)) if rng.random() < 0.3 else None,
            rng.randrange(30) if rng.random() < 0.2 else None,
            rng.randrange(40),
        )
        for _ in range(count)
    ]
    rows = make_rows(specs)
    rows[0].id, rows[1].id = "card-not-hex-a", "card-not-hex-b"
    for first, second in ((2, 3), (4, 5)):
        rows[second].id = rows[first].id[:15] + uuid.uuid4().hex[15:]
    for row in rows[:6:2]:
        row.name = "Quantum Card"  # an odd id among the matches, beside one among the others
    return rows


async def every_page(session: Any, filters: CardFilters, limit: int) -> list[list[str]]:
    pages, cursor = [], None
    while True:
        page, cursor = await service.list_cards(session, filters, PageParams(limit, cursor))
        pages.append([card.id for card in page])
        if cursor is None:
            return pages


@pytest.mark.parametrize(
    "filters",
    [
        *(CardFilters(q="quantum", sort=sort) for sort in CardSort),
        CardFilters(q="orb"),
        CardFilters(q="aur grid", sort=CardSort.power),
        CardFilters(q="launch", rarity=Rarity.RARE, min_power=30, sort=CardSort.price_asc),
        CardFilters(q="zzz"),
    ],
    ids=lambda f: f"{f.q}-{f.sort.value}-{f.rarity}",
)
async def test_a_page_cut_while_walking_equals_the_page_of_the_match_set(
    app: FastAPI, monkeypatch: pytest.MonkeyPatch, filters: CardFilters
) -> None:
    # The same first page and cursor, and the same pages after it, whether the word search
    # reads its whole match set and sorts it or walks the sort's index checking each card
    # (on SQLite through its FTS5 rowid; the cards without one through their id).
    rows = mixed_rows(160)
    db: Database = app.state.services.db
    async with db.unit_of_work() as session:
        await write_catalog(session, rows)
    expected = [r.id for r in ordered([r for r in rows if matches(r, filters)], filters.sort)]
    results = []
    for few in (10_000, 0):
        monkeypatch.setattr(search_repository, "FEW_MATCHES", few)
        async with db.unit_of_work(write=False) as session:
            first = await service.list_cards(session, filters, PageParams(7, None))
            results.append(([card.id for card in first[0]], first[1]))
            pages = await every_page(session, filters, 7)
            assert [card_id for page in pages for card_id in page] == expected
    assert results[0] == results[1]
    assert results[0][0] == expected[:7]
    if filters.q == "quantum":
        assert {rows[i].id for i in range(0, 6, 2)} <= set(expected)  # the odd ids tested


async def catalog_for_plans(app: FastAPI) -> Database:
    rng = random.Random(8)
    specs = [
        (
            rng.randrange(3),
            rng.choice(WORDS),
            rng.choice(list(Rarity)).value,
            tuple(rng.randint(0, 100) for _ in range(5)),
            ("USDC", rng.randint(1, 10**9)) if rng.random() < 0.3 else None,
            rng.randrange(300) if rng.random() < 0.2 else None,
            rng.randrange(300),
        )
        for _ in range(3000)
    ]
    rows = make_rows(specs)
    for row in rows[:3]:
        row.name = "Zephyr Card"  # a word three cards of 3,000 hold
    db: Database = app.state.services.db
    async with db.unit_of_work() as session:
        await write_catalog(session, rows)
    async with db.unit_of_work() as session:
        await session.execute(text("ANALYZE"))
    return db


async def test_a_word_with_few_matches_reads_them_first(app: FastAPI) -> None:
    # Three matches in 3,000 cards: the page is cut from the match set read from the word
    # index, not from a sort index walked to its end.
    db = await catalog_for_plans(app)
    postgres = db.engine.dialect.name == "postgresql"
    for sort in (CardSort.newest, CardSort.last_sale):
        page = (await plans_of(db, CardFilters(q="zephyr", sort=sort), postgres))[0]
        if postgres:
            assert "ix_cards_search_tsv" in page and "pk_cards" in page, page
            assert "ix_cards_created_at_id" not in page and "ix_cards_sort_" not in page, page
        else:
            assert "card_search VIRTUAL TABLE" in page, page
            assert "id=?)" in page, page  # each match looked up by id


async def test_a_word_with_many_matches_walks_the_sort_index(
    app: FastAPI, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A word in a quarter of the cards: the sort's index is walked, no sort of the match set;
    # on SQLite each card is checked against the FTS5 rowids (no card id read per match).
    db = await catalog_for_plans(app)
    postgres = db.engine.dialect.name == "postgresql"
    monkeypatch.setattr(search_repository, "FEW_MATCHES", 10)
    for sort, index in ((CardSort.newest, "ix_cards_created_at_id"),
                        (CardSort.price_asc, "ix_cards_sort_price_asc")):  # fmt: skip
        page = (await plans_of(db, CardFilters(q="quantum", sort=sort), postgres))[0]
        assert index in page, page
        assert ("Sort" not in page) if postgres else ("TEMP B-TREE" not in page), page
        if not postgres:
            assert "LIST SUBQUERY" in page and "card_search VIRTUAL TABLE" in page, page


async def test_the_fts5_rowids_below_zero_are_the_cards_without_an_id_ordered_one(
    blank_settings: Settings,
) -> None:
    # An id-ordered rowid for a hex id no other card's row holds, a negative one (distinct) for
    # the others. Indexed together, both cards of a shared prefix get negative rowids; the
    # first of a pair indexed again alone gets the free id-ordered one.
    rows = mixed_rows(12)
    db = Database(blank_settings.database_url)
    try:
        if db.engine.dialect.name != "sqlite":
            pytest.skip("FTS5 rowids exist on SQLite only")
        async with db.unit_of_work() as session:
            await write_catalog(session, rows)
            await search_repository.search_for(session).index(session, [r.id for r in rows[:5]])
        async with db.unit_of_work(write=False) as session:
            rowids = dict(
                (await session.execute(text("SELECT card_id, rowid FROM card_search"))).all()
            )
    finally:
        await db.dispose()
    odd = {rows[i].id for i in (0, 1, 2, 3, 5)}
    assert {card_id for card_id, rowid in rowids.items() if rowid < 0} == odd
    assert len(set(rowids.values())) == len(rows)
    for row in [*rows[6:], rows[4]]:
        assert rowids[row.id] == int(row.id[:15], 16)
