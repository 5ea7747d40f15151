"""The pipeline libraries are pinned alike wherever a pipeline runs: the host that computes
the key's expected outputs, the sandbox image, and the candidate's bundle."""
from __future__ import annotations

import tomllib

from faultline.exercises.common import TEMPLATES
from tests.helpers import ROOT

LIBRARIES = ("pandas", "pyarrow", "numpy", "pytest")


def _pins(lines: list[str]) -> dict[str, str]:
    pins = {}
    for line in lines:
        line = line.split("#", 1)[0].strip()
        if "==" in line:
            name, version = line.split("==", 1)
            pins[name.strip().lower()] = version.strip()
    return {name: pins[name] for name in LIBRARIES if name in pins}


def test_pins_agree() -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["dependencies"]
    host = _pins(project)
    image = _pins((ROOT / "docker" / "requirements.txt").read_text().splitlines())
    bundle = _pins((TEMPLATES / "requirements.txt").read_text().splitlines())
    assert set(host) == set(LIBRARIES)
    assert host == image == bundle
