"""The faultline command line: parses arguments and calls the library, nothing more."""
from __future__ import annotations

import argparse
import dataclasses
import sys
import traceback
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from faultline.exercises.base import DIFFICULTIES
from faultline.harness.errors import ExitCode, FaultlineError, UsageError
from faultline.harness.sandbox.base import Limits

_SIZE_UNITS = {"k": 1024, "m": 1024**2, "g": 1024**3}


def _size(text: str) -> int:
    """``2g``, ``512m``, ``1048576``: bytes."""
    value = text.strip().lower().removesuffix("b").removesuffix("i")
    factor = _SIZE_UNITS.get(value[-1:], 1)
    number = value[:-1] if value[-1:] in _SIZE_UNITS else value
    try:
        size = int(float(number) * factor)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a size: {text!r} (e.g. 2g, 512m)") from None
    if size <= 0:
        raise argparse.ArgumentTypeError("a size must be positive")
    return size


def _positive(kind: type[int] | type[float]) -> Callable[[str], int | float]:
    def parse(text: str) -> int | float:
        try:
            value = kind(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"not a number: {text!r}") from None
        if value <= 0:
            raise argparse.ArgumentTypeError(f"must be positive: {text!r}")
        return value

    return parse


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="faultline", description="Seeded pipeline-debugging exercises and sandboxed grading."
    )
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    p = sub.add_parser("new", help="make a variant: the candidate's bundle and the secret key")
    p.add_argument("exercise", help="exercise id (see `faultline list`)")
    p.add_argument("--out", required=True, type=Path, help="folder for candidate/, candidate.zip, key/")
    p.add_argument("--seed", help="reproducible seed (default: 128-bit random)")
    p.add_argument("--faults", help="comma-separated fault ids (default: drawn by difficulty)")
    p.add_argument("--rows", type=_positive(int), default=200_000, help="events per dataset (default 200000)")
    p.add_argument("--difficulty", choices=DIFFICULTIES, default="medium")

    p = sub.add_parser("grade", help="grade a submission (folder, .zip or .tar.gz) against a key")
    p.add_argument("submission", type=Path)
    p.add_argument("--key", required=True, type=Path)
    p.add_argument("--out", type=Path, default=Path("faultline-result"),
                   help="folder for result.json, junit.xml, report.html (default faultline-result)")
    p.add_argument("--sandbox", choices=("docker", "local"), default="docker")
    p.add_argument("--json", action="store_true", help="print result.json instead of the summary")
    p.add_argument("--junit", type=Path, help="also write JUnit XML here")
    p.add_argument("--fail-under", type=float, help="exit 1 when the score is below this")
    d = Limits()
    p.add_argument("--timeout", type=_positive(float), default=d.timeout,
                   help=f"seconds per dataset run (default {d.timeout:.0f})")
    p.add_argument("--memory", type=_size, default=d.memory, help="memory limit, swap included (default 2g)")
    p.add_argument("--cpus", type=_positive(float), default=d.cpus, help=f"CPU limit (default {d.cpus:g})")
    p.add_argument("--pids-limit", type=_positive(int), default=d.pids, help=f"process limit (default {d.pids})")

    p = sub.add_parser("explain", help="the answer key of a variant, for the interviewer")
    p.add_argument("--key", required=True, type=Path)
    p.add_argument("--no-diff", action="store_true", help="leave out the bundle's diff")

    p = sub.add_parser("list", help="exercises and their faults")
    p.add_argument("--json", action="store_true")

    p = sub.add_parser("image", help="the Docker sandbox image")
    image_sub = p.add_subparsers(dest="image_command", required=True, metavar="ACTION")
    b = image_sub.add_parser("build", help="build the sandbox image (fast when up to date)")
    b.add_argument("--base", help="base image to build on (default: local or built from Debian packages)")
    b.add_argument("--force", action="store_true", help="rebuild even when up to date")
    _batch_parsers(sub)
    return parser


def _dispatch(args: argparse.Namespace) -> int:
    if args.command == "new":
        from faultline.harness.commands.new import new

        faults = [f.strip() for f in args.faults.split(",") if f.strip()] if args.faults else None
        if args.candidates is not None:  # a round: one variant per candidate (batch)
            return _dispatch_batch(args, faults)
        return new(exercise=args.exercise, out=args.out, seed=args.seed, faults=faults,
                   rows=args.rows, difficulty=args.difficulty)
    if args.command == "grade":
        from faultline.harness.commands.grade import grade

        limits = Limits(timeout=args.timeout, memory=args.memory, cpus=args.cpus, pids=args.pids_limit)
        return grade(submission=args.submission, key=args.key, out=args.out, sandbox=args.sandbox,
                     limits=limits, as_json=args.json, junit=args.junit, fail_under=args.fail_under)
    if args.command in BATCH_COMMANDS:
        return _dispatch_batch(args, None)
    if args.command == "explain":
        from faultline.harness.commands.explain import explain

        return explain(key=args.key, diff=not args.no_diff)
    if args.command == "list":
        from faultline.harness.commands.list import list_

        return list_(as_json=args.json)
    from faultline.harness.image import build_image

    tag = build_image(base=args.base, force=args.force)
    print(f"sandbox image {tag} is ready")
    return ExitCode.OK


