"""Build the index: incremental by content hash, atomic by building a copy and swapping it in.

A failed ingest leaves the previous index file untouched, so a running bot keeps serving.
"""
from __future__ import annotations

import fcntl
import hashlib
import json
import logging
import os
import re
import sqlite3
import tempfile
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from bot.extract import lexicon
from bot.extract.dates import date_bounds
from bot.extract.events import Event
from bot.ingest.budget import limit_memory, time_limit
from bot.ingest.document import BadFile, load_catalog, parse_document, read_text
from bot.extract.pipeline import Extraction, extract
from bot.extract.people import Person
from bot.schema import SCHEMA_VERSION
from bot.names import is_short, name_key, name_words, plainer, short_forms, written
from bot.text import fold

log = logging.getLogger("kuril.ingest")
ARTICLE_SUFFIXES = {".txt", ".md"}
_PARALLEL_FROM = 64  # below this, a process pool costs more than it saves

SCHEMA = """
CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE documents(
    id INTEGER PRIMARY KEY, doc TEXT NOT NULL UNIQUE, file TEXT NOT NULL, source_hash TEXT NOT NULL,
    title TEXT, display_title TEXT NOT NULL, publisher TEXT, author TEXT, published TEXT, url TEXT,
    paragraph_count INTEGER NOT NULL, added_at TEXT NOT NULL,
    passage_lo INTEGER, passage_hi INTEGER);  -- its passages' rowids: FTS5 deletes them by range
CREATE TABLE paragraphs(
    doc_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE, n INTEGER NOT NULL,
    kind TEXT NOT NULL, text TEXT NOT NULL, PRIMARY KEY(doc_id, n)) WITHOUT ROWID;
CREATE TABLE sentences(
    doc_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE, paragraph INTEGER NOT NULL,
    start INTEGER NOT NULL, end INTEGER NOT NULL);
CREATE INDEX sentences_doc ON sentences(doc_id, paragraph);
CREATE TABLE footnotes(
    doc_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE, n INTEGER NOT NULL,
    paragraph INTEGER NOT NULL, text TEXT NOT NULL, PRIMARY KEY(doc_id, n)) WITHOUT ROWID;
CREATE TABLE people(
    id INTEGER PRIMARY KEY, name TEXT NOT NULL, name_key TEXT NOT NULL UNIQUE, role TEXT,  -- bot/names.py
    is_person INTEGER NOT NULL);
CREATE TABLE aliases(  -- the name keys a reader may type for a person: full names, surname, initials
    alias_key TEXT NOT NULL, person_id INTEGER NOT NULL REFERENCES people(id) ON DELETE CASCADE,
    PRIMARY KEY(alias_key, person_id)) WITHOUT ROWID;
CREATE TABLE quotes(
    id INTEGER PRIMARY KEY, person_id INTEGER NOT NULL REFERENCES people(id),
    doc_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE, paragraph INTEGER NOT NULL,
    role TEXT, text TEXT NOT NULL);
CREATE INDEX quotes_person ON quotes(person_id);
-- every table a document owns is found by doc_id: a removal costs one article
CREATE INDEX quotes_doc ON quotes(doc_id);
CREATE TABLE events(
    id INTEGER PRIMARY KEY, doc_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    paragraph INTEGER NOT NULL, date TEXT NOT NULL, granularity TEXT NOT NULL, end_year INTEGER,
    lo TEXT NOT NULL, hi TEXT NOT NULL, month INTEGER, day INTEGER, date_text TEXT NOT NULL,
    sentence TEXT NOT NULL, summary TEXT NOT NULL);
CREATE INDEX events_span ON events(lo, hi);  -- date-overlap scans read the index alone
CREATE INDEX events_day ON events(month, day, lo);  -- 'on this day', oldest first, without a sort
CREATE INDEX events_month ON events(month, lo);
CREATE INDEX events_doc ON events(doc_id);
CREATE TABLE topics(
    doc_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE, word TEXT NOT NULL,
    weight REAL NOT NULL);
CREATE INDEX topics_word ON topics(word);
CREATE INDEX topics_doc ON topics(doc_id);
CREATE TABLE people_docs(  -- who each document names (so that people go with their last document),
    person_id INTEGER NOT NULL REFERENCES people(id) ON DELETE CASCADE,  -- where first, and as what
    doc_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE, paragraph INTEGER NOT NULL, role TEXT,
    name TEXT NOT NULL, PRIMARY KEY(doc_id, person_id)) WITHOUT ROWID;  -- name: as this document writes it
CREATE INDEX people_docs_person ON people_docs(person_id);
-- One row per searchable unit: a paragraph, a quote or an event sentence.
CREATE VIRTUAL TABLE passages USING fts5(
    text, kind UNINDEXED, ref UNINDEXED, doc_id UNINDEXED, paragraph UNINDEXED,
    tokenize = 'porter unicode61 remove_diacritics 2');
CREATE VIRTUAL TABLE vocab USING fts5vocab(passages, 'row');
-- Event sentences alone, keyed by event id: a keyword filter on events never reads other passages.
CREATE VIRTUAL TABLE event_text USING fts5(
    sentence, content = 'events', content_rowid = 'id', tokenize = 'porter unicode61 remove_diacritics 2');
"""

