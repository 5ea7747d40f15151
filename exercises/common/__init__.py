"""What every exercise's bundle shares: the Makefile and the pinned requirements.

Rendered under each exercise's own templates, which may override a file by name.
"""
from __future__ import annotations

from pathlib import Path

TEMPLATES = Path(__file__).parent / "templates"
