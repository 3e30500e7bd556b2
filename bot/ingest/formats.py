"""New articles from any shelf: plain text, Markdown, HTML or PDF, checked by content, not by name.

An article is stored under the seeds folder as UTF-8 text (its paragraphs are what citations
number), with what the source said about itself (title, author, date, site) in catalog.toml.
"""
from __future__ import annotations

import hashlib
import io
import itertools
import re
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

import tomli_w
from anyascii import anyascii

from bot.ingest.budget import time_limit
from bot.ingest.document import MAX_TEXT_CHARS, TOO_LONG, BadFile, load_catalog

_SENTENCE_END = re.compile(r"[.!?:;\"”’)\]]$")


@dataclass
class Converted:
    text: str
    kind: str
    meta: dict[str, str] = field(default_factory=dict)


def sniff(raw: bytes) -> str:
    """'pdf', 'html' or 'text' from the bytes themselves; BadFile for archives and binaries."""
    head = raw[:1024]
    if head.startswith(b"%PDF-"):
        return "pdf"
    if head.startswith((b"PK\x03\x04", b"\x1f\x8b", b"BZh", b"\xfd7zXZ", b"7z\xbc\xaf", b"Rar!")):
        raise BadFile("an archive (zip, gzip, …), not an article: upload the text, HTML or PDF itself")
    if head.startswith((b"\x89PNG", b"\xff\xd8\xff", b"GIF8", b"RIFF")) or b"\x00" in head:
        raise BadFile("a binary file (image or other), not an article: upload text, Markdown, HTML or PDF")
    lowered = head.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if lowered.startswith((b"<!doctype html", b"<html", b"<?xml")) or b"<body" in raw[:65536].lower():
        return "html"
    return "text"


def _reflow(lines: list[str]) -> str:
    """PDF text breaks lines inside paragraphs: join a line to the next unless it ends a sentence
    (the pieces of a paragraph are joined once, at its end, so a long one costs linear time)."""
    paragraphs: list[str] = []
    pieces: list[str] = []
    for line in (x.strip() for x in lines):
        if pieces and pieces[-1].endswith("-") and line:
            pieces[-1] = pieces[-1][:-1] + line  # a word hyphenated across lines
        elif line:
            pieces.append(line)
        if pieces and (not line or _SENTENCE_END.search(pieces[-1])):
            paragraphs.append(" ".join(pieces))
            pieces = []
    if pieces:
        paragraphs.append(" ".join(pieces))
    return "\n".join(paragraphs) + "\n"


MAX_PDF_PAGES = 300
MAX_PAGE_DRAWING = 1_000_000  # bytes of a page's content stream; a dense page of text is ~50 KB


def _pdf_text(raw: bytes) -> tuple[str, dict[str, str]]:
    """The text and metadata of a PDF, read page by page and stopped at the limits before any
    of it is kept."""
    from pypdf import PdfReader
    from pypdf.errors import PyPdfError

    try:
        reader = PdfReader(io.BytesIO(raw))
        if len(reader.pages) > MAX_PDF_PAGES:
            raise BadFile(f"a PDF of {len(reader.pages)} pages (at most {MAX_PDF_PAGES}): split it")
        pages: list[str] = []
        size = 0
        for page in reader.pages:
            contents = page.get_contents()
            drawing = len(contents.get_data()) if contents is not None else 0
            if drawing > MAX_PAGE_DRAWING:  # text extraction slows down faster than a page grows
                raise BadFile(f"a PDF with a page of {drawing / 1e6:.1f} MB of drawing instructions "
                              f"(at most {MAX_PAGE_DRAWING / 1e6:g} MB): it cannot be read as an article")
            pages.append(page.extract_text() or "")
            size += len(pages[-1])
            if size > MAX_TEXT_CHARS:
                raise BadFile(f"a PDF with {TOO_LONG}")
        info: Mapping[str, object] = reader.metadata or {}
    except (PyPdfError, ValueError, KeyError, TypeError, AttributeError, RecursionError) as e:
        raise BadFile(f"a PDF that cannot be read ({type(e).__name__})") from None
    meta = {k: str(v).strip() for k, v in (("title", info.get("/Title")), ("author", info.get("/Author")))
            if v and str(v).strip()}
    return _reflow("\n".join(pages).splitlines()), meta


