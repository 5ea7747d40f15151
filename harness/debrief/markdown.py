"""debrief.md: the debrief as Markdown, to paste into a hiring system.

Shorter than the page: verdicts, evidence, the key, the questions and the candidate's notes;
the full diffs stay on the HTML page. Untrusted text (notes, file and test names) goes into
code spans or fenced blocks, so a hiring system's Markdown cannot turn it into markup.
"""
from __future__ import annotations

from faultline.harness.debrief.fmt import caught, count, example, mib, num, pct, secs, share
from faultline.harness.debrief.model import Debrief


def _code(text: str) -> str:
    """An inline code span that holds ``text`` whatever backticks it contains."""
    text = " ".join(str(text).split())
    ticks = "`"
    while ticks in text:
        ticks += "`"
    return f"{ticks} {text} {ticks}" if text.startswith("`") or text.endswith("`") else f"{ticks}{text}{ticks}"


def _fence(text: str) -> list[str]:
    fence = "```"
    while fence in text:
        fence += "`"
    return [fence + "text", text.rstrip("\n"), fence]


def _plain(text: str) -> str:
    """Key and ticket text (ours, trusted) on one line, with table pipes escaped."""
    return " ".join(str(text).split()).replace("|", "\\|")


def render_markdown(d: Debrief) -> str:
    parts = ", ".join(f"{name} {value}" for name, value in d.parts)
    out = [
        f"# Debrief: {d.exercise} {_code(d.variant)}",
        "",
        "_For the interviewer only: holds the answer key._",
        "",
        f"- Submission: {_code(d.submission_name)}, sha256 {_code(d.submission_sha256)} ({d.sha256_source})",
        f"- Exercise: {d.exercise_title or d.exercise}; difficulty {d.difficulty}; graded at {d.graded_at}",
        f"- Status: {d.status}; score **{num(d.score)} / {num(d.max_score)}** ({parts})",
    ]
    if d.message:
        out.append(f"- Note: {_code(d.message)}")
    out += ["", "| # | Fault | Verdict | Points | Footprint fixed | Candidate's tests |", "|---|---|---|---|---|---|"]
    for f in d.faults:
        out.append(f"| {f.index} | {f.id} | {f.verdict} | {num(f.points)}/{num(f.max_points)} "
                   f"| {share(f.evidence)} | {caught(f.catch)} |")
    for f in d.faults:
        out += ["", f"## {f.index}. {f.id}: {f.verdict}", "", f"> {_plain(f.ticket)}", ""]
        for e in f.evidence:
            examples = "; ".join(_code(example(x)) for x in e.examples)
            line = f"- {e.dataset}: {pct(e.share_fixed)} of {count(e.footprint)} footprint cells fixed"
            line += f", {count(e.faulty)} still faulty" if e.faulty is not None else ""
            line += f", {count(e.other)} other" if e.other is not None else ""
            out.append(line + (f"; e.g. {examples}" if examples else ""))
        out += ["", f"**Cause and fix (key):** {_plain(f.explanation)}", ""]
        out.append(f"**Candidate's changes at its sites:** {len(f.hunks)} hunk(s)"
                   + (" (" + ", ".join(_code(f"{h.file} {h.header}") for h in f.hunks) + ")" if f.hunks else ""))
        if f.catch is not None:
            tests = ", ".join(_code(t) for t in f.catch.tests)
            out += ["", f"**Candidate's tests:** {caught(f.catch)}" + (f" by {tests}" if tests else "")]
        if f.questions:
            out += ["", "**Follow-up questions:**", ""] + [f"{i}. {_plain(q)}" for i, q in enumerate(f.questions, 1)]
    out += ["", "## Regression, signals, runs", ""]
    for c in d.checks:
        detail = f": {_code(c.message)}" if c.message else ""
        points = (f"-{num(c.deduction)}" if c.deduction else "0") if c.deduction is not None \
            else f"{num(c.points)}/{num(c.max_points)}"
        cells = f" ({count(c.cells)} cells; columns {', '.join(c.columns)})" if c.cells else ""
        out.append(f"- {c.name}: {'pass' if c.passed else 'fail'}, {points}{cells}{detail}")
    out.append("- Candidate's tests against the faults: " + (
        (f"measured: {d.tests_summary}" if d.tests_summary else "measured (see the faults)") if d.tests_measured
        else "not measured"))
    if d.poisoned is None:
        out.append("- Poisoned exports: not measured")
    else:
        out += [f"- Poisoned export {_code(p.dataset)} ({p.kind}): {p.outcome}" for p in d.poisoned]
    for row in d.runs:
        ref = f" (reference {secs(row.reference.wall_seconds)})" if row.reference else ""
        out.append(f"- Run {row.run.dataset}: exit {row.run.exit_code}, {secs(row.run.wall_seconds)}{ref}, "
                   f"peak {mib(row.run.peak_memory_bytes)}")
    changed = [f"{_code(c.path)} ({c.status})" for c in d.changes]
    out += ["", "## Files changed against the bundle", "", ", ".join(changed) or "none"]
    if d.changes_problem:
        out.append(f"({d.changes_problem})")
    out += ["", "## The candidate's notes", ""]
    for note in d.notes:
        out += [f"{_code(note.name)}:", ""] + _fence(note.text) + [""]
    if not d.notes:
        out.append("No NOTES.md or INCIDENT.md in the submission.")
    return "\n".join(out) + "\n"