_STOP = lexicon.words("function_words")  # never a topic word


@dataclass
class Report:
    """What an ingest did, for the summary table."""

    added: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    unchanged: int = 0
    skipped: list[tuple[str, str]] = field(default_factory=list)
    warnings: list[tuple[str, str]] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)

    @property
    def changed(self) -> bool:
        return bool(self.added or self.updated or self.removed)


def article_files(paths: Iterable[Path]) -> list[Path]:
    """The article files named by `paths` (files, or folders searched recursively)."""
    out: list[Path] = []
    for p in paths:
        if p.is_dir():  # hidden folders ('.removed/', kept for undo) are off the shelf
            out.extend(sorted(f for f in p.rglob("*") if f.suffix.lower() in ARTICLE_SUFFIXES and f.is_file()
                              and not any(part.startswith(".") for part in f.relative_to(p).parts)))
        elif p.exists():
            out.append(p)
    return out


def _source_hash(content_hash: str, overrides: dict) -> str:
    return hashlib.sha256((content_hash + json.dumps(overrides, sort_keys=True)).encode()).hexdigest()


def _extract_file(job: tuple[str, str, dict]) -> Extraction | tuple[str, str]:
    """Worker: read and extract one file, or return (file, reason) when it must be skipped."""
    path, source_hash, overrides = job
    p = Path(path)
    try:
        with time_limit():
            text, sha = read_text(p)
            x = extract(parse_document(p.name, text, source_hash, overrides))
            # here, in the worker, not in the single writer
            folded = [(p.n, fold(p.text)) for p in x.document.paragraphs if p.is_content]
            x.topics = _topics(folded).most_common(25)
            x.first_mentions = [_first_mention(folded, person) for person in x.people]
        return x
    except BadFile as e:
        return (p.name, str(e))
    except MemoryError:
        return (p.name, "too large to read in memory; split it into smaller files")
    except Exception as e:  # noqa: BLE001 - one bad file must not sink the batch, nor the start
        log.warning("could not read %s: %s: %s", p.name, type(e).__name__, e)
        return (p.name, f"could not be read ({type(e).__name__})")


def file_hash(path: Path) -> str:
    """The sha256 of a file's bytes: what says whether an article changed."""
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _topics(folded: list[tuple[int, str]]) -> Counter[str]:
    words: Counter[str] = Counter()
    for _, text in folded:
        words.update(w for w in text.split() if w.isalpha() and len(w) > 3 and w not in _STOP)
    return words


