"""End to end: the real bot process logic against the Discord API emulator on 127.0.0.1."""
from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import gzip
import io
import re

import pytest
import pytest_asyncio
from matplotlib.image import imread

from bot.client import create_bot
from bot.config import load_settings
from bot.ingest.build import build_index
from bot.timeline import DPI, HEIGHT, WIDTH
from tests.discord_emulator import AUTOCOMPLETE, DiscordEmulator
from tests.hostile import HOSTILE
from tests.test_shelf import ARTICLE, HTML, pdf_bytes

SOURCE_LINE = re.compile(r"^\[(\d+)\] (.+?), ¶(\d+)", re.M)


async def start_bot(emu: DiscordEmulator, settings):
    bot = create_bot(settings)
    task = asyncio.create_task(bot.start("emulator-token"))
    await emu.wait_ready()
    await asyncio.wait_for(bot.wait_until_ready(), 10)
    return bot, task


async def stop_bot(bot, task) -> None:
    await bot.close()
    await asyncio.wait_for(task, 10)


@contextlib.asynccontextmanager
async def connected(index, tmp_path, **extra):
    """Emulator + bot connected to it (commands synced to the emulator's guild)."""
    async with DiscordEmulator() as emu:
        settings = load_settings(discord_token="emulator-token", discord_api_base=emu.api_base,
                                 kuril_index=index, kuril_state=tmp_path / "state.db",
                                 kuril_dev_guild=emu.guild_id, **extra)
        bot, task = await start_bot(emu, settings)
        try:
            yield emu, bot, settings
        finally:
            await stop_bot(bot, task)


