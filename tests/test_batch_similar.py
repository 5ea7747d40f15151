"""gradebook --similar: changes copied across candidates (renamed, reformatted, other variant)
are paired; the expected fix and independent work are not."""
from __future__ import annotations

import json
import shutil
from pathlib import Path

from faultline.harness.batch.gradebook import Row, RowKey, open_gradebook
from faultline.harness.batch.similar import normalise
from faultline.harness.result import Status
from tests.batch_support import round_dir_fixture  # noqa: F401 (fixture)
from tests.helpers import copy_tree, faultline

COPIED = '''

def drop_refunded_twice(frame):
    # refunds arrive twice from the export since March
    kept = frame.drop_duplicates(subset=["order_id", "status"], keep="last")
    kept = kept[kept["status"] != "refund-duplicate"]
    kept["amount"] = kept["amount"].fillna(0).round(2)
    return kept.sort_values(["order_id"]).reset_index(drop=True)
'''
# The same code with other names, other spacing and no comment.
DISGUISED = '''

def _dedupe( df ):
    out = df.drop_duplicates( subset = ["order_id", "status"], keep = "last" )
    out = out[ out["status"] != "refund-duplicate" ]
    out["amount"] = out["amount"].fillna(0).round(2)
    return out.sort_values( ["order_id"] ).reset_index( drop = True )
'''
OWN_WORK = '''

def check_window(events, days):
    if days <= 0:
        raise ValueError(f"window of {days} days")
    late = events["ts"] > events["ts"].max() - days * 86400
    return events.loc[late, ["user_id", "ts"]].copy()
'''


def _submission(variant: Path, dest: Path, extra: str) -> Path:
    sub = copy_tree(variant / "candidate", dest)
    shutil.rmtree(sub / "data")
    features = sub / "pipeline" / "features.py"
    features.write_text(features.read_text() + extra)
    return sub


def test_normalise_ignores_names_layout_and_comments() -> None:
    assert normalise("x = frame.fillna(0)  # why") == normalise("y=df.fillna( 0 )")
    assert normalise("x = frame.fillna(0)") != normalise("x = frame.fillna(1)")
    assert normalise(")") is None and normalise("return df") is None


def test_similar_pairs_copied_changes_across_variants(round_dir: Path, tmp_path: Path) -> None:
    ann, bob = round_dir / "Ann-Lee", round_dir / "bob"
    subs = {
        "a-original": (_submission(ann, tmp_path / "a1", COPIED), ann),
        "a-disguised": (_submission(ann, tmp_path / "a2", DISGUISED), ann),
        "b-same-code": (_submission(bob, tmp_path / "b1", COPIED), bob),  # another variant, same change
        "a-own-work": (_submission(ann, tmp_path / "a3", OWN_WORK), ann),
        "b-expected-fix": (copy_tree(bob / "key" / "solution", tmp_path / "b2"), bob),
    }
    book = open_gradebook(tmp_path / "grades")
    for name, (sub, variant) in subs.items():
        key = RowKey(name, f"sha-{name}", "k", "local-sandbox", "0")
        book.record(Row(key, str(sub), str(variant / "key"), Status.GRADED, 10, 30, None, str(tmp_path),
                        {"faults": []}, "t0", "t1", 1.0, "local"))
    book.close()

    proc = faultline("gradebook", tmp_path / "grades", "--similar", "--json")
    assert proc.returncode == 0, proc.stderr
    found = {frozenset((p["a"], p["b"])): p for p in json.loads(proc.stdout)}
    copied = {"a-original", "a-disguised", "b-same-code"}
    assert set(found) == {frozenset((x, y)) for x in copied for y in copied if x < y}
    for pair in found.values():
        assert pair["score"] >= 0.9 and pair["shared_lines"] >= 4
        hunk = pair["shared_hunks"][0]
        assert hunk["a"]["file"] == "pipeline/features.py"
        assert any("drop_duplicates" in line for line in hunk["a"]["text"])

    text = faultline("gradebook", tmp_path / "grades", "--similar").stdout
    assert "3 pair(s) of 5 candidates" in text and "never a verdict" in text