def _person_id(db: sqlite3.Connection, person: Person, doc_id: int, paragraph: int) -> int:
    """The person's row, found by name key (so 'Shinzō Abe' in one article is 'Abe Shinzo' in another),
    with the keys a reader may type them by, and the document naming them at `paragraph`."""
    key = name_key(person.name) or fold(person.name)
    shown = written(person.name) if person.is_person else person.name  # 'Japan's Defence Ministry' keeps its 's
    row = db.execute("SELECT id, role, name FROM people WHERE name_key = ?", (key,)).fetchone()
    if row is None:
        pid = db.execute("INSERT INTO people(name, name_key, role, is_person) VALUES (?,?,?,?) RETURNING id",
                         (shown, key, person.role, int(person.is_person))).fetchone()[0]
    else:
        pid = row[0]
        if person.role and not row[1]:
            db.execute("UPDATE people SET role = ? WHERE id = ?", (person.role, pid))
        if plainer(person.name, row[2]):  # 'Sergey Lavrov' rather than 'Sergey Viktorovich Lavrov'
            db.execute("UPDATE people SET name = ? WHERE id = ?", (shown, pid))
    keys = {name_key(a) for a in person.all_aliases() | {person.name}} | {key}
    if person.is_person:
        keys |= short_forms(person.name)
    db.executemany("INSERT OR IGNORE INTO aliases(alias_key, person_id) VALUES (?, ?)", [(k, pid) for k in keys if k])
    db.execute("INSERT INTO people_docs(person_id, doc_id, paragraph, role, name) VALUES (?, ?, ?, ?, ?)"
               " ON CONFLICT DO UPDATE SET paragraph = min(paragraph, excluded.paragraph),"
               " role = coalesce(role, excluded.role)", (pid, doc_id, paragraph, person.role, shown))
    return pid


def _first_mention(paragraphs: list[tuple[int, str]], person: Person) -> int:
    """The first paragraph (number, folded text) that names the person by any alias, else the first."""
    names = [re.compile(rf"\b{re.escape(fold(a))}\b") for a in person.all_aliases() | {person.name}]
    first = paragraphs[0][0] if paragraphs else 1
    return next((n for n, text in paragraphs if any(rx.search(text) for rx in names)), first)


def _merge_people(db: sqlite3.Connection) -> None:
    """Rows that are one person join: a name with stray words before a known full name ('Russia-ASEAN
    Vladimir Putin'), then a surname alone or with initials ('Lavrov', 'S. Lavrov') where the shelf has
    one person it can be; where it fits two people (two Konos), it stays a row of its own."""
    people = db.execute("SELECT id, name, is_person FROM people").fetchall()
    by_key = {name_key(name): pid for pid, name, is_person in people if is_person and not is_short(name)}
    for pid, name, is_person in people:
        tail = name_words(name)[-2:]
        target = by_key.get(name_key(" ".join(tail)))
        if is_person and len(name_words(name)) > 2 and target is not None:
            _merge(db, pid, target)
    people = db.execute("SELECT id, name, is_person FROM people").fetchall()
    fits: dict[str, set[int]] = {}
    for pid, name, is_person in people:
        for k in short_forms(name) if is_person else ():
            fits.setdefault(k, set()).add(pid)
    for pid, name, _ in people:
        into = fits.get(name_key(name), set()) - {pid}
        if is_short(name) and len(into) == 1:
            _merge(db, pid, into.pop())


def _merge(db: sqlite3.Connection, pid: int, target: int) -> None:
    """Person `pid` is person `target`: their quotes, aliases and documents move there."""
    db.execute("UPDATE quotes SET person_id = ? WHERE person_id = ?", (target, pid))
    for table, cols in (("aliases", "alias_key"), ("people_docs", "doc_id, paragraph, role, name")):
        db.execute(f"INSERT OR IGNORE INTO {table}(person_id, {cols})"  # noqa: S608 - fixed names
                   f" SELECT ?, {cols} FROM {table} WHERE person_id = ?", (target, pid))
    db.execute("UPDATE people SET role = coalesce(role, (SELECT role FROM people WHERE id = ?)) WHERE id = ?",
               (pid, target))
    db.execute("DELETE FROM people WHERE id = ?", (pid,))


