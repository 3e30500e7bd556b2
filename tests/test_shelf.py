"""Growing the shelf: uploads in every format (checked by content) and hostile files."""
from __future__ import annotations

import gzip
import io
import re
import sqlite3
import zipfile
from pathlib import Path

import pytest
import pytest_asyncio
from matplotlib.figure import Figure

from bot.config import load_settings
from bot.console import run_line
from bot.ingest.build import _source_hash, build_index, file_hash
from bot.ingest.document import BadFile, load_catalog
from bot.ingest.formats import convert, sniff

ARTICLE = ("Talks on the islands resume\n"
           "In May 2031, Japan and Russia reopened talks on the Kuril Islands in Sapporo.\n"
           "Foreign Minister Taro Nakamura said, \"We will pursue the return of all four islands patiently.\"\n")
HTML = ("<!doctype html><html><head><title>Talks resume | Example News</title>"
        "<script>document.write('tracking pixel nonsense');</script></head><body><nav>Home | World</nav>"
        "<article><h1>Talks on the islands resume</h1>"
        "<p>In May 2031, Japan and Russia reopened talks on the Kuril Islands in Sapporo after years of silence.</p>"
        "<p>Foreign Minister Taro Nakamura said, \"We will pursue the return of all four islands patiently.\"</p>"
        "<p>The next round of talks is planned for the autumn in Moscow, officials told reporters on Friday.</p>"
        "</article><footer>© Example News</footer></body></html>")


def pdf_bytes(lines: list[str]) -> bytes:
    fig = Figure(figsize=(8.27, 11.69))
    for i, line in enumerate(lines):
        fig.text(0.08, 0.92 - i * 0.03, line, fontsize=10)
    buf = io.BytesIO()
    import matplotlib

    with matplotlib.rc_context({"pdf.fonttype": 42}):
        fig.savefig(buf, format="pdf")
    return buf.getvalue()


