from __future__ import annotations

from pathlib import Path

import pytest

from tests.helpers import new_variant


@pytest.fixture(scope="session")
def small_variant(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A small retail-events variant with two faults, shared by tests that only need a key."""
    out = tmp_path_factory.mktemp("small") / "v"
    return new_variant(
        out, "retail-events", "small-variant", rows=4000,
        faults=["leading-zero-ids", "cents-cutover"],
    )
