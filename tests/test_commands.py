"""Every command through the real CommandTree callbacks (console path): answers, citations, bad input."""
from __future__ import annotations

import json
import re
import sqlite3
import subprocess
import sys

import discord
import pytest

from bot.ingest.build import build_index
from bot.console import run_line
from bot.text import strip_markdown
from tests.conftest import ROOT, knowledge_of


async def ask(bot, line: str):
    reply, components = await run_line(bot, line)
    return reply, components


def paragraph_text(index, doc: str, n: int) -> str:
    with sqlite3.connect(index) as db:
        row = db.execute("SELECT p.text FROM paragraphs p JOIN documents d ON d.id = p.doc_id"
                         " WHERE d.doc = ? AND p.n = ?", (doc, n)).fetchone()
    return row[0] if row else ""


def assert_cites_hold(reply, index):
    """Every line's citation points at a paragraph that contains the cited words."""
    assert reply.citations, "every answer cites"
    for line, numbers in zip(reply.lines, reply.line_cites, strict=True):
        assert numbers
        quoted = re.findall(r"“(.+?)”", strip_markdown(line))
        for n in numbers:
            c = reply.citations[n - 1]
            text = paragraph_text(index, c.doc, c.paragraph)
            assert text, f"{c.doc} ¶{c.paragraph} exists"
            for q in quoted:
                assert q.strip("…")[:60] in text


@pytest.mark.parametrize("line, must_cite", [
    ("/kuril event 2018", {("002_7f7b37a8c87dad85", 3), ("002_7f7b37a8c87dad85", 5),
                           ("003_8579e9dcf3949857", 18), ("004_f4c0aca62b356533", 12)}),
    ("/kuril event query:March 2022", {("001_a85d1beeb3c2cf91", 8), ("001_a85d1beeb3c2cf91", 10),
                                       ("003_8579e9dcf3949857", 5), ("003_8579e9dcf3949857", 19)}),
    ("/kuril event 1956", {("002_7f7b37a8c87dad85", 5), ("004_f4c0aca62b356533", 6)}),
    ("/kuril event 1930s", {("004_f4c0aca62b356533", 6)}),
    ("/kuril event 2020", {("001_a85d1beeb3c2cf91", 7), ("003_8579e9dcf3949857", 18),
                           ("004_f4c0aca62b356533", 7), ("004_f4c0aca62b356533", 8)}),
    ("/kuril event November 2024", {("002_7f7b37a8c87dad85", 10)}),
    ("/quote Nagao", {("000_881c20c5f4c740ad", 17), ("000_881c20c5f4c740ad", 18)}),
    ("/quote nagoa", {("000_881c20c5f4c740ad", 17), ("000_881c20c5f4c740ad", 18)}),
    ("/quote askeroglu", {("000_881c20c5f4c740ad", 10), ("000_881c20c5f4c740ad", 11)}),
    ("/kuril search sanctions swift", {("004_f4c0aca62b356533", 12)}),
    ("/kuril search salmon fishing quota", {("003_8579e9dcf3949857", 23)}),
    ("/kuril search kishida totaly unaceptable", {("000_881c20c5f4c740ad", 2), ("003_8579e9dcf3949857", 5)}),
    ("/kuril search unfriendly countries list", {("001_a85d1beeb3c2cf91", 8), ("002_7f7b37a8c87dad85", 2)}),
])
async def test_answers_cite_what_they_must(bot, seed_index, line, must_cite):
    reply, _ = await ask(bot, line)
    assert not reply.ephemeral, reply.content
    cited = {(c.doc, c.paragraph) for c in reply.citations}
    assert must_cite <= cited
    assert_cites_hold(reply, seed_index)


async def test_event_lines_are_oldest_first_with_dates_at_their_granularity(bot):
    reply, _ = await ask(bot, "/kuril event 2014-2022 sanctions")
    dates = [re.match(r"\*\*(.+?)\*\*", line).group(1) for line in reply.lines]
    assert dates and dates[0].startswith("2014") and any("February 2022" in d for d in dates)
    reply, _ = await ask(bot, "/kuril event 24 February 2022")
    assert all(line.startswith("**24 February 2022**") for line in reply.lines)


