"""Tests of the Discord emulator, driven by a tiny real discord.py bot (no network beyond 127.0.0.1)."""
from __future__ import annotations

import asyncio
import gc
import io
import logging
import warnings
from collections.abc import AsyncIterator

import aiohttp
import discord
import pytest
import pytest_asyncio
import yarl
from discord import app_commands
from discord.ext import commands

from tests.discord_emulator import AUTOCOMPLETE, DiscordEmulator

NONE = discord.AllowedMentions.none()


class PingView(discord.ui.View):
    def __init__(self, clicks: list[int]) -> None:
        super().__init__(timeout=60)
        self.clicks = clicks

    @discord.ui.button(label="Again", custom_id="ping:again")
    async def again(self, interaction: discord.Interaction, button: discord.ui.Button) -> None:
        self.clicks.append(interaction.user.id)
        await interaction.response.edit_message(content="clicked", view=None)


def make_bot(**kw: object) -> commands.Bot:
    """A /ping group: count (int option, autocomplete, ephemeral embed + button), slow (deferred), perms, where."""
    bot = commands.Bot(command_prefix="!", intents=discord.Intents.default(), guild_ready_timeout=0.05, **kw)
    bot.clicks = []  # type: ignore[attr-defined]
    group = app_commands.Group(name="ping", description="Ping things")

    @group.command(name="count", description="Ping n times")
    async def count(interaction: discord.Interaction, times: int, word: str = "pong") -> None:
        await interaction.response.send_message(
            f"{word} x{times} ({type(times).__name__})", ephemeral=True, allowed_mentions=NONE,
            embed=discord.Embed(title="Ping", description=word * times), view=PingView(bot.clicks))  # type: ignore[attr-defined]

    @count.autocomplete("word")
    async def word_ac(interaction: discord.Interaction, current: str) -> list[app_commands.Choice[str]]:
        return [app_commands.Choice(name=w, value=w) for w in ("pong", "pang", "ping") if w.startswith(current)]

    @group.command(name="slow", description="Deferred answer")
    async def slow(interaction: discord.Interaction) -> None:
        await interaction.response.defer(ephemeral=True, thinking=True)
        await interaction.followup.send("done slowly", allowed_mentions=NONE,
                                        file=discord.File(io.BytesIO(b"report"), "report.txt"))
        await interaction.followup.send("second", ephemeral=True)
        await interaction.edit_original_response(content="edited")
        assert (await interaction.original_response()).content == "edited"

    @group.command(name="perms", description="Shows the caller's Manage Server permission")
    async def perms(interaction: discord.Interaction) -> None:
        await interaction.response.send_message(f"manage_guild={interaction.permissions.manage_guild}")

    @group.command(name="where", description="Channel option")
    async def where(interaction: discord.Interaction, channel: discord.TextChannel) -> None:
        await interaction.response.send_message(f"channel {channel.id} {channel.name}", allowed_mentions=NONE)

    bot.tree.add_command(group)
    return bot


async def start(bot: discord.Client, emu: DiscordEmulator, monkeypatch: pytest.MonkeyPatch,
                shards: int = 1) -> asyncio.Task:
    """The connection contract the real bot follows (Route.BASE + DEFAULT_GATEWAY from GET /gateway)."""
    monkeypatch.setattr(discord.http.Route, "BASE", emu.api_base)
    async with aiohttp.ClientSession() as s, s.get(f"{emu.api_base}/gateway") as r:
        url = (await r.json())["url"]
    monkeypatch.setattr(discord.gateway.DiscordWebSocket, "DEFAULT_GATEWAY", yarl.URL(url))
    task = asyncio.create_task(bot.start("fake-token"))
    ready = asyncio.ensure_future(emu.wait_ready(shards=shards))
    await asyncio.wait({task, ready}, return_when=asyncio.FIRST_COMPLETED)
    if task.done():  # the bot failed to start: show why instead of a timeout
        ready.cancel()
        task.result()
    await ready
    return task