def _insert(db: sqlite3.Connection, x: Extraction, added_at: str) -> None:
    d = x.document
    doc_id = db.execute(
        "INSERT INTO documents(doc, file, source_hash, title, display_title, publisher, author, published,"
        " url, paragraph_count, added_at) VALUES (?,?,?,?,?,?,?,?,?,?,?) RETURNING id",
        (d.doc, d.file, d.sha256, d.title, d.display_title, d.publisher, d.author, d.published, d.url,
         len(d.paragraphs), added_at)).fetchone()[0]
    db.executemany("INSERT INTO paragraphs(doc_id, n, kind, text) VALUES (?,?,?,?)",
                   [(doc_id, p.n, p.kind, p.text) for p in d.paragraphs])
    first = _last_passage(db) + 1
    db.executemany("INSERT INTO passages(text, kind, ref, doc_id, paragraph) VALUES (?,?,?,?,?)",
                   [(p.text, "paragraph" if p.is_content else "boilerplate", None, doc_id, p.n)
                    for p in d.paragraphs if p.kind != "footnote"])
    db.executemany("INSERT INTO sentences(doc_id, paragraph, start, end) VALUES (?,?,?,?)",
                   [(doc_id, s.paragraph, s.start, s.end) for s in x.sentences])
    db.executemany("INSERT INTO footnotes(doc_id, n, paragraph, text) VALUES (?,?,?,?)",
                   [(doc_id, f.n, f.paragraph, f.text) for f in d.footnotes])
    # each person's row once per article (first mentions come before their quotes); their quotes reuse it
    pids = {id(p): _person_id(db, p, doc_id, paragraph)
            for p, paragraph in zip(x.people, x.first_mentions, strict=True)}
    for q in x.quotes:
        if q.speaker is None:  # words the article gives to no one: findable, never as someone's
            db.execute("INSERT INTO passages(text, kind, ref, doc_id, paragraph) VALUES (?,?,?,?,?)",
                       (q.text, "quote", None, doc_id, q.paragraph))
            continue
        pid = pids.get(id(q.speaker)) or _person_id(db, q.speaker, doc_id, q.paragraph)
        qid = db.execute("INSERT INTO quotes(person_id, doc_id, paragraph, role, text) VALUES (?,?,?,?,?)",
                         (pid, doc_id, q.paragraph, q.speaker.role, q.text)).lastrowid
        db.execute("INSERT INTO passages(text, kind, ref, doc_id, paragraph) VALUES (?,?,?,?,?)",
                   (f"{q.speaker.name}: {q.text}", "quote", qid, doc_id, q.paragraph))
    first_event = db.execute("SELECT coalesce(max(id), 0) + 1 FROM events").fetchone()[0]
    events = list(enumerate(x.events, first_event))  # ids given here: three tables filled in three calls
    db.executemany("INSERT INTO events(id, doc_id, paragraph, date, granularity, end_year, lo, hi, month, day,"
                   " date_text, sentence, summary) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)",
                   [_event_row(eid, doc_id, e) for eid, e in events])
    db.executemany("INSERT INTO passages(text, kind, ref, doc_id, paragraph) VALUES (?,?,?,?,?)",
                   [(e.sentence, "event", eid, doc_id, e.paragraph) for eid, e in events])
    db.executemany("INSERT INTO event_text(rowid, sentence) VALUES (?, ?)", [(eid, e.sentence) for eid, e in events])
    db.executemany("INSERT INTO topics(doc_id, word, weight) VALUES (?,?,?)",
                   [(doc_id, w, c) for w, c in x.topics])
    db.execute("UPDATE documents SET passage_lo = ?, passage_hi = ? WHERE id = ?", (first, _last_passage(db), doc_id))


