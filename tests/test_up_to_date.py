"""`sdmi build` starts no run when nothing it reads changed since the published build."""

import os
import shutil
import subprocess
import sys
from datetime import UTC, datetime
from email.message import Message
from pathlib import Path

import pytest
from dagster import AssetKey, DagsterEventType, DagsterInstance

from sdmi_pipeline.paths import PROJECT_ROOT
from sdmi_pipeline.runs import up_to_date
from sdmi_pipeline.runs.up_to_date import Places, reasons_to_build
from sdmi_pipeline.warehouse.acceptances import record_acceptance
from tests.conftest import build_environment, query

SAMPLE = PROJECT_ROOT / "data" / "raw"
APRIL = "kp2mi/penempatan/penempatan_pmi_2023_04.csv"


@pytest.fixture
def built(shipped_warehouse: Path, tmp_path: Path) -> Places:
    """A copy of the shipped sample's raw files, published warehouse and release."""
    root = shipped_warehouse.parent.parent
    shutil.copytree(SAMPLE, tmp_path / "raw")
    shutil.copytree(root / "warehouse", tmp_path / "warehouse", ignore=shutil.ignore_patterns("*.lock"))
    shutil.copytree(root / "exports", tmp_path / "exports", symlinks=True)
    return Places(tmp_path / "raw", tmp_path / "warehouse", tmp_path / "exports")


def sdmi(root: Path, *arguments: str, path: str | None = None) -> subprocess.CompletedProcess:
    environment = build_environment(root / "raw", root)
    return subprocess.run(
        [sys.executable, "-m", "sdmi_pipeline.cli", *arguments],
        env=environment | {"PATH": path} if path else environment,
        capture_output=True,
        text=True,
        timeout=900,
    )


def run_count(root: Path) -> int:
    with DagsterInstance.from_config(str(root / "dagster_home")) as instance:
        return len(instance.get_runs())


def test_the_published_build_records_its_inputs(shipped_warehouse: Path):
    rows = query(shipped_warehouse, "SELECT input, version FROM meta.build_inputs ORDER BY input")
    assert [name for name, _ in rows] == [
        "accepted_revisions",
        "build_month",
        "code",
        "distributions",
        "settings",
    ]
    recorded = dict(rows)
    assert recorded["build_month"] == f"{datetime.now(UTC):%Y-%m}"
    assert recorded["accepted_revisions"] == "none"  # no `sdmi accept` yet
    assert len(recorded["code"]) == 64


MAY = "kp2mi/penempatan/penempatan_pmi_2023_05.csv"
# May's two placements, with their own header (the columns of the April file the sample shipped once).
MAY_CSV = (
    "USIA,JENIS_KELAMIN,KETERANGAN,NEGARA_PENEMPATAN,PENDIDIKAN,KODE_PROVINSI_KEMENDAGRI,KABUPATEN_ASAL,"
    "TANGGAL_PENEMPATAN,ID_PMI,PROVINSI_ASAL,SKEMA,SEKTOR,JABATAN\n"
    "22,L,data sampel,Malaysia,SMP,32,Kab. Cirebon,2023-05-03,PMI2023050000001,Jawa Barat,P2P,FORMAL,Nurse\n"
    "36,P,data sampel,Taiwan,SD,35,Kab. Tulungagung,2023-05-15,PMI2023050000002,Jawa Timur,P3MI,INFORMAL,"
    "Caregiver\n"
)


def deliver_may(raw_root: Path) -> None:
    """Put May's two placements into the raw root."""
    (raw_root / MAY).write_text(MAY_CSV)


PMI_PLACED_2023 = """SELECT value FROM indicators.observations WHERE indicator_id = 'PMI_PLACED'
    AND freq = 'A' AND time_period = '2023' AND counterpart_area = '_T' AND sex = '_T'
    AND province = '_T' AND sector = '_T' AND occupation = '_T' AND scheme = '_T'
    AND age = '_T' AND education = '_T'"""


