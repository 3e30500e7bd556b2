"""`make bench`: ingest and query figures at 5, 1,000 and 10,000 documents, each beside its baseline.

Corpora are generated from the seeds (paragraphs recombined, years shifted, the names the
pipeline finds replaced by made-up ones). Each stage runs in its own process so that peak RSS
belongs to that stage. Prints tables; asserts nothing (tests assert behaviour, not time).
"""
from __future__ import annotations

import asyncio
import json
import os
import random
import re
import resource
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

SIZES = [int(n) for n in os.environ.get("BENCH_SIZES", "5,1000,10000").split(",")]
REPEAT = int(os.environ.get("BENCH_REPEAT", "200"))
WARMUP = 20  # calls per command before timing: a running bot has its hot pages cached

# Queries with typos and paraphrases, and the (doc, paragraph) passages that answer them.
MRR_QUERIES: list[tuple[str, set[tuple[str, int]]]] = [
    ("sanctions swift", {("004_f4c0aca62b356533", 12)}),
    ("sanctoins swfit payment system", {("004_f4c0aca62b356533", 12)}),
    ("salmon fishing quota", {("003_8579e9dcf3949857", 23)}),
    ("salmon and trout fishing deal", {("003_8579e9dcf3949857", 23)}),
    ("ocean 2024 exercise", {("002_7f7b37a8c87dad85", 9)}),
    ("kishida totally unacceptable", {("000_881c20c5f4c740ad", 2), ("003_8579e9dcf3949857", 5)}),
    ("kishida totaly unaceptable", {("000_881c20c5f4c740ad", 2), ("003_8579e9dcf3949857", 5)}),
    ("unfriendly countries list", {("001_a85d1beeb3c2cf91", 8), ("002_7f7b37a8c87dad85", 2)}),
    ("unfreindly countreis", {("001_a85d1beeb3c2cf91", 8), ("002_7f7b37a8c87dad85", 2)}),
    ("nuclear submarines sea of okhotsk", {("000_881c20c5f4c740ad", 17)}),
    ("submarnies okhotsk", {("000_881c20c5f4c740ad", 17)}),
    ("S-300 air defence system sent to the islands", {("001_a85d1beeb3c2cf91", 7)}),
    ("abe offered putin a puppy", {("003_8579e9dcf3949857", 10)}),
    ("eight point economic cooperation plan", {("003_8579e9dcf3949857", 11), ("003_8579e9dcf3949857", 18)}),
    ("most favoured nation status revoked", {("001_a85d1beeb3c2cf91", 8), ("003_8579e9dcf3949857", 19)}),
    ("visa free visits to the islands suspended", {("000_881c20c5f4c740ad", 4), ("002_7f7b37a8c87dad85", 5)}),
    ("north korean troops fighting in ukraine", {("002_7f7b37a8c87dad85", 9), ("002_7f7b37a8c87dad85", 10)}),
    ("constitution amendment bans giving up territory", {("004_f4c0aca62b356533", 8)}),
    ("melting arctic ice opens trade routes", {("000_881c20c5f4c740ad", 17)}),
    ("japan nuclear weapons debate", {("000_881c20c5f4c740ad", 26)}),
    ("yeltsin hashimoto peace treaty 2020", {("004_f4c0aca62b356533", 7)}),
    ("soviet japanese joint declaration 1956", {("002_7f7b37a8c87dad85", 5), ("004_f4c0aca62b356533", 6),
                                                ("003_8579e9dcf3949857", 11)}),
    ("freedom edge trilateral exercise", {("002_7f7b37a8c87dad85", 10)}),
    ("deputy foreign minister galuzin blames tokyo", {("001_a85d1beeb3c2cf91", 12)}),
]


def rss_mb() -> float:
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    kids = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return max(own, kids) / 1024


# ---------------------------------------------------------------- corpus generation

