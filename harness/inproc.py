"""Running a rendered pipeline inside this process, for the variant self-check.

Every render is a package named ``pipeline`` with absolute imports, so each run swaps
the ``pipeline`` modules in ``sys.modules``. Only trusted renders of faultline's own
templates run this way; candidate code never does (see harness.sandbox).
"""
from __future__ import annotations

import contextlib
import importlib
import logging
import sys
from collections.abc import Iterator
from pathlib import Path


@contextlib.contextmanager
def _isolated_pipeline(workspace: Path) -> Iterator[None]:
    def drop() -> None:
        for name in [m for m in sys.modules if m == "pipeline" or m.startswith("pipeline.")]:
            del sys.modules[name]

    drop()
    sys.path.insert(0, str(workspace))
    old_bytecode = sys.dont_write_bytecode
    sys.dont_write_bytecode = True  # keep __pycache__ out of the bundle
    try:
        yield
    finally:
        sys.dont_write_bytecode = old_bytecode
        sys.path.remove(str(workspace))
        drop()


def run_render(workspace: Path, input_dir: Path, output_dir: Path) -> None:
    """Call ``pipeline.cli.run(input, output)`` of the render in ``workspace``."""
    pipeline_logger = logging.getLogger("pipeline")
    level, pipeline_logger.level = pipeline_logger.level, logging.WARNING
    try:
        with _isolated_pipeline(workspace):
            cli = importlib.import_module("pipeline.cli")
            cli.run(input_dir, output_dir)
    finally:
        pipeline_logger.setLevel(level)
