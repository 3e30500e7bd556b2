"""A list answer as a file to keep: CSV for a spreadsheet, Markdown for notes; one row per line and
source it cites, the citation's facts as columns (a line that cites two sources has two rows)."""
from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator
from typing import TYPE_CHECKING, Literal, get_args

from bot.text import plain

if TYPE_CHECKING:
    from bot.render import Citation, Reply

Format = Literal["csv", "md"]
FORMATS: tuple[Format, ...] = get_args(Format)
COLUMNS = ("line", "text", "source", "doc", "paragraph", "title", "author", "publisher", "published", "url",
           "footnotes")
_REFS = re.compile(r"(?: \[\d+\])+$")  # the citation numbers a line ends in: columns of their own here


def rows(reply: Reply) -> Iterator[dict[str, str]]:
    """The answer's lines as rows, each with the facts of one source it cites."""
    for i, (line, numbers) in enumerate(zip(reply.lines, reply.line_cites, strict=True), 1):
        text = plain(_REFS.sub("", line))
        for n in numbers or [0]:
            c: Citation | None = reply.citations[n - 1] if n else None
            yield {"line": str(i), "text": text, "source": str(n or ""),
                   **({"doc": c.doc, "paragraph": str(c.paragraph), "title": c.title, "author": c.author or "",
                       "publisher": c.publisher or "", "published": c.published or "", "url": c.url or "",
                       "footnotes": " · ".join(f"[{k}] {t}" for k, t in c.footnotes)} if c else {})}


def to_csv(reply: Reply) -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, COLUMNS, restval="", lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows(reply))
    return out.getvalue()


def _cell(text: str) -> str:
    return text.replace("\\", "\\\\").replace("|", "\\|").replace("\n", " ")


def to_markdown(reply: Reply) -> str:
    """A heading, the answer's note, and one table; titles link to their URLs."""
    out = [f"# {plain(reply.title)}", ""] if reply.title else []
    if reply.note:
        out += [plain(reply.note), ""]
    out += ["| " + " | ".join(COLUMNS) + " |", "|" + "---|" * len(COLUMNS)]
    for row in rows(reply):
        if row.get("url"):
            row["title"] = f"[{row['title'].replace('[', '(').replace(']', ')')}]({row['url']})"
        out.append("| " + " | ".join(_cell(row.get(c, "")) for c in COLUMNS) + " |")
    return "\n".join(out) + "\n"


def export(reply: Reply, fmt: Format) -> tuple[str, bytes]:
    """(file name, contents) of the answer in a format."""
    slug = re.sub(r"[^a-z0-9]+", "-", plain(reply.title).lower()).strip("-")[:60] or "answer"
    text = to_csv(reply) if fmt == "csv" else to_markdown(reply)
    return f"{slug}.{fmt}", text.encode("utf-8")
