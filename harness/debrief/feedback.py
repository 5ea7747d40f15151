"""feedback.html: the page a candidate may see, ticket by ticket.

It is built from its own small model on purpose, not by hiding parts of the debrief: only
what is copied into ``Feedback`` can reach the page. Tickets are the README's own text and
numbering; nothing names a fault, quotes the key, a grader message, a log or a dataset.
"""
from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from typing import Any

from faultline.harness.debrief.html import render_page
from faultline.harness.debrief.resultview import ResultView


@dataclasses.dataclass(frozen=True)
class TicketFeedback:
    number: int  # as in the bundle's README
    text: str
    resolved: bool | None  # None: not graded


@dataclasses.dataclass(frozen=True)
class Feedback:
    title: str
    graded: bool
    headline: str
    tickets: tuple[TicketFeedback, ...]
    remarks: tuple[str, ...]


def build_feedback(key_doc: Mapping[str, Any], view: ResultView, exercise_title: str) -> Feedback:
    graded = view.status == "graded"
    tickets = []
    for number, fault in enumerate(key_doc.get("faults", []), 1):
        outcome = view.fault(str(fault.get("id")))
        resolved = outcome.fixed if (graded and outcome) else None
        text = fault.get("ticket") or "A breach of the contract that no ticket reported."
        tickets.append(TicketFeedback(number, str(text), resolved))
    remarks = []
    if view.status == "rejected":
        headline = "Your submission could not be graded: it could not be taken in safely (for example a link "\
                   "or a path outside the folder). Please send a plain folder, .zip or .tar.gz."
    elif not graded:
        headline = "Grading did not complete because of a problem on our side; this says nothing about your work."
    else:
        done = sum(1 for t in tickets if t.resolved)
        headline = f"{done} of {len(tickets)} tickets resolved on our held-out exports."
        if any(r.exit_code != 0 for r in view.runs):
            remarks.append("Your pipeline did not finish successfully on every held-out export.")
        if any(c.name == "no_regression" and not c.passed for c in view.checks):
            remarks.append("Your changes also altered parts of the feature table that no ticket is about.")
        if any(c.name == "schema" and not c.passed for c in view.checks):
            remarks.append("The feature table's columns or their types differ from the contract in the README.")
    return Feedback(exercise_title, graded, headline, tuple(tickets), tuple(remarks))


def render_feedback(feedback: Feedback) -> str:
    return render_page("feedback.html.j2", f=feedback)
