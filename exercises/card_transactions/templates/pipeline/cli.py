"""Command line: ``python -m pipeline --input DIR --output DIR``.

Exit codes: 0 the table was written; 2 the export breaks its contract (nothing written);
3 the finished table broke one of the job's own invariants (nothing written).
"""
from __future__ import annotations

import argparse
import logging
import time
from pathlib import Path

from pipeline import clean, drift, features, ingest, joins, lineage, quality, validate, windows, writer
from pipeline.catalog import by_group, describe
from pipeline.clock import attempts_per_day
from pipeline.config import ManifestError, Settings
from pipeline.summary import RunSummary

log = logging.getLogger("pipeline")

EXIT_OK = 0
EXIT_INVALID_EXPORT = 2
EXIT_BROKEN_TABLE = 3


def run(
    input_dir: Path,
    output_dir: Path,
    *,
    batch_rows: int = ingest.BATCH_ROWS,
    card_shards: int = 1,
    summary: RunSummary | None = None,
) -> Path:
    """Build the feature table of one export and return the file written."""
    validate.check_files(input_dir)
    settings = Settings.from_export(input_dir)
    validate.check_window(settings)
    log.info("export %s..%s (%s)", settings.start_date, settings.end_date, settings.timezone)
    summary = summary or RunSummary(export=str(input_dir), window="")
    summary.window = f"{settings.start_date}..{settings.end_date} {settings.timezone}"
    summary.inputs = lineage.export_inputs(input_dir)

    with summary.stage("read feed") as rows:
        txns = clean.normalise_codes(
            ingest.read_transactions(input_dir / "transactions.parquet", batch_rows=batch_rows)
        )
        validate.check_transactions(txns)
        rows.append(len(txns))
    with summary.stage("read registry") as rows:
        merchants = ingest.read_merchants(input_dir / "merchants.csv")
        validate.check_merchants(merchants)
        validate.check_registry_dates(merchants, settings)
        rows.append(len(merchants))
    with summary.stage("read chargebacks") as rows:
        chargebacks = ingest.read_chargebacks(input_dir / "chargebacks.csv")
        validate.check_chargebacks(chargebacks)
        validate.check_times(txns, chargebacks, settings)
        validate.check_dispute_cards(chargebacks, txns)
        validate.unmatched_disputes(chargebacks, txns)
        rows.append(len(chargebacks))

    with summary.stage("attempts") as rows:
        txns = joins.attach_merchants(txns, merchants)
        txns = clean.latest_delivery(txns)
        txns = clean.convert_amounts(txns)
        rows.append(len(txns))
    with summary.stage("card activity") as rows:
        activity = windows.activity_in_shards(txns, card_shards)
        rows.append(len(activity))
    with summary.stage("chargeback history") as rows:
        prior = joins.prior_chargebacks(txns, chargebacks)
        labels = joins.fraud_labels(txns, chargebacks)
        summary.mature_labels = joins.mature_label_share(txns, settings.labels_as_of)
        rows.append(int(labels.sum()))
    with summary.stage("feature table") as rows:
        table = features.build_features(txns, activity, prior, labels, settings)
        quality.check_table(table, txns["transaction_id"])
        rows.append(len(table))
    for group, names in by_group().items():
        log.debug("features %-9s %s", group, ", ".join(names))
    summary.columns = quality.profile(table)
    summary.days = attempts_per_day(table["event_time"], settings.timezone)
    for day in drift.thin_days(summary.days):
        log.warning("thin day: %s", day)
    with summary.stage("write") as rows:
        path = writer.write_features(table, output_dir, settings)
        rows.append(len(table))
    summary.output = str(path)
    return path


def check_export(input_dir: Path, *, batch_rows: int = ingest.BATCH_ROWS) -> None:
    """Read and validate every file of the export, as ``run`` does, without building anything."""
    validate.check_files(input_dir)
    settings = Settings.from_export(input_dir)
    validate.check_window(settings)
    feed = clean.normalise_codes(ingest.read_transactions(input_dir / "transactions.parquet", batch_rows=batch_rows))
    validate.check_transactions(feed)
    merchants = ingest.read_merchants(input_dir / "merchants.csv")
    validate.check_merchants(merchants)
    validate.check_registry_dates(merchants, settings)
    chargebacks = ingest.read_chargebacks(input_dir / "chargebacks.csv")
    validate.check_chargebacks(chargebacks)
    validate.check_times(feed, chargebacks, settings)
    validate.check_dispute_cards(chargebacks, feed)


def _positive(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"{value} is not positive")
    return value


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m pipeline", description=__doc__)
    parser.add_argument("--input", type=Path, help="raw export folder")
    parser.add_argument("--output", type=Path, help="folder for features.parquet")
    parser.add_argument("--describe", action="store_true", help="print the published columns and stop")
    parser.add_argument("--log-level", default="INFO", choices=["DEBUG", "INFO", "WARNING", "ERROR"],
                        type=str.upper)
    parser.add_argument("--batch-rows", default=ingest.BATCH_ROWS, type=_positive,
                        help="feed deliveries read per record batch")
    parser.add_argument("--card-shards", default=1, type=_positive,
                        help="compute the card windows in this many shards of cards (less memory)")
    parser.add_argument("--summary", type=Path, help="also write the run summary (JSON) here")
    parser.add_argument("--previous-summary", type=Path,
                        help="the previous night's summary: warn when volumes or empty cells drift")
    parser.add_argument("--check-only", action="store_true",
                        help="validate the export and stop, writing nothing")
    args = parser.parse_args(argv)
    if args.describe:
        print(describe())
        return EXIT_OK
    if args.input is None or args.output is None:
        parser.error("--input and --output are required")
    logging.basicConfig(
        level=args.log_level, format="%(asctime)s %(levelname)s %(name)s: %(message)s"
    )
    if not (args.input / "manifest.json").is_file():
        parser.error(f"{args.input} is not an export folder (no manifest.json)")
    began = time.perf_counter()
    summary = RunSummary(export=str(args.input), window="")
    try:
        if args.check_only:
            check_export(args.input, batch_rows=args.batch_rows)
            log.info("%s keeps the contract", args.input)
            return EXIT_OK
        path = run(args.input, args.output, batch_rows=args.batch_rows, card_shards=args.card_shards,
                   summary=summary)
    except (validate.InvalidExport, ingest.UnreadableExport, ManifestError) as exc:
        log.error("refusing the export: %s", exc)
        return EXIT_INVALID_EXPORT
    except quality.TableCheckFailed as exc:
        log.error("not publishing the table: %s", exc)
        return EXIT_BROKEN_TABLE
    if args.previous_summary is not None:
        drift.warn_on_drift(args.previous_summary, summary)
    if args.summary is not None:
        summary.write(args.summary)
    for line in summary.table().splitlines():
        log.info("%s", line)
    log.info("wrote %s in %.2fs", path, time.perf_counter() - began)
    return EXIT_OK