async def test_onthisday_falls_back_to_the_month(bot):
    reply, _ = await ask(bot, "/kuril onthisday date:24 February")
    assert reply.lines and "any year" in reply.note
    reply, _ = await ask(bot, "/kuril onthisday 3 March")
    assert "Nothing is dated 3 March" in reply.note and reply.lines


async def test_source_shows_the_paragraph_with_neighbours_and_footnotes(bot, seed_index):
    reply, _ = await ask(bot, "/kuril source doc:001_a85d1beeb3c2cf91 paragraph:8")
    assert "previous ¶7" in reply.note and "next ¶9" in reply.note
    assert [n for n, _ in reply.citations[0].footnotes] == [4, 5, 6]
    assert "unfriendly countries" in " ".join(reply.lines)


async def test_sources_and_experts_list_everything(bot):
    reply, _ = await ask(bot, "/kuril sources")
    assert len(reply.lines) == 5 and all("ANKASAM" in line for line in reply.lines[:2])
    reply, _ = await ask(bot, "/kuril experts")
    nagao = "Person: **Satoru Nagao** — Hudson Institute Research Fellow · 2 quotes"
    assert any(line.startswith(nagao) for line in reply.lines)


async def test_quote_about_narrows_and_near_miss_offers_choices(bot):
    reply, _ = await ask(bot, "/quote Nagao about:energy")
    assert len(reply.lines) == 1 and "energy resources" in reply.lines[0]
    reply, _ = await ask(bot, "/quote Sa")
    assert reply.ephemeral and "Did you mean" in reply.content


async def test_long_answers_are_paginated_within_limits(bot):
    reply, components = await ask(bot, "/kuril event 1900-2025")
    pages = reply.pages()
    assert len(pages) > 1 and components and components[0]["components"][0]["type"] == 2
    for e in pages:
        d = e.to_dict()
        assert len(d["description"]) <= 4096 and len(d["title"]) <= 256 and len(d.get("fields", [])) <= 25
        assert all(len(f["value"]) <= 1024 for f in d["fields"]) and len(e) <= 6000


HOSTILE = ["", "   ", "x" * 10_000, "@everyone", "<@&123> @here", "🏝️🗾🇯🇵", "\u202eevil\u202c",
           "zero\u200bwidth", '"', "*", "NEAR(", "AND OR", "-", "'; DROP TABLE events; --", "2022-02-30",
           "32 March", "0", "99999", "../../etc/passwd", "\x00", "%s%s%n", "{{7*7}}"]
COMMANDS = ["/kuril event query:{}", "/kuril search query:{}", "/kuril onthisday date:{}",
            "/kuril source doc:{}", "/kuril source doc:000_881c20c5f4c740ad paragraph:{}", "/quote expert:{}",
            "/quote expert:Nagao about:{}"]


@pytest.mark.parametrize("template", COMMANDS)
async def test_hostile_input_gets_a_short_answer(bot, template):
    for value in HOSTILE:
        reply, _ = await ask(bot, template.format(value))
        out = json.dumps(reply.to_json())
        assert "Traceback" not in out and "sqlite" not in out.lower()
        assert reply.to_json()["allowed_mentions"] == {"parse": []}
        if reply.ephemeral:
            assert 0 < len(reply.content) <= 400, (template, value, reply.content)
            assert "@everyone" not in reply.content or "`" in reply.content


async def test_unknown_commands_and_options(bot):
    for line in ["/nonsense", "kuril event 2018", "/kuril", "/kuril teleport", "/kuril source"]:
        reply, _ = await ask(bot, line)
        assert reply.ephemeral and reply.content


