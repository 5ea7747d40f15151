"""Which grading session made a container, volume or temporary folder.

Every container and volume carries ``faultline=1`` and its owner (host and process id).
When ``FAULTLINE_SESSION`` is set (the test suite sets it to a fresh id), they also carry
``faultline.session=<id>`` and temporary folders start with ``faultline-<id>-``, so a check
for leftovers can look at its own session only while other gradings share the engine and
the machine.
"""
from __future__ import annotations

import os
import re
import socket

SESSION_ENV = "FAULTLINE_SESSION"
SESSION_LABEL = "faultline.session"
# "<host>/<pid>" of the process that made it: a grading killed with SIGKILL cannot remove its
# containers, and this is how a later run on the same host knows they are orphans.
OWNER_LABEL = "faultline.owner"
_SAFE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$")


def session_id() -> str | None:
    value = os.environ.get(SESSION_ENV, "")
    # A label value or file name prefix: anything else is ignored rather than trusted.
    return value if _SAFE.match(value) else None


def labels() -> dict[str, str]:
    found = {"faultline": "1", OWNER_LABEL: owner()}
    if session := session_id():
        found[SESSION_LABEL] = session
    return found


def owner() -> str:
    return f"{socket.gethostname()}/{os.getpid()}"


def orphaned(owner_label: str) -> bool:
    """Made on this host by a process that no longer exists (never true for another host's)."""
    host, _, pid = owner_label.rpartition("/")
    if host != socket.gethostname() or not pid.isdigit():
        return False
    try:
        os.kill(int(pid), 0)
    except ProcessLookupError:
        return True
    except PermissionError:  # alive, someone else's
        return False
    return False


def temp_prefix(kind: str) -> str:
    """``faultline-<kind>-``, or ``faultline-<session>-<kind>-`` inside a session."""
    session = session_id()
    return f"faultline-{session}-{kind}-" if session else f"faultline-{kind}-"
