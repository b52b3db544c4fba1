"""Kemnaker, UNHCR and BPS sample files (spec §2.3-2.5), calibrated to published figures, all at once.

`write_source_samples` writes them (`permits.py`, `unhcr.py`, `population.py`: the formats of the
spec, the name variants of real deliveries and a few deliberate bad rows); `check_source_samples`
reads them back and raises `SampleCheckError` unless every published figure comes back exactly.
The same seed writes identical bytes. `python -m sdmi_pipeline.samples.sources [raw_root]` does both.
"""

from pathlib import Path
from typing import Any

from sdmi_pipeline.ingest.sample_marker import mark
from sdmi_pipeline.samples.files import write_and_check
from sdmi_pipeline.samples.permits import check_tka, write_tka
from sdmi_pipeline.samples.population import check_bps, write_bps
from sdmi_pipeline.samples.unhcr import check_unhcr, write_unhcr


def write_source_samples(raw_root: Path, seed: int = 2023) -> list[Path]:
    """Write the Kemnaker, UNHCR and BPS sample files under `raw_root`; return their paths."""
    raw_root = Path(raw_root)
    written = [*write_tka(raw_root, seed), *write_unhcr(raw_root, seed), *write_bps(raw_root)]
    note = "calibrated to published figures (data/raw/README.md); every other cell is illustrative"
    return mark(written, "sdmi_pipeline.samples.sources", note, 1.0)


def check_source_samples(raw_root: Path) -> dict[str, Any]:
    """Read the sample files back; raise SampleCheckError unless every published figure holds."""
    raw_root = Path(raw_root)
    return check_tka(raw_root) | check_unhcr(raw_root) | check_bps(raw_root)


def main(argv: list[str] | None = None) -> None:
    """`python -m sdmi_pipeline.samples.sources [raw_root]`: write the files, then check them."""
    write_and_check(write_source_samples, check_source_samples, argv)


if __name__ == "__main__":
    main()
