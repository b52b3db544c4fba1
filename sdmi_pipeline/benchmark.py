"""Benchmark of `sdmi build`: wall time and peak memory on generated years of placements.

    python -m sdmi_pipeline.benchmark --scale 1 --scale 10

For each scale it generates the calibrated year into a temporary raw root, runs `sdmi build`
in a child process (a first build that parses every file, then a second on unchanged inputs),
and reads the child's peak resident memory from the kernel (wait4 rusage). The table goes to
stdout in the markdown layout of docs/benchmarks.md.
"""

import argparse
import os
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from sdmi_pipeline.sample_data import generate


@dataclass(frozen=True)
class Measurement:
    scale: float
    run: str
    raw_mb: float
    seconds: float
    peak_mib: float
    warehouse_mb: float


def timed_build(environment: dict[str, str]) -> tuple[float, float]:
    """Wall seconds and peak RSS (MiB) of one `sdmi build` child process."""
    started = time.perf_counter()
    child = subprocess.Popen(
        [sys.executable, "-m", "sdmi_pipeline.cli", "build"],
        env=environment,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    _, status, usage = os.wait4(child.pid, 0)
    seconds = time.perf_counter() - started
    if os.waitstatus_to_exitcode(status) != 0:
        raise RuntimeError("sdmi build failed during the benchmark")
    return seconds, usage.ru_maxrss / 1024


def measure(scale: float, seed: int) -> list[Measurement]:
    with tempfile.TemporaryDirectory(prefix="sdmi-bench-") as folder:
        root = Path(folder)
        generate(root / "raw", scale=scale, seed=seed, bad_rows=8)
        raw_mb = sum(path.stat().st_size for path in (root / "raw").rglob("*.csv")) / 1e6
        environment = os.environ | {
            "SDMI_RAW_DIR": str(root / "raw"),
            "SDMI_WAREHOUSE_DIR": str(root / "warehouse"),
            "DAGSTER_HOME": str(root / "dagster_home"),
        }
        results = []
        for run in ("first build", "unchanged inputs"):
            seconds, peak = timed_build(environment)
            size = (root / "warehouse" / "sdmi.duckdb").stat().st_size / 1e6
            results.append(Measurement(scale, run, raw_mb, seconds, peak, size))
        return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=float, action="append", help="volume (1 = 274,965 rows)")
    parser.add_argument("--seed", type=int, default=2023)
    arguments = parser.parse_args()
    print("| scale | rows | run | raw CSV (MB) | wall time (s) | peak RSS (MiB) | warehouse (MB) |")
    print("|---|---|---|---|---|---|---|")
    for scale in arguments.scale or [1.0, 10.0]:
        for m in measure(scale, arguments.seed):
            print(
                f"| {m.scale:g} | {round(274_965 * m.scale):,} | {m.run} | {m.raw_mb:.0f} | "
                f"{m.seconds:.1f} | {m.peak_mib:.0f} | {m.warehouse_mb:.0f} |",
                flush=True,
            )


if __name__ == "__main__":
    main()
