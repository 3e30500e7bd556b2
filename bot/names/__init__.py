"""When two spellings name one person: the one key the index writes people under and names are matched by.

'Shinzō Abe', 'Shinzo Abe', 'Abe Shinzo' and 'Shinzo Abe’s' share a key; so do 'Sergei Lavrov',
'Sergey Viktorovich Lavrov' and 'Boris N. Yeltsin' / 'Boris Yeltsin'. A surname alone or initials
('Lavrov', 'S. Lavrov') are short forms: they name a person only where the shelf has one person they
fit, and two people of one surname stay two. Spelling variants are data (name_variants.txt).
"""
from __future__ import annotations

import re
from functools import cache, lru_cache
from importlib.resources import files
from typing import Literal

from bot.extract import lexicon
from bot.text import fold

SpeakerKind = Literal["person", "institution", "document", "generic"]

_WORD = re.compile(r"[a-z0-9]+")
_POSSESSIVE = re.compile(r"['’]s\b")
_PATRONYMIC = re.compile(r"(?:ovich|evich|ovna|evna|ichna)$")  # 'Viktorovich', 'Vladimirovna'


@cache
def _data(name: str) -> tuple[str, ...]:
    """The entries of one of this package's data files: one a line, `#` starts a comment."""
    text = files(__package__).joinpath(f"{name}.txt").read_text(encoding="utf-8")
    return tuple(line for raw in text.splitlines() if (line := raw.split("#", 1)[0].strip()))


@cache
def _variants() -> dict[str, str]:
    """Each spelling variant -> the spelling the key uses ('sergei' -> 'sergey')."""
    out: dict[str, str] = {}
    for line in _data("name_variants"):
        canonical, _, variants = line.partition(":")
        out |= {v: canonical.strip() for v in variants.split()}
    return out


def name_words(name: str) -> list[str]:
    """The words that tell a person's name apart, in the text's order: folded, without a possessive, each
    spelling variant as its canonical one, without function words, a patronymic or middle initials
    ('Boris N. Yeltsin' -> boris yeltsin); initials alone keep the first ('S.V. Lavrov' -> s lavrov)."""
    words = [_variants().get(w, w) for w in _WORD.findall(_POSSESSIVE.sub("", fold(name)))
             if w not in lexicon.words("function_words")]  # 'Putin. But': a sentence's next word
    if len(words) > 2:
        words = [w for i, w in enumerate(words) if not (0 < i < len(words) - 1 and _PATRONYMIC.search(w))]
    full = [w for w in words if len(w) > 1]
    if len(full) >= 2:
        return full
    initials = [w for w in words if len(w) == 1]
    return initials[:1] + full


@lru_cache(maxsize=1 << 16)  # the index asks for the same few thousand names over and over
def name_key(name: str) -> str:
    """The one form of a name under which its spellings meet: its words, sorted, so that a Japanese name
    written surname first ('Abe Shinzo') meets the same name written given name first."""
    return " ".join(sorted(name_words(name)))


def is_short(name: str) -> bool:
    """A surname alone or with initials ('Lavrov', 'S. Lavrov'): not enough to tell two Lavrovs apart."""
    return sum(len(w) > 1 for w in name_words(name)) <= 1


@lru_cache(maxsize=1 << 16)
def short_forms(name: str) -> frozenset[str]:
    """The keys of the short forms of a full name: its surname, and the surname with the first initial of the
    other name. Either end of a two-word name may be the surname (Japanese names are printed both ways)."""
    words = name_words(name)
    if len(words) < 2 or is_short(name):
        return frozenset()
    surnames = {words[-1]} | ({words[0]} if len(words) == 2 else set())
    out: set[str] = set()
    for surname in surnames:
        given = next(w for w in words if w != surname)
        out |= {surname, name_key(f"{given[0]} {surname}")}
    return frozenset(out)


def written(name: str) -> str:
    """A name as an answer shows it: without the possessive the sentence gave it ('Koichiro Gemba's')."""
    return _POSSESSIVE.sub("", name).strip()


def plainer(name: str, than: str) -> bool:
    """Whether `name` is the better of two spellings to show: no possessive, no initials, no patronymic."""
    def cost(n: str) -> tuple[bool, bool, int]:
        return bool(_POSSESSIVE.search(n)), is_short(n), len(n.split())
    return cost(name) < cost(than)


def names_in(text: str, name: str) -> bool:
    """Whether a text (an event's sentence) names the person: their surname, however spelt."""
    surnames = {k for k in short_forms(name) if " " not in k} or set(name_words(name)[-1:])
    return not surnames.isdisjoint(name_words(text))


def speaker_kind(name: str, is_person: bool) -> SpeakerKind:
    """What a speaker is: a person; an institution ('Russian Foreign Ministry', 'Moscow'); a document whose
    words are quoted ('joint statement', 'Cairo Declaration'); or a generic noun that names no one
    ('Russian media', 'officials', 'the ministry', 'Foreign Ministry spokesperson', 'You')."""
    words = fold(_POSSESSIVE.sub("", name)).split()
    head = words[-1] if words else ""
    if any(w in lexicon.words("media_words") for w in words[1:]):  # 'Yomiuri Shimbun', 'Jiji Press'
        return "institution"
    if is_person:
        return "person"
    if head in lexicon.words("document_words") or head in _data("document_heads"):
        return "document"
    proper = [w for w in name.split() if w[:1].isupper() and fold(w) not in lexicon.words("demonyms")]
    if not proper or head in lexicon.words("speaker_nouns") or head in lexicon.words("function_words"):
        return "generic"
    return "institution"
