"""The `sdmi` command line: `sdmi build` refreshes and publishes the warehouse through Dagster."""

import os
import shutil
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

import click

from sdmi_pipeline.paths import PROJECT_ROOT

if TYPE_CHECKING:  # imported where used: `sdmi --help` and `sdmi generate` load neither Dagster nor DuckDB
    from sdmi_pipeline.runs.up_to_date import Places


def _dagster_home() -> Path:
    """DAGSTER_HOME, defaulting to the project's `dagster_home/` so runs show in the UI.

    A home without a dagster.yaml gets the project's (telemetry off, one refresh at a time).
    """
    home = Path(os.environ.setdefault("DAGSTER_HOME", str(PROJECT_ROOT / "dagster_home")))
    home.mkdir(parents=True, exist_ok=True)
    config = home / "dagster.yaml"
    if not config.exists():
        shutil.copyfile(PROJECT_ROOT / "dagster_home" / "dagster.yaml", config)
    return home


@click.group()
def main() -> None:
    """SDMI pipeline: One International Migration Data (Satu Data Migrasi Internasional)."""
    from sdmi_pipeline.runs.malloc_arenas import limit_malloc_arenas

    limit_malloc_arenas()  # before DuckDB or Arrow start worker threads (`sdmi export` loads no Definitions)


EXIT_STATUS_HELP = """Exit status: 0 published, all clean; 3 published, but a path under the raw root is
refused or held back (each is listed, new or still there, also when up to date); 1 nothing
published, a blocking check or a step failed. The Dagster run says the same: tag sdmi/outcome
(clean, refused_or_held) and the WARN check deliveries_clean of published_warehouse."""


@main.command(epilog=EXIT_STATUS_HELP)
@click.option("--force", is_flag=True, help="Run every step even when nothing changed since the last build.")
def build(force: bool) -> None:
    """Load new raw files, rebuild what they feed, run the checks and publish the warehouse.

    Starts no run when nothing it reads changed since the published build; when only raw files
    changed, runs only the assets their sources feed (see `up_to_date.py`). `--force` runs every step.
    Every path under the raw root that is refused, held or ignored is named, every time.
    """
    _dagster_home()
    from sdmi_pipeline.ingest.unread_paths import as_new_since, unread_paths
    from sdmi_pipeline.runs.outcome import exit_code, unread_lines
    from sdmi_pipeline.runs.up_to_date import assets_to_build, staleness

    places = _places()
    before = unread_paths(places.raw_root, places.published_path)
    partial, changed = None, []  # None: every asset
    if not force:
        stale = staleness(places)
        if not stale.reasons:
            _say_up_to_date(places, unread_lines(before, indent=""))
            sys.exit(exit_code(before))
        click.echo("Building: " + "; ".join(stale.reasons), err=True)
        partial, changed = assets_to_build(places, stale), stale.changed_files
    import duckdb  # here, not at the top: `sdmi --help` and `sdmi generate` need neither it nor Dagster
    from dagster import DagsterInstance

    from sdmi_pipeline.dagster_internals import resolve_selection
    from sdmi_pipeline.definitions import REFRESH_JOB, defs
    from sdmi_pipeline.ingest.partitions import delivered_months, partial_run_tags, range_tags
    from sdmi_pipeline.runs.build_summary import failure_report, summary
    from sdmi_pipeline.runs.progress import to_terminal
    from sdmi_pipeline.warehouse.healing import process_tags
    from sdmi_pipeline.warehouse.resource import WarehouseResource

    job = defs.resolve_job_def(REFRESH_JOB)
    selection = None if partial is None else sorted(resolve_selection(partial, defs.get_repository_def()))
    steps = len((job.get_subset(asset_selection=set(selection)) if selection else job).graph.node_names())
    warehouse = WarehouseResource()
    click.echo(f"Building from {warehouse.raw_root} into {warehouse.warehouse_root}", err=True)
    if selection is None:
        partitions = range_tags(delivered_months(warehouse.raw_root))
    else:
        partitions = partial_run_tags(warehouse.raw_root, changed)
    with DagsterInstance.get() as instance, to_terminal():
        result = job.execute_in_process(
            instance=instance,
            tags=partitions | process_tags(),
            raise_on_error=False,
            run_config={"loggers": {"progress_logger": {"config": {"total_steps": steps}}}},
            asset_selection=selection,
        )
    if not result.success:
        click.echo(failure_report(result, warehouse.published_path), err=True)
        sys.exit(1)
    unread = as_new_since(unread_paths(places.raw_root, warehouse.published_path), before)
    with duckdb.connect(str(warehouse.published_path), read_only=True) as connection:
        click.echo(summary(result, connection, warehouse.published_path, unread))
    sys.exit(exit_code(unread))


