"""Shared fixtures: an index built from the real seeds, and a bot with its real cogs loaded."""
from __future__ import annotations

import shutil
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

import pytest
import pytest_asyncio

from bot.config import load_settings
from bot.ingest.build import build_index

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
FIXTURES = Path(__file__).resolve().parent / "fixtures"


@asynccontextmanager
async def knowledge_of(folder: Path, files: dict[str, str] | None = None) -> AsyncIterator:
    """The Knowledge of an index built from `folder` (made first from `files`: name -> text), closed after."""
    from bot.knowledge import Knowledge

    if files is not None:
        folder.mkdir(parents=True)
        for name, text in files.items():
            (folder / name).write_text(text, encoding="utf-8")
    build_index([folder], folder.parent / f"{folder.name}.db")
    kb = await Knowledge.open(folder.parent / f"{folder.name}.db")
    try:
        yield kb
    finally:
        await kb.close()


@pytest.fixture(scope="session")
def seed_index(tmp_path_factory) -> Path:
    """An index of the five seed articles, built once for the session (tests only read it)."""
    path = tmp_path_factory.mktemp("index") / "kuril.db"
    build_index([SEEDS], path)
    return path


@pytest.fixture
def seeds_copy(tmp_path) -> Path:
    """A private, writable copy of the seeds folder."""
    folder = tmp_path / "seeds"
    shutil.copytree(SEEDS, folder)
    return folder


@pytest.fixture
def settings(seed_index, tmp_path, monkeypatch):
    for var in ("DISCORD_TOKEN", "DISCORD_API_BASE", "DATABASE_URL", "SHARD_COUNT", "SHARD_IDS", "KURIL_DEV_GUILD"):
        monkeypatch.delenv(var, raising=False)
    monkeypatch.chdir(tmp_path)  # no stray .env
    return load_settings(kuril_index=seed_index, kuril_state=tmp_path / "state.db", kuril_seeds=SEEDS)


@pytest_asyncio.fixture
async def bot(settings):
    """The real bot with its real cogs and CommandTree, not connected to anything."""
    from bot.client import create_bot

    b = create_bot(settings)
    await b.prepare()
    yield b
    await b.shutdown()
