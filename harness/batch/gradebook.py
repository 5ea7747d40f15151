"""The gradebook: one SQLite file per batch folder (``gradebook.sqlite``), WAL mode.

One row per (candidate, submission sha256, key id, image id, faultline version): what makes
a result. Only the batch's controller writes, one transaction per finished grading, so a
kill at any moment loses at most the gradings still running. Infrastructure errors are
recorded too but do not count as done: the next run tries them again.
"""
from __future__ import annotations

import dataclasses
import json
import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from faultline.harness.errors import UsageError
from faultline.harness.result import Status

FILE = "gradebook.sqlite"
SCHEMA_VERSION = "1"
DONE = (Status.GRADED.value, Status.REJECTED.value)

_DDL = """
CREATE TABLE IF NOT EXISTS meta (name TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS grades (
    candidate TEXT NOT NULL,
    submission_sha256 TEXT NOT NULL,
    key_id TEXT NOT NULL,
    image_id TEXT NOT NULL,
    version TEXT NOT NULL,
    submission TEXT NOT NULL,
    key TEXT NOT NULL,
    variant TEXT,
    exercise TEXT,
    status TEXT NOT NULL,
    score INTEGER,
    max_score INTEGER,
    message TEXT,
    result_path TEXT NOT NULL,
    result_json TEXT NOT NULL,
    started_at TEXT NOT NULL,
    finished_at TEXT NOT NULL,
    seconds REAL NOT NULL,
    worker TEXT NOT NULL,
    PRIMARY KEY (candidate, submission_sha256, key_id, image_id, version)
);
"""


@dataclasses.dataclass(frozen=True)
class RowKey:
    candidate: str
    submission_sha256: str
    key_id: str
    image_id: str
    version: str


@dataclasses.dataclass(frozen=True)
class Row:
    key: RowKey
    submission: str
    key_path: str
    status: Status
    score: int | None
    max_score: int | None
    message: str | None
    result_path: str
    result: dict[str, Any]  # result.json as graded, kept here so a later regrade loses nothing
    started_at: str
    finished_at: str
    seconds: float
    worker: str  # "local", or the Dask worker's address


class Gradebook:
    """The single writer's handle; ``open_readonly`` is for readers."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        self._conn = conn

    def close(self) -> None:
        self._conn.close()

    def is_done(self, key: RowKey) -> bool:
        found = self._conn.execute(
            "SELECT status FROM grades WHERE candidate=? AND submission_sha256=? AND key_id=? "
            "AND image_id=? AND version=?", dataclasses.astuple(key),
        ).fetchone()
        return found is not None and found[0] in DONE

    def record(self, row: Row) -> None:
        """Commit one finished grading in its own transaction (a regrade replaces its row)."""
        with self._conn:
            self._conn.execute(
                "INSERT OR REPLACE INTO grades VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
                (*dataclasses.astuple(row.key), row.submission, row.key_path,
                 row.result.get("variant"), row.result.get("exercise"), row.status.value, row.score,
                 row.max_score, row.message, row.result_path, json.dumps(row.result),
                 row.started_at, row.finished_at, row.seconds, row.worker),
            )

    def rows(self) -> list[Row]:
        return list(_rows(self._conn))


def open_gradebook(folder: Path) -> Gradebook:
    folder.mkdir(parents=True, exist_ok=True)
    try:
        conn = sqlite3.connect(folder / FILE, timeout=30)
        conn.execute("PRAGMA journal_mode=WAL")
        # FULL: a commit is on disk before the next grading is taken up, even across a power cut.
        conn.execute("PRAGMA synchronous=FULL")
        with conn:
            conn.executescript(_DDL)
            found = conn.execute("SELECT value FROM meta WHERE name='schema'").fetchone()
            if found is None:
                conn.execute("INSERT INTO meta VALUES ('schema', ?)", (SCHEMA_VERSION,))
            elif found[0] != SCHEMA_VERSION:
                raise UsageError(f"{folder / FILE} has gradebook schema {found[0]}, not {SCHEMA_VERSION}")
    except sqlite3.DatabaseError as exc:
        raise UsageError(f"{folder / FILE} is not a usable gradebook: {exc}") from None
    return Gradebook(conn)


def open_readonly(folder: Path) -> list[Row]:
    """Every row of the gradebook in ``folder``; UsageError when there is none."""
    path = folder / FILE
    if not path.is_file():
        raise UsageError(f"{folder} holds no gradebook ({FILE}): run `faultline grade-batch ... --out {folder}` first")
    try:
        conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True, timeout=30)
        try:
            return list(_rows(conn))
        finally:
            conn.close()
    except sqlite3.DatabaseError as exc:
        raise UsageError(f"{path} is not a usable gradebook: {exc}") from None


def _rows(conn: sqlite3.Connection) -> Iterator[Row]:
    query = (
        "SELECT candidate, submission_sha256, key_id, image_id, version, submission, key, status, score, "
        "max_score, message, result_path, result_json, started_at, finished_at, seconds, worker "
        "FROM grades ORDER BY candidate, finished_at"
    )
    for r in conn.execute(query):
        yield Row(
            key=RowKey(*r[0:5]), submission=r[5], key_path=r[6], status=Status(r[7]), score=r[8],
            max_score=r[9], message=r[10], result_path=r[11], result=json.loads(r[12]),
            started_at=r[13], finished_at=r[14], seconds=r[15], worker=r[16],
        )


def latest(rows: list[Row]) -> list[Row]:
    """One row per candidate: the last finished (rows come ordered by candidate, finished_at)."""
    by_candidate: dict[str, Row] = {}
    for row in rows:
        by_candidate[row.key.candidate] = row
    return list(by_candidate.values())