def _places() -> "Places":
    """Where `sdmi build` reads and writes (SDMI_RAW_DIR, SDMI_WAREHOUSE_DIR, SDMI_EXPORT_DIR)."""
    from sdmi_pipeline.paths import default_raw_dir, default_warehouse_dir
    from sdmi_pipeline.release.layout import default_export_dir
    from sdmi_pipeline.runs.up_to_date import Places

    return Places(Path(default_raw_dir()), Path(default_warehouse_dir()), default_export_dir())


def _say_up_to_date(places: "Places", unread: list[str]) -> None:
    """Name the paths not read, then say that a build would change nothing, after healing runs whose
    process died."""
    from dagster import DagsterInstance

    from sdmi_pipeline.warehouse.healing import heal_dead_runs

    with DagsterInstance.get() as instance:
        heal_dead_runs(instance, warehouse_root=places.warehouse_root)  # warnings reach standard error
    for line in unread:
        click.echo(line)
    click.echo(
        f"Up to date: {places.published_path} and the latest release were built from these raw files, "
        "code, settings and accepted revisions, this month. Nothing to build "
        "(`sdmi build --force` runs every step anyway)."
    )


@main.command()
def status() -> None:
    """What is published, when, from which files, and which checks fail."""
    _dagster_home()
    from dagster import DagsterInstance

    from sdmi_pipeline.definitions import defs
    from sdmi_pipeline.runs.status import status_report
    from sdmi_pipeline.warehouse.resource import WarehouseResource

    check_keys = sorted(defs.resolve_asset_graph().asset_check_keys, key=lambda key: key.to_user_string())
    warehouse = WarehouseResource()
    with DagsterInstance.get() as instance:
        click.echo(status_report(warehouse.published_path, warehouse.raw_root, instance, check_keys))


@main.command()
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
def accept(path: Path) -> None:
    """Let a revision held back by the revision guard through at the next build (this content only)."""
    from sdmi_pipeline.digests import sha256
    from sdmi_pipeline.warehouse.acceptances import record_acceptance
    from sdmi_pipeline.warehouse.resource import WarehouseResource

    warehouse = WarehouseResource()
    raw_root = warehouse.raw_root.resolve()
    try:
        relative = path.resolve().relative_to(raw_root).as_posix()
    except ValueError:
        click.echo(f"sdmi accept: {path} is not under the raw root {raw_root}", err=True)
        sys.exit(2)
    entry = record_acceptance(warehouse.acceptances_path, relative, sha256(path))
    click.echo(
        f"Accepted {relative} (sha256 {entry['sha256'][:12]}…) for {entry['accepted_by']} at "
        f"{entry['accepted_at']} UTC; the next `sdmi build` loads it."
    )


@main.command()
@click.option(
    "--out",
    "out_dir",
    type=click.Path(path_type=Path),
    default=None,
    help="Raw root to write into (default: SDMI_RAW_DIR or data/raw).",
)
@click.option("--year", default=2023, show_default=True)
@click.option(
    "--scale",
    type=float,
    default=None,
    help="1 = the published 2023 volume (default: the scale of the sample already there, else 0.01).",
)
@click.option("--seed", default=2023, show_default=True)
@click.option("--bad-rows", default=8, show_default=True, help="Rejectable rows added per file.")
@click.option("--months", default="1-12", show_default=True, help="Months to write, e.g. 1-3 or 1,6.")
def generate(
    out_dir: Path | None, year: int, scale: float | None, seed: int, bad_rows: int, months: str
) -> None:
    """Write KP2MI placement files calibrated to BP2MI's published 2023 figures.

    The files join a sample of one scale: without --scale, the scale of the sample already in the
    folder (its SAMPLE.json), else 0.01, the shipped sample's; another scale is refused."""
    from sdmi_pipeline.ingest.sample_marker import marked_scale
    from sdmi_pipeline.paths import default_raw_dir
    from sdmi_pipeline.samples.placements import SAMPLE_SCALE
    from sdmi_pipeline.samples.placements import generate as generate_files

    root = out_dir or Path(default_raw_dir())
    there = marked_scale(root / "kp2mi" / "penempatan")
    if scale is not None and there is not None and scale != there:
        raise click.ClickException(
            f"the placement files in {root / 'kp2mi' / 'penempatan'} are a sample at scale {there:g}; "
            f"files at scale {scale:g} would mix scales (write them into another --out)"
        )
    chosen = _month_list(months)
    written = generate_files(root, year, scale or there or SAMPLE_SCALE, seed, bad_rows, chosen)
    for path in written:
        click.echo(path)


