"""Dictionary encodings of the low-cardinality strings: cities, zones, vehicle tiers.

A night's run carries a few hundred thousand trips but only a handful of cities, a few
hundred zones and three tiers. Keeping them as integer codes against a fixed dictionary
makes the joins and group-bys cheaper and, more to the point, makes the set of values
explicit: a value outside the dictionary is found here, not three steps later as an
empty group.
"""
from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Sequence

import numpy as np
import pandas as pd

MISSING = -1  # the code of an empty cell


@dataclasses.dataclass(frozen=True)
class Dictionary:
    """An ordered set of values and their integer codes (the position in ``values``)."""

    name: str
    values: tuple[str, ...]

    @classmethod
    def of(cls, name: str, values: Iterable[object]) -> Dictionary:
        """The distinct non-empty values, sorted, as a dictionary."""
        return cls(name, tuple(sorted({str(v) for v in values if not pd.isna(v)})))

    @property
    def dtype(self) -> pd.CategoricalDtype:
        return pd.CategoricalDtype(list(self.values), ordered=False)

    def codes(self, series: pd.Series) -> np.ndarray:
        """Each cell's code; MISSING for an empty cell or a value outside the dictionary."""
        codes: np.ndarray = series.astype(self.dtype).cat.codes.to_numpy(dtype=np.int64)
        return codes

    def unknown(self, series: pd.Series) -> list[str]:
        """Values of ``series`` that the dictionary does not hold, sorted."""
        present = series.dropna().astype("str")
        return sorted(set(present.unique()) - set(self.values))

    def encode(self, series: pd.Series) -> pd.Series:
        """The series as a categorical over this dictionary."""
        return series.astype(self.dtype)

    def decode(self, codes: Sequence[int] | np.ndarray) -> pd.Series:
        """Codes back to strings; MISSING becomes an empty cell."""
        array = np.asarray(codes, dtype=np.int64)
        cat = pd.Categorical.from_codes(array, dtype=self.dtype)
        return pd.Series(cat).astype("str").where(array != MISSING)


def cities(frame: pd.DataFrame) -> Dictionary:
    """The cities of cities.csv."""
    return Dictionary.of("city", frame["city"])


def zones(frame: pd.DataFrame) -> Dictionary:
    """The pickup zones of zones.csv."""
    return Dictionary.of("pickup_zone", frame["zone_id"])
