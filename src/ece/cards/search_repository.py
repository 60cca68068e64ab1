"""Full-text search over cards (card name, company name, ticker, sector) behind one interface.

``CardSearch`` turns the user's words into a condition the catalog query combines with its
filters and keyset pagination. The rule is the same on every backend: each word of
the query must be the start of a word of the card's text ("acm" finds "Acme"). Embedded: SQLite
FTS5 with prefix indexes; PostgreSQL: a ``simple`` tsvector expression index queried with
prefix terms. (No ``ILIKE`` infix fallback: it would make the two backends disagree.) At scale
a search engine (OpenSearch/Elasticsearch) implements the same protocol: ``index`` pushes
documents and ``matching`` returns ``Card.id IN (<ids from the engine>)``.
"""

from __future__ import annotations

import json
import re
import time
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from sqlalchemy import (
    ColumnElement,
    Select,
    and_,
    any_,
    case,
    delete,
    func,
    literal_column,
    or_,
    select,
    text,
    union_all,
)
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased

from ece.cards.models import Card, Company, SearchSuggestion
from ece.core.db import insert_or_ignore

# Words only: letters and digits of any script. Everything else (underscore included) separates
# words, so no query syntax (quotes, NEAR, column filters, tsquery operators) reaches an engine.
_WORD = re.compile(r"[^\W_]+")
MAX_TERMS = 8


def search_terms(query: str) -> list[str]:
    return [w.lower() for w in _WORD.findall(query)][:MAX_TERMS]


def search_text_of(card_name: str, company_name: str, ticker: str, sector: str) -> str:
    return " ".join([card_name, company_name, ticker, sector])


class CardSearch(Protocol):
    async def index(self, session: AsyncSession, card_ids: Sequence[str]) -> None:
        """(Re)index these cards from their ``search_text``."""
        ...

    async def matching(
        self,
        session: AsyncSession,
        query: str,
        below: str | None = None,
        *,
        sample: bool = False,
    ) -> ColumnElement[bool]:
        """A condition on ``Card`` true for the cards every word of ``query`` matches; with
        ``below``, only those whose id sorts before it (facet samples read a slice of the id
        space without the engine producing every match). ``sample``: the caller reads the
        matches in id order (a facet sample), not a page in a sort's order, so the engine
        gives the match set as it is, without choosing a plan for a sort."""
        ...


# The FTS5 row of a card has a rowid that sorts as its id does: the id's first 15 hex digits
# (60 bits) as an integer, so a range of ids is a range of rowids the FTS5 index reads alone.
# A card whose id is not 32 hex digits, or whose 60-bit prefix another card already holds, gets
# a negative rowid instead (below every other): every search finds it (the rowids below 0 are
# a range of their own), and a facet sample of a slice of the id space may count it or miss it
# (the sample stays an estimate).
_HEX_DIGITS = "0123456789abcdef"
ROWID_HEX_DIGITS = 15


def _rowid_digits(column: str) -> str:
    return " + ".join(
        f"((instr('{_HEX_DIGITS}', substr({column}, {i + 1}, 1)) - 1)"
        f" << {4 * (ROWID_HEX_DIGITS - 1 - i)})"
        for i in range(ROWID_HEX_DIGITS)
    )


def _is_hex_id(column: str) -> str:
    return f"length({column}) = 32 AND {column} NOT GLOB '*[^0-9a-f]*'"


def _shared_prefix(column: str) -> str:
    return f"count(*) OVER (PARTITION BY substr({column}, 1, {ROWID_HEX_DIGITS})) > 1"


def _negative(column: str, below: str) -> str:
    """A rowid below ``below`` (<= 0), one apart for each row of the INSERT ... SELECT."""
    return f"({below}) - row_number() OVER (ORDER BY {column})"


def fts_rowid_sql(column: str) -> str:
    """SQLite expression: the FTS5 rowid of the card whose id is ``column``, for an INSERT ...
    SELECT from ``cards`` (a negative one when the id is not hex or another card, in the table
    or in the same statement, holds that rowid)."""
    digits = _rowid_digits(column)
    lowest = "SELECT min(0, coalesce((SELECT rowid FROM card_search ORDER BY rowid LIMIT 1), 0))"
    return (  # constants and a column name only
        f"CASE WHEN {_is_hex_id(column)} AND NOT {_shared_prefix(column)}"  # noqa: S608
        f" AND NOT EXISTS (SELECT 1 FROM card_search"
        f" WHERE rowid = ({digits}) AND card_id != {column}) THEN ({digits})"
        f" ELSE {_negative(column, lowest)} END"
    )