def _event_row(eid: int, doc_id: int, e: Event) -> tuple:
    """An events row: the date's first and last day, and its month and day for /kuril onthisday."""
    lo, hi = date_bounds(e.date, e.granularity, e.end_year)
    month = int(e.date[5:7]) if e.granularity != "year" else None
    day = int(e.date[8:10]) if e.granularity == "day" else None
    return (eid, doc_id, e.paragraph, e.date, e.granularity, e.end_year, lo, hi, month, day, e.date_text,
            e.sentence, e.summary)


def _last_passage(db: sqlite3.Connection) -> int:
    row = db.execute("SELECT rowid FROM passages ORDER BY rowid DESC LIMIT 1").fetchone()
    return row[0] if row else 0


def _delete(db: sqlite3.Connection, doc: str) -> None:
    """Take one document out; every step is found by its id or its passages' rowid range."""
    row = db.execute("SELECT id, passage_lo, passage_hi FROM documents WHERE doc = ?", (doc,)).fetchone()
    if row:
        db.execute("DELETE FROM passages WHERE rowid BETWEEN ? AND ?", (row[1], row[2]))
        db.execute("INSERT INTO event_text(event_text, rowid, sentence)"  # an external-content index
                   " SELECT 'delete', id, sentence FROM events WHERE doc_id = ?", (row[0],))  # forgets by value
        db.execute("DELETE FROM documents WHERE id = ?", (row[0],))


def _existing(index: Path) -> dict[str, str]:
    """doc -> source hash of a usable existing index, or {} when it must be built afresh."""
    if not index.is_file():
        return {}
    try:
        with sqlite3.connect(f"file:{index}?mode=ro", uri=True) as db:
            version = db.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()
            if not version or int(version[0]) != SCHEMA_VERSION:
                return {}
            return dict(db.execute("SELECT doc, source_hash FROM documents"))
    except sqlite3.DatabaseError:
        return {}


