"""Project settings from `sdmi.toml` (or the file `SDMI_CONFIG` names)."""

import os
import tomllib
from dataclasses import dataclass
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
    revision_max_row_loss: float = 0.10
    revision_flag_change: float = 0.10
    revision_break_share: float = 0.50
    notify: Notify | None = None  # [notify]: messages to operators; off when host or to is unset


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


def settings_path() -> Path:
    return Path(os.environ.get("SDMI_CONFIG") or PROJECT_ROOT / "sdmi.toml")


def load_settings(path: Path | None = None) -> Settings:
    """Read the settings file; a missing file or key keeps the default."""
    path = path or settings_path()
    if not path.exists():
        return Settings()
    with path.open("rb") as handle:
        raw = tomllib.load(handle)
    defaults = Settings()
    revisions = raw.get("revisions", {})
    return Settings(
        disclosure_threshold=int(raw.get("disclosure", {}).get("threshold", defaults.disclosure_threshold)),
        revision_max_row_loss=float(
            raw.get("revisions", {}).get("max_row_loss", defaults.revision_max_row_loss)
        ),
        revision_flag_change=float(revisions.get("flag_change", defaults.revision_flag_change)),
        revision_break_share=float(revisions.get("break_share", defaults.revision_break_share)),
        notify=_notify(raw.get("notify", {})),
    )
