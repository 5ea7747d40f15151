"""HTML pages from the debrief model: Jinja2, sandboxed, strict and autoescaped.

Everything on these pages that came from a submission (file names, diffs, notes, test
names) is untrusted, hence autoescape; a template that names a missing field fails loudly
(StrictUndefined) instead of printing an empty cell.
"""
from __future__ import annotations

from pathlib import Path
from typing import Any

import jinja2
import jinja2.sandbox

from faultline.harness.debrief import fmt
from faultline.harness.errors import FaultlineError

TEMPLATES = Path(__file__).parent / "templates"


class DebriefTemplateError(FaultlineError):
    """A debrief template is broken: a bug in faultline, not the user's input."""


_DIFF_CLASS = {"+": "add", "-": "del", " ": "ctx"}


def environment() -> jinja2.sandbox.SandboxedEnvironment:
    env = jinja2.sandbox.SandboxedEnvironment(
        loader=jinja2.FileSystemLoader(str(TEMPLATES)),
        undefined=jinja2.StrictUndefined,
        autoescape=True,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters.update(
        num=fmt.num, count=fmt.count, pct=fmt.pct, secs=fmt.secs, mib=fmt.mib, share=fmt.share,
        caught=fmt.caught, example=fmt.example, slug=fmt.slug, diffclass=lambda tag: _DIFF_CLASS.get(tag, "ctx"),
    )
    return env


def render_page(template: str, **context: Any) -> str:
    try:
        return environment().get_template(template).render(**context)
    except jinja2.TemplateError as exc:
        raise DebriefTemplateError(f"debrief template {template}: {exc}") from exc
