"""A Dagster logger that prints one line per step and check, for `sdmi build`."""

import logging
import sys
import time

from dagster import InitLoggerContext, logger

SHOWN = {"STEP_START", "STEP_SUCCESS", "STEP_FAILURE", "STEP_SKIPPED", "ASSET_CHECK_EVALUATION"}


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
        meta = getattr(record, "dagster_meta", None) or {}
        event = meta.get("dagster_event")
        if event is None and record.levelno >= logging.WARNING:  # a warning the pipeline logged
            print(f"  ! {meta.get('orig_message') or record.getMessage()}", file=sys.stderr, flush=True)
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
            self.checks.setdefault(label, []).append(f"      check {evaluation.check_name}: {verdict}")
            return
        self.done += 1
        seconds = time.monotonic() - self.started.get(label, time.monotonic())
        mark = {"STEP_SUCCESS": "ok", "STEP_FAILURE": "FAILED", "STEP_SKIPPED": "skipped"}[kind]
        print(
            f"[{self.done:>2}/{self.total_steps}] {label:<48} {mark} {seconds:6.1f}s",
            file=sys.stderr,
            flush=True,
        )
        for line in self.checks.pop(label, []):
            print(line, file=sys.stderr, flush=True)


@logger(config_schema={"total_steps": int}, description="One line per step and check.")
def progress_logger(init_context: InitLoggerContext) -> logging.Logger:
    progress = logging.Logger("sdmi.progress", level=logging.DEBUG)
    progress.addHandler(ProgressHandler(init_context.logger_config["total_steps"]))
    return progress