def generate(folder: Path, n: int, seed: int = 7) -> None:
    """n article-sized documents recombined from the seeds, years shifted and names replaced."""
    from bot.ingest.document import BODY, parse_document, read_text
    from bot.extract.pipeline import extract

    rng = random.Random(seed)
    paragraphs, names = [], set()
    for f in sorted((ROOT / "seeds").glob("*.txt")):
        text, sha = read_text(f)
        x = extract(parse_document(f.name, text, sha))
        paragraphs += [p.text for p in x.document.paragraphs if p.kind == BODY]
        names |= {w for p in x.people if p.is_person for w in p.name.split() if len(w) > 3}
    syllables = ["ka", "ro", "mi", "ta", "se", "no", "vi", "ra", "do", "li", "su", "ne"]
    name_re = re.compile(r"\b(" + "|".join(map(re.escape, sorted(names, key=len, reverse=True))) + r")\b")
    folder.mkdir(parents=True, exist_ok=True)
    for i in range(n):
        shift = rng.randint(-40, 3)
        fake = {w: "".join(rng.choice(syllables) for _ in range(3)).title() for w in names}
        body = rng.sample(paragraphs, rng.randint(12, 24))
        text = "\n".join(name_re.sub(lambda m: fake[m.group(1)], p) for p in body)
        text = re.sub(r"\b(19[0-9]{2}|20[0-2][0-9])\b", lambda m: str(int(m.group(1)) + shift), text)
        (folder / f"gen_{i:05d}.txt").write_text(f"Generated analysis {i}\n{text}\n", encoding="utf-8")


# ---------------------------------------------------------------- stages (run in child processes)

def stage_ingest(folder: str, index: str) -> dict:
    from bot.ingest.build import build_index

    t = time.perf_counter()
    report = build_index([Path(folder)], Path(index))
    cold = time.perf_counter() - t
    t = time.perf_counter()
    again = build_index([Path(folder)], Path(index))
    warm = time.perf_counter() - t
    assert not again.changed
    docs = report.counts["documents"]
    return {"docs": docs, "cold_s": cold, "docs_per_s": docs / cold, "reingest_s": warm,
            "index_mb": Path(index).stat().st_size / 1e6, "peak_rss_mb": rss_mb()}


def _pct(samples: list[float]) -> tuple[float, float]:
    samples = sorted(samples)
    return statistics.median(samples) * 1000, samples[min(len(samples) - 1, int(len(samples) * 0.99))] * 1000


