"""The Discord side: a bot that loads one cog per command group and answers every error."""
from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import gc
import logging
from collections.abc import Iterator

import discord
import yarl
from discord import app_commands
from discord.ext import commands, tasks

from bot.config import DISCORD_API, Settings
from bot.digests import build_digest
from bot.errors import BadInput, reply_for
from bot.index import IndexMissing
from bot.ingest import shelf
from bot.ingest.budget import Reader
from bot.knowledge import Knowledge
from bot.metrics import COMMANDS, LATENCY
from bot.metrics import serve as serve_metrics
from bot.render import NO_MENTIONS, send
from bot.schedule import Job, PostGone, Scheduler
from bot.state import StateStore, StateUnavailable, Subscription, open_state

log = logging.getLogger("kuril.bot")
EXTENSIONS = ("commands.kuril", "commands.quote", "commands.digest", "commands.help")


class KurilTree(app_commands.CommandTree):
    """Maps every command error to a short ephemeral answer; no interaction is left unanswered."""

    async def on_error(self, interaction: discord.Interaction, error: app_commands.AppCommandError) -> None:
        name = interaction.command.qualified_name if interaction.command else None
        original = getattr(error, "original", error)
        COMMANDS.labels(name or "?", "bad_input" if isinstance(original, BadInput) else "error").inc()
        try:
            await send(interaction, reply_for(error, name))
        except discord.HTTPException as e:
            log.warning("could not answer %s after an error: %s", name, e)


FIND_LIMIT = 5000  # messages read to find an earlier post: 50 requests, a very busy day
FOLLOW_SECONDS = 5  # how often a process looks for shelf changes made through the others
ZONE_WAIT = 1.0  # seconds a reading command waits for the guild's time zone before it goes without
RETIRE_SECONDS = 60.0  # a replaced index serves the queries already running on it this long, then closes


@contextlib.contextmanager
def gone_on_refusal(forbidden: str) -> Iterator[None]:
    """Discord's 404 and 403 on a digest's channel: the post cannot be made, so PostGone (the
    subscription is paused with the reason); `forbidden` names the permission that is missing."""
    try:
        yield
    except discord.NotFound:
        raise PostGone("channel deleted") from None
    except discord.Forbidden:
        raise PostGone(forbidden) from None


def settle_memory() -> None:
    """Move what is loaded out of the collector's generations, so that its million objects (at 10k docs)
    are not rescanned by every full collection (a 20-60 ms pause each). Called whenever the loaded
    indexes change: unfrozen and collected first, so that a retired index's cycles are freed, not kept."""
    gc.unfreeze()
    gc.collect()
    gc.freeze()


def _retired_closed(task: asyncio.Future[None]) -> None:
    if task.exception() is not None:
        log.warning("closing an old index: %s", task.exception())
    settle_memory()


