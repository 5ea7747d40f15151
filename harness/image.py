"""The sandbox image: build it offline, tell whether it is there and current.

The image is ``faultline-sandbox:<harness version>``, built from ``docker/Dockerfile`` on a
base made from Debian packages (no registry is reachable) with Python packages from a
wheelhouse the host's pip downloads. It carries a label with the hash of the Dockerfile and
requirements, so a build is a no-op while they are unchanged. Graders are mounted at check
time, never baked in, so editing them needs no rebuild.
"""

from __future__ import annotations

import dataclasses
import hashlib
import importlib.metadata
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

from faultline.harness.errors import InfrastructureError


def recipe_dir() -> Path:
    """The image recipe (Dockerfile, requirements, scripts), shipped as package data."""
    from importlib.resources import files

    try:
        # faultline.docker has no __init__.py (in a checkout, a regular package `docker` would
        # shadow the Docker SDK), so files() gives a namespace MultiplexedPath whose str() is
        # not a path; a file joined onto it is a real one.
        folder = Path(str(files("faultline.docker").joinpath("Dockerfile"))).parent
    except ModuleNotFoundError:
        # An editable install maps Python packages only: the recipe is the checkout's docker/.
        folder = Path(str(files("faultline.harness"))).parent / "docker"
    if not (folder / "Dockerfile").is_file():
        raise InfrastructureError(f"the sandbox image recipe is missing from {folder}: reinstall faultline")
    return folder


DEFAULT_BASE = "faultline-base:bookworm"
RECIPE_LABEL = "faultline.recipe"
ENGINE_HINT = "run docker/ensure-engine.sh (as root) to start one"
BUILD_HINT = "run `faultline image build`"
# pandas 3.1.1 and pyarrow ship manylinux_2_24/2_28 wheels only; list the older tags too so a
# pin that moves back to manylinux2014 still resolves. Bookworm's glibc is 2.36.
PLATFORMS = ("manylinux_2_28_x86_64", "manylinux_2_24_x86_64", "manylinux2014_x86_64")


@dataclasses.dataclass(frozen=True)
class ImageStatus:
    tag: str
    present: bool
    current: bool  # built from the Dockerfile and requirements in this checkout
    image_id: str | None


def harness_version() -> str:
    try:
        return importlib.metadata.version("faultline")
    except importlib.metadata.PackageNotFoundError:  # running from a bare checkout
        return "0.0.0+unknown"


def image_tag() -> str:
    return f"faultline-sandbox:{harness_version()}"


def cache_dir() -> Path:
    """Where the wheelhouse and rootfs live: never in git, reused across checkouts."""
    if env := os.environ.get("FAULTLINE_CACHE"):
        return Path(env)
    xdg = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(xdg) / "faultline"


def docker_client() -> Any:
    """A connected Docker client, or InfrastructureError naming the script that fixes it."""
    try:
        import docker
    except ImportError as exc:  # pragma: no cover - docker is a hard dependency
        raise InfrastructureError("the `docker` Python package is missing: pip install docker") from exc
    try:
        client = docker.from_env(timeout=120)  # type: ignore[attr-defined]
        client.ping()
    except Exception as exc:  # DockerException, requests errors, missing socket: all mean "no engine"
        raise InfrastructureError(f"no Docker engine answers ({_short(exc)}): {ENGINE_HINT}") from exc
    return client


def recipe_hash() -> str:
    digest = hashlib.sha256()
    for name in ("Dockerfile", "requirements.txt"):
        path = recipe_dir() / name
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise InfrastructureError(
                f"cannot read {path}: the image recipe ships with the faultline checkout"
            ) from exc
        digest.update(name.encode() + b"\0" + data + b"\0")
    return digest.hexdigest()


def image_status(client: Any | None = None) -> ImageStatus:
    import docker.errors

    client = client or docker_client()
    tag = image_tag()
    try:
        image = client.images.get(tag)
    except docker.errors.ImageNotFound:
        return ImageStatus(tag=tag, present=False, current=False, image_id=None)
    labels = image.labels or {}
    return ImageStatus(
        tag=tag, present=True, current=labels.get(RECIPE_LABEL) == recipe_hash(), image_id=image.id
    )


