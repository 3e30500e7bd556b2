"""One error path: every failure becomes a short ephemeral Reply; details go to the log only."""
from __future__ import annotations

import logging

from discord import app_commands

from bot.render import Reply, problem

log = logging.getLogger("kuril.errors")


class BadInput(Exception):
    """Input we cannot use; the message tells the user what to type instead."""


def reply_for(error: Exception, command: str | None = None) -> Reply:
    """The answer a user sees for an error raised while running a command."""
    if isinstance(error, app_commands.CommandInvokeError):
        error = error.original
    if isinstance(error, BadInput):
        return problem(str(error))
    if isinstance(error, app_commands.NoPrivateMessage):
        return problem("This command works in a server channel, not in direct messages.")
    if isinstance(error, app_commands.MissingPermissions):
        missing = ", ".join(p.replace("_", " ").title() for p in error.missing_permissions)
        return problem(f"You need the {missing} permission to use this command.")
    if isinstance(error, app_commands.BotMissingPermissions):
        missing = ", ".join(p.replace("_", " ").title() for p in error.missing_permissions)
        return problem(f"I need the {missing} permission here first.")
    if isinstance(error, app_commands.CheckFailure):
        return problem("You are not allowed to use this command here.")
    if isinstance(error, app_commands.TransformerError):
        return problem(f"That value for `{error.transformer.__class__.__name__}` is not valid; "
                       "pick one of the suggestions or type it as shown in the option's hint.")
    if isinstance(error, app_commands.CommandNotFound):
        return problem("I don't know that command. Try `/kuril search`, `/kuril event` or `/quote`.")
    log.error("command %s failed: %s: %s", command or "?", type(error).__name__, error,
              exc_info=log.isEnabledFor(logging.DEBUG))
    return problem("Something went wrong on our side while answering; please try again in a moment.")
