"""The poisoned-exports signal: what a pipeline did with each poisoned dataset.

Per dataset the outcome is one of:

* ``refused``: an invalid export, a non-zero exit, and the pipeline's last words name the
  problem (one of the dataset's words, case-insensitive);
* ``handled``: a valid export, exit 0, and an output equal to the reference's (the graders
  compare it in the check phase; the host never parses the candidate's output);
* ``silently wrong``: exit 0 on an invalid export (whatever was written), or exit 0 on a
  valid export with a wrong, missing or unreadable table: the worst outcome;
* ``crashed``: a non-zero exit (or a kill) on an invalid export whose last words do not
  name the problem, e.g. a bare traceback;
* ``refused valid data``: a non-zero exit on a valid export.

The last words are the last line of the run's log that is not part of a traceback's
frames: for a traceback, its exception line; for a clean refusal, the line it printed.
"""
from __future__ import annotations

import enum
import re
from collections.abc import Mapping, Sequence
from typing import Any

from faultline.graders.scoring import POISON_POINTS

MESSAGE_CHARS = 300


class Outcome(enum.StrEnum):
    REFUSED = "refused"
    HANDLED = "handled"
    SILENTLY_WRONG = "silently wrong"
    CRASHED = "crashed"
    REFUSED_VALID = "refused valid data"


RIGHT = {"invalid": Outcome.REFUSED, "valid": Outcome.HANDLED}
_FRAME = re.compile(r"^(Traceback \(most recent call last\):|  File \"|    |\s*[\^~]+\s*$|During handling|"
                    r"The above exception)")


def last_words(log: str) -> str:
    """The last line of ``log`` outside a traceback's frames (stripped, bounded), or ''."""
    for line in reversed(log.splitlines()):
        if line.strip() and not _FRAME.match(line):
            return line.strip()[:MESSAGE_CHARS]
    return ""


def names_problem(message: str, words: Sequence[str]) -> bool:
    text = message.lower()
    return any(word.lower() in text for word in words)


def classify(
    kind: str, *, exit_code: int | None, killed_reason: str | None, log: str, words: Sequence[str],
    output_equal: bool | None,
) -> tuple[Outcome, str]:
    """The outcome of one run on a poisoned dataset, and the message to show with it.

    ``output_equal`` is the graders' verdict on a valid export's output (None when it was
    not compared, e.g. an invalid export or a run that failed).
    """
    message = last_words(log)
    if killed_reason:
        message = f"stopped ({killed_reason})" + (f": {message}" if message else "")
    if exit_code == 0 and not killed_reason:
        if kind == "valid":
            return (Outcome.HANDLED, "") if output_equal else (Outcome.SILENTLY_WRONG, "the output is wrong")
        return Outcome.SILENTLY_WRONG, "exited 0 on an export the contract declares invalid"
    if kind == "valid":
        return Outcome.REFUSED_VALID, message
    if not killed_reason and names_problem(message, words):
        return Outcome.REFUSED, message
    return Outcome.CRASHED, message


def points(outcome: Outcome, kind: str, max_points: int, *, fixed_any: bool) -> int:
    """Points of one dataset: its max_points when the outcome is the right one and the
    submission fixed at least one fault (see graders.scoring)."""
    return max_points if fixed_any and outcome is RIGHT[kind] else 0


def signal(
    entries: Sequence[Mapping[str, Any]], runs: Mapping[str, Any], compared: Mapping[str, Any], *,
    fixed_any: bool,
) -> dict[str, Any]:
    """``signals.poisoned`` of result.json.

    ``entries``: the key's poisoned datasets (name, kind, words, max_points, bundle_outcome);
    ``runs``: RunResult per dataset name (absent: not run); ``compared``: the graders'
    verdict per valid dataset (``equal``, ``message``).
    """
    datasets, total, most = [], 0, 0
    for entry in entries:
        name, kind = str(entry["name"]), str(entry["kind"])
        run = runs.get(name)
        verdict = compared.get(name) or {}
        if run is None:
            outcome, message = Outcome.CRASHED, "not run"
        else:
            outcome, message = classify(
                kind, exit_code=run.exit_code, killed_reason=run.killed_reason, log=run.log,
                words=entry["words"], output_equal=verdict.get("equal"),
            )
            if outcome is Outcome.SILENTLY_WRONG and kind == "valid" and verdict.get("message"):
                message = str(verdict["message"])
        earned = points(outcome, kind, int(entry["max_points"]), fixed_any=fixed_any)
        total, most = total + earned, most + int(entry["max_points"])
        datasets.append({
            "dataset": name, "kind": kind, "outcome": outcome.value, "message": message,
            "right": outcome is RIGHT[kind], "points": earned, "max_points": int(entry["max_points"]),
            "bundle_outcome": str(entry.get("bundle_outcome", "")),
            "exit_code": None if run is None else run.exit_code,
            "wall_seconds": None if run is None else run.wall_seconds,
        })
    return {"datasets": datasets, "points": total, "max_points": most, "points_each": POISON_POINTS}
