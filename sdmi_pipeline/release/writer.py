"""Write one release: every writer's subfolder, CHANGES.md and manifest.json, swapped in atomically.

The release vintage is the UTC date-time the published warehouse file was last written
(`20260130T231210Z`): the build checkpoints the file and renames it over `sdmi.duckdb`, which keeps
that time. Exporting the same warehouse again gives the same vintage and finds its release already
written. A newer warehouse whose public content equals that of the latest release (a build that
found nothing new) writes nothing either: the export reports the latest release as unchanged
(release/fingerprint.py). A release is written whole in a temporary sibling folder
(`.tmp-<vintage>-<pid>`), then renamed to `<vintage>/`, then `latest` is repointed by renaming a new
symlink over it. A crashed export leaves only a temporary folder, which the next export removes.

Files whose inputs did not change are carried over from the previous release by hard link
(release/carry.py); `export(..., carry_over=False)` writes every file. Charts are drawn through the
chart cache `<export root>/.chart-cache/` (release/site/chart_cache.py): a release draws only charts
no earlier release drew from the same input, and once it is written the cache keeps only the charts
it used.
"""

import os
import shutil
from collections.abc import Callable
from contextlib import closing
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import partial
from pathlib import Path

from sdmi_pipeline.processes import is_alive
from sdmi_pipeline.release.carry import MANIFEST_SECTION, Carry
from sdmi_pipeline.release.disclosure import SuppressionReport
from sdmi_pipeline.release.excel import write_excel
from sdmi_pipeline.release.fingerprint import latest_release, read_manifest, release_fingerprint
from sdmi_pipeline.release.layout import (
    LATEST_NAME,
    MANIFEST_NAME,
    OPEN_SDG_DIR,
    PARQUET_DIR,
    SDMX_DIR,
    SITE_DIR,
    XLSX_DIR,
    default_export_dir,
)
from sdmi_pipeline.release.manifest import code_version, write_changes, write_manifest
from sdmi_pipeline.release.open_sdg import write_open_sdg
from sdmi_pipeline.release.parquet import write_parquet
from sdmi_pipeline.release.public import open_public_with_report
from sdmi_pipeline.release.sdmx import write_sdmx
from sdmi_pipeline.release.site import write_site
from sdmi_pipeline.release.site.chart_cache import CHART_CACHE_DIR, ChartCache
from sdmi_pipeline.settings import Settings, load_settings

# write(public, out_dir, vintage, carry=None): `carry` carries unchanged files from the previous release.
Writer = Callable[..., None]

# (subfolder, writer), in the order they run. Adding a format is one line here. The portal is
# last: it links to the SDMX and Excel files written before it.
WRITERS: list[tuple[str, Writer]] = [
    (PARQUET_DIR, write_parquet),
    (SDMX_DIR, write_sdmx),
    (OPEN_SDG_DIR, write_open_sdg),
    (XLSX_DIR, write_excel),
    (SITE_DIR, write_site),
]
TEMPORARY_PREFIX = ".tmp-"


@dataclass(frozen=True)
class Release:
    """A written release: its folder, and what it holds."""

    path: Path
    vintage: str
    suppression: dict
    changes: dict[str, int]
    written: bool  # False when the release of this vintage already existed, or `unchanged`
    previous: str | None = None  # the vintage CHANGES.md compares with; None for a first release
    unchanged: bool = False  # True when the latest release holds this warehouse's public content
    carried_over: dict[str, int] = field(default_factory=dict)  # files `carried` and `rewritten`

    @property
    def status(self) -> str:
        """`written`, `already written` (this vintage) or `unchanged` (the latest release's content)."""
        return "written" if self.written else "unchanged" if self.unchanged else "already written"


def release_vintage(published_path: Path) -> str:
    """The UTC date-time the published warehouse was last written, e.g. 20260130T231210Z."""
    written = datetime.fromtimestamp(published_path.stat().st_mtime, tz=UTC)
    return written.strftime("%Y%m%dT%H%M%SZ")


def write_release(
    published_path: Path, export_root: Path | None = None, settings: Settings | None = None
) -> Path:
    """Write the release of the published warehouse under the export root; return its folder."""
    return export(published_path, export_root, settings).path