@pytest.mark.slow
def test_no_run_when_nothing_changed_a_new_month_runs_what_it_feeds_force_runs_all(
    shipped_warehouse: Path, tmp_path: Path
):
    root = shipped_warehouse.parent.parent
    for folder in ("warehouse", "exports", "dagster_home"):
        shutil.copytree(root / folder, tmp_path / folder, symlinks=True)
    shutil.copytree(SAMPLE, tmp_path / "raw")
    published = tmp_path / "warehouse" / "sdmi.duckdb"
    written = published.stat().st_mtime_ns

    again = sdmi(tmp_path, "build")
    assert again.returncode == 0, again.stderr[-3000:]
    assert again.stdout.startswith(f"Up to date: {published} and the latest release were built from")
    assert run_count(tmp_path) == 1  # the first build's run only
    assert published.stat().st_mtime_ns == written
    deliver_may(tmp_path / "raw")
    new_month = sdmi(tmp_path, "build")
    assert new_month.returncode == 0, new_month.stderr[-3000:]
    assert new_month.stderr.startswith(f"Building: 1 raw file(s) new, changed or gone: {MAY}\n")
    # KP2MI staging and the 39 assets it feeds (24 report views in one step); not the other 28
    assert "[17/17] release" in new_month.stderr
    assert "  kemnaker_permits: no file changed, not in this build; published 279,585 accepted" in (
        new_month.stdout
    )
    assert query(published, PMI_PLACED_2023) == [(83_866.0,)]  # 83,864 and May's two
    with DagsterInstance.from_config(str(tmp_path / "dagster_home")) as instance:
        (run,) = instance.get_runs(limit=1)
        assert run.tags["dagster/asset_partition_range_start"] == "2023-05"  # the new month only
        planned = instance.get_records_for_run(
            run.run_id, of_type=DagsterEventType.ASSET_MATERIALIZATION_PLANNED
        ).records
    assert len(planned) == 40  # one per asset: not one per asset and month of a wider range

    # Dagster copies a run's captured standard error back with `tail -F`, stopped when the run ends,
    # so the last lines could be lost (dagster-io/dagster#23336); with a `tail` that copies nothing,
    # every progress line still shows: they are written past the capture.
    silent = tmp_path / "silent-tail"
    silent.mkdir()
    (silent / "tail").write_text("#!/bin/sh\nexec sleep 600\n")
    (silent / "tail").chmod(0o755)
    forced = sdmi(tmp_path, "build", "--force", path=f"{silent}:{os.environ['PATH']}")
    assert forced.returncode == 0, forced.stderr[-3000:]
    assert [line[:7] for line in forced.stderr.splitlines() if line.startswith("[")] == [
        f"[{step:>2}/41]"
        for step in range(1, 42)  # 68 assets: the report views share a step, the reference tables too
    ]
    assert "[41/41] release" in forced.stderr
    assert "      check report/sdg_series meets_contract: passed" in forced.stderr  # named in its shared step
    assert ": unchanged (" in forced.stdout  # every step again: the same public tables as the partial build
    assert run_count(tmp_path) == 3


def test_nothing_changed(built: Places):
    assert reasons_to_build(built) == []


def test_a_file_touched_without_a_change_in_content_is_no_change(built: Places):
    os.utime(built.raw_root / APRIL, ns=(0, 0))
    (built.raw_root / "notes.txt").write_text("a file no source reads\n")
    assert reasons_to_build(built) == []


def test_a_changed_raw_file_is_named(built: Places):
    april = built.raw_root / APRIL
    april.write_bytes(april.read_bytes() + april.read_bytes().splitlines(keepends=True)[1])
    assert reasons_to_build(built) == [f"1 raw file(s) new, changed or gone: {APRIL}"]


def test_a_gone_raw_file_is_named(built: Places):
    (built.raw_root / APRIL).unlink()
    assert reasons_to_build(built) == [f"1 raw file(s) new, changed or gone: {APRIL}"]


def test_an_acceptance_is_a_change(built: Places):
    record_acceptance(built.warehouse_root / "accepted_revisions.jsonl", APRIL, "0" * 64)
    assert reasons_to_build(built) == ["changed since the published build: accepted_revisions"]


@pytest.mark.parametrize("stricter", ["threshold = 10", "protection = 0.2", 'audit = "exact"'])
def test_new_settings_change_the_build_and_the_release(built: Places, tmp_path: Path, monkeypatch, stricter):
    settings = tmp_path / "stricter.toml"
    settings.write_text(f"[disclosure]\n{stricter}\n")
    monkeypatch.setenv("SDMI_CONFIG", str(settings))
    assert reasons_to_build(built) == [
        "changed since the published build: settings",
        f"the latest release under {built.export_root} does not hold the published content",
    ]