def fill_card_search_sql() -> str:
    """SQLite: one statement indexing every card into an empty ``card_search``."""
    return (
        "INSERT INTO card_search (rowid, card_id, body) SELECT CASE WHEN"  # noqa: S608
        f" {_is_hex_id('id')} AND NOT {_shared_prefix('id')} THEN ({_rowid_digits('id')})"
        f" ELSE {_negative('id', '0')} END, id, search_text FROM cards"
    )


ROW_BY_ROW_SHARE = 1 / 256


def id_share(below: str) -> float:
    """The share of the id space below ``below`` (lower-case hex digits)."""
    return int(below[:8].ljust(8, "0"), 16) / 16**8


def rowid_bound(below: str) -> int:
    """The first rowid of the ids from ``below`` on (``below``: lower-case hex digits)."""
    return int(below[:ROWID_HEX_DIGITS].ljust(ROWID_HEX_DIGITS, "0"), 16)


# A word search whose match set holds at most this many cards reads the match set first and
# sorts it; a larger one walks the sort's index and keeps the cards that match (a page of 50
# then reads about 50 / share-of-matching-cards rows of the index).
FEW_MATCHES = 5_000


def _fts_match(name: str, expression: str) -> Any:
    return text(f"card_search MATCH :{name}").bindparams(**{name: expression})


class SqliteFtsSearch:
    """FTS5 table ``card_search(card_id UNINDEXED, body)`` with prefix indexes (see migration).

    A word search counts its matches in the FTS5 index first (up to ``FEW_MATCHES`` + 1, rowids
    only). Few: the card ids of the matches are read and the page is cut from them. Many: the
    sort's index is walked and each card is checked against the set of matching rowids (read
    from the FTS5 index alone, no row of its content) through its id's rowid; the cards with a
    negative rowid (see ``fts_rowid_sql``) are looked up by id."""

    async def index(self, session: AsyncSession, card_ids: Sequence[str]) -> None:
        for start in range(0, len(card_ids), 500):
            chunk = list(card_ids[start : start + 500])
            marks = ", ".join(f":id{i}" for i in range(len(chunk)))
            params = {f"id{i}": card_id for i, card_id in enumerate(chunk)}
            await session.execute(
                text(f"DELETE FROM card_search WHERE card_id IN ({marks})"),  # noqa: S608
                params,
            )
            await session.execute(
                text(
                    "INSERT INTO card_search (rowid, card_id, body) "  # noqa: S608
                    f"SELECT {fts_rowid_sql('id')}, id, search_text FROM cards"
                    f" WHERE id IN ({marks})"
                ),
                params,
            )

    async def matching(
        self,
        session: AsyncSession,
        query: str,
        below: str | None = None,
        *,
        sample: bool = False,
    ) -> ColumnElement[bool]:
        terms = search_terms(query)
        if not terms:
            return Card.id.is_(None)  # nothing to search for matches nothing
        # Each word a quoted prefix term ("acm"*), ANDed: the words are \w+ so need no escaping.
        expression = " AND ".join(f'"{term}"*' for term in terms)
        ids = select(text("card_id")).select_from(text("card_search"))
        if below is not None:
            bound = text("card_search.rowid < :fts_below").bindparams(fts_below=rowid_bound(below))
            ids = ids.where(_fts_match("fts_query", expression), bound)
            return Card.id.in_(ids.scalar_subquery())
        if sample or await self.count_upto(session, expression, FEW_MATCHES + 1) <= FEW_MATCHES:
            return Card.id.in_(ids.where(_fts_match("fts_query", expression)).scalar_subquery())
        return self.walk_condition(expression)

    @staticmethod
    async def count_upto(session: AsyncSession, expression: str, limit: int) -> int:
        """How many cards match ``expression``, counted up to ``limit``."""
        first = select(text("1")).select_from(text("card_search"))
        first = first.where(_fts_match("fts_count", expression)).limit(limit)
        return int(await session.scalar(select(func.count()).select_from(first.subquery())) or 0)

    @staticmethod
    def walk_condition(expression: str) -> ColumnElement[bool]:
        """True for a card matching ``expression``, checked card by card: its id's rowid among
        the matching rowids (and that rowid its own), or its id among the matches with a
        negative rowid."""
        rowid: ColumnElement[int] = literal_column(f"({_rowid_digits('cards.id')})")
        matching_rowids = (
            select(text("card_search.rowid"))
            .select_from(text("card_search"))
            .where(_fts_match("fts_walk", expression), text("card_search.rowid >= 0"))
        )
        owner = (
            select(text("card_search.card_id"))
            .select_from(text("card_search"))
            .where(text(f"card_search.rowid = ({_rowid_digits('cards.id')})"))
        )
        negative = (
            select(text("card_search.card_id"))
            .select_from(text("card_search"))
            .where(_fts_match("fts_negative", expression), text("card_search.rowid < 0"))
        )
        return or_(
            and_(
                rowid.in_(matching_rowids.scalar_subquery()),
                owner.scalar_subquery() == Card.id,
            ),
            Card.id.in_(negative.scalar_subquery()),
        )


