"""What reading one file may cost: a time limit per file and a memory limit per reading process.

Extraction is regex work that holds the GIL, so a hostile upload read in a thread would stall every
other user's command. Uploads are read in a separate process (`Reader`); every file, in any
process, is read under `time_limit`, and a file over budget is refused with a clear reason.
"""
from __future__ import annotations

import asyncio
import multiprocessing
import resource
import signal
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from multiprocessing.pool import Pool
from typing import TypeVar

from bot.ingest.document import BadFile

SECONDS_PER_FILE = 30
READER_MEMORY = 2 * 1024**3  # address space of a reading process


T = TypeVar("T")


class TooComplex(BadFile):
    """A file that could not be read within its budget."""


@contextmanager
def time_limit(seconds: float = SECONDS_PER_FILE) -> Iterator[None]:
    """Raise TooComplex in the block after `seconds`. The regex engine checks for signals, so this
    stops a runaway match too; off the main thread (where no signal arrives) it does nothing."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def expire(signum, frame):
        raise TooComplex(f"too complex to read within {seconds:g} s; split it into smaller files")

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def limit_memory(limit: int = READER_MEMORY) -> None:
    """Process initializer: past `limit`, allocations fail with MemoryError instead of the machine
    running out."""
    soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    if hard == resource.RLIM_INFINITY or limit < hard:
        resource.setrlimit(resource.RLIMIT_AS, (limit, hard))


class Reader:
    """A process that reads uploads, so that their regex work never holds the bot's GIL; one that
    runs past its budget (say, stuck in a C library, where no signal reaches) is killed and replaced."""

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds  # for the whole job: conversion, extraction and the index write
        self._pool: Pool | None = None

    async def run(self, fn: Callable[..., T], *args: object) -> T:
        if self._pool is None:
            self._pool = multiprocessing.get_context("spawn").Pool(1, initializer=limit_memory)
        job = self._pool.apply_async(fn, args)
        try:
            return await asyncio.to_thread(job.get, self.seconds)
        except multiprocessing.TimeoutError:
            self.close()
            raise TooComplex(f"too complex to read within {self.seconds:g} s; split it into smaller files") from None
        except MemoryError:
            raise TooComplex("too large to read in memory; split it into smaller files") from None

    def close(self) -> None:
        if self._pool is not None:
            self._pool.terminate()
            self._pool = None
