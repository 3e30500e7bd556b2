"""Reading an article file: checks, paragraphs (DESIGN numbering), footnotes, boilerplate, metadata."""
from __future__ import annotations

import hashlib
import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from bot.text import normalize

MAX_TEXT_CHARS = 2_000_000  # about a 600-page book: an article's text is never longer
TOO_LONG = f"more than {MAX_TEXT_CHARS:,} characters of text (about 600 pages): split it"

# Paragraph kinds. Only "body" and "heading" paragraphs yield quotes and events.
TITLE, HEADING, BODY, FOOTNOTE, BOILERPLATE = "title", "heading", "body", "footnote", "boilerplate"

_FOOTNOTE = re.compile(r"^\[(\d{1,3})\]\s*(.*)$")
_NOTES_HEADER = re.compile(r"^(?:notes|endnotes|footnotes|references|sources|bibliography)\s*:?$", re.I)
_BOILERPLATE = re.compile(
    r"^(?:similar posts|related (?:posts|articles|stories)|post new comment|leave a (?:reply|comment)|"
    r"share(?: this)?(?: (?:article|post))?|tweet|print|email|subscribe\b|read (?:more|also)\b|tags?:|comments?\b|"
    r"this (?:post|article|page) is also available in\b|also available in\b|advertisement|"
    r"(?:pic|photo|image|picture)s?\s*(?:courtesy|credit|source)|\(?photo:|(?:photograph|photo|picture|image) of\b|"
    r"insightful and analytical|watch on youtube\b|story continues below\b|web notifications$|activate notifications|"
    r"already a member\b|register (?:now|today)\b|"
    r"(?:this|the) (?:article|piece|post|commentary|essay|op-ed|story|interview) (?:was|is|has been) "
    r"(?:first |originally )?(?:published|posted|written)|(?:this|the) (?:story|article|report) has been "
    r"(?:corrected|updated|amended)|correction:|editor.s note|"
    r"[\w-]+\.(?:svg|png|jpe?g|gif)\s)",  # 'Wikisource-logo.svg ru:… at Wikisource': a sister-site link
    re.I)
_DISCLAIMER = re.compile(
    r"views expressed|do(?:es)? not (?:necessarily )?(?:reflect|represent)|all rights reserved|^©|"
    r"^copyright\b|is the author.s individual", re.I)
_PHOTO_CAPTION = re.compile(r"\b(?:Picture|Photo|Photograph) taken\b")  # a caption's formula: 'Picture taken April 12'
_PHOTO_CREDIT = re.compile(r"^©(?!.*\b[12]\d{3}\b)[^.!?]{2,60}$")  # a name or agency, no year: not the page's copyright
_ORG_WORD = (r"Institute|Institution|Center|Centre|Foundation|Council|Agency|University|Forum|Society|"
             r"Association|Times|Post|News|Review|Journal|Herald|Tribune|Press|Daily|Gazette|Monitor|"
             r"Embassy|Ministry|Office|Group|Network|Studies|Policy|Affairs")
_ORG = rf"(?:the\s+)?((?:[A-Z][\w&'.-]*\s+(?:(?:of|for|and|on)\s+)?){{0,7}}(?:{_ORG_WORD})\b|[A-Z]{{3,}}\b)"
_DISCLAIMER_ORG = re.compile(rf"(?:position|views?|opinions?|stance|policy) of {_ORG}")
_MASTHEAD_ORG = re.compile(rf"^((?:[A-Z][\w&'.-]*\s+(?:(?:of|for|and|on)\s+)?){{0,6}}(?:{_ORG_WORD}))\b")
_BYLINE = re.compile(r"^(?:by|written by|author:)\s+([A-Z][\w.'-]+(?:\s+[A-Z][\w.'-]+){1,3})"
                     r"(?:\s+and\s+[A-Z][\w.'-]+(?:\s+[A-Z][\w.'-]+){1,3})?(?:,\s*[^,]{2,60})?$", re.I)
_NAME_LINE = re.compile(r"^(?:(?:Dr|Prof|Mr|Mrs|Ms)\.?\s+)?([A-Z][\w'-]+(?:\s+[A-Z][\w'-]+){1,2})$")


class BadFile(Exception):
    """A file that cannot be ingested; the message is the one warning line the user sees."""


@dataclass
class Paragraph:
    n: int
    text: str
    kind: str = BODY

    @property
    def is_content(self) -> bool:
        return self.kind in (BODY, HEADING)


@dataclass
class Footnote:
    n: int
    paragraph: int
    text: str


@dataclass
class Document:
    file: str
    sha256: str
    paragraphs: list[Paragraph]
    footnotes: list[Footnote] = field(default_factory=list)
    title: str | None = None
    publisher: str | None = None
    author: str | None = None
    published: str | None = None
    url: str | None = None

    @property
    def doc(self) -> str:
        return Path(self.file).stem

    @property
    def display_title(self) -> str:
        """The title, or the opening words when the article has no title line."""
        if self.title:
            return self.title
        first = next((p.text for p in self.paragraphs if p.is_content), self.doc)
        return first.split(". ")[0][:120]


