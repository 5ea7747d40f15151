"""The valid poisoned exports: does the candidate's output equal the reference's?

Only the outputs are read here, as for the hidden datasets: the host never parses them.
Whether a run refused an invalid export is told by its exit code and log, on the host
(faultline.harness.signals.poisoned). A poisoned export's output is found under the
outputs folder as ``<name>/<output_file>``, its reference as
``key/poisoned/<name>/expected/<output_file>``.
"""
from __future__ import annotations

from pathlib import Path
from typing import Any

import pandas as pd
import pyarrow.parquet as pq

from . import compare
from .keydata import KeyProblem, KeyView
from .outputs import BadOutput, read_output


def compare_valid(view: KeyView, outputs: Path) -> dict[str, dict[str, Any]]:
    """Per valid poisoned export: ``equal`` and a ``message`` saying how it differs."""
    verdicts = {}
    for name in view.valid_poisoned:
        expected = view.root / "poisoned" / name / "expected" / view.output_file
        try:
            reference = pd.read_parquet(expected)
            contract = pq.read_schema(expected).remove_metadata()
        except Exception as exc:  # noqa: BLE001
            raise KeyProblem(f"the expected output of poisoned export {name} is unreadable: {exc}") from None
        verdicts[name] = _judge(reference, contract, outputs / name / view.output_file, view)
    return verdicts


def _judge(reference: pd.DataFrame, contract: Any, path: Path, view: KeyView) -> dict[str, Any]:
    try:
        output, _ = read_output(path, max_rows=10 * len(reference) + 10_000, contract=contract)
        missing = [c for c in reference.columns if c not in output.columns]
        if missing:
            return {"equal": False, "cells": None, "message": f"the output has no column {missing[0]!r}"}
        cells = compare.cell_diff(reference, output[list(reference.columns)], view.keys, view.specs)
    except BadOutput as exc:
        return {"equal": False, "cells": None, "message": str(exc)}
    except Exception as exc:  # noqa: BLE001 (whatever the output holds is graded, never a crash)
        message = f"the graders could not compare this output ({type(exc).__name__})"
        return {"equal": False, "cells": None, "message": message}
    if cells.empty:
        return {"equal": True, "cells": 0, "message": ""}
    columns = cells["column"].value_counts().head(3)
    where = ", ".join(f"{c} ({n})" for c, n in columns.items())
    return {"equal": False, "cells": int(len(cells)),
            "message": f"{len(cells)} cells differ from the reference's output, in {where}"}
