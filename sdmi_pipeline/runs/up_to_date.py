"""Whether a build would change anything: `sdmi build` starts no run when nothing did.

As Our World in Data's etl skips a step whose inputs and code are unchanged (and `etl run
--force` runs it anyway), `sdmi build` compares everything a build is a function of with what
the published warehouse was built from. A build is needed when:

- no warehouse is published yet, or a build file is left by a run that died (the next run
  discards it and heals the run);
- a raw file that a source reads is new, gone, or has another content than its last read in
  meta.raw_files (the sensor's first-tick comparison, `raw_changes.py`);
- one of the other inputs differs from the one meta.build_inputs records for the published build
  (recorded by a run of every asset; a run of some assets, such as a partial build below or a
  "Materialize" of a few assets in the UI, leaves the record of the last full build):
  the code (the package's files but the release's and the samples', the SQL assets and the
  contracts), the installed versions of the project's requirements and theirs (`requirements.py`),
  the settings (`sdmi.toml`), the ledger of accepted revisions, or the month (a file named for a
  later period is refused until that period comes);
- the latest release does not hold the published warehouse's public content, or was written by
  other release code (a portal template edited): when nothing else changed, only the release runs.

Otherwise every step would read, compute and publish what is already published. When only raw
files changed, a build need run only their sources' staging assets and what those feed
(`assets_to_build`): every other table is in the build file as published, from unchanged inputs.
"""

import json
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import duckdb
from dagster import AssetKey, AssetSelection

from sdmi_pipeline.digests import sha256, tree_sha256
from sdmi_pipeline.ingest.raw_changes import content_changes, raw_file_states, warehouse_cursor
from sdmi_pipeline.ingest.raw_paths import matches
from sdmi_pipeline.ingest.sources import SOURCES
from sdmi_pipeline.paths import BUILD_NAME, PROJECT_ROOT, PUBLISHED_NAME, SCHEMAS_DIR, SQL_ASSETS_DIR
from sdmi_pipeline.release.fingerprint import latest_release, read_manifest, release_fingerprint
from sdmi_pipeline.release.layout import RELEASE_KEY
from sdmi_pipeline.release.manifest import code_version
from sdmi_pipeline.runs.requirements import requirement_closure
from sdmi_pipeline.settings import load_settings
from sdmi_pipeline.warehouse.acceptances import LEDGER_NAME
from sdmi_pipeline.warehouse.catalog import table_exists
from sdmi_pipeline.warehouse.resource import create_documented_table

INPUTS_TABLE = "meta.build_inputs"
CODE_FOLDERS = (PROJECT_ROOT / "sdmi_pipeline", SQL_ASSETS_DIR, SCHEMAS_DIR)
# Not read by a build of the warehouse: the release's code is in the release's fingerprint
# (release/manifest.py: code_version), and the sample generators write raw files, which are compared.
LEFT_OUT = (PROJECT_ROOT / "sdmi_pipeline" / "release", PROJECT_ROOT / "sdmi_pipeline" / "samples")


@dataclass(frozen=True)
class Places:
    """Where a build reads and writes: the raw root, the warehouse folder and the export root."""

    raw_root: Path
    warehouse_root: Path
    export_root: Path

    @property
    def published_path(self) -> Path:
        return self.warehouse_root / PUBLISHED_NAME


def build_inputs(warehouse_root: Path) -> dict[str, str]:
    """The inputs of a build other than the raw files: input name → its version."""
    return {
        "code": _code_sha256(),
        "distributions": _sha256(requirement_closure()),
        "settings": _sha256(repr(load_settings())),
        "accepted_revisions": _ledger_sha256(warehouse_root / LEDGER_NAME),
        "build_month": f"{datetime.now(UTC):%Y-%m}",
    }


def record_build_inputs(connection: duckdb.DuckDBPyConnection, inputs: dict[str, str]) -> None:
    """Record `inputs` in meta.build_inputs of the build; an unchanged version keeps its time."""
    if not table_exists(connection, INPUTS_TABLE):
        create_documented_table(connection, INPUTS_TABLE)
    recorded = dict(connection.execute(f"SELECT input, version FROM {INPUTS_TABLE}").fetchall())
    for name in recorded.keys() - inputs.keys():
        connection.execute(f"DELETE FROM {INPUTS_TABLE} WHERE input = ?", [name])
    for name, version in inputs.items():
        if recorded.get(name) != version:
            connection.execute(f"DELETE FROM {INPUTS_TABLE} WHERE input = ?", [name])
            now = datetime.now(UTC).replace(tzinfo=None)
            connection.execute(f"INSERT INTO {INPUTS_TABLE} VALUES (?, ?, ?)", [name, version, now])


