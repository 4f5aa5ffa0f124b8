"""Child processes of a build die with it (MkDocs, the Whoosh index writer)."""

from __future__ import annotations

import ctypes
import sys


def libc() -> ctypes.CDLL | None:
    return ctypes.CDLL(None, use_errno=True) if sys.platform == "linux" else None


def die_with_parent() -> None:  # pragma: no cover - runs in a child (builders, the index writer)
    """Linux: the child is killed when ``catalog build`` dies (a killed build leaves no writer)."""
    found = libc()
    if found is not None:
        found.prctl(1, 9)  # PR_SET_PDEATHSIG, SIGKILL
