"""Ingest: paragraph numbering, bad files, incremental and atomic rebuilds."""
from __future__ import annotations

import sqlite3

import pytest

from bot.ingest import build
from bot.ingest.build import build_index
from bot.ingest.document import BOILERPLATE, FOOTNOTE, parse_document, read_text, split_paragraphs
from tests.conftest import SEEDS


def test_paragraph_numbering_follows_design():
    text = "Title\r\n\r\n  First para.  \n\u00a0\nSecond para.\n"
    assert split_paragraphs(text) == ["Title", "First para.", "Second para."]


def test_seed_metadata_and_boilerplate():
    text, sha = read_text(SEEDS / "003_8579e9dcf3949857.txt")
    doc = parse_document("003.txt", text, sha)
    assert doc.title == "Japan-Russia Relations After the Russian-Ukrainian War"
    assert doc.publisher == "Foreign Policy Research Institute"
    kinds = {p.n: p.kind for p in doc.paragraphs}
    assert kinds[25] == FOOTNOTE and kinds[26] == BOILERPLATE
    assert [(f.n, f.paragraph) for f in doc.footnotes] == [(1, 25)]
    text, sha = read_text(SEEDS / "001_a85d1beeb3c2cf91.txt")
    doc = parse_document("001.txt", text, sha)
    assert {p.n: p.kind for p in doc.paragraphs}[2] == BOILERPLATE  # "Similar Posts"
    assert doc.author == "Emrah Kaya"


def test_video_widgets_and_a_byline_of_two_are_site_furniture():
    text = ("Boats released\nBy Kenji Morimoto and Yelena Sorokina\nSTORY CONTINUES BELOW THESE VIDEOS\n"
            "Watch on YouTube: \"Exploring Toridori: A New Hotspot\"\nRussia released the boats.\n")
    doc = parse_document("v.txt", text, "0")
    assert [p.kind for p in doc.paragraphs] == ["title", BOILERPLATE, BOILERPLATE, BOILERPLATE, "body"]
    assert doc.author == "Kenji Morimoto"


def test_a_read_also_link_is_site_furniture():
    text = "Quota agreed\nJapan and Russia agreed a quota.\nREAD ALSO : Europe was hit by climate change in 2021\n"
    assert [p.kind for p in parse_document("r.txt", text, "0").paragraphs] == ["title", "body", BOILERPLATE]


def test_a_wire_photo_caption_is_site_furniture():
    text = ("Fishermen wait\nSigns are displayed at Hanasaki Port April 12, 2022. Picture taken April 12, 2022.\n"
            "The fishermen waited.\n")
    assert [p.kind for p in parse_document("c.txt", text, "0").paragraphs] == ["title", BOILERPLATE, "body"]


def test_a_photograph_s_caption_is_site_furniture():
    text = "The rally\nPhotograph of the Prime Minister delivering an address at the 2012 National Rally\nHe spoke.\n"
    assert [p.kind for p in parse_document("c.txt", text, "0").paragraphs] == ["title", BOILERPLATE, "body"]


def test_a_headline_may_end_in_an_exclamation_mark():
    doc = parse_document("h.txt", "Putin and Abe Resume 1956 Negotiations!\nIn 1956 the two signed it.\n", "0")
    assert doc.title == "Putin and Abe Resume 1956 Negotiations!"


def test_a_sister_site_link_with_its_logo_file_is_site_furniture():
    text = ("The declaration\nIn 1956 the two countries signed it.\n"
            "Wikisource-logo.svg ru:Декларация 1956 года at Wikisource\n")
    doc = parse_document("w.txt", text, "0")
    assert [p.kind for p in doc.paragraphs] == ["title", "body", BOILERPLATE]


@pytest.mark.parametrize("content, reason", [
    (b"", "empty"),
    (b"\x00\x01\x02binary", "binary"),
    (b"caf\xe9 au lait", "UTF-8"),
    (b"   \n\n  ", "white space"),
])
def test_bad_files_are_skipped_with_one_reason(tmp_path, content, reason):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "bad.txt").write_bytes(content)
    (folder / "good.txt").write_text("A title\nIn 2018, Abe met Putin.\n", encoding="utf-8")
    report = build_index([folder], tmp_path / "kuril.db")
    assert report.added == ["good"]
    assert len(report.skipped) == 1 and reason in report.skipped[0][1]