@pytest_asyncio.fixture
async def env(monkeypatch: pytest.MonkeyPatch,
              caplog: pytest.LogCaptureFixture) -> AsyncIterator[tuple[DiscordEmulator, commands.Bot]]:
    caplog.set_level(logging.WARNING)
    loop, loop_errors = asyncio.get_running_loop(), []
    old_handler = loop.get_exception_handler()
    loop.set_exception_handler(lambda _loop, ctx: loop_errors.append(ctx))  # e.g. "Unclosed client session"
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        async with DiscordEmulator() as emu:
            emu.add_channel(333, name="news")
            bot = make_bot()
            task = await start(bot, emu, monkeypatch)
            yield emu, bot
            await bot.close()
            await asyncio.wait_for(task, 2)
            assert bot.is_closed() and bot.http._HTTPClient__session.closed  # type: ignore[attr-defined]
            assert bot.http.connector.closed
        gc.collect()
    loop.set_exception_handler(old_handler)
    assert not [w for w in caught if "nclosed" in str(w.message)], [str(w.message) for w in caught]
    assert not loop_errors, loop_errors
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR], caplog.text
    assert emu.unknown_routes == []


async def test_login_and_guild_cache(env: tuple[DiscordEmulator, commands.Bot]) -> None:
    emu, bot = env
    assert bot.user is not None and bot.user.id == emu.app_id
    guild = bot.get_guild(emu.guild_id)
    assert guild is not None and guild.get_channel(222) is not None and guild.get_channel(333) is not None
    assert guild.me.guild_permissions.send_messages
    assert ("GET", "/users/@me") in emu.requests and ("GET", "/oauth2/applications/@me") in emu.requests
    fetched = await bot.fetch_guild(emu.guild_id)
    assert fetched.name == "Kuril Test Guild" and fetched.owner_id == emu.admin.id
    assert sorted(c.id for c in await fetched.fetch_channels()) == [222, 333]
    admin = await fetched.fetch_member(emu.admin.id)
    member = await fetched.fetch_member(emu.member.id)
    assert admin.guild_permissions.manage_guild and not member.guild_permissions.manage_guild
    assert (await bot.fetch_channel(333)).name == "news"


async def test_sync_and_slash_command(env: tuple[DiscordEmulator, commands.Bot]) -> None:
    emu, bot = env
    synced = await bot.tree.sync()
    assert [c.name for c in synced] == ["ping"] and synced[0].id == int(emu.commands[None][0]["id"])
    bot.tree.copy_global_to(guild=discord.Object(emu.guild_id))
    await bot.tree.sync(guild=discord.Object(emu.guild_id))
    assert emu.command("ping", emu.guild_id)["guild_id"] == str(emu.guild_id)

    reply = await emu.send_interaction("ping", {"times": "3"}, subcommand="count", user="member")
    assert reply.type == 4
    assert reply.content == "pong x3 (int)"  # "3" became an int from the synced option type
    assert reply.ephemeral and reply.allowed_mentions == {"parse": []}
    assert reply.embeds[0]["title"] == "Ping" and reply.custom_ids == ["ping:again"]
    assert emu.channel_messages(222, interactions=True) == []  # ephemeral: not in the channel

    clicked = await reply.click("ping:again")
    assert bot.clicks == [emu.member.id]  # type: ignore[attr-defined]
    assert clicked.type == 7 and clicked.content == "clicked" and reply.message["content"] == "clicked"
    assert reply.components == [] and clicked.ephemeral

    assert (await emu.send_interaction("ping", subcommand="perms", user="admin")).content == "manage_guild=True"
    assert (await emu.send_interaction("ping", subcommand="perms", user="member")).content == "manage_guild=False"


