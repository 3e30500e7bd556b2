"""Hostile article texts of any size, for the tests and the bench: each one a shape that once made
extraction super-linear or its output grow without bound."""
from __future__ import annotations

import random
import string


def _repeat(unit: str, size: int) -> str:
    return (unit * (size // len(unit) + 1))[:size]


def _random(alphabet: str, size: int, seed: int) -> str:
    rng = random.Random(seed)
    return "".join(rng.choice(alphabet) for _ in range(size))


HOSTILE = {  # name -> text of about `size` characters
    "all-caps token": lambda size: "Notes\n" + "A" * size + "\n",
    "uppercase hex": lambda size: "Dump\n" + _random("0123456789ABCDEF", size, 1) + "\n",
    "no spaces (PDF-style)": lambda size: "Scan\n" + _random(string.ascii_letters + ".,", size, 2) + "\n",
    "quotes in one sentence": lambda size: "Talks\nHe said " + _repeat("“we will meet again soon”, and ", size) + ".\n",
    "unclosed parentheses": lambda size: "Talks\nIn 1956 " + _repeat("(the talks went on ", size) + "\n",
    "unclosed single quotes": lambda size: "Talks\nIn 1956 " + _repeat("‘the talks went on ", size) + "\n",
    "relative dates in one sentence": lambda size: "Talks\nTalks began on 3 March 2010, "
                                                   + _repeat("99 weeks later, ", size) + "they met.\n",
    "capitalised words": lambda size: "Talks\n" + _repeat("Foreign Minister Of State ", size) + "said “yes”.\n",
    "one-line paragraphs": lambda size: "Talks\n" + _repeat("Q: Did they meet in May 1956?\nA: Yes.\n", size),
}