def build_index(paths: list[Path], index: Path, *, sync: bool = True,
                progress: Callable[[int, int], None] | None = None, workers: int | None = None) -> Report:
    """Bring `index` up to date with the articles under `paths`.

    sync=True (ingest of the seeds folder) also drops documents whose files are gone;
    sync=False (ingest of single files) only adds or updates.
    """
    index.parent.mkdir(parents=True, exist_ok=True)
    with open(f"{index}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # one writer at a time, across processes
        for leftover in index.parent.glob(".kuril-*.db*"):  # a killed build's copy: no writer holds it now
            leftover.unlink(missing_ok=True)
        return _build(paths, index, sync, progress, workers)


def remove_documents(index: Path, docs: list[str]) -> Report:
    """Take documents out of an index in place, each in its own transaction (its files are the caller's)."""
    with open(f"{index}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        known = set(_existing(index))
        report = Report()
        _edit(index, [], [d for d in docs if d in known], report, known)
        report.counts = _counts(index)
        return report


def _build(paths: list[Path], index: Path, sync: bool, progress, workers) -> Report:
    report = Report()
    files = article_files(paths)
    catalogs = {folder: _catalog(folder, report) for folder in {f.parent for f in files}}
    existing = _existing(index)
    jobs: list[tuple[str, str, dict]] = []
    seen: set[str] = set()
    for f in files:
        try:
            content_hash = file_hash(f)
        except OSError:
            report.skipped.append((f.name, "cannot be read"))
            continue
        overrides = catalogs[f.parent].get(f.name, {})
        source_hash = _source_hash(content_hash, overrides)
        seen.add(f.stem)
        if existing.get(f.stem) == source_hash:
            report.unchanged += 1
        else:
            jobs.append((str(f), source_hash, overrides))
    gone = sorted(set(existing) - seen) if sync else []
    if not jobs and not gone and existing:
        report.counts = _counts(index)
        return report
    results = _run(jobs, progress, workers)
    if existing:
        _edit(index, results, gone, report, set(existing))
    else:
        _rebuild(index, results, report)
    report.counts = _counts(index)
    return report


def _edit(index: Path, results, gone: list[str], report: Report, existing: set[str]) -> None:
    """Change the index where it is, one transaction per article: an edit costs that article, readers
    (WAL) answer throughout and see each article before or after its change, never half of it."""
    db = sqlite3.connect(index, timeout=30)
    try:
        db.execute("PRAGMA journal_mode = WAL")
        db.execute("PRAGMA synchronous = NORMAL")
        _apply(db, results, gone, report, existing, per_article=True)
    finally:
        db.close()


def _rebuild(index: Path, results, report: Report) -> None:
    """A new index is built in a file of its own and swapped in whole (os.replace is atomic)."""
    fd, tmp_name = tempfile.mkstemp(prefix=".kuril-", suffix=".db", dir=index.parent)
    os.close(fd)
    tmp = Path(tmp_name)
    try:
        db = sqlite3.connect(tmp)
        try:
            db.executescript(SCHEMA)
            _apply(db, results, [], report, set(), per_article=False)
            db.execute("INSERT INTO passages(passages) VALUES ('optimize')")
            db.execute("INSERT INTO event_text(event_text) VALUES ('optimize')")
            db.commit()
        finally:
            db.close()
        os.replace(tmp, index)
    finally:
        tmp.unlink(missing_ok=True)


def _catalog(folder: Path, report: Report) -> dict[str, dict]:
    """The folder's catalog; a broken one is reported and left out, never a reason to stop."""
    try:
        return load_catalog(folder)
    except BadFile as e:
        report.warnings.append(("catalog.toml", f"{e}; its metadata is left out until it is fixed"))
        return {}


def _run(jobs, progress, workers) -> Iterator[Extraction | tuple[str, str]]:
    """Extractions as they come: the writer stores each while the workers read the next."""
    if len(jobs) >= _PARALLEL_FROM and (workers or os.cpu_count() or 1) > 1:
        with ProcessPoolExecutor(max_workers=workers or os.cpu_count(), initializer=limit_memory) as pool:
            results = pool.map(_extract_file, jobs, chunksize=16)
            for done, r in enumerate(results, 1):
                yield r
                if progress:
                    progress(done, len(jobs))
    else:
        for done, job in enumerate(jobs, 1):
            yield _extract_file(job)
            if progress:
                progress(done, len(jobs))


def _apply(db: sqlite3.Connection, results, gone: list[str], report: Report, existing: set[str],
           per_article: bool) -> None:
    db.execute("PRAGMA foreign_keys = ON")
    now = datetime.now(UTC).isoformat(timespec="seconds")
    with db:
        for doc in gone:
            _delete(db, doc)
            report.removed.append(doc)
            if per_article:
                db.commit()
        for r in results:
            if isinstance(r, tuple):
                report.skipped.append(r)
                continue
            doc = r.document.doc
            _delete(db, doc)
            _insert(db, r, now)
            (report.updated if doc in existing else report.added).append(doc)
            if not r.events:
                report.warnings.append((r.document.file, "no dates found: no events"))
            if per_article:
                db.commit()
        _merge_people(db)
        # people go with their last document (a role once given keeps no one on the shelf)
        db.execute("DELETE FROM people WHERE id NOT IN (SELECT person_id FROM people_docs)")
        db.execute("DELETE FROM people WHERE id NOT IN (SELECT person_id FROM quotes) AND role IS NULL")
        db.executemany("INSERT OR REPLACE INTO meta(key, value) VALUES (?, ?)",
                       [("schema_version", str(SCHEMA_VERSION)), ("built_at", now)])


def _counts(index: Path) -> dict[str, int]:
    """What the index holds; each count read from a small table or index (not the paragraphs' text)."""
    with sqlite3.connect(f"file:{index}?mode=ro", uri=True) as db:
        counts = {t: db.execute(f"SELECT count(*) FROM {t}").fetchone()[0]  # noqa: S608 - fixed names
                  for t in ("documents", "quotes", "events", "people")}
        counts["paragraphs"] = db.execute("SELECT coalesce(sum(paragraph_count), 0) FROM documents").fetchone()[0]
        return {k: counts[k] for k in ("documents", "paragraphs", "quotes", "events", "people")}
