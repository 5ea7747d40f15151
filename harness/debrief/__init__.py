"""The interviewer's debrief (debrief.html, debrief.md) and the candidate's feedback page."""
from __future__ import annotations

from faultline.harness.debrief.write import make_debrief, write_debrief

__all__ = ["make_debrief", "write_debrief"]
