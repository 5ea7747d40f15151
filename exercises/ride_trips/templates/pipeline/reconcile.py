"""Reconciling the feature table with the export it was built from.

Finance and ops reconcile the table against their own systems; this report is the
pipeline's side of that conversation. Per city and operating day it sets the completed
trips and the fares the export holds (after de-duplication, in the window) beside what
the table publishes, and the cities' currencies beside them. Differences here are not
errors by themselves (short hops and test rides are left out by contract), but a day
that moves on its own is where an investigation starts.
"""
from __future__ import annotations

import dataclasses
import logging
from pathlib import Path

import pandas as pd

from pipeline import encoding

log = logging.getLogger(__name__)

KEY = ["city", "date"]


@dataclasses.dataclass(frozen=True)
class Reconciliation:
    """One row per (city, operating day): the export's figures and the table's."""

    frame: pd.DataFrame

    def worst(self, n: int = 5) -> pd.DataFrame:
        """The rows whose trip counts differ most, relatively."""
        ranked = self.frame.assign(gap=(self.frame["trip_gap"] / self.frame["export_trips"]).abs())
        return ranked.sort_values("gap", ascending=False, kind="stable").head(n).drop(columns="gap")

    def write(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self.frame.to_csv(path, index=False, lineterminator="\n")


def export_side(completed: pd.DataFrame, cities: pd.DataFrame) -> pd.DataFrame:
    """Completed trips and fares per city and day, as the cleaned export holds them."""
    known = encoding.cities(cities)
    codes = known.codes(completed["city"])
    frame = pd.DataFrame({"code": codes, "date": completed["date"].to_numpy(), "fare": completed["fare"].to_numpy()})
    sums = frame.groupby(["code", "date"], sort=True).agg(export_trips=("fare", "size"), export_fares=("fare", "sum"))
    sums = sums.reset_index()
    sums.insert(0, "city", known.decode(sums.pop("code").to_numpy()).to_numpy())
    return sums


def table_side(table: pd.DataFrame) -> pd.DataFrame:
    """Published trips and earnings per city and day."""
    sums = table.groupby(KEY, sort=True).agg(table_trips=("n_trips", "sum"), table_earnings=("earnings", "sum"))
    return sums.reset_index()


def reconcile(completed: pd.DataFrame, table: pd.DataFrame, cities: pd.DataFrame) -> Reconciliation:
    """The two sides joined per city and day, with the trip gap."""
    both = export_side(completed, cities).merge(table_side(table), on=KEY, how="outer", validate="one_to_one")
    for column in ("export_trips", "table_trips"):
        both[column] = both[column].fillna(0).astype("int64")
    both["trip_gap"] = both["table_trips"] - both["export_trips"]
    currency = cities.set_index("city")["currency"] if "currency" in cities else pd.Series(dtype="str")
    both.insert(2, "currency", both["city"].map(currency))
    for row in Reconciliation(both).worst(3).itertuples(index=False):
        log.info("reconcile %s %s: %d trips exported, %d published", row.city, row.date, row.export_trips,
                 row.table_trips)
    return Reconciliation(both)
