"""Rendering an exercise's template tree into a workspace, with a chosen set of faults on."""
from __future__ import annotations

import functools
import shutil
import types
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import jinja2
import jinja2.sandbox

from faultline.harness.errors import FaultlineError


class TemplateError(FaultlineError):
    """A template of an exercise is broken: a bug in faultline's exercise, not user input."""


def fault_namespace(
    all_ids: list[str], on: Mapping[str, Mapping[str, Any]]
) -> types.SimpleNamespace:
    """``F.<fault_id_with_underscores>`` is the fault's params when on, else None."""
    return types.SimpleNamespace(
        **{fid.replace("-", "_"): (dict(on[fid]) if fid in on else None) for fid in all_ids}
    )


@functools.lru_cache(maxsize=32)
def _environment(templates: str) -> jinja2.sandbox.SandboxedEnvironment:
    """One environment per template tree: a variant renders its tree a dozen times (bundle,
    solution, each fault alone), and the environment compiles each template once, then
    reloads it only when the file changed (jinja's own up-to-date check)."""
    return jinja2.sandbox.SandboxedEnvironment(
        loader=jinja2.FileSystemLoader(templates),
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        autoescape=False,
    )


def render_tree(templates: Path, dest: Path, context: Mapping[str, Any]) -> None:
    """Render every ``*.j2`` file under ``templates`` into ``dest`` and copy the rest."""
    env = _environment(str(templates))
    for src in sorted(templates.rglob("*")):
        if src.is_dir() or "__pycache__" in src.parts:
            continue
        rel = src.relative_to(templates)
        if rel.suffix == ".j2":
            target = dest / rel.with_suffix("")
            name = rel.as_posix()
            try:
                text = env.get_template(name).render(**context)
            except jinja2.TemplateError as exc:
                raise TemplateError(f"template {name}: {exc}") from exc
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(text)
        else:
            target = dest / rel
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(src, target)
