"""Operators are told: the run-status sensors mail a local SMTP server (aiosmtpd on loopback)."""

import email
import email.policy
import socket
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller
from dagster import DagsterInstance, SkipReason, build_run_status_sensor_context, job, op

from sdmi_pipeline.definitions import defs
from sdmi_pipeline.runs.notify import (
    FAILED_SENSOR,
    OUTCOME_TAG,
    REFUSED_OR_HELD,
    REFUSED_SENSOR,
    UNREAD_TAG,
    mail_on_refused_or_held,
    mail_on_run_failure,
)

UNREAD = (
    "refused (new): kp2mi/penempatan/penempatan_pmi_2031_01.csv; "
    "held (still there): kp2mi/penempatan/penempatan_pmi_2023_04.csv"
)


class Inbox:
    def __init__(self) -> None:
        self.messages: list[tuple[str, list[str], str]] = []

    async def handle_DATA(self, server, session, envelope) -> str:
        message = email.message_from_bytes(envelope.content, policy=email.policy.default)
        text = f"Subject: {message['Subject']}\n{message.get_content()}"
        self.messages.append((envelope.mail_from, envelope.rcpt_tos, text))
        return "250 OK"


@pytest.fixture
def inbox(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Inbox:
    """An SMTP server on loopback, and an sdmi.toml whose [notify] names it."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    handler = Inbox()
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    config = tmp_path / "sdmi.toml"
    config.write_text(
        f'[notify]\nhost = "127.0.0.1"\nport = {port}\nfrom = "sdmi@test"\nto = ["ops@test", "lead@test"]\n'
    )
    monkeypatch.setenv("SDMI_CONFIG", str(config))
    yield handler
    controller.stop()


@op
def load_month() -> None:
    raise RuntimeError("disk full while loading penempatan_pmi_2023_05.csv")


@job
def failing() -> None:
    load_month()


@op
def publish_with_refusal(context) -> None:
    context.instance.add_run_tags(context.run_id, {OUTCOME_TAG: REFUSED_OR_HELD, UNREAD_TAG: UNREAD})


@job
def refused() -> None:
    publish_with_refusal()


@op
def publish_clean(context) -> None:
    context.instance.add_run_tags(context.run_id, {OUTCOME_TAG: "clean"})


@job
def clean() -> None:
    publish_clean()


def evaluate(sensor, run_job, instance: DagsterInstance):
    """The sensor on the run of `run_job`, as the daemon evaluates it after the run ends."""
    result = run_job.execute_in_process(instance=instance, raise_on_error=False)
    event = result.get_run_failure_event() if not result.success else result.get_run_success_event()
    context = build_run_status_sensor_context(
        sensor_name=sensor.name,
        dagster_event=event,
        dagster_instance=instance,
        dagster_run=instance.get_run_by_id(result.run_id),  # with the tags the run added
    )
    return sensor(context.for_run_failure() if not result.success else context)


def test_a_failed_run_is_mailed_with_its_error(inbox: Inbox):
    with DagsterInstance.ephemeral() as instance:
        assert evaluate(mail_on_run_failure, failing, instance) is None
    ((sender, to, text),) = inbox.messages
    assert (sender, to) == ("sdmi@test", ["ops@test", "lead@test"])
    assert "Subject: SDMI: run of failing failed" in text
    assert "- load_month: RuntimeError: disk full while loading penempatan_pmi_2023_05.csv" in text


def test_a_refused_or_held_delivery_is_mailed_with_its_paths_and_a_clean_run_is_not(inbox: Inbox):
    with DagsterInstance.ephemeral() as instance:
        assert evaluate(mail_on_refused_or_held, refused, instance) is None
        skipped = evaluate(mail_on_refused_or_held, clean, instance)
    assert isinstance(skipped, SkipReason) and "no delivery refused or held" in skipped.skip_message
    ((_, _, text),) = inbox.messages
    assert "Subject: SDMI: published with deliveries refused or held (2)" in text
    assert "- refused (new): kp2mi/penempatan/penempatan_pmi_2031_01.csv" in text
    assert "- held (still there): kp2mi/penempatan/penempatan_pmi_2023_04.csv" in text


def test_without_notify_settings_nothing_is_sent(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    config = tmp_path / "sdmi.toml"
    config.write_text('[notify]\nto = ["ops@test"]\n')  # no host: off
    monkeypatch.setenv("SDMI_CONFIG", str(config))
    with DagsterInstance.ephemeral() as instance:
        skipped = evaluate(mail_on_run_failure, failing, instance)
    assert isinstance(skipped, SkipReason) and "no [notify] host and to" in skipped.skip_message


def test_the_definitions_run_both_sensors():
    sensors = {sensor.name: sensor for sensor in defs.sensors}
    for name in (FAILED_SENSOR, REFUSED_SENSOR):
        assert sensors[name].default_status.value == "RUNNING"