def test_ask_json_cli_answers_one_line_per_command(settings, tmp_path):
    cmds = ["/kuril event 2018", "/quote Nagao", "/kuril search query:sanctions", "/kuril event query:", "/nonsense"]
    env = {"KURIL_INDEX": str(settings.kuril_index), "KURIL_SEEDS": str(ROOT / "seeds"),
           "KURIL_STATE": str(tmp_path / "state.db"), "PATH": "/usr/bin:/bin"}
    p = subprocess.run([sys.executable, "-m", "bot.cli", "ask", "--json"], input="\n".join(cmds) + "\n",
                       capture_output=True, text=True, cwd=ROOT, env=env, timeout=120)
    assert p.returncode == 0, p.stderr
    answers = [json.loads(line) for line in p.stdout.splitlines() if line.strip()]
    assert len(answers) == len(cmds)
    for a in answers[:3]:
        assert a["citations"] and not a["ephemeral"] and a["allowed_mentions"] == {"parse": []}
    assert answers[3]["ephemeral"] and answers[4]["ephemeral"]
    assert "Traceback" not in p.stdout + p.stderr


async def test_digest_commands_work_in_the_console_and_post_nothing(bot):
    added, _ = await ask(bot, "/digest add channel:222 kind:weekly time:09:00 timezone:Europe/Berlin weekday:Friday")
    assert "Scheduled #1" in added.content and "<t:" not in added.to_text()
    bad, _ = await ask(bot, "/digest add channel:222 kind:on-this-day time:25:00 timezone:UTC")
    assert bad.ephemeral and "HH:MM" in bad.content
    listing, _ = await ask(bot, "/digest list")
    assert listing.to_text().startswith("#1 weekly in #222 every Friday at 09:00 Europe/Berlin")
    preview, _ = await ask(bot, "/digest preview kind:weekly")
    assert preview.citations and "Preview" in preview.to_text()
    assert await bot.state.last_delivery() is None  # a preview is not a post
    removed, _ = await ask(bot, "/digest remove id:1")
    assert "removed" in removed.content
    assert "No digests yet" in (await ask(bot, "/digest list"))[0].to_text()


@pytest.mark.parametrize("line", ["/kuril status", "/kuril remove 002_7f7b37a8c87dad85", "/digest list",
                                  "/digest add channel:222 kind:weekly time:09:00 timezone:UTC"])
async def test_the_console_runs_a_commands_own_checks(bot, line):
    """The same checks as the Discord tree: a console asker without Manage Server is refused by the
    command's own decorator, before its callback runs (nothing is scheduled)."""
    refused, _ = await run_line(bot, line, permissions=discord.Permissions.none())
    assert refused.ephemeral and "You need the Manage Server permission" in refused.content
    assert await bot.state.subscriptions() == []
    allowed, _ = await run_line(bot, line)  # the console's operator manages its own server
    assert "Manage Server" not in allowed.content


async def test_search_shows_a_paragraph_once_and_says_what_it_corrected(bot):
    reply, _ = await ask(bot, "/kuril search sanctoins")
    assert reply.note.startswith("Showing results for *sanctions*.")
    places = [(reply.citations[c - 1].doc, reply.citations[c - 1].paragraph)
              for cites in reply.line_cites for c in cites]
    assert len(places) == len(set(places)), "a paragraph came back twice"
    assert "**sanctions**" in " ".join(reply.lines)
    exact, _ = await ask(bot, "/kuril search sanctions")
    assert not exact.note.startswith("Showing results for")


def test_counts_read_as_english():
    from bot.render import plural
    assert [plural(0, "quote"), plural(1, "quote"), plural(2, "match", "matches"), plural(1200, "event")] == [
        "0 quotes", "1 quote", "2 matches", "1,200 events"]


async def test_words_the_article_gives_to_no_one_are_found_and_said_to_be_unattributed(tmp_path):
    from commands.kuril import search_reply
    protest = ("Islanders rally in Nemuro\n"
               "Protesters carried banners reading “Give back the islands to their former residents now” "
               "through the port on Sunday.\n")
    async with knowledge_of(tmp_path / "shelf", {"protest.txt": protest}) as kb:
        reply = await search_reply(kb, "former residents")
    assert reply.lines[0].startswith("**Quote · not attributed in the article** · ")
    assert len(reply.lines) == 1  # the paragraph once, as its quote


