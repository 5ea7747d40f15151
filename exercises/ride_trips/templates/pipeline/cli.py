"""Command line: ``python -m pipeline --input DIR --output DIR`` builds the feature table.

Subcommands for the on-call engineer: ``build`` (the default, what the scheduler runs),
``reconcile`` (the export beside the table, per city and day), ``features`` (the
published columns as the registry declares them), ``check`` (validate an export without
building anything) and ``partitions`` (the trip files a build would read).
"""
from __future__ import annotations

import argparse
import dataclasses
import logging
import sys
import time
from pathlib import Path

import pandas as pd

from pipeline import (
    clean,
    drift,
    features,
    ingest,
    joins,
    localtime,
    manifest,
    partitions,
    quality,
    reconcile,
    registry,
    validate,
    vehicles,
    windows,
    writer,
)
from pipeline.config import Settings

log = logging.getLogger("pipeline")

COMMANDS = ("build", "reconcile", "features", "check", "partitions")


@dataclasses.dataclass(frozen=True)
class Prepared:
    """The window's trips, cleaned and localised, with the dimensions they were read with."""

    settings: Settings
    parts: list[partitions.Part]
    cities: pd.DataFrame
    register: pd.DataFrame
    completed: pd.DataFrame
    cancelled: pd.DataFrame
    counts: quality.StageCounts


def prepare(input_dir: Path) -> Prepared:
    """Read, validate and clean one export up to the completed and cancelled trips."""
    settings = Settings.from_export(input_dir)
    log.info("window %s..%s", settings.start_date, settings.end_date)
    cities = ingest.read_cities(input_dir / "cities.csv")
    zones = ingest.read_zones(input_dir / "zones.csv")
    register = vehicles.read_register(input_dir / "vehicles.csv")
    parts = partitions.inventory(ingest.partition_paths(input_dir / "trips", settings))
    quality.profile_parts(parts)
    counts = quality.StageCounts()
    trips = counts.record("read", ingest.read_trips(parts))
    validate.check_cities(cities)
    validate.check_register(register)
    validate.check_trips(trips)
    quality.unlisted_values(trips, cities, zones)
    log.info("read %d trip records from %d files", len(trips), len(parts))

    trips = counts.record("well-formed", clean.drop_malformed(trips))
    trips = counts.record("deduplicated", clean.deduplicate(trips))
    trips = clean.normalise_distance(trips, cities)
    trips = localtime.localise(trips, cities, settings)
    trips = counts.record("in window", localtime.restrict_to_window(trips, settings))
    trips = counts.record("zoned", joins.attach_zones(trips, zones))
    completed, cancelled = clean.split_by_status(trips)
    log.info("%d completed and %d cancelled trips in the window", len(completed), len(cancelled))
    return Prepared(settings, parts, cities, register, completed, cancelled, counts)


def build_table(prepared: Prepared) -> pd.DataFrame:
    """The feature table of a prepared export: the day features, the fleet and activity families."""
    table = features.daily_driver_features(prepared.completed, prepared.cancelled)
    table = vehicles.attach_tier(table, prepared.register)
    table = windows.add_trailing(table, prepared.settings)
    prepared.counts.record("feature rows", table)
    return table


def run(input_dir: Path, output_dir: Path, summary: Path | None = None, previous: Path | None = None) -> Path:
    """Build the feature table for one export and return the file written.

    ``previous``: the last run's manifest, to log the columns that moved since.
    """
    began = time.perf_counter()
    prepared = prepare(input_dir)
    table = build_table(prepared)
    path = writer.write_features(table, output_dir, prepared.settings)
    inputs = [input_dir / n for n in ("manifest.json", "cities.csv", "zones.csv", "vehicles.csv")]
    document = manifest.build(input_dir, inputs + [p.path for p in prepared.parts], table, prepared.settings)
    manifest.write(output_dir, document)
    if previous is not None:
        drift.compare_with(previous, drift.profile(table))
    if summary is not None:
        seconds = time.perf_counter() - began
        quality.RunSummary.of(prepared.settings, len(prepared.parts), prepared.counts, table, seconds).write(summary)
    return path


def run_reconcile(input_dir: Path, report: Path) -> int:
    """Write the reconciliation of one export with the table it builds."""
    prepared = prepare(input_dir)
    table = build_table(prepared)
    reconcile.reconcile(prepared.completed, table, prepared.cities).write(report)
    log.info("wrote %s", report)
    return 0


def show_features() -> int:
    """Print the published columns as the registry declares them."""
    problems = registry.check()
    for name, arrow_type, family, window, nulls in registry.describe():
        print(f"{name:28} {arrow_type:10} {family:9} {window:>4} {nulls}")
    for problem in problems:
        print(f"registry: {problem}", file=sys.stderr)
    return 1 if problems else 0


def check_export(input_dir: Path) -> int:
    """Validate an export as a build would, without computing features."""
    prepare(input_dir)
    log.info("%s keeps the contract", input_dir)
    return 0


def list_partitions(input_dir: Path) -> int:
    """Print the trip files a build of this export reads: partition, layout, rows, row groups."""
    settings = Settings.from_export(input_dir)
    parts = partitions.inventory(ingest.partition_paths(input_dir / "trips", settings))
    for part in parts:
        print(f"{part.label:44} v{part.version} {part.rows:>9,} rows {part.row_groups:>3} row groups")
    print(f"{len(parts)} files, {sum(p.rows for p in parts):,} records")
    return 0


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m pipeline", description=__doc__)
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--log-level", default="INFO")
    commands = parser.add_subparsers(dest="command", required=True)
    build = commands.add_parser("build", parents=[common], help="build features.parquet (the default)")
    build.add_argument("--input", required=True, type=Path, help="raw export folder")
    build.add_argument("--output", required=True, type=Path, help="folder for features.parquet")
    build.add_argument("--summary", type=Path, help="also write the run summary (JSON) here")
    build.add_argument("--previous", type=Path, help="the previous run's manifest: log what moved since")
    again = commands.add_parser("reconcile", parents=[common], help="the export beside the table, per city and day")
    again.add_argument("--input", required=True, type=Path, help="raw export folder")
    again.add_argument("--report", required=True, type=Path, help="CSV file to write")
    commands.add_parser("features", parents=[common], help="list the published columns")
    check = commands.add_parser("check", parents=[common], help="validate an export")
    check.add_argument("--input", required=True, type=Path, help="raw export folder")
    listing = commands.add_parser("partitions", parents=[common], help="list the trip files a build reads")
    listing.add_argument("--input", required=True, type=Path, help="raw export folder")
    return parser


def main(argv: list[str] | None = None) -> int:
    words = list(sys.argv[1:] if argv is None else argv)
    # The scheduler calls the job without a subcommand: that is a build.
    if not words or words[0] not in COMMANDS:
        words = ["build", *words]
    parser = _parser()
    args = parser.parse_args(words)
    logging.basicConfig(
        level=args.log_level.upper(), format="%(asctime)s %(levelname)s %(name)s: %(message)s"
    )
    if args.command == "features":
        return show_features()
    if not (args.input / "manifest.json").is_file():
        parser.error(f"{args.input} is not an export folder (no manifest.json)")
    began = time.perf_counter()
    try:
        if args.command == "reconcile":
            return run_reconcile(args.input, args.report)
        if args.command == "check":
            return check_export(args.input)
        if args.command == "partitions":
            return list_partitions(args.input)
        path = run(args.input, args.output, args.summary, args.previous)
    except validate.InvalidExport as exc:
        log.error("refusing the export: %s", exc)
        return 2
    log.info("wrote %s in %.2fs", path, time.perf_counter() - began)
    return 0
