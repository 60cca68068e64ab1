"""One process at a time on an embedded chain's state.

Two processes on one chain file each keep their own copy of the chain in memory: they diverge
and overwrite each other's writes. So whoever opens the embedded chain holds an exclusive,
non-blocking ``flock`` on ``<data_dir>/chain/chain.lock`` for as long as it runs, with its pid
written in the file so a refused process can say who holds it. The OS drops the lock when the
process dies, so a crash never leaves a stale lock behind.

Within one process the lock is counted: the CLI holds it from its checks through the server it
then runs in the same process, and tests may open several apps on one data dir.
"""

from __future__ import annotations

import fcntl
import os
import threading
from pathlib import Path

from ece.chain.platform import PlatformSetupError


class ChainLocked(PlatformSetupError):
    """Another process runs the embedded chain of this data dir."""


_held: dict[Path, tuple[int, int]] = {}  # lock file -> (fd, count)
_guard = threading.Lock()


def lock_file(chain_dir: Path) -> Path:
    return chain_dir / "chain.lock"


def _holder(path: Path) -> str:
    try:
        pid = path.read_text().strip()
    except OSError:
        return "another process"
    return f"process {pid}" if pid.isdigit() else "another process"


def acquire(chain_dir: Path) -> Path:
    """Take (or count once more) this process's lock on the chain in ``chain_dir``."""
    chain_dir.mkdir(parents=True, exist_ok=True)
    path = lock_file(chain_dir).resolve()
    with _guard:
        if path in _held:
            fd, count = _held[path]
            _held[path] = (fd, count + 1)
            return path
        fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(fd)
            raise ChainLocked(
                f"the embedded chain in {chain_dir} is in use by {_holder(path)} (lock {path}): "
                "only one process may run it. Stop that process first, or while it serves use "
                "its faucet (POST /api/v1/dev/faucet)."
            ) from None
        os.ftruncate(fd, 0)
        os.pwrite(fd, f"{os.getpid()}\n".encode(), 0)
        _held[path] = (fd, 1)
        return path


def release(path: Path) -> None:
    """Give back one count of the lock taken by ``acquire``; the last one unlocks."""
    with _guard:
        if path not in _held:
            return
        fd, count = _held[path]
        if count > 1:
            _held[path] = (fd, count - 1)
            return
        del _held[path]
        os.close(fd)  # closing the only descriptor drops the flock
