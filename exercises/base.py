"""What an exercise and a fault are.

An exercise is a domain pipeline: a data generator, the pipeline's code as Jinja2
templates with fault sites, public tests and a brief. A fault is one entry of an
exercise's catalogue: it draws its parameters from its own random stream, may set
knobs of the data generator (so that the data holds what the fault trips over), and
tells its incident ticket and its answer-key explanation. Exercises know nothing of
sandboxes, grading or the CLI.
"""
from __future__ import annotations

import dataclasses
import datetime as dt
import importlib
import typing
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path
from typing import Any, Literal, Protocol, Self

import numpy as np

Difficulty = Literal["easy", "medium", "hard", "expert"]
DIFFICULTIES: tuple[Difficulty, ...] = ("easy", "medium", "hard", "expert")
Params = Mapping[str, Any]


def from_generator(module: str, name: str) -> Callable[..., Any]:
    """``name`` of an exercise's generator module, imported on first call: generators need
    pandas, and commands such as `faultline list` must start without it."""

    def call(*args: Any, **kwargs: Any) -> Any:
        return getattr(importlib.import_module(module), name)(*args, **kwargs)

    call.__name__ = call.__qualname__ = name
    return call


@dataclasses.dataclass(frozen=True)
class Units:
    """What a ticket counts in an exercise's output: its rows, entities and days."""

    rows: str  # plural noun of one output row: "attempts", "user-days"
    entity: str  # the output column naming who a row is about: "card_id"
    entities: str  # its plural noun: "cards"
    day: str  # the output column giving a row's day (a date, or a timestamp read in the sample's timezone)


@dataclasses.dataclass(frozen=True)
class Footprint:
    """Where one fault alone changes the output on the sample: what its ticket may state.

    Built by the self-check from the reference's and the single-fault render's outputs
    (harness.tickets). ``facts`` names each quantity a ticket may claim; a Claim names one.
    """

    facts: Mapping[str, float | str]

    def __getitem__(self, name: str) -> float | str:
        return self.facts[name]

    def get(self, name: str, default: float | str | None = None) -> float | str | None:
        return self.facts.get(name, default)


@dataclasses.dataclass(frozen=True)
class Claim:
    """One quantity a ticket states: ``low <= footprint[fact] <= high`` must hold on the sample.

    Numbers are bounds (equal bounds state an exact value); text facts (a date, a direction)
    are stated with equal bounds. ``words`` are the ticket's words that state it.
    """

    fact: str
    low: float | str
    high: float | str
    words: str

    def holds(self, footprint: Footprint) -> bool:
        value = footprint.get(self.fact)
        if value is None:
            return False
        if isinstance(self.low, str) or isinstance(value, str):
            return str(self.low) <= str(value) <= str(self.high)
        return float(self.low) <= float(value) <= float(self.high)


@dataclasses.dataclass(frozen=True)
class Ticket:
    """An incident ticket: its text, and the quantities it states as checkable claims."""

    text: str
    claims: tuple[Claim, ...] = ()


@dataclasses.dataclass(frozen=True)
class SampleFacts:
    """What a ticket may cite about the candidate's sample data (never the hidden data)."""

    start_date: dt.date
    end_date: dt.date
    timezone: str
    # The variant's feature specification (the exercise's frozen Spec): tickets name the
    # variant's own columns and windows. It is public: the bundle's README states it.
    spec: Any = None
    # The fault's own footprint on the sample, set per fault before its ticket is written.
    footprint: Footprint | None = None


class KnobError(ValueError):
    """A knob that does not exist, or a value of the wrong type: a bug in an exercise."""


class Knobs(Mapping[str, Any]):
    """Base of an exercise's data-generator settings: subclass it as a frozen dataclass.

    The dataclass's fields are the only knobs there are, with their types and defaults.
    ``changed()`` refuses an unknown name or a value of the wrong type, and the defaults are
    checked when the class is instantiated, so a misspelled knob fails at definition or
    draw time instead of being silently ignored. It reads as a mapping (generators index
    it, variant.json stores it as an object).
    """

    def __post_init__(self) -> None:
        self._check({f.name: getattr(self, f.name) for f in dataclasses.fields(self)}, "the defaults")  # type: ignore[arg-type]

    def changed(self, changes: Mapping[str, Any], *, source: str) -> Self:
        """A copy with ``changes`` applied; ``source`` names who asked, for the error."""
        self._check(changes, source)
        return dataclasses.replace(self, **changes)  # type: ignore[type-var]

    def _check(self, values: Mapping[str, Any], source: str) -> None:
        hints = typing.get_type_hints(type(self))
        names = list(self)
        for name, value in values.items():
            if name not in names:
                raise KnobError(f"{source} sets {name!r}, which is no knob of {type(self).__qualname__} ({names})")
            expected = hints[name]
            allowed = typing.get_args(expected) if typing.get_origin(expected) is Literal else None
            if allowed is not None:
                ok = value in allowed
            elif expected is float:
                ok = isinstance(value, int | float) and not isinstance(value, bool)
            elif expected is int:
                ok = isinstance(value, int) and not isinstance(value, bool)
            elif typing.get_origin(expected) is not None:  # list[str] and the like: the container
                ok = isinstance(value, typing.get_origin(expected))
            else:
                ok = isinstance(value, expected)
            if not ok:
                raise KnobError(f"{source} sets {name!r} to {value!r}, not a {expected}")

    def __getitem__(self, name: str) -> Any:
        if name not in self:
            raise KeyError(name)
        return getattr(self, name)

    def __contains__(self, name: object) -> bool:
        return name in {f.name for f in dataclasses.fields(self)}  # type: ignore[arg-type]

    def __iter__(self) -> Iterator[str]:
        return iter([f.name for f in dataclasses.fields(self)])  # type: ignore[arg-type]

    def __len__(self) -> int:
        return len(dataclasses.fields(self))  # type: ignore[arg-type]


