"""New articles from any shelf: plain text, Markdown, HTML or PDF, checked by content, not by name.

An article is stored under the seeds folder as UTF-8 text (its paragraphs are what citations
number), with what the source said about itself (title, author, date, site) in catalog.toml.
"""
from __future__ import annotations

import hashlib
import io
import json
import re
from dataclasses import dataclass, field
from pathlib import Path

from anyascii import anyascii

from bot.ingest.document import BadFile, load_catalog

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
    """PDF text breaks lines inside paragraphs: join a line to the next unless it ends a sentence."""
    out: list[str] = []
    for line in (x.strip() for x in lines):
        if not line:
            out.append("")
        elif out and out[-1] and not _SENTENCE_END.search(out[-1]):
            out[-1] = (out[-1][:-1] if out[-1].endswith("-") else out[-1] + " ") + line
        else:
            out.append(line)
    return "\n".join(p for p in out if p) + "\n"


def convert(raw: bytes) -> Converted:
    """The article's text (and metadata, where the format has it), or BadFile saying why not."""
    kind = sniff(raw)
    if kind == "pdf":
        from pypdf import PdfReader
        from pypdf.errors import PdfReadError

        try:
            reader = PdfReader(io.BytesIO(raw))
            text = _reflow("\n".join(page.extract_text() or "" for page in reader.pages).splitlines())
            info = reader.metadata or {}
        except (PdfReadError, ValueError, KeyError, TypeError) as e:
            raise BadFile(f"a PDF that cannot be read ({type(e).__name__})") from None
        meta = {k: str(v).strip() for k, v in (("title", info.get("/Title")), ("author", info.get("/Author")))
                if v and str(v).strip()}
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


def _toml_section(name: str, values: dict[str, str]) -> str:
    lines = [f"\n[{json.dumps(name)}]"] + [f"{k} = {json.dumps(v, ensure_ascii=False)}" for k, v in values.items()]
    return "\n".join(lines) + "\n"


def store_article(folder: Path, filename: str, converted: Converted, overrides: dict[str, str]) -> Path:
    """Write the article's text into the seeds folder (and its metadata into catalog.toml)."""
    folder.mkdir(parents=True, exist_ok=True)
    stem = safe_stem(filename)
    path = folder / f"{stem}.txt"
    n = 2
    while path.exists():
        path = folder / f"{stem}-{n}.txt"
        n += 1
    meta = {k: v for k, v in {**converted.meta, **overrides}.items() if v and k in
            ("title", "publisher", "author", "url", "published")}
    if "published" in meta:
        meta["published"] = meta["published"][:10]
    tmp = path.with_suffix(".tmp")
    tmp.write_text(converted.text, encoding="utf-8")
    if meta:
        catalog = folder / "catalog.toml"
        load_catalog(folder)  # refuse to append to a catalog that is already broken
        with catalog.open("a", encoding="utf-8") as f:
            f.write(_toml_section(path.name, meta))
    tmp.replace(path)
    return path


@dataclass
class Added:
    doc: str
    new: bool  # False: the same text was already on the shelf under `doc`
    path: Path


def add_article(folder: Path, index: Path, raw: bytes, filename: str, overrides: dict[str, str],
                max_bytes: int) -> Added:
    """Check, convert, store and index one article; the index swap is atomic, so readers never
    see half of it, and a crash before the swap leaves everything as it was."""
    from bot.ingest.build import build_index

    if len(raw) > max_bytes:
        raise BadFile(f"larger than {max_bytes // (1024 * 1024)} MB ({len(raw) / 1048576:.1f} MB)")
    converted = convert(raw)
    same = existing_copy(folder, converted.text) if folder.is_dir() else None
    if same is not None:
        return Added(same, False, folder / f"{same}.txt")
    path = store_article(folder, filename, converted, overrides)
    try:
        report = build_index([path], index, sync=False)
    except BaseException:
        path.unlink(missing_ok=True)  # nothing half-added stays on the shelf
        raise
    if report.skipped:
        path.unlink(missing_ok=True)
        raise BadFile(report.skipped[0][1])
    return Added(path.stem, True, path)
