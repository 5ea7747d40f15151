"""The job around the features: export validation, sharding, the summary, the writer."""
from __future__ import annotations

import json
import shutil
from pathlib import Path

import pandas as pd
import pyarrow.parquet as pq
import pytest

from pipeline.catalog import CATALOG, dictionary_columns
from pipeline.cli import main
from pipeline.drift import compare, thin_days
from pipeline.ingest import read_transactions
from pipeline.sources import TRANSACTIONS
from pipeline.windows import activity_in_shards, card_activity


def test_the_feed_reads_the_same_in_small_batches(raw: Path) -> None:
    whole = read_transactions(raw / "transactions.parquet")
    batched = read_transactions(raw / "transactions.parquet", batch_rows=97)
    pd.testing.assert_frame_equal(whole, batched)
    assert list(whole.columns) == [c for c in TRANSACTIONS.names if c in whole.columns]


def test_card_shards_do_not_change_the_windows() -> None:
    times = pd.to_datetime(["2025-05-01T10:00:00Z", "2025-05-01T11:00:00Z", "2025-05-01T10:30:00Z",
                            "2025-05-01T12:00:00Z", "2025-05-02T09:00:00Z"]).as_unit("ms")
    txns = pd.DataFrame({
        "card_id": ["c1", "c1", "c2", "c3", "c1"],
        "event_time": times,
        "auth_status": ["approved", "declined", "approved", None, "approved"],
        "amount_cents": [1000, 2000, 3000, 4000, 5000],
        "mcc": ["5411", "5411", None, "5812", "5411"],
        "merchant_id": ["M1", "M2", "M1", "M3", "M1"],
        "merchant_country": ["US", "CA", "US", None, "US"],
        "card_country": ["US", "US", "CA", "US", "US"],
        "currency": ["USD", "CAD", "USD", "USD", "USD"],
    })
    pd.testing.assert_frame_equal(activity_in_shards(txns, 3), card_activity(txns))


def test_an_export_that_breaks_the_contract_is_refused(raw: Path, tmp_path: Path) -> None:
    broken = tmp_path / "export"
    shutil.copytree(raw, broken)
    feed = pq.read_table(broken / "transactions.parquet").to_pandas()
    feed.drop(columns=["currency"]).to_parquet(broken / "transactions.parquet")
    assert main(["--input", str(broken), "--output", str(tmp_path / "out")]) == 2
    assert not (tmp_path / "out" / "features.parquet").exists()


def test_the_run_summary_counts_every_stage(raw: Path, tmp_path: Path) -> None:
    summary = tmp_path / "summary.json"
    assert main(["--input", str(raw), "--output", str(tmp_path / "out"), "--summary", str(summary)]) == 0
    doc = json.loads(summary.read_text())
    table = pd.read_parquet(tmp_path / "out" / "features.parquet")
    assert {s["name"]: s["rows"] for s in doc["stages"]}["feature table"] == len(table)
    assert sum(doc["days"].values()) == len(table)
    assert [c["name"] for c in doc["columns"]] == [f.name for f in CATALOG]
    assert {i["name"] for i in doc["inputs"]} >= {"manifest.json", "transactions.parquet"}
    assert compare(doc, doc) == []


def test_code_columns_are_dictionary_encoded(raw: Path, tmp_path: Path) -> None:
    assert main(["--input", str(raw), "--output", str(tmp_path)]) == 0
    meta = pq.ParquetFile(tmp_path / "features.parquet").metadata
    names = [meta.schema.column(i).name for i in range(meta.num_columns)]
    column = meta.row_group(0).column(names.index(dictionary_columns()[0]))
    assert any("DICT" in str(e) for e in column.encodings)


@pytest.mark.parametrize("value", ["0", "-3", "many"])
def test_sizes_must_be_positive_whole_numbers(value: str, raw: Path, tmp_path: Path) -> None:
    with pytest.raises(SystemExit):
        main(["--input", str(raw), "--output", str(tmp_path), "--batch-rows", value])


def test_the_catalogue_describes_every_published_column(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--describe"]) == 0
    listed = capsys.readouterr().out
    assert all(feature.name in listed for feature in CATALOG)


def test_the_feed_may_come_in_part_files(raw: Path, tmp_path: Path) -> None:
    feed = pq.read_table(raw / "transactions.parquet")
    parts = tmp_path / "transactions.parquet"
    parts.mkdir()
    half = feed.num_rows // 2
    pq.write_table(feed.slice(0, half), parts / "part-00000.parquet")
    pq.write_table(feed.slice(half), parts / "part-00001.parquet")
    pd.testing.assert_frame_equal(read_transactions(parts), read_transactions(raw / "transactions.parquet"))


def test_a_thin_day_is_reported() -> None:
    days = {"2025-05-01": 1000, "2025-05-02": 980, "2025-05-03": 310, "2025-05-04": 1020}
    assert [d.after for d in thin_days(days)] == [310]