class PostgresSearch:
    """A GIN index on ``to_tsvector('simple', search_text)`` (see migration); the query uses the
    same expression so the planner can use it.

    A word search asks the planner how many cards its words match (``EXPLAIN``: the index's
    statistics, no rows read). Few (``FEW_MATCHES`` or fewer): the condition is the primary key
    among the match set, read from the word index first, so the page sorts those few cards
    instead of walking a sort index that may hold none of them to its end. Many: the words are
    checked row by row as the sort's index is walked."""

    async def index(self, session: AsyncSession, card_ids: Sequence[str]) -> None:
        return None  # an expression index follows the column by itself

    async def matching(
        self,
        session: AsyncSession,
        query: str,
        below: str | None = None,
        *,
        sample: bool = False,
    ) -> ColumnElement[bool]:
        terms = search_terms(query)
        if not terms:
            return Card.id.is_(None)
        # The caller adds ``Card.id < below``. A wide slice is the GIN index's match set ANDed
        # with the primary key's range; a narrow one (ROW_BY_ROW_SHARE of the ids or less) is
        # cheaper checked row by row along the primary key than the index's whole match set
        # (a frequent word's is most of the cost), so its text is not the index's expression.
        row_by_row = below is not None and id_share(below) <= ROW_BY_ROW_SHARE
        tsquery = func.to_tsquery(literal_column("'simple'"), " & ".join(f"{t}:*" for t in terms))
        text_ = Card.search_text.concat(literal_column("''")) if row_by_row else Card.search_text
        condition: ColumnElement[bool] = _tsv(text_).bool_op("@@")(tsquery)
        if (
            sample
            or below is not None
            or await self.estimated_matches(session, condition) > FEW_MATCHES
        ):
            return condition
        matched = aliased(Card, name="matched")
        ids = select(matched.id).where(_tsv(matched.search_text).bool_op("@@")(tsquery))
        return Card.id == any_(func.array(ids.scalar_subquery()))

    @staticmethod
    async def estimated_matches(session: AsyncSession, condition: ColumnElement[bool]) -> float:
        """The planner's estimate of the cards matching ``condition``."""
        stmt: Select[Any] = select(literal_column("1")).select_from(Card).where(condition)
        compiled = stmt.compile(
            dialect=session.get_bind().dialect, compile_kwargs={"literal_binds": True}
        )
        connection = await session.connection()
        result = await connection.exec_driver_sql(f"EXPLAIN (FORMAT JSON) {compiled}")
        plan = result.scalar_one()
        plan = json.loads(plan) if isinstance(plan, str) else plan
        return float(plan[0]["Plan"]["Plan Rows"])


def _tsv(text_: Any) -> ColumnElement[Any]:
    return func.to_tsvector(literal_column("'simple'"), text_)


def search_for(session: AsyncSession) -> CardSearch:
    """The search backend of the session's database."""
    if session.get_bind().dialect.name == "postgresql":
        return PostgresSearch()
    return SqliteFtsSearch()


