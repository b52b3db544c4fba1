"""The DuckDB 1.x clients a statistician may hold, installed once into `.cache/old-clients/`.

Each is installed from its registry (PyPI, npm) on first use and kept, so reruns are fast. A
client is ready when its folder holds the marker `.ready`, written after a successful install.
"""

import json
import shutil
import subprocess
import venv
from pathlib import Path

from sdmi_pipeline.paths import PROJECT_ROOT

CACHE = PROJECT_ROOT / ".cache" / "old-clients"
HERE = Path(__file__).parent
INSTALL_TIMEOUT = 600


def _install(folder: Path, install) -> Path:
    if (folder / ".ready").exists():
        return folder
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    install(folder)
    (folder / ".ready").write_text("installed\n")
    return folder


def python_venv(name: str, requirement: str) -> Path:
    """A venv holding `requirement` (a pip requirement), e.g. duckdb==1.1.3 or duckdb-cli."""

    def install(folder: Path) -> None:
        venv.create(folder, with_pip=True)
        subprocess.run(
            [folder / "bin" / "python", "-m", "pip", "install", "-q", requirement],
            check=True,
            timeout=INSTALL_TIMEOUT,
        )

    return _install(CACHE / name, install)


def node_package(name: str, package: str) -> Path:
    """A folder with `package` (an npm spec, e.g. @duckdb/node-api@1.5.6-r.1) installed."""

    def install(folder: Path) -> None:
        (folder / "package.json").write_text('{"private": true, "type": "module"}\n')
        subprocess.run(
            ["npm", "install", "--silent", "--no-audit", "--no-fund", package],
            cwd=folder,
            check=True,
            timeout=INSTALL_TIMEOUT,
        )

    return _install(CACHE / name, install)


def _answer(command: list, statements: list[str], work: Path, cwd: Path | None = None) -> dict:
    statements_file = work / "statements.json"
    statements_file.write_text(json.dumps(statements), encoding="utf-8")
    completed = subprocess.run(
        [*command, str(statements_file)], capture_output=True, text=True, timeout=300, cwd=cwd
    )
    assert completed.returncode == 0, completed.stderr[-3000:]
    return json.loads(completed.stdout)


def run_in_python(folder: Path, database: Path, statements: list[str], work: Path) -> dict:
    """{version, results: [{columns, rows}]} of the statements run by the venv's duckdb."""
    command = [str(folder / "bin" / "python"), str(HERE / "run_queries.py"), str(database)]
    return _answer(command, statements, work)


def run_in_node(folder: Path, database: Path, statements: list[str], work: Path) -> dict:
    """{version, results: [{columns, rows}]} of the statements run by @duckdb/node-api."""
    script = folder / "run_queries.mjs"  # beside node_modules, so that the import resolves
    shutil.copyfile(HERE / "run_queries.mjs", script)
    return _answer(["node", str(script), str(database)], statements, work, cwd=folder)


def run_in_cli(folder: Path, database: Path, statements: list[str]) -> list[list[dict]]:
    """Per statement, the rows the `duckdb` command line prints in JSON mode."""
    answers = []
    for statement in statements:
        completed = subprocess.run(
            [str(folder / "bin" / "duckdb"), "-readonly", "-json", str(database), "-c", statement],
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert completed.returncode == 0 and "Error" not in completed.stderr, (statement, completed.stderr)
        answers.append(json.loads(completed.stdout) if completed.stdout.strip() else [])
    return answers


def cli_version(folder: Path) -> str:
    completed = subprocess.run([str(folder / "bin" / "duckdb"), "-version"], capture_output=True, text=True)
    return completed.stdout.strip()
