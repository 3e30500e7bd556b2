"""The local console: the same app commands, checks, callbacks and replies as Discord, read from text.

A line like `/kuril event query:March 2022` (or `/quote Tanaka`, first option bare) is resolved
against the bot's real CommandTree, its options converted by their declared types (a channel as a
discord.Object, as the tree gives a channel), the command's own checks run as the tree runs them,
then its callback, with a ConsoleInteraction that captures the reply.
"""
from __future__ import annotations

import json
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO, cast

import discord
from discord import app_commands

from bot.errors import BadInput, reply_for
from bot.export import Format, export
from bot.render import REPLY_KEY, Reply, problem
from bot.text import fold

if TYPE_CHECKING:
    from bot.client import KurilBot

HELP = "`/help` lists every command with an example."  # built from the tree, as in Discord


@dataclass
class ConsoleUser:
    id: int = 0
    name: str = "console"


class ConsoleResponse:
    def __init__(self) -> None:
        self.sent: dict[str, Any] | None = None

    def is_done(self) -> bool:
        return self.sent is not None

    async def send_message(self, **kwargs: Any) -> None:
        self.sent = kwargs

    async def defer(self, **kwargs: Any) -> None:
        self.sent = self.sent or {}

    async def edit_message(self, **kwargs: Any) -> None:
        """A pressed button rewrites its message: on the console, what it says is the answer."""
        self.sent = kwargs


class ConsoleFollowup:
    def __init__(self, response: ConsoleResponse) -> None:
        self.response = response

    async def send(self, **kwargs: Any) -> None:
        self.response.sent = kwargs


@dataclass
class ConsoleInteraction:
    """Stands in for discord.Interaction where the console runs a command callback."""

    user: ConsoleUser = field(default_factory=ConsoleUser)
    guild_id: int | None = 0  # the console is its own server, and its operator manages it
    guild: None = None
    channel_id: int | None = None
    permissions: discord.Permissions = field(default_factory=discord.Permissions.all)
    extras: dict[str, Any] = field(default_factory=dict)
    response: ConsoleResponse = field(default_factory=ConsoleResponse)

    def __post_init__(self) -> None:
        self.followup = ConsoleFollowup(self.response)

    async def edit_original_response(self, **kwargs: Any) -> None:
        """Paginator timeouts edit the message; on the console there is nothing to edit."""


def _find(tree: app_commands.CommandTree[Any], text: str) -> tuple[app_commands.Command[Any, ..., Any], str]:
    """The command named by the first words of `text`, and the text after them."""
    def take(rest: str) -> tuple[str, str]:
        parts = rest.strip().split(None, 1)
        return (parts[0] if parts else ""), (parts[1] if len(parts) > 1 else "")

    word, rest = take(text)
    node: Any = tree.get_command(word) if word else None
    while isinstance(node, app_commands.Group):
        word, rest = take(rest)
        sub = node.get_command(word) if word else None
        if sub is None:
            subs = ", ".join(f"`/{node.name} {c.name}`" for c in node.commands)
            raise BadInput(f"`/{node.name}` needs a subcommand: {subs}.")
        node = sub
    if node is None:
        raise BadInput(f"I don't know that command. {HELP}")
    return node, rest


@dataclass
class ConsoleAttachment:
    """A local file standing in for an uploaded attachment (`file:/path/to/article.pdf`)."""

    path: Path

    @property
    def filename(self) -> str:
        return self.path.name

    @property
    def size(self) -> int:
        return self.path.stat().st_size

    async def read(self) -> bytes:
        return self.path.read_bytes()


def _convert(param: app_commands.Parameter, raw: str) -> Any:
    t = param.type
    if t == discord.AppCommandOptionType.attachment:
        path = Path(raw.strip()).expanduser()
        if not path.is_file():
            raise BadInput(f"`{param.name}` must be the path of a file on this machine, "
                           f"e.g. `{param.name}:article.pdf`.")
        return ConsoleAttachment(path)
    if t in (discord.AppCommandOptionType.integer, discord.AppCommandOptionType.channel):
        if not re.fullmatch(r"-?\d{1,18}", raw.strip()):
            raise BadInput(f"`{param.name}` must be a whole number, e.g. `{param.name}:17`.")
        value = int(raw)
        lo, hi = param.min_value, param.max_value
        if (lo is not None and value < lo) or (hi is not None and value > hi):
            raise BadInput(f"`{param.name}` must be between {lo} and {hi}.")
        # a channel by its id, as a command reads one (`channel.id`); the console has no channel cache
        return discord.Object(value) if t == discord.AppCommandOptionType.channel else value
    if t == discord.AppCommandOptionType.number:
        try:
            return float(raw)
        except ValueError:
            raise BadInput(f"`{param.name}` must be a number.") from None
    if t == discord.AppCommandOptionType.boolean:
        return raw.strip().lower() in ("1", "true", "yes", "on")
    if param.choices:  # any case, as a user types it: `friday` is Friday
        values = {fold(str(c.value)): c.value for c in param.choices}
        if fold(raw) not in values:
            names = ", ".join(f"`{c.value}`" for c in param.choices)
            raise BadInput(f"`{param.name}` must be one of {names}.")
        return values[fold(raw)]
    return raw


