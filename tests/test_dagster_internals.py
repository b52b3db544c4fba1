"""Dagster's internals are reached from one module only (sdmi_pipeline/dagster_internals.py)."""

import re

from sdmi_pipeline.paths import PROJECT_ROOT

ADAPTER = PROJECT_ROOT / "sdmi_pipeline" / "dagster_internals.py"
PRIVATE = re.compile(r"^\s*(from|import)\s+dagster\._", re.MULTILINE)
# Methods that are neither public nor documented, each wrapped (and explained) in the adapter.
UNLISTED_CALLS = re.compile(
    r"\.(event_log_storage\b|add_run_tags\(|report_run_failed\(|instance_ref\b|dagster_meta\b|"
    r"free_concurrency_slots_for_run\(|get_latest_asset_check_execution_by_key\()"
)


def python_files() -> list:
    folders = ("sdmi_pipeline", "sdmi_benchmark", "tests")
    return sorted(path for folder in folders for path in (PROJECT_ROOT / folder).rglob("*.py"))


def test_only_the_adapter_imports_dagster_internals():
    importing = [
        p.relative_to(PROJECT_ROOT).as_posix() for p in python_files() if PRIVATE.search(p.read_text())
    ]
    assert importing == ["sdmi_pipeline/dagster_internals.py"]


def test_the_pipeline_calls_undocumented_methods_only_through_the_adapter():
    package = [p for p in python_files() if p.is_relative_to(PROJECT_ROOT / "sdmi_pipeline") and p != ADAPTER]
    calling = [p.name for p in package if UNLISTED_CALLS.search(p.read_text())]
    assert calling == []
    assert UNLISTED_CALLS.search(ADAPTER.read_text())  # the pattern finds what it looks for
