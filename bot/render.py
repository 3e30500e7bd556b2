"""Every answer is a Reply: lines that cite numbered sources, rendered as Discord embeds within
Discord's limits, paginated with buttons only the asker may press, or as console text / JSON.
"""
from __future__ import annotations

import calendar
import contextlib
import io
import re
from dataclasses import dataclass, field

import discord

from bot.export import FORMATS, Format, export
from bot.text import plain

NO_MENTIONS = discord.AllowedMentions.none()
COLOUR = discord.Colour.from_rgb(46, 110, 160)

# Discord's embed limits; a page (title, text, two source fields, footer) stays under its 6000 total.
TITLE_MAX, DESCRIPTION_MAX, FIELD_NAME_MAX, FIELD_MAX = 256, 4096, 256, 1024
PAGE_TEXT, PAGE_ITEMS, SOURCE_LINE, SOURCE_FIELDS = 2800, 8, 300, 2
PAGE_TIMEOUT = 300.0
MAX_LINES = 40  # lines an answer lists: five pages; beyond that, asking more precisely beats paging


def plural(n: int, word: str, many: str | None = None) -> str:
    """'1 quote', '2 quotes', '0 quotes': every count a reply shows goes through here."""
    return f"{n:,} {word if n == 1 else many or word + 's'}"


