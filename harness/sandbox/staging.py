"""Host folders made visible to the containers' unprivileged user, and only those."""
from __future__ import annotations

import os
import shutil
import stat
from pathlib import Path, PurePosixPath


def container_path(target: str) -> str:
    """``/<target>`` for a spec's relative target; ValueError for anything that could escape."""
    parts = PurePosixPath(target).parts
    if not parts or target.startswith("/") or any(p in ("..", ".") for p in parts):
        raise ValueError(f"sandbox path {target!r} must be relative and plain")
    return "/" + "/".join(parts)


def readable(src: Path, copy: Path) -> Path:
    """``src`` if the container's unprivileged user can read all of it, else a readable copy.

    A key kept mode 0700 on the host would otherwise be invisible to uid 10001. The copy
    lives in a private temporary folder and is removed after the phase.
    """
    src = src.resolve()
    if _world_readable(src):
        return src
    copy.parent.mkdir(parents=True, exist_ok=True)
    if src.is_dir():
        shutil.copytree(src, copy, symlinks=False)
        for folder, _, files in os.walk(copy):
            os.chmod(folder, 0o755)
            for f in files:
                os.chmod(os.path.join(folder, f), 0o644)
    else:
        shutil.copyfile(src, copy)
        copy.chmod(0o644)
    return copy


def publish(outputs: Path, dest: Path) -> None:
    """Put the regular files under ``outputs`` into ``dest``, readable by the graders' user.

    Hard links where the file is already world-readable (no copying), copies otherwise;
    anything but folders and regular files is left out.
    """
    if not outputs.is_dir():
        return
    for folder, dirs, files in os.walk(outputs):
        rel = Path(folder).relative_to(outputs)
        for d in dirs:
            if not os.path.islink(os.path.join(folder, d)):
                (dest / rel / d).mkdir(mode=0o755, exist_ok=True)
                (dest / rel / d).chmod(0o755)
        for f in files:
            src, dst = Path(folder, f), dest / rel / f
            st = src.lstat()
            if not stat.S_ISREG(st.st_mode):
                continue
            if st.st_mode & stat.S_IROTH:
                try:
                    os.link(src, dst)
                    continue
                except OSError:
                    pass  # another file system: copy
            shutil.copyfile(src, dst)
            dst.chmod(0o644)


def _world_readable(path: Path) -> bool:
    try:
        st = path.stat()
        if stat.S_ISREG(st.st_mode):
            return bool(st.st_mode & stat.S_IROTH)
        if not (st.st_mode & stat.S_IROTH and st.st_mode & stat.S_IXOTH):
            return False
        for folder, dirs, files in os.walk(path):
            for d in dirs:
                mode = os.stat(os.path.join(folder, d)).st_mode
                if not (mode & stat.S_IROTH and mode & stat.S_IXOTH):
                    return False
            for f in files:
                if not os.stat(os.path.join(folder, f)).st_mode & stat.S_IROTH:
                    return False
    except OSError:
        return False
    return True