@pytest.mark.parametrize("query", ["1000-2100", "1850 to 2030", "1900–2099"])
def test_any_span_of_years_inside_the_calendar_is_an_event_query(query):
    from commands.kuril import parse_event_query
    date, rest = parse_event_query(query)
    assert date is not None and (date.date, date.end_year, rest) == (query[:4], int(query[-4:]), "")


async def test_the_widest_span_lists_events_oldest_first(bot):
    reply, _ = await ask(bot, "/kuril event 1000-2100")
    assert not reply.ephemeral and reply.lines, reply.content


async def test_the_console_keeps_one_picture_not_one_per_timeline(bot, settings):
    for query in ("2014-2022", "1990s", "sanctions"):
        reply, _ = await ask(bot, f"/kuril timeline {query}")
        assert reply.content.endswith(str(settings.kuril_index.parent / "timeline.png"))
    assert [p.name for p in settings.kuril_index.parent.glob("*.png")] == ["timeline.png"]


def test_debug_logs_carry_no_words_of_users(settings, tmp_path):
    env = {"KURIL_INDEX": str(settings.kuril_index), "KURIL_SEEDS": str(ROOT / "seeds"),
           "KURIL_STATE": str(tmp_path / "state.db"), "PATH": "/usr/bin:/bin", "LOG_LEVEL": "DEBUG"}
    p = subprocess.run([sys.executable, "-m", "bot.cli", "ask", "/kuril search salmonquota sanctions"],
                       capture_output=True, text=True, cwd=ROOT, env=env, timeout=120)
    assert p.returncode == 0 and "DEBUG" in p.stderr, p.stderr
    assert "salmonquota" not in p.stderr and "sanction" not in p.stderr


async def test_a_digest_for_a_month_without_events_posts_one_fact_read_by_key(bot):
    import datetime as dt

    from bot.digests import on_this_day
    from bot.render import Reply
    facts = set()
    for day in (dt.date(2026, 6, d) for d in range(1, 8)):  # June: nothing on the seed shelf
        reply = Reply()
        await on_this_day(bot.knowledge, day, reply)
        assert reply.note == "Nothing is dated in June; a fact from the archive:" and len(reply.lines) == 1
        facts.add(reply.lines[0])
    assert len(facts) > 1  # the fact changes with the day


async def test_a_retired_index_is_freed_not_kept_frozen(bot, monkeypatch):
    """What is loaded is frozen (fewer objects for every full collection to scan), yet the cycles of
    an index replaced and closed are collected: they are not kept in the permanent generation."""
    import asyncio
    import gc
    import weakref

    class Cycle:
        pass

    monkeypatch.setattr("bot.client.RETIRE_SECONDS", 0.01)
    cycle = Cycle()
    cycle.me = cycle  # only the cycle collector frees it
    bot.knowledge.index.cache = cycle  # as any structure of a loaded index may be
    kept = weakref.ref(cycle)
    del cycle
    await bot.reload_knowledge()  # the old index may be frozen with the new one while it serves
    for _ in range(50):
        await asyncio.sleep(0.02)
        if kept() is None:
            break
    assert kept() is None and not bot.retired and gc.get_freeze_count() > 0


@pytest.mark.parametrize("query, date, granularity, rest", [
    ("24/02/2022", "2022-02-24", "day", ""),
    ("02/24/2022", "2022-02-24", "day", ""),  # month first only when the day cannot be the second number
    ("24/02/2022 sanctions", "2022-02-24", "day", "sanctions"),
    ("2022-03", "2022-03", "month", ""),
])
def test_dates_as_users_write_them(query, date, granularity, rest):
    from commands.kuril import parse_event_query
    found, words = parse_event_query(query)
    assert found is not None and (found.date, found.granularity, words) == (date, granularity, rest)


