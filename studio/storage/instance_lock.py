"""One running app per data dir, enforced with an OS file lock (released even on a crash)."""

import os
import sys
from pathlib import Path
from types import TracebackType
from typing import IO

LOCK_NAME = "studio.lock"


class LockedByAnotherCopy(RuntimeError):
    pass


class InstanceLock:
    def __init__(self, directory: Path, name: str = LOCK_NAME, busy: str = "") -> None:
        self.path = directory / name
        self.busy = busy or (
            f"Seller Studio is already open on {directory}. Switch to that window, "
            "or close it first."
        )
        self._handle: IO[str] | None = None

    def acquire(self) -> None:
        handle = self.path.open("a+")
        try:
            _lock(handle)
        except OSError:
            handle.close()
            raise LockedByAnotherCopy(self.busy) from None
        handle.seek(0)
        handle.truncate()
        handle.write(str(os.getpid()))
        handle.flush()
        self._handle = handle

    def release(self) -> None:
        if self._handle is not None:
            self._handle.close()  # closing the file drops the lock
            self._handle = None

    def __enter__(self) -> "InstanceLock":
        self.acquire()
        return self

    def __exit__(
        self,
        _type: type[BaseException] | None,
        _value: BaseException | None,
        _traceback: TracebackType | None,
    ) -> None:
        self.release()


if sys.platform == "win32":
    import msvcrt

    def _lock(handle: IO[str]) -> None:
        handle.seek(0)
        msvcrt.locking(handle.fileno(), msvcrt.LK_NBLCK, 1)
else:
    import fcntl

    def _lock(handle: IO[str]) -> None:
        fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
