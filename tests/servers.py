"""Real servers for tests: PostgreSQL from Debian's packages, the Dagster webserver. Both on loopback."""

import glob
import os
import shutil
import socket
import subprocess
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def require(thing: str, present: bool) -> None:
    """Skip on a developer machine without `thing`; fail in CI, where .ci/run installs it."""
    if not present:
        message = f"{thing} is not installed (.ci/run installs it with apt)"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)


def _as_postgres_user(command: list[str]) -> list[str]:
    """PostgreSQL refuses to run as root: run its tools as the `postgres` user then."""
    return ["runuser", "-u", "postgres", "--", *command] if os.geteuid() == 0 else command


@contextmanager
def postgres_server() -> Iterator[dict[str, str]]:
    """A throw-away PostgreSQL cluster on 127.0.0.1; yields DAGSTER_PG_* settings.

    Its folder is a fresh one under the system temp dir: pytest's own are private to root,
    and the server runs as `postgres` when the tests run as root.
    """
    binaries = sorted(glob.glob("/usr/lib/postgresql/*/bin"))
    require("PostgreSQL (Debian package postgresql)", bool(binaries))
    bin_dir = Path(binaries[-1])
    folder = Path(tempfile.mkdtemp(prefix="sdmi-postgres-"))
    data, port = folder / "pgdata", free_port()
    if os.geteuid() == 0:
        shutil.chown(folder, "postgres")
    subprocess.run(
        _as_postgres_user([str(bin_dir / "initdb"), "-D", str(data), "-U", "sdmi", "-A", "trust"]),
        check=True,
        capture_output=True,
    )
    options = f"-h 127.0.0.1 -p {port} -k {folder}"
    subprocess.run(
        _as_postgres_user(
            [
                str(bin_dir / "pg_ctl"),
                "-D",
                str(data),
                "-o",
                options,
                "-w",
                "-l",
                str(folder / "server.log"),
                "start",
            ]
        ),
        check=True,
        capture_output=True,
    )
    try:
        subprocess.run(
            _as_postgres_user(
                [str(bin_dir / "createdb"), "-h", "127.0.0.1", "-p", str(port), "-U", "sdmi", "dagster"]
            ),
            check=True,
            capture_output=True,
        )
        yield {
            "DAGSTER_PG_USERNAME": "sdmi",
            "DAGSTER_PG_PASSWORD": "",
            "DAGSTER_PG_HOST": "127.0.0.1",
            "DAGSTER_PG_DB": "dagster",
            "DAGSTER_PG_PORT": str(port),
        }
    finally:
        subprocess.run(
            _as_postgres_user([str(bin_dir / "pg_ctl"), "-D", str(data), "-m", "fast", "stop"]),
            capture_output=True,
        )
        shutil.rmtree(folder, ignore_errors=True)


@contextmanager
def dagster_webserver(project: Path, environment: dict[str, str]) -> Iterator[str]:
    """`dagster-webserver -w workspace.yaml` on a free loopback port; yields its base URL."""
    port = free_port()
    log = open(Path(environment["DAGSTER_HOME"]) / "webserver.log", "w")  # noqa: SIM115
    server = subprocess.Popen(
        [
            str(Path(os.sys.executable).parent / "dagster-webserver"),
            "-w",
            "workspace.yaml",
            "-h",
            "127.0.0.1",
            "-p",
            str(port),
        ],
        cwd=project,
        env=os.environ | environment,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 120
        while True:
            try:
                with urllib.request.urlopen(f"{url}/server_info", timeout=2):
                    break
            except OSError:
                if server.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(f"dagster-webserver did not start; see {log.name}") from None
                time.sleep(0.5)
        yield url
    finally:
        server.terminate()
        server.wait(timeout=30)
        log.close()
