"""The faultline command line: parses arguments and calls the library, nothing more."""
from __future__ import annotations

import argparse
import logging
import sys
import traceback
from collections.abc import Sequence
from typing import Any, NoReturn

from faultline import __version__
from faultline.exercises.base import DIFFICULTIES
from faultline.harness import argtypes
from faultline.harness.errors import ExitCode, FaultlineError, UsageError
from faultline.harness.sandbox.base import Limits


class _Parser(argparse.ArgumentParser):
    """argparse, but a usage error is one line (argparse prints the whole usage first)."""

    def error(self, message: str) -> NoReturn:
        command = self.prog.removeprefix("faultline").strip()  # "grade", "image build", or none
        where = f"{command}: " if command else ""
        self.exit(ExitCode.USAGE, f"faultline: {where}{message} (see `{self.prog} --help`)\n")


def _parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="faultline", description="Seeded pipeline-debugging exercises and sandboxed grading.")
    parser.add_argument("--version", action="version", version=f"faultline {__version__}")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    p = sub.add_parser("new", help="make a variant: the candidate's bundle and the secret key")
    p.add_argument("exercise", type=argtypes.nonempty, help="exercise id (see `faultline list`)")
    p.add_argument("--out", required=True, type=argtypes.path, help="folder for candidate/, candidate.zip, key/")
    p.add_argument("--seed", type=argtypes.nonempty, help="reproducible seed (default: 128-bit random)")
    p.add_argument("--faults", type=argtypes.fault_ids,
                   help="comma-separated fault ids (default: drawn by difficulty)")
    p.add_argument("--rows", type=argtypes.rows, default=200_000,
                   help=f"events per dataset, at least {argtypes.MIN_ROWS} (default 200000)")
    p.add_argument("--difficulty", choices=DIFFICULTIES, default="medium")

    d = Limits()
    p = sub.add_parser("grade", help="grade a submission (folder, .zip or .tar.gz) against a key")
    p.add_argument("submission", type=argtypes.path)
    p.add_argument("--key", required=True, type=argtypes.path)
    p.add_argument("--out", type=argtypes.path, default=argtypes.path("faultline-result"),
                   help="folder for result.json, junit.xml, report.html (default faultline-result)")
    p.add_argument("--sandbox", choices=("docker", "local"), default="docker")
    p.add_argument("--json", action="store_true", help="print result.json instead of the summary")
    p.add_argument("--junit", type=argtypes.path, help="also write JUnit XML here")
    p.add_argument("--fail-under", type=argtypes.percent, metavar="PERCENT",
                   help="exit 1 when the score is below this percentage of the maximum (0-100)")
    p.add_argument("--feedback", choices=("candidate",),
                   help="also write feedback.html for the candidate: tickets fixed or not, nothing from the key")
    p.add_argument("--timeout", type=argtypes.timeout, default=d.timeout,
                   help=f"seconds per dataset run (default {d.timeout:.0f})")
    p.add_argument("--deadline", type=argtypes.deadline,
                   help="seconds for the whole submission, across its datasets (default 2x --timeout)")
    p.add_argument("--test-points", type=argtypes.test_points, default=0, metavar="N",
                   help="points per fault the candidate's own tests catch (default 0: evidence only)")
    # Docker-only limits default to None, so that `--sandbox local` can tell they were given.
    p.add_argument("--memory", type=argtypes.memory,
                   help=f"memory limit, swap included, at least {argtypes.MIN_MEMORY // 1024**2}m (default 2g)")
    p.add_argument("--cpus", type=argtypes.cpus, help=f"CPU limit, at most this machine's (default {d.cpus:g})")
    p.add_argument("--pids-limit", type=argtypes.pids,
                   help=f"process limit, at least {argtypes.MIN_PIDS} (default {d.pids})")

    p = sub.add_parser("explain", help="the answer key of a variant, for the interviewer")
    p.add_argument("--key", required=True, type=argtypes.path)
    p.add_argument("--no-diff", action="store_true", help="leave out the bundle's diff")

    p = sub.add_parser("list", help="exercises and their faults")
    p.add_argument("--json", action="store_true")

    p = sub.add_parser("image", help="the Docker sandbox image")
    image_sub = p.add_subparsers(dest="image_command", required=True, metavar="ACTION")
    b = image_sub.add_parser("build", help="build the sandbox image (fast when up to date)")
    b.add_argument("--base", type=argtypes.nonempty,
                   help="base image to build on (default: local or built from Debian packages)")
    b.add_argument("--force", action="store_true", help="rebuild even when up to date")
    _batch_parsers(sub)
    return parser


def _dispatch(args: argparse.Namespace) -> int:
    if args.command == "new":
        from faultline.harness.commands.new import new

        if args.candidates is not None:  # a round: one variant per candidate (batch)
            return _dispatch_batch(args)
        return new(exercise=args.exercise, out=args.out, seed=args.seed, faults=args.faults,
                   rows=args.rows, difficulty=args.difficulty)
    if args.command == "grade":
        from faultline.harness.commands.grade import grade

        return grade(submission=args.submission, key=args.key, out=args.out, sandbox=args.sandbox,
                     timeout=args.timeout, memory=args.memory, cpus=args.cpus, pids=args.pids_limit,
                     deadline=args.deadline, as_json=args.json, junit=args.junit, fail_under=args.fail_under,
                     feedback=args.feedback == "candidate", test_points=args.test_points)
    if args.command in BATCH_COMMANDS:
        return _dispatch_batch(args)
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


