"""Who may run what, each permission declared once (as RoboDanny's cogs/utils/checks.py does).

One decorator sets Discord's default (who is shown the command) and adds the run-time check that a
stale client or a changed role cannot get past; the command tree and the console both run it.
"""
from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

import discord
from discord import app_commands

T = TypeVar("T")


def manages_server(interaction: discord.Interaction) -> bool:
    """Whether the asker has Manage Server in the server the interaction comes from."""
    return interaction.guild_id is not None and interaction.permissions.manage_guild


def _require_manager(interaction: discord.Interaction) -> bool:
    """The run-time check, raising the error whose answer says what is missing."""
    if interaction.guild_id is None:
        raise app_commands.NoPrivateMessage()
    if not interaction.permissions.manage_guild:
        raise app_commands.MissingPermissions(["manage_guild"])
    return True


def needs_manager(command: app_commands.Command) -> bool:
    """Whether manager_only() guards this command (on itself or through its GroupCog): what /help marks."""
    return _require_manager in command.checks


def manager_only() -> Callable[[T], T]:
    """Manage Server, in a server.

    On a command: its run-time check and its Discord default. Discord keeps defaults for top-level
    commands only, so a subcommand of an open group (/kuril status) is shown to everyone and refused
    when run. On a GroupCog class: the group's default and guild-only flag, and the run-time check on
    every subcommand the class declares.
    """
    def decorator(obj: T) -> T:
        app_commands.default_permissions(manage_guild=True)(obj)
        if isinstance(obj, type):
            app_commands.guild_only(obj)
            for command in vars(obj).values():
                if isinstance(command, app_commands.Command):
                    command.add_check(_require_manager)
        else:
            app_commands.check(_require_manager)(obj)
        return obj

    return decorator