def read_text(path: Path) -> tuple[str, str]:
    """Return (text, sha256) or raise BadFile saying why the file was skipped."""
    size = path.stat().st_size
    if size == 0:
        raise BadFile("empty file")
    if size > 4 * MAX_TEXT_CHARS:  # more bytes than the longest text can take in UTF-8
        raise BadFile(TOO_LONG)
    raw = path.read_bytes()
    if b"\x00" in raw[:8192]:
        raise BadFile("binary file (NUL bytes), not text")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        raise BadFile(f"not valid UTF-8 (byte {e.start})") from None
    if not text.strip():
        raise BadFile("no text (only white space)")
    if len(text) > MAX_TEXT_CHARS:
        raise BadFile(TOO_LONG)
    return text, hashlib.sha256(raw).hexdigest()


def split_paragraphs(text: str) -> list[str]:
    """DESIGN numbering: split on newlines, strip each line, drop empty ones; number from 1."""
    return [line.strip() for line in text.split("\n") if line.strip()]


def _is_heading(text: str) -> bool:
    return len(text.split()) <= 14 and not re.search(r"[.!;,]$", text) and not _FOOTNOTE.match(text)


_SEPARATOR = re.compile(r"^[-–—•*|·]+$")  # a line of its own between the items of a list of links


def _classify(lines: list[str]) -> list[Paragraph]:
    paras = [Paragraph(i, normalize(t)) for i, t in enumerate(lines, 1)]
    trailer = False  # after the notes or a disclaimer, the rest is site furniture
    separated = {i for i in range(1, len(paras) - 1)
                 if _SEPARATOR.match(paras[i - 1].text) and _SEPARATOR.match(paras[i + 1].text)}
    separated = separated if len(separated) >= 2 else set()  # a list has items; one '--' is a scene break
    for i, p in enumerate(paras):
        if i in separated or _SEPARATOR.match(p.text):  # '-' / 'Related headline' / '-': links, not the article
            p.kind = BOILERPLATE
            continue
        if _FOOTNOTE.match(p.text):
            p.kind, trailer = FOOTNOTE, True
        elif trailer or _BOILERPLATE.match(p.text) or _NOTES_HEADER.match(p.text) or _BYLINE.match(p.text):
            p.kind = BOILERPLATE
            trailer = trailer or bool(_NOTES_HEADER.match(p.text))
        elif _PHOTO_CREDIT.match(p.text) or _PHOTO_CAPTION.search(p.text):
            p.kind = BOILERPLATE  # '© Yuri Smityuk/TASS' under a picture: the article goes on
        elif _DISCLAIMER.search(p.text) and len(p.text.split()) < 120:
            p.kind, trailer = BOILERPLATE, True
        elif _is_heading(p.text):
            p.kind = HEADING
    return paras


def _title(paras: list[Paragraph]) -> tuple[str | None, str | None]:
    """(title, masthead publisher): a short first line, or a line repeated right after it."""
    if not paras or paras[0].kind not in (HEADING, BODY) or re.search(r"[.;,]$", paras[0].text) \
            or len(paras[0].text.split()) > 30:
        return None, None
    first = paras[0]
    first.kind = TITLE
    repeats = [p for p in paras[1:3] if p.text == paras[1].text and p.kind == HEADING]
    if len(paras) > 1 and paras[1].text != first.text and first.text.endswith(paras[1].text) and repeats:
        for p in repeats:
            p.kind = TITLE
        head = first.text[: -len(paras[1].text)].strip()
        m = _MASTHEAD_ORG.match(head)
        return paras[1].text, (m.group(1) if m else None)
    for p in paras[1:3]:
        if p.text == first.text:
            p.kind = TITLE
    return first.text, None


def _publisher(paras: list[Paragraph]) -> str | None:
    for p in reversed(paras):
        if p.kind == BOILERPLATE and _DISCLAIMER.search(p.text):
            m = _DISCLAIMER_ORG.search(p.text)
            if m:
                return m.group(1).strip()
    return None


def _author(paras: list[Paragraph]) -> str | None:
    for p in paras[:4]:
        m = _BYLINE.match(p.text)
        if m:
            return m.group(1)
    for i, p in enumerate(paras):
        m = _NAME_LINE.match(p.text)
        if p.kind == BOILERPLATE and m and not _BOILERPLATE.match(p.text):
            surname = m.group(1).split()[-1].casefold()
            if any(surname in q.text.casefold() for q in paras[i + 1:i + 3]):  # a bio follows
                return " ".join(w.capitalize() if w.isupper() else w for w in m.group(1).split())
    return None


def parse_document(file: str, text: str, sha256: str, overrides: dict | None = None) -> Document:
    """Build a Document from raw text; `overrides` (from catalog.toml) win over derived metadata."""
    paras = _classify(split_paragraphs(text))
    title, masthead = _title(paras)
    footnotes = [Footnote(int(m[1]), p.n, m[2]) for p in paras if p.kind == FOOTNOTE
                 for m in [_FOOTNOTE.match(p.text)] if m]
    doc = Document(file, sha256, paras, footnotes, title=title,
                   publisher=masthead or _publisher(paras), author=_author(paras))
    for key, value in (overrides or {}).items():
        if key in ("title", "publisher", "author", "published", "url") and isinstance(value, str):
            setattr(doc, key, value)
    return doc


def load_catalog(folder: Path) -> dict[str, dict]:
    """Per-file metadata overrides from `catalog.toml` beside the articles (missing file: none)."""
    path = folder / "catalog.toml"
    if not path.is_file():
        return {}
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as e:
        raise BadFile(f"{path}: not valid TOML ({e})") from None
    return {name: v for name, v in data.items() if isinstance(v, dict)}
