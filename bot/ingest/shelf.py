"""The shelf: the articles a team has added, kept in the seeds folder as users' data.

Taking an article off the shelf keeps it (text and catalog entry) in `.removed/`, so a removal can
be undone; the index follows each change in place, one article at a time.
"""
from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path

from bot.ingest.build import ARTICLE_SUFFIXES, Report, build_index, remove_documents
from bot.ingest.document import BadFile, load_catalog
from bot.ingest.formats import save_catalog

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


def remove(folder: Path, index: Path, doc: str) -> Report:
    """Take `doc` off the shelf (kept in .removed/ for `restore`) and out of the index."""
    found = next((a for a in articles(folder) if a.doc == doc), None)
    if found is None:
        raise BadFile(f"no article `{doc}` on the shelf")
    _move(found.path.name, folder, folder / REMOVED)
    return remove_documents(index, [doc])


def restore(folder: Path, index: Path, doc: str) -> Report:
    """Put a removed article back on the shelf and into the index."""
    found = next((a for a in articles(folder, removed=True) if a.doc == doc), None)
    if found is None:
        raise BadFile(f"no removed article `{doc}` to restore")
    if (folder / found.path.name).exists():
        raise BadFile(f"`{doc}` is on the shelf again already")
    path = _move(found.path.name, folder / REMOVED, folder)
    return build_index([path], index, sync=False)


def export(folder: Path, target: Path) -> int:
    """Write every article on the shelf out as files, with a catalog.toml of their metadata."""
    shelf = articles(folder)
    target.mkdir(parents=True, exist_ok=True)
    for a in shelf:
        shutil.copy2(a.path, target / a.path.name)
    save_catalog(target, {a.path.name: a.meta for a in shelf if a.meta})
    return len(shelf)