def convert(raw: bytes) -> Converted:
    """The article's text (and metadata, where the format has it), or BadFile saying why not."""
    kind = sniff(raw)
    if kind == "pdf":
        text, meta = _pdf_text(raw)
    elif kind == "html":
        import trafilatura

        html = raw.decode("utf-8", errors="replace")
        text = trafilatura.extract(html, output_format="txt", include_comments=False, include_tables=False) or ""
        found = trafilatura.extract_metadata(html)
        meta = {}
        if found is not None:
            for key, attr in (("title", "title"), ("author", "author"), ("published", "date"),
                              ("publisher", "sitename"), ("url", "url")):
                value = getattr(found, attr, None)
                if value:
                    meta[key] = str(value)
    else:
        try:
            text = raw.decode("utf-8-sig")
        except UnicodeDecodeError as e:
            raise BadFile(f"not valid UTF-8 (byte {e.start}); save the file as UTF-8 and try again") from None
        meta = {}
    if len(text) > MAX_TEXT_CHARS:
        raise BadFile(TOO_LONG)
    if not re.search(r"\w{3,}", text):
        raise BadFile(f"{'a PDF' if kind == 'pdf' else 'a file'} with no text in it (a scan needs OCR first)")
    return Converted(text, kind, meta)


def safe_stem(filename: str) -> str:
    """A file name stem made of [a-z0-9_-] only, so no upload can name a path."""
    stem = Path(anyascii(filename).replace("\\", "/").split("/")[-1]).stem.lower()
    stem = re.sub(r"[^a-z0-9_-]+", "-", stem).strip("-_")[:60]
    return stem or "article"


def existing_copy(folder: Path, text: str) -> str | None:
    """The stem of an article in `folder` with the same text, if any."""
    digest = hashlib.sha256(text.encode("utf-8")).digest()
    for f in folder.glob("*.txt"):
        if hashlib.sha256(f.read_bytes().removeprefix(b"\xef\xbb\xbf")).digest() == digest:
            return f.stem
    return None


def save_catalog(folder: Path, catalog: dict[str, dict]) -> None:
    """Rewrite catalog.toml whole, by a TOML library (so every character is escaped as TOML needs),
    and swap it in atomically; the comment block at its top is kept."""
    path = folder / "catalog.toml"
    old = path.read_text(encoding="utf-8").splitlines(keepends=True) if path.is_file() else []
    header = "".join(itertools.takewhile(lambda line: line.startswith("#"), old))
    tmp = folder / ".catalog.toml.tmp"
    tmp.write_text(header + ("\n" if header else "") + tomli_w.dumps(catalog), encoding="utf-8")
    tmp.replace(path)


def _pending(path: Path) -> Path:
    """The mark of an add that has not finished: while it exists, `path` is not yet on the shelf."""
    return path.with_name(f".adding-{path.name}")


def store_article(folder: Path, filename: str, converted: Converted, overrides: dict[str, str]) -> Path:
    """Write the article's text into the seeds folder (and its metadata into catalog.toml), marked
    as pending until the add is indexed (the mark is removed) or fails (`discard`)."""
    folder.mkdir(parents=True, exist_ok=True)
    stem = safe_stem(filename)
    path = folder / f"{stem}.txt"
    n = 2
    while path.exists() or _pending(path).exists():
        path = folder / f"{stem}-{n}.txt"
        n += 1
    meta = {k: v for k, v in {**converted.meta, **overrides}.items() if v and k in
            ("title", "publisher", "author", "url", "published")}
    if "published" in meta:
        meta["published"] = meta["published"][:10]
    catalog = load_catalog(folder)  # refuse to add to a catalog that is already broken
    _pending(path).touch()
    tmp = path.with_suffix(".tmp")
    tmp.write_text(converted.text, encoding="utf-8")
    if meta or path.name in catalog:
        save_catalog(folder, {**catalog, path.name: meta})
    tmp.replace(path)
    return path


