"""Fewer glibc malloc arenas, so memory freed after each file goes back to use.

glibc gives each thread that allocates its own malloc arena (up to 8 per core). DuckDB's and
Arrow's worker threads allocate and free large buffers for every file read, and the freed memory
stays spread over those arenas: reading 12 monthly files at 10x volume, the resident size grew by
about 30 MiB per file (483 -> 850 MiB) although DuckDB itself held 37 MiB. With two arenas it
stays near 560 MiB (docs/benchmarks.md). This is what `MALLOC_ARENA_MAX=2` does, set from inside
the process before the first worker thread starts; elsewhere than glibc it does nothing. Importing
this module changes nothing: the CLI and definitions.py call `limit_malloc_arenas()`.
"""

import ctypes
import ctypes.util

M_ARENA_MAX = -8  # mallopt parameter, glibc's malloc.h
ARENAS = 2


def limit_malloc_arenas(arenas: int = ARENAS) -> bool:
    """Cap glibc's malloc arenas; True when the C library took the setting."""
    name = ctypes.util.find_library("c")
    if name is None:
        return False
    try:
        mallopt = ctypes.CDLL(name).mallopt
    except (OSError, AttributeError):
        return False  # not glibc (musl, macOS)
    return mallopt(M_ARENA_MAX, arenas) == 1
