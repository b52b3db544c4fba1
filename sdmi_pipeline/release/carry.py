"""Carry-over: a release takes from the previous one every file whose inputs did not change.

Each file a writer can carry has an input key: a sha256 over its path in the release, the release
settings every file shares (the disclosure settings, DuckDB's version), the code version of its
writer (the sha256 of the writer's source files) and exactly what it is made from. A file written
by a DuckDB `COPY` is made from its query: the key holds the query's text, its columns and types,
its row count and the order-free sum of DuckDB's `hash()` of its rows (as release/fingerprint.py
does for whole tables), so its rows of the public tables and every label joined into them are in
it. A chart's key is the chart cache's key (everything the drawing reads).

When the previous release (the one `latest` points at when the export starts) lists the same key
for the same path in its manifest, and its file still has the sha256 its manifest gives, the file
is hard-linked into the release being written (copied where a link is refused) instead of being
written. The release is still written whole in its temporary folder and swapped in atomically;
a carried file is the same bytes a whole write gives (a Parquet table's rows stored in another
order are the same rows: the key is order-free, and the carried file keeps the earlier order).

Files that depend on everything or name the release's vintage are always written: the workbook,
`sdmx/structure.xml`, `parquet/datapackage.json`, Open SDG metadata and translations, every page
of the portal, CHANGES.md and manifest.json. `manifest.json` lists, under `carry_over`, the files
carried and rewritten, their counts and the input keys.
"""

import hashlib
import importlib.util
import json
import os
import shutil
from collections.abc import Callable
from functools import cache
from pathlib import Path

import duckdb

from sdmi_pipeline.digests import sha256
from sdmi_pipeline.release.fingerprint import read_manifest
from sdmi_pipeline.release.layout import MANIFEST_NAME

MANIFEST_SECTION = "carry_over"


@cache
def writer_code(*modules: str) -> str:
    """sha256 over the source of the named modules (`sdmi_pipeline.release.parquet`): a writer's code."""
    digest = hashlib.sha256()
    for module in modules:
        path = Path(importlib.util.find_spec(module).origin)
        digest.update(f"{module}\0{sha256(path)}\n".encode())
    return digest.hexdigest()


def rows_key(public: duckdb.DuckDBPyConnection, query: str) -> str:
    """The query's columns and types, row count and order-free sum of row hashes."""
    columns = public.execute(f"SELECT column_name, column_type FROM (DESCRIBE {query})").fetchall()
    count, total = public.execute(
        f"SELECT count(*), coalesce(sum(hash(q)::HUGEINT), 0) FROM ({query}) AS q"
    ).fetchone()
    return f"{columns} {count} {total}"


class Carry:
    """The input keys of one release being written, and which of its files came from the previous one."""

    def __init__(self, root: Path, previous: Path | None, shared: dict) -> None:
        self.root = root
        self.previous = previous
        self.shared = json.dumps({**shared, "duckdb": duckdb.__version__}, sort_keys=True)
        earlier = _read_manifest(previous)
        self.earlier_keys: dict[str, str] = earlier.get(MANIFEST_SECTION, {}).get("keys", {})
        self.earlier_files: dict[str, str] = earlier.get("files", {})
        self.keys: dict[str, str] = {}
        self.carried: list[str] = []

    def file(self, path: Path, code: str, inputs: list[str], write: Callable[[], object]) -> bool:
        """Carry `path` from the previous release when its key is the same, else `write()` it.
        True when carried."""
        relative = path.relative_to(self.root).as_posix()
        key = hashlib.sha256("\n".join([relative, self.shared, code, *inputs]).encode()).hexdigest()
        self.keys[relative] = key
        if self._link(relative, key):
            self.carried.append(relative)
            return True
        write()
        return False

    def section(self, release_files: list[str]) -> dict:
        """The manifest's `carry_over`: the previous release, counts, files carried and rewritten, keys."""
        carried = sorted(self.carried)
        rewritten = sorted(set(release_files) - set(carried))
        return {
            "previous": self.previous.name if self.previous else None,
            "counts": {"carried": len(carried), "rewritten": len(rewritten)},
            "carried": carried,
            "rewritten": rewritten,
            "keys": dict(sorted(self.keys.items())),
        }

    def _link(self, relative: str, key: str) -> bool:
        if self.previous is None or self.earlier_keys.get(relative) != key:
            return False
        source, target = self.previous / relative, self.root / relative
        if not source.is_file() or sha256(source) != self.earlier_files.get(relative):
            return False
        target.parent.mkdir(parents=True, exist_ok=True)
        try:
            os.link(source, target)
        except OSError:  # another file system, or links refused: a copy is as good
            shutil.copyfile(source, target)
        return True


def copy_query(
    carry: Carry | None,
    public: duckdb.DuckDBPyConnection,
    query: str,
    path: Path,
    options: str,
    code: str,
) -> None:
    """`COPY (query) TO path (options)`; through `carry`, the previous release's file of the same rows."""
    target = str(path).replace("'", "''")

    def write() -> None:
        public.execute(f"COPY ({query}) TO '{target}' ({options})")

    if carry is None:
        write()
    else:
        carry.file(path, code, [query, options, rows_key(public, query)], write)


def _read_manifest(release: Path | None) -> dict:
    if release is None or not (release / MANIFEST_NAME).is_file():
        return {}
    return read_manifest(release)
