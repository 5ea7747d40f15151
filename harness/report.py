"""Writing a result to disk: result.json, JUnit XML and a one-page HTML report."""
from __future__ import annotations

import html
import json
from pathlib import Path

from faultline.harness.result import Result


def write_reports(result: Result, out: Path, *, junit: Path | None = None) -> list[Path]:
    out.mkdir(parents=True, exist_ok=True)
    written = [out / "result.json", out / "report.html"]
    (out / "result.json").write_text(json.dumps(result.doc, indent=2) + "\n")
    (out / "report.html").write_text(render_html(result))
    if result.junit_xml:
        target = junit or out / "junit.xml"
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(result.junit_xml)
        written.append(target)
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
        f"<td>{c['points']}/{c['max_points']}</td><td>{e(c['message'])}</td></tr>"
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
