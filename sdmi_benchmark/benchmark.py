"""Benchmark of `sdmi build` against two peers on the same generated KP2MI placement files.

    python -m sdmi_benchmark --case 1 --case 10 --case 10x5

A case is a scale (1 = the published 2023 volume, 274,965 rows a year), optionally times a
number of years (`10x5`: five years, 2019-2023, at ten times the volume). For each case the
script generates the files into a temporary raw root and runs, each as a child process:
- the DuckDB floor (`sdmi_benchmark.peers.duckdb_floor`) and the pandas script
  (`sdmi_benchmark.peers.pandas_script`);
- `sdmi build`: a first build, a no-op build (nothing new: it starts no run), the same no-op
  with `--force` (every step runs), and a build after one new month.
It checks that the three peers give equal PMI_PLACED cells, then prints wall time, CPU time
(user + system, of the child and the processes it waited for) and peak resident memory from the
kernel (wait4 rusage), with each figure's ratio to the floor, as markdown (docs/benchmarks.md).
The files are generated in a child process too: Linux counts the memory a child had before it
started its program (a copy of this process) in its peak, so this process stays small.
"""

import argparse
import os
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import duckdb

from sdmi_benchmark.peers import CELL_COLUMNS

ROWS_PER_YEAR = 274_965
LAST_YEAR = 2023


@dataclass(frozen=True)
class Case:
    scale: float
    years: int

    @classmethod
    def parse(cls, text: str) -> "Case":
        scale, _, years = text.partition("x")
        return cls(float(scale), int(years or 1))

    @property
    def label(self) -> str:
        return f"{self.scale:g}×" + (f", {self.years} years" if self.years > 1 else ", one year")


@dataclass(frozen=True)
class Run:
    peer: str
    wall: float
    cpu: float
    peak_mib: float


def timed(name: str, command: list[str], environment: dict[str, str]) -> Run:
    """Wall seconds, CPU seconds and peak RSS of one child process; a failed one is named so."""
    started = time.perf_counter()
    child = subprocess.Popen(command, env=environment, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(child.pid, 0)
    wall = time.perf_counter() - started
    failed = os.waitstatus_to_exitcode(status) != 0
    if failed:  # the other runs' figures still count: say so and go on
        print(f"{name} failed: {child.stderr.read().decode()[-2000:]}", file=sys.stderr, flush=True)
    child.stderr.close()
    cpu = usage.ru_utime + usage.ru_stime
    return Run(name + (" (FAILED)" if failed else ""), wall, cpu, usage.ru_maxrss / 1024)


def project_cells(published: Path, out: Path) -> None:
    """The published PMI_PLACED cells, in the peers' CSV layout."""
    with duckdb.connect(str(published), read_only=True) as connection:
        connection.execute(
            f"""COPY (SELECT {", ".join(CELL_COLUMNS)} FROM indicators.observations_pmi
                      WHERE indicator_id = 'PMI_PLACED') TO '{out}' (FORMAT csv, HEADER)"""
        )


def differing_cells(first: Path, second: Path) -> int:
    """Cells in one file and not the other (each way, counting repeats); 0 when they agree."""
    read = "SELECT * REPLACE (CAST(value AS DOUBLE) AS value) FROM read_csv('{}', all_varchar = true)"
    with duckdb.connect() as connection:
        return connection.execute(
            f"""SELECT (SELECT count(*) FROM ({read.format(first)} EXCEPT ALL {read.format(second)}))
                     + (SELECT count(*) FROM ({read.format(second)} EXCEPT ALL {read.format(first)}))"""
        ).fetchone()[0]


def generate(raw: Path, year: int, scale: float, seed: int, months: str = "1-12") -> None:
    """`sdmi generate` in a child process."""
    subprocess.run(
        [
            sys.executable,
            "-m",
            "sdmi_pipeline.cli",
            "generate",
            "--out",
            raw,
            "--year",
            str(year),
            "--scale",
            str(scale),
            "--seed",
            str(seed),
            "--bad-rows",
            "8",
            "--months",
            months,
        ],
        check=True,
        stdout=subprocess.DEVNULL,
    )


def measure(case: Case, seed: int) -> list[Run]:
    with tempfile.TemporaryDirectory(prefix="sdmi-bench-") as folder:
        root = Path(folder)
        raw = root / "raw"
        for year in range(LAST_YEAR - case.years + 1, LAST_YEAR + 1):
            generate(raw, year, case.scale, seed + year)
        environment = os.environ | {
            "SDMI_RAW_DIR": str(raw),
            "SDMI_WAREHOUSE_DIR": str(root / "warehouse"),
            "DAGSTER_HOME": str(root / "dagster_home"),
        }
        python = sys.executable
        runs = [
            timed(
                "DuckDB floor",
                [python, "-m", "sdmi_benchmark.peers.duckdb_floor", raw, root / "floor.csv"],
                environment,
            ),
            timed(
                "pandas script",
                [python, "-m", "sdmi_benchmark.peers.pandas_script", raw, root / "pandas.csv"],
                environment,
            ),
        ]
        build = [python, "-m", "sdmi_pipeline.cli", "build"]
        runs.append(timed("sdmi build, first", build, environment))
        project_cells(root / "warehouse" / "sdmi.duckdb", root / "project.csv")
        for peer in ("pandas", "project"):
            if differing := differing_cells(root / "floor.csv", root / f"{peer}.csv"):
                raise RuntimeError(
                    f"{case.label}: {differing} PMI_PLACED cells differ between floor and {peer}"
                )
        runs.append(timed("sdmi build, no-op (nothing changed: no run)", build, environment))
        runs.append(timed("sdmi build --force, no-op (every step runs)", [*build, "--force"], environment))
        generate(raw, LAST_YEAR + 1, case.scale, seed, months="1")
        runs.append(timed("sdmi build, one new month", build, environment))
        return runs


def table(case: Case, runs: list[Run]) -> list[str]:
    floor = runs[0]
    rows = [
        f"| {case.label} | {run.peer} | {run.wall:.1f} | {run.cpu:.1f} | {run.cpu / floor.cpu:.1f}× | "
        f"{run.peak_mib:,.0f} | {run.peak_mib / floor.peak_mib:.1f}× |"
        for run in runs
    ]
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--case", action="append", type=Case.parse, help="SCALE or SCALExYEARS, e.g. 1, 10, 10x5"
    )
    parser.add_argument("--seed", type=int, default=2023)
    arguments = parser.parse_args()
    print("| case | peer | wall (s) | CPU (s) | CPU ÷ floor | peak RSS (MiB) | RSS ÷ floor |")
    print("|---|---|---|---|---|---|---|")
    for case in arguments.case or [Case(1, 1), Case(10, 1)]:
        print("\n".join(table(case, measure(case, arguments.seed))), flush=True)


if __name__ == "__main__":
    main()