# --- suggestions: typo-tolerant search-as-you-type -------------------------------------------
#
# One rule on both backends. The query's words (``search_terms``) give its trigrams: every
# three-letter run inside a word of three letters or more. A suggestion matches when its label
# contains at least half of those trigrams; it scores the share it contains, and suggestions
# rank by score, then shorter label, then label, then kind. ("qantum" has qan, ant, ntu, tum;
# "quantum" holds three of four: 0.75.) Queries with no word of three letters match labels
# with a word starting with each query word. The trigram index only finds candidates (FTS5
# ``trigram`` on SQLite, ``pg_trgm`` GIN on PostgreSQL); the rule is evaluated in SQL, the same
# expression on both.
#
# Candidates: a label holding at least ``need`` = ceil(n/2) of the n trigrams holds at least one
# of any n - need + 1 of them, so the index is asked only for the labels holding one of the
# n - need + 1 rarest (every match among them, fewer rows to read and score than "any of the
# n"). How many labels hold a trigram is counted once and kept a while per database
# (``TrigramCounts``): stale counts cost speed, never a match.

SUGGEST_KINDS = ("company", "ticker", "card")


@dataclass(frozen=True)
class Suggestion:
    kind: str  # company, ticker or card
    label: str
    ref: str  # company id (company, ticker) or the card name (card)
    score: float


def query_trigrams(terms: Sequence[str]) -> list[str]:
    seen: dict[str, None] = {}
    for term in terms:
        for start in range(len(term) - 2):
            seen.setdefault(term[start : start + 3], None)
    return list(seen)


class TrigramCounts:
    """How many suggestions hold each trigram, per database, counted when first asked and
    again after ``ttl`` seconds (at most ``size`` kept): only to pick the rarest trigrams."""

    def __init__(self, ttl: float = 600.0, size: int = 50_000) -> None:
        self.ttl, self.size = ttl, size
        self._counts: dict[tuple[str, str], tuple[float, int]] = {}

    async def of(self, session: AsyncSession, trigrams: Sequence[str]) -> dict[str, int]:
        """The count of each trigram; those not kept (or too old) counted in one statement."""
        bind = session.get_bind()
        database, now = str(bind.engine.url), time.monotonic()
        missing = [
            t
            for t in trigrams
            if (kept := self._counts.get((database, t))) is None or now - kept[0] > self.ttl
        ]
        if missing:
            postgres = bind.dialect.name == "postgresql"
            counts = (
                await session.execute(
                    select(
                        *(_holding(t, i, postgres).scalar_subquery() for i, t in enumerate(missing))
                    )
                )
            ).one()
            if len(self._counts) + len(missing) > self.size:
                self._counts.clear()
            for trigram, count in zip(missing, counts, strict=True):
                self._counts[(database, trigram)] = (now, int(count or 0))
        return {t: self._counts[(database, t)][1] for t in trigrams}


# Counts stop here: past it a trigram is "frequent" and its exact count orders nothing useful.
COUNT_UPTO = 1_000


def _holding(trigram: str, i: int, postgres: bool) -> Select[Any]:
    """How many labels hold ``trigram``, counted up to ``COUNT_UPTO`` (``i``: a bound name)."""
    if postgres:
        first: Select[Any] = select(literal_column("1"))
        first = first.where(SearchSuggestion.label_lc.like(f"%{trigram}%"))
    else:
        fts = text(f"search_suggest_fts MATCH :count{i}").bindparams(
            **{f"count{i}": f'"{trigram}"'}
        )
        first = select(literal_column("1")).select_from(text("search_suggest_fts")).where(fts)
    return select(func.count()).select_from(first.limit(COUNT_UPTO).subquery())


# Per asked trigram, only the oldest this many labels holding it (lowest ids) are candidates:
# a short prefix ("tur") is held by thousands of card names at a million cards, and scoring
# and ordering all of them was the cost of a suggestion. Exact (the rule above) whenever each
# asked trigram is held by at most this many labels; past it, the oldest labels win.
SUGGEST_CANDIDATES = 200