def test_new_code_is_a_change(built: Places, monkeypatch):
    monkeypatch.setattr(up_to_date, "_code_sha256", lambda: "another version of the code")
    assert reasons_to_build(built) == ["changed since the published build: code"]


def test_a_new_month_is_a_change(built: Places, monkeypatch):
    class NextMonth(datetime):
        @classmethod
        def now(cls, tz=None):
            return datetime(2099, 1, 1, tzinfo=tz)

    monkeypatch.setattr(up_to_date, "datetime", NextMonth)
    assert reasons_to_build(built) == ["changed since the published build: build_month"]


def test_a_left_build_file_a_missing_release_or_warehouse_is_a_reason(built: Places):
    (built.export_root / "latest").unlink()
    assert reasons_to_build(built) == [
        f"the latest release under {built.export_root} does not hold the published content"
    ]
    (built.warehouse_root / "sdmi.build.duckdb").write_bytes(b"")
    assert reasons_to_build(built) == ["a build file is left by a run that did not finish"]
    built.published_path.unlink()
    assert reasons_to_build(built) == [f"no warehouse is published at {built.published_path}"]


def test_the_code_version_covers_the_warehouse_code_not_the_release_nor_compiled_python(
    tmp_path: Path, monkeypatch
):
    for folder in ("sdmi_pipeline", "assets", "schemas"):
        shutil.copytree(
            PROJECT_ROOT / folder, tmp_path / folder, ignore=shutil.ignore_patterns("__pycache__")
        )
    package = tmp_path / "sdmi_pipeline"
    monkeypatch.setattr(up_to_date, "PROJECT_ROOT", tmp_path)
    monkeypatch.setattr(up_to_date, "CODE_FOLDERS", (package, tmp_path / "assets", tmp_path / "schemas"))
    monkeypatch.setattr(up_to_date, "LEFT_OUT", (package / "release", package / "samples"))
    before = up_to_date._code_sha256()
    (package / "warehouse" / "__pycache__").mkdir()
    (package / "warehouse" / "__pycache__" / "x.pyc").write_bytes(b"\0")
    template = package / "release" / "site" / "templates" / "base.html"
    template.write_text(template.read_text() + "<!-- edited -->\n")
    assert up_to_date._code_sha256() == before  # a portal template is not the warehouse's code
    sql = tmp_path / "assets" / "core" / "pmi_placements.sql"
    sql.write_text(sql.read_text() + "\n")
    assert up_to_date._code_sha256() != before


def test_an_edited_portal_template_runs_only_the_release(built: Places, monkeypatch):
    from sdmi_pipeline.definitions import defs
    from sdmi_pipeline.release import manifest

    monkeypatch.setattr(manifest, "release_code", lambda: "the release code with an edited template")
    stale = up_to_date.staleness(built)
    assert stale.reasons == [
        f"the latest release under {built.export_root} does not hold the published content"
    ]
    selection = up_to_date.assets_to_build(built, stale)
    assert selection.resolve(defs.resolve_asset_graph()) == {AssetKey("release")}


class Installed:
    """A distribution as importlib.metadata describes it."""

    def __init__(self, name: str, version: str, requires: list[str] | None = None) -> None:
        self.metadata = Message()
        self.metadata["Name"], self.metadata["Version"] = name, version
        for requirement in requires or []:
            self.metadata["Requires-Dist"] = requirement  # a header that repeats, as in METADATA


def test_only_the_closure_of_the_project_requirements_is_a_build_input(built: Places, monkeypatch):
    from importlib.metadata import distributions

    from sdmi_pipeline.runs import requirements

    real = list(distributions())
    closure = requirements.requirement_closure()
    assert {"dagster", "duckdb", "pandera", "grpcio", "sqlalchemy"} <= closure.keys()  # grpcio: dagster's
    assert not {"ruff", "pytest", "sdmi-pipeline"} & closure.keys()  # installed, but no requirement
    assert up_to_date.reasons_to_build(built) == []

    unrelated = Installed("an-unrelated-tool", "1.0", ["pyyaml>=6"])
    monkeypatch.setattr(requirements, "distributions", lambda: [*real, unrelated])
    assert up_to_date.reasons_to_build(built) == []  # `pip install` of something else rebuilds nothing

    duckdb_version = closure["duckdb"]
    upgraded = [d for d in real if d.metadata["Name"].lower() != "duckdb"] + [Installed("duckdb", "9.9")]
    monkeypatch.setattr(requirements, "distributions", lambda: upgraded)
    assert requirements.requirement_closure()["duckdb"] == "9.9" != duckdb_version
    assert up_to_date.reasons_to_build(built) == ["changed since the published build: distributions"]


