"""Command line: ``python -m pipeline --input DIR --output DIR``."""
from __future__ import annotations

import argparse
import logging
import time
from pathlib import Path

from pipeline import clean, features, ingest, joins, validate, windows, writer
from pipeline.config import Settings

log = logging.getLogger("pipeline")


def run(input_dir: Path, output_dir: Path) -> Path:
    """Build the feature table of one export and return the file written."""
    settings = Settings.from_export(input_dir)
    log.info("export %s..%s (%s)", settings.start_date, settings.end_date, settings.timezone)
    txns = ingest.read_transactions(input_dir / "transactions.parquet")
    merchants = ingest.read_merchants(input_dir / "merchants.csv")
    chargebacks = ingest.read_chargebacks(input_dir / "chargebacks.csv")
    validate.check_transactions(txns)
    validate.check_merchants(merchants)
    log.info(
        "read %d deliveries, %d registry rows, %d chargebacks",
        len(txns), len(merchants), len(chargebacks),
    )

    txns = joins.attach_merchants(txns, merchants)
    txns = clean.latest_delivery(txns)
    txns = clean.convert_amounts(txns)
    table = features.build_features(
        txns,
        windows.card_activity(txns),
        joins.prior_chargebacks(txns, chargebacks),
        joins.fraud_labels(txns, chargebacks),
        settings,
    )
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
