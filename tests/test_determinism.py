"""Same seed and version: the same bytes. Another seed: another variant. The bundle keeps secrets."""
from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest

from faultline.exercises.registry import EXERCISES
from faultline.harness.archive import files_of, sha256_file, tree_digest
from faultline.harness.variant import draw
from tests.conftest import FULL_ROWS, FULL_SEED
from tests.helpers import new_variant

# Three full builds a second time: minutes, so `make test-slow`.
pytestmark = pytest.mark.slow


@pytest.mark.parametrize("exercise", [pytest.param(e, marks=pytest.mark.xdist_group(e)) for e in EXERCISES])
def test_same_seed_same_bytes_other_seed_differs(
    exercise: str, full_variant: Callable[[str], Path], tmp_path: Path
) -> None:
    # The session's shared variant (every fault on, so every fault's renders count) against
    # a fresh build from the same seed: the same bytes.
    a = full_variant(exercise)
    faults = list(EXERCISES[exercise].FAULTS)
    b = new_variant(tmp_path / "b", exercise, FULL_SEED, rows=FULL_ROWS, faults=faults)

    assert sha256_file(a / "candidate.zip") == sha256_file(b / "candidate.zip")
    assert tree_digest(a / "candidate") == tree_digest(b / "candidate")
    # Every byte of the key but measured.json: the reference's run times on this machine.
    assert _digest_without_timings(a / "key") == _digest_without_timings(b / "key")
    assert (a / "key" / "measured.json").is_file()

    # Another seed: every data seed and some parameters change, and so do the data's bytes.
    # (Drawn and generated only: a second full build would cost another 30 s to show that
    # bytes which depend on these differ.)
    doc = json.loads((a / "key" / "variant.json").read_text())
    other = draw(EXERCISES[exercise], seed="det-2", attempt=0, rows=FULL_ROWS, fault_ids=faults)
    assert str(other.sample_seed) != doc["data_seeds"]["sample"]
    assert all(str(other.hidden_seeds[name]) != doc["data_seeds"][name] for name in doc["datasets"])
    assert [dict(f.params) for f in other.faults] != [f["params"] for f in doc["faults"]]
    EXERCISES[exercise].generate(
        tmp_path / "other-sample", seed=other.sample_seed, rows=FULL_ROWS, knobs=other.knobs, spec=other.spec
    )
    assert tree_digest(tmp_path / "other-sample") != tree_digest(a / "candidate" / "data" / "raw")

    doc = json.loads((a / "key" / "variant.json").read_text())
    assert doc["bundle_sha256"] == sha256_file(a / "candidate.zip")
    assert doc["seed"] == FULL_SEED and isinstance(doc["seed"], str)
    for field in ("id", "exercise", "faults", "versions", "datasets"):
        assert field in doc
    assert {"pandas", "pyarrow", "numpy", "python", "faultline"} <= set(doc["versions"])

    # Nothing in the bundle names the seed, the variant, a fault or its family.
    fault_ids = [f["id"] for f in doc["faults"]]
    secrets = [doc["seed"], doc["id"], *fault_ids, *(f.replace("-", "_") for f in fault_ids)]
    for path in files_of(a / "candidate"):
        if path.suffix in {".py", ".md", ".txt", ".json", ".csv"} or path.name == "Makefile":
            text = path.read_text(errors="replace")
            for secret in secrets:
                assert secret not in text, f"{secret!r} appears in {path.relative_to(a)}"


def test_default_seed_is_random_and_128_bit() -> None:
    from faultline.harness.variant import new_seed

    seeds = {new_seed() for _ in range(20)}
    assert len(seeds) == 20
    assert max(int(s) for s in seeds).bit_length() > 100


def _digest_without_timings(key: Path) -> str:
    return "".join(
        f"{p.relative_to(key).as_posix()}:{sha256_file(p)}\n" for p in files_of(key) if p.name != "measured.json"
    )