def _month_list(text: str) -> list[int]:
    months: list[int] = []
    for part in text.split(","):
        first, _, last = part.partition("-")
        months += range(int(first), int(last or first) + 1)
    return months


@main.group()
def fetch() -> None:
    """Fetch publishers' live API answers into the raw landing folder (docs/connectors.md)."""


_raw_dir_option = click.option(
    "--raw-dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Raw root to write into (default: SDMI_RAW_DIR or data/raw).",
)


def _run_fetch(command: str, raw_dir: Path | None, action: Callable[[Path], list[Path]]) -> None:
    """Run a connector on the raw root and print the files written; one line on stderr when it fails."""
    from sdmi_pipeline.ingest.connectors import ConfigError, FetchError
    from sdmi_pipeline.paths import default_raw_dir

    try:
        written = action(raw_dir or Path(default_raw_dir()))
    except ConfigError as error:
        click.echo(f"sdmi fetch {command}: {error}", err=True)
        sys.exit(2)
    except FetchError as error:
        click.echo(f"sdmi fetch {command}: {error}", err=True)
        sys.exit(1)
    for path in written:
        click.echo(path)


@fetch.command("unhcr")
@click.option("--year", type=click.IntRange(1951, 2100), required=True, help="Year of the population stock.")
@click.option(
    "--query",
    type=click.Choice(["coa", "coo", "both"]),
    default="both",
    show_default=True,
    help="coa: refugees in Indonesia by origin; coo: refugees from Indonesia by country of asylum.",
)
@click.option(
    "--page-size", type=click.IntRange(min=1), default=1000, show_default=True, help="Items per page."
)
@_raw_dir_option
def fetch_unhcr(year: int, query: str, page_size: int, raw_dir: Path | None) -> None:
    """UNHCR population API (UNHCR_API_URL) → unhcr/population_{coa,coo}_IDN_<year>.json."""
    from sdmi_pipeline.ingest.connectors import unhcr_api

    _run_fetch("unhcr", raw_dir, lambda root: unhcr_api.fetch(root, year, query, page_size))


@fetch.command("bps")
@click.option("--var", "var", type=click.IntRange(min=1), required=True, help="BPS variable id, e.g. 1975.")
@click.option("--year", type=click.IntRange(1901, 2100), required=True)
@_raw_dir_option
def fetch_bps(var: int, year: int, raw_dir: Path | None) -> None:
    """BPS WebAPI dynamic table (BPS_API_URL, BPS_API_KEY) → bps/penduduk_<var>_<year>.json."""
    from sdmi_pipeline.ingest.connectors import bps_webapi

    _run_fetch("bps", raw_dir, lambda root: [bps_webapi.fetch(root, var, year)])


@main.command("export")
@click.option(
    "--out",
    "export_root",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Export root (default: SDMI_EXPORT_DIR or data/exports/).",
)
def export_release(export_root: Path | None) -> None:
    """Write the release of the published warehouse (Parquet, ..., manifest.json) under the export root."""
    from sdmi_pipeline.release.writer import export
    from sdmi_pipeline.warehouse.resource import WarehouseResource

    published = WarehouseResource().published_path
    try:
        release = export(published, export_root)
    except FileNotFoundError as error:
        click.echo(str(error), err=True)
        sys.exit(1)
    suppressed = release.suppression
    click.echo(f"Release {release.vintage} {release.status}: {release.path}")
    if release.unchanged:
        click.echo("  the published warehouse holds the same public tables as this release; nothing written")
    click.echo(
        f"  disclosure control (threshold {suppressed['threshold']}): {suppressed['primary']} cells "
        f"suppressed, {suppressed['secondary']} more to protect them"
    )
    if release.written and release.previous is None:
        click.echo("  first release: nothing to compare with")
    elif release.written:
        changes = release.changes
        click.echo(
            f"  since release {release.previous}: {changes['added']} observations added, "
            f"{changes['removed']} removed, {changes['revised']} revised"
        )
        carried = release.carried_over
        click.echo(
            f"  carried over from release {release.previous}: {carried['carried']} of "
            f"{carried['carried'] + carried['rewritten']} files, the rest written"
        )


if __name__ == "__main__":
    main()
