"""Transient errors are retried with backoff; data errors fail at once."""

import duckdb
import pytest
from dagster import RetryPolicy

from sdmi_pipeline.definitions import REFRESH_JOB, defs
from sdmi_pipeline.ingest import assets as source_assets
from sdmi_pipeline.ingest.loading import ingest_source
from sdmi_pipeline.warehouse import resource as warehouse


def step_events(result, kind: str, step: str = "staging__kp2mi_placements") -> int:
    return sum(1 for event in result.all_events if event.event_type_value == kind and event.step_key == step)


@pytest.fixture
def quick_retries(monkeypatch):
    monkeypatch.setattr(warehouse, "TRANSIENT_RETRY", RetryPolicy(max_retries=3, delay=0))


def test_the_refresh_job_retries_every_step_with_exponential_backoff():
    policy = defs.resolve_job_def(REFRESH_JOB).op_retry_policy
    assert (policy.max_retries, policy.delay, policy.backoff.value) == (3, 30, "EXPONENTIAL")


@pytest.mark.slow
def test_a_locked_file_is_retried_and_the_run_succeeds(refresh, quick_retries, monkeypatch):
    calls = []

    def locked_once(connection, raw_root, source, selected=None):
        calls.append(source.name)
        if source.name == "kp2mi_placements" and calls.count(source.name) == 1:
            raise duckdb.IOException('IO Error: Could not set lock on file "sdmi.build.duckdb"')
        return ingest_source(connection, raw_root, source, selected)

    monkeypatch.setattr(source_assets, "ingest_source", locked_once)
    result = refresh()
    assert result.success
    assert calls.count("kp2mi_placements") == 2 and calls.count("kemnaker_permits") == 1
    assert step_events(result, "STEP_UP_FOR_RETRY") == 1


def test_a_data_error_is_not_retried(refresh, quick_retries, monkeypatch):
    calls = []

    def broken(connection, raw_root, source, selected=None):
        calls.append(source.name)
        if source.name == "kp2mi_placements":
            raise ValueError("a data error")
        return ingest_source(connection, raw_root, source, selected)

    monkeypatch.setattr(source_assets, "ingest_source", broken)
    result = refresh()
    assert not result.success
    assert calls.count("kp2mi_placements") == 1
    assert step_events(result, "STEP_UP_FOR_RETRY") == 0
    (failure,) = [e for e in result.all_events if e.event_type_value == "STEP_FAILURE"]
    assert failure.step_key == "staging__kp2mi_placements"
    assert "ValueError: a data error" in failure.event_specific_data.error.message