@dataclass(frozen=True)
class Staleness:
    """Why a build is needed (none: the warehouse is current), and whether only raw files changed."""

    reasons: list[str]
    changed_files: list[str]  # raw files new, changed or gone, relative to the raw root
    only_raw_files: bool  # no other input changed: a build need only redo what those files feed
    only_release: bool = False  # nothing but the release differs: a build need only write it


def reasons_to_build(places: Places) -> list[str]:
    """Why a build would change the warehouse or the release; empty when it would not."""
    return staleness(places).reasons


def staleness(places: Places) -> Staleness:
    """Compare the raw files and the other inputs with those of the published build."""
    published = places.published_path
    if not published.exists():
        return Staleness([f"no warehouse is published at {published}"], [], False)
    if (places.warehouse_root / BUILD_NAME).exists():
        return Staleness(["a build file is left by a run that did not finish"], [], False)
    reasons = []
    states = raw_file_states(places.raw_root, {})
    if changed := content_changes(warehouse_cursor(places.raw_root, published, states), states):
        shown = ", ".join(changed[:3]) + (f" and {len(changed) - 3} more" if len(changed) > 3 else "")
        reasons.append(f"{len(changed)} raw file(s) new, changed or gone: {shown}")
    try:
        recorded = _recorded_inputs(published)
    except duckdb.Error as error:
        return Staleness([f"the published warehouse cannot be read ({error})"], changed, False)
    changed_inputs = [
        name for name, version in build_inputs(places.warehouse_root).items() if recorded.get(name) != version
    ]
    if changed_inputs:
        reasons.append(
            "changed since the published build: " + ", ".join(changed_inputs)
            if recorded
            else "the published build recorded no build inputs"
        )
    release_holds = _release_holds(published, places.export_root)
    if not release_holds:
        reasons.append(f"the latest release under {places.export_root} does not hold the published content")
    only_release = not changed and not changed_inputs and not release_holds
    return Staleness(reasons, changed, not changed_inputs and release_holds, only_release)


def sources_of(files: list[str]) -> set[str] | None:
    """The sources that read `files` (paths relative to the raw root, present or gone), by the same
    name patterns that choose their files; None when a file belongs to no source, or to more than one."""
    found = [{source.name for source in SOURCES if matches(path, source.pattern)} for path in files]
    if any(len(names) != 1 for names in found):
        return None
    return set().union(*found)


def _recorded_inputs(published: Path) -> dict[str, str]:
    with duckdb.connect(str(published), read_only=True) as connection:
        if not table_exists(connection, INPUTS_TABLE):  # published before the check existed
            return {}
        return dict(connection.execute(f"SELECT input, version FROM {INPUTS_TABLE}").fetchall())


def _release_holds(published: Path, export_root: Path) -> bool:
    latest = latest_release(export_root)
    if latest is None:
        return False
    wanted = release_fingerprint(published, load_settings().disclosure, code_version())
    return read_manifest(latest).get("fingerprint") == wanted


def _code_sha256() -> str:
    """sha256 of the code a build of the warehouse runs (compiled Python left out)."""
    return tree_sha256(CODE_FOLDERS, PROJECT_ROOT, LEFT_OUT)


def _ledger_sha256(ledger: Path) -> str:
    return sha256(ledger) if ledger.exists() else "none"


def _sha256(value: object) -> str:
    return sha256(json.dumps(value))


def assets_to_build(places: Places, stale: Staleness) -> AssetSelection | None:
    """The assets a build must run: when only raw files changed, the staging assets of their
    sources and every asset downstream (to the release); when only the release differs, the release;
    else None, every asset."""
    if stale.only_release:
        return AssetSelection.assets(RELEASE_KEY)
    if not stale.only_raw_files or not stale.changed_files:
        return None
    sources = sources_of(stale.changed_files)
    if not sources:
        return None
    staging = [AssetKey(source.table.split(".")) for source in SOURCES if source.name in sources]
    return AssetSelection.assets(*staging).downstream()
