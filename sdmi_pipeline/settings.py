"""Project settings from `sdmi.toml` (or the file `SDMI_CONFIG` names)."""

import os
import tomllib
from dataclasses import dataclass
from pathlib import Path

from sdmi_pipeline.paths import PROJECT_ROOT


@dataclass(frozen=True)
class Settings:
    """The project's tunable rules; defaults are those of the shipped `sdmi.toml`."""

    disclosure_threshold: int = 5
    disclosure_protection: float = 0.10
    disclosure_audit: str = "linear"
    revision_max_row_loss: float = 0.10
    revision_flag_change: float = 0.10
    revision_break_share: float = 0.50


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
    revisions, disclosure = raw.get("revisions", {}), raw.get("disclosure", {})
    return Settings(
        disclosure_threshold=int(disclosure.get("threshold", defaults.disclosure_threshold)),
        disclosure_protection=float(disclosure.get("protection", defaults.disclosure_protection)),
        disclosure_audit=str(disclosure.get("audit", defaults.disclosure_audit)),
        revision_max_row_loss=float(
            raw.get("revisions", {}).get("max_row_loss", defaults.revision_max_row_loss)
        ),
        revision_flag_change=float(revisions.get("flag_change", defaults.revision_flag_change)),
        revision_break_share=float(revisions.get("break_share", defaults.revision_break_share)),
    )
