"""Benchmark of `sdmi build` against two peers on the same generated KP2MI placement files.

    python -m sdmi_benchmark --case 1 --case 10 --case 10x5 [--disclosure] [--lake]

A case is a scale (1 = the published 2023 volume, 274,965 rows a year), optionally times a
number of years (`10x5`: five years, 2019-2023, at ten times the volume). For each case the
script generates the files into a temporary raw root and runs, each as a child process:
- the DuckDB floor (`sdmi_benchmark.peers.duckdb_floor`) and the pandas script
  (`sdmi_benchmark.peers.pandas_script`);
- `sdmi build`: a first build, a no-op build (nothing new: it starts no run), the same no-op
  with `--force` (every step runs), and a build after one new month;
- disclosure control alone (`sdmi_benchmark.disclosure`, the audit of sdmi.toml) on the first
  build's warehouse, and on the new month's against the release before it.
It checks that the three peers give equal PMI_PLACED cells, then prints wall time, CPU time
(user + system, of the child and the processes it waited for) and peak resident memory from the
kernel (wait4 rusage), with each figure's ratio to the floor, as markdown (docs/benchmarks.md).

With `--lake`, each `sdmi build` but `--force` is also run with the lake backend (DuckLake on a
throw-away PostgreSQL on loopback, started as the tests start it: tests/lakehouse.py) into a
warehouse of its own, right after the file backend's, on the same raw files; a second table gives
the lake backend's figures as a ratio to the file backend's (issue 22 §4).
The files are generated in a child process too: Linux counts the memory a child had before it
started its program (a copy of this process) in its peak, so this process stays small.
"""

import argparse
import contextlib
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


def timed(name: str, command: list[str], environment: dict[str, str], stdout: Path | None = None) -> Run:
    """Wall seconds, CPU seconds and peak RSS of one child process (its output into `stdout`, or
    dropped); a failed one is named so."""
    started = time.perf_counter()
    with open(stdout or os.devnull, "wb") as output:
        child = subprocess.Popen(command, env=environment, stdout=output, stderr=subprocess.PIPE)
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


def environment_under(root: Path) -> dict[str, str]:
    """This process's environment with the raw root, warehouse, Dagster home and exports under `root`."""
    return os.environ | {
        "SDMI_RAW_DIR": str(root / "raw"),
        "SDMI_WAREHOUSE_DIR": str(root / "warehouse"),
        "DAGSTER_HOME": str(root / "dagster_home"),
        "SDMI_EXPORT_DIR": str(root / "exports"),
    }


def releases_under(root: Path) -> list[Path]:
    """The release folders under `root`/exports, oldest first (none before the first export)."""
    exports = root / "exports"
    return sorted(p for p in exports.iterdir() if p.name[0].isdigit()) if exports.is_dir() else []


def measure(case: Case, seed: int, lake: dict[str, str] | None = None) -> tuple[list[Run], list[Run]]:
    """The file backend's runs (and the peers'), and the lake backend's when `lake` is its settings."""
    with tempfile.TemporaryDirectory(prefix="sdmi-bench-") as folder:
        root = Path(folder)
        raw = root / "raw"
        for year in range(LAST_YEAR - case.years + 1, LAST_YEAR + 1):
            generate(raw, year, case.scale, seed + year)
        environment = environment_under(root)
        python = sys.executable
        published = root / "warehouse" / "sdmi.duckdb"
        disclosure = [python, "-m", "sdmi_benchmark.disclosure", published]
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
        lake_runs: list[Run] = []
        lake_environment = (lake or {}) | {
            "SDMI_WAREHOUSE_DIR": str(root / "lake_warehouse"),
            "DAGSTER_HOME": str(root / "lake_dagster_home"),
            "SDMI_WAREHOUSE_BACKEND": "ducklake",
        }

        def on_the_lake(name: str) -> None:
            if lake is not None:
                lake_runs.append(timed(name, build, environment | lake_environment))

        runs.append(timed("sdmi build, first", build, environment))
        on_the_lake("sdmi build, first")
        project_cells(published, root / "project.csv")
        runs.append(timed("disclosure control, first release", disclosure, environment))
        for peer in ("pandas", "project"):
            if differing := differing_cells(root / "floor.csv", root / f"{peer}.csv"):
                raise RuntimeError(
                    f"{case.label}: {differing} PMI_PLACED cells differ between floor and {peer}"
                )
        runs.append(timed("sdmi build, no-op (nothing changed: no run)", build, environment))
        on_the_lake("sdmi build, no-op (nothing changed: no run)")
        runs.append(timed("sdmi build --force, no-op (every step runs)", [*build, "--force"], environment))
        generate(raw, LAST_YEAR + 1, case.scale, seed, months="1")
        runs.append(timed("sdmi build, one new month", build, environment))
        on_the_lake("sdmi build, one new month")
        releases = releases_under(root)
        against = [*disclosure, releases[-2]] if len(releases) > 1 else disclosure
        runs.append(timed("disclosure control, new month against the release before", against, environment))
        return runs, lake_runs


