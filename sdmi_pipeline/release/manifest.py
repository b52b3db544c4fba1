"""manifest.json (vintage, sha256 of every file, raw files, code version, suppression counts, the
fingerprint of the release's content: release/fingerprint.py, the files carried over from the previous
release: release/carry.py) and CHANGES.md (figures revised since
the previous release)."""

import json
import subprocess
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

import duckdb

from sdmi_pipeline.digests import sha256, tree_sha256
from sdmi_pipeline.paths import PROJECT_ROOT
from sdmi_pipeline.release.carry import MANIFEST_SECTION, Carry
from sdmi_pipeline.release.disclosure import SuppressionReport
from sdmi_pipeline.release.layout import CHANGES_NAME, MANIFEST_NAME, PARQUET_DIR
from sdmi_pipeline.release.tables import DIMENSIONS

OBSERVATIONS_FILE = f"{PARQUET_DIR}/indicators.observations.parquet"
OBSERVATION_KEY = ("indicator_id", "source", "freq", "time_period", *DIMENSIONS)


RELEASE_PACKAGE = Path(__file__).parent


def release_code() -> str:
    """sha256 of every file of the release package (code, portal templates, styles): what writes a release."""
    return tree_sha256((RELEASE_PACKAGE,), PROJECT_ROOT)


def code_version() -> dict:
    """The package version, the release package's files, and the git commit of a git checkout."""
    try:
        package = version("sdmi-pipeline")
    except PackageNotFoundError:
        package = None
    try:
        commit = subprocess.run(
            ["git", "-C", str(PROJECT_ROOT), "rev-parse", "HEAD"], capture_output=True, text=True, check=True
        ).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        commit = None
    return {"package": package, "release_code": release_code(), "git_commit": commit}


def raw_files(published_path: Path) -> list[dict]:
    """The current raw files behind the warehouse (meta.raw_files): path, sha256, vintage."""
    with duckdb.connect(str(published_path), read_only=True) as connection:
        rows = connection.execute("""
            SELECT source, path, sha256, strftime(loaded_at, '%Y-%m-%dT%H:%M:%SZ') AS loaded_at
            FROM meta.raw_files WHERE is_current ORDER BY source, path
        """).fetchall()
    return [{"source": s, "path": p, "sha256": h, "vintage": loaded} for s, p, h, loaded in rows]


def illustrative_inputs(published_path: Path) -> dict:
    """Whether the release rests on generated samples, and which raw files say so (their SAMPLE.json)."""
    with duckdb.connect(str(published_path), read_only=True) as connection:
        rows = connection.execute(
            "SELECT path, illustrative FROM meta.raw_files WHERE is_current AND illustrative IS NOT NULL "
            "ORDER BY path"
        ).fetchall()
    return {"release": bool(rows), "files": {path: note for path, note in rows}}


def write_manifest(
    release_dir: Path,
    vintage: str,
    published_path: Path,
    report: SuppressionReport,
    changes: dict[str, int],
    fingerprint: str,
    carry: Carry | None = None,
) -> dict:
    """Write manifest.json last, over every other file of the release folder."""
    files = {
        path.relative_to(release_dir).as_posix(): sha256(path)
        for path in sorted(release_dir.rglob("*"))
        if path.is_file() and path.name != MANIFEST_NAME
    }
    manifest = {
        "vintage": vintage,
        "fingerprint": fingerprint,
        "code_version": code_version(),
        "disclosure_control": report.as_dict(),
        "changes": changes,
        "illustrative": illustrative_inputs(published_path),
        "raw_files": raw_files(published_path),
    }
    if carry is not None:
        manifest[MANIFEST_SECTION] = carry.section(list(files))
    manifest["files"] = files
    (release_dir / MANIFEST_NAME).write_text(
        json.dumps(manifest, indent=2, ensure_ascii=False) + "\n", "utf-8"
    )
    return manifest


def write_changes(release_dir: Path, vintage: str, previous_dir: Path | None) -> dict[str, int]:
    """CHANGES.md: observations added, removed and revised (old and new value) since `previous_dir`."""
    new_file = release_dir / OBSERVATIONS_FILE
    old_file = previous_dir / OBSERVATIONS_FILE if previous_dir else None
    if old_file is None or not old_file.exists():
        (release_dir / CHANGES_NAME).write_text(
            f"# Changes in release {vintage}\n\nFirst release.\n", "utf-8"
        )
        return {"added": 0, "removed": 0, "revised": 0}
    key = ", ".join(OBSERVATION_KEY)
    with duckdb.connect() as connection:
        connection.execute(f"""
            CREATE TABLE compared AS
            SELECT {", ".join(f"coalesce(n.{c}, o.{c}) AS {c}" for c in OBSERVATION_KEY)},
                   o.value AS old_value, o.obs_status AS old_status,
                   n.value AS new_value, n.obs_status AS new_status,
                   CASE WHEN o.indicator_id IS NULL THEN 'added' WHEN n.indicator_id IS NULL THEN 'removed'
                        ELSE 'revised' END AS change
            FROM read_parquet('{old_file}') AS o FULL JOIN read_parquet('{new_file}') AS n USING ({key})
            WHERE o.indicator_id IS NULL OR n.indicator_id IS NULL
               OR o.value IS DISTINCT FROM n.value OR o.obs_status IS DISTINCT FROM n.obs_status
        """)
        counts = dict(connection.execute("SELECT change, count(*) FROM compared GROUP BY ALL").fetchall())
        summary = connection.execute("""
            SELECT change, indicator_id, count(*) FROM compared GROUP BY ALL ORDER BY ALL
        """).fetchall()
        revised = connection.execute(f"""
            SELECT * EXCLUDE (change) FROM compared WHERE change = 'revised' ORDER BY {key}
        """).fetchall()
    lines = [f"# Changes in release {vintage}", "", f"Compared with release {previous_dir.name}.", ""]
    lines += ["| change | indicator | observations |", "|---|---|---|"]
    lines += [f"| {change} | {indicator} | {count} |" for change, indicator, count in summary]
    lines += ["", "## Revised figures", ""]
    lines += ["| " + " | ".join([*OBSERVATION_KEY, "old", "old status", "new", "new status"]) + " |"]
    lines += ["|" + "---|" * (len(OBSERVATION_KEY) + 4)]
    lines += [
        "| " + " | ".join("" if value is None else _cell(value) for value in row) + " |" for row in revised
    ]
    (release_dir / CHANGES_NAME).write_text("\n".join(lines) + "\n", "utf-8")
    return {change: int(counts.get(change, 0)) for change in ("added", "removed", "revised")}


def _cell(value: object) -> str:
    return f"{value:.12g}" if isinstance(value, float) else str(value)
