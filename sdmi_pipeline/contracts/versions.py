"""The code version of each asset: what its output is a function of, so the Dagster UI shows
which assets are stale after a change, and why (docs/warehouse.md).

- a SQL asset: its SELECT and its contract (as resolved, `like:` included);
- a staging asset: its reader's modules and contract (the parser fingerprint, ingest/loading.py);
- a Python asset: the modules that compute it, and its contract when it has one.
"""

import importlib
import pkgutil
from collections.abc import Iterable
from pathlib import Path
from types import ModuleType

from sdmi_pipeline.contracts.contract import contract_for
from sdmi_pipeline.digests import sha256

SHOWN = 16  # hex characters of the sha256 the UI shows: enough to tell versions apart


def code_version(*parts: str | bytes) -> str:
    """A short sha256 of `parts`, in order."""
    joined = b"\0".join(part.encode("utf-8") if isinstance(part, str) else part for part in parts)
    return sha256(joined)[:SHOWN]


def table_version(table: str, code: str) -> str:
    """The version of a table built by `code` (its SQL, or its modules' version) under its contract."""
    return code_version(code, repr(contract_for(table)))


def modules_named(names: Iterable[str]) -> list[ModuleType]:
    """The modules of `names`, a package standing for every module in it, sorted by name. Names, not
    paths: a module that moves or vanishes fails the import here instead of leaving a version."""
    modules = []
    for name in names:
        module = importlib.import_module(name)
        modules.append(module)
        if hasattr(module, "__path__"):
            found = pkgutil.walk_packages(module.__path__, f"{name}.")
            modules += [importlib.import_module(info.name) for info in found]
    return sorted(modules, key=lambda module: module.__name__)


def modules_version(modules: Iterable[ModuleType]) -> str:
    """The version of the source of `modules`, by name and content."""
    parts = []
    for module in sorted(modules, key=lambda module: module.__name__):
        parts += [module.__name__, Path(module.__file__).read_bytes()]
    return code_version(*parts)
