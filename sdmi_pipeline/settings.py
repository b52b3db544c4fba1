"""Project settings from `sdmi.toml` (or the file `SDMI_CONFIG` names)."""

import os
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from sdmi_pipeline.paths import PROJECT_ROOT


@dataclass(frozen=True)
class Notify:
    """SMTP settings of the messages sent when a run fails or a delivery is refused or held."""

    host: str
    port: int = 25
    sender: str = "sdmi@localhost"
    to: tuple[str, ...] = ()
    starttls: bool = False
    user: str | None = None  # its password comes from the environment, SDMI_SMTP_PASSWORD


@dataclass(frozen=True)
class Settings:
    """The project's tunable rules; defaults are those of the shipped `sdmi.toml`."""

    disclosure_threshold: int = 5
    disclosure_protection: float = 0.10
    disclosure_audit: str = "interval"
    revision_max_row_loss: float = 0.10
    revision_flag_change: float = 0.10
    revision_break_share: float = 0.50
    warehouse: "WarehouseSettings" = field(default_factory=lambda: WarehouseSettings())
    notify: Notify | None = None  # [notify]: messages to operators; off when host or to is unset

    @property
    def disclosure(self) -> dict[str, object]:
        """The settings disclosure control runs with: a release depends on each of them."""
        return {
            "threshold": self.disclosure_threshold,
            "protection": self.disclosure_protection,
            "audit": self.disclosure_audit,
        }


@dataclass(frozen=True)
class WarehouseSettings:
    """Where the warehouse is published: `[warehouse]` in sdmi.toml, each key overridable by environment.

    backend "file" (the default) publishes `sdmi.duckdb`; "ducklake" also publishes it into two
    DuckLakes whose catalogs live in PostgreSQL: one for aggregates, one for record-level rows
    (docs/deployment.md, "The lakehouse backend").
    """

    backend: str = "file"
    catalog: str = ""  # libpq DSN of the aggregates lake's catalog database
    data_path: str = ""  # folder (or object store URL) of the aggregates lake's Parquet files
    records_catalog: str = ""  # the same two for record-level rows, readable by the pipeline only
    records_data_path: str = ""
    executor: str = "in_process"  # or "celery": each step a task on a Celery worker (workers.py)
    broker: str = ""  # the Celery broker (and result backend) URL, e.g. redis://127.0.0.1:6379/0


# [warehouse] key → the environment variable that overrides it.
WAREHOUSE_ENVIRONMENT = {
    "backend": "SDMI_WAREHOUSE_BACKEND",
    "catalog": "SDMI_LAKE_CATALOG",
    "data_path": "SDMI_LAKE_DATA_PATH",
    "records_catalog": "SDMI_LAKE_RECORDS_CATALOG",
    "records_data_path": "SDMI_LAKE_RECORDS_DATA_PATH",
    "executor": "SDMI_EXECUTOR",
    "broker": "SDMI_CELERY_BROKER",
}
BACKENDS = ("file", "ducklake")
EXECUTORS = ("in_process", "celery")


def warehouse_settings(raw: dict) -> WarehouseSettings:
    """The `[warehouse]` table, each key replaced by its environment variable when that is set."""
    values = {
        key: os.environ.get(variable) or str(raw.get(key, ""))
        for key, variable in WAREHOUSE_ENVIRONMENT.items()
    }
    values["backend"] = values["backend"] or "file"
    values["executor"] = values["executor"] or "in_process"
    for key, allowed in (("backend", BACKENDS), ("executor", EXECUTORS)):
        if values[key] not in allowed:
            raise ValueError(f"[warehouse] {key} = {values[key]!r}: choose one of {', '.join(allowed)}")
    return WarehouseSettings(**values)


def _notify(raw: dict) -> Notify | None:
    to = raw.get("to", [])
    to = tuple([to] if isinstance(to, str) else to)
    if not raw.get("host") or not to:
        return None
    return Notify(
        host=str(raw["host"]),
        port=int(raw.get("port", 25)),
        sender=str(raw.get("from", "sdmi@localhost")),
        to=to,
        starttls=bool(raw.get("starttls", False)),
        user=raw.get("user"),
    )


AUDITS = ("linear", "bounds", "interval", "exact")  # release/disclosure.py, docs/release.md


def _audit(kind: object) -> str:
    if kind not in AUDITS:
        raise ValueError(f"[disclosure] audit = {kind!r}: choose one of {', '.join(AUDITS)}")
    return str(kind)


def settings_path() -> Path:
    return Path(os.environ.get("SDMI_CONFIG") or PROJECT_ROOT / "sdmi.toml")


def load_settings(path: Path | None = None) -> Settings:
    """Read the settings file; a missing file or key keeps the default."""
    path = path or settings_path()
    if not path.exists():
        return Settings(warehouse=warehouse_settings({}))
    with path.open("rb") as handle:
        raw = tomllib.load(handle)
    defaults = Settings()
    revisions, disclosure = raw.get("revisions", {}), raw.get("disclosure", {})
    return Settings(
        disclosure_threshold=int(disclosure.get("threshold", defaults.disclosure_threshold)),
        disclosure_protection=float(disclosure.get("protection", defaults.disclosure_protection)),
        disclosure_audit=_audit(disclosure.get("audit", defaults.disclosure_audit)),
        revision_max_row_loss=float(
            raw.get("revisions", {}).get("max_row_loss", defaults.revision_max_row_loss)
        ),
        revision_flag_change=float(revisions.get("flag_change", defaults.revision_flag_change)),
        revision_break_share=float(revisions.get("break_share", defaults.revision_break_share)),
        warehouse=warehouse_settings(raw.get("warehouse", {})),
        notify=_notify(raw.get("notify", {})),
    )
