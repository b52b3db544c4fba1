"""Operators are told: a mail when a run fails, or publishes with a delivery refused or held back.

Two of Dagster's run-status sensors, run by the daemon, each seeing every run of the code location
once: `run_failure_sensor` for a failed run, and `run_status_sensor` on SUCCESS for a run whose tag
`sdmi/outcome` is `refused_or_held` (the outcome the build also gives as exit status 3; its tag
`sdmi/unread_paths` names the paths). SMTP settings are `[notify]` in sdmi.toml; without them the
sensors skip and say so.
"""

import os
import smtplib
from email.message import EmailMessage

from dagster import (
    DagsterRunStatus,
    DefaultSensorStatus,
    RunFailureSensorContext,
    RunStatusSensorContext,
    SkipReason,
    run_failure_sensor,
    run_status_sensor,
)
from dagster_shared.error import SerializableErrorInfo

from sdmi_pipeline.runs.outcome import OUTCOME_TAG, REFUSED_OR_HELD, UNREAD_TAG
from sdmi_pipeline.settings import Notify, load_settings

FAILED_SENSOR, REFUSED_SENSOR = "mail_on_run_failure", "mail_on_refused_or_held"
UNSET = "no [notify] host and to in sdmi.toml: no mail sent"


def send(notify: Notify, subject: str, body: str) -> None:
    """One plain-text mail to every `to` of [notify]."""
    message = EmailMessage()
    message["Subject"], message["From"], message["To"] = subject, notify.sender, ", ".join(notify.to)
    message.set_content(body)
    with smtplib.SMTP(notify.host, notify.port, timeout=30) as smtp:
        if notify.starttls:
            smtp.starttls()
        if notify.user:
            smtp.login(notify.user, os.environ.get("SDMI_SMTP_PASSWORD", ""))
        smtp.send_message(message)


def _root_cause(error: SerializableErrorInfo | None) -> str:
    """The innermost error's message (Dagster wraps an op's exception in its own)."""
    while error is not None and error.cause is not None:
        error = error.cause
    return error.message.strip() if error else "no error recorded"


def failure_mail(context: RunFailureSensorContext) -> tuple[str, str]:
    """Subject and body for a failed run: its job, id, and each failed step's error."""
    run = context.dagster_run
    steps = [
        f"- {event.step_key}: {_root_cause(event.step_failure_data.error)}"
        for event in context.get_step_failure_events()
    ]
    body = [
        f"Run {run.run_id} of {run.job_name} failed: nothing was published, the previous warehouse stays.",
        context.failure_event.message or "",
        *(["Failed steps:", *steps] if steps else []),
    ]
    return f"SDMI: run of {run.job_name} failed ({run.run_id[:8]})", "\n".join(line for line in body if line)


def refused_mail(context: RunStatusSensorContext) -> tuple[str, str] | None:
    """Subject and body for a run that published with deliveries refused or held; None for another."""
    tags = context.dagster_run.tags
    if tags.get(OUTCOME_TAG) != REFUSED_OR_HELD:
        return None
    paths = [path for path in tags.get(UNREAD_TAG, "").split("; ") if path]
    body = [
        f"Run {context.dagster_run.run_id} of {context.dagster_run.job_name} published, but a delivery "
        "is refused or held back; its previous vintage, if any, stays published.",
        *(f"- {path}" for path in paths),
        "Correct or delete a refused file; `sdmi accept PATH` lets a held revision through; `sdmi status` "
        "lists them.",
    ]
    return f"SDMI: published with deliveries refused or held ({len(paths)})", "\n".join(body)


@run_failure_sensor(
    name=FAILED_SENSOR,
    description="Mails [notify] in sdmi.toml when a run fails (nothing published).",
    default_status=DefaultSensorStatus.RUNNING,
)
def mail_on_run_failure(context: RunFailureSensorContext):
    notify = load_settings().notify
    if notify is None:
        return SkipReason(UNSET)
    send(notify, *failure_mail(context))


@run_status_sensor(
    run_status=DagsterRunStatus.SUCCESS,
    name=REFUSED_SENSOR,
    description=f"Mails [notify] in sdmi.toml when a run published with its tag {OUTCOME_TAG}="
    f"{REFUSED_OR_HELD}: a delivery refused or held back.",
    default_status=DefaultSensorStatus.RUNNING,
)
def mail_on_refused_or_held(context: RunStatusSensorContext):
    mail = refused_mail(context)
    if mail is None:
        return SkipReason(f"run {context.dagster_run.run_id[:8]}: no delivery refused or held")
    notify = load_settings().notify
    if notify is None:
        return SkipReason(UNSET)
    send(notify, *mail)


NOTIFY_SENSORS = [mail_on_run_failure, mail_on_refused_or_held]