def table(case: Case, runs: list[Run]) -> list[str]:
    floor = runs[0]
    rows = [
        f"| {case.label} | {run.peer} | {run.wall:.1f} | {run.cpu:.1f} | {run.cpu / floor.cpu:.1f}× | "
        f"{run.peak_mib:,.0f} | {run.peak_mib / floor.peak_mib:.1f}× |"
        for run in runs
    ]
    return rows


def lake_table(case: Case, runs: list[Run], lake_runs: list[Run]) -> list[str]:
    """The lake backend's runs beside the file backend's same runs, as ratios."""
    file_runs = {run.peer.removesuffix(" (FAILED)"): run for run in runs}
    rows = []
    for lake in lake_runs:
        file = file_runs[lake.peer.removesuffix(" (FAILED)")]
        rows.append(
            f"| {case.label} | {lake.peer} | {file.wall:.1f} | {lake.wall:.1f} | "
            f"{lake.wall / file.wall:.1f}× | {file.cpu:.1f} | {lake.cpu:.1f} | {lake.cpu / file.cpu:.1f}× | "
            f"{lake.peak_mib:,.0f} |"
        )
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--case", action="append", type=Case.parse, help="SCALE or SCALExYEARS, e.g. 1, 10, 10x5"
    )
    parser.add_argument("--seed", type=int, default=2023)
    parser.add_argument(
        "--disclosure",
        action="store_true",
        help="also time disclosure control on the full year with every source (disclosure_case.py)",
    )
    parser.add_argument(
        "--lake",
        action="store_true",
        help="also build with the lake backend (Debian's PostgreSQL, the `lake` extra; tests/lakehouse.py)",
    )
    arguments = parser.parse_args()
    lake_rows = []
    with contextlib.ExitStack() as stack:
        lake = None
        if arguments.lake:
            from tests.lakehouse import lakehouse  # a throw-away PostgreSQL on loopback, as the tests use

            lake = stack.enter_context(lakehouse())
        # --disclosure alone runs only its own case.
        cases = arguments.case or ([] if arguments.disclosure else [Case(1, 1), Case(10, 1)])
        if cases:
            print("| case | peer | wall (s) | CPU (s) | CPU ÷ floor | peak RSS (MiB) | RSS ÷ floor |")
            print("|---|---|---|---|---|---|---|")
        for case in cases:
            runs, lake_runs = measure(case, arguments.seed, lake)
            print("\n".join(table(case, runs)), flush=True)
            lake_rows += lake_table(case, runs, lake_runs)
    if arguments.disclosure:
        from sdmi_benchmark.disclosure_case import HEADER, measure_disclosure

        print("\n" + "\n".join([*HEADER, *measure_disclosure(arguments.seed)]), flush=True)
    if arguments.lake:
        print()
        print(
            "| case | sdmi build | file wall (s) | lake wall (s) | lake ÷ file | file CPU (s) | lake CPU (s) "
            "| lake ÷ file | lake peak RSS (MiB) |"
        )
        print("|---|---|---|---|---|---|---|---|---|")
        print("\n".join(lake_rows), flush=True)


if __name__ == "__main__":
    main()
