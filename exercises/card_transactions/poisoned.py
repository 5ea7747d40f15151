"""Poisoned exports of card-transactions: two the contract declares invalid, one unusual but valid."""
from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from faultline.exercises.base import Poison
from faultline.exercises.card_transactions.generator import MCCS
from faultline.exercises.card_transactions.spec import Spec
from faultline.exercises.common.exports import read_csv_text, rewrite_parquet, write_csv

# Words a refusal message may use to name each problem (any one, case-insensitive). Bare
# values are left out on purpose: a KeyError naming the value is a crash, not a refusal.
STATUS_WORDS = ("auth_status", "status")
REPEAT_WORDS = ("duplicate", "repeated", "more than once", "twice", "unique", "ambiguous")
# Statuses some processors send that this issuer's contract does not know.
FOREIGN_STATUSES = ("reversed", "partially_approved", "referral", "APPROVED")


def _unknown_status(root: Path, rng: np.random.Generator, spec: Spec) -> None:
    """A processor starts answering some attempts with a status outside the contract."""
    status = str(rng.choice(FOREIGN_STATUSES))
    share = float(rng.uniform(0.02, 0.05))

    def change(txns: pd.DataFrame) -> pd.DataFrame:
        answered = txns["auth_status"].notna().to_numpy()
        hit = answered & (rng.random(len(txns)) < share)
        hit[np.flatnonzero(answered)[0]] = True  # never a poisoned export without its poison
        return txns.assign(auth_status=txns["auth_status"].mask(hit, status))

    rewrite_parquet(root / "transactions.parquet", change)


def _duplicate_registry_rows(root: Path, rng: np.random.Generator, spec: Spec) -> None:
    """The registry lists some merchants twice under the same update time, with other categories."""
    registry = read_csv_text(root / "merchants.csv")
    latest = registry.sort_values("updated_at", kind="stable").drop_duplicates("merchant_id", keep="last")
    picked = latest.iloc[np.sort(rng.choice(len(latest), size=max(3, len(latest) // 30), replace=False))].copy()
    picked["mcc"] = [str(rng.choice([m for m in MCCS if m != here])) for here in picked["mcc"]]
    both = pd.concat([registry, picked], ignore_index=True)
    write_csv(both.sort_values("merchant_id", kind="stable"), root / "merchants.csv")


def _no_chargebacks(root: Path, rng: np.random.Generator, spec: Spec) -> None:
    """No dispute was reported in the period: the chargeback feed holds only its header."""
    chargebacks = read_csv_text(root / "chargebacks.csv")
    write_csv(chargebacks.iloc[:0], root / "chargebacks.csv")


def poisons() -> tuple[Poison, ...]:
    return (
        Poison("unknown-auth-status", "invalid",
               "some attempts carry an auth_status other than approved, declined or empty",
               STATUS_WORDS, _unknown_status),
        Poison("duplicate-registry-rows", "invalid",
               "merchants.csv lists some merchants twice with the same updated_at and different "
               "categories", REPEAT_WORDS, _duplicate_registry_rows),
        Poison("no-chargebacks", "valid",
               "the chargeback feed is empty: no dispute was reported in the period", (), _no_chargebacks),
    )
