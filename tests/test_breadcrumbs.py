"""No render leaves an unused import, name, config entry or helper beside its fault sites."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from faultline.exercises.registry import EXERCISES
from faultline.harness import breadcrumbs
from faultline.harness.build import render_pipeline
from faultline.harness.variant import draw
from tests.test_fault_forms import _with_form, forms_of


@pytest.mark.parametrize("exercise_id", sorted(EXERCISES))
def test_every_form_of_every_fault_leaves_no_breadcrumb(exercise_id: str, tmp_path: Path) -> None:
    exercise = EXERCISES[exercise_id]
    findings = []
    # Two specs per exercise: imports and names may depend on the variant's spec too.
    for seed in ("breadcrumbs-a", "breadcrumbs-b"):
        variant = draw(exercise, seed=seed, attempt=0, rows=3000, fault_ids=list(exercise.FAULTS))
        # The bundle's render validates only part of the contract (strict=False), the others all of it.
        renders = {"reference": (frozenset(), True), "all faults": (frozenset(exercise.FAULTS), True),
                   "the bundle's lax validation": (frozenset(exercise.FAULTS), False)}
        for name, (on, strict) in renders.items():
            where = render_pipeline(exercise, variant, on, tmp_path / seed / name.replace(" ", "-"), strict=strict)
            findings += [f"{seed} {name}: {f}" for f in breadcrumbs.check(where)]
        for fault in exercise.FAULTS.values():
            for i, form in enumerate(forms_of(fault)):
                single, _ = _with_form(variant, fault, form)
                where = render_pipeline(exercise, single, frozenset({fault.ID}), tmp_path / seed / f"{fault.ID}-{i}")
                findings += [f"{seed} {fault.ID} form {form}: {f}" for f in breadcrumbs.check(where)]
    assert findings == []


@pytest.fixture
def render(tmp_path: Path) -> Path:
    exercise = EXERCISES["card-transactions"]
    variant = draw(exercise, seed="planted", attempt=0, rows=3000, fault_ids=["currency-exponent"])
    where = render_pipeline(exercise, variant, frozenset({"currency-exponent"}), tmp_path / "render")
    assert breadcrumbs.check(where) == []
    return where


def _append(path: Path, text: str) -> None:
    path.write_text(path.read_text() + text)


def _insert_after_future(path: Path, line: str) -> None:
    text = path.read_text()
    head = "from __future__ import annotations\n"
    path.write_text(text.replace(head, head + line, 1))


@pytest.mark.parametrize(
    ("plant", "expected"),
    [
        # The fix left beside the faulty line: an exponent table clean.py never reads.
        (lambda ws: _append(ws / "pipeline" / "clean.py", '\nCURRENCY_EXPONENT = {"JPY": 0, "KWD": 3}\n'),
         "unused name 'CURRENCY_EXPONENT'"),
        (lambda ws: _insert_after_future(ws / "pipeline" / "clean.py", "import decimal\n"),
         "unused import 'decimal'"),
        # A config entry nothing else reads, even if config itself uses it.
        (lambda ws: _append(ws / "pipeline" / "config.py", "KM_PER_MILE = 1.609344\nHALF = KM_PER_MILE / 2\n"),
         "unused config entry 'KM_PER_MILE'"),
        (lambda ws: _append(ws / "pipeline" / "joins.py", "\n\ndef latest_registry_row(m):\n    return m\n"),
         "unused name 'latest_registry_row'"),
    ],
    ids=["constant", "import", "config-entry", "helper"],
)
def test_a_planted_unused_name_fails_the_check(render: Path, plant, expected: str) -> None:  # type: ignore[no-untyped-def]
    plant(render)
    with pytest.raises(breadcrumbs.BreadcrumbError) as caught:
        breadcrumbs.require_clean(render, "a planted render")
    assert expected in str(caught.value)


def test_a_name_read_by_another_module_or_a_test_is_used(render: Path, tmp_path: Path) -> None:
    copy = tmp_path / "copy"
    shutil.copytree(render, copy)
    _append(copy / "pipeline" / "config.py", 'EXTRA = "x"\n')
    assert [f.name for f in breadcrumbs.check(copy)] == ["EXTRA"]
    _append(copy / "tests" / "test_contract.py", "\nfrom pipeline.config import EXTRA\n\nassert EXTRA\n")
    assert breadcrumbs.check(copy) == []


def test_the_self_check_raises_on_a_breadcrumb_rather_than_redraw(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from faultline.harness import build

    exercise = EXERCISES["retail-events"]
    real = build.render_pipeline

    def planted(*args, **kwargs):  # type: ignore[no-untyped-def]
        where = real(*args, **kwargs)
        _append(where / "pipeline" / "config.py", "UNUSED_WINDOW = 7\n")
        return where

    monkeypatch.setattr(build, "render_pipeline", planted)
    with pytest.raises(breadcrumbs.BreadcrumbError, match="UNUSED_WINDOW"):
        build.make_variant(exercise, out=tmp_path / "v", seed="planted", rows=2000, fault_ids=["cents-cutover"])
