"""Hostile files: extraction stays linear and its output bounded, and no file stops an ingest."""
from __future__ import annotations

import asyncio
import hashlib
import json
import re
import time

import pytest

from bot.extract.events import MAX_SENTENCE
from bot.extract.pipeline import extract
from bot.ingest.budget import Reader, TooComplex, time_limit
from bot.ingest.build import build_index
from bot.ingest.document import BadFile, parse_document
from tests.hostile import HOSTILE
from tests.test_shelf import pdf_bytes

SIZES = (10_000, 20_000, 40_000)


def _extract(text: str):
    return extract(parse_document("hostile.txt", text, hashlib.sha256(text.encode()).hexdigest()))


@pytest.mark.parametrize("shape", sorted(HOSTILE))
def test_a_hostile_text_yields_output_that_grows_at_most_linearly(shape):
    sizes = []
    for size in SIZES:
        x = _extract(HOSTILE[shape](size))
        assert all(len(e.sentence) <= MAX_SENTENCE + 2 for e in x.events)
        assert all(1000 <= int(e.date[:4]) <= 2100 for e in x.events)
        sizes.append(len(json.dumps(x.to_json())))
    assert sizes[2] <= 4.5 * sizes[0] + 20_000, f"output grew {sizes} for inputs {SIZES}"


def test_a_runaway_match_is_stopped_by_the_time_limit():
    with pytest.raises(TooComplex, match="too complex"), time_limit(0.2):
        re.match(r"(?:a+)+b", "a" * 40)  # catastrophic backtracking: minutes without the limit


async def test_an_upload_over_budget_is_stopped_and_the_reader_goes_on():
    reader = Reader(seconds=1)
    ticks = 0

    async def others():  # what other users' commands need: the event loop free to run
        nonlocal ticks
        while True:
            await asyncio.sleep(0.01)
            ticks += 1

    beside = asyncio.create_task(others())
    try:
        with pytest.raises(TooComplex, match="within 1 s"):
            await reader.run(time.sleep, 60)
        with pytest.raises(TooComplex, match="in memory"):
            await reader.run(bytearray, 4 * 1024**3)  # past the reading process's address-space limit
        assert await reader.run(len, "still reading") == 13
    finally:
        beside.cancel()
        reader.close()
    assert ticks > 20


def test_one_file_that_breaks_extraction_is_skipped_and_the_rest_are_read(tmp_path, monkeypatch):
    from bot.ingest import build
    shelf = tmp_path / "shelf"
    shelf.mkdir()
    (shelf / "good.txt").write_text("Talks\nThe leaders met in Moscow in May 1956.\n", encoding="utf-8")
    (shelf / "bad.txt").write_text("Talks\nThe leaders met in Tokyo in June 1960.\n", encoding="utf-8")
    real = build.extract

    def breaks_on_bad(doc):
        if doc.file == "bad.txt":
            raise OverflowError("date value out of range")
        return real(doc)

    monkeypatch.setattr(build, "extract", breaks_on_bad)
    report = build_index([shelf], tmp_path / "kuril.db")
    assert report.added == ["good"] and report.skipped == [("bad.txt", "could not be read (OverflowError)")]


def test_a_pdf_past_the_page_limit_is_refused_before_its_text_is_kept(monkeypatch):
    from bot.ingest import formats
    monkeypatch.setattr(formats, "MAX_PDF_PAGES", 0)
    with pytest.raises(BadFile, match="pages"):
        formats.convert(pdf_bytes(["The leaders met in May 1956."]))


def test_pdf_lines_are_joined_in_linear_time_into_paragraphs():
    from bot.ingest.formats import _reflow
    text = _reflow(["a line that goes on"] * 40_000 + ["", "A new paragraph.", "Another."])
    assert text.count("\n") == 3 and text.startswith("a line that goes on a line")


@pytest.mark.parametrize("lines", [20_000, 160_000, 1_000_000])
def test_a_pdf_bomb_is_refused_before_its_text_is_unpacked(lines):
    from bot.ingest.formats import convert
    from tests.hostile import pdf_bomb
    with pytest.raises(BadFile, match="drawing instructions|cannot be read"):
        convert(pdf_bomb(lines))


def test_a_pdf_page_of_ordinary_size_is_read():
    from bot.ingest.formats import convert
    from tests.hostile import pdf_bomb
    assert "May 1956" in convert(pdf_bomb(2_000)).text