def require_image(client: Any | None = None) -> str:
    """The tag of a present, current sandbox image; InfrastructureError saying what to run if not."""
    status = image_status(client)
    if not status.present:
        raise InfrastructureError(f"sandbox image {status.tag} is missing: {BUILD_HINT}")
    if not status.current:
        # A stale image may hold other pandas/pyarrow versions than the key was computed with.
        raise InfrastructureError(f"sandbox image {status.tag} is out of date with docker/: {BUILD_HINT}")
    return status.tag


def build_image(*, base: str | None = None, force: bool = False) -> str:
    """Build the sandbox image unless it is already current; return its tag."""
    client = docker_client()
    status = image_status(client)
    if status.current and not force:
        return status.tag
    base_tag = _ensure_base(client, base)
    wheels = _wheelhouse(recipe_dir() / "requirements.txt")
    with tempfile.TemporaryDirectory(prefix="faultline-build-") as tmp:
        context = Path(tmp)
        shutil.copy2(recipe_dir() / "Dockerfile", context / "Dockerfile")
        shutil.copy2(recipe_dir() / "requirements.txt", context / "requirements.txt")
        shutil.copytree(wheels, context / "wheels", ignore=shutil.ignore_patterns(".complete"))
        _docker_build(client, context, status.tag, base_tag)
    return status.tag


def _ensure_base(client: Any, base: str | None) -> str:
    import docker.errors

    wanted = base or DEFAULT_BASE
    try:
        client.images.get(wanted)
        return wanted
    except docker.errors.ImageNotFound:
        if base is not None:
            raise InfrastructureError(
                f"base image {base} is not present locally (no registry is reachable)"
            ) from None
    script = recipe_dir() / "build-base.sh"
    print(f"faultline: building base image {wanted} from Debian packages (about a minute)", file=sys.stderr)
    done = subprocess.run(
        ["bash", str(script), wanted], env={**os.environ, "FAULTLINE_CACHE": str(cache_dir())}
    )
    if done.returncode != 0:
        raise InfrastructureError(f"building the base image failed (exit {done.returncode}): see {script}")
    return wanted


def _wheelhouse(requirements: Path) -> Path:
    """Download the pinned wheels for the image's Python once per requirements file."""
    key = hashlib.sha256(requirements.read_bytes()).hexdigest()[:16]
    dest = cache_dir() / f"wheels-{key}"
    if (dest / ".complete").exists():
        return dest
    dest.mkdir(parents=True, exist_ok=True)
    cmd = [
        sys.executable,
        "-m",
        "pip",
        "download",
        "--quiet",
        "--disable-pip-version-check",
        "--only-binary=:all:",
        "--python-version",
        "3.11",
        "--implementation",
        "cp",
        "--abi",
        "cp311",
        "--no-deps",
        "-r",
        str(requirements),
        "-d",
        str(dest),
    ]
    for platform in PLATFORMS:
        cmd[4:4] = ["--platform", platform]
    print("faultline: downloading the image's wheels", file=sys.stderr)
    done = subprocess.run(cmd)
    if done.returncode != 0:
        raise InfrastructureError(f"pip could not download the image's wheels (exit {done.returncode})")
    (dest / ".complete").touch()
    return dest


def _docker_build(client: Any, context: Path, tag: str, base: str) -> None:
    import docker.errors

    labels = {RECIPE_LABEL: recipe_hash(), "faultline.base": base, "faultline.version": harness_version()}
    try:
        client.images.build(
            path=str(context),
            tag=tag,
            buildargs={"BASE": base},
            labels=labels,
            rm=True,
            forcerm=True,
            pull=False,
            network_mode="none",
        )
    except docker.errors.BuildError as exc:
        tail = "".join(
            str(line.get("stream") or line.get("error") or "") for line in list(exc.build_log)[-15:]
        )
        raise InfrastructureError(f"building {tag} failed: {_short(exc)}\n{tail.strip()}") from exc
    except docker.errors.APIError as exc:
        raise InfrastructureError(f"building {tag} failed: {_short(exc)}") from exc


def _short(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()
    return text[0][:300] if text else type(exc).__name__