# --- grading a round (harness/batch): new --candidates, grade-batch, gradebook ---------------
BATCH_COMMANDS = ("grade-batch", "gradebook")


def _batch_parsers(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.choices["new"]
    p.add_argument("--candidates", type=Path, metavar="FILE.csv",
                   help="a round: one variant per candidate (columns candidate, optional difficulty) "
                        "into OUT/<candidate>/, plus OUT/manifest.csv")
    p.add_argument("--jobs", type=_positive(int), help="with --candidates: variants made at once")

    p = sub.add_parser("grade-batch", help="grade a round: a manifest CSV, or a folder of submissions and --key")
    p.add_argument("source", type=Path, metavar="MANIFEST.csv|FOLDER")
    p.add_argument("--key", type=Path, help="with a folder: the key every submission is graded with")
    p.add_argument("--out", required=True, type=Path, help="folder for results/<candidate>/ and gradebook.sqlite")
    p.add_argument("--jobs", type=_positive(int), help="gradings at once (default: from cores and memory)")
    p.add_argument("--regrade", action="store_true", help="grade again what the gradebook already has")
    p.add_argument("--only", help="comma-separated candidates to grade (default: all)")
    p.add_argument("--sandbox", choices=("docker", "local"), default="docker")
    p.add_argument("--executor", choices=("local", "dask"), default="local",
                   help="local worker processes, or a Dask cluster (needs faultline[dask])")
    p.add_argument("--scheduler", metavar="ADDRESS", help="with --executor dask: the scheduler, e.g. tcp://host:8786")
    p.add_argument("--shared-dir", type=Path,
                   help="with --executor dask: the folder every worker sees at the same path; "
                        "submissions and keys must lie in it")
    d = Limits()
    p.add_argument("--timeout", type=_positive(float), default=d.timeout,
                   help=f"seconds per dataset run (default {d.timeout:.0f})")
    p.add_argument("--deadline", type=_positive(float), help="seconds per submission, across its datasets")
    p.add_argument("--memory", type=_size, default=d.memory, help="memory limit, swap included (default 2g)")
    p.add_argument("--cpus", type=_positive(float), default=d.cpus, help=f"CPU limit (default {d.cpus:g})")
    p.add_argument("--pids-limit", type=_positive(int), default=d.pids, help=f"process limit (default {d.pids})")

    p = sub.add_parser("gradebook", help="print or export a batch's gradebook")
    p.add_argument("folder", type=Path, help="the --out folder of grade-batch")
    p.add_argument("--csv", type=Path, metavar="FILE", help="write one row per candidate to FILE")
    p.add_argument("--json", action="store_true")
    p.add_argument("--similar", action="store_true",
                   help="pairs of candidates whose changes are near-identical (evidence, never a verdict)")
    p.add_argument("--threshold", type=_positive(float), default=0.8, help="with --similar: lowest score (0-1)")


def _batch_limits(args: argparse.Namespace) -> Limits:
    fields = {f.name for f in dataclasses.fields(Limits)}
    extra: dict[str, Any] = {}
    if args.deadline is not None:
        if "deadline" not in fields:  # the overall deadline comes with the sandbox's Limits.deadline
            raise UsageError("--deadline needs a sandbox with an overall deadline (not in this build)")
        extra["deadline"] = args.deadline
    return Limits(timeout=args.timeout, memory=args.memory, cpus=args.cpus, pids=args.pids_limit, **extra)


def _dispatch_batch(args: argparse.Namespace, faults: list[str] | None) -> int:
    if args.command == "new":
        from faultline.harness.commands.round import new_round

        return new_round(exercise=args.exercise, candidates=args.candidates, out=args.out, seed=args.seed,
                         faults=faults, rows=args.rows, difficulty=args.difficulty, jobs=args.jobs)
    if args.command == "grade-batch":
        from faultline.harness.commands.grade_batch import grade_batch

        only = [c.strip() for c in args.only.split(",") if c.strip()] if args.only else None
        return grade_batch(source=args.source, key=args.key, out=args.out, sandbox=args.sandbox,
                           limits=_batch_limits(args), jobs=args.jobs, regrade=args.regrade, only=only,
                           executor=args.executor, scheduler=args.scheduler, shared_dir=args.shared_dir)
    from faultline.harness.commands.gradebook import gradebook

    if args.threshold > 1:
        raise UsageError("--threshold is a similarity between 0 and 1")
    return gradebook(folder=args.folder, csv_path=args.csv, as_json=args.json, similar=args.similar,
                     threshold=args.threshold)
# --- end of grading a round -----------------------------------------------------------------


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)  # exits 2 with a one-line usage error
    try:
        return int(_dispatch(args))
    except FaultlineError as exc:
        print(f"faultline: {exc}", file=sys.stderr)
        return int(exc.exit_code)
    except BrokenPipeError:  # `faultline list | head`: the reader left; not an error
        sys.stderr.close()
        return int(ExitCode.OK)
    except KeyboardInterrupt:
        print("faultline: interrupted", file=sys.stderr)
        return int(ExitCode.INTERRUPTED)
    except Exception:  # a bug in faultline: the one place a traceback is shown
        traceback.print_exc()
        print("faultline: internal error (a bug; please report it with the traceback above)", file=sys.stderr)
        return int(ExitCode.INTERNAL)
