"""glibc's malloc arenas are capped by an explicit call, never by an import (malloc_arenas.py)."""

import json
import os
import platform
import subprocess
import sys

import pytest

from sdmi_pipeline.paths import PROJECT_ROOT
from sdmi_pipeline.runs.malloc_arenas import limit_malloc_arenas

# Records every mallopt call instead of making it, then reports the calls after each step.
RECORDER = """
import ctypes, json, sys
calls = []
class Libc(ctypes.CDLL):
    def __getattr__(self, name):
        if name == "mallopt":
            return lambda parameter, value: calls.append([parameter, value]) or 1
        return super().__getattr__(name)
ctypes.CDLL = Libc
import sdmi_pipeline, sdmi_pipeline.runs.malloc_arenas as arenas
after_import = list(calls)
assert arenas.limit_malloc_arenas() is True
after_call = list(calls)
import sdmi_pipeline.definitions
print(json.dumps([after_import, after_call, calls]))
"""


def test_importing_caps_nothing_calling_caps_and_the_definitions_call_it():
    environment = os.environ | {"PYTHONPATH": str(PROJECT_ROOT)}
    done = subprocess.run(
        [sys.executable, "-c", RECORDER], env=environment, capture_output=True, text=True, check=True
    )
    after_import, after_call, after_definitions = json.loads(done.stdout.splitlines()[-1])
    assert after_import == []
    assert after_call == [[-8, 2]]  # M_ARENA_MAX, two arenas
    assert after_definitions == [[-8, 2], [-8, 2]]  # loading the Definitions prepares the process


@pytest.mark.skipif(platform.libc_ver()[0] != "glibc", reason="mallopt(M_ARENA_MAX) is glibc's")
def test_glibc_takes_the_arena_cap():
    assert limit_malloc_arenas(2) is True
