"""List answers as files: the CSV and Markdown buttons on Discord, and `kuril-bot ask --export` locally."""
from __future__ import annotations

import csv
import io
import subprocess
import sys

import pytest

from bot.console import run_line
from bot.export import COLUMNS, export, to_csv, to_markdown
from bot.render import Citation, Reply
from tests.conftest import ROOT
from tests.test_e2e import live  # noqa: F401 - the emulator and the bot connected to it

A = Citation("001_x", 8, "War | peace", "ANKASAM", ((4, "The Mainichi"),), "Emrah Kaya", "2023-01-04", "https://a.example/x")
B = Citation("002_y", 3, "Shadow", None)


def two_lines() -> Reply:
    reply = Reply(title="Events: 2022", note="2 events, oldest first.", export=True)
    reply.add("**24 February 2022** — Russia invades *Ukraine*", A, B)
    reply.add("**March 2022** — Japan on the list", B)
    return reply


def test_csv_has_a_row_per_line_and_source_with_the_citation_as_columns():
    rows = list(csv.DictReader(io.StringIO(to_csv(two_lines()))))
    assert [(r["line"], r["source"], r["doc"], r["paragraph"]) for r in rows] == [
        ("1", "1", "001_x", "8"), ("1", "2", "002_y", "3"), ("2", "2", "002_y", "3")]
    first = rows[0]
    assert first["text"] == "24 February 2022 — Russia invades *Ukraine*"  # bold dropped, as on the console
    assert (first["title"], first["author"], first["publisher"], first["published"], first["url"], first["footnotes"]) \
        == ("War | peace", "Emrah Kaya", "ANKASAM", "2023-01-04", "https://a.example/x", "[4] The Mainichi")
    assert "[1]" not in first["text"]  # the citation numbers are columns, not text


def test_markdown_is_one_table_with_linked_titles_and_escaped_cells():
    md = to_markdown(two_lines()).splitlines()
    assert md[:4] == ["# Events: 2022", "", "2 events, oldest first.", ""]
    assert md[4] == "| " + " | ".join(COLUMNS) + " |"
    assert "| [War \\| peace](https://a.example/x) |" in md[6] and md[6].count(" | ") == len(COLUMNS) - 1
    assert len(md) == 9


def test_file_names_come_from_the_title():
    assert export(two_lines(), "csv")[0] == "events-2022.csv"
    assert export(two_lines(), "md")[0] == "events-2022.md"


@pytest.mark.parametrize("line", ["/kuril event 2018", "/quote Nagao", "/kuril search sanctions", "/kuril sources",
                                  "/kuril experts", "/kuril onthisday 24 February"])
async def test_every_list_answer_has_the_export_buttons(bot, line):
    _, components = await run_line(bot, line)
    labels = [c.get("label") for row in components for c in row["components"]]
    assert {"CSV", "Markdown"} <= set(labels), line


async def test_single_answers_have_no_export_buttons(bot):
    for line in ("/kuril source 001_a85d1beeb3c2cf91 8", "/kuril cite doc:001 style:apa", "/kuril event 3000"):
        _, components = await run_line(bot, line)
        assert not components, line


async def test_the_button_sends_the_whole_answer_as_a_file(live):  # noqa: F811
    emu, _, _ = live
    reply = await emu.send_interaction("kuril", {"query": "1900-2025"}, subcommand="event", user="member")
    buttons = {c.get("label"): c["custom_id"] for row in reply.components for c in row["components"]}
    sent = await reply.click(buttons["CSV"], user="member")
    assert sent.ephemeral and sent.allowed_mentions == {"parse": []}
    attachment = sent.message["attachments"][0]
    assert attachment["filename"] == "events-1900-2025.csv"
    rows = list(csv.DictReader(io.StringIO(emu.file_bytes(attachment).decode())))
    assert len({r["line"] for r in rows}) == 40  # every page, not the one shown
    assert all(r["doc"] and r["paragraph"].isdigit() for r in rows)
    other = await reply.click(buttons["Markdown"], user="admin")
    assert other.ephemeral and "Only the person who asked" in other.content


def ask(settings, tmp_path, *args: str) -> subprocess.CompletedProcess:
    env = {"KURIL_INDEX": str(settings.kuril_index), "KURIL_SEEDS": str(ROOT / "seeds"),
           "KURIL_STATE": str(tmp_path / "state.db"), "PATH": "/usr/bin:/bin"}
    return subprocess.run([sys.executable, "-m", "bot.cli", "ask", *args], capture_output=True, text=True, cwd=ROOT,
                          env=env, timeout=120)


def test_ask_export_writes_the_list_answer(settings, tmp_path):
    p = ask(settings, tmp_path, "--export", "csv", "/kuril event 2018")
    assert p.returncode == 0, p.stderr
    rows = list(csv.DictReader(io.StringIO(p.stdout)))
    assert ("002_7f7b37a8c87dad85", "3") in {(r["doc"], r["paragraph"]) for r in rows}
    p = ask(settings, tmp_path, "--export", "md", "/quote Nagao")
    assert p.returncode == 0 and p.stdout.startswith("# Satoru Nagao")
    p = ask(settings, tmp_path, "--export", "csv", "/kuril event 3000")
    assert p.returncode == 1 and "nothing to export" in p.stderr and not p.stdout
    p = ask(settings, tmp_path, "--export", "csv")
    assert p.returncode == 2 and "needs one command" in p.stderr
