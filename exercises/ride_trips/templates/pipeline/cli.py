"""Command line: ``python -m pipeline --input DIR --output DIR``."""
from __future__ import annotations

import argparse
import logging
import time
from pathlib import Path

from pipeline import clean, features, ingest, joins, localtime, partitions, quality, validate, writer
from pipeline.config import Settings

log = logging.getLogger("pipeline")


def run(input_dir: Path, output_dir: Path, summary: Path | None = None) -> Path:
    """Build the feature table for one export and return the file written."""
    began = time.perf_counter()
    settings = Settings.from_export(input_dir)
    log.info("window %s..%s", settings.start_date, settings.end_date)
    cities = ingest.read_cities(input_dir / "cities.csv")
    zones = ingest.read_zones(input_dir / "zones.csv")
    parts = partitions.inventory(ingest.partition_paths(input_dir / "trips", settings))
    quality.profile_parts(parts)
    counts = quality.StageCounts()
    trips = counts.record("read", ingest.read_trips(parts))
    validate.check_cities(cities)
    validate.check_trips(trips)
    log.info("read %d trip records from %d files", len(trips), len(parts))

    trips = counts.record("well-formed", clean.drop_malformed(trips))
    trips = counts.record("deduplicated", clean.deduplicate(trips))
    trips = clean.normalise_distance(trips, cities)
    trips = localtime.localise(trips, cities, settings)
    trips = counts.record("in window", localtime.restrict_to_window(trips, settings))
    trips = counts.record("zoned", joins.attach_zones(trips, zones))
    completed, cancelled = clean.split_by_status(trips)
    log.info("%d completed and %d cancelled trips in the window", len(completed), len(cancelled))

    table = features.daily_driver_features(completed, cancelled)
    counts.record("feature rows", table)
    path = writer.write_features(table, output_dir, settings)
    if summary is not None:
        quality.RunSummary.of(settings, len(parts), counts, table, time.perf_counter() - began).write(summary)
    return path


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m pipeline", description=__doc__)
    parser.add_argument("--input", required=True, type=Path, help="raw export folder")
    parser.add_argument("--output", required=True, type=Path, help="folder for features.parquet")
    parser.add_argument("--log-level", default="INFO")
    parser.add_argument("--summary", type=Path, help="also write the run summary (JSON) here")
    args = parser.parse_args(argv)
    logging.basicConfig(
        level=args.log_level.upper(), format="%(asctime)s %(levelname)s %(name)s: %(message)s"
    )
    if not (args.input / "manifest.json").is_file():
        parser.error(f"{args.input} is not an export folder (no manifest.json)")
    began = time.perf_counter()
    try:
        path = run(args.input, args.output, args.summary)
    except validate.InvalidExport as exc:
        log.error("refusing the export: %s", exc)
        return 2
    log.info("wrote %s in %.2fs", path, time.perf_counter() - began)
    return 0