def clip(text: str, limit: int) -> str:
    """Cut at a word boundary with an ellipsis so that len(result) <= limit."""
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    if " " in cut[limit // 2:]:
        cut = cut[: cut.rfind(" ")]
    return cut + "…"


def format_date(date: str, granularity: str, end_year: int | None = None, short: bool = False) -> str:
    """A date as a reader writes it at its granularity: '24 February 2022', 'March 2022', '1930s'
    (short: '24 Feb 2022', for a picture's labels)."""
    y = int(date[:4])
    months = calendar.month_abbr if short else calendar.month_name
    if granularity == "day":
        return f"{int(date[8:10])} {months[int(date[5:7])]} {y}"
    if granularity == "month":
        return f"{months[int(date[5:7])]} {y}"
    if end_year and end_year == y + 9 and y % 10 == 0:
        return f"{y}s"
    if end_year:
        return f"{y}–{end_year}"
    return str(y)


def published_date(published: str | None) -> str | None:
    """A document's publication date (YYYY, YYYY-MM or YYYY-MM-DD) as a reader writes it."""
    grain = _GRANULARITY.get(len(published or ""))
    return format_date(published, grain) if published and grain else published


@dataclass(frozen=True)
class Citation:
    """One cited paragraph and what is known of its document."""

    doc: str
    paragraph: int
    title: str
    publisher: str | None
    footnotes: tuple[tuple[int, str], ...] = ()
    author: str | None = None
    published: str | None = None  # YYYY, YYYY-MM or YYYY-MM-DD
    url: str | None = None

    def source(self, markdown: bool = True) -> str:
        """Title (a link to the URL in Markdown, else followed by it), author, publisher, date, ¶."""
        title = f"[{_LINK_TEXT.sub('', self.title)}]({self.url})" if markdown and self.url else self.title
        when = published_date(self.published)
        facts = " · ".join(filter(None, [self.author and f"by {self.author}", self.publisher, when]))
        url = f" · {self.url}" if self.url and not markdown else ""
        return f"{title}" + (f" — {facts}" if facts else "") + f", ¶{self.paragraph}{url}"

    def line(self, n: int, markdown: bool = True) -> str:
        """The source as a numbered line, its footnotes after it as far as SOURCE_LINE allows."""
        src = f"[{n}] {self.source(markdown)}"
        notes = " · ".join(f"fn {k}: {t}" for k, t in self.footnotes)
        room = SOURCE_LINE - len(src)
        return src + clip(f" · {notes}", room) if notes and room > 20 else src

    def to_json(self) -> dict:
        return {"doc": self.doc, "paragraph": self.paragraph, "title": self.title, "publisher": self.publisher,
                "author": self.author, "published": self.published, "url": self.url,
                "footnotes": [{"n": k, "text": t} for k, t in self.footnotes]}


_LINK_TEXT = re.compile(r"[\[\]]")  # brackets would end a Markdown link's text early
_GRANULARITY = {4: "year", 7: "month", 10: "day"}


@dataclass
class Reply:
    """An answer: a title, lines that end in citation numbers, and the cited sources."""

    title: str = ""
    lines: list[str] = field(default_factory=list)
    line_cites: list[list[int]] = field(default_factory=list)
    citations: list[Citation] = field(default_factory=list)
    note: str = ""
    content: str = ""
    ephemeral: bool = False
    footer: str = ""
    image: tuple[str, bytes] | None = None  # (file name, PNG) shown in the first page
    view: discord.ui.View | None = None  # buttons of its own (a confirmation), instead of page turning
    export: bool = False  # a list answer: buttons send it as a CSV or Markdown file
    sections: list[tuple[str, str]] = field(default_factory=list)  # (name, text): fields of the first page

    def cite(self, citation: Citation) -> int:
        """The citation's number in this reply (1-based), adding it if new."""
        for i, c in enumerate(self.citations, 1):
            if c.doc == citation.doc and c.paragraph == citation.paragraph:
                return i
        self.citations.append(citation)
        return len(self.citations)

    def add(self, text: str, *citations: Citation) -> None:
        numbers = [self.cite(c) for c in citations]
        refs = "".join(f" [{n}]" for n in numbers)
        self.lines.append(clip(text, PAGE_TEXT // 2 - len(refs)) + refs)
        self.line_cites.append(numbers)

    def pages(self) -> list[discord.Embed]:
        """The embeds, one a page; each page lists the sources its lines cite."""
        if not self.lines and not self.note and not self.sections:
            return []
        chunks: list[list[int]] = [[]]
        size = len(self.note)
        for i, line in enumerate(self.lines):
            if chunks[-1] and (size + len(line) + 1 > PAGE_TEXT or len(chunks[-1]) >= PAGE_ITEMS):
                chunks.append([])
                size = len(self.note)
            chunks[-1].append(i)
            size += len(line) + 1
        embeds = []
        for k, chunk in enumerate(chunks, 1):
            body = "\n".join([self.note] * bool(self.note) + [self.lines[i] for i in chunk])
            e = discord.Embed(title=clip(self.title, TITLE_MAX), description=clip(body, DESCRIPTION_MAX),
                              colour=COLOUR)
            numbers = sorted({n for i in chunk for n in self.line_cites[i]})
            self._source_fields(e, numbers)
            pager = f"Page {k}/{len(chunks)}" if len(chunks) > 1 else ""
            if pager or self.footer:
                e.set_footer(text=" · ".join(filter(None, [self.footer, pager])))
            embeds.append(e)
        for name, text in self.sections:
            embeds[0].add_field(name=name, value=text, inline=False)
        if self.image and embeds:
            embeds[0].set_image(url=f"attachment://{self.image[0]}")
        return embeds

    def _source_fields(self, e: discord.Embed, numbers: list[int]) -> None:
        fields = _pack([self.citations[n - 1].line(n) for n in numbers])
        if len(fields) > SOURCE_FIELDS:
            fields = fields[:SOURCE_FIELDS - 1] + [clip(fields[SOURCE_FIELDS - 1] + "\n…", FIELD_MAX)]
        for i, text in enumerate(fields):
            e.add_field(name="Sources" if i == 0 else "Sources (cont.)", value=text, inline=False)

    def section(self, name: str, lines: list[str]) -> None:
        """A named section of lines (shown after the text of the first page), in as many fields as
        Discord's field limit needs: 'name', then 'name (cont.)'."""
        for i, text in enumerate(_pack(lines)):
            self.sections.append((clip(name if i == 0 else f"{name} (cont.)", FIELD_NAME_MAX), text))

    def to_text(self) -> str:
        """Console rendering: the same lines and sources as plain text."""
        out = [plain(self.content)] if self.content else []
        if self.title:
            out.append(self.title)
        if self.note:
            out.append(plain(self.note))
        out += [plain(line) for line in self.lines]
        for name, text in self.sections:
            out += ["", plain(name), plain(text)]
        if self.citations:
            out.append("Sources:")
            out += [c.line(i, markdown=False) for i, c in enumerate(self.citations, 1)]
        return "\n".join(out)

    def to_json(self, components: list[dict] | None = None) -> dict:
        pages = self.pages()
        return {"content": self.content, "embeds": [pages[0].to_dict()] if pages else [],
                "ephemeral": self.ephemeral, "allowed_mentions": NO_MENTIONS.to_dict(),
                "components": components or [], "citations": [c.to_json() for c in self.citations]}


def _pack(lines: list[str], limit: int = FIELD_MAX) -> list[str]:
    """Lines joined into as few texts of at most `limit` characters as they fit in, in order."""
    texts: list[str] = []
    for line in (clip(line, limit) for line in lines):
        if texts and len(texts[-1]) + len(line) + 1 <= limit:
            texts[-1] += "\n" + line
        else:
            texts.append(line)
    return texts


def problem(message: str) -> Reply:
    """A short ephemeral answer to bad input, saying what to type instead."""
    return Reply(content=clip(message, 1900), ephemeral=True)


class Paginator(discord.ui.View):
    """◀ ▶ buttons over the pages of a Reply and, on a list answer, buttons that send it as a file;
    only the person who asked can press them."""

    def __init__(self, pages: list[discord.Embed], origin: discord.Interaction, export: Reply | None = None) -> None:
        super().__init__(timeout=PAGE_TIMEOUT)
        self.pages = pages
        self.origin = origin
        self.owner_id = origin.user.id
        self.page = 0
        self._sync()
        if len(pages) < 2:
            self.remove_item(self.previous)
            self.remove_item(self.next)
        if export is not None:
            for fmt in FORMATS:
                self.add_item(ExportButton(export, fmt))

    def _sync(self) -> None:
        self.previous.disabled = self.page == 0
        self.next.disabled = self.page == len(self.pages) - 1

    async def interaction_check(self, interaction: discord.Interaction) -> bool:
        if interaction.user.id != self.owner_id:
            await interaction.response.send_message("Only the person who asked can turn these pages; "
                                                    "run the command yourself to browse.", ephemeral=True,
                                                    allowed_mentions=NO_MENTIONS)
            return False
        return True

    async def _show(self, interaction: discord.Interaction, delta: int) -> None:
        self.page = max(0, min(len(self.pages) - 1, self.page + delta))
        self._sync()
        await interaction.response.edit_message(embed=self.pages[self.page], view=self,
                                                allowed_mentions=NO_MENTIONS)

    @discord.ui.button(label="◀", style=discord.ButtonStyle.secondary)
    async def previous(self, interaction: discord.Interaction, _: discord.ui.Button) -> None:
        await self._show(interaction, -1)

    @discord.ui.button(label="▶", style=discord.ButtonStyle.secondary)
    async def next(self, interaction: discord.Interaction, _: discord.ui.Button) -> None:
        await self._show(interaction, 1)

    async def on_timeout(self) -> None:
        for item in self.children:
            if isinstance(item, discord.ui.Button):
                item.disabled = True
        with contextlib.suppress(discord.HTTPException):  # the message is gone or the token expired
            await self.origin.edit_original_response(view=self)


class ExportButton(discord.ui.Button[Paginator]):
    """Sends the whole answer, every page of it, as a file to the person who asked."""

    LABELS = {"csv": "CSV", "md": "Markdown"}

    def __init__(self, reply: Reply, fmt: Format) -> None:
        super().__init__(label=self.LABELS[fmt], emoji="📄", style=discord.ButtonStyle.secondary)
        self.reply, self.fmt = reply, fmt

    async def callback(self, interaction: discord.Interaction) -> None:
        name, data = export(self.reply, self.fmt)
        await interaction.response.send_message(
            f"{plural(len(self.reply.lines), 'line')} with their sources, as {self.LABELS[self.fmt]}.",
            file=discord.File(io.BytesIO(data), filename=name), ephemeral=True, allowed_mentions=NO_MENTIONS)


REPLY_KEY = "kuril_reply"


async def send(interaction: discord.Interaction, reply: Reply) -> None:
    """Answer an interaction with a Reply (the one place a Reply becomes a Discord message)."""
    interaction.extras[REPLY_KEY] = reply
    pages = reply.pages()
    kwargs: dict = {"allowed_mentions": NO_MENTIONS, "ephemeral": reply.ephemeral}
    if reply.content:
        kwargs["content"] = reply.content
    if pages:
        kwargs["embed"] = pages[0]
    if reply.image:
        kwargs["file"] = discord.File(io.BytesIO(reply.image[1]), filename=reply.image[0])
    listed = reply if reply.export and reply.lines else None
    view = reply.view or (Paginator(pages, interaction, listed) if len(pages) > 1 or listed else None)
    if view is not None:
        kwargs["view"] = view
    if interaction.response.is_done():
        await interaction.followup.send(**kwargs)
    else:
        await interaction.response.send_message(**kwargs)
