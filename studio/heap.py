"""Handing freed memory back to the system.

glibc keeps memory that large, short-lived buffers (a decoded photo, a model's activations)
gave back, so a process's resident size creeps up to its worst moment and stays there.
`malloc_trim` returns it; elsewhere (macOS, Windows) this does nothing.
"""

import ctypes
import ctypes.util
from typing import Any


def _glibc() -> Any:
    name = ctypes.util.find_library("c")
    libc = ctypes.CDLL(name) if name else None
    return libc if hasattr(libc, "malloc_trim") else None  # only glibc has it


_LIBC = _glibc()


def give_back_freed_memory() -> None:
    if _LIBC is not None:
        _LIBC.malloc_trim(0)
