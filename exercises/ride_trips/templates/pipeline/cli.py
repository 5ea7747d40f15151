"""Command line: ``python -m pipeline --input DIR --output DIR``."""
from __future__ import annotations

import argparse
import logging
import time
from pathlib import Path

from pipeline import clean, features, ingest, joins, localtime, validate, writer
from pipeline.config import Settings

log = logging.getLogger("pipeline")


def run(input_dir: Path, output_dir: Path) -> Path:
    """Build the feature table for one export and return the file written."""
    settings = Settings.from_export(input_dir)
    log.info("window %s..%s", settings.start_date, settings.end_date)
    cities = ingest.read_cities(input_dir / "cities.csv")
    zones = ingest.read_zones(input_dir / "zones.csv")
    paths = ingest.partition_paths(input_dir / "trips", settings)
    trips = ingest.read_trips(paths)
    validate.check_cities(cities)
    validate.check_trips(trips)
    log.info("read %d trip records from %d files", len(trips), len(paths))

    trips = clean.drop_malformed(trips)
    trips = clean.deduplicate(trips)
    trips = clean.normalise_distance(trips, cities)
    trips = localtime.localise(trips, cities, settings)
    trips = localtime.restrict_to_window(trips, settings)
    trips = joins.attach_zones(trips, zones)
    completed, cancelled = clean.split_by_status(trips)
    log.info("%d completed and %d cancelled trips in the window", len(completed), len(cancelled))

    table = features.daily_driver_features(completed, cancelled)
    log.info("built %d feature rows", len(table))
    return writer.write_features(table, output_dir)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m pipeline", description=__doc__)
    parser.add_argument("--input", required=True, type=Path, help="raw export folder")
    parser.add_argument("--output", required=True, type=Path, help="folder for features.parquet")
    parser.add_argument("--log-level", default="INFO")
    args = parser.parse_args(argv)
    logging.basicConfig(
        level=args.log_level.upper(), format="%(asctime)s %(levelname)s %(name)s: %(message)s"
    )
    if not (args.input / "manifest.json").is_file():
        parser.error(f"{args.input} is not an export folder (no manifest.json)")
    began = time.perf_counter()
    try:
        path = run(args.input, args.output)
    except validate.InvalidExport as exc:
        log.error("refusing the export: %s", exc)
        return 2
    log.info("wrote %s in %.2fs", path, time.perf_counter() - began)
    return 0
