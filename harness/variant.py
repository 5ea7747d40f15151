"""Drawing a variant: faults, their parameters and the data seeds, all from one seed."""
from __future__ import annotations

import dataclasses
import hashlib
import secrets
from collections.abc import Mapping
from typing import Any

import numpy as np

from faultline.exercises.base import DIFFICULTIES, Difficulty, Exercise, Knobs
from faultline.harness.errors import UsageError

HIDDEN_DATASETS = ("h1", "h2", "h3")
# How many faults a variant switches on, by difficulty.
FAULT_COUNT: Mapping[Difficulty, int] = {"easy": 2, "medium": 3, "hard": 5, "expert": 6}
# How many of them have no ticket: found from the contract and the data alone.
UNTICKETED: Mapping[Difficulty, int] = {"easy": 0, "medium": 0, "hard": 0, "expert": 2}


def new_seed() -> str:
    """A 128-bit seed: too many to try for a candidate who holds the public harness."""
    return str(secrets.randbits(128))


def stream(seed: str, *names: object) -> np.random.Generator:
    """An independent random stream for one purpose, derived from the variant seed."""
    label = "/".join(["faultline", seed, *map(str, names)]).encode()
    return np.random.default_rng(int.from_bytes(hashlib.sha256(label).digest()[:16], "big"))


def stream_seed(seed: str, *names: object) -> int:
    return int(stream(seed, *names).integers(0, 2**63 - 1))


@dataclasses.dataclass(frozen=True)
class ChosenFault:
    id: str
    params: Mapping[str, Any]


@dataclasses.dataclass(frozen=True)
class Variant:
    exercise: str
    seed: str
    attempt: int
    difficulty: Difficulty
    rows: int
    faults: tuple[ChosenFault, ...]
    knobs: Knobs  # the sample's
    sample_seed: int
    hidden_seeds: Mapping[str, int]
    spec: Any  # the exercise's frozen Spec: the variant's slice of the feature specification
    hidden_knobs: Mapping[str, Knobs]  # per hidden dataset, drawn afresh
    unticketed: tuple[str, ...] = ()  # faults no ticket describes (expert)

    @property
    def id(self) -> str:
        digest = hashlib.sha256(f"{self.exercise}/{self.seed}/{self.attempt}".encode()).hexdigest()
        return f"{self.exercise}-{digest[:12]}"

    @property
    def on(self) -> dict[str, Mapping[str, Any]]:
        return {f.id: f.params for f in self.faults}


def choose_faults(
    exercise: Exercise, rng: np.random.Generator, difficulty: Difficulty
) -> list[str]:
    """Pick faults of distinct families first, so a variant tests several kinds of bug."""
    ids = list(exercise.FAULTS)
    count = min(FAULT_COUNT[difficulty], len(ids))
    order = [ids[i] for i in rng.permutation(len(ids))]
    chosen: list[str] = []
    families: set[str] = set()
    if difficulty == "expert":
        # An expert variant holds a pair of faults that interact on the sample (one masks or
        # mimics the other) and a fault whose trace is confined to a narrow slice.
        pairs: list[tuple[str, str]] = list(getattr(exercise, "INTERACTING", ()))
        narrow = list(getattr(exercise, "NARROW", ()))
        if pairs:
            chosen += list(pairs[int(rng.integers(len(pairs)))])
        slim = [fid for fid in narrow if fid not in chosen]
        if slim:
            chosen.append(slim[int(rng.integers(len(slim)))])
        families = {exercise.FAULTS[fid].FAMILY for fid in chosen}
    for fid in order:
        if fid in chosen:
            continue
        if exercise.FAULTS[fid].FAMILY not in families:
            chosen.append(fid)
            families.add(exercise.FAULTS[fid].FAMILY)
    chosen += [fid for fid in order if fid not in chosen]
    picked = set(chosen[:count])
    return [fid for fid in ids if fid in picked]  # catalogue order: stable, readable


def draw(
    exercise: Exercise,
    *,
    seed: str,
    attempt: int,
    difficulty: Difficulty = "medium",
    rows: int = 200_000,
    fault_ids: list[str] | None = None,
) -> Variant:
    if difficulty not in DIFFICULTIES:
        raise UsageError(f"unknown difficulty {difficulty!r}; choose one of {', '.join(DIFFICULTIES)}")
    offered = tuple(getattr(exercise, "DIFFICULTIES", DIFFICULTIES))
    if difficulty not in offered:
        raise UsageError(f"{exercise.ID} offers {', '.join(offered)}, not {difficulty}")
    if fault_ids is None:
        fault_ids = choose_faults(exercise, stream(seed, attempt, "choice"), difficulty)
    else:
        unknown = [f for f in fault_ids if f not in exercise.FAULTS]
        if unknown:
            raise UsageError(
                f"unknown fault {unknown[0]!r} for {exercise.ID}; "
                f"`faultline list` shows its faults"
            )
        if not fault_ids:
            raise UsageError("--faults needs at least one fault id")
        repeated = sorted({f for f in fault_ids if fault_ids.count(f) > 1})
        if repeated:  # a fault on twice would still be one fault, scored twice
            raise UsageError(f"--faults names {repeated[0]!r} more than once")
    # Every fault of the catalogue draws its parameters and sets its data knobs, on or off,
    # from its own stream: the data never tells which faults are on (a store timezone, say).
    # A knob the exercise does not have is an error here (KnobError), never ignored.
    knobs = exercise.DEFAULT_KNOBS
    params = {}
    for fid, fault in exercise.FAULTS.items():
        params[fid] = fault.sample(stream(seed, attempt, "fault", fid))
        knobs = knobs.changed(fault.knobs(params[fid]), source=f"fault {fid} of {exercise.ID}")
    faults = tuple(ChosenFault(fid, params[fid]) for fid in fault_ids)
    # The specification and each hidden dataset's knobs have streams of their own, so that
    # drawing them leaves every other draw of the seed as it was.
    spec = exercise.draw_spec(stream(seed, attempt, "spec"))
    hidden_knobs = {
        name: knobs.changed(
            exercise.hidden_knobs(knobs, stream(seed, attempt, "knobs", name)), source=f"hidden knobs of {name}"
        )
        for name in HIDDEN_DATASETS
    }
    # Which faults go without a ticket: a stream of its own, among the faults switched on.
    silent = min(UNTICKETED[difficulty], max(0, len(fault_ids) - 1))
    order = stream(seed, attempt, "unticketed").permutation(len(fault_ids))
    unticketed = tuple(fid for i, fid in enumerate(fault_ids) if i in set(order[:silent].tolist()))
    return Variant(
        exercise=exercise.ID,
        seed=seed,
        attempt=attempt,
        difficulty=difficulty,
        rows=rows,
        faults=faults,
        knobs=knobs,
        sample_seed=stream_seed(seed, attempt, "data", "sample"),
        hidden_seeds={name: stream_seed(seed, attempt, "data", name) for name in HIDDEN_DATASETS},
        spec=spec,
        hidden_knobs=hidden_knobs,
        unticketed=unticketed,
    )
