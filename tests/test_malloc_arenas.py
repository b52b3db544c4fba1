"""The package caps glibc's malloc arenas when it is imported (malloc_arenas.py)."""

import platform

import pytest

from sdmi_pipeline.runs.malloc_arenas import limit_malloc_arenas


@pytest.mark.skipif(platform.libc_ver()[0] != "glibc", reason="mallopt(M_ARENA_MAX) is glibc's")
def test_glibc_takes_the_arena_cap():
    assert limit_malloc_arenas(2) is True
