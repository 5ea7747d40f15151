"""The one error boundary: every error a user can cause maps to an exit code here."""
from __future__ import annotations

import enum


class ExitCode(enum.IntEnum):
    OK = 0  # the command did its job (for grade: graded, whatever the score)
    BELOW_THRESHOLD = 1  # graded, but the score is under --fail-under
    USAGE = 2  # bad arguments, unreadable key, unknown exercise: the user's input
    INFRASTRUCTURE = 3  # the grading host broke (no engine, no image): never the candidate's zero
    NO_VARIANT = 4  # no variant passed its self-check within the redraw budget
    INTERRUPTED = 130  # Ctrl-C; everything started was cleaned up
    INTERNAL = 70  # a bug in faultline itself: the only case that prints a traceback


class FaultlineError(Exception):
    """Base of every expected error; its message is printed as is, on one line."""

    exit_code: ExitCode = ExitCode.INTERNAL


class UsageError(FaultlineError):
    exit_code = ExitCode.USAGE


class InfrastructureError(FaultlineError):
    """The host cannot grade (engine down, image missing); the message says what to run."""

    exit_code = ExitCode.INFRASTRUCTURE


class SubmissionRejected(FaultlineError):
    """A submission that cannot be taken in safely (path escape, link, bomb): graded as rejected."""

    exit_code = ExitCode.OK


class VariantError(FaultlineError):
    exit_code = ExitCode.NO_VARIANT


class RenderCrash(FaultlineError):
    """A rendered pipeline raised during the self-check: a bug in an exercise, never redrawn."""

    exit_code = ExitCode.INTERNAL
