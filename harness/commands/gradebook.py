from __future__ import annotations

import json
import sys
from pathlib import Path

from faultline.harness.batch.export import records, to_csv
from faultline.harness.batch.gradebook import latest, open_readonly
from faultline.harness.batch.summary import table
from faultline.harness.errors import ExitCode, UsageError


def gradebook(*, folder: Path, csv_path: Path | None, as_json: bool, similar: bool, threshold: float) -> int:
    rows = latest(open_readonly(folder))
    if csv_path is not None:
        try:
            csv_path.write_text(to_csv(rows))
        except OSError as exc:
            raise UsageError(f"cannot write {csv_path}: {exc.strerror}") from None
        print(f"{len(rows)} candidate(s) written to {csv_path}", file=sys.stderr)
    if similar:
        from faultline.harness.batch.similar import pairs, render

        found = pairs(rows, threshold=threshold)
        if as_json:
            print(json.dumps([p.to_json() for p in found], indent=2))
        else:
            print(render(found, len(rows), threshold))
        return ExitCode.OK
    if as_json:
        print(json.dumps(records(rows), indent=2))
    elif csv_path is None:
        print(table(rows) if rows else "the gradebook is empty")
    return ExitCode.OK
