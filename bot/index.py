"""Read side of the index: the queries the commands need, over one read-only aiosqlite connection."""
from __future__ import annotations

import sqlite3
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import aiosqlite

from bot.extract.events import _MARKER as FOOTNOTE_MARKER  # the one pattern of a marker "[n]"
from bot.names import is_short
from bot.schema import SCHEMA_VERSION
from bot.text import fold


class IndexMissing(Exception):
    """No usable index file: run `kuril-bot ingest`."""


def _event_filter(span: tuple[str, str, int] | None, fts_query: str | None) -> tuple[str, list]:
    """The WHERE clause of an event lookup: overlapping a span (and no wider), and/or matching keywords."""
    where: list[str] = []
    args: list = []
    if span is not None:
        lo, hi, width = span
        where.append("lo BETWEEN date(?, ?) AND ? AND hi >= ? AND julianday(hi) - julianday(lo) <= ?")
        args += [lo, f"-{width} days", hi, lo, width]
    if fts_query is not None:
        where.append("id IN (SELECT rowid FROM event_text WHERE event_text MATCH ?)")
        args.append(fts_query)
    return " AND ".join(where) or "1", args


@dataclass(frozen=True)
class DocInfo:
    id: int
    doc: str
    file: str
    title: str
    publisher: str | None
    author: str | None
    paragraph_count: int
    added_at: str
    published: str | None = None  # YYYY, YYYY-MM or YYYY-MM-DD
    url: str | None = None


@dataclass(frozen=True)
class EventRow:
    id: int
    doc_id: int
    paragraph: int
    date: str
    granularity: str
    end_year: int | None
    sentence: str
    summary: str
    lo: str  # first and last day the date covers
    hi: str
    date_text: str  # the date's words in the sentence


@dataclass(frozen=True)
class PersonRow:
    id: int
    name: str
    role: str | None
    is_person: bool
    quote_count: int


@dataclass(frozen=True)
class Mention:
    """A document that names a person: where first, with the role it gives and the name as it writes it."""

    doc_id: int
    paragraph: int
    role: str | None
    name: str


@dataclass(frozen=True)
class QuoteRow:
    id: int
    person_id: int
    doc_id: int
    paragraph: int
    role: str | None
    text: str


@dataclass(frozen=True)
class Hit:
    """One full-text candidate: a paragraph, quote or event, with its BM25 rank (lower is better)."""

    kind: str
    ref: int | None
    doc_id: int
    paragraph: int
    text: str
    rank: float


_EVENT_COLS = "id, doc_id, paragraph, date, granularity, end_year, sentence, summary, lo, hi, date_text"