async def test_autocomplete_deferred_and_channel_option(env: tuple[DiscordEmulator, commands.Bot]) -> None:
    emu, bot = env
    await bot.tree.sync()
    ac = await emu.send_interaction("ping", {"times": 1, "word": "pa"}, subcommand="count", kind=AUTOCOMPLETE)
    assert ac.type == 8 and ac.choices == [{"name": "pang", "value": "pang"}]

    emu.rate_limit("/webhooks/*", method="POST", retry_after=0.01)  # the followup is retried
    slow = await emu.send_interaction("ping", subcommand="slow")
    assert slow.history[:2] == [("callback", {"type": 5, "data": {"flags": 64}}), ("followup", slow.history[1][1])]
    assert slow.content == "done slowly" and slow.ephemeral and not slow.loading  # followup filled "thinking"
    assert [(a["filename"], a["size"]) for a in slow.message["attachments"]] == [("report.txt", 6)]
    await slow.wait_for(lambda r: r.content == "edited")
    assert [f["content"] for f in slow.followups] == ["second"] and len(emu.rate_limited) == 1
    assert [h[0] for h in slow.history] == ["callback", "followup", "followup", "edit"]

    where = await emu.send_interaction("ping", {"channel": 333}, subcommand="where")
    assert where.content == "channel 333 news" and not where.ephemeral
    assert [m["content"] for m in emu.channel_messages(222, interactions=True)] == ["channel 333 news"]


async def test_channel_send_nonce_and_rate_limit(env: tuple[DiscordEmulator, commands.Bot]) -> None:
    emu, bot = env
    channel = bot.get_channel(222)
    first = await channel.send("hello", nonce=42, allowed_mentions=NONE)
    again = await channel.send("hello", nonce=42, allowed_mentions=NONE)
    assert first.id == again.id and len(emu.channel_messages(222)) == 1
    with_file = await channel.send("file", file=discord.File(io.BytesIO(b"abc"), "a.txt"), nonce=43)
    assert with_file.attachments[0].filename == "a.txt" and emu.channel_messages(222)[-1]["attachments"][0]["size"] == 3

    emu.rate_limit("/channels/222/messages", method="POST", times=2, retry_after=0.01)
    msg = await channel.send("after 429")
    assert emu.rate_limited == [("POST", "/channels/222/messages")] * 2
    assert [m["content"] for m in emu.channel_messages(222)] == ["hello", "file", "after 429"]
    history = [m.content async for m in channel.history(limit=2)]
    assert history == ["after 429", "file"] and msg.content == "after 429"


async def test_inaccessible_channels(env: tuple[DiscordEmulator, commands.Bot]) -> None:
    emu, bot = env
    await emu.delete_channel(333)
    await emu.flush()
    assert bot.get_channel(333) is None
    with pytest.raises(discord.NotFound) as nf:
        await bot.http.send_message(333, params=discord.http.handle_message_parameters(content="x"))
    assert nf.value.code == 10003
    emu.forbid_channel(222)
    with pytest.raises(discord.Forbidden) as fb:
        await bot.get_channel(222).send("x")
    assert fb.value.code == 50001
    with pytest.raises(discord.NotFound):
        await bot.http.request(discord.http.Route("GET", "/no/such/route"))
    assert emu.unknown_routes == ["GET /api/v10/no/such/route"]
    emu.unknown_routes.clear()


async def test_resume_after_reconnect(env: tuple[DiscordEmulator, commands.Bot]) -> None:
    emu, bot = env
    await bot.tree.sync()
    await emu.request_reconnect()
    await emu.wait_until(lambda: emu.resumes == 1, what="a RESUME")
    reply = await emu.send_interaction("ping", {"times": 2}, subcommand="count")
    assert reply.content == "pong x2 (int)" and emu.identifies == 1


async def test_sharding(monkeypatch: pytest.MonkeyPatch) -> None:
    class Sharded(commands.AutoShardedBot):
        async def before_identify_hook(self, shard_id: int | None, *, initial: bool = False) -> None:
            pass  # discord.py sleeps 5 s between IDENTIFYs

    async with DiscordEmulator(shard_count=2) as emu:
        other = (1 << 22) | 7  # lands on shard 1 of 2
        emu.add_guild(other, "Other", channel_id=444)
        bot = Sharded(command_prefix="!", intents=discord.Intents.default(), guild_ready_timeout=0.05)
        task = await start(bot, emu, monkeypatch, shards=2)
        assert sorted((s.shard, s.guild_ids) for s in emu.sessions) == [((0, 2), [emu.guild_id]), ((1, 2), [other])]
        assert bot.get_guild(emu.guild_id).shard_id == 0 and bot.get_guild(other).shard_id == 1
        assert bot.get_channel(444) is not None
        await bot.close()
        await asyncio.wait_for(task, 2)
