"""faultline: seeded pipeline-debugging exercises with sandboxed, tamper-proof grading.

The distribution installs one import package. Its subpackages live in the repository's
top-level folders and are mapped here at install time: ``faultline.harness`` (the library
and CLI), ``faultline.exercises`` (exercise definitions) and ``faultline.graders`` (the
standalone check-phase graders); ``faultline.docker`` holds the sandbox image recipe as
package data.
"""
from __future__ import annotations

import importlib.metadata

try:
    __version__ = importlib.metadata.version("faultline")
except importlib.metadata.PackageNotFoundError:  # imported from a checkout that was never installed
    __version__ = "0.0.0+unknown"

__all__ = ["__version__"]
