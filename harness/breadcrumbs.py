"""Breadcrumbs: names a rendered pipeline defines and never uses.

A fault site must read as code a competent engineer could have written. A constant,
import, config entry or helper that nothing uses is how a fix gets left lying beside
the faulty line (an exponent table next to a flat ``/ 100``), so every render made in
the self-check is read here, with the standard library's ``ast``, and one such name is
a bug in the exercise: the self-check stops (exit 70), it does not redraw.

What counts as used: a name read anywhere in its module (outside its own definition),
imported by name from it (``from pipeline.config import X``), read as an attribute of
it (``from pipeline import clean`` ... ``clean.X``), or listed in ``__all__``. The
bundle's tests count as users. A config module's names must be used by another module:
a setting only config itself reads is unused. Fields of config's classes must be read
as attributes somewhere.
"""
from __future__ import annotations

import ast
import dataclasses
from collections.abc import Iterable
from pathlib import Path

from faultline.harness.errors import FaultlineError

PACKAGE = "pipeline"
CONFIG = "config"
# Names Python or the entry point use without naming them.
_IMPLICIT = frozenset({"__all__", "__version__", "__doc__", "main"})


class BreadcrumbError(FaultlineError):
    """A render defines a name it never uses: a bug in an exercise's templates, never redrawn."""


@dataclasses.dataclass(frozen=True)
class Finding:
    path: str  # relative to the workspace
    line: int
    kind: str  # "import", "name", "config", "field"
    name: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: unused {self.kind} {self.name!r}"


@dataclasses.dataclass
class _Module:
    name: str  # "config", "clean", ... ("" for the package's __init__)
    path: str
    tree: ast.Module
    defined: dict[str, tuple[int, str]] = dataclasses.field(default_factory=dict)  # name -> (line, kind)
    fields: dict[str, int] = dataclasses.field(default_factory=dict)  # config classes' fields
    used_here: set[str] = dataclasses.field(default_factory=set)


def _targets(node: ast.expr) -> Iterable[ast.Name]:
    if isinstance(node, ast.Name):
        yield node
    elif isinstance(node, ast.Tuple | ast.List):
        for element in node.elts:
            yield from _targets(element)


def _definitions(module: _Module) -> None:
    for node in module.tree.body:
        if isinstance(node, ast.Import | ast.ImportFrom):
            if isinstance(node, ast.ImportFrom) and node.module == "__future__":
                continue
            for alias in node.names:
                bound = alias.asname or alias.name.split(".")[0]
                module.defined[bound] = (node.lineno, "import")
        elif isinstance(node, ast.Assign):
            for target in node.targets:
                for name in _targets(target):
                    module.defined[name.id] = (node.lineno, "name")
        elif isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
            module.defined[node.target.id] = (node.lineno, "name")
        elif isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
            module.defined[node.name] = (node.lineno, "name")
            if module.name == CONFIG and isinstance(node, ast.ClassDef):
                for item in node.body:
                    if isinstance(item, ast.AnnAssign) and isinstance(item.target, ast.Name):
                        module.fields[item.target.id] = item.lineno


def _reads(tree: ast.AST, *, skip_own: bool) -> set[str]:
    """Names read in ``tree``; with ``skip_own``, a module-level def's own name inside it is not a read."""
    reads: set[str] = set()
    for top in ast.iter_child_nodes(tree):
        own = top.name if skip_own and isinstance(top, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef) else None
        for node in ast.walk(top):
            if isinstance(node, ast.Name) and not isinstance(node.ctx, ast.Store) and node.id != own:
                reads.add(node.id)
    if isinstance(tree, ast.Module):
        for node in tree.body:  # __all__ = ["a", "b"] re-exports
            if not isinstance(node, ast.Assign) or not isinstance(node.value, ast.List | ast.Tuple):
                continue
            if any(isinstance(t, ast.Name) and t.id == "__all__" for t in node.targets):
                elements = node.value.elts
                reads |= {e.value for e in elements if isinstance(e, ast.Constant) and isinstance(e.value, str)}
    return reads


def _external(tree: ast.Module) -> dict[str, set[str]]:
    """What a module takes from the package's modules: {module: names}."""
    taken: dict[str, set[str]] = {}
    aliases: dict[str, str] = {}  # local name -> package module
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module:
            if node.module == PACKAGE:
                for alias in node.names:  # from pipeline import clean
                    aliases[alias.asname or alias.name] = alias.name
            elif node.module.startswith(PACKAGE + "."):
                target = node.module.split(".", 1)[1]
                taken.setdefault(target, set()).update(a.name for a in node.names)
        elif isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.startswith(PACKAGE + ".") and alias.asname:
                    aliases[alias.asname] = alias.name.split(".", 1)[1]
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and node.value.id in aliases:
            taken.setdefault(aliases[node.value.id], set()).add(node.attr)
    return taken


def check(workspace: Path) -> list[Finding]:
    """Every unused import, module-level name, config entry and config field of ``workspace/pipeline``."""
    package = workspace / PACKAGE
    modules: list[_Module] = []
    for path in sorted(package.rglob("*.py")):
        name = path.relative_to(package).with_suffix("").as_posix().replace("/", ".")
        name = "" if name == "__init__" else name
        tree = ast.parse(path.read_text(), filename=str(path))
        module = _Module(name, path.relative_to(workspace).as_posix(), tree)
        _definitions(module)
        module.used_here = _reads(tree, skip_own=True)
        modules.append(module)
    users = [m.tree for m in modules] + [
        ast.parse(p.read_text(), filename=str(p)) for p in sorted((workspace / "tests").rglob("*.py"))
    ]
    taken: dict[str, set[str]] = {}
    field_reads: set[str] = set()  # Settings(start_date=...) only sets a field: reads are attributes
    for tree in users:
        for target, names in _external(tree).items():
            taken.setdefault(target, set()).update(names)
        field_reads |= {n.attr for n in ast.walk(tree) if isinstance(n, ast.Attribute)}

    findings = []
    for module in modules:
        from_outside = taken.get(module.name, set())
        for name, (line, kind) in module.defined.items():
            if name in _IMPLICIT or name in from_outside:
                continue
            if module.name == CONFIG and kind == "name":
                findings.append(Finding(module.path, line, "config entry", name))
            elif name not in module.used_here:
                findings.append(Finding(module.path, line, kind, name))
        for name, line in module.fields.items():
            if name not in field_reads:
                findings.append(Finding(module.path, line, "config field", name))
    return sorted(findings, key=lambda f: (f.path, f.line, f.name))


def require_clean(workspace: Path, what: str) -> None:
    """Raise BreadcrumbError naming every unused name of the render ``what`` in ``workspace``."""
    findings = check(workspace)
    if findings:
        listed = "; ".join(str(f) for f in findings)
        raise BreadcrumbError(f"{what} leaves names unused, a fix or a hint beside a fault site: {listed}")
