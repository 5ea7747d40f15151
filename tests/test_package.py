"""The distribution as a user gets it: one wheel, one import package, its data, a light `list`.

The wheel is built once per session, from the sdist (as pip does for an sdist), so a file
the sdist forgets fails here too. The Docker half of the installed check (image build and
a grade) is in .ci/run, which installs the same wheel the same way.
"""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from faultline.exercises.registry import EXERCISES
from tests.helpers import ROOT

pytestmark = pytest.mark.xdist_group("package")


def _run(argv: list[str | Path], cwd: Path, timeout: float = 600) -> subprocess.CompletedProcess[str]:
    # A clean environment: nothing may come from this checkout or the test venv.
    env = {k: v for k, v in os.environ.items() if k not in {"PYTHONPATH", "VIRTUAL_ENV", "PYTHONSAFEPATH"}}
    proc = subprocess.run(list(map(str, argv)), cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout)
    assert proc.returncode == 0, f"{argv} exited {proc.returncode}:\n{proc.stdout[-2000:]}\n{proc.stderr[-2000:]}"
    return proc


@pytest.fixture(scope="session")
def dist(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """sdist and wheel built from this checkout into a temporary folder."""
    out = tmp_path_factory.mktemp("dist")
    # Built from a copy: setuptools stages the sdist and writes egg-info inside the source
    # folder, which must not race another build of the same checkout.
    source = tmp_path_factory.mktemp("source") / "faultline"
    shutil.copytree(ROOT, source, ignore=shutil.ignore_patterns(
        ".git", ".venv", "build", "dist", "*.egg-info", "__pycache__", ".pytest_cache", ".mypy_cache",
        ".ruff_cache", "demo", "faultline-result",
    ))
    # --no-isolation: the dev extras carry setuptools and build, so no download is needed;
    # building sdist then wheel from it is `python -m build`'s default.
    _run([sys.executable, "-m", "build", "--no-isolation", "--outdir", out, source], cwd=out)
    return out


@pytest.fixture(scope="session")
def wheel(dist: Path) -> Path:
    (found,) = dist.glob("faultline-*.whl")
    return found


@pytest.fixture(scope="session")
def installed(wheel: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A fresh venv, outside the checkout, with the wheel and its dependencies; its bin/."""
    venv = tmp_path_factory.mktemp("venv")
    _run([sys.executable, "-m", "venv", venv], cwd=venv)
    _run([venv / "bin" / "python", "-m", "pip", "install", "-q", wheel], cwd=venv)
    return venv / "bin"


def test_wheel_installs_only_the_faultline_package(wheel: Path) -> None:
    names = zipfile.ZipFile(wheel).namelist()
    tops = {name.split("/", 1)[0] for name in names}
    dist_info = {t for t in tops if t.endswith(".dist-info")}
    assert tops - dist_info == {"faultline"}, sorted(tops)
    # The repository's folder names would collide with other distributions' packages.
    assert not {"harness", "exercises", "graders", "docker", "tests"} & tops


def test_wheel_carries_recipe_templates_and_graders_config(wheel: Path) -> None:
    names = set(zipfile.ZipFile(wheel).namelist())
    needed = {"faultline/docker/Dockerfile", "faultline/docker/requirements.txt", "faultline/graders/pytest.ini"}
    templates = [
        path for path in (ROOT / "exercises").glob("*/templates/**/*")
        if path.is_file() and "__pycache__" not in path.parts
    ]
    assert len(templates) > 20  # every exercise's pipeline, tests and brief, and the common files
    needed |= {"faultline/exercises/" + path.relative_to(ROOT / "exercises").as_posix() for path in templates}
    for exercise in EXERCISES.values():
        # Each registered exercise's own templates, whatever its folder is called.
        assert any(n.startswith(f"faultline/exercises/{exercise.TEMPLATES.parent.name}/templates/") for n in names)
    assert sorted(needed - names) == []
    assert not [n for n in names if "__pycache__" in n or n.endswith(".pyc")]


def test_sdist_carries_the_tests(dist: Path) -> None:
    import tarfile

    (sdist,) = dist.glob("faultline-*.tar.gz")
    with tarfile.open(sdist) as tar:
        names = {name.split("/", 1)[1] for name in tar.getnames() if "/" in name}
    for needed in ("tests/conftest.py", "tests/helpers.py", "tests/test_package.py",
                   "tests/sandbox/hostile/cases.toml", "MANIFEST.in", "Makefile", "docker/ensure-engine.sh"):
        assert needed in names


def test_installed_cli_lists_without_pandas_or_pyarrow(installed: Path, tmp_path: Path) -> None:
    # Run from an empty folder: the checkout's faultline/ must not be what gets imported.
    proc = _run([installed / "python", "-X", "importtime", "-m", "faultline", "list"], cwd=tmp_path)
    for exercise in EXERCISES.values():
        assert exercise.ID in proc.stdout
    imported = [line.rsplit("|", 1)[-1].strip() for line in proc.stderr.splitlines() if "|" in line]
    assert "faultline.harness.cli" in imported  # importtime did report
    heavy = [m for m in imported if m.split(".")[0] in {"pandas", "pyarrow"}]
    assert heavy == [], heavy[:5]


def test_installed_package_finds_its_recipe(installed: Path, tmp_path: Path) -> None:
    code = "from faultline.harness.image import recipe_dir; print(recipe_dir())"
    recipe = Path(_run([installed / "python", "-c", code], cwd=tmp_path).stdout.strip())
    assert (recipe / "Dockerfile").is_file()
    assert not recipe.is_relative_to(ROOT), recipe  # the installed copy, not the checkout's
    assert _run([installed / "faultline", "--help"], cwd=tmp_path).stdout.startswith("usage: faultline")
