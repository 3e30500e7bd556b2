"""`kuril-bot`: run, ingest, ask, extract. Errors end in one clear line and exit code, never a traceback."""
from __future__ import annotations

import argparse
import asyncio
import json
import logging
import sys
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import TYPE_CHECKING

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn
from rich.table import Table

from bot.config import Settings, SettingsError, load_settings
from bot.index import IndexMissing
from bot.state import StateUnavailable, open_state
from bot.ingest.build import Report, build_index
from bot.ingest.document import BadFile, load_catalog, parse_document, read_text
from bot.export import FORMATS
from bot.extract.pipeline import extract
from bot.ingest import shelf
from bot.ingest.formats import add_article, discard_unfinished

if TYPE_CHECKING:
    from bot.client import KurilBot

log = logging.getLogger("kuril")


def _setup_logging(level: str) -> None:
    logging.basicConfig(level=level, stream=sys.stderr,
                        format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    quiet = max(logging.INFO, logging.getLevelName(level))
    for chatty in ("discord", "aiosqlite"):  # at DEBUG these log message bodies and the SQL of users' words
        logging.getLogger(chatty).setLevel(quiet)


def _ingest(paths: list[Path], index: Path, sync: bool, show_progress: bool) -> Report:
    if not show_progress:
        return build_index(paths, index, sync=sync)
    columns = (TextColumn("ingesting"), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn())
    with Progress(*columns, console=Console(stderr=True), transient=True) as progress:
        task = progress.add_task("ingest", total=None)

        def update(done: int, total: int) -> None:
            progress.update(task, completed=done, total=total)

        return build_index(paths, index, sync=sync, progress=update)


def _print_report(report: Report, console: Console) -> None:
    table = Table(title="Index")
    for col in ("documents", "paragraphs", "quotes", "events", "people"):
        table.add_column(col, justify="right")
    table.add_row(*(str(report.counts.get(c, 0)) for c in ("documents", "paragraphs", "quotes", "events", "people")))
    console.print(table)
    console.print(f"added {len(report.added)} · updated {len(report.updated)} · removed {len(report.removed)} · "
                  f"unchanged {report.unchanged} · skipped {len(report.skipped)}")
    for name, why in report.skipped:
        console.print(f"skipped {name}: {why}", markup=False)
    for name, why in report.warnings:
        console.print(f"warning {name}: {why}", markup=False)


def ensure_index(settings: Settings) -> None:
    """Build or refresh the index from the seeds folder when it is missing or older than the files."""
    if settings.kuril_seeds.is_dir():
        for name in discard_unfinished(settings.kuril_seeds):
            log.warning("took %s off the shelf: its add did not finish", name)
        report = build_index([settings.kuril_seeds], settings.kuril_index, sync=True)
        for name, why in report.skipped + report.warnings:
            log.warning("%s: %s", name, why)
        if report.changed:
            log.info("index refreshed: %s", report.counts)


def _on_shared_shelf(settings: Settings, change) -> None:
    """Run `change(state)` against the state store, so every running process follows the change."""
    async def run() -> None:
        state = await open_state(settings)
        try:
            await change(state)
        finally:
            await state.close()
    asyncio.run(run())


def _outside_files(paths: list[Path], seeds: Path) -> list[Path]:
    """The files to put on the shelf: those named, and every file (not hidden) in a folder named,
    of any format (each is checked by content), leaving out what is already in the seeds folder."""
    out: list[Path] = []
    for p in paths:
        if p.resolve() == seeds or seeds in p.resolve().parents:
            continue
        found = sorted(f for f in p.rglob("*") if f.is_file() and not f.name.startswith(".")) if p.is_dir() else [p]
        out.extend(found)
    return out


def cmd_ingest(args: argparse.Namespace, settings: Settings) -> int:
    """Files and folders from anywhere go onto the shelf (the seeds folder) first, so the next start
    keeps them; the seeds folder itself is indexed where it is."""
    paths = [Path(p) for p in args.paths] or [settings.kuril_seeds]
    missing = [str(p) for p in paths if not p.exists()]
    if missing:
        print(f"kuril-bot: no such file or folder: {', '.join(missing)}", file=sys.stderr)
        return 2
    seeds = settings.kuril_seeds.resolve()
    inside = [p for p in paths if p.resolve() == seeds or seeds in p.resolve().parents]
    counts = {"added": 0, "updated": 0, "unchanged": 0, "skipped": 0}
    shelved: list[str] = []
    for f in _outside_files(paths, seeds):
        try:
            added = add_article(settings.kuril_seeds, settings.kuril_index, f.read_bytes(), f.name, {},
                                int(settings.kuril_max_upload_mb * 1024 * 1024), origin=str(f.resolve()))
        except (BadFile, OSError) as e:
            print(f"skipped {f}: {e}")
            counts["skipped"] += 1
            continue
        outcome = "added" if added.new else "updated" if added.updated else "unchanged"
        if added.new or added.updated:
            print(f"{outcome} {f} as {added.path}")
            shelved.append(added.path.name)
        else:
            print(f"unchanged {f}: already on the shelf as {added.doc}")
        counts[outcome] += 1
    if any(counts.values()):
        print(" · ".join(f"{k} {v}" for k, v in counts.items()))
    if shelved:
        _on_shared_shelf(settings, lambda state: shelf.publish(state, settings.kuril_seeds, shelved))
    if inside:
        report = _ingest(inside, settings.kuril_index, sync=seeds in (p.resolve() for p in inside),
                         show_progress=sys.stderr.isatty())
        _print_report(report, Console())
    return 0


def cmd_shelf(args: argparse.Namespace, settings: Settings) -> int:
    """`shelf list`, `shelf remove DOC`, `shelf restore DOC`, `shelf export DIR`."""
    seeds, index = settings.kuril_seeds, settings.kuril_index
    if args.action == "list":
        for removed in (False, True):
            for a in shelf.articles(seeds, removed=removed):
                title = a.meta.get("title") or a.path.read_text(encoding="utf-8").split("\n", 1)[0][:80]
                print(f"{a.doc}\t{'removed' if removed else 'on the shelf'}\t{a.meta.get('publisher', '')}\t{title}")
        return 0
    if not args.target:
        print(f"kuril-bot: shelf {args.action} needs a {'folder' if args.action == 'export' else 'document id'}",
              file=sys.stderr)
        return 2
    if args.action == "export":
        print(f"exported {shelf.export(seeds, Path(args.target))} articles to {args.target}")
        return 0
    ensure_index(settings)
    if args.action == "remove":
        _on_shared_shelf(settings, lambda state: shelf.take_off(state, seeds, index, args.target))
        print(f"removed {args.target}; undo with `kuril-bot shelf restore {args.target}`")
    else:
        _on_shared_shelf(settings, lambda state: shelf.put_back(state, seeds, index, args.target))
        print(f"restored {args.target}")
    return 0


def cmd_extract(args: argparse.Namespace, settings: Settings) -> int:
    docs = []
    for name in args.files:
        path = Path(name)
        try:
            text, sha = read_text(path)
            overrides = load_catalog(path.parent).get(path.name, {})
        except (BadFile, OSError) as e:
            print(f"kuril-bot: skipped {name}: {e}", file=sys.stderr)
            continue
        docs.append(extract(parse_document(path.name, text, sha, overrides)).to_json())
    if args.json:
        json.dump({"documents": docs}, sys.stdout, ensure_ascii=False, indent=1)
        sys.stdout.write("\n")
    else:
        for d in docs:
            print(f"{d['file']}: {len(d['people'])} people, {len(d['quotes'])} quotes, "
                  f"{len(d['events'])} events, {len(d['footnotes'])} footnotes")
    return 0


async def _console(settings: Settings, work: Callable[[KurilBot], Awaitable[int | None]]) -> int:
    """Run `work` with the bot prepared (index, state, cogs) and not connected, and close it after."""
    from bot.client import create_bot

    bot = create_bot(settings)
    try:
        await bot.prepare()
        return await work(bot) or 0
    finally:
        await bot.shutdown()


def cmd_ask(args: argparse.Namespace, settings: Settings) -> int:
    from bot.console import export_line, run_lines

    if args.export and args.command is None:
        print("kuril-bot: ask --export needs one command, e.g. ask --export csv \"/kuril event 2022\"", file=sys.stderr)
        return 2
    ensure_index(settings)
    if args.export:
        return asyncio.run(_console(settings, lambda bot: export_line(bot, args.command, args.export,
                                                                        sys.stdout, sys.stderr)))
    lines = [args.command] if args.command is not None else sys.stdin
    return asyncio.run(_console(settings, lambda bot: run_lines(bot, lines, sys.stdout, args.json)))


def cmd_run(args: argparse.Namespace, settings: Settings) -> int:
    ensure_index(settings)
    if settings.discord_token is None:
        if sys.stdin.isatty():
            print("kuril-bot console (no DISCORD_TOKEN set). Type /help; Ctrl-D quits.", file=sys.stderr)
        from bot.console import run_lines

        asyncio.run(_console(settings, lambda bot: run_lines(bot, sys.stdin, sys.stdout, False)))
        return 0
    from bot.client import create_bot

    bot = create_bot(settings)
    try:
        bot.run(settings.discord_token.get_secret_value(), log_handler=None)
    except StateUnavailable:
        raise
    except Exception as e:  # discord.LoginFailure and friends: one line, no token
        print(f"kuril-bot: could not run the bot: {type(e).__name__}: {e}", file=sys.stderr)
        return 1
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="kuril-bot", description=__doc__)
    sub = parser.add_subparsers(dest="cmd", required=True)
    sub.add_parser("run", help="connect to Discord, or open the local console without DISCORD_TOKEN")
    p = sub.add_parser("ingest", help="(re)build the index from files or folders (default: seeds/)")
    p.add_argument("paths", nargs="*")
    p = sub.add_parser("ask", help="run one slash command locally (or one a line from stdin)")
    p.add_argument("--json", action="store_true")
    p.add_argument("--export", choices=FORMATS, help="write a list answer as CSV or Markdown to stdout")
    p.add_argument("command", nargs="?")
    p = sub.add_parser("shelf", help="list, remove (kept for undo), restore or export the articles on the shelf")
    p.add_argument("action", choices=["list", "remove", "restore", "export"])
    p.add_argument("target", nargs="?", help="a document id (remove, restore) or a folder (export)")
    p = sub.add_parser("extract", help="print what the pipeline extracts, without touching the index")
    p.add_argument("--json", action="store_true")
    p.add_argument("files", nargs="+")
    args = parser.parse_args(argv)
    try:
        settings = load_settings()
    except SettingsError as e:
        print(f"kuril-bot: {e}", file=sys.stderr)
        return 2
    _setup_logging(settings.log_level)
    handlers = {"run": cmd_run, "ingest": cmd_ingest, "ask": cmd_ask, "extract": cmd_extract, "shelf": cmd_shelf}
    try:
        return handlers[args.cmd](args, settings)
    except KeyboardInterrupt:
        return 130
    except StateUnavailable as e:
        print(f"kuril-bot: {e}", file=sys.stderr)
        return 2
    except (IndexMissing, BadFile, OSError) as e:
        print(f"kuril-bot: {e}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
