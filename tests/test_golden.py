"""Golden files: what the pipeline extracts from every fixture, stored so any change shows as a diff.

A change of behaviour rewrites them on purpose (`KURIL_UPDATE_GOLDEN=1 make test`) and the diff goes
into the same commit; moving code must leave them identical.
"""
from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from bot.extract.pipeline import extract
from bot.ingest.document import load_catalog, parse_document, read_text
from tests.conftest import FIXTURES, SEEDS

GOLDEN = FIXTURES / "golden"
SETS = {"seeds": sorted(SEEDS.glob("*.txt")), "heldout": sorted(FIXTURES.glob("heldout_*.txt"))} | {
    folder.name: sorted(folder.glob("*.txt")) for folder in sorted(FIXTURES.iterdir())
    if folder.is_dir() and folder.name not in ("golden", "__pycache__") and any(folder.glob("*.txt"))}


def extraction_json(files: list[Path]) -> dict:
    docs = []
    for path in files:
        text, sha = read_text(path)
        overrides = load_catalog(path.parent).get(path.name, {})
        docs.append(extract(parse_document(path.name, text, sha, overrides)).to_json())
    return {"documents": docs}


@pytest.mark.parametrize("name", sorted(SETS))
def test_extraction_matches_golden_file(name):
    got = extraction_json(SETS[name])
    path = GOLDEN / f"{name}.json"
    if os.environ.get("KURIL_UPDATE_GOLDEN"):
        path.write_text(json.dumps(got, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    assert path.exists(), f"no golden file for {name}: run with KURIL_UPDATE_GOLDEN=1 and commit it"
    assert got == json.loads(path.read_text(encoding="utf-8")), f"{name}: extraction changed (see the diff of {path})"