def export(
    published_path: Path,
    export_root: Path | None = None,
    settings: Settings | None = None,
    carry_over: bool = True,
) -> Release:
    """`write_release`, with the release's suppression counts and changes. With `carry_over` False,
    every file is written, none carried from the previous release."""
    if not published_path.exists():
        raise FileNotFoundError(f"no published warehouse at {published_path}: run `sdmi build` first")
    export_root = Path(export_root or default_export_dir())
    settings = settings or load_settings()
    export_root.mkdir(parents=True, exist_ok=True)
    _remove_stale(export_root)
    chart_cache = ChartCache(export_root / CHART_CACHE_DIR)
    if chart_cache.folder.is_dir():
        _remove_stale(chart_cache.folder)
    vintage = release_vintage(published_path)
    final = export_root / vintage
    if (final / MANIFEST_NAME).exists():
        _pointlatest_release(export_root, vintage)
        return _existing(final, unchanged=False)
    previous = latest_release(export_root)
    fingerprint = release_fingerprint(published_path, settings.disclosure, code_version())
    if previous is not None and read_manifest(previous).get("fingerprint") == fingerprint:
        return _existing(previous, unchanged=True)
    staging = export_root / f"{TEMPORARY_PREFIX}{vintage}-{os.getpid()}"
    try:
        carry = Carry(staging, previous if carry_over else None, settings.disclosure)
        report, changes, carried_over = _write_all(
            published_path, staging, vintage, settings, previous, fingerprint, chart_cache, carry
        )
        os.rename(staging, final)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    chart_cache.prune()
    _pointlatest_release(export_root, vintage)
    return Release(
        final,
        vintage,
        report.as_dict(),
        changes,
        True,
        previous.name if previous else None,
        carried_over=carried_over,
    )


def _existing(release_dir: Path, unchanged: bool) -> Release:
    """A release already on disk, as its manifest describes it; an unchanged one changed nothing."""
    manifest = read_manifest(release_dir)
    changes = {"added": 0, "removed": 0, "revised": 0} if unchanged else manifest.get("changes", {})
    return Release(
        release_dir, release_dir.name, manifest["disclosure_control"], changes, False, unchanged=unchanged
    )


def _write_all(
    published_path: Path,
    staging: Path,
    vintage: str,
    settings: Settings,
    previous: Path | None,
    fingerprint: str,
    chart_cache: ChartCache,
    carry: Carry,
) -> tuple[SuppressionReport, dict[str, int], dict[str, int]]:
    public, report = open_public_with_report(published_path, settings.disclosure_threshold, previous)
    with closing(public):
        for subfolder, write in WRITERS:
            out_dir = staging / subfolder
            out_dir.mkdir(parents=True)
            # The portal is the one writer with a cache: the charts drawn for earlier releases.
            run = partial(write_site, chart_cache=chart_cache) if write is write_site else write
            run(public, out_dir, vintage, carry=carry)
    changes = write_changes(staging, vintage, previous)
    manifest = write_manifest(staging, vintage, published_path, report, changes, fingerprint, carry)
    return report, changes, manifest[MANIFEST_SECTION]["counts"]


def _pointlatest_release(export_root: Path, vintage: str) -> None:
    """Point `latest` at `vintage` unless it already points at a newer release."""
    current = latest_release(export_root)
    if current is not None and current.name > vintage:
        return
    link = export_root / f"{TEMPORARY_PREFIX}{LATEST_NAME}-{os.getpid()}"
    link.unlink(missing_ok=True)
    link.symlink_to(vintage, target_is_directory=True)
    os.replace(link, export_root / LATEST_NAME)


def _remove_stale(export_root: Path) -> None:
    """Remove temporary folders and links left by exports that are no longer running."""
    for path in export_root.glob(f"{TEMPORARY_PREFIX}*"):
        if _alive(path.name.rsplit("-", 1)[-1]):
            continue
        if path.is_symlink() or path.is_file():
            path.unlink(missing_ok=True)
        else:
            shutil.rmtree(path, ignore_errors=True)


def _alive(pid: str) -> bool:
    return pid.isdigit() and int(pid) != os.getpid() and is_alive(int(pid))
