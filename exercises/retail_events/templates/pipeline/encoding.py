"""Dictionary encodings of the event stream's low-cardinality codes.

Event types and platforms repeat on every row; as pandas categoricals over a fixed
vocabulary they take a byte per row instead of a string, and group-bys over them are
integer group-bys. The vocabularies are the contract's: a value outside one is kept as
missing and counted, never silently mapped to another code.
"""
from __future__ import annotations

import logging

import pandas as pd

from pipeline.config import PLATFORMS

log = logging.getLogger(__name__)

EVENT_TYPES: tuple[str, ...] = ("view", "add_to_cart", "purchase")
VOCABULARIES: dict[str, tuple[str, ...]] = {"event_type": EVENT_TYPES, "platform": PLATFORMS}


def encode(values: pd.Series, vocabulary: tuple[str, ...]) -> pd.Series:
    """``values`` as a categorical over ``vocabulary``, in its order."""
    return pd.Series(pd.Categorical(values, categories=list(vocabulary)), index=values.index, name=values.name)


def encode_events(events: pd.DataFrame) -> pd.DataFrame:
    """The event stream with its coded columns dictionary-encoded."""
    encoded = {}
    for column, vocabulary in VOCABULARIES.items():
        codes = encode(events[column], vocabulary)
        unknown = int((codes.isna() & events[column].notna()).sum())
        if unknown:
            log.warning("%d events have a %s outside %s", unknown, column, list(vocabulary))
        encoded[column] = codes
    return events.assign(**encoded)

