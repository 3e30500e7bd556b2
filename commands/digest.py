"""/digest: scheduled channel posts (on-this-day daily, weekly). Server managers only."""
from __future__ import annotations

import functools
import re
import zoneinfo
from typing import Literal, get_args

import discord
from discord import app_commands
from discord.ext import commands

from bot import checks
from bot.client import KurilBot
from bot.digests import build_digest
from bot.errors import BadInput
from bot.render import Reply, clip, send
from bot.options import visible
from bot.schedule import next_due, utcnow
from bot.state import Kind, StateStore, Subscription
from bot.text import fold

Weekday = Literal["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
WEEKDAYS: tuple[Weekday, ...] = get_args(Weekday)  # 0 = Monday, as date.weekday() counts
NEEDED = ("view_channel", "send_messages", "embed_links")
TIME_HINT = "Give the time as HH:MM on a 24-hour clock, e.g. `09:00` or `18:30`."
ZONE_HINT = "Give an IANA time zone such as `Asia/Tokyo`, `Europe/Berlin` or `UTC` (pick from the suggestions)."


@functools.cache
def time_zones() -> frozenset[str]:
    return frozenset(zoneinfo.available_timezones())


def parse_time(text: str) -> str:
    m = re.fullmatch(r"([01]?\d|2[0-3])[:.h]([0-5]\d)", visible(text))
    if not m:
        raise BadInput(f"`{clip(text or '', 20)}` is not a time. {TIME_HINT}")
    return f"{int(m[1]):02d}:{m[2]}"


def parse_zone(text: str) -> str:
    name = visible(text)
    if name in time_zones():
        return name
    folded = {fold(z): z for z in time_zones()}
    if fold(name) in folded:
        return folded[fold(name)]
    raise BadInput(f"`{clip(name, 40)}` is not a time zone I know. {ZONE_HINT}")


def describe(sub: Subscription) -> str:
    when = f"every {WEEKDAYS[sub.weekday or 0]}" if sub.kind == "weekly" else "every day"
    return f"#{sub.id} **{sub.kind}** in <#{sub.channel_id}> {when} at {sub.time} {sub.timezone}"


def missing_permissions(channel: discord.abc.Snowflake, guild: discord.Guild | None) -> list[str]:
    """What the bot lacks to post digests in `channel` (nothing to check on the console)."""
    if guild is None or not isinstance(channel, discord.abc.GuildChannel):
        return []
    perms = channel.permissions_for(guild.me)
    return [p.replace("_", " ").title() for p in NEEDED if not getattr(perms, p)]


@checks.manager_only()
class Digest(commands.GroupCog, group_name="digest", group_description="Scheduled posts for this server"):
    def __init__(self, bot: KurilBot) -> None:
        self.bot = bot
        super().__init__()

    @property
    def store(self) -> StateStore:
        return self.bot.state

    def _changed(self) -> None:
        if self.bot.scheduler is not None:  # the console has none
            self.bot.scheduler.changed.set()

    @app_commands.command(name="add", description="Schedule a digest in a channel",
                          extras={"example": "/digest add channel:#news kind:weekly time:09:00 timezone:Asia/Tokyo "
                                             "weekday:Friday"})
    @app_commands.describe(channel="Where to post", kind="on-this-day (daily) or weekly", time="HH:MM, 24-hour",
                           timezone="IANA time zone, e.g. Asia/Tokyo", weekday="For weekly digests (default Monday)")
    async def add(self, interaction: discord.Interaction, channel: discord.TextChannel,
                  kind: Kind, time: str, timezone: str, weekday: Weekday | None = None) -> None:
        hhmm, zone = parse_time(time), parse_zone(timezone)
        lacking = missing_permissions(channel, interaction.guild)
        if lacking:
            raise BadInput(f"I cannot post in <#{channel.id}>: I lack {', '.join(lacking)}. "
                           "Give me those permissions there and try again.")
        day = WEEKDAYS.index(weekday) if kind == "weekly" and weekday else (0 if kind == "weekly" else None)
        gid = interaction.guild_id or 0
        sub = await self.store.add_subscription(gid, channel.id, kind, hhmm, zone, day, interaction.user.id, utcnow())
        if await self.store.guild_timezone(gid) is None:
            await self.store.set_guild_timezone(gid, zone)
        self._changed()
        nxt = next_due(sub, utcnow())
        when = f" Next post <t:{int(nxt.timestamp())}:F>." if nxt else ""
        await send(interaction, Reply(content=f"Scheduled {describe(sub)}.{when}", ephemeral=True))

    @add.autocomplete("timezone")
    async def zone_complete(self, interaction: discord.Interaction, current: str) -> list[app_commands.Choice[str]]:
        key = fold(current).replace(" ", "_")
        names = sorted(z for z in time_zones() if key in fold(z))
        names.sort(key=lambda z: (not fold(z).startswith(key), "/" not in z, z))
        return [app_commands.Choice(name=z, value=z) for z in names[:25]]

    @app_commands.command(name="list", description="This server's digests",
                          extras={"example": "/digest list"})
    async def list_digests(self, interaction: discord.Interaction) -> None:
        subs = await self.store.subscriptions(interaction.guild_id or 0)
        if not subs:
            await send(interaction, Reply(content="No digests yet: add one with `/digest add`.", ephemeral=True))
            return
        lines = []
        for s in subs:
            status = f"paused: {s.paused_reason}" if s.paused_reason else "active"
            last = await self.store.last_sent(s.id)
            nxt = None if s.paused_reason else next_due(s, utcnow())
            local = nxt and nxt.astimezone(zoneinfo.ZoneInfo(s.timezone))
            lines.append(f"{describe(s)} — {status}" + (f", last post <t:{int(last.timestamp())}:R>" if last else "")
                         + (f", next post {local:%A %d %B %Y %H:%M} {s.timezone}" if local else ""))
        await send(interaction, Reply(content=clip("\n".join(lines), 1900), ephemeral=True))

    @app_commands.command(name="remove", description="Stop a digest",
                          extras={"example": "/digest remove id:1"})
    @app_commands.describe(id="The number shown by /digest list")
    async def remove(self, interaction: discord.Interaction, id: app_commands.Range[int, 1, 2**53]) -> None:
        if not await self.store.remove_subscription(interaction.guild_id or 0, id):
            raise BadInput(f"This server has no digest #{id}; `/digest list` shows the numbers.")
        self._changed()
        await send(interaction, Reply(content=f"Digest #{id} removed.", ephemeral=True))

    @app_commands.command(name="preview", description="Show exactly what a digest would post next",
                          extras={"example": "/digest preview kind:weekly"})
    async def preview(self, interaction: discord.Interaction, kind: Kind) -> None:
        if not interaction.response.is_done():
            await interaction.response.defer(ephemeral=True, thinking=True)  # a digest can take more than 3 s
        gid = interaction.guild_id or 0
        now = utcnow()
        sub = next((s for s in await self.store.subscriptions(gid) if s.kind == kind), None)
        if sub is None:
            zone = await self.store.guild_timezone(gid) or "UTC"
            sub = Subscription(0, gid, interaction.channel_id or 0, kind, "09:00", zone, 0, None, now)
        nxt = next_due(sub, now) or now
        digest = await build_digest(self.bot.knowledge, self.store, sub,
                                    nxt.astimezone(zoneinfo.ZoneInfo(sub.timezone)).date())
        digest.reply.content = f"Preview of the next {kind} post:"
        digest.reply.ephemeral = True
        await send(interaction, digest.reply)


async def setup(bot: KurilBot) -> None:
    await bot.add_cog(Digest(bot))
