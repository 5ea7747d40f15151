"""Which grading session made a container, volume or temporary folder.

Every container and volume carries ``faultline=1``. When ``FAULTLINE_SESSION`` is set (the
test suite sets it to a fresh id), they also carry ``faultline.session=<id>`` and temporary
folders start with ``faultline-<id>-``, so a check for leftovers can look at its own
session only while other gradings share the engine and the machine.
"""
from __future__ import annotations

import os
import re

SESSION_ENV = "FAULTLINE_SESSION"
SESSION_LABEL = "faultline.session"
_SAFE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$")


def session_id() -> str | None:
    value = os.environ.get(SESSION_ENV, "")
    # A label value or file name prefix: anything else is ignored rather than trusted.
    return value if _SAFE.match(value) else None


def labels() -> dict[str, str]:
    found = {"faultline": "1"}
    if session := session_id():
        found[SESSION_LABEL] = session
    return found


def temp_prefix(kind: str) -> str:
    """``faultline-<kind>-``, or ``faultline-<session>-<kind>-`` inside a session."""
    session = session_id()
    return f"faultline-{session}-{kind}-" if session else f"faultline-{kind}-"
