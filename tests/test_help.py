"""/help: built from the command tree, so every command is listed with a working example, in Discord
(a real interaction through the emulator) and in the console alike."""
from __future__ import annotations

import re

import pytest

from bot.console import _find, run_line
from commands.help import LOOKUP, MANAGERS, leaf_commands, section_of
from tests.discord_emulator import AUTOCOMPLETE
from tests.test_commands import HOSTILE
from tests.test_e2e import connected


def embed_size(embed: dict) -> int:
    """What Discord counts towards an embed's 6000 characters."""
    fields = embed.get("fields", [])
    texts = [embed.get("title", ""), embed.get("description", ""), embed.get("footer", {}).get("text", "")]
    return sum(map(len, texts)) + sum(len(f["name"]) + len(f["value"]) for f in fields)


def assert_within_discord_limits(embed: dict) -> None:
    fields = embed.get("fields", [])
    assert len(fields) <= 25 and embed_size(embed) <= 6000 and len(embed.get("description", "")) <= 4096
    assert all(len(f["value"]) <= 1024 and len(f["name"]) <= 256 for f in fields)


async def test_every_command_has_an_example_that_names_its_own_options(bot):
    """A command added without `extras={"example": …}` fails here, so /help cannot forget it."""
    commands = list(leaf_commands(bot.tree))
    assert len(commands) >= 17
    for command in commands:
        example = command.extras.get("example")
        assert example, f"/{command.qualified_name} has no extras={{'example': …}}"
        found, rest = _find(bot.tree, example.removeprefix("/"))
        assert found is command, example
        names = [p.name for p in command.parameters]
        named = set(re.findall(r"(?:^|\s)(\w+):", rest))
        assert named <= set(names), example
        bare = {names[0]} if names and rest.strip() and not re.match(r"\w+:", rest.strip()) else set()
        assert {p.name for p in command.parameters if p.required} <= named | bare, example


async def test_the_lookup_examples_answer_with_citations(bot):
    lookups = [c for c in leaf_commands(bot.tree) if section_of(c) == LOOKUP and c.name != "help"]
    assert {c.qualified_name for c in lookups} >= {"kuril event", "kuril search", "kuril onthisday", "kuril timeline",
                                                   "quote", "kuril experts", "kuril sources", "kuril source",
                                                   "kuril cite"}
    for command in lookups:
        reply, _ = await run_line(bot, command.extras["example"])
        assert not reply.ephemeral and reply.citations, (command.extras["example"], reply.content)


async def test_console_help_lists_every_command_grouped_and_marks_the_managers(bot):
    reply, _ = await run_line(bot, "/help")
    assert reply.ephemeral and reply.to_json()["allowed_mentions"] == {"parse": []}
    assert (await run_line(bot, "help"))[0].to_text() == reply.to_text()
    text = reply.to_text()
    for command in leaf_commands(bot.tree):
        assert f"`{command.extras['example']}`" in text
    sections = dict(reply.sections)
    assert [name for name, _ in reply.sections][0] == LOOKUP
    assert all(f"/kuril {n} " in sections[MANAGERS] or f"/kuril {n}`" in sections[MANAGERS]
               for n in ("status", "add", "remove"))
    digests = next(v for name, v in reply.sections if name.startswith("/digest") and "Manage Server" in name)
    assert all(f"/digest {n}" in digests for n in ("add", "list", "remove", "preview"))
    assert "/kuril status" not in sections[LOOKUP] and "/digest" not in sections[LOOKUP]
    assert_within_discord_limits(reply.pages()[0].to_dict())
    assert len(reply.pages()) == 1


async def test_a_typo_points_to_help():
    from bot.errors import reply_for
    from discord import app_commands
    assert "`/help`" in reply_for(app_commands.CommandNotFound("nope", [])).content


@pytest.mark.parametrize("line, says", [
    ("/help kuril cite", ["`style` (required; `apa`, `chicago`, `mla`, `harvard`, `bibtex`, `ris`)",
                          "`paragraph` (optional; whole number 1–100,000)", "Example: `/kuril cite"]),
    ("/help command:/digest add", ["Needs Manage Server", "`weekday` (optional; `Monday`"]),
    ("/help experts", ["/kuril experts", "None."]),
])
async def test_help_for_one_command_shows_its_options(bot, line, says):
    reply, _ = await run_line(bot, line)
    assert reply.ephemeral and not reply.content
    for words in says:
        assert words in reply.to_text()


@pytest.mark.parametrize("line, says", [
    ("/help remove", "`/kuril remove`, `/digest remove`"),
    ("/help teleport", "no command `teleport`"),
    ("/help command:" + "x" * 500, "keep it under 60"),
])
async def test_help_for_a_command_it_cannot_pick_says_what_to_type(bot, line, says):
    reply, _ = await run_line(bot, line)
    assert reply.ephemeral and says in reply.content and len(reply.content) <= 400


async def test_hostile_names_get_the_list_or_a_short_answer(bot):
    for value in HOSTILE:
        reply, _ = await run_line(bot, f"/help command:{value}")
        assert reply.ephemeral and reply.to_json()["allowed_mentions"] == {"parse": []}
        assert reply.sections or 0 < len(reply.content) <= 400, (value, reply.content)
        assert "@everyone" not in reply.content or "`" in reply.content


async def test_help_through_discord_is_ephemeral_within_limits_and_lists_the_tree(seed_index, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    async with connected(seed_index, tmp_path) as (emu, bot, _):
        reply = await emu.send_interaction("help", user="member")
        assert reply.ephemeral and reply.allowed_mentions == {"parse": []} and len(reply.embeds) == 1
        embed = reply.embeds[0]
        assert_within_discord_limits(embed)
        shown = "\n".join(f["value"] for f in embed["fields"])
        assert all(f"`/{c.qualified_name}" in shown for c in leaf_commands(bot.tree))
        one = await emu.send_interaction("help", {"command": "kuril cite"}, user="member")
        assert one.ephemeral and one.embeds[0]["title"] == "/kuril cite"
        assert "`style`" in one.embeds[0]["fields"][0]["value"]
        offered = await emu.send_interaction("help", {"command": "cit"}, kind=AUTOCOMPLETE, user="member")
        assert [c["value"] for c in offered.choices] == ["kuril cite"]
