"""Text helpers shared by ingest, search and matching: one notion of 'the same word'."""
from __future__ import annotations

import datetime as dt
import re
import unicodedata

from anyascii import anyascii

_SPACE = re.compile(r"\s+")
_NON_ASCII = re.compile(r"[^\x00-\x7f]+")


def normalize(text: str) -> str:
    """NFC-normalise and collapse runs of white space (display text keeps its characters)."""
    return _SPACE.sub(" ", unicodedata.normalize("NFC", text)).strip()


def fold(text: str) -> str:
    """Accent-, case- and script-insensitive form used for every comparison (Çelik -> celik)."""
    # anyascii maps each character on its own, so only the non-ASCII runs need it (it is pure Python)
    ascii_text = _NON_ASCII.sub(lambda m: anyascii(m.group()), unicodedata.normalize("NFKC", text))
    return _SPACE.sub(" ", ascii_text.casefold()).strip()


def strip_invisible(text: str) -> str:
    """Drop zero-width and bidi control characters that users paste by accident or on purpose."""
    return "".join(c for c in text if unicodedata.category(c) != "Cf")


def strip_markdown(text: str) -> str:
    return re.sub(r"\\([*_`~|>\\])", r"\1", text.replace("**", ""))


def plain(text: str) -> str:
    """Text for a terminal or a file: no Markdown, and Discord's channel and time markup written out."""
    text = re.sub(r"<#(\d+)>", r"#\1", strip_markdown(text))
    return re.sub(r"<t:(\d{1,11})(?::[tTdDfFR])?>", lambda m: dt.datetime.fromtimestamp(
        int(m.group(1)), dt.UTC).strftime("%Y-%m-%d %H:%M UTC"), text)