class Index:
    """The knowledge index, opened read-only; documents are cached since every answer cites them."""

    def __init__(self, db: aiosqlite.Connection, path: Path) -> None:
        self.db = db
        self.path = path
        self.docs: dict[int, DocInfo] = {}
        self.docs_by_name: dict[str, DocInfo] = {}  # by folded id and by folded file name
        self._version = 0  # PRAGMA data_version when opened

    @classmethod
    async def open(cls, path: Path) -> Index:
        if not path.is_file():
            raise IndexMissing(f"no index at {path}: run `kuril-bot ingest`")
        db = await aiosqlite.connect(f"file:{path}?mode=ro", uri=True)
        try:
            row = await (await db.execute("SELECT value FROM meta WHERE key='schema_version'")).fetchone()
        except aiosqlite.DatabaseError:
            row = None
        if not row or int(row[0]) != SCHEMA_VERSION:
            await db.close()
            raise IndexMissing(f"index at {path} is from another version: run `kuril-bot ingest`")
        index = cls(db, path)
        await index._load_documents()
        index._version = await index._data_version()
        return index

    async def _rows(self, sql: str, args: Iterable[Any] = ()) -> list[sqlite3.Row]:
        return list(await self.db.execute_fetchall(sql, args))

    async def _data_version(self) -> int:
        return (await self._rows("PRAGMA data_version"))[0][0]

    async def edited(self) -> bool:
        """Whether another connection has changed the file since this one opened it (an edit in place)."""
        return await self._data_version() != self._version

    async def close(self) -> None:
        await self.db.close()

    async def _load_documents(self) -> None:
        rows = await self._rows(
            "SELECT id, doc, file, display_title, publisher, author, paragraph_count, added_at, published, url"
            " FROM documents"
            " ORDER BY doc")
        self.docs = {r[0]: DocInfo(*r) for r in rows}
        self.docs_by_name = {fold(name): d for d in self.docs.values() for name in (d.file, d.doc)}

    async def meta(self) -> dict[str, str]:
        """What the ingest wrote about the index: schema_version, built_at."""
        return {key: str(value) for key, value in await self._rows("SELECT key, value FROM meta")}

    async def speaker_count(self, doc_id: int) -> int:
        """How many people a document quotes."""
        rows = await self._rows("SELECT count(DISTINCT person_id) FROM quotes WHERE doc_id = ?", (doc_id,))
        return rows[0][0]

    async def counts(self) -> dict[int, dict[str, int]]:
        """Per document: quotes and events."""
        out: dict[int, dict[str, int]] = {i: {"quotes": 0, "events": 0} for i in self.docs}
        for table in ("quotes", "events"):
            for doc_id, n in await self._rows(
                    f"SELECT doc_id, count(*) FROM {table} GROUP BY doc_id"):  # noqa: S608 - fixed names
                out[doc_id][table] = n
        return out

    async def paragraph(self, doc_id: int, n: int) -> tuple[str, str] | None:
        """(text, kind) of one paragraph."""
        rows = await self._rows(
            "SELECT text, kind FROM paragraphs WHERE doc_id = ? AND n = ?", (doc_id, n))
        return (rows[0][0], rows[0][1]) if rows else None

    async def footnotes(self, doc_id: int, numbers: list[int]) -> list[tuple[int, str]]:
        if not numbers:
            return []
        marks = ",".join("?" * len(numbers))
        rows = await self._rows(
            f"SELECT n, text FROM footnotes WHERE doc_id = ? AND n IN ({marks}) ORDER BY n",  # noqa: S608
            (doc_id, *numbers))
        return [(n, t) for n, t in rows]

    async def footnotes_in(self, doc_id: int, text: str) -> list[tuple[int, str]]:
        """The footnotes whose markers [n] appear in `text`."""
        return await self.footnotes(doc_id, sorted({int(n) for n in FOOTNOTE_MARKER.findall(text)}))

    async def events(self, span: tuple[str, str, int] | None, fts_query: str | None,
                     limit: int = -1) -> list[EventRow]:
        """Events, oldest first, overlapping span (first day, last day, width in days) and/or whose
        sentence matches an FTS5 query. An event wider than the span is left out (a year asks no
        decade), which also bounds the scan: its first day is at most `width` days before the span's.
        """
        where, args = _event_filter(span, fts_query)
        rows = await self._rows(
            # walking events in date order and stopping at `limit` beats sorting every keyword match
            f"SELECT {_EVENT_COLS} FROM events INDEXED BY events_span WHERE {where}"  # noqa: S608
            " ORDER BY lo, doc_id, paragraph LIMIT ?", (*args, limit))
        return [EventRow(*r) for r in rows]

    async def first_years(self, span: tuple[str, str, int] | None, fts_query: str | None) -> list[int]:
        """The first year of every event events() would give without a limit: what a timeline counts when
        there are too many to read."""
        where, args = _event_filter(span, fts_query)
        rows = await self._rows(f"SELECT CAST(substr(lo, 1, 4) AS INTEGER) FROM events WHERE {where}", args)  # noqa: S608
        return [y for (y,) in rows]

    async def event_near(self, n: int) -> EventRow | None:
        """The event with the smallest id at or past n modulo the largest id: one fact that changes
        with n, read through the primary key whatever the size of the shelf."""
        top = (await self._rows("SELECT max(id) FROM events"))[0][0]
        if not top:
            return None
        rows = await self._rows(
            f"SELECT {_EVENT_COLS} FROM events WHERE id >= ? ORDER BY id LIMIT 1", (n % top + 1,))  # noqa: S608
        return EventRow(*rows[0]) if rows else None

    async def events_by_id(self, ids: list[int]) -> list[EventRow]:
        if not ids:
            return []
        marks = ",".join("?" * len(ids))
        rows = await self._rows(
            f"SELECT {_EVENT_COLS} FROM events WHERE id IN ({marks}) ORDER BY lo, doc_id, paragraph", ids)  # noqa: S608
        return [EventRow(*r) for r in rows]

    async def events_on(self, month: int, day: int | None, limit: int = -1) -> list[EventRow]:
        """Events on a month and day in any year (day None: any event dated within that month)."""
        if day is None:
            sql = f"SELECT {_EVENT_COLS} FROM events WHERE month = ? ORDER BY lo LIMIT ?"  # noqa: S608
            args: tuple = (month, limit)
        else:
            sql = f"SELECT {_EVENT_COLS} FROM events WHERE month = ? AND day = ? ORDER BY lo LIMIT ?"  # noqa: S608
            args = (month, day, limit)
        return [EventRow(*r) for r in await self._rows(sql, args)]

    async def events_on_days(self, days: list[tuple[int, int]], limit: int = -1) -> list[EventRow]:
        """Day-dated events whose (month, day) is one of `days`, in the order of `days`, any year."""
        keys = [m * 100 + d for m, d in days]
        marks = ",".join("?" * len(keys))
        order = " ".join(f"WHEN {k} THEN {i}" for i, k in enumerate(keys))
        rows = await self._rows(
            f"SELECT {_EVENT_COLS} FROM events WHERE granularity = 'day' AND month * 100 + day IN ({marks})"  # noqa: S608
            f" ORDER BY CASE month * 100 + day {order} END, lo LIMIT ?", (*keys, limit))
        return [EventRow(*r) for r in rows]

    async def quotes_page(self, offset: int, limit: int) -> list[QuoteRow]:
        rows = await self._rows(
            "SELECT id, person_id, doc_id, paragraph, role, text FROM quotes ORDER BY id LIMIT ? OFFSET ?",
            (limit, offset))
        return [QuoteRow(*r) for r in rows]

    async def quote_count(self) -> int:
        return (await self._rows("SELECT count(*) FROM quotes"))[0][0]

    async def event_years(self) -> list[tuple[str, int]]:
        """(date prefix, count) for autocomplete: years and months that have events."""
        rows = await self._rows(
            "SELECT substr(date, 1, 4), count(*) FROM events GROUP BY 1 UNION ALL "
            "SELECT substr(date, 1, 7), count(*) FROM events WHERE granularity != 'year' GROUP BY 1")
        return [(d, n) for d, n in rows]

    async def people(self, limit: int = -1) -> list[PersonRow]:
        """People with their quote counts, most quoted first."""
        rows = await self._rows(
            "SELECT p.id, p.name, p.role, p.is_person, count(q.id) FROM people p"
            " LEFT JOIN quotes q ON q.person_id = p.id GROUP BY p.id ORDER BY count(q.id) DESC, p.name LIMIT ?",
            (limit,))
        return [PersonRow(i, n, r, bool(ip), c) for i, n, r, ip, c in rows]

    async def person(self, person_id: int) -> PersonRow | None:
        rows = await self._rows(
            "SELECT p.id, p.name, p.role, p.is_person, (SELECT count(*) FROM quotes q WHERE q.person_id = p.id)"
            " FROM people p WHERE p.id = ?", (person_id,))
        return PersonRow(rows[0][0], rows[0][1], rows[0][2], bool(rows[0][3]), rows[0][4]) if rows else None

    async def first_quotes(self, person_ids: list[int]) -> dict[int, QuoteRow]:
        """Each person's first quote, for citing a people list in one query."""
        marks = ",".join("?" * len(person_ids))
        rows = await self._rows(
            f"SELECT id, person_id, doc_id, paragraph, role, text FROM quotes WHERE id IN"  # noqa: S608
            f" (SELECT min(id) FROM quotes WHERE person_id IN ({marks}) GROUP BY person_id)", person_ids)
        return {r[1]: QuoteRow(*r) for r in rows}

    async def aliases(self) -> list[tuple[str, int]]:
        return [(a, p) for a, p in await self._rows("SELECT alias_key, person_id FROM aliases")]

    async def full_names(self) -> list[tuple[str, int]]:
        """(name key, person) of every person named in full, not by a surname alone or initials."""
        rows = await self._rows("SELECT name_key, name, id FROM people")
        return [(k, p) for k, name, p in rows if not is_short(name)]

    async def mentions_of(self, person_id: int) -> list[Mention]:
        rows = await self._rows("SELECT doc_id, paragraph, role, name FROM people_docs WHERE person_id = ?",
                                (person_id,))
        return [Mention(*r) for r in rows]

    async def events_in(self, doc_ids: list[int]) -> list[EventRow]:
        """The events of some documents, oldest first."""
        marks = ",".join("?" * len(doc_ids))
        rows = await self._rows(f"SELECT {_EVENT_COLS} FROM events WHERE doc_id IN ({marks})"  # noqa: S608
                                " ORDER BY lo, doc_id, paragraph", doc_ids)
        return [EventRow(*r) for r in rows]

    async def quotes_of(self, person_id: int, limit: int = -1) -> list[QuoteRow]:
        rows = await self._rows(
            "SELECT id, person_id, doc_id, paragraph, role, text FROM quotes WHERE person_id = ?"
            " ORDER BY doc_id, paragraph, id LIMIT ?", (person_id, limit))
        return [QuoteRow(*r) for r in rows]

    async def match(self, fts_query: str, limit: int) -> list[Hit]:
        """Full-text candidates for an already-safe FTS5 query string, best BM25 first over every
        match: FTS5 sorts by its own `rank` inside the module and keeps only `limit` rows."""
        rows = await self._rows(
            "SELECT kind, ref, doc_id, paragraph, text, rank FROM passages WHERE passages MATCH ?"
            " ORDER BY rank LIMIT ?", (fts_query, limit))
        return [Hit(*r) for r in rows]

    async def passage_count(self) -> int:
        """How many rows the full-text index holds (read from the documents' rowid ranges)."""
        rows = await self._rows("SELECT coalesce(sum(passage_hi - passage_lo + 1), 0) FROM documents")
        return rows[0][0]

    async def vocabulary(self) -> list[tuple[str, int]]:
        """(term, document frequency) of the full-text index, for typo correction."""
        rows = await self._rows("SELECT term, doc FROM vocab")
        return [(t, n) for t, n in rows]

    async def topic_words(self) -> list[tuple[str, float]]:
        rows = await self._rows(
            "SELECT word, sum(weight) FROM topics GROUP BY word ORDER BY 2 DESC LIMIT 2000")
        return [(w, s) for w, s in rows]
