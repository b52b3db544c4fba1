"""The recorded-answer server on 127.0.0.1 as fixtures (`api`, `raw`), loaded with
`pytest_plugins = ["tests.recorded_api_fixtures"]`.
"""

import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urlsplit

import pytest

from tests.recorded_api import BPS_KEY, RecordedApi


def _handler(api: RecordedApi) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            parts = urlsplit(self.path)
            query = dict(parse_qsl(parts.query, keep_blank_values=True))
            served = api.answer(parts.path, query, self.headers.get("User-Agent", ""))
            time.sleep(served.delay)
            self.send_response(served.status)
            self.send_header("Content-Type", served.content_type)
            self.send_header("Content-Length", str(len(served.body)))
            self.end_headers()
            self.wfile.write(served.body)

        def log_message(self, format: str, *args: Any) -> None:
            """Quiet: the test asserts on `api.seen` instead."""

    return Handler


@pytest.fixture
def api(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[RecordedApi]:
    """The recorded-answer server, with the connectors' variables pointing at it and fast retries."""
    recorded_api = RecordedApi()
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(recorded_api))
    recorded_api.url = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    for proxy in ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "http_proxy", "https_proxy", "all_proxy"):
        monkeypatch.delenv(proxy, raising=False)
    monkeypatch.setenv("NO_PROXY", "127.0.0.1,localhost")
    monkeypatch.setenv("UNHCR_API_URL", f"{recorded_api.url}/population/v1/")
    monkeypatch.setenv("BPS_API_URL", f"{recorded_api.url}/v1/api/")
    monkeypatch.setenv("BPS_API_KEY", BPS_KEY)
    monkeypatch.setenv("SDMI_HTTP_BACKOFF", "0")
    monkeypatch.setenv("SDMI_HTTP_TIMEOUT", "5")
    monkeypatch.setenv("SDMI_RAW_DIR", str(tmp_path / "raw"))
    yield recorded_api
    server.shutdown()
    server.server_close()
    thread.join(timeout=5)


@pytest.fixture
def raw(tmp_path: Path) -> Path:
    """The raw root the `api` fixture's SDMI_RAW_DIR names."""
    return tmp_path / "raw"
