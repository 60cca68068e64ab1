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

import re
from collections.abc import Sequence
from typing import Protocol

from sqlalchemy import ColumnElement, func, literal_column, select, text
from sqlalchemy.ext.asyncio import AsyncSession

from ece.cards.models import Card

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

    async def matching(self, session: AsyncSession, query: str) -> ColumnElement[bool]:
        """A condition on ``Card`` true for the cards every word of ``query`` matches."""
        ...


class SqliteFtsSearch:
    """FTS5 table ``card_search(card_id UNINDEXED, body)`` with prefix indexes (see migration)."""

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
                    "INSERT INTO card_search (card_id, body) "  # noqa: S608
                    f"SELECT id, search_text FROM cards WHERE id IN ({marks})"
                ),
                params,
            )

    async def matching(self, session: AsyncSession, query: str) -> ColumnElement[bool]:
        terms = search_terms(query)
        if not terms:
            return Card.id.is_(None)  # nothing to search for matches nothing
        # Each word a quoted prefix term ("acm"*), ANDed: the words are \w+ so need no escaping.
        expression = " AND ".join(f'"{term}"*' for term in terms)
        ids = (
            select(text("card_id"))
            .select_from(text("card_search"))
            .where(text("card_search MATCH :fts_query").bindparams(fts_query=expression))
        )
        return Card.id.in_(ids.scalar_subquery())


class PostgresSearch:
    """A GIN index on ``to_tsvector('simple', search_text)`` (see migration); the query uses the
    same expression so the planner can use it."""

    async def index(self, session: AsyncSession, card_ids: Sequence[str]) -> None:
        return None  # an expression index follows the column by itself

    async def matching(self, session: AsyncSession, query: str) -> ColumnElement[bool]:
        terms = search_terms(query)
        if not terms:
            return Card.id.is_(None)
        vector = func.to_tsvector(literal_column("'simple'"), Card.search_text)
        tsquery = func.to_tsquery(literal_column("'simple'"), " & ".join(f"{t}:*" for t in terms))
        return vector.bool_op("@@")(tsquery)


def search_for(session: AsyncSession) -> CardSearch:
    """The search backend of the session's database."""
    if session.get_bind().dialect.name == "postgresql":
        return PostgresSearch()
    return SqliteFtsSearch()
