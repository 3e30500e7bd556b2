"""The Discord side: a bot that loads one cog per command group and answers every error."""
from __future__ import annotations

import logging

import discord
import yarl
from discord import app_commands
from discord.ext import commands

from bot.config import DISCORD_API, Settings
from bot.errors import reply_for
from bot.knowledge import Knowledge
from bot.render import NO_MENTIONS, send

log = logging.getLogger("kuril.bot")
EXTENSIONS = ("commands.kuril", "commands.quote")


class KurilTree(app_commands.CommandTree):
    """Maps every command error to a short ephemeral answer; no interaction is left unanswered."""

    async def on_error(self, interaction: discord.Interaction, error: app_commands.AppCommandError) -> None:
        name = interaction.command.qualified_name if interaction.command else None
        try:
            await send(interaction, reply_for(error, name))
        except discord.HTTPException as e:
            log.warning("could not answer %s after an error: %s", name, e)


class KurilMixin:
    """What both the single-process and the auto-sharded bot share."""

    settings: Settings
    knowledge: Knowledge

    async def prepare(self) -> None:
        """Everything but the network: open the index and load the cogs (the console uses this too)."""
        self.knowledge = await Knowledge.open(self.settings.kuril_index)
        for ext in EXTENSIONS:
            await self.load_extension(ext)  # type: ignore[attr-defined]

    async def setup_hook(self) -> None:
        await self.prepare()
        tree: app_commands.CommandTree = self.tree  # type: ignore[attr-defined]
        if self.settings.kuril_dev_guild:
            guild = discord.Object(self.settings.kuril_dev_guild)
            tree.copy_global_to(guild=guild)
            synced = await tree.sync(guild=guild)
        else:
            synced = await tree.sync()
        log.info("synced %d commands", len(synced))

    async def login(self, token: str) -> None:
        await super().login(token)  # type: ignore[misc]
        if self.settings.discord_api_base != DISCORD_API:
            # a plain Client never asks for the gateway itself: point it at the proxy's
            data = await self.http.request(discord.http.Route("GET", "/gateway"))  # type: ignore[attr-defined]
            discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY = yarl.URL(data["url"])

    async def guild_timezone(self, guild_id: int | None) -> str:
        """The IANA time zone for a guild's dates; UTC until a guild sets one."""
        return "UTC"

    async def close(self) -> None:
        await super().close()  # type: ignore[misc]
        knowledge = getattr(self, "knowledge", None)
        if knowledge is not None:
            await knowledge.close()


class KurilBot(KurilMixin, commands.Bot):
    pass


class ShardedKurilBot(KurilMixin, commands.AutoShardedBot):
    pass


def create_bot(settings: Settings) -> commands.Bot:
    """The bot for these settings (auto-sharded when SHARD_COUNT > 1); API base applied before login."""
    discord.http.Route.BASE = settings.discord_api_base
    discord.VoiceClient.warn_nacl = discord.VoiceClient.warn_dave = False  # no voice here: no warning
    intents = discord.Intents.none()
    intents.guilds = True
    options = dict(command_prefix=commands.when_mentioned, intents=intents, tree_cls=KurilTree,
                   allowed_mentions=NO_MENTIONS, help_command=None)
    if settings.shard_count and settings.shard_count > 1:
        bot: commands.Bot = ShardedKurilBot(shard_count=settings.shard_count, shard_ids=settings.shard_ids,
                                            **options)
    else:
        bot = KurilBot(**options)
    bot.settings = settings  # type: ignore[attr-defined]
    return bot
