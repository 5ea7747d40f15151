"""The pipeline libraries are pinned alike wherever a pipeline runs: the host that computes
the key's expected outputs, the sandbox image, and the candidate's bundle. Only those are
pinned exactly on the host; the rest take ranges, which the image's and bundle's pins meet."""
from __future__ import annotations

import tomllib

from packaging.requirements import Requirement

from faultline.exercises.common import TEMPLATES
from tests.helpers import ROOT

# The expected outputs depend on these to the bit.
EXACT = ("pandas", "pyarrow", "numpy")


def _requirements(lines: list[str]) -> dict[str, Requirement]:
    found = {}
    for line in lines:
        line = line.split("#", 1)[0].strip()
        if line:
            req = Requirement(line)
            found[req.name.lower()] = req
    return found


def _exact(req: Requirement) -> str | None:
    specs = list(req.specifier)
    return specs[0].version if len(specs) == 1 and specs[0].operator == "==" else None


def test_pins_agree() -> None:
    host = _requirements(tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["dependencies"])
    image = _requirements((ROOT / "docker" / "requirements.txt").read_text().splitlines())
    bundle = _requirements((TEMPLATES / "requirements.txt").read_text().splitlines())

    for name in EXACT:
        pins = {where: _exact(reqs[name]) for where, reqs in (("host", host), ("image", image), ("bundle", bundle))}
        assert None not in pins.values(), f"{name} is not pinned exactly everywhere: {pins}"
        assert len(set(pins.values())) == 1, f"{name} pins disagree: {pins}"

    # Nothing else is pinned exactly on the host: a range lets faultline install beside other tools.
    assert sorted(name for name, req in host.items() if _exact(req)) == sorted(EXACT)

    # What the image and the bundle pin of the host's other dependencies (pytest runs the
    # graders in both places) lies inside the host's range.
    for reqs in (image, bundle):
        for name, req in reqs.items():
            if name in host and name not in EXACT:
                version = _exact(req)
                assert version is not None and host[name].specifier.contains(version), (name, str(req))