def _batch_parsers(sub: argparse._SubParsersAction[Any]) -> None:
    p = sub.choices["new"]
    p.add_argument("--candidates", type=argtypes.path, metavar="FILE.csv",
                   help="a round: one variant per candidate (columns candidate, optional difficulty) "
                        "into OUT/<candidate>/, plus OUT/manifest.csv")
    p.add_argument("--jobs", type=_count, metavar="N", help="with --candidates: variants made at once")

    d = Limits()
    p = sub.add_parser("grade-batch", help="grade a round: a manifest CSV, or a folder of submissions and --key")
    p.add_argument("source", type=argtypes.path, metavar="MANIFEST.csv|FOLDER")
    p.add_argument("--key", type=argtypes.path, help="with a folder: the key every submission is graded with")
    p.add_argument("--out", required=True, type=argtypes.path,
                   help="folder for results/<candidate>/ and gradebook.sqlite")
    p.add_argument("--jobs", type=_count, metavar="N", help="gradings at once (default: from cores and memory)")
    p.add_argument("--regrade", action="store_true", help="grade again what the gradebook already has")
    p.add_argument("--only", type=_names, metavar="NAME,...", help="candidates to grade (default: all)")
    p.add_argument("--sandbox", choices=("docker", "local"), default="docker")
    p.add_argument("--executor", choices=("local", "dask"), default="local",
                   help="local worker processes, or a Dask cluster (needs faultline[dask])")
    p.add_argument("--scheduler", type=argtypes.nonempty, metavar="ADDRESS",
                   help="with --executor dask: the scheduler, e.g. tcp://host:8786")
    p.add_argument("--shared-dir", type=argtypes.path,
                   help="with --executor dask: the folder every worker sees at the same path; "
                        "submissions and keys must lie in it")
    p.add_argument("--timeout", type=argtypes.timeout, default=d.timeout,
                   help=f"seconds per dataset run (default {d.timeout:.0f})")
    p.add_argument("--deadline", type=argtypes.deadline, help="seconds per submission, across its datasets")
    p.add_argument("--test-points", type=argtypes.test_points, default=0, metavar="N",
                   help="points per fault the candidate's own tests catch (default 0: evidence only)")
    # Docker-only limits default to None, as for grade: --sandbox local refuses them.
    p.add_argument("--memory", type=argtypes.memory, help="memory limit, swap included (default 2g)")
    p.add_argument("--cpus", type=argtypes.cpus, help=f"CPU limit per grading (default {d.cpus:g})")
    p.add_argument("--pids-limit", type=argtypes.pids, help=f"process limit (default {d.pids})")

    p = sub.add_parser("gradebook", help="print or export a batch's gradebook")
    p.add_argument("folder", type=argtypes.path, help="the --out folder of grade-batch")
    p.add_argument("--csv", type=argtypes.path, metavar="FILE", help="write one row per candidate to FILE")
    p.add_argument("--json", action="store_true")
    p.add_argument("--similar", action="store_true",
                   help="pairs of candidates whose changes are near-identical (evidence, never a verdict)")
    p.add_argument("--threshold", type=_fraction, default=0.8, help="with --similar: lowest similarity, 0-1")


def _count(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a whole number: {text!r}") from None
    if not 1 <= value <= 1024:
        raise argparse.ArgumentTypeError(f"must be between 1 and 1024: {text!r}")
    return value


def _names(text: str) -> list[str]:
    names = [n.strip() for n in text.split(",") if n.strip()]
    if not names:
        raise argparse.ArgumentTypeError("names no candidate")
    return names


def _fraction(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number: {text!r}") from None
    if not 0 < value <= 1:
        raise argparse.ArgumentTypeError(f"must be above 0 and at most 1: {text!r}")
    return value


def _batch_limits(args: argparse.Namespace) -> Limits:
    if args.sandbox == "local":
        given = [f for f, v in (("--memory", args.memory), ("--cpus", args.cpus), ("--pids-limit", args.pids_limit))
                 if v is not None]
        if given:
            raise UsageError(f"{' and '.join(given)}: --sandbox local cannot enforce limits (use --sandbox docker)")
    d = Limits()
    return Limits(timeout=args.timeout, memory=args.memory or d.memory, cpus=args.cpus or d.cpus,
                  pids=args.pids_limit or d.pids, deadline=args.deadline)


def _dispatch_batch(args: argparse.Namespace) -> int:
    if args.command == "new":
        from faultline.harness.commands.round import new_round

        return new_round(exercise=args.exercise, candidates=args.candidates, out=args.out, seed=args.seed,
                         faults=args.faults, rows=args.rows, difficulty=args.difficulty, jobs=args.jobs)
    if args.command == "grade-batch":
        from faultline.harness.commands.grade_batch import grade_batch

        return grade_batch(source=args.source, key=args.key, out=args.out, sandbox=args.sandbox,
                           limits=_batch_limits(args), jobs=args.jobs, regrade=args.regrade, only=args.only,
                           executor=args.executor, scheduler=args.scheduler, shared_dir=args.shared_dir,
                           test_points=args.test_points)
    from faultline.harness.commands.gradebook import gradebook

    return gradebook(folder=args.folder, csv_path=args.csv, as_json=args.json, similar=args.similar,
                     threshold=args.threshold)
# --- end of grading a round -----------------------------------------------------------------


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)  # a bad argument exits 2 with one line
    # Library warnings (a skipped link in a submission, say) reach the user as one line each.
    logging.basicConfig(format="faultline: warning: %(message)s", level=logging.WARNING)
    try:
        return int(_dispatch(args))
    except FaultlineError as exc:
        if exc.exit_code is ExitCode.INTERNAL:  # a bug, reported as one: the traceback comes first
            traceback.print_exception(exc)
            print(f"faultline: {exc} (a bug in faultline: please report it with the traceback above)",
                  file=sys.stderr)
        else:
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