def test_sniffing_goes_by_content_not_name():
    assert sniff(b"%PDF-1.7 ...") == "pdf"
    assert sniff(HTML.encode()) == "html"
    assert sniff(ARTICLE.encode()) == "text"
    zipped = io.BytesIO()
    with zipfile.ZipFile(zipped, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("bomb.txt", "0" * 10_000_000)
    for raw in (zipped.getvalue(), gzip.compress(b"x" * 100000), b"\x89PNG\r\n\x1a\n....", b"\xff\xd8\xff\xe0"):
        with pytest.raises(BadFile):
            sniff(raw)


def test_html_keeps_the_article_and_drops_scripts():
    c = convert(HTML.encode())
    assert "reopened talks" in c.text and "tracking pixel" not in c.text and "Home | World" not in c.text
    assert c.meta.get("title", "").startswith("Talks")


def test_pdf_text_is_extracted_and_reflowed():
    c = convert(pdf_bytes(["Talks resume", "In May 2031, Japan and Russia reopened talks", "on the Kuril Islands."]))
    assert c.kind == "pdf" and "reopened talks on the Kuril Islands." in c.text


@pytest.mark.parametrize("raw, why", [
    (b"caf\xe9 au lait in 2020", "UTF-8"),
    (b"   \n\n", "no text"),
])
def test_unusable_text_is_refused(raw, why):
    with pytest.raises(BadFile, match=why):
        convert(raw)


def test_pdf_without_text_is_refused():
    fig = Figure()
    fig.add_subplot().plot([1, 2, 3])
    buf = io.BytesIO()
    fig.savefig(buf, format="pdf")
    with pytest.raises(BadFile, match="no text"):
        convert(buf.getvalue())


@pytest_asyncio.fixture
async def shelf_bot(tmp_path, seeds_copy, monkeypatch):
    from bot.client import create_bot

    monkeypatch.chdir(tmp_path)
    index = tmp_path / "data" / "kuril.db"
    build_index([seeds_copy], index)
    b = create_bot(load_settings(kuril_index=index, kuril_state=tmp_path / "state.db", kuril_seeds=seeds_copy))
    await b.prepare()
    yield b
    await b.shutdown()


def counts(index) -> tuple[int, int]:
    with sqlite3.connect(index) as db:
        return db.execute("SELECT count(*) FROM documents").fetchone()[0], db.execute(
            "SELECT count(*) FROM events").fetchone()[0]


@pytest.mark.parametrize("name, raw", [
    ("talks.txt", ARTICLE.encode()),
    ("talks.html", HTML.encode()),
    ("talks.pdf", pdf_bytes(ARTICLE.splitlines())),
])
async def test_added_articles_are_found_at_once(shelf_bot, tmp_path, name, raw):
    upload = tmp_path / name
    upload.write_bytes(raw)
    reply, _ = await run_line(shelf_bot, f"/kuril add file:{upload} publisher:Example News")
    assert not reply.ephemeral, reply.content
    assert "1 event, 1 quote from 1 speaker" in reply.note
    reply, _ = await run_line(shelf_bot, "/kuril event May 2031")
    assert any("Sapporo" in line for line in reply.lines)
    reply, _ = await run_line(shelf_bot, "/kuril search sapporo talks reopened")
    assert reply.citations and reply.citations[0].publisher == "Example News"
    again, _ = await run_line(shelf_bot, f"/kuril add file:{upload}")
    assert again.ephemeral and "Already have it" in again.content


@pytest.mark.parametrize("name, raw", [
    ("bomb.txt", gzip.compress(b"0" * 5_000_000)),
    ("huge.txt", b"word " * (6 * 1024 * 1024 // 5)),
    ("scan.pdf", b"%PDF-1.4\n%%EOF\n"),
    ("latin1.txt", "Kuril talks in 2020, caf\xe9".encode("latin-1")),
    ("../../etc/passwd", b"root:x:0:0:root:/root:/bin/bash\n"),
])
async def test_hostile_files_are_refused_and_change_nothing(shelf_bot, tmp_path, name, raw):
    upload = tmp_path / "upload.bin"
    upload.write_bytes(raw)
    before = counts(shelf_bot.settings.kuril_index), sorted(p.name for p in shelf_bot.settings.kuril_seeds.iterdir())
    reply, _ = await run_line(shelf_bot, f"/kuril add file:{upload}")
    if name.startswith("../"):  # a sane file with a hostile name: stored under a safe name inside seeds/
        assert not reply.ephemeral
        assert all(p.parent == shelf_bot.settings.kuril_seeds for p in shelf_bot.settings.kuril_seeds.iterdir())
        return
    assert reply.ephemeral and "could not add" in reply.content.lower() or "MB" in reply.content
    after = counts(shelf_bot.settings.kuril_index), sorted(p.name for p in shelf_bot.settings.kuril_seeds.iterdir())
    assert after == before


def test_catalog_survives_any_title_and_a_reupload_under_the_same_name(tmp_path):
    import tomllib

    from bot.ingest.formats import Converted, discard, store_article
    folder = tmp_path / "seeds"
    first = store_article(folder, "talks.txt", Converted(ARTICLE, "text", {"title": "Talks\x7f \u2028 \"resume\""}), {})
    discard(first)  # converted, then rejected: its catalog entry goes with it
    again = store_article(folder, "talks.txt", Converted(ARTICLE, "text", {"title": "Talks\x7f"}), {})
    catalog = tomllib.loads((folder / "catalog.toml").read_text(encoding="utf-8"))
    assert again == first and catalog == {"talks.txt": {"title": "Talks\x7f"}}


@pytest.mark.parametrize("after", [0.1, 0.5, 1.2, 2.0, 5.0])
def test_an_add_killed_at_any_point_leaves_nothing_half_added_after_the_next_start(seeds_copy, tmp_path, after):
    """kill -9 while `kuril-bot ingest` puts a slow article on the shelf; the next start cleans up."""
    import os
    import signal
    import subprocess
    import sys
    import time

    from bot.cli import ensure_index
    from tests.hostile import HOSTILE
    index = tmp_path / "data" / "kuril.db"
    build_index([seeds_copy], index)
    article = tmp_path / "slow.md"
    article.write_text(HOSTILE["relative dates in one sentence"](400_000), encoding="utf-8")
    env = {**os.environ, "KURIL_SEEDS": str(seeds_copy), "KURIL_INDEX": str(index)}
    proc = subprocess.Popen([sys.executable, "-m", "bot.cli", "ingest", str(article)], env=env, cwd=tmp_path,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    time.sleep(after)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    ensure_index(load_settings(kuril_seeds=seeds_copy, kuril_index=index, kuril_state=tmp_path / "state.db"))
    leftovers = [p.name for folder in (seeds_copy, index.parent) for p in folder.iterdir()
                 if p.name.startswith((".adding-", ".kuril-", ".catalog")) or p.suffix == ".tmp"]
    assert leftovers == []
    with sqlite3.connect(index) as db:
        indexed = {d for (d,) in db.execute("SELECT doc FROM documents")}
    assert ("slow" in indexed) == (seeds_copy / "slow.txt").exists()


@pytest.mark.parametrize("action", ["edit", "remove"])
@pytest.mark.parametrize("after", [0.25, 0.35, 0.45, 1.0, 2.0])
def test_an_edit_or_removal_killed_at_any_point_leaves_shelf_and_index_consistent(seeds_copy, tmp_path, action, after):
    """kill -9 during `kuril-bot ingest` of an edited file or `kuril-bot shelf remove`: after the next
    start, the index holds exactly the shelf's articles, each with the text its file has."""
    import os
    import signal
    import subprocess
    import sys
    import time

    from bot.cli import ensure_index
    from tests.hostile import HOSTILE
    index = tmp_path / "data" / "kuril.db"
    env = {**os.environ, "KURIL_SEEDS": str(seeds_copy), "KURIL_INDEX": str(index)}
    outside = tmp_path / "talks.txt"
    outside.write_text(ARTICLE, encoding="utf-8")
    subprocess.run([sys.executable, "-m", "bot.cli", "ingest", str(outside)], env=env, cwd=tmp_path, check=True,
                   capture_output=True, timeout=120)
    if action == "edit":  # a long text: the kill lands while it is read, stored or indexed
        outside.write_text("Talks\n" + HOSTILE["relative dates in one sentence"](200_000), encoding="utf-8")
        command = ["ingest", str(outside)]
    else:
        command = ["shelf", "remove", "talks"]
    proc = subprocess.Popen([sys.executable, "-m", "bot.cli", *command], env=env, cwd=tmp_path,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    time.sleep(after)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    ensure_index(load_settings(kuril_seeds=seeds_copy, kuril_index=index, kuril_state=tmp_path / "state.db"))
    with sqlite3.connect(index) as db:
        indexed = dict(db.execute("SELECT doc, source_hash FROM documents").fetchall())
    catalog = load_catalog(seeds_copy)
    on_shelf = {f.stem: _source_hash(file_hash(f), catalog.get(f.name, {})) for f in seeds_copy.glob("*.txt")}
    assert indexed == on_shelf
    assert ("talks" in on_shelf) != (seeds_copy / ".removed" / "talks.txt").exists()


def test_a_folder_from_elsewhere_goes_onto_the_shelf_and_survives_the_next_start(seeds_copy, tmp_path):
    import os
    import subprocess
    import sys

    from bot.cli import ensure_index
    outside = tmp_path / "articles"
    (outside / "more").mkdir(parents=True)
    (outside / "talks.txt").write_text(ARTICLE, encoding="utf-8")
    (outside / "talks.html").write_text(HTML.replace("Sapporo", "Nemuro"), encoding="utf-8")
    (outside / "more" / "talks.pdf").write_bytes(pdf_bytes(["Fishing talks", "In June 2031, fishing talks began."]))
    (outside / "photo.png").write_bytes(b"\x89PNG\r\n\x1a\n....")
    index = tmp_path / "data" / "kuril.db"
    env = {**os.environ, "KURIL_SEEDS": str(seeds_copy), "KURIL_INDEX": str(index)}
    run = subprocess.run([sys.executable, "-m", "bot.cli", "ingest", str(outside)], env=env, cwd=tmp_path,
                         capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, run.stderr
    assert len(re.findall(r"^added \S+ as ", run.stdout, re.M)) == 3
    assert "skipped" in run.stdout and "photo.png" in run.stdout
    assert "added 3 · updated 0 · unchanged 0 · skipped 1" in run.stdout
    again = subprocess.run([sys.executable, "-m", "bot.cli", "ingest", str(outside)], env=env, cwd=tmp_path,
                           capture_output=True, text=True, timeout=120)
    assert "added 0 · updated 0 · unchanged 3 · skipped 1" in again.stdout
    # the file edited where it lives updates its article: same document, new text
    (outside / "talks.txt").write_text(ARTICLE.replace("reopened", "broke off"), encoding="utf-8")
    edited = subprocess.run([sys.executable, "-m", "bot.cli", "ingest", str(outside / "talks.txt")], env=env,
                            cwd=tmp_path, capture_output=True, text=True, timeout=120)
    assert "added 0 · updated 1 · unchanged 0 · skipped 0" in edited.stdout, edited.stdout
    doc = Path(re.search(r"^updated \S+ as (\S+)$", edited.stdout, re.M).group(1)).stem
    ensure_index(load_settings(kuril_seeds=seeds_copy, kuril_index=index, kuril_state=tmp_path / "state.db"))
    with sqlite3.connect(index) as db:
        docs = {d for (d,) in db.execute("SELECT doc FROM documents")}
        texts = " ".join(t for (t,) in db.execute("SELECT p.text FROM passages p JOIN documents d ON d.id = p.doc_id"
                                                  " WHERE d.doc = ?", (doc,)))
    assert {"talks", "talks-2", "talks-3"} <= docs and len(docs) == 8
    assert "broke off" in texts and "reopened" not in texts


def test_shelf_remove_keeps_the_article_for_undo_restore_and_export(seeds_copy, tmp_path):
    import os
    import subprocess
    import sys
    index = tmp_path / "data" / "kuril.db"
    build_index([seeds_copy], index)
    env = {**os.environ, "KURIL_SEEDS": str(seeds_copy), "KURIL_INDEX": str(index)}

    def shelf(*args):
        p = subprocess.run([sys.executable, "-m", "bot.cli", "shelf", *args], env=env, cwd=tmp_path,
                           capture_output=True, text=True, timeout=120)
        assert "Traceback" not in p.stderr
        return p

    def indexed():
        with sqlite3.connect(index) as db:
            return {d for (d,) in db.execute("SELECT doc FROM documents")}

    def ask_sources():  # a start: the seeds go onto the shared shelf, and the shelf is followed
        return subprocess.run([sys.executable, "-m", "bot.cli", "ask", "/kuril sources"], env=env, cwd=tmp_path,
                              capture_output=True, text=True, timeout=120)

    doc = "002_7f7b37a8c87dad85"
    assert doc in ask_sources().stdout
    assert shelf("remove", doc).returncode == 0
    assert doc not in indexed() and (seeds_copy / ".removed" / f"{doc}.txt").exists()
    listing = shelf("list").stdout
    assert f"{doc}\tremoved\tVivekananda International Foundation" in listing
    assert shelf("remove", doc).returncode == 1  # not on the shelf any more: one line, no traceback
    asked = ask_sources()
    assert asked.returncode == 0 and doc not in asked.stdout and doc not in indexed()
    assert shelf("restore", doc).returncode == 0 and doc in indexed()
    assert "Vivekananda" in (seeds_copy / "catalog.toml").read_text(encoding="utf-8")
    out = tmp_path / "export"
    assert "exported 5 articles" in shelf("export", str(out)).stdout
    assert len(list(out.glob("*.txt"))) == 5 and "ANKASAM" in (out / "catalog.toml").read_text(encoding="utf-8")