def _first_holding(trigram: str, i: int, postgres: bool) -> Select[Any]:
    """The ids of the ``SUGGEST_CANDIDATES`` oldest labels holding ``trigram``."""
    if postgres:
        return (
            select(SearchSuggestion.id)
            .where(SearchSuggestion.label_lc.like(f"%{trigram}%"))
            .order_by(SearchSuggestion.id)
            .limit(SUGGEST_CANDIDATES)
        )
    rowid: ColumnElement[int] = literal_column("rowid")
    fts = text(f"search_suggest_fts MATCH :fts{i}").bindparams(**{f"fts{i}": f'"{trigram}"'})
    return (  # FTS5 yields its matches in rowid order: the LIMIT stops reading its index
        select(rowid.label("id"))
        .select_from(text("search_suggest_fts"))
        .where(fts)
        .order_by(rowid)
        .limit(SUGGEST_CANDIDATES)
    )


def candidate_ids(asked: Sequence[str], postgres: bool) -> Select[Any]:
    """The candidates' ids: the oldest ``SUGGEST_CANDIDATES`` holding each asked trigram."""
    firsts = [_first_holding(t, i, postgres).subquery() for i, t in enumerate(asked)]
    return union_all(*(select(first.c.id) for first in firsts))  # type: ignore[return-value]


TRIGRAM_COUNTS = TrigramCounts()


def rarest_needed(trigrams: Sequence[str], counts: dict[str, int]) -> list[str]:
    """The n - ceil(n/2) + 1 rarest of the n trigrams: every match holds one of them."""
    need = (len(trigrams) + 1) // 2
    return sorted(trigrams, key=lambda t: (counts.get(t, 0), t))[: len(trigrams) - need + 1]


async def rarest_asked(session: AsyncSession, trigrams: Sequence[str]) -> list[str]:
    """The trigrams to ask the index for (``rarest_needed``). One or two trigrams: a match
    holds one of them, so both are asked and no count is needed (no statement run)."""
    if len(trigrams) <= 2:
        return list(trigrams)
    return rarest_needed(trigrams, await TRIGRAM_COUNTS.of(session, trigrams))


async def suggestions(session: AsyncSession, query: str, limit: int) -> list[Suggestion]:
    terms = search_terms(query)
    if not terms:
        return []
    postgres = session.get_bind().dialect.name == "postgresql"
    label = SearchSuggestion.label_lc
    trigrams = query_trigrams(terms)
    if trigrams:
        contains = [
            (func.strpos(label, t) if postgres else func.instr(label, t)) > 0 for t in trigrams
        ]
        hits: ColumnElement[int] = sum(
            (case((c, 1), else_=0) for c in contains), start=literal_column("0")
        )
        asked = await rarest_asked(session, trigrams)
        candidates = SearchSuggestion.id.in_(candidate_ids(asked, postgres).scalar_subquery())
        matched = [candidates, hits * 2 >= len(trigrams)]
        score = hits
    else:
        matched = [or_(label.like(f"{t}%"), label.like(f"% {t}%")) for t in terms]
        score = literal_column(str(len(terms)))  # every word matched
        trigrams = list(terms)
    ordered_label = label.collate("C") if postgres else label
    stmt = (
        select(SearchSuggestion.kind, SearchSuggestion.label, SearchSuggestion.ref, score)
        .where(*matched)
        .order_by(score.desc(), func.length(label), ordered_label, SearchSuggestion.kind)
        .limit(limit)
    )
    rows = await session.execute(stmt)
    return [
        Suggestion(kind, text_, ref, round(int(hits_) / len(trigrams), 3))
        for kind, text_, ref, hits_ in rows
    ]


async def add_card_names(session: AsyncSession, names: Sequence[str]) -> None:
    """Card names become suggestions (once each)."""
    values = [
        {"kind": "card", "label": name, "label_lc": name.lower(), "ref": name}
        for name in dict.fromkeys(names)
    ]
    if values:
        await session.execute(insert_or_ignore(session, SearchSuggestion), values)


async def set_company_suggestions(session: AsyncSession, company: Company) -> None:
    """The company's name and ticker as suggestions, replacing what it had."""
    await session.execute(
        delete(SearchSuggestion).where(
            SearchSuggestion.kind.in_(("company", "ticker")), SearchSuggestion.ref == company.id
        )
    )
    await session.execute(
        insert_or_ignore(session, SearchSuggestion),
        [
            {"kind": kind, "label": text_, "label_lc": text_.lower(), "ref": company.id}
            for kind, text_ in (("company", company.name), ("ticker", company.ticker))
        ],
    )