@pytest_asyncio.fixture
async def live(seed_index, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    async with connected(seed_index, tmp_path) as running:
        yield running


@pytest_asyncio.fixture
async def shelf(seeds_copy, tmp_path, monkeypatch):
    """Like ``live``, on a private copy of the seeds and index that /kuril add may grow."""
    monkeypatch.chdir(tmp_path)
    index = tmp_path / "data" / "kuril.db"
    build_index([seeds_copy], index)
    async with connected(index, tmp_path, kuril_seeds=seeds_copy) as running:
        yield running


def sources(reply) -> list[tuple[str, int]]:
    fields = [f["value"] for e in reply.embeds for f in e.get("fields", []) if f["name"].startswith("Sources")]
    return [(m.group(2), int(m.group(3))) for text in fields for m in SOURCE_LINE.finditer(text)]


async def test_commands_are_synced_with_admin_defaults(live):
    emu, bot, _ = live
    kuril, quote, digest = (emu.command(n, emu.guild_id) for n in ("kuril", "quote", "digest"))
    assert {o["name"] for o in kuril["options"]} >= {"event", "search", "onthisday", "sources", "source", "experts"}
    assert quote and str(digest["default_member_permissions"]) == "32"  # Manage Server
    assert digest.get("contexts") in (None, [0]) or digest.get("dm_permission") is False


async def test_event_answer_cites_within_limits(live):
    emu, _, _ = live
    reply = await emu.send_interaction("kuril", {"query": "2018"}, subcommand="event", user="member")
    assert not reply.ephemeral and reply.allowed_mentions == {"parse": []}
    embed = reply.embeds[0]
    assert "2018" in embed["title"] and len(embed["description"]) <= 4096
    cited = sources(reply)
    assert cited and all(p > 0 for _, p in cited)


async def test_quote_typo_and_near_miss(live):
    emu, _, _ = live
    reply = await emu.send_interaction("quote", {"expert": "nagoa"}, user="member")
    assert reply.embeds[0]["title"].startswith("Satoru Nagao") and sources(reply)
    reply = await emu.send_interaction("quote", {"expert": "Sa"}, user="member")
    assert reply.ephemeral and "Did you mean" in reply.content


async def test_autocomplete_offers_experts_and_years(live):
    emu, _, _ = live
    reply = await emu.send_interaction("quote", {"expert": "naga"}, kind=AUTOCOMPLETE, user="member")
    assert any(c["value"] == "Satoru Nagao" for c in reply.choices)
    reply = await emu.send_interaction("kuril", {"query": "20"}, subcommand="event", kind=AUTOCOMPLETE)
    assert "2022" in [c["value"] for c in reply.choices]


async def test_bad_input_is_ephemeral_and_mentions_nothing(live):
    emu, _, _ = live
    for query in ["", "@everyone", "2022-02-30", "x" * 5000, 'NEAR( "'] :
        reply = await emu.send_interaction("kuril", {"query": query}, subcommand="event", user="member")
        assert reply.allowed_mentions == {"parse": []}
        assert reply.ephemeral or reply.embeds, query
    reply = await emu.send_interaction("kuril", {"doc": "../../etc/passwd"}, subcommand="source", user="member")
    assert reply.ephemeral and "no document" in reply.content


async def test_only_the_asker_turns_pages(live):
    emu, _, _ = live
    reply = await emu.send_interaction("kuril", {"query": "1900-2025"}, subcommand="event", user="member")
    assert reply.embeds[0]["footer"]["text"].startswith("Page 1/")
    next_id = next(c["custom_id"] for row in reply.components for c in row["components"] if c.get("label") == "▶")
    other = await reply.click(next_id, user="admin")
    assert other.ephemeral and "Only the person who asked" in other.content
    await reply.click(next_id, user="member")
    await reply.wait_for(lambda r: r.embeds[0]["footer"]["text"].startswith("Page 2/"))


@pytest.mark.parametrize("name, raw", [
    ("talks.txt", ARTICLE.encode()),
    ("talks.html", HTML.encode()),
    ("talks.pdf", pdf_bytes(ARTICLE.splitlines())),
])
async def test_uploaded_article_is_answered_at_once(shelf, name, raw):
    emu, bot, _ = shelf
    upload = emu.upload(name, raw)
    refused = await emu.send_interaction("kuril", {"file": upload}, subcommand="add", user="member")
    assert refused.ephemeral and "Manage Server" in refused.content
    added = await emu.send_interaction("kuril", {"file": upload, "publisher": "Example News"}, subcommand="add",
                                       user="admin", timeout=30)
    assert added.embeds and added.embeds[0]["title"].startswith("Added: "), added.content
    assert re.search(r"\d+ events?\b", added.embeds[0]["description"])
    events = await emu.send_interaction("kuril", {"query": "May 2031"}, subcommand="event", user="member")
    assert "Sapporo" in events.embeds[0]["description"]
    found = await emu.send_interaction("kuril", {"query": "sapporo talks reopend"}, subcommand="search",
                                       user="member")
    assert sources(found)[0][0].endswith("Example News")
    again = await emu.send_interaction("kuril", {"file": emu.upload("copy-" + name, raw)}, subcommand="add",
                                       user="admin", timeout=30)
    assert again.ephemeral and "Already have it" in again.content


async def test_hostile_upload_is_refused_and_changes_nothing(shelf):
    emu, bot, settings = shelf
    shelf_before = sorted(p.name for p in settings.kuril_seeds.iterdir())
    docs_before = len(bot.knowledge.index.docs_by_name)
    for name, raw in (("bomb.txt", gzip.compress(b"0" * 5_000_000)), ("huge.txt", b"word " * (6 * 1024 * 1024 // 5)),
                      ("scan.pdf", b"%PDF-1.4\n%%EOF\n")):
        reply = await emu.send_interaction("kuril", {"file": emu.upload(name, raw)}, subcommand="add", user="admin",
                                           timeout=30)
        assert reply.ephemeral and ("could not add" in reply.content or "MB" in reply.content), (name, reply.content)
    assert sorted(p.name for p in settings.kuril_seeds.iterdir()) == shelf_before
    assert len(bot.knowledge.index.docs_by_name) == docs_before


async def test_other_users_are_answered_in_time_while_a_hostile_upload_is_read_and_refused(
        seeds_copy, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    index = tmp_path / "data" / "kuril.db"
    build_index([seeds_copy], index)
    async with connected(index, tmp_path, kuril_seeds=seeds_copy, kuril_read_seconds=3) as (emu, bot, settings):
        hostile = HOSTILE["relative dates in one sentence"](1_500_000).encode()  # seconds of regex work
        upload = asyncio.create_task(emu.send_interaction(
            "kuril", {"file": emu.upload("hostile.txt", hostile)}, subcommand="add", user="admin", timeout=60))
        answered = [await emu.send_interaction("kuril", {"query": "1956"}, subcommand="event", user="member")
                    for _ in range(8)]
        refused = await upload
    assert all(a.embeds for a in answered) and not emu.late
    assert "too complex to read" in refused.content, refused.content
    assert not (seeds_copy / "hostile.txt").exists() and "hostile" not in bot.knowledge.index.docs_by_name


async def test_a_manager_removes_an_article_with_a_confirmation_and_undoes_it(shelf):
    emu, bot, settings = shelf
    doc = "002_7f7b37a8c87dad85"
    refused = await emu.send_interaction("kuril", {"doc": doc}, subcommand="remove", user="member")
    assert refused.ephemeral and "Manage Server" in refused.content
    ask = await emu.send_interaction("kuril", {"doc": doc}, subcommand="remove", user="admin")
    assert ask.ephemeral and "Remove `002_7f7b37a8c87dad85`" in ask.content and doc in bot.knowledge.index.docs_by_name
    remove_id, cancel_id = ask.custom_ids
    pressed = await ask.click(remove_id, user="member")  # the button checks again when pressed
    assert pressed.ephemeral and "Only the manager who asked" in pressed.content
    assert doc in bot.knowledge.index.docs_by_name
    await ask.click(remove_id, user="admin")
    await ask.wait_for(lambda r: "Removed `002" in r.content)
    gone = await emu.send_interaction("kuril", {"doc": doc}, subcommand="source", user="member")
    assert gone.ephemeral and doc not in bot.knowledge.index.docs_by_name
    assert (settings.kuril_seeds / ".removed" / f"{doc}.txt").exists()
    (undo_id,) = ask.custom_ids
    await ask.click(undo_id, user="admin")
    await ask.wait_for(lambda r: "Restored" in r.content)
    back = await emu.send_interaction("kuril", {"doc": doc, "paragraph": 2}, subcommand="source", user="member")
    assert back.embeds and doc in bot.knowledge.index.docs_by_name


async def test_timeline_is_a_png_attached_to_a_cited_embed(live):
    emu, _, _ = live
    reply = await emu.send_interaction("kuril", {"query": "2014-2022"}, subcommand="timeline", user="member",
                                       timeout=30)
    (attachment,) = reply.message["attachments"]
    assert reply.embeds[0]["image"]["url"] == f"attachment://{attachment['filename']}" and sources(reply)
    image = imread(io.BytesIO(emu.file_bytes(attachment)), format="png")
    assert image.shape[:2] == (HEIGHT * DPI, WIDTH * DPI)


async def test_digest_admin_only_posts_when_due_and_not_twice_after_restart(live, tmp_path):
    emu, bot, settings = live
    refused = await emu.send_interaction("digest", {"channel": emu.channel_id, "kind": "on-this-day",
                                                    "time": "09:00", "timezone": "UTC"}, subcommand="add",
                                         user="member")
    assert refused.ephemeral and "Manage Server" in refused.content
    due = (dt.datetime.now(dt.UTC) + dt.timedelta(minutes=1)).strftime("%H:%M")
    added = await emu.send_interaction("digest", {"channel": emu.channel_id, "kind": "on-this-day", "time": due,
                                                  "timezone": "UTC"}, subcommand="add", user="admin")
    assert added.ephemeral and "Scheduled #1" in added.content, added.content
    posted = lambda: [m for m in emu.channel_messages(emu.channel_id) if m.get("embeds")]  # noqa: E731
    await emu.wait_until(lambda: len(posted()) == 1, timeout=75, what="the digest post")
    message = posted()[0]
    assert message["embeds"][0]["footer"]["text"].startswith("Digest #1")
    assert message["allowed_mentions"] == {"parse": []}
    listing = await emu.send_interaction("digest", {}, subcommand="list", user="admin")
    assert "last post" in listing.content
    # a restart: the new process must not post the same day again
    await bot.close()
    bot2 = create_bot(settings)
    task2 = asyncio.create_task(bot2.start("emulator-token"))
    try:
        await asyncio.wait_for(bot2.wait_until_ready(), 10)
        await asyncio.sleep(1.0)
        await bot2.scheduler.run_once()
        assert len(posted()) == 1
    finally:
        await stop_bot(bot2, task2)


async def test_an_earlier_post_is_found_behind_a_busy_channels_messages(live):
    """The bot died between Discord taking a digest post and recording it; by its restart, past the
    nonce window, the channel has moved on by far more than one page of messages."""
    from bot.schedule import Job, delivery_key
    from bot.state import Subscription
    emu, bot, _ = live
    now = dt.datetime.now(dt.UTC)
    sub = Subscription(7, emu.guild_id, emu.channel_id, "on-this-day", "09:00", "UTC", None, None, now)
    job = Job(sub, now.date(), now - dt.timedelta(seconds=5))
    key = delivery_key(sub.id, job.local_date)
    posted = await bot.post_digest(job, key)
    for i in range(230):  # over two pages of 100 newer messages
        emu.say(emu.channel_id, f"chatter {i}")
    assert await bot.find_digest(job, key) == posted
    assert await bot.find_digest(job, delivery_key(8, job.local_date)) is None


async def test_deleted_channel_pauses_the_digest(live):
    emu, bot, _ = live
    news = emu.add_channel(333, name="news")
    await emu.dispatch("CHANNEL_CREATE", emu._channel_dict(news), guild_id=emu.guild_id)
    await emu.flush()
    added = await emu.send_interaction("digest", {"channel": 333, "kind": "weekly", "time": "00:00",
                                                  "timezone": "UTC"}, subcommand="add", user="admin")
    assert "Scheduled" in added.content
    await emu.delete_channel(333)
    sub = (await bot.state.subscriptions(emu.guild_id))[-1]
    from bot.schedule import Job, due_at

    day = dt.date.today()
    await bot.scheduler.deliver(Job(sub, day, due_at(sub, day)))
    listing = await emu.send_interaction("digest", {}, subcommand="list", user="admin")
    assert "paused: channel deleted" in listing.content


async def test_two_sharded_processes_on_one_postgres_post_each_digest_once(seed_index, tmp_path, monkeypatch):
    """bot (shard 0 of 2) and bot-2 (shard 1 of 2) share PostgreSQL; each schedules only its guilds."""
    import uuid

    import asyncpg

    monkeypatch.chdir(tmp_path)
    name = f"kuril_e2e_{uuid.uuid4().hex[:10]}"
    admin = await asyncpg.connect("postgresql://postgres@127.0.0.1:5432/test")
    await admin.execute(f'CREATE DATABASE "{name}"')
    other_guild, other_channel = 1 << 22, 444  # (guild_id >> 22) % 2 == 1: shard 1
    try:
        async with DiscordEmulator(shard_count=2) as emu:
            emu.add_guild(other_guild, "Second", channel_id=other_channel)
            bots = []
            for shard in (0, 1):
                settings = load_settings(discord_token="emulator-token", discord_api_base=emu.api_base,
                                         kuril_index=seed_index, database_url=f"postgresql://postgres@127.0.0.1:5432/{name}",
                                         shard_count=2, shard_ids=str(shard))
                bot = create_bot(settings)
                bots.append((bot, asyncio.create_task(bot.start("emulator-token"))))
            await emu.wait_ready(shards=2)
            for bot, _ in bots:
                await asyncio.wait_for(bot.wait_until_ready(), 10)
            now = dt.datetime.now(dt.UTC)
            due = now.strftime("%H:%M")
            store = bots[0][0].state
            past = now - dt.timedelta(minutes=5)  # created before the due minute: due now
            for gid, cid in ((emu.guild_id, emu.channel_id), (other_guild, other_channel)):
                await store.add_subscription(gid, cid, "on-this-day", due, "UTC", None, None, past)
            for _ in range(3):  # both processes look at every subscription, repeatedly
                await asyncio.gather(*(bot.scheduler.run_once() for bot, _ in bots))
            for cid in (emu.channel_id, other_channel):
                posts = [m for m in emu.channel_messages(cid) if m.get("embeds")]
                assert len(posts) == 1, (cid, len(posts))
            owners = {b.settings.shard_ids[0]: [s.guild_id for s in await b.state.subscriptions() if b.owns(s)]
                      for b, _ in bots}
            assert owners == {0: [emu.guild_id], 1: [other_guild]}
            for bot, task in bots:
                await stop_bot(bot, task)
    finally:
        await admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        await admin.close()


async def test_two_processes_share_one_shelf_on_postgres(tmp_path, monkeypatch):
    """A manager uploads to process A; B answers it within 10 s; B restarted on an empty disk still
    serves it; a removal on B takes it off A. (One emulator: discord.py keeps its API address in a
    class attribute, so the two processes are its two shards, each serving one guild.)"""
    import shutil
    import uuid

    import asyncpg

    from tests.conftest import SEEDS
    monkeypatch.chdir(tmp_path)
    schema = f"shelf_{uuid.uuid4().hex[:10]}"
    admin = await asyncpg.connect("postgresql://postgres@127.0.0.1:5432/test")
    await admin.execute(f'CREATE SCHEMA "{schema}"')
    dsn = f"postgresql://postgres@127.0.0.1:5432/test?search_path={schema}"
    guild_b, channel_b = 1 << 22, 444  # (guild_id >> 22) % 2 == 1: shard 1, process B

    async def start(emu: DiscordEmulator, name: str, shard: int):
        """One bot process with its own disk: the image's seeds and a data folder."""
        disk = tmp_path / name
        if not (disk / "seeds").exists():
            shutil.copytree(SEEDS, disk / "seeds")
        build_index([disk / "seeds"], disk / "data" / "kuril.db")
        settings = load_settings(discord_token="emulator-token", discord_api_base=emu.api_base,
                                 kuril_index=disk / "data" / "kuril.db", kuril_state=disk / "state.db",
                                 kuril_seeds=disk / "seeds", database_url=dsn, shard_count=2, shard_ids=str(shard))
        bot = create_bot(settings)
        return bot, asyncio.create_task(bot.start("emulator-token"))

    async def within(seconds: float, done) -> None:
        async with asyncio.timeout(seconds):
            while not done():
                await asyncio.sleep(0.2)

    async def answers(emu: DiscordEmulator, guild: int, query: str) -> bool:
        reply = await emu.send_interaction("kuril", {"query": query}, subcommand="search", user="member",
                                           guild_id=guild)
        return any(src.endswith("Example News") for src, _ in sources(reply))

    try:
        async with DiscordEmulator(shard_count=2) as emu:
            emu.add_guild(guild_b, "Second", channel_id=channel_b)
            (a, a_task), (b, b_task) = await start(emu, "a", 0), await start(emu, "b", 1)
            await emu.wait_ready(shards=2)
            for bot in (a, b):
                await asyncio.wait_for(bot.wait_until_ready(), 10)
            added = await emu.send_interaction("kuril", {"file": emu.upload("talks.txt", ARTICLE.encode()),
                                                         "publisher": "Example News"},
                                               subcommand="add", user="admin", timeout=30)
            assert added.embeds and added.embeds[0]["title"].startswith("Added: "), added.content
            await within(10, lambda: "talks" in b.knowledge.index.docs_by_name)  # B follows the shelf
            assert await b.state.original("talks.txt") == (ARTICLE.encode(), "text")  # the upload as it came
            assert await answers(emu, guild_b, "sapporo talks reopend")
            await stop_bot(b, b_task)
            shutil.rmtree(tmp_path / "b")  # B's container replaced: a fresh disk
            b, b_task = await start(emu, "b", 1)
            await asyncio.wait_for(b.wait_until_ready(), 10)
            assert await answers(emu, guild_b, "sapporo talks reopend")
            ask = await emu.send_interaction("kuril", {"doc": "talks"}, subcommand="remove", user="admin",
                                             guild_id=guild_b)
            await ask.click(ask.custom_ids[0], user="admin")
            await ask.wait_for(lambda r: "Removed `talks`" in r.content)
            await within(10, lambda: "talks" not in a.knowledge.index.docs_by_name)  # A follows the removal
            assert not await answers(emu, emu.guild_id, "sapporo talks reopend")
            for bot, task in ((a, a_task), (b, b_task)):
                await stop_bot(bot, task)
    finally:
        await admin.execute(f'DROP SCHEMA "{schema}" CASCADE')
        await admin.close()
