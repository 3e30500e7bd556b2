"""One error path: every failure becomes a short ephemeral Reply; details go to the log only."""
from __future__ import annotations

import logging

from discord import AppCommandOptionType, app_commands

from bot.render import Reply, problem
from bot.state import StateUnavailable

log = logging.getLogger("kuril.errors")


class BadInput(Exception):
    """Input we cannot use; the message tells the user what to type instead."""


_PERMISSION_NAMES = {"manage_guild": "Manage Server", "view_channel": "View Channel",
                     "send_messages": "Send Messages", "embed_links": "Embed Links"}


def permission_names(perms: list[str]) -> str:
    """Permissions as Discord's settings name them (manage_guild is 'Manage Server')."""
    return ", ".join(_PERMISSION_NAMES.get(p, p.replace("_", " ").title()) for p in perms)


def reply_for(error: Exception, command: str | None = None) -> Reply:
    """The answer a user sees for an error raised while running a command."""
    if isinstance(error, app_commands.CommandInvokeError):
        error = error.original
    if isinstance(error, BadInput):
        return problem(str(error))
    if isinstance(error, app_commands.NoPrivateMessage):
        return problem("This command works in a server channel, not in direct messages.")
    if isinstance(error, app_commands.MissingPermissions):
        return problem(f"You need the {permission_names(error.missing_permissions)} permission to use this command.")
    if isinstance(error, app_commands.BotMissingPermissions):
        return problem(f"I need the {permission_names(error.missing_permissions)} permission here first.")
    if isinstance(error, app_commands.CheckFailure):
        return problem("You are not allowed to use this command here.")
    if isinstance(error, app_commands.TransformerError):
        if error.type in (AppCommandOptionType.channel, AppCommandOptionType.mentionable):
            return problem("I cannot see that channel: pick a text channel I can read from the list.")
        return problem(f"`{str(error.value)[:40]}` is not a valid {error.type.name}; "
                       "pick one of the suggestions or type it as the option's hint shows.")
    if isinstance(error, StateUnavailable):
        log.error("command %s: %s", command or "?", error)
        return problem("My settings database is not answering right now, so I cannot change or list digests "
                       "and settings; try again in a minute. Searches, events and quotes still work.")
    if isinstance(error, app_commands.CommandNotFound):
        return problem("I don't know that command. `/help` lists every command with an example.")
    log.error("command %s failed: %s: %s", command or "?", type(error).__name__, error,
              exc_info=log.isEnabledFor(logging.DEBUG))
    return problem("Something went wrong on our side while answering; please try again in a moment.")
