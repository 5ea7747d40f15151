"""How a run on a poisoned export is classified: refused, handled, silently wrong, crashed."""
from __future__ import annotations

from faultline.harness.signals.poisoned import Outcome, classify, last_words

TRACEBACK = """2025-01-01 INFO pipeline: read 10 events
Traceback (most recent call last):
  File "/w/pipeline/cli.py", line 3, in run
    rate = USD_PER_UNIT[currency]
           ~~~~~~~~~~~~^^^^^^^^^^
KeyError: 'XAU'
"""


def run(kind: str, code: int | None, log: str, *, equal: bool | None = None, killed: str | None = None,
        words: tuple[str, ...] = ("currency",)) -> Outcome:
    return classify(kind, exit_code=code, killed_reason=killed, log=log, words=words, output_equal=equal)[0]


def test_last_words_skip_the_traceback_frames() -> None:
    assert last_words(TRACEBACK) == "KeyError: 'XAU'"
    assert last_words("x\nERROR pipeline: refusing: unknown currency XAU\n\n") == (
        "ERROR pipeline: refusing: unknown currency XAU")


def test_outcomes() -> None:
    assert run("invalid", 2, "error: unknown Currency XAU") is Outcome.REFUSED  # case-insensitive
    assert run("invalid", 1, TRACEBACK) is Outcome.CRASHED  # a bare traceback names nothing
    # Words in a frame's source line do not count: only the last words do.
    assert run("invalid", 1, TRACEBACK, words=("usd_per_unit",)) is Outcome.CRASHED
    assert run("invalid", 0, "all fine") is Outcome.SILENTLY_WRONG
    assert run("invalid", None, "currency", killed="timeout") is Outcome.CRASHED
    assert run("valid", 0, "", equal=True) is Outcome.HANDLED
    assert run("valid", 0, "", equal=False) is Outcome.SILENTLY_WRONG
    assert run("valid", 0, "", equal=None) is Outcome.SILENTLY_WRONG  # no readable table
    assert run("valid", 2, "error: unknown currency") is Outcome.REFUSED_VALID
