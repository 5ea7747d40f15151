"""The calibration figures of the README's table, for variants already made.

    python benchmarks/calibrate.py VARIANT [VARIANT ...]

VARIANT is the folder `faultline new --out` wrote (its `candidate/` and `key/`). For each,
prints one row of the README's calibration table without the blind solve's columns:
exercise, difficulty, pipeline lines (the bundle's `pipeline/*.py`), faults, tickets and
the share of the sample's output rows where the bundle differs from the reference (a row
the bundle lacks, adds or holds with another value in any column). Runs the bundle's and
the reference's pipelines on the bundle's sample, each once, in a scratch folder.

How a blind solve runs (the rest of the row): make the variant with `--seed blind-<exercise>
--rows 20000 --difficulty expert`; copy `candidate/` alone into a fresh folder; give a helper
that folder and a scratch folder beside it, and nothing else: no key, no faultline source,
no search, no `/tmp`; stop it at 30 minutes; grade what it hands back with `faultline grade
... --key VARIANT/key`; record the faults fixed and the minutes it took. A graded solve
that loses points where its author's own implementation of the contract disagrees with the
reference is worth a second look at the reference before the row is written.

How a reference audit runs (no row of the table; it checks the score, not the exercise):
give a helper the variant's `candidate/README.md` and `docs/`, the key's `solution/`,
`hidden/` and `expected/`; it writes its own implementation of the contract before reading
the reference, compares the two on the sample and every hidden dataset, and sorts each
disagreement into a reference bug, an ambiguity of the contract or its own mistake, with a
minimal example. It also feeds the reference its records shuffled, and looks for money
that sits on half a cent. This round's audits and solves found four reference faults (see
`tests/test_card_timeline.py`, `tests/test_reference_rules.py`,
`tests/test_money_rounding.py` and `tests/test_order_independence.py`).
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from pathlib import Path

import pandas as pd

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from faultline.graders import compare, keydata  # noqa: E402


def _run(workspace: Path, data: Path, out: Path, output_file: str) -> pd.DataFrame:
    subprocess.run(
        [sys.executable, "-m", "pipeline", "--input", str(data), "--output", str(out)],
        cwd=workspace, check=True, capture_output=True,
    )
    return pd.read_parquet(out / output_file)


def figures(variant: Path, scratch: Path) -> dict[str, object]:
    key = keydata.load(variant / "key")
    doc = json.loads((variant / "key" / "variant.json").read_text())
    bundle = variant / "candidate"
    sample = bundle / "data" / "raw"
    reference = _run(variant / "key" / "solution", sample, scratch / "reference", key.output_file)
    output = _run(bundle, sample, scratch / "bundle", key.output_file)
    cells = compare.cell_diff(reference, output, key.keys, key.specs)
    ref, touched = compare.align_keys([reference, cells], key.keys)
    rows = touched[key.keys].drop_duplicates()
    lines = sum(len(p.read_text().splitlines()) for p in (bundle / "pipeline").glob("*.py"))
    return {
        "exercise": doc["exercise"],
        "difficulty": doc["difficulty"],
        "pipeline_lines": lines,
        "faults": len(doc["faults"]),
        "tickets": sum(1 for f in doc["faults"] if f.get("ticket")),
        # Rows the bundle adds count too, so the share is of the reference's rows plus those.
        "rows_touched": len(rows) / max(1, len(ref.drop_duplicates(subset=key.keys)) + _extra(ref, rows, key.keys)),
    }


def _extra(reference: pd.DataFrame, rows: pd.DataFrame, keys: list[str]) -> int:
    """Touched rows whose key the reference does not hold (rows the bundle adds)."""
    merged = rows.merge(reference[keys].drop_duplicates(), on=keys, how="left", indicator=True)
    return int((merged["_merge"] == "left_only").sum())


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("variants", nargs="+", type=Path)
    args = parser.parse_args(argv)
    for variant in args.variants:
        if not (variant / "key" / "variant.json").is_file() or not (variant / "candidate").is_dir():
            print(f"calibrate: {variant} is not a variant folder (no key/variant.json or candidate/)", file=sys.stderr)
            return 2
    print("| exercise | difficulty | pipeline lines | faults | tickets | sample rows touched |")
    print("|---|---|---|---|---|---|")
    for variant in args.variants:
        with tempfile.TemporaryDirectory(prefix="faultline-calibrate-") as scratch:
            row = figures(variant, Path(scratch))
        print(f"| {row['exercise']} | {row['difficulty']} | {row['pipeline_lines']:,} | {row['faults']} | "
              f"{row['tickets']} | {row['rows_touched']:.0%} |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