def test_big_bom_crlf_unmatched_quotes_and_dateless_files(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "huge.txt").write_bytes(b"word " * (11 * 1024 * 1024 // 5))
    (folder / "bom.txt").write_bytes("\ufeffTitle\r\nIn March 2022, \u201cthe talks stopped, he said.\r\n".encode())
    (folder / "nodates.txt").write_text("Title\nNothing is dated here.\n", encoding="utf-8")
    report = build_index([folder], tmp_path / "kuril.db")
    assert [s[0] for s in report.skipped] == ["huge.txt"] and "characters of text" in report.skipped[0][1]
    assert sorted(report.added) == ["bom", "nodates"]
    assert report.warnings == [("nodates.txt", "no dates found: no events")]
    with sqlite3.connect(tmp_path / "kuril.db") as db:
        assert db.execute("SELECT title FROM documents WHERE doc='bom'").fetchone() == ("Title",)
        assert db.execute("SELECT count(*) FROM quotes").fetchone() == (0,)


def test_reingest_is_incremental(tmp_path, seeds_copy):
    index = tmp_path / "kuril.db"
    first = build_index([seeds_copy], index)
    assert len(first.added) == 5
    mtime = index.stat().st_mtime_ns
    again = build_index([seeds_copy], index)
    assert not again.changed and again.unchanged == 5 and index.stat().st_mtime_ns == mtime
    f = seeds_copy / "004_f4c0aca62b356533.txt"
    title, rest = f.read_text(encoding="utf-8").split("\n", 1)
    f.write_text(f"{title}\nIn May 2023, talks resumed.\n{rest}", encoding="utf-8")
    (seeds_copy / "002_7f7b37a8c87dad85.txt").unlink()
    third = build_index([seeds_copy], index)
    assert third.updated == ["004_f4c0aca62b356533"] and third.removed == ["002_7f7b37a8c87dad85"]
    assert third.unchanged == 3 and third.counts["documents"] == 4
    with sqlite3.connect(index) as db:
        assert db.execute("SELECT count(*) FROM events WHERE date = '2023-05'").fetchone() == (1,)
        assert db.execute("SELECT count(*) FROM passages WHERE doc_id NOT IN (SELECT id FROM documents)"
                          ).fetchone() == (0,)
        # the event keyword index follows updates and removals (raises if it disagrees with events)
        db.execute("INSERT INTO event_text(event_text, rank) VALUES ('integrity-check', 1)")
        assert ("2023-05",) in db.execute("SELECT date FROM events WHERE id IN"
                                          " (SELECT rowid FROM event_text WHERE event_text MATCH 'resumed')")


def test_catalog_overrides_metadata_and_triggers_reingest(tmp_path, seeds_copy):
    index = tmp_path / "kuril.db"
    build_index([seeds_copy], index)
    catalog = seeds_copy / "catalog.toml"
    catalog.write_text(catalog.read_text() + '\n["004_f4c0aca62b356533.txt"]\nauthor = "A. Writer"\n')
    report = build_index([seeds_copy], index)
    assert report.updated == ["004_f4c0aca62b356533"]
    with sqlite3.connect(index) as db:
        assert db.execute("SELECT author FROM documents WHERE doc LIKE '004%'").fetchone() == ("A. Writer",)


def test_failed_ingest_leaves_previous_index_serving(tmp_path, seeds_copy, monkeypatch):
    index = tmp_path / "kuril.db"
    build_index([seeds_copy], index)

    def served():
        with sqlite3.connect(index) as db:
            return (sorted(db.execute("SELECT doc, source_hash, passage_lo, passage_hi FROM documents")),
                    db.execute("SELECT count(*) FROM passages").fetchone(),
                    db.execute("PRAGMA integrity_check").fetchone())
    before = served()
    f = seeds_copy / "000_881c20c5f4c740ad.txt"
    f.write_text(f.read_text(encoding="utf-8") + "\nIn 2023, more happened.\n", encoding="utf-8")

    def crash(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(build, "_insert", crash)
    with pytest.raises(RuntimeError):
        build_index([seeds_copy], index)
    assert served() == before  # the failed article's change was rolled back whole
    assert not list(tmp_path.glob(".kuril-*"))


async def test_an_edit_in_place_is_seen_by_an_open_reader_and_people_go_with_their_article(tmp_path, seeds_copy):
    from bot.index import Index
    index = tmp_path / "kuril.db"
    (seeds_copy / "endo.txt").write_text("Talks resume\nForeign Minister Kenji Endo said in May 2031 that "
                                         "“the talks will go on without any pause”.\n", encoding="utf-8")
    build_index([seeds_copy], index)
    reader = await Index.open(index)
    try:
        assert not await reader.edited()
        assert any(p.name == "Kenji Endo" for p in await reader.people(limit=100))
        (seeds_copy / "endo.txt").unlink()
        report = build_index([seeds_copy], index)
        assert report.removed == ["endo"]
        assert await reader.edited()  # the bot's watcher reloads on this
    finally:
        await reader.close()
    with sqlite3.connect(index) as db:
        assert db.execute("SELECT count(*) FROM people WHERE name = 'Kenji Endo'").fetchone() == (0,)
        assert db.execute("SELECT count(*) FROM passages WHERE passages MATCH 'pause'").fetchone() == (0,)
        assert db.execute("PRAGMA integrity_check").fetchone() == ("ok",)
