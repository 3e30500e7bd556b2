"""No Docker engine runs here: the compose file and Dockerfile are checked against the code's settings."""
from __future__ import annotations

import re
from pathlib import Path

import yaml

from bot.config import Settings
from tests.conftest import ROOT

SETTINGS = {name.upper() for name in Settings.model_fields}


def compose() -> dict:
    return yaml.safe_load((ROOT / "docker-compose.yml").read_text(encoding="utf-8"))


def shard_ids(text: str) -> set[int]:
    lo, _, hi = text.partition("-")
    return set(range(int(lo), int(hi or lo) + 1))


def test_services_health_checks_and_volume():
    c = compose()
    assert set(c["services"]) == {"postgres", "bot", "bot-2"}
    for name, service in c["services"].items():
        assert service.get("healthcheck", {}).get("test"), f"{name} has a health check"
        assert service.get("restart") == "unless-stopped"
    assert "pgdata" in c["volumes"] and any(v.startswith("pgdata:") for v in c["services"]["postgres"]["volumes"])
    for bot in ("bot", "bot-2"):
        assert c["services"][bot]["depends_on"]["postgres"]["condition"] == "service_healthy"
        assert c["services"][bot]["env_file"] == ".env"


def test_bot_settings_are_real_settings_and_shards_split_cleanly():
    c = compose()
    ranges = []
    for bot in ("bot", "bot-2"):
        env = c["services"][bot]["environment"]
        assert set(env) <= SETTINGS, set(env) - SETTINGS
        assert env["DATABASE_URL"].startswith("postgresql://")
        count = int(env["SHARD_COUNT"])
        ranges.append(shard_ids(env["SHARD_IDS"]))
        s = Settings(shard_count=count, shard_ids=env["SHARD_IDS"], database_url=env["DATABASE_URL"])
        assert s.shard_ids == sorted(ranges[-1])
    assert not ranges[0] & ranges[1] and ranges[0] | ranges[1] == set(range(count))


def test_env_example_names_only_known_settings():
    names = {m.group(1) for m in re.finditer(r"^#?\s*([A-Z_]+)=", (ROOT / ".env.example").read_text(), re.M)}
    assert names - {"POSTGRES_PASSWORD"} <= SETTINGS
    assert "DISCORD_TOKEN" in names


def test_dockerfile_is_slim_non_root_with_index_and_health_check():
    text = (ROOT / "Dockerfile").read_text(encoding="utf-8")
    assert re.search(r"^FROM python:3\.\d+-slim", text, re.M)
    assert re.search(r"^USER (?!root)\w+", text, re.M)
    assert "kuril-bot ingest" in text and "HEALTHCHECK" in text
    assert "heartbeat" in text  # what the bot's heartbeat task writes


def test_the_image_lets_the_bot_write_its_shelf_and_data():
    """No Docker engine here: read the Dockerfile as the builder would. Every folder the bot writes to
    at run time (the shelf for /kuril add, the index and state folder) ends owned by the USER."""
    text = (ROOT / "Dockerfile").read_text(encoding="utf-8")
    user = re.search(r"^USER (\w+)", text, re.M).group(1)
    env = dict(re.findall(r"\b(KURIL_\w+)=(\S+)", text))
    writable = {env["KURIL_SEEDS"], str(Path(env["KURIL_INDEX"]).parent), str(Path(env["KURIL_STATE"]).parent)}
    owner: dict[str, str] = {}
    for line in text.split("\n"):
        if m := re.match(r"COPY (?:--chown=(\w+)\S*\s+)?\S+\s+\./(\S+)", line):
            owner[f"/app/{m.group(2)}"] = m.group(1) or "root"
        for m in re.finditer(r"chown -R (\w+):\w+ ((?:/\S+\s*)+)", line):
            owner.update({path: m.group(1) for path in m.group(2).split()})
    assert {path: owner.get(path, "root") for path in writable} == dict.fromkeys(writable, user)
