"""Command line: ``python -m pipeline --input DIR --output DIR``."""
from __future__ import annotations

import argparse
import logging
import time
from pathlib import Path

from pipeline import clean, features, ingest, joins, validate, writer
from pipeline.config import Settings

log = logging.getLogger("pipeline")


def run(input_dir: Path, output_dir: Path) -> Path:
    """Build the feature table for one export and return the file written."""
    settings = Settings.from_export(input_dir)
    log.info(
        "window %s..%s (%s)", settings.start_date, settings.end_date, settings.timezone
    )
    events = ingest.read_events(input_dir / "events", settings)
    users = ingest.read_users(input_dir / "users.csv")
    products = ingest.read_products(input_dir / "products.csv")
    validate.check_events(events)
    validate.check_users(users)
    log.info("read %d events, %d users, %d product rows", len(events), len(users), len(products))

    events = clean.deduplicate(events)
    events = clean.normalise_amounts(events)
    events = clean.restrict_to_window(events, settings)
    events = joins.attach_products(events, products)
    events = joins.attach_users(events, users)
    table = features.daily_user_features(events)
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
