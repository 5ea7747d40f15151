from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from pipeline.cli import run

RAW = Path(__file__).resolve().parent.parent / "data" / "raw"


@pytest.fixture(scope="session")
def features(tmp_path_factory: pytest.TempPathFactory) -> pd.DataFrame:
    """The pipeline's output on the sample export, built once per test session."""
    out = tmp_path_factory.mktemp("out")
    return pd.read_parquet(run(RAW, out))


@pytest.fixture(scope="session")
def raw() -> Path:
    return RAW