def test_the_closure_follows_markers_and_extras(monkeypatch):
    from sdmi_pipeline.runs import requirements

    installed = [
        Installed(
            "app-lib", "1.0", ["helper>=1", 'fast-io; extra == "speed"', 'old-shim; python_version < "3"']
        ),
        Installed("helper", "2.0", ["app-lib"]),  # a cycle ends
        Installed("fast-io", "3.0"),
        Installed("old-shim", "0.1"),
    ]
    monkeypatch.setattr(requirements, "distributions", lambda: installed)
    assert requirements.requirement_closure(["app-lib"]) == {"app-lib": "1.0", "helper": "2.0"}
    assert requirements.requirement_closure(["App_Lib[speed]", "absent"]) == {
        "absent": requirements.MISSING,
        "app-lib": "1.0",
        "fast-io": "3.0",
        "helper": "2.0",
    }


def test_the_sources_of_changed_files():
    gone = APRIL  # a file gone from the raw root still names its source
    assert up_to_date.sources_of([gone]) == {"kp2mi_placements"}
    permits = "kemnaker/tka/tka_2023.csv"
    assert up_to_date.sources_of([gone, permits]) == {"kp2mi_placements", "kemnaker_permits"}
    assert up_to_date.sources_of([gone, "notes/unknown.txt"]) is None  # read by no source


def test_an_unreadable_published_warehouse_builds_everything(built: Places):
    built.published_path.write_text("not a DuckDB file")
    stale = up_to_date.staleness(built)
    assert stale.reasons[0].startswith("the published warehouse cannot be read (IO Error: ")
    assert up_to_date.assets_to_build(built, stale) is None


def test_the_sensor_requests_only_what_a_new_month_feeds(built: Places, monkeypatch):
    from dagster import build_sensor_context

    from sdmi_pipeline.definitions import defs

    for name, folder in [("SDMI_RAW_DIR", built.raw_root), ("SDMI_WAREHOUSE_DIR", built.warehouse_root)]:
        monkeypatch.setenv(name, str(folder))
    monkeypatch.setenv("SDMI_EXPORT_DIR", str(built.export_root))
    deliver_may(built.raw_root)
    sensor = defs.resolve_sensor_def("raw_files_changed")
    with DagsterInstance.ephemeral() as instance:
        context = build_sensor_context(instance=instance, repository_def=defs.get_repository_def())
        (request,) = sensor.evaluate_tick(context).run_requests
    selected = {key.to_user_string() for key in request.asset_selection}
    assert len(selected) == 40  # with indicators.figures and the two crossed report views
    assert {"staging/kp2mi_placements", "core/pmi_placements", "published_warehouse", "release"} <= selected
    assert not selected & {"staging/kemnaker_permits", "core/tka_permits", "reference/countries"}


@pytest.mark.slow
def test_only_a_run_of_every_asset_records_the_build_inputs(refresh, warehouse_dir: Path, monkeypatch):
    from sdmi_pipeline.definitions import REFRESH_JOB, build_definitions

    assert refresh().success
    published = warehouse_dir / "sdmi.duckdb"
    code = "SELECT version FROM meta.build_inputs WHERE input = 'code'"
    (first,) = query(published, code)[0]
    monkeypatch.setattr(up_to_date, "_code_sha256", lambda: "edited code")

    job = build_definitions().resolve_job_def(REFRESH_JOB)
    with DagsterInstance.ephemeral() as instance:
        alone = job.execute_in_process(
            instance=instance, asset_selection=[AssetKey("published_warehouse")], raise_on_error=False
        )
        codes_and_publish = [AssetKey(["reference", "codes"]), AssetKey("published_warehouse")]
        subset = job.execute_in_process(instance=instance, asset_selection=codes_and_publish)
    assert not alone.success  # at once, not after three retries: no table was built to publish
    (failure,) = [event for event in alone.all_events if event.event_type_value == "STEP_FAILURE"]
    assert "nothing to publish" in failure.event_specific_data.error.message
    assert not [event for event in alone.all_events if event.event_type_value == "STEP_UP_FOR_RETRY"]
    assert subset.success
    assert query(published, code) == [(first,)]  # the tables were not rebuilt with the edited code

    assert refresh().success
    assert query(published, code) == [("edited code",)]
