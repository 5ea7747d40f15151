"""The catalogue's breadth and the variety of its variants."""
from __future__ import annotations

import dataclasses
import json
import re
from pathlib import Path

import numpy as np
import pytest

from faultline.exercises.base import KnobError, Knobs
from faultline.exercises.registry import EXERCISES
from faultline.harness.archive import tree_digest
from faultline.harness.commands.list import catalogue
from faultline.harness.render import fault_namespace, render_tree
from faultline.harness.variant import draw


@pytest.mark.parametrize("exercise", list(EXERCISES))
def test_at_least_90_distinct_variants_in_100_seeds(exercise: str) -> None:
    seen = set()
    for i in range(100):
        for difficulty in ("medium",):
            v = draw(EXERCISES[exercise], seed=f"u{i}", attempt=0, difficulty=difficulty)
            seen.add(json.dumps([[f.id, dict(f.params)] for f in v.faults], sort_keys=True))
    print(f"{exercise}: {len(seen)} distinct variants (faults + parameters) over 100 seeds")
    assert len(seen) >= 90


def test_fault_ids_are_unique_and_described() -> None:
    doc = catalogue()
    ids = [f["id"] for e in doc["exercises"] for f in e["faults"]]
    assert len(ids) == len(set(ids))
    for exercise in doc["exercises"]:
        assert exercise["title"] and len(exercise["faults"]) >= 5
        for fault in exercise["faults"]:
            assert fault["family"] and fault["title"]


def test_fault_parameters_come_from_their_own_stream() -> None:
    # Turning another fault on or off must not change a fault's parameters.
    ex = EXERCISES["retail-events"]
    a = draw(ex, seed="s", attempt=0, fault_ids=["cents-cutover"])
    b = draw(ex, seed="s", attempt=0, fault_ids=["leading-zero-ids", "cents-cutover"])
    assert a.faults[0].params == b.faults[1].params
    # And the data knobs do not reveal which faults are on.
    assert a.knobs == b.knobs


# --- typed knobs -------------------------------------------------------------------------

@pytest.mark.parametrize(
    ("changes", "complaint"),
    [({"timezon": "Asia/Tokyo"}, "'timezon', which is no knob"), ({"id_width": "8"}, "'id_width' to '8'")],
)
def test_a_wrong_knob_is_an_error_at_draw_time(
    changes: dict[str, object], complaint: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    fault = EXERCISES["retail-events"].FAULTS["utc-partition-window"]
    monkeypatch.setattr(fault, "knobs", lambda params: changes)
    with pytest.raises(KnobError, match=complaint) as caught:
        draw(EXERCISES["retail-events"], seed="s", attempt=0)
    assert "utc-partition-window" in str(caught.value)


def test_a_wrong_default_is_an_error_at_definition_time() -> None:
    @dataclasses.dataclass(frozen=True)
    class Bad(Knobs):
        share: float = "five percent"  # type: ignore[assignment]

    with pytest.raises(KnobError, match="'share'"):
        Bad()


@pytest.mark.parametrize("exercise", list(EXERCISES))
def test_knobs_are_frozen_and_every_fault_sets_real_ones(exercise: str) -> None:
    defaults = EXERCISES[exercise].DEFAULT_KNOBS
    with pytest.raises(dataclasses.FrozenInstanceError):
        setattr(defaults, next(iter(defaults)), "changed")
    v = draw(EXERCISES[exercise], seed="k", attempt=0)
    assert type(v.knobs) is type(defaults) and list(v.knobs) == list(defaults)
    for fid, fault in EXERCISES[exercise].FAULTS.items():
        assert set(fault.knobs(v.on.get(fid) or fault.sample(np.random.default_rng(0)))) <= set(defaults)


# --- fault forms against their template sites ------------------------------------------

_COMPARED = re.compile(r"F\.(\w+)\.form\s*(?:==|!=)\s*\"([^\"]*)\"")
_INTERPOLATED = re.compile(r"\{\{\s*F\.(\w+)\.form\s*\}\}")


def _template_text(exercise: str) -> str:
    root = EXERCISES[exercise].TEMPLATES
    return "\n".join(p.read_text() for p in sorted(root.rglob("*.j2")))


@pytest.mark.parametrize("exercise", list(EXERCISES))
def test_forms_in_templates_are_the_literals(exercise: str) -> None:
    faults = EXERCISES[exercise].FAULTS
    by_name = {fid.replace("-", "_"): fault for fid, fault in faults.items()}
    text = _template_text(exercise)
    compared: dict[str, set[str]] = {}
    for name, form in _COMPARED.findall(text):
        assert name in by_name, f"templates test the form of {name}, no fault of {exercise}"
        compared.setdefault(name, set()).add(form)
    interpolated = set(_INTERPOLATED.findall(text))
    for name, fault in by_name.items():
        used = compared.get(name, set())
        # Every form the templates name is one of the fault's Literal...
        assert used <= set(fault.FORMS), (fault.ID, sorted(used - set(fault.FORMS)))
        if not fault.FORMS:
            assert name not in compared and name not in interpolated, f"{fault.ID} has no forms"
            continue
        # ...and every form of the Literal is named at its site, or is the one left to an
        # `else` (or the value is written into the code as it is).
        assert name in interpolated or len(set(fault.FORMS) - used) <= 1, (fault.ID, sorted(set(fault.FORMS) - used))


@pytest.mark.parametrize("exercise", list(EXERCISES))
def test_every_form_renders_its_own_code(exercise: str, tmp_path: Path) -> None:
    # What proves a form reaches its site: each renders a different pipeline. And a value
    # outside the Literal renders like one of its forms (the `else` one) or like the fault
    # switched off (no `else`): no branch of the site is left without a form.
    ex = EXERCISES[exercise]
    interpolated = set(_INTERPOLATED.findall(_template_text(exercise)))
    spec = draw(ex, seed="forms", attempt=0).spec  # templates also read the variant's spec

    def render(on: dict[str, dict[str, object]], name: str) -> str:
        dest = tmp_path / name
        context = {"F": fault_namespace(list(ex.FAULTS), on), "S": spec, "strict": True}
        render_tree(ex.TEMPLATES / "pipeline", dest, context)
        return tree_digest(dest)

    off = render({}, "off")
    for fid, fault in ex.FAULTS.items():
        if not fault.FORMS:
            continue
        params = fault.sample(np.random.default_rng(7))
        rendered = {form: render({fid: {**params, "form": form}}, f"{fid}-{form}") for form in fault.FORMS}
        assert len(set(rendered.values())) == len(fault.FORMS), (fid, rendered)
        if fid.replace("-", "_") not in interpolated:
            stray = render({fid: {**params, "form": "not-a-form"}}, f"{fid}-stray")
            assert stray in {off, *rendered.values()}, f"{fid}: a branch of its site has no form in its Literal"
