"""The raw export's files, as the upstream teams publish them.

Each source lists the columns the job relies on, with the type it expects and what the
column means. Upstream may add columns at any time (the feed carries a few the job does
not read); a column listed here that is missing breaks the contract.

transactions.parquet (the issuer's authorisation feed, one row per delivery):
    transaction_id  the attempt; an attempt is delivered again when its outcome arrives
    card_id         the card the attempt was made with
    card_country    ISO 3166 alpha-2 country of the card's issuing market
    merchant_id     the merchant, as the acquirer registers it
    currency        ISO 4217 code of the currency the merchant charged in
    amount_minor    the amount in minor units of that currency (see its ISO 4217 exponent)
    auth_status     "approved", "declined", or empty: no issuer response (yet)
    event_time      when the attempt was made (UTC, milliseconds)
    ingested_at     when this delivery reached the issuer (UTC, milliseconds)

merchants.csv (the acquirers' merchant registry, one row per version of a merchant):
    merchant_id       the merchant
    mcc               ISO 18245 merchant category code, four digits; empty when unassigned
    merchant_country  ISO 3166 alpha-2 country of the merchant; empty when unknown
    updated_at        the day this version was registered (YYYY-MM-DD)

chargebacks.csv (the card network's dispute feed, one row per dispute):
    chargeback_id     the dispute
    transaction_id    the disputed attempt
    card_id           its card
    reason            "fraud", or a commercial reason
    transaction_time  when the disputed attempt was made
    opened_at         when the cardholder opened the dispute with their bank
    reported_at       when the network reported the dispute to the issuer

What the fields mean in practice, and the reference tables the features look codes up in
(card markets and their currencies, merchant-category groups): docs/DICTIONARY.md.
"""
from __future__ import annotations

import dataclasses

import pyarrow as pa

# The feed's timestamps: UTC, milliseconds; the job keeps that resolution end to end.
TIMESTAMP = pa.timestamp("ms", tz="UTC")


@dataclasses.dataclass(frozen=True)
class Column:
    """One column a source must carry, with the Arrow type the job reads it as."""

    name: str
    type: pa.DataType
    nullable: bool = False


@dataclasses.dataclass(frozen=True)
class Source:
    """One file of the export and the columns the job relies on."""

    file: str
    columns: tuple[Column, ...]
    key: tuple[str, ...]

    @property
    def names(self) -> list[str]:
        return [c.name for c in self.columns]

    @property
    def required(self) -> list[str]:
        """Columns that may never be empty."""
        return [c.name for c in self.columns if not c.nullable]

    def missing(self, present: list[str]) -> list[str]:
        """The contract's columns absent from ``present``, in contract order."""
        have = set(present)
        return [name for name in self.names if name not in have]

    def arrow_schema(self, present: list[str]) -> pa.Schema:
        """The contract's types for the columns of ``present`` it knows, in file order."""
        types = {c.name: c.type for c in self.columns}
        return pa.schema([(name, types[name]) for name in present if name in types])


TRANSACTIONS = Source(
    file="transactions.parquet",
    columns=(
        Column("transaction_id", pa.string()),
        Column("card_id", pa.string()),
        Column("card_country", pa.string()),
        Column("merchant_id", pa.string()),
        Column("currency", pa.string()),
        Column("amount_minor", pa.int64()),
        Column("auth_status", pa.string(), nullable=True),
        Column("event_time", TIMESTAMP),
        Column("ingested_at", TIMESTAMP),
    ),
    key=("transaction_id", "ingested_at"),
)

MERCHANTS = Source(
    file="merchants.csv",
    columns=(
        Column("merchant_id", pa.string()),
        Column("mcc", pa.string(), nullable=True),
        Column("merchant_country", pa.string(), nullable=True),
        Column("updated_at", pa.date32()),
    ),
    key=("merchant_id", "updated_at"),
)

CHARGEBACKS = Source(
    file="chargebacks.csv",
    columns=(
        Column("chargeback_id", pa.string()),
        Column("transaction_id", pa.string()),
        Column("card_id", pa.string()),
        Column("reason", pa.string()),
        Column("transaction_time", TIMESTAMP),
        Column("opened_at", TIMESTAMP),
        Column("reported_at", TIMESTAMP),
    ),
    key=("chargeback_id",),
)
