"""Near-identical changes across a round: evidence for a human, never a verdict.

Each submission is diffed against its own bundle (re-rendered from its key), so candidates
with different variants compare alike. Only what a candidate wrote counts: added lines,
with comments and whitespace dropped and names replaced by placeholders (``frame`` and ``df``
read the same); lines the reference solution or the bundle already hold are left out, since
two candidates who both write the expected fix have not copied each other. Two candidates'
authored lines are compared as multisets (Dice coefficient).
"""
from __future__ import annotations

import builtins
import collections
import dataclasses
import difflib
import io
import json
import keyword
import tempfile
import tokenize
from pathlib import Path
from typing import Any

from faultline.harness.batch.gradebook import Row
from faultline.harness.errors import FaultlineError

COMPARED = ("pipeline", "tests")  # the folders a candidate works in
MIN_TOKENS = 4  # shorter lines (`return df`, `)`) say nothing about who wrote them
MIN_LINES = 3  # a pair needs at least this many shared authored lines to be listed
_KEEP = set(keyword.kwlist) | set(dir(builtins)) | {"self", "cls"}


@dataclasses.dataclass(frozen=True)
class Hunk:
    file: str
    line: int  # first added line, 1-based, in the submission
    text: tuple[str, ...]  # as written
    norm: tuple[str, ...]  # normalised, authored lines only


@dataclasses.dataclass(frozen=True)
class Pair:
    a: str
    b: str
    score: float
    shared_lines: int
    authored: tuple[int, int]
    hunks: tuple[tuple[Hunk, Hunk], ...]  # (a's hunk, b's hunk) sharing authored lines

    def to_json(self) -> dict[str, Any]:
        return {
            "a": self.a, "b": self.b, "score": round(self.score, 3), "shared_lines": self.shared_lines,
            "authored_lines": list(self.authored),
            "shared_hunks": [
                {"a": {"file": x.file, "line": x.line, "text": list(x.text)},
                 "b": {"file": y.file, "line": y.line, "text": list(y.text)}} for x, y in self.hunks
            ],
        }


def normalise(line: str) -> str | None:
    """Tokens without comments or layout, names as placeholders; None for a line saying nothing."""
    try:
        tokens = list(tokenize.generate_tokens(io.StringIO(line.strip() + "\n").readline))
    except (tokenize.TokenError, IndentationError, SyntaxError):
        # Half of a bracketed expression: compare its words instead.
        words = line.split("#", 1)[0].split()
        return " ".join(words) if len(words) >= MIN_TOKENS else None
    names: dict[str, str] = {}
    out = []
    for tok in tokens:
        if tok.type in (tokenize.COMMENT, tokenize.NL, tokenize.NEWLINE, tokenize.INDENT, tokenize.DEDENT,
                        tokenize.ENDMARKER):
            continue
        if tok.type == tokenize.NAME and tok.string not in _KEEP:
            out.append(names.setdefault(tok.string, f"n{len(names)}"))
        else:
            out.append(tok.string)
    return " ".join(out) if len(out) >= MIN_TOKENS else None


def _py_files(root: Path) -> dict[str, list[str]]:
    found = {}
    for folder in COMPARED:
        for path in sorted((root / folder).rglob("*.py")) if (root / folder).is_dir() else []:
            if "__pycache__" not in path.parts:
                found[path.relative_to(root).as_posix()] = path.read_text(errors="replace").splitlines()
    return found


def _bundle(key: Path, dest: Path) -> Path:
    """The candidate's bundle as handed out: the templates with the variant's faults on."""
    from faultline.exercises.registry import EXERCISES
    from faultline.harness.render import fault_namespace, render_tree

    doc = json.loads((key / "variant.json").read_text())
    exercise = EXERCISES[doc["exercise"]]
    namespace = fault_namespace(list(exercise.FAULTS), {f["id"]: f["params"] for f in doc["faults"]})
    # The templates also render the variant's own spec (windows, names, units).
    context = {"F": namespace, "S": exercise.spec_from_json(doc["spec"]), "strict": False}
    for folder in COMPARED:
        render_tree(exercise.TEMPLATES / folder, dest / folder, context)
    return dest


def authored_hunks(submission: Path, key: Path, scratch: Path) -> list[Hunk]:
    """The submission's added hunks against its bundle, keeping lines neither bundle nor solution hold."""
    from faultline.harness.intake import open_submission

    mine = _py_files(open_submission(submission, scratch / "submission"))
    given = _py_files(_bundle(key, scratch / "bundle"))
    known = {n for lines in (*given.values(), *_py_files(key / "solution").values()) for line in lines
             if (n := normalise(line))}
    hunks = []
    for name, lines in mine.items():
        matcher = difflib.SequenceMatcher(a=given.get(name, []), b=lines, autojunk=False)
        for tag, _i1, _i2, j1, j2 in matcher.get_opcodes():
            if tag in ("insert", "replace"):
                norm = tuple(n for line in lines[j1:j2] if (n := normalise(line)) and n not in known)
                if norm:
                    hunks.append(Hunk(name, j1 + 1, tuple(lines[j1:j2]), norm))
    return hunks


def pairs(rows: list[Row], *, threshold: float) -> list[Pair]:
    changes: dict[str, list[Hunk]] = {}
    with tempfile.TemporaryDirectory(prefix="faultline-similar-") as tmp:
        for i, row in enumerate(rows):
            try:
                changes[row.key.candidate] = authored_hunks(
                    Path(row.submission), Path(row.key_path), Path(tmp) / str(i))
            except (OSError, ValueError, KeyError, FaultlineError):
                continue  # moved, rejected or unreadable since grading: nothing to compare
    found = []
    names = sorted(changes)
    for x, a in enumerate(names):
        for b in names[x + 1:]:
            pair = _compare(a, changes[a], b, changes[b])
            if pair is not None and pair.score >= threshold:
                found.append(pair)
    return sorted(found, key=lambda p: -p.score)


def _compare(a: str, ha: list[Hunk], b: str, hb: list[Hunk]) -> Pair | None:
    la = collections.Counter(n for h in ha for n in h.norm)
    lb = collections.Counter(n for h in hb for n in h.norm)
    total_a, total_b = sum(la.values()), sum(lb.values())
    shared = sum((la & lb).values())
    if shared < MIN_LINES:
        return None
    hunks = []
    for h in ha:
        best = max(hb, key=lambda g: sum((collections.Counter(h.norm) & collections.Counter(g.norm)).values()))
        if sum((collections.Counter(h.norm) & collections.Counter(best.norm)).values()):
            hunks.append((h, best))
    return Pair(a, b, 2 * shared / (total_a + total_b), shared, (total_a, total_b), tuple(hunks))


def render(found: list[Pair], candidates: int, threshold: float) -> str:
    head = (f"{len(found)} pair(s) of {candidates} candidates with near-identical changes "
            f"(similarity >= {threshold:g}); evidence for a human to read, never a verdict")
    lines = [head]
    for p in found:
        lines.append(f"\n{p.a} ~ {p.b}: similarity {p.score:.2f}, {p.shared_lines} shared authored line(s) "
                     f"of {p.authored[0]} and {p.authored[1]}")
        for x, y in p.hunks[:5]:
            lines.append(f"  {p.a} {x.file}:{x.line}  ~  {p.b} {y.file}:{y.line}")
            lines += [f"    | {t}" for t in x.text[:8]]
    return "\n".join(lines)