def parse_options(command: app_commands.Command[Any, ..., Any], text: str) -> dict[str, Any]:
    """`name:value` pairs (a value runs to the next ` name:` of this command); the first may be bare."""
    params = command.parameters
    names = [p.name for p in params]
    if not names:
        return {}
    pattern = re.compile(r"(?:^|\s)(" + "|".join(map(re.escape, names)) + r"):")
    found = list(pattern.finditer(text))
    values: dict[str, str] = {}
    head = text[: found[0].start()] if found else text
    if head.strip():
        values[names[0]] = head.strip()
    for k, m in enumerate(found):
        end = found[k + 1].start() if k + 1 < len(found) else len(text)
        values[m.group(1)] = text[m.end():end].strip()
    kwargs = {}
    for p in params:
        if p.name in values:
            given = values[p.name] or p.type != discord.AppCommandOptionType.string
            kwargs[p.name] = _convert(p, values[p.name]) if given else ""
        elif p.required:
            raise BadInput(f"`{p.name}` is required: e.g. `/{command.qualified_name} {p.name}:…`.")
    return kwargs


@dataclass
class Session:
    """What a console remembers between lines: the buttons of the last answer, for `/press`."""

    view: discord.ui.View | None = None

    def buttons(self) -> list[discord.ui.Button[Any]]:
        items = self.view.children if self.view is not None and not self.view.is_finished() else []
        return [b for b in items if isinstance(b, discord.ui.Button) and b.label]


async def _press(label: str, interaction: ConsoleInteraction, session: Session) -> tuple[Reply, list[dict[str, Any]]]:
    """`/press Remove`: the button of the last answer, checked and run as Discord runs a pressed one."""
    buttons = session.buttons()
    button = next((b for b in buttons if fold(b.label or "") == fold(label)), None)
    if session.view is None or button is None:
        names = ", ".join(f"`/press {b.label}`" for b in buttons)
        return problem(f"The last answer has no button `{label}`." + (f" Try {names}." if names else "")), []
    as_discord = cast(discord.Interaction, interaction)
    try:
        if await session.view.interaction_check(as_discord):
            await button.callback(as_discord)
    except Exception as error:
        return reply_for(error, "/press"), []
    sent = interaction.response.sent or {}
    view = sent.get("view")
    session.view = view
    return Reply(content=str(sent.get("content") or "")), (view.to_components() if view is not None else [])


async def run_line(bot: KurilBot, line: str, permissions: discord.Permissions | None = None,
                   session: Session | None = None) -> tuple[Reply, list[dict[str, Any]]]:
    """Run one console line through the bot's command tree; always returns a reply. `permissions`:
    the asker's in the console's own server (by default all: its operator manages it); `session`:
    where the last answer's buttons are kept, for `/press Label`."""
    line = line.strip()
    if line == "help":
        line = "/help"
    if not line.startswith("/"):
        return problem(f"Commands start with `/`. {HELP}"), []
    interaction = ConsoleInteraction() if permissions is None else ConsoleInteraction(permissions=permissions)
    if line.split(None, 1)[0] == "/press":
        return await _press(line.removeprefix("/press").strip(), interaction, session or Session())
    # the stand-in has what the commands and their checks read of a discord.Interaction
    as_discord = cast(discord.Interaction, interaction)
    try:
        command, rest = _find(bot.tree, line[1:])
        kwargs = parse_options(command, rest)
        # what the tree does with an interaction (Command._invoke_with_namespace): the cog's and
        # group's interaction_check and the command's own checks, then the callback, errors wrapped
        if not await command._check_can_run(as_discord):
            raise app_commands.CheckFailure(f"The check functions for command {command.name!r} failed.")
        await command._do_call(as_discord, kwargs)
    except Exception as error:  # the same mapping the Discord tree applies
        return reply_for(error, line.split(" ")[0]), []
    reply = interaction.extras.get(REPLY_KEY) or problem("That command gave no answer.")
    if reply.image:  # the console cannot show a picture: save it (over the last one of its kind) and say where
        kind = reply.image[0].split("-")[0].removesuffix(".png")
        path = Path(bot.settings.kuril_index).parent / f"{kind}.png"
        path.write_bytes(reply.image[1])
        reply.content = f"{reply.content}\nPicture saved to {path}".strip()
    sent = interaction.response.sent or {}
    view = sent.get("view")
    if session is not None:
        session.view = view
    return reply, (view.to_components() if view is not None else [])


async def export_line(bot: KurilBot, line: str, fmt: Format, out: TextIO, err: TextIO) -> int:
    """`ask --export`: a list answer as CSV or Markdown on `out`; any other answer said on `err` (exit 1)."""
    reply, _ = await run_line(bot, line)
    if not reply.export:
        err.write(f"kuril-bot: nothing to export: {reply.to_text()}\n")
        return 1
    out.write(export(reply, fmt)[1].decode("utf-8"))
    return 0


async def run_lines(bot: KurilBot, lines: Iterable[str], out: TextIO, as_json: bool) -> None:
    session = Session()
    for line in lines:
        if not line.strip():
            continue
        reply, components = await run_line(bot, line, session=session)
        if as_json:
            out.write(json.dumps(reply.to_json(components), ensure_ascii=False) + "\n")
        else:
            pressable = " ".join(f"`/press {b.label}`" for b in session.buttons())
            out.write(reply.to_text() + (f"\nButtons: {pressable}" if pressable else "") + "\n\n")
        out.flush()
