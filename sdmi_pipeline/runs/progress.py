"""A Dagster logger that prints one line per step and check, for `sdmi build`."""

import io
import logging
import os
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TextIO

from dagster import InitLoggerContext, logger

from sdmi_pipeline.dagster_internals import dagster_event, logged_message

SHOWN = {"STEP_START", "STEP_SUCCESS", "STEP_FAILURE", "STEP_SKIPPED", "ASSET_CHECK_EVALUATION"}
_terminal: TextIO | None = None  # standard error as it was before Dagster captured it (to_terminal)


@contextmanager
def to_terminal() -> Iterator[None]:
    """Around a run: progress lines go straight to this process's standard error.

    Dagster captures a run's standard error into its compute logs and copies it back to the
    terminal with `tail -F`, which it stops as soon as the run ends: the last lines written could
    be lost (dagster-io/dagster#23336), such as the release step's. A copy of the descriptor taken
    before the run is not captured.
    """
    global _terminal
    try:
        descriptor = sys.stderr.fileno()
    except (OSError, ValueError, io.UnsupportedOperation):  # no real descriptor (a test runner's)
        yield
        return
    sys.stderr.flush()
    _terminal = os.fdopen(os.dup(descriptor), "w", buffering=1)
    try:
        yield
    finally:
        _terminal.close()
        _terminal = None


def _say(line: str) -> None:
    print(line, file=_terminal or sys.stderr, flush=True)


def step_label(step_key: str) -> str:
    return step_key.replace("__", "/")


class ProgressHandler(logging.Handler):
    """Turns Dagster step events into short progress lines on stderr."""

    def __init__(self, total_steps: int) -> None:
        super().__init__()
        self.total_steps = total_steps
        self.done = 0
        self.started: dict[str, float] = {}
        self.checks: dict[str, list[str]] = {}  # printed under their step's line, when it ends

    def emit(self, record: logging.LogRecord) -> None:
        event = dagster_event(record)
        if event is None and record.levelno >= logging.WARNING:  # a warning the pipeline logged
            _say(f"  ! {logged_message(record)}")
            return
        if event is None or event.event_type_value not in SHOWN:
            return
        label = step_label(event.step_key or "")
        kind = event.event_type_value
        if kind == "STEP_START":
            self.started[label] = time.monotonic()
            return
        if kind == "ASSET_CHECK_EVALUATION":
            evaluation = event.event_specific_data
            verdict = "passed" if evaluation.passed else f"FAILED ({evaluation.severity.value})"
            asset = "/".join(evaluation.asset_key.path)  # named where the step holds several assets
            check = evaluation.check_name if asset == label else f"{asset} {evaluation.check_name}"
            self.checks.setdefault(label, []).append(f"      check {check}: {verdict}")
            return
        self.done += 1
        seconds = time.monotonic() - self.started.get(label, time.monotonic())
        mark = {"STEP_SUCCESS": "ok", "STEP_FAILURE": "FAILED", "STEP_SKIPPED": "skipped"}[kind]
        _say(f"[{self.done:>2}/{self.total_steps}] {label:<48} {mark} {seconds:6.1f}s")
        for line in self.checks.pop(label, []):
            _say(line)


@logger(config_schema={"total_steps": int}, description="One line per step and check.")
def progress_logger(init_context: InitLoggerContext) -> logging.Logger:
    progress = logging.Logger("sdmi.progress", level=logging.DEBUG)
    progress.addHandler(ProgressHandler(init_context.logger_config["total_steps"]))
    return progress