@pytest.mark.parametrize("query, says", [
    ("30 February 2022", "February 2022 has 28 days"),
    ("February 30, 2022 sanctions", "February 2022 has 28 days"),
    ("31/04/2022", "April 2022 has 30 days"),
    ("2022-13", "there are 12 months"),
])
async def test_a_day_that_does_not_exist_is_not_a_date(bot, query, says):
    reply, _ = await ask(bot, f"/kuril event query:{query}")
    assert reply.ephemeral and "is not a date" in reply.content and says in reply.content


async def test_event_answers_days_written_with_slashes(bot):
    reply, _ = await ask(bot, "/kuril event 24/02/2022")
    assert reply.lines and all(line.startswith("**24 February 2022**") for line in reply.lines)


async def test_source_takes_the_paragraph_after_the_document(bot):
    for line in ("/kuril source 001_a85d1beeb3c2cf91 8", "/kuril source doc:001 ¶8"):
        reply, _ = await ask(bot, line)
        assert reply.title.endswith("— ¶8") and not reply.ephemeral, line


async def test_digest_weekday_in_any_case_and_list_shows_the_next_post_in_local_time(bot):
    added, _ = await ask(bot, "/digest add channel:222 kind:weekly time:09:00 timezone:Asia/Tokyo weekday:friday")
    assert "every Friday at 09:00 Asia/Tokyo" in added.content
    listing = (await ask(bot, "/digest list"))[0].to_text()
    assert re.search(r"next post Friday \d\d \w+ \d{4} 09:00 Asia/Tokyo", listing), listing


async def test_sources_pages_past_forty(tmp_path):
    from bot.knowledge import Knowledge
    from commands.kuril import sources_reply
    shelf = tmp_path / "shelf"
    shelf.mkdir()
    for i in range(45):
        (shelf / f"a{i:02d}.txt").write_text(f"Article {i} on the islands\nTalks resumed in 2019 number {i}.\n",
                                             encoding="utf-8")
    build_index([shelf], tmp_path / "kuril.db")
    kb = await Knowledge.open(tmp_path / "kuril.db")
    try:
        reply = await sources_reply(kb)
    finally:
        await kb.close()
    assert len(reply.lines) == 45 and len(reply.pages()) == 6 and reply.note.startswith("45 documents.")


async def test_the_console_presses_the_buttons_of_its_last_answer(seeds_copy, tmp_path, monkeypatch):
    """`/kuril remove` asks for a press of Remove; the console presses it, then Undo, as Discord would."""
    from bot.client import create_bot
    from bot.config import load_settings
    from bot.console import Session

    monkeypatch.chdir(tmp_path)
    index = tmp_path / "data" / "kuril.db"
    build_index([seeds_copy], index)
    settings = load_settings(kuril_index=index, kuril_state=tmp_path / "state.db", kuril_seeds=seeds_copy)
    b = create_bot(settings)
    await b.prepare()
    try:
        session = Session()
        asked, _ = await run_line(b, "/kuril remove 002_7f7b37a8c87dad85", session=session)
        assert [x.label for x in session.buttons()] == ["Remove", "Cancel"]
        nothing, _ = await run_line(b, "/press Delete", session=session)
        assert "`/press Remove`" in nothing.content and (seeds_copy / "002_7f7b37a8c87dad85.txt").exists()
        removed, _ = await run_line(b, "/press remove", session=session)
        assert "Removed `002_7f7b37a8c87dad85`" in removed.content
        assert "002_7f7b37a8c87dad85" not in b.knowledge.index.docs_by_name
        restored, _ = await run_line(b, "/press Undo", session=session)
        assert "Restored" in restored.content and "002_7f7b37a8c87dad85" in b.knowledge.index.docs_by_name
        gone, _ = await run_line(b, "/press Undo", session=session)
        assert "no button" in gone.content
    finally:
        await b.shutdown()