async def _latency(index: str) -> dict:
    import datetime as dt

    from rapidfuzz import fuzz, process

    from bot.errors import BadInput
    from bot.knowledge import Knowledge
    from commands.kuril import event_reply, onthisday_reply, search_reply, source_reply
    from commands.quote import quote_reply

    import discord  # noqa: F401 - a running bot has discord.py loaded too

    kb = await Knowledge.open(Path(index))
    docs = list(kb.index.docs.values())
    people = [p.name for p in await kb.index.people() if p.quote_count][:20]
    rng = random.Random(3)
    words = ["sanctions", "sanctoins swift", "peace treaty", "kuril islands military", "salmon fishing quota",
             "nuclear submarines", "unfriendly countries", "ocean exercise", "most favoured nation"]
    calls = {
        "event": lambda: event_reply(kb, rng.choice(["2018", "March 2022", "1990s", "2014-2018", "2022 sanctions",
                                                     "24 February 2022"])),
        "quote": lambda: quote_reply(kb, rng.choice(people or ["x"])),
        "onthisday": lambda: onthisday_reply(kb, None, dt.date(2022, rng.randint(1, 12), rng.randint(1, 28))),
        "source": lambda: source_reply(kb, (d := rng.choice(docs)).doc, rng.randint(1, d.paragraph_count)),
        "search": lambda: search_reply(kb, rng.choice(words)),
    }
    out = {}
    for name, call in calls.items():
        samples = []
        for i in range(REPEAT + WARMUP):
            t = time.perf_counter()
            try:
                await call()
            except BadInput:
                pass  # 'nothing found' is an answer too
            if i >= WARMUP:
                samples.append(time.perf_counter() - t)
        out[name] = _pct(samples)
    bot_rss = rss_mb()  # before the naive baseline loads every paragraph
    fts = []
    for _ in range(REPEAT):
        q = " OR ".join(f'"{w}"' for w in rng.choice(words).split())
        t = time.perf_counter()
        await kb.index.db.execute_fetchall(
            "SELECT rowid, text FROM passages WHERE passages MATCH ? ORDER BY bm25(passages) LIMIT 10", (q,))
        fts.append(time.perf_counter() - t)
    out["raw FTS5 MATCH, BM25 top 10"] = _pct(fts)
    texts = [t for (t,) in await kb.index.db.execute_fetchall("SELECT text FROM paragraphs WHERE kind='body'")]
    scan = []
    for _ in range(max(5, REPEAT // 20)):
        q = rng.choice(words)
        t = time.perf_counter()
        process.extract(q, texts, scorer=fuzz.partial_token_set_ratio, limit=10)
        scan.append(time.perf_counter() - t)
    out["rapidfuzz scan (naive)"] = _pct(scan)
    await kb.close()
    return {"latency_ms": out, "rss_mb": bot_rss}


def stage_latency(index: str) -> dict:
    return asyncio.run(_latency(index))


async def _mrr(index: str) -> dict:
    from rapidfuzz import fuzz, process

    from bot.knowledge import Knowledge
    from bot.search import query_terms

    kb = await Knowledge.open(Path(index))
    name = {d.id: d.doc for d in kb.index.docs.values()}
    rows = await kb.index.db.execute_fetchall("SELECT doc_id, n, text FROM paragraphs WHERE kind != 'footnote'")

    def rr(ranked: list[tuple[str, int]], relevant: set) -> float:
        for i, key in enumerate(ranked[:5], 1):
            if key in relevant:
                return 1 / i
        return 0.0

    scores: dict[str, list[float]] = {"kuril search": [], "plain FTS5 BM25": [], "rapidfuzz over paragraphs": []}
    for query, relevant in MRR_QUERIES:
        ours = [(name[r.hit.doc_id], r.hit.paragraph) for r in await kb.searcher.search(query)]
        scores["kuril search"].append(rr(ours, relevant))
        terms = query_terms(query)
        plain = await kb.index.db.execute_fetchall(
            "SELECT doc_id, paragraph FROM passages WHERE passages MATCH ? AND kind IN ('paragraph', 'boilerplate')"
            " ORDER BY bm25(passages) LIMIT 5", (" OR ".join(f'"{t}"' for t in terms),)) if terms else []
        scores["plain FTS5 BM25"].append(rr([(name[d], n) for d, n in plain], relevant))
        fz = process.extract(query.lower(), [t.lower() for _, _, t in rows], scorer=fuzz.WRatio, limit=5)
        scores["rapidfuzz over paragraphs"].append(rr([(name[rows[i][0]], rows[i][1]) for _, _, i in fz], relevant))
    await kb.close()
    return {k: sum(v) / len(v) for k, v in scores.items()}


def stage_mrr(index: str) -> dict:
    return asyncio.run(_mrr(index))


async def _state_ops() -> dict:
    import datetime as dt
    import uuid

    import asyncpg

    from bot.state.postgres import PostgresState
    from bot.state.sqlite import SqliteState

    dsn = "postgresql://postgres@127.0.0.1:5432/test"
    out = {}
    for backend in ("sqlite", "postgres"):
        if backend == "sqlite":
            folder = Path(tempfile.mkdtemp(prefix="kuril-state-"))
            store = await SqliteState.connect(folder / "state.db")
        else:
            schema = f"bench_{uuid.uuid4().hex[:10]}"
            admin = await asyncpg.connect(dsn)
            await admin.execute(f'CREATE SCHEMA "{schema}"')
            store = await PostgresState.connect(dsn, schema=schema)
        await store.migrate()
        now = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
        for i in range(100):
            await store.add_subscription(i % 7, 1000 + i, "on-this-day", "09:00", "UTC", None, None, now)
        figures = {}
        n = 2000
        t = time.perf_counter()
        for i in range(n):
            await store.claim(i % 100, dt.date(2026, 1, 1) + dt.timedelta(days=i // 100), now, "h", now,
                              dt.timedelta(minutes=2))
        figures["claim delivery"] = n / (time.perf_counter() - t)
        t = time.perf_counter()
        for i in range(n):
            await store.finish(i % 100, dt.date(2026, 1, 1) + dt.timedelta(days=i // 100), "h", "sent", now, i)
        figures["record delivery"] = n / (time.perf_counter() - t)
        t = time.perf_counter()
        for _ in range(n // 4):
            await store.subscriptions()
        figures["list subscriptions (100)"] = (n // 4) / (time.perf_counter() - t)
        await store.close()
        if backend == "postgres":
            await admin.execute(f'DROP SCHEMA "{schema}" CASCADE')
            await admin.close()
        else:
            shutil.rmtree(folder, ignore_errors=True)
        out[backend] = figures
    return out


def stage_state() -> dict:
    return asyncio.run(_state_ops())


def child(stage: str, *args: str) -> dict:
    """Run one stage in a fresh interpreter; its peak RSS is its own."""
    p = subprocess.run([sys.executable, __file__, stage, *args], capture_output=True, text=True, cwd=ROOT)
    if p.returncode != 0:
        raise SystemExit(f"stage {stage} failed:\n{p.stderr[-2000:]}")
    return json.loads(p.stdout.strip().splitlines()[-1])


def main() -> None:
    from rich.console import Console
    from rich.table import Table

    console = Console()
    work = Path(tempfile.mkdtemp(prefix="kuril-bench-"))
    ingest, latency = {}, {}
    try:
        for n in SIZES:
            folder = ROOT / "seeds" if n == 5 else work / f"corpus{n}"
            if n != 5:
                generate(folder, n)
            index = work / f"index{n}.db"
            ingest[n] = child("ingest", str(folder), str(index))
            latency[n] = child("latency", str(index))
            if n == 5:
                mrr = child("mrr", str(index))
            shutil.rmtree(folder, ignore_errors=True) if n != 5 else None
    finally:
        shutil.rmtree(work, ignore_errors=True)

    t = Table(title=f"Ingest ({os.cpu_count()} cores) — targets: ≥100 docs/s cold, re-ingest <1 s per 1,000 docs")
    for col in ("documents", "cold ingest s", "docs/s", "no-change re-ingest s", "index MB", "peak RSS MB"):
        t.add_column(col, justify="right")
    for n, r in ingest.items():
        t.add_row(f"{r['docs']:,}", f"{r['cold_s']:.2f}", f"{r['docs_per_s']:.0f}", f"{r['reingest_s']:.3f}",
                  f"{r['index_mb']:.1f}", f"{r['peak_rss_mb']:.0f}")
    console.print(t)

    t = Table(title="Handler latency p50 / p99 ms — targets at 10k: ≤20 (event, quote, onthisday, source), "
                    "≤50 and ≤3× raw FTS5 (search)")
    t.add_column("what")
    for n in latency:
        t.add_column(f"{ingest[n]['docs']:,} docs", justify="right")
    for what in next(iter(latency.values()))["latency_ms"]:
        t.add_row(what, *(f"{v['latency_ms'][what][0]:.2f} / {v['latency_ms'][what][1]:.2f}" for v in latency.values()))
    t.add_row("process RSS MB (bot: ≤200)", *(f"{v['rss_mb']:.0f}" for v in latency.values()))
    console.print(t)

    state = child("state")
    t = Table(title="State store operations per second (one connection, sequential)")
    t.add_column("operation")
    for backend in state:
        t.add_column(backend, justify="right")
    for op in state["sqlite"]:
        t.add_row(op, *(f"{state[b][op]:,.0f}" for b in state))
    console.print(t)

    t = Table(title=f"Search MRR@5 on {len(MRR_QUERIES)} typo and paraphrase queries (seed index)")
    t.add_column("method")
    t.add_column("MRR@5", justify="right")
    for k, v in mrr.items():
        t.add_row(k, f"{v:.3f}")
    console.print(t)


if __name__ == "__main__":
    if len(sys.argv) > 1:
        stages = {"ingest": stage_ingest, "latency": stage_latency, "mrr": stage_mrr, "state": stage_state}
        print(json.dumps(stages[sys.argv[1]](*sys.argv[2:])))
    else:
        main()