PoisonKind = Literal["invalid", "valid"]


@dataclasses.dataclass(frozen=True)
class Poison:
    """A poisoned export the contract describes: one the pipeline must refuse (``invalid``)
    or an unusual one it must get right (``valid``).

    ``mutate(root, rng, spec)`` turns a freshly generated export in ``root`` into the
    poisoned one, drawing only from ``rng``. ``words``: a refusal message naming the problem
    holds at least one of them (case-insensitive); empty for valid exports.
    """

    name: str  # kebab-case, unique within the exercise; the dataset's folder in the key
    kind: PoisonKind
    problem: str  # what is unusual or wrong, in one sentence, for the interviewer
    words: tuple[str, ...]
    mutate: Callable[[Path, np.random.Generator, Any], None]


class Fault(Protocol):
    """One fault of an exercise's catalogue; each is a small module."""

    ID: str  # stable, kebab-case; also the name of its grader test
    FAMILY: str  # row-loss, duplication, types, time, units, leakage, schema-drift, ...
    TITLE: str  # one line for `faultline list`

    @property
    def FORMS(self) -> tuple[str, ...]:  # a Literal's values: how its site is written; () for one way
        ...  # read-only, so that a module's tuple of a Literal satisfies it

    def sample(self, rng: np.random.Generator) -> dict[str, Any]:
        """Draw this fault's parameters (JSON-able) from its own stream."""
        ...

    def knobs(self, params: Params) -> dict[str, Any]:
        """Data-generator settings this fault needs (names of the exercise's Knobs fields)."""
        ...

    def ticket(self, params: Params, difficulty: Difficulty, facts: SampleFacts) -> Ticket:
        """The incident ticket: the symptom a stakeholder saw, never the cause.

        Its quantities come from ``facts.footprint`` and are returned as claims;
        difficulty sets how precisely they are stated, never whether they are true.
        """
        ...

    def explain(self, params: Params) -> str:
        """The answer key: the cause and the fix, for the interviewer."""
        ...


class Exercise(Protocol):
    """An exercise module. Read-only members, so that a module's literals satisfy them."""

    @property
    def ID(self) -> str: ...
    @property
    def TITLE(self) -> str: ...
    @property
    def SUMMARY(self) -> str: ...
    @property
    def FAULTS(self) -> Mapping[str, Fault]: ...
    @property
    def TEMPLATES(self) -> Path:  # a tree; files ending in .j2 are rendered, others copied
        ...
    @property
    def KEY_COLUMNS(self) -> tuple[str, ...]: ...
    @property
    def OUTPUT_FILE(self) -> str:  # what the entry point writes into --output
        ...
    @property
    def DEFAULT_KNOBS(self) -> Knobs: ...
    @property
    def UNITS(self) -> Units:  # what tickets count in the output
        ...
    @property
    def DIFFICULTIES(self) -> tuple[Difficulty, ...]:  # the difficulties this exercise offers
        ...
    # An exercise that offers `expert` also has (module attributes, read with getattr):
    # INTERACTING, pairs of fault ids that change some of the same cells on the sample (one
    # masks or mimics the other), and NARROW, faults whose trace on the sample is confined
    # to one day, partition or category. harness.build checks both in an expert draw.

    def money_columns(self, spec: Any) -> Mapping[str, float]:
        """The output's money columns under ``spec`` -> their minor unit (0.01: cents)."""
        ...

    def generate(
        self, out: Path, *, seed: int, rows: int, knobs: Mapping[str, Any], spec: Any
    ) -> SampleFacts:
        """Write one raw input dataset into ``out`` from ``seed``; same inputs, same bytes."""
        ...

    def draw_spec(self, rng: np.random.Generator) -> Any:
        """The variant's slice of the feature specification: a frozen record, JSON-able
        through ``dataclasses.asdict``, rendered into the pipeline and the README as ``S``."""
        ...

    def spec_from_json(self, doc: Mapping[str, Any]) -> Any:
        """The Spec back from its ``variant.json`` form."""
        ...

    def poisons(self) -> tuple[Poison, ...]:
        """The exercise's poisoned exports (at least three, of both kinds)."""
        ...

    def hidden_knobs(self, knobs: Mapping[str, Any], rng: np.random.Generator) -> dict[str, Any]:
        """Knobs of one hidden dataset: every knob a fault depends on drawn afresh within
        the contract, so that a fix fitted to the sample's knobs does not hold there."""
        ...
