"""Recorded UNHCR and BPS answers served over HTTP on 127.0.0.1 for `sdmi fetch` (recorded_api_fixtures.py).

The answers under tests/recorded/ are in the live APIs' shapes (docs/connectors.md). A real
ThreadingHTTPServer serves them, routed by path and the exact query string, so a connector that asks for
anything else (another parameter, a missing `cf_type=ISO`, the wrong year id) gets the 404 page the
live APIs give for an unknown route.
"""

import json
import socket
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from click.testing import CliRunner, Result

from sdmi_pipeline.cli import main

RECORDED = Path(__file__).parent / "recorded"
UNHCR_PATH = "/population/v1/population/"
BPS_KEY = "k3y-5ecret-7f0e2c9b41d8"
NOT_FOUND = b"<!DOCTYPE html><html><body><h1>404 Not Found</h1></body></html>"


@dataclass
class Served:
    """One recorded answer; `delay` seconds pass before it is sent."""

    status: int
    body: bytes
    content_type: str = "application/json"
    delay: float = 0.0


@dataclass
class Seen:
    """One request the server received."""

    path: str
    query: dict[str, str]
    user_agent: str


@dataclass
class RecordedApi:
    """Recorded answers by (path, query). A route with several answers gives them in turn, then repeats
    its last; a request no route matches gets a 404 HTML page."""

    url: str = ""
    routes: dict[tuple[str, frozenset], list[Served]] = field(default_factory=dict)
    seen: list[Seen] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def serve(self, path: str, query: dict[str, str], *answers: Served) -> None:
        self.routes[(path, frozenset(query.items()))] = list(answers)

    def answer(self, path: str, query: dict[str, str], user_agent: str) -> Served:
        with self.lock:
            self.seen.append(Seen(path, query, user_agent))
            answers = self.routes.get((path, frozenset(query.items())))
            if not answers:
                return Served(404, NOT_FOUND, "text/html")
            return answers.pop(0) if len(answers) > 1 else answers[0]

    def pages_asked(self, side: str) -> list[int]:
        return [int(seen.query["page"]) for seen in self.seen if side in seen.query]


def fetch(*args: str) -> Result:
    return CliRunner().invoke(main, ["fetch", *args])


def closed_port_url() -> str:
    """A loopback URL on which nothing listens: connections are refused."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    return f"http://127.0.0.1:{port}"


def ok(content: bytes | Any) -> Served:
    return Served(200, content if isinstance(content, bytes) else json.dumps(content).encode())


def unhcr_query(side: str, page: int, limit: int = 10, year: int = 2023) -> dict[str, str]:
    """The exact query a page is routed by: Indonesia on `side`, the other side broken down."""
    other = "coo" if side == "coa" else "coa"
    return {
        side: "IDN",
        f"{other}_all": "true",
        "cf_type": "ISO",
        "yearFrom": str(year),
        "yearTo": str(year),
        "limit": str(limit),
        "page": str(page),
    }


def coa_page(number: int) -> dict:
    """Recorded page `number` of 3 (limit 10) of refugees in Indonesia by origin, 2023."""
    return json.loads((RECORDED / "unhcr" / f"coa_IDN_2023_limit10_page{number}.json").read_bytes())


def serve_coa(api: RecordedApi, **answers: Served) -> None:
    """The three recorded coa pages, with `page2=Served(...)` style replacements."""
    for number in (1, 2, 3):
        body = (RECORDED / "unhcr" / f"coa_IDN_2023_limit10_page{number}.json").read_bytes()
        api.serve(UNHCR_PATH, unhcr_query("coa", number), answers.get(f"page{number}", ok(body)))


def serve_coo(api: RecordedApi, limit: int) -> None:
    """The recorded single page (9 items) of refugees from Indonesia by country of asylum, 2023."""
    body = (RECORDED / "unhcr" / "coo_IDN_2023_page1.json").read_bytes()
    api.serve(UNHCR_PATH, unhcr_query("coo", 1, limit=limit), ok(body))
