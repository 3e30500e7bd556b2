"""The shelf: the articles a team has added, users' data.

The state store holds the shared shelf (every article's text and metadata, and whether it was
removed); each process keeps a copy in its seeds folder and derives its index from that, following
the shared shelf's changes (announced on PostgreSQL, polled everywhere). Taking an article off keeps
it (text and catalog entry) in `.removed/`, so a removal can be undone; the index follows each change
in place, one article at a time.
"""
from __future__ import annotations

import asyncio
import datetime as dt
import shutil
from dataclasses import dataclass
from pathlib import Path

from bot.ingest.build import ARTICLE_SUFFIXES, build_index, file_hash, remove_documents
from bot.ingest.document import BadFile, load_catalog
from bot.ingest.formats import save_catalog
from bot.state import ShelfArticle, StateStore

REMOVED = ".removed"


@dataclass(frozen=True)
class Article:
    doc: str
    path: Path
    meta: dict


def articles(folder: Path, removed: bool = False) -> list[Article]:
    """The articles on the shelf (or, with removed=True, those taken off and kept for undo)."""
    where = folder / REMOVED if removed else folder
    catalog = load_catalog(where) if where.is_dir() else {}
    files = sorted(f for f in where.glob("*") if f.suffix.lower() in ARTICLE_SUFFIXES and f.is_file()) \
        if where.is_dir() else []
    return [Article(f.stem, f, catalog.get(f.name, {})) for f in files]


def _move(name: str, source: Path, target: Path) -> Path:
    """Move one article file and its catalog entry between two folders (catalogs written atomically)."""
    target.mkdir(parents=True, exist_ok=True)
    catalog, into = load_catalog(source), load_catalog(target)
    if name in catalog:
        save_catalog(target, {**into, name: catalog[name]})
    moved = shutil.move(source / name, target / name)
    if name in catalog:
        del catalog[name]
        save_catalog(source, catalog)
    return Path(moved)


def remove(folder: Path, index: Path, doc: str) -> str:
    """Take `doc` off the shelf (kept in .removed/ for `restore`) and out of the index; its file name."""
    found = next((a for a in articles(folder) if a.doc == doc), None)
    if found is None:
        raise BadFile(f"no article `{doc}` on the shelf")
    _move(found.path.name, folder, folder / REMOVED)
    remove_documents(index, [doc])
    return found.path.name


def restore(folder: Path, index: Path, doc: str) -> str:
    """Put a removed article back on the shelf and into the index; its file name."""
    found = next((a for a in articles(folder, removed=True) if a.doc == doc), None)
    if found is None:
        raise BadFile(f"no removed article `{doc}` to restore")
    if (folder / found.path.name).exists():
        raise BadFile(f"`{doc}` is on the shelf again already")
    path = _move(found.path.name, folder / REMOVED, folder)
    build_index([path], index, sync=False)
    return path.name


def export(folder: Path, target: Path) -> int:
    """Write every article on the shelf out as files, with a catalog.toml of their metadata."""
    shelf = articles(folder)
    target.mkdir(parents=True, exist_ok=True)
    for a in shelf:
        shutil.copy2(a.path, target / a.path.name)
    save_catalog(target, {a.path.name: a.meta for a in shelf if a.meta})
    return len(shelf)


# ---- the shared shelf: the state store holds every article; each process's folder and index follow it

FOLLOW_OVERLAP = dt.timedelta(seconds=60)  # changes are re-read this far back: other processes' clocks differ


async def publish(state: StateStore, folder: Path, names: list[str], by: int | None = None,
                  sources: dict[str, tuple[bytes, str]] | None = None) -> None:
    """Put these articles of the folder onto the shared shelf (text and catalog metadata; `sources`:
    name -> the bytes as uploaded and their format)."""
    catalog = load_catalog(folder)
    now = dt.datetime.now(dt.UTC)
    for name in names:
        path = folder / name
        original, fmt = (sources or {}).get(name, (None, "text"))
        await state.put_article(name, path.read_text(encoding="utf-8"), catalog.get(name, {}), file_hash(path), by,
                                now, original, fmt)


async def take_off(state: StateStore, folder: Path, index: Path, doc: str) -> None:
    """Remove `doc` here and on the shared shelf, so that every process follows."""
    name = await asyncio.to_thread(remove, folder, index, doc)
    await state.remove_article(name, dt.datetime.now(dt.UTC))


async def put_back(state: StateStore, folder: Path, index: Path, doc: str, by: int | None = None) -> None:
    """Restore `doc` here and on the shared shelf."""
    name = await asyncio.to_thread(restore, folder, index, doc)
    await publish(state, folder, [name], by)


async def publish_new(state: StateStore, folder: Path) -> int:
    """The starting shelf: articles of the folder the shared shelf has never held go onto it (a seed
    removed from the shelf stays removed, even when a rebuilt image brings its file back)."""
    known = await state.shelf_names()
    new = [a.path.name for a in articles(folder) if a.path.name not in known]
    await publish(state, folder, new)
    return len(new)


def _apply(folder: Path, index: Path, changes: list[ShelfArticle], texts: dict[str, str]) -> bool:
    """Bring the folder and the index up to these changes of the shared shelf; True if anything changed."""
    written: list[Path] = []
    gone: list[str] = []
    catalog = load_catalog(folder) if folder.is_dir() else {}
    for a in changes:
        path = folder / a.name
        if a.removed_at is not None:
            if path.exists():
                _move(a.name, folder, folder / REMOVED)
                catalog = load_catalog(folder)
                gone.append(path.stem)
        elif a.name in texts and (not path.exists() or file_hash(path) != a.content_hash):
            folder.mkdir(parents=True, exist_ok=True)
            tmp = path.with_suffix(".tmp")
            tmp.write_text(texts[a.name], encoding="utf-8")
            tmp.replace(path)
            catalog[a.name] = a.meta
            written.append(path)
    if written:
        save_catalog(folder, {k: v for k, v in catalog.items() if v})
        build_index(written, index, sync=False)
    if gone:
        remove_documents(index, gone)
    return bool(written or gone)


class Follower:
    """One process catching up with the shared shelf. Changes are re-read FOLLOW_OVERLAP back (other
    processes' clocks differ); what this follower has applied already is skipped without its text."""

    def __init__(self) -> None:
        self.seen: dt.datetime | None = None  # the newest change read so far
        self.applied: dict[str, dt.datetime] = {}  # name -> the change of it applied here

    async def follow(self, state: StateStore, folder: Path, index: Path) -> bool:
        """Apply what is new on the shared shelf; True if the folder and index changed."""
        window = await state.shelf_changes(self.seen - FOLLOW_OVERLAP if self.seen else None)
        changes = [a for a in window if self.applied.get(a.name) != a.changed_at]
        if not changes:
            return False
        texts = await state.shelf_texts([a.name for a in changes if a.removed_at is None])
        changed = await asyncio.to_thread(_apply, folder, index, changes, texts)
        self.applied.update((a.name, a.changed_at) for a in changes)
        self.seen = max(a.changed_at for a in window)
        return changed
