"""/help: every command with its example, grouped, built from the command tree (the console runs it too).

Each app command carries its example as `extras={"example": …}`, beside its name and description, so a
new command is listed the day it is added (and a test fails while it has no example).
"""
from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import discord
from discord import app_commands
from discord.ext import commands

from bot.checks import needs_manager
from bot.client import KurilBot
from bot.errors import BadInput
from bot.options import clean, visible
from bot.render import Reply, clip, send
from bot.search import escape_markdown
from bot.text import fold

Command = app_commands.Command[Any, ..., Any]
LOOKUP = "Look things up"
MANAGERS = "For server managers (needs Manage Server)"
HELP_HINT = "Name a command as `/help` lists it, e.g. `/help command:kuril event`."
_KINDS = {discord.AppCommandOptionType.string: "text", discord.AppCommandOptionType.integer: "whole number",
          discord.AppCommandOptionType.number: "number", discord.AppCommandOptionType.boolean: "yes or no",
          discord.AppCommandOptionType.channel: "channel", discord.AppCommandOptionType.attachment: "file"}


def leaf_commands(tree: app_commands.CommandTree[Any]) -> Iterator[Command]:
    """The commands a user can run, in the tree's order (groups are only their names' first word)."""
    return (c for c in tree.walk_commands() if isinstance(c, app_commands.Command))


def section_of(command: Command) -> str:
    """Open commands are lookups; a group whose every command needs a manager is a section of its own;
    other manager-only commands are the managers' section."""
    if not needs_manager(command):
        return LOOKUP
    group = command.parent
    if group is not None and all(needs_manager(c) for c in group.commands if isinstance(c, app_commands.Command)):
        return f"/{group.name}: {group.description} (needs Manage Server)"
    return MANAGERS


def example(command: Command) -> str:
    return command.extras.get("example") or f"/{command.qualified_name}"


def overview(tree: app_commands.CommandTree[Any]) -> Reply:
    sections: dict[str, list[str]] = {LOOKUP: []}
    for command in leaf_commands(tree):
        line = f"`{example(command)}` — {command.description}"
        sections.setdefault(section_of(command), []).append(line)
    reply = Reply(title="Commands", ephemeral=True,
                  note="One example each; `/help command:<name>` shows a command's options.")
    for name, lines in sections.items():
        reply.section(name, lines)
    return reply


def find_command(tree: app_commands.CommandTree[Any], name: str) -> Command:
    """A command by its full name (`kuril event`) or, when no other command ends so, its last words (`event`)."""
    key = fold(name).lstrip("/").strip()
    everything = list(leaf_commands(tree))
    exact = [c for c in everything if c.qualified_name == key]
    found = exact or [c for c in everything if c.qualified_name.endswith(f" {key}")
                      or c.qualified_name.startswith(f"{key} ")]
    if len(found) == 1:
        return found[0]
    if found:
        names = ", ".join(f"`/{c.qualified_name}`" for c in found)
        raise BadInput(f"`{escape_markdown(clip(name, 40))}` is more than one command: {names}. "
                       f"Name one, e.g. `/help command:{found[0].qualified_name}`.")
    raise BadInput(f"I have no command `{escape_markdown(clip(name, 40))}`; `/help` lists them all.")


def _option(p: app_commands.Parameter) -> str:
    kind = ", ".join(f"`{c.value}`" for c in p.choices) if p.choices else _KINDS.get(p.type, p.type.name)
    if p.min_value is not None and p.max_value is not None:
        kind += f" {p.min_value}–{p.max_value:,}"
    said = f" — {p.description}" if p.description != "…" else ""
    return f"`{p.name}` ({'required' if p.required else 'optional'}; {kind}){said}"


def details(tree: app_commands.CommandTree[Any], name: str) -> Reply:
    command = find_command(tree, name)
    needs = " Needs Manage Server, in a server." if needs_manager(command) else ""
    reply = Reply(title=f"/{command.qualified_name}", ephemeral=True,
                  note=f"{command.description}.{needs}\nExample: `{example(command)}`")
    reply.section("Options", [_option(p) for p in command.parameters] or ["None."])
    return reply


def help_reply(tree: app_commands.CommandTree[Any], command: str | None) -> Reply:
    if not visible(command):
        return overview(tree)
    return details(tree, clean(command, "a command", HELP_HINT, limit=60))


class Help(commands.Cog):
    def __init__(self, bot: KurilBot) -> None:
        self.bot = bot

    @app_commands.command(name="help", description="Every command with an example, or one command's options",
                          extras={"example": "/help command:kuril cite"})
    @app_commands.describe(command="A command's name, e.g. kuril event (default: all of them)")
    async def help_command(self, interaction: discord.Interaction, command: str | None = None) -> None:
        await send(interaction, help_reply(self.bot.tree, command))

    @help_command.autocomplete("command")
    async def command_complete(self, interaction: discord.Interaction,
                               current: str) -> list[app_commands.Choice[str]]:
        key = fold(current).lstrip("/")
        names = [c.qualified_name for c in leaf_commands(self.bot.tree) if key in c.qualified_name]
        return [app_commands.Choice(name=f"/{n}", value=n) for n in names[:25]]


async def setup(bot: KurilBot) -> None:
    await bot.add_cog(Help(bot))
