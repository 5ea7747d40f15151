"""How numbers and evidence read on every debrief page (HTML, Markdown, feedback)."""
from __future__ import annotations

import re
from collections.abc import Mapping

from faultline.harness.debrief.resultview import DatasetEvidence, TestCatch


def num(value: float | None) -> str:
    if value is None:
        return "—"
    return f"{value:g}" if value != int(value) else str(int(value))


def count(value: int | None) -> str:
    return "—" if value is None else f"{value:,}"


def pct(value: float | None) -> str:
    if value is None:
        return "—"
    # A small regression must not read as 0%: keep two decimals below one per cent.
    return f"{value:.2%}" if 0 < value < 0.01 else f"{value:.0%}"


def secs(value: float | None) -> str:
    return "—" if value is None else f"{value:.2f} s"


def mib(value: int | None) -> str:
    return "not measured" if not value else f"{value / 2**20:,.0f} MiB"


def share(evidence: tuple[DatasetEvidence, ...]) -> str:
    """Footprint fixed over all hidden datasets, where the counts are known."""
    known = [(e.footprint, e.share_fixed) for e in evidence if e.footprint and e.share_fixed is not None]
    if not known:
        return "—"
    total = sum(size for size, _ in known)
    return f"{sum(size * share for size, share in known) / total:.0%}"


def caught(catch: TestCatch | None) -> str:
    if catch is None:
        return "not measured"
    if catch.caught is None:
        return "not attributable"
    return "caught" if catch.caught else "not caught"


def example(cell: Mapping[str, str]) -> str:
    return ", ".join(f"{k}={v}" if k != "cell" else v for k, v in cell.items())


def slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", str(text).lower()).strip("-")
