"""What a command does first with the text of an option: its visible characters, normalised and
bounded, or BadInput saying what to type instead. Shared by every cog."""
from __future__ import annotations

from bot.errors import BadInput
from bot.text import normalize, strip_invisible

MAX_QUERY = 200


def visible(text: str | None) -> str:
    """The option as the user sees it: invisible characters dropped, white space collapsed."""
    return normalize(strip_invisible(text or ""))


def clean(text: str | None, what: str, hint: str, limit: int = MAX_QUERY) -> str:
    """Visible, normalised text of an option, or BadInput saying what to type instead."""
    text = visible(text)
    if not text:
        raise BadInput(f"Please give {what}. {hint}")
    if len(text) > limit:
        raise BadInput(f"That {what} is {len(text):,} characters long; keep it under {limit}. {hint}")
    return text
