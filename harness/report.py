"""Writing a result to disk: result.json, junit.xml and a one-page HTML report.

``--out`` belongs to faultline: before grading, the files an earlier run left there are
removed, so nothing stale survives (a green junit.xml of a previous submission above all);
a folder that holds anything else is refused rather than cleared.
"""
from __future__ import annotations

import html
import json
from pathlib import Path

from faultline.harness import junit
from faultline.harness.errors import UsageError
from faultline.harness.result import Result

# Every name grade writes into --out (the debrief's pages too); nothing else is touched.
OWNED = frozenset({"result.json", "junit.xml", "report.html", "debrief.html", "debrief.md", "feedback.html"})


def prepare_out(out: Path) -> None:
    """Empty ``out`` of an earlier run's files, or refuse (exit 2) if it holds others' files."""
    if out.exists() and not out.is_dir():
        raise UsageError(f"--out {out} is a file, not a folder")
    if out.is_dir():
        foreign = sorted(p.name for p in out.iterdir() if p.name not in OWNED or not p.is_file() or p.is_symlink())
        if foreign:
            shown = ", ".join(foreign[:3]) + (", ..." if len(foreign) > 3 else "")
            raise UsageError(f"--out {out} holds files faultline did not write ({shown}); choose an empty folder")
        for name in OWNED:
            (out / name).unlink(missing_ok=True)


def write_reports(result: Result, out: Path, *, junit_path: Path | None = None) -> list[Path]:
    out.mkdir(parents=True, exist_ok=True)
    xml = junit.render(result)
    written = [out / "result.json", out / "report.html", out / "junit.xml"]
    (out / "result.json").write_text(json.dumps(result.doc, indent=2) + "\n")
    (out / "report.html").write_text(render_html(result))
    (out / "junit.xml").write_text(xml)
    if junit_path is not None:
        junit_path.parent.mkdir(parents=True, exist_ok=True)
        junit_path.write_text(xml)
        written.append(junit_path)
    return written


def render_html(result: Result) -> str:
    doc = result.doc
    e = html.escape
    rows = "".join(
        f"<tr class={'ok' if f['fixed'] else 'bad'}><td>{e(f['id'])}</td><td>{e(f['family'])}</td>"
        f"<td>{f['points']}/{f['max_points']}</td><td>{e(f['message'])}</td></tr>"
        for f in doc["faults"]
    )
    checks = "".join(
        f"<tr class={'ok' if c['passed'] else 'bad'}><td>{e(c['name'])}</td><td></td>"
        f"<td>-{c['deduction']}</td><td>{e(c['message'])}</td></tr>"
        for c in doc["checks"]
    )
    runs = "".join(
        f"<details><summary>{e(r['dataset'])}: exit {r['exit_code']}, {r['wall_seconds']:.2f}s"
        f"{' (timed out)' if r['timed_out'] else ''}</summary><pre>{e(r['log'])}</pre></details>"
        for r in doc["runs"]
    )
    return f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>faultline: {e(doc['variant'])}</title>
<style>body{{font-family:sans-serif;max-width:60em;margin:2em auto}}
td{{padding:.2em .6em;vertical-align:top}}pre{{white-space:pre-wrap}}
.ok td:first-child{{border-left:4px solid #2a2}}.bad td:first-child{{border-left:4px solid #c22}}</style>
</head><body>
<h1>{e(doc['exercise'])} &mdash; {e(doc['variant'])}</h1>
<p>Status <b>{e(doc['status'])}</b>, score <b>{doc['score']} / {doc['max_score']}</b>, sandbox {e(doc['sandbox'])}.</p>
{f"<p>{e(doc['message'])}</p>" if doc['message'] else ''}
<table><tr><th>fault / check</th><th>family</th><th>points</th><th>detail</th></tr>{rows}{checks}</table>
<h2>Runs</h2>{runs or '<p>none</p>'}
</body></html>
"""
