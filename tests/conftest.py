"""Shared, session-scoped variants: build each one once, reuse it in every test that only reads it.

Making a variant costs 10-40 s (renders, data, footprints, self-check), so tests ask these
fixtures instead of calling ``new_variant`` themselves:

- ``variants``: a cache; ``variants.get(exercise, seed, rows=..., difficulty=..., faults=...)``
  builds that variant once per test session and returns its folder (``candidate/``,
  ``candidate.zip``, ``key/``). Under pytest-xdist the workers share the cache through a
  file lock, so a variant is built once even when both workers need it.
- ``small_variant``: retail-events with two faults at 4,000 rows, for tests that only need
  some key (bad input, sandbox, intake).
- ``small_variant_of``: a function ``small_variant_of(exercise)``: any exercise at 3,000 rows
  with the two faults an easy draw of seed ``small`` picks, for tests that want one key
  per exercise without caring which faults.
- ``full_variant``: a function ``full_variant(exercise)``: that exercise with every fault of
  its catalogue on (seed ``m1``, 3,000 rows), for the fault matrix and anything that wants
  each fault present.

The variants are shared: treat them as read-only (copy a key with ``helpers.copy_tree``
before changing it). Group tests that use one exercise's full variant with
``pytest.mark.xdist_group(exercise)`` so that one worker does them in a row.
"""
from __future__ import annotations

import fcntl
import hashlib
import json
import os
from collections.abc import Callable
from pathlib import Path

import pytest

from faultline.exercises.registry import EXERCISES
from tests.helpers import new_variant

FULL_SEED = "m1"
FULL_ROWS = 3000


class Variants:
    """Variants built on first use and kept for the session (shared by xdist workers)."""

    def __init__(self, root: Path) -> None:
        self.root = root
        root.mkdir(parents=True, exist_ok=True)

    def get(
        self, exercise: str, seed: str, *, rows: int = 4000, difficulty: str = "hard",
        faults: list[str] | None = None,
    ) -> Path:
        spec = json.dumps([exercise, seed, rows, difficulty, faults])
        name = f"{exercise}-{seed}-{hashlib.sha256(spec.encode()).hexdigest()[:10]}"
        return build_once(
            self.root, name,
            lambda folder: new_variant(folder, exercise, seed, rows=rows, difficulty=difficulty, faults=faults),
        )


def shared_root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The session's temporary root, the same for every xdist worker."""
    base = tmp_path_factory.getbasetemp()
    if os.environ.get("PYTEST_XDIST_WORKER"):
        # Each xdist worker has its own basetemp below the session's: share the parent.
        base = base.parent
    return base


def build_once(root: Path, name: str, build: Callable[[Path], object]) -> Path:
    """``root / name``, made by ``build(folder)`` once per session whichever worker asks first.

    An exclusive lock per name: the second worker that wants it waits for the first to
    finish building instead of building it again.
    """
    root.mkdir(parents=True, exist_ok=True)
    folder = root / name
    with open(root / f"{name}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        done = root / f"{name}.done"
        if not done.exists():
            build(folder)
            done.write_text("built\n")
    return folder


@pytest.fixture(scope="session")
def variants(tmp_path_factory: pytest.TempPathFactory) -> Variants:
    return Variants(shared_root(tmp_path_factory) / "shared-variants")


@pytest.fixture(scope="session")
def small_variant(variants: Variants) -> Path:
    """A small retail-events variant with two faults, shared by tests that only need a key."""
    return variants.get(
        "retail-events", "small-variant", rows=4000, faults=["leading-zero-ids", "cents-cutover"],
    )


@pytest.fixture(scope="session")
def small_variant_of(variants: Variants) -> Callable[[str], Path]:
    """``small_variant_of(exercise)``: a two-fault variant of that exercise, built once."""

    def get(exercise: str) -> Path:
        return variants.get(exercise, "small", rows=3000, difficulty="easy")

    return get


@pytest.fixture(scope="session")
def full_variant(variants: Variants) -> Callable[[str], Path]:
    """``full_variant(exercise)``: the exercise with all of its faults on, built once."""

    def get(exercise: str) -> Path:
        return variants.get(exercise, FULL_SEED, rows=FULL_ROWS, faults=list(EXERCISES[exercise].FAULTS))

    return get


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    # Docker tests share one engine, and their fixtures check what is left on it: under
    # `-n 2 --dist loadgroup` one worker runs them all, in a row, while the other does the
    # rest. (tryfirst: the marks must be there before xdist reads them.)
    for item in items:
        if item.get_closest_marker("docker"):
            item.add_marker(pytest.mark.xdist_group("docker"))


_GROUPING_BROKEN: list[str] = []


@pytest.hookimpl(trylast=True)
def pytest_collection_finish(session: pytest.Session) -> None:
    # xdist tags a grouped test's node id with "@group" (after our marks); a pytest it does
    # not know may ignore the tag, and the groups would silently spread over both workers.
    # (Workers see `--dist loadgroup` as the option xdist itself reads: loadgroup.)
    if not os.environ.get("PYTEST_XDIST_WORKER") or not session.config.getoption("loadgroup", False):
        return
    untagged = [i.nodeid for i in session.items if i.get_closest_marker("xdist_group") and "@" not in i.nodeid]
    if untagged:
        _GROUPING_BROKEN.append(
            f"pytest-xdist's loadgroup did not tag {untagged[0]} (pytest {pytest.__version__}): tests "
            "that share a variant or the Docker engine would run on both workers; use pytest <9.1"
        )


def pytest_runtest_setup(item: pytest.Item) -> None:
    if _GROUPING_BROKEN and item.get_closest_marker("xdist_group"):
        pytest.fail(_GROUPING_BROKEN[0], pytrace=False)
