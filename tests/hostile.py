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
    # (a title line first: one called 'Notes' would make the rest footnotes, which are not read for facts)
    "all-caps token": lambda size: "Talks log\n" + "A" * size + "\n",
    "uppercase hex": lambda size: "Talks log\n" + _random("0123456789ABCDEF", size, 1) + "\n",
    "no spaces (PDF-style)": lambda size: "Talks scan\n" + _random(string.ascii_letters + ".,", size, 2) + "\n",
    "quotes in one sentence": lambda size: "Talks\nHe said " + _repeat("“we will meet again soon”, and ", size) + ".\n",
    "unclosed parentheses": lambda size: "Talks\nIn 1956 " + _repeat("(the talks went on ", size) + "\n",
    "unclosed single quotes": lambda size: "Talks\nIn 1956 " + _repeat("‘the talks went on ", size) + "\n",
    "relative dates in one sentence": lambda size: "Talks\nTalks began on 3 March 2010, "
                                                   + _repeat("99 weeks later, ", size) + "they met.\n",
    "capitalised words": lambda size: "Talks\n" + _repeat("Foreign Minister Of State ", size) + "said “yes”.\n",
    "one-line paragraphs": lambda size: "Talks\n" + _repeat("Q: Did they meet in May 1956?\nA: Yes.\n", size),
}


def pdf_bomb(lines: int) -> bytes:
    """A small PDF whose one page draws `lines` lines of text: its compressed stream is tiny, the
    text it unpacks to is not."""
    import zlib

    row = b"(The leaders met in Moscow in May 1956 and talked about the islands) Tj T*\n"
    stream = zlib.compress(b"BT /F1 10 Tf 12 TL 20 800 Td\n" + row * lines + b"ET\n", 9)
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R"
        b" /Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(stream) + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out, offsets = bytearray(b"%PDF-1.4\n"), []
    for i, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % i + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)