def discard(path: Path) -> None:
    """Take a half-added article off the shelf: its text, its catalog entry and its mark."""
    path.unlink(missing_ok=True)
    path.with_suffix(".tmp").unlink(missing_ok=True)
    catalog = load_catalog(path.parent)
    if path.name in catalog:
        del catalog[path.name]
        save_catalog(path.parent, catalog)
    _pending(path).unlink(missing_ok=True)


def discard_unfinished(folder: Path) -> list[str]:
    """After a crash or a killed reader: every add that did not finish is undone (its index entry
    goes with the next sync of the folder). Returns the file names taken off."""
    gone = []
    for mark in sorted(folder.glob(".adding-*")):
        name = mark.name.removeprefix(".adding-")
        discard(folder / name)
        gone.append(name)
    for leftover in folder.glob("*.tmp"):
        leftover.unlink(missing_ok=True)
    (folder / ".catalog.toml.tmp").unlink(missing_ok=True)
    return gone


@dataclass
class Added:
    doc: str
    new: bool  # False: the same text was already on the shelf under `doc`
    path: Path
    kind: str = "text"  # what it was uploaded as: text, html or pdf
    updated: bool = False  # the article from the same origin had another text, now replaced


def add_article(folder: Path, index: Path, raw: bytes, filename: str, overrides: dict[str, str],
                max_bytes: int, origin: str | None = None) -> Added:
    """Check, convert, store and index one article; the index swap is atomic, so readers never
    see half of it, and a crash at any point leaves a mark that `discard_unfinished` undoes.
    `origin`: where the file came from; a changed file from the same place updates its article."""
    from bot.ingest.build import build_index

    if len(raw) > max_bytes:
        raise BadFile(f"larger than {max_bytes // (1024 * 1024)} MB ({len(raw) / 1048576:.1f} MB)")
    with time_limit():
        converted = convert(raw)
    same = existing_copy(folder, converted.text) if folder.is_dir() else None
    if same is not None:
        return Added(same, False, folder / f"{same}.txt")
    known = next((folder / name for name, where in origins(folder).items()
                  if where == origin and (folder / name).is_file()), None) if origin else None
    if known is not None:
        tmp = known.with_suffix(".tmp")
        tmp.write_text(converted.text, encoding="utf-8")
        tmp.replace(known)  # the old text or the new one, never half; the next sync indexes what is there
        build_index([known], index, sync=False)
        return Added(known.stem, False, known, converted.kind, updated=True)
    path = store_article(folder, filename, converted, overrides)
    try:
        report = build_index([path], index, sync=False)
    except BaseException:
        discard(path)  # nothing half-added stays on the shelf
        raise
    if report.skipped:
        discard(path)
        raise BadFile(report.skipped[0][1])
    if origin:
        _save_origins(folder, {**origins(folder), path.name: origin})
    _pending(path).unlink()
    return Added(path.stem, True, path, converted.kind)


ORIGINS = ".origins.toml"  # article file name -> the path it was ingested from


def origins(folder: Path) -> dict[str, str]:
    """Where each article ingested from a path came from (so a changed file updates its article)."""
    path = folder / ORIGINS
    try:
        return {k: v for k, v in tomllib.loads(path.read_text(encoding="utf-8")).items() if isinstance(v, str)}
    except (OSError, tomllib.TOMLDecodeError):
        return {}


def _save_origins(folder: Path, table: dict[str, str]) -> None:
    tmp = folder / f"{ORIGINS}.tmp"
    tmp.write_text(tomli_w.dumps(table), encoding="utf-8")
    tmp.replace(folder / ORIGINS)
