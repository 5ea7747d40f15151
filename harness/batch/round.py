"""A round of variants: one per candidate, made in parallel worker processes.

Each variant is ``make_variant`` into ``ROUND/<folder>/``, a pure function of its
arguments, so the workers share nothing and the parent alone writes the manifest. A
candidate whose folder already holds something is left as it is (and kept in the manifest):
rerunning with a longer CSV makes only the new candidates' variants.
"""
from __future__ import annotations

import concurrent.futures
import dataclasses
import enum
import multiprocessing
from collections.abc import Callable
from pathlib import Path

from faultline.harness.batch.manifest import Candidate, Entry, read_manifest, write_manifest
from faultline.harness.errors import FaultlineError

MANIFEST = "manifest.csv"


class Made(enum.StrEnum):
    MADE = "made"
    KEPT = "kept"  # the folder existed: never overwritten
    FAILED = "failed"  # no variant passed its self-check, or bad input for this candidate


@dataclasses.dataclass(frozen=True)
class RoundItem:
    candidate: Candidate
    outcome: Made
    detail: str


@dataclasses.dataclass(frozen=True)
class VariantJob:
    exercise: str
    out: Path
    seed: str
    difficulty: str
    rows: int
    faults: tuple[str, ...] | None


def make_one(job: VariantJob) -> str:
    """Worker: make one variant; returns its id. Errors a user can cause come back as FaultlineError."""
    from faultline.exercises.registry import EXERCISES
    from faultline.harness.build import make_variant

    made = make_variant(
        EXERCISES[job.exercise], out=job.out, seed=job.seed, difficulty=job.difficulty,  # type: ignore[arg-type]
        rows=job.rows, fault_ids=list(job.faults) if job.faults else None,
    )
    return made.variant.id


def _seed(seed: str | None, folder: str) -> str:
    from faultline.harness.variant import new_seed

    # One --seed for a round still gives every candidate a variant of their own.
    return f"{seed}/{folder}" if seed else new_seed()


def make_round(
    *,
    exercise: str,
    candidates: list[Candidate],
    out: Path,
    seed: str | None,
    difficulty: str,
    rows: int,
    faults: list[str] | None,
    jobs: int,
    report: Callable[[RoundItem], None],
) -> list[RoundItem]:
    out.mkdir(parents=True, exist_ok=True)
    manifest = out / MANIFEST
    previous = {e.candidate: e for e in read_manifest(manifest)} if manifest.is_file() else {}
    items: list[RoundItem] = []
    todo: dict[str, tuple[Candidate, VariantJob]] = {}
    for cand in candidates:
        folder = out / cand.folder
        if folder.exists() and any(folder.iterdir()):
            item = RoundItem(cand, Made.KEPT, f"{folder} already exists; left as it is")
            items.append(item)
            report(item)
            continue
        todo[cand.folder] = (cand, VariantJob(
            exercise=exercise, out=folder, seed=_seed(seed, cand.folder),
            difficulty=cand.difficulty or difficulty, rows=rows, faults=tuple(faults) if faults else None,
        ))
    if todo:
        # spawn: a fresh interpreter per worker, as make_variant's own dataset workers use.
        context = multiprocessing.get_context("spawn")
        with concurrent.futures.ProcessPoolExecutor(max(1, min(jobs, len(todo))), mp_context=context) as pool:
            futures = {pool.submit(make_one, job): cand for cand, job in todo.values()}
            for future in concurrent.futures.as_completed(futures):
                cand = futures[future]
                try:
                    item = RoundItem(cand, Made.MADE, f"variant {future.result()}")
                except FaultlineError as exc:
                    item = RoundItem(cand, Made.FAILED, str(exc))
                items.append(item)
                report(item)
    _update_manifest(manifest, previous, candidates, items, out)
    return items


def _update_manifest(
    manifest: Path, previous: dict[str, Entry], candidates: list[Candidate], items: list[RoundItem], out: Path
) -> None:
    """Keep every earlier line (with the submission path someone may have filled in), add the new ones."""
    usable = {i.candidate.name for i in items if i.outcome is not Made.FAILED}
    entries = dict(previous)
    for cand in candidates:
        key = out / cand.folder / "key"
        if cand.name in usable and cand.name not in entries and (key / "variant.json").is_file():
            entries[cand.name] = Entry(cand.name, None, key)
    write_manifest(manifest, list(entries.values()))
