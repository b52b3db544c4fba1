"""A release that fails after publishing: no retries for a code error, and a summary that says so."""

from pathlib import Path

import pytest

from sdmi_pipeline.runs.build_summary import failure_report


@pytest.mark.slow
def test_a_failing_release_is_not_retried_and_the_report_says_the_warehouse_was_published(
    refresh, warehouse_dir: Path, monkeypatch: pytest.MonkeyPatch
):
    def broken_export(published_path: Path):
        raise ImportError("cannot import name 'split_label'")

    monkeypatch.setattr("sdmi_pipeline.release.writer.export", broken_export)
    result = refresh()
    assert not result.success
    retries = [event for event in result.all_events if event.event_type_value == "STEP_UP_FOR_RETRY"]
    assert retries == []
    report = failure_report(result, warehouse_dir / "sdmi.duckdb")
    assert "Build FAILED after the warehouse was published; the release was not written." in report
    assert "step release failed: ImportError: cannot import name 'split_label'" in report
    assert (warehouse_dir / "sdmi.duckdb").exists()
