"""The published warehouse opens in the DuckDB 1.x clients statisticians hold, and the README's
queries and every report view give the same answers there as in the pipeline's own DuckDB.

Clients: DuckDB 1.1 and 1.4 for Python (each in a venv), the `duckdb` command line from PyPI
(`duckdb-cli`), and Node's `@duckdb/node-api` from npm. They are installed once into
`.cache/old-clients/` (needs PyPI and npm the first time).
"""

import json
import re
import shutil
import sys
from pathlib import Path

import duckdb
import pytest

from sdmi_pipeline.paths import PROJECT_ROOT
from sdmi_pipeline.warehouse.report_views import report_view_names
from tests.conftest import sdmi_build
from tests.old_clients import clients
from tests.servers import require

pytestmark = pytest.mark.slow

PYTHON_CLIENTS = {"1.1": "duckdb>=1.1,<1.2", "1.4": "duckdb>=1.4,<1.5"}
CLI_CLIENT = "duckdb-cli>=1.4,<2"
NODE_CLIENT = "@duckdb/node-api@1.5.6-r.1"


def readme_statements() -> list[str]:
    """The statements of the README's ```sql blocks, so that README and test cannot drift."""
    readme = (PROJECT_ROOT / "README.md").read_text(encoding="utf-8")
    blocks = re.findall(r"^```sql\n(.*?)^```", readme, flags=re.MULTILINE | re.DOTALL)
    assert blocks, "README.md has no ```sql block"
    return [statement.query.strip() for block in blocks for statement in duckdb.extract_statements(block)]


@pytest.fixture(scope="module")
def statements() -> list[str]:
    views = [f"SELECT * FROM {view}" for view in report_view_names()]
    return readme_statements() + views


@pytest.fixture(scope="module")
def expected(shipped_warehouse: Path, statements: list[str], tmp_path_factory) -> dict:
    """The answers of the pipeline's own DuckDB, through the same script the old clients run."""
    work = tmp_path_factory.mktemp("expected")
    return clients._answer(
        [sys.executable, str(clients.HERE / "run_queries.py"), str(shipped_warehouse)], statements, work
    )


def test_the_readme_has_queries_and_each_view_is_queried(statements: list[str]) -> None:
    assert len(readme_statements()) >= 8
    assert any("report.pmi_placed_by_destination" in statement for statement in readme_statements())
    assert len(statements) == len(readme_statements()) + len(report_view_names())


@pytest.mark.parametrize("version", sorted(PYTHON_CLIENTS))
def test_python_client_reads_the_same_answers(
    version: str, shipped_warehouse: Path, statements: list[str], expected: dict, tmp_path: Path
) -> None:
    folder = clients.python_venv(f"duckdb-{version}", PYTHON_CLIENTS[version])
    answer = clients.run_in_python(folder, shipped_warehouse, statements, tmp_path)
    assert answer["version"].startswith(version + ".")
    assert_same_answers(statements, answer, expected)


def assert_same_answers(statements: list[str], answer: dict, expected: dict) -> None:
    for statement, got, want in zip(statements, answer["results"], expected["results"], strict=True):
        # Rows that tie on the ORDER BY may come in either order.
        assert (got["columns"], sorted(got["rows"], key=json.dumps)) == (
            want["columns"],
            sorted(want["rows"], key=json.dumps),
        ), statement


@pytest.fixture(scope="module")
def rebuilt_warehouse(shipped_warehouse: Path, tmp_path_factory) -> Path:
    """The shipped warehouse after a second build that found nothing new: seeded from it, its tables
    rebuilt and their keys declared in place by this DuckDB, then published by renaming."""
    root = tmp_path_factory.mktemp("rebuilt")
    shutil.copytree(shipped_warehouse.parent, root / "warehouse")
    # --force: a build that finds nothing new runs no step (up to date); this one rebuilds every table
    completed = sdmi_build(PROJECT_ROOT / "data" / "raw", root, "--force")
    assert completed.returncode == 0, completed.stdout[-3000:] + completed.stderr[-3000:]
    rebuilt = root / "warehouse" / "sdmi.duckdb"
    assert rebuilt.stat().st_mtime > shipped_warehouse.stat().st_mtime
    return rebuilt


def test_a_warehouse_rebuilt_in_place_reads_the_same_in_the_oldest_client(
    rebuilt_warehouse: Path, statements: list[str], expected: dict, tmp_path: Path
) -> None:
    folder = clients.python_venv("duckdb-1.1", PYTHON_CLIENTS["1.1"])
    answer = clients.run_in_python(folder, rebuilt_warehouse, statements, tmp_path)
    assert_same_answers(statements, answer, expected)


def test_duckdb_command_line_reads_the_same_answers(
    shipped_warehouse: Path, statements: list[str], expected: dict
) -> None:
    folder = clients.python_venv("duckdb-cli", CLI_CLIENT)
    assert clients.cli_version(folder).startswith("v1.")
    answers = clients.run_in_cli(folder, shipped_warehouse, statements)
    for statement, rows, want in zip(statements, answers, expected["results"], strict=True):
        assert len(rows) == len(want["rows"]), statement
        if rows:
            assert list(rows[0]) == want["columns"], statement


def test_node_client_reads_the_same_answers(
    shipped_warehouse: Path, statements: list[str], expected: dict, tmp_path: Path
) -> None:
    require("node and npm", bool(shutil.which("node") and shutil.which("npm")))
    folder = clients.node_package("node-api", NODE_CLIENT)
    answer = clients.run_in_node(folder, shipped_warehouse, statements, tmp_path)
    assert answer["version"].startswith("v1.")
    for statement, got, want in zip(statements, answer["results"], expected["results"], strict=True):
        assert (got["columns"], len(got["rows"])) == (want["columns"], len(want["rows"])), statement


def test_every_comment_survives_in_the_oldest_client(shipped_warehouse: Path, tmp_path: Path) -> None:
    comments = "SELECT count(*), count(comment) FROM duckdb_columns() WHERE NOT internal"
    folder = clients.python_venv("duckdb-1.1", PYTHON_CLIENTS["1.1"])
    answer = clients.run_in_python(folder, shipped_warehouse, [comments], tmp_path)
    columns, commented = map(int, answer["results"][0]["rows"][0])
    assert columns > 300 and commented == columns, json.dumps(answer)
