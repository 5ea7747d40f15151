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
from collections.abc import Mapping
from pathlib import Path
from typing import Any, Literal, Protocol

import numpy as np

Difficulty = Literal["easy", "medium", "hard"]
DIFFICULTIES: tuple[Difficulty, ...] = ("easy", "medium", "hard")
Params = Mapping[str, Any]


@dataclasses.dataclass(frozen=True)
class SampleFacts:
    """What a ticket may cite about the candidate's sample data (never the hidden data)."""

    start_date: dt.date
    end_date: dt.date
    timezone: str
    # The variant's feature specification (the exercise's frozen Spec): tickets name the
    # variant's own columns and windows. It is public: the bundle's README states it.
    spec: Any = None


class Fault(Protocol):
    """One fault of an exercise's catalogue; each is a small module."""

    ID: str  # stable, kebab-case; also the name of its grader test
    FAMILY: str  # row-loss, duplication, types, time, units, leakage, schema-drift, ...
    TITLE: str  # one line for `faultline list`

    def sample(self, rng: np.random.Generator) -> dict[str, Any]:
        """Draw this fault's parameters (JSON-able) from its own stream."""
        ...

    def knobs(self, params: Params) -> dict[str, Any]:
        """Data-generator settings this fault needs when it is on."""
        ...

    def ticket(self, params: Params, difficulty: Difficulty, facts: SampleFacts) -> str:
        """The incident ticket: the symptom a stakeholder saw, never the cause."""
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
    def DEFAULT_KNOBS(self) -> Mapping[str, Any]: ...

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

    def hidden_knobs(self, knobs: Mapping[str, Any], rng: np.random.Generator) -> dict[str, Any]:
        """Knobs of one hidden dataset: every knob a fault depends on drawn afresh within
        the contract, so that a fix fitted to the sample's knobs does not hold there."""
        ...