class KurilBot(commands.AutoShardedBot):
    """The bot: this process's shards (all of them unless SHARD_IDS says which), the index it reads,
    the state store and one cog per command group. Without SHARD_COUNT it is one shard of one."""

    knowledge: Knowledge
    state: StateStore

    def __init__(self, settings: Settings) -> None:
        intents = discord.Intents.none()
        intents.guilds = True
        count = settings.shard_count or 1
        super().__init__(command_prefix=commands.when_mentioned, intents=intents, tree_cls=KurilTree,
                         allowed_mentions=NO_MENTIONS, help_command=None,
                         shard_count=count, shard_ids=settings.shard_ids or list(range(count)))
        self.settings = settings
        self.scheduler: Scheduler | None = None
        self._scheduler_task: asyncio.Task[None] | None = None
        self.reader = Reader(settings.kuril_read_seconds)  # uploads are read in their own process (started lazily)
        self.retired: list[Knowledge] = []  # replaced indexes, closed once running queries are done
        self.zones: dict[int, str] = {}  # each guild's time zone as last read, for when the store is away
        self.shelf_lock = asyncio.Lock()
        self.follower = shelf.Follower()  # this process's place on the shared shelf
        self.shelf_published = False
        self._following: set[asyncio.Task[None]] = set()

    async def prepare(self) -> None:
        """Everything but the network: index, state store and cogs (the console uses this too)."""
        self.knowledge = await Knowledge.open(self.settings.kuril_index)
        self.index_stamp = self.settings.kuril_index.stat().st_mtime_ns
        self.state = await open_state(self.settings)
        await self.follow_shelf()
        await self.state.watch_shelf(self._follow_now)  # PostgreSQL: at once; the loop is the fallback
        for ext in EXTENSIONS:
            await self.load_extension(ext)
        settle_memory()

    def owns(self, sub: Subscription) -> bool:
        """Each process schedules only the guilds of its own shards."""
        count = self.settings.shard_count or 1
        mine = self.settings.shard_ids if self.settings.shard_ids is not None else range(count)
        return (sub.guild_id >> 22) % count in mine

    async def setup_hook(self) -> None:
        await self.prepare()
        self.scheduler = Scheduler(self.state, self.post_digest, self.find_digest, owns=self.owns)
        self._scheduler_task = asyncio.create_task(self._schedule())
        self.heartbeat.start()
        self.watch_index.start()
        self.follow_loop.start()
        if self.settings.metrics_port:
            serve_metrics(self.settings.metrics_port)
        if self.settings.kuril_dev_guild:
            guild = discord.Object(self.settings.kuril_dev_guild)
            self.tree.copy_global_to(guild=guild)
            synced = await self.tree.sync(guild=guild)
        else:
            synced = await self.tree.sync()
        log.info("synced %d commands", len(synced))

    async def login(self, token: str) -> None:
        await super().login(token)
        if self.settings.discord_api_base != DISCORD_API:
            # a client given its shard count never asks for the gateway itself: point it at the proxy's
            data = await self.http.request(discord.http.Route("GET", "/gateway"))
            discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY = yarl.URL(data["url"])

    async def guild_timezone(self, guild_id: int | None) -> tuple[str, str]:
        """(IANA time zone, note) for a guild's dates: UTC until a guild sets one, and UTC, said so,
        while the state store does not answer (reading commands do not wait for it)."""
        if guild_id is None:
            return "UTC", ""
        try:
            async with asyncio.timeout(ZONE_WAIT):
                zone = await self.state.guild_timezone(guild_id) or "UTC"
        except (StateUnavailable, TimeoutError) as e:
            log.warning("guild time zone: %s", e or "the state store is slow")
            zone = self.zones.get(guild_id, "UTC")
            return zone, f"The settings database is not answering, so “today” is today in {zone}."
        self.zones[guild_id] = zone
        return zone, ""

    async def on_app_command_completion(self, interaction: discord.Interaction,
                                        command: app_commands.Command | app_commands.ContextMenu) -> None:
        COMMANDS.labels(command.qualified_name, "ok").inc()
        LATENCY.labels(command.qualified_name).observe(
            (discord.utils.utcnow() - interaction.created_at).total_seconds())

    @tasks.loop(seconds=30)
    async def heartbeat(self) -> None:
        """Touch data/heartbeat while connected: the container health check reads its age."""
        if self.is_ready() and not self.is_closed():
            path = self.settings.kuril_index.parent / "heartbeat"
            path.touch()

    async def follow_shelf(self) -> None:
        """Catch up with the shared shelf: articles added or removed through any process. On the first
        call, the seeds folder's articles the shelf has never held go onto it (the starting shelf)."""
        seeds, index = self.settings.kuril_seeds, self.settings.kuril_index
        async with self.shelf_lock:
            if not self.shelf_published:
                await shelf.publish_new(self.state, seeds)
                self.shelf_published = True
            changed = await self.follower.follow(self.state, seeds, index)
        if changed:
            log.info("followed the shared shelf: the index changed")
            await self.reload_knowledge()

    def _follow_now(self) -> None:
        """Another process changed the shelf (a notification): follow it without waiting for the loop."""
        task = asyncio.get_running_loop().create_task(self._follow_safely())
        self._following.add(task)
        task.add_done_callback(self._following.discard)

    async def _follow_safely(self) -> None:
        try:
            await self.follow_shelf()
        except Exception as e:  # noqa: BLE001 - the state store away, a file that will not write: next time
            log.warning("shelf not followed: %s: %s", type(e).__name__, e)

    @tasks.loop(seconds=FOLLOW_SECONDS)
    async def follow_loop(self) -> None:
        await self._follow_safely()

    async def reload_knowledge(self) -> None:
        """Serve a rebuilt index: new queries use it at once, running ones finish on the old one."""
        fresh = await Knowledge.open(self.settings.kuril_index)
        old, self.knowledge = self.knowledge, fresh
        self.index_stamp = self.settings.kuril_index.stat().st_mtime_ns
        self.retired.append(old)
        asyncio.get_running_loop().call_later(RETIRE_SECONDS, self._close_retired, old)

    def _close_retired(self, old: Knowledge) -> None:
        if old in self.retired:
            self.retired.remove(old)
            asyncio.ensure_future(old.close()).add_done_callback(_retired_closed)

    @tasks.loop(seconds=60)
    async def watch_index(self) -> None:
        """Another process (or `kuril-bot ingest`) rebuilt the index or edited it in place: pick it up."""
        try:
            swapped = self.settings.kuril_index.stat().st_mtime_ns != self.index_stamp
            if swapped or await self.knowledge.index.edited():
                await self.reload_knowledge()
        except (OSError, IndexMissing) as e:
            log.warning("index not reloaded: %s", e)

    async def _schedule(self) -> None:
        await self.wait_until_ready()
        assert self.scheduler is not None
        await self.scheduler.run_forever()

    async def _channel(self, channel_id: int) -> discord.abc.Messageable:
        with gone_on_refusal("missing access to the channel (View Channel)"):
            channel = self.get_channel(channel_id) or await self.fetch_channel(channel_id)
        if not isinstance(channel, discord.abc.Messageable):
            raise PostGone("not a channel messages can be posted in")
        return channel

    async def post_digest(self, job: Job, key: str) -> int:
        """Send one digest; the nonce makes Discord drop a repeat of the same key."""
        digest = await build_digest(self.knowledge, self.state, job.sub, job.local_date)
        channel = await self._channel(job.sub.channel_id)
        with gone_on_refusal("missing permission to post (Send Messages, Embed Links)"):
            message = await channel.send(embed=digest.reply.pages()[0], nonce=key, allowed_mentions=NO_MENTIONS)
        if digest.featured_quote:
            await self.state.add_feature(job.sub.channel_id, digest.featured_quote, job.local_date)
        return message.id

    async def find_digest(self, job: Job, key: str) -> int | None:
        """An earlier post of this key (a sender died mid-send): looked for among the messages since
        the post fell due, however busy the channel has been since, up to FIND_LIMIT of them."""
        channel = await self._channel(job.sub.channel_id)
        assert self.user is not None  # logged in: the scheduler starts once the bot is ready
        with gone_on_refusal("missing access to the channel history (Read Message History)"):
            async for message in channel.history(after=job.due - dt.timedelta(minutes=1), limit=FIND_LIMIT):
                if message.author.id == self.user.id and any(key in (e.footer.text or "") for e in message.embeds):
                    return message.id
        return None

    async def close(self) -> None:
        if self._scheduler_task is not None:
            self._scheduler_task.cancel()
        self.heartbeat.cancel()
        self.watch_index.cancel()
        self.follow_loop.cancel()
        await super().close()
        await self.shutdown()

    async def shutdown(self) -> None:
        """Close the index (old and current), the upload reader and the state store; the console calls this too."""
        self.reader.close()
        parts: list[Knowledge | StateStore | None] = [*self.retired, getattr(self, "knowledge", None),
                                                      getattr(self, "state", None)]
        for part in parts:
            if part is not None:
                await part.close()
        self.retired = []


def create_bot(settings: Settings) -> KurilBot:
    """The bot for these settings, with the API base applied process-wide before login."""
    discord.http.Route.BASE = settings.discord_api_base
    discord.VoiceClient.warn_nacl = discord.VoiceClient.warn_dave = False  # no voice here: no warning
    return KurilBot(settings)
