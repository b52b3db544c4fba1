"""Disclosure control on the calibrated full year, every source: `python -m sdmi_benchmark --disclosure`.

The benchmark's cases hold placements only, so their disclosure rows never meet the permit
holders' stock-flow inequalities. This case copies the project's raw root (both years of Kemnaker
permits, UNHCR, BPS, BI and KP2MI's 2022 tables, all at the published volume), replaces the
placement files by a generated year at scale 1 (`sdmi generate`), builds January to November and
times `sdmi_benchmark.disclosure` on it (the first release), then adds December, builds again and
times it against the release of January to November: the time bounds of docs/release.md (30 s
and 10 s).
"""

import json
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from sdmi_benchmark.benchmark import LAST_YEAR, Run, environment_under, generate, releases_under, timed
from sdmi_pipeline.paths import PROJECT_ROOT

HEADER = [
    "| run | wall (s) | CPU (s) | peak RSS (MiB) | hidden (primary + secondary) | rounds | LPs |",
    "|---|---|---|---|---|---|---|",
]


def _row(run: Run, report: dict) -> str:
    return (
        f"| {run.peer} | {run.wall:.1f} | {run.cpu:.1f} | {run.peak_mib:,.0f} | "
        f"{report['primary']:,} + {report['secondary']:,} | {report['audit_rounds']} | "
        f"{report['audit_linear_programs']} |"
    )


def measure_disclosure(seed: int) -> list[str]:
    """The table's rows: the first release of January–November, then December against it."""
    with tempfile.TemporaryDirectory(prefix="sdmi-bench-disclosure-") as folder:
        root = Path(folder)
        raw = root / "raw"
        shutil.copytree(PROJECT_ROOT / "data" / "raw", raw)
        for placements in (raw / "kp2mi" / "penempatan").glob("penempatan_pmi_*.csv"):
            placements.unlink()
        environment = environment_under(root)
        build = [sys.executable, "-m", "sdmi_pipeline.cli", "build"]
        audit = [sys.executable, "-m", "sdmi_benchmark.disclosure", str(root / "warehouse" / "sdmi.duckdb")]
        rows = []
        for months, name in (("1-11", "January–November, first release"), ("12", "December, against it")):
            generate(raw, LAST_YEAR, 1.0, seed, months=months)
            subprocess.run(build, env=environment, check=True, stdout=subprocess.DEVNULL)
            releases = releases_under(root)
            command = [*audit, str(releases[-2])] if len(releases) > 1 else audit
            report = root / "report.json"
            run = timed(name, command, environment, stdout=report)
            rows.append(_row(run, json.loads(report.read_text())))
        return rows
