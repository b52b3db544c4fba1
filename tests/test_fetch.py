"""`sdmi fetch unhcr` and `sdmi fetch bps` against recorded answers served over HTTP on 127.0.0.1.

The answers under tests/recorded/ are in the live APIs' shapes (docs/connectors.md). A real
ThreadingHTTPServer serves them, routed by path and the exact query string, so a connector that asks for
anything else (another parameter, a missing `cf_type=ISO`, the wrong year id) gets the 404 page the
live APIs give for an unknown route.
"""

import json
import logging
import socket
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urlsplit

import pytest
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


# --- UNHCR -----------------------------------------------------------------------------------------


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


def test_unhcr_writes_each_question_as_the_list_of_its_pages(api, raw):
    serve_coa(api)
    serve_coo(api, limit=10)
    result = fetch("unhcr", "--year", "2023", "--page-size", "10")

    assert result.exit_code == 0, result.output
    coa_file, coo_file = (
        raw / "unhcr" / "population_coa_IDN_2023.json",
        raw / "unhcr" / "population_coo_IDN_2023.json",
    )
    assert result.stdout.splitlines() == [str(coa_file), str(coo_file)]
    pages = json.loads(coa_file.read_bytes())
    assert pages == [coa_page(1), coa_page(2), coa_page(3)]
    assert [page["page"] for page in pages] == [1, 2, 3]
    assert [len(page["items"]) for page in pages] == [10, 10, 5]
    items = [item for page in pages for item in page["items"]]
    assert {item["coa_iso"] for item in items} == {"IDN"}
    assert items[0]["coo_name"] == "Afghanistan" and items[0]["refugees"] == 5684
    assert items[-1]["coo_iso"] == "YEM" and items[-1]["asylum_seekers"] == 61
    assert sum(int(item["refugees"]) for item in items) == 10_549
    assert json.loads(coo_file.read_bytes())[0]["items"][0]["coa_name"] == "Australia"
    assert api.pages_asked("coa") == [1, 2, 3]
    assert api.pages_asked("coo") == [1]
    assert all(seen.user_agent.startswith("sdmi-pipeline/") for seen in api.seen)


def test_unhcr_single_page_answer(api, raw):
    serve_coo(api, limit=1000)
    result = fetch("unhcr", "--year", "2023", "--query", "coo", "--raw-dir", str(raw))

    assert result.exit_code == 0, result.output
    assert sorted(path.name for path in (raw / "unhcr").iterdir()) == ["population_coo_IDN_2023.json"]
    pages = json.loads((raw / "unhcr" / "population_coo_IDN_2023.json").read_bytes())
    assert len(pages) == 1 and pages[0]["maxPages"] == 1
    assert len(pages[0]["items"]) == 9
    usa = next(item for item in pages[0]["items"] if item["coa_iso"] == "USA")
    assert (usa["coo_iso"], usa["refugees"], usa["asylum_seekers"]) == ("IDN", 1472, 2318)
    assert [seen.query for seen in api.seen] == [unhcr_query("coo", 1, limit=1000)]


def test_unhcr_missing_page_is_refused_and_the_good_file_stays(api, raw):
    serve_coa(api, page2=Served(404, NOT_FOUND, "text/html"))
    good = raw / "unhcr" / "population_coa_IDN_2023.json"
    good.parent.mkdir(parents=True)
    good.write_bytes(b'[{"page": 1, "maxPages": 1, "total": [], "items": []}]\n')

    result = fetch("unhcr", "--year", "2023", "--query", "coa", "--page-size", "10")

    assert result.exit_code == 1
    assert result.stdout == ""
    [line] = result.stderr.splitlines()
    assert line.startswith("sdmi fetch unhcr: UNHCR coa page 2: ")
    assert (
        f"{api.url}{UNHCR_PATH}?coa=IDN&coo_all=true&cf_type=ISO&yearFrom=2023&yearTo=2023&limit=10&page=2"
        in line
    )
    assert "answered HTTP 404" in line and line.endswith("nothing was written")
    assert good.read_bytes() == b'[{"page": 1, "maxPages": 1, "total": [], "items": []}]\n'
    assert list(good.parent.iterdir()) == [good]
    assert api.pages_asked("coa") == [1, 2]


def test_unhcr_both_writes_nothing_when_the_second_question_fails(api, raw):
    serve_coa(api)
    result = fetch("unhcr", "--year", "2023", "--page-size", "10")

    assert result.exit_code == 1
    assert "UNHCR coo page 1: " in result.stderr and "HTTP 404" in result.stderr
    assert not (raw / "unhcr").exists()


def test_unhcr_retries_a_server_error(api, raw):
    page2 = (RECORDED / "unhcr" / "coa_IDN_2023_limit10_page2.json").read_bytes()
    serve_coa(api, page2=Served(500, b"Internal Server Error", "text/plain"))
    api.routes[(UNHCR_PATH, frozenset(unhcr_query("coa", 2).items()))].append(ok(page2))

    result = fetch("unhcr", "--year", "2023", "--query", "coa", "--page-size", "10")

    assert result.exit_code == 0, result.output
    assert api.pages_asked("coa") == [1, 2, 2, 3]
    pages = json.loads((raw / "unhcr" / "population_coa_IDN_2023.json").read_bytes())
    assert pages[1] == coa_page(2)


def test_unhcr_gives_up_after_two_retries(api, raw):
    serve_coa(api, page2=Served(500, b"Internal Server Error", "text/plain"))
    result = fetch("unhcr", "--year", "2023", "--query", "coa", "--page-size", "10")

    assert result.exit_code == 1
    assert "UNHCR coa page 2: " in result.stderr
    assert "page=2: HTTP 500 (gave up after 3 attempts); nothing was written" in result.stderr
    assert api.pages_asked("coa") == [1, 2, 2, 2]
    assert not (raw / "unhcr").exists()


def test_unhcr_unreachable_api(api, raw, monkeypatch):
    url = closed_port_url()
    monkeypatch.setenv("UNHCR_API_URL", f"{url}/population/v1")
    result = fetch("unhcr", "--year", "2023", "--query", "coo")

    assert result.exit_code == 1
    [line] = result.stderr.splitlines()
    assert f"UNHCR coo page 1: {url}/population/v1/population/?coo=IDN&coa_all=true" in line
    assert "connection failed: [Errno 111] Connection refused (gave up after 3 attempts)" in line
    assert not (raw / "unhcr").exists()


def test_unhcr_timeout_is_retried_then_refused(api, raw, monkeypatch):
    monkeypatch.setenv("SDMI_HTTP_TIMEOUT", "0.2")
    body = (RECORDED / "unhcr" / "coo_IDN_2023_page1.json").read_bytes()
    api.serve(UNHCR_PATH, unhcr_query("coo", 1, limit=1000), Served(200, body, delay=0.5))

    result = fetch("unhcr", "--year", "2023", "--query", "coo")

    assert result.exit_code == 1
    assert "no answer within 0.2 s (gave up after 3 attempts)" in result.stderr
    assert len(api.seen) == 3


def _with(page: dict, **changes: Any) -> Served:
    return ok({**page, **changes})


def _item_changed(number: int, index: int, **changes: Any) -> Served:
    """Recorded coa page `number` with item `index` (from 1) changed."""
    page = coa_page(number)
    items = [
        {**item, **changes} if position == index else item for position, item in enumerate(page["items"], 1)
    ]
    return _with(page, items=items)


@pytest.mark.parametrize(
    ("page2", "expected"),
    [
        (
            Served(200, b"<!DOCTYPE html><html><body>Maintenance</body></html>", "text/html"),
            "body that is not JSON",
        ),
        (Served(200, b'{"page": 2, "items": []', "application/json"), "body that is not JSON"),
        (ok({"page": 2, "total": [], "items": []}), "the answer lacks maxPages"),
        (ok({"page": 2, "maxPages": 3, "items": {"0": {}}}), "items is not a list of objects"),
        (ok([{"page": 2}]), "the answer is a JSON list, not a page object"),
    ],
    ids=["html", "truncated", "no-maxPages", "items-not-list", "list"],
)
def test_unhcr_malformed_page_is_refused(api, raw, page2, expected):
    serve_coa(api, page2=page2)
    result = fetch("unhcr", "--year", "2023", "--query", "coa", "--page-size", "10")

    assert result.exit_code == 1
    assert "UNHCR coa page 2: " in result.stderr and expected in result.stderr
    assert "page=2" in result.stderr
    assert not (raw / "unhcr").exists()


@pytest.mark.parametrize(
    ("answers", "expected"),
    [
        ({"page2": _with(coa_page(1))}, "page 2: the answer is page 1 when page 2 was asked for"),
        ({"page2": _with(coa_page(2), maxPages=4)}, "page 2: maxPages changed from 3 to 4"),
        ({"page2": _with(coa_page(2), total=10)}, "page 2: total changed from [] to 10"),
        (
            {"page2": _with(coa_page(2), items=coa_page(2)["items"][:9])},
            "page 2: 9 items on a page before the last, not 10",
        ),
        (
            {"page3": _with(coa_page(3), items=[*coa_page(3)["items"], *coa_page(2)["items"][:6]])},
            "page 3: 11 items on the last page, not 1 to 10",
        ),
        ({"page3": _item_changed(3, 2, year=2022)}, "page 3: item 2 is for year 2022, not 2023"),
        ({"page1": _item_changed(1, 4, coa_iso="AUT")}, "page 1: item 4 has coa_iso 'AUT', not IDN"),
        ({"page1": _with(coa_page(1), maxPages=0, items=[])}, "page 1: no items for 2023 (maxPages 0)"),
    ],
    ids=["page-number", "maxPages", "total-changes", "short-page", "long-page", "year", "country", "empty"],
)
def test_unhcr_inconsistent_pages_are_refused(api, raw, answers, expected):
    serve_coa(api, **answers)
    result = fetch("unhcr", "--year", "2023", "--query", "coa", "--page-size", "10")

    assert result.exit_code == 1
    assert f"sdmi fetch unhcr: UNHCR coa {expected}" in result.stderr
    assert "nothing was written" in result.stderr
    assert not (raw / "unhcr").exists()


@pytest.mark.parametrize(("total", "exit_code"), [(25, 0), ("25", 0), (26, 1), (24, 1)])
def test_unhcr_items_must_add_up_to_a_numeric_total(api, raw, total, exit_code):
    serve_coa(api, **{f"page{n}": _with(coa_page(n), total=total) for n in (1, 2, 3)})
    result = fetch("unhcr", "--year", "2023", "--query", "coa", "--page-size", "10")

    assert result.exit_code == exit_code, result.output
    written = raw / "unhcr" / "population_coa_IDN_2023.json"
    if exit_code == 0:
        assert [page["total"] for page in json.loads(written.read_bytes())] == [total] * 3
    else:
        assert f"UNHCR coa: the 3 pages hold 25 items but total is {total}" in result.stderr
        assert not written.exists()


# --- BPS -------------------------------------------------------------------------------------------


def bps_path(var: int = 1975, tahun: int = 123, key: str = BPS_KEY) -> str:
    return f"/v1/api/list/model/data/lang/ind/domain/0000/var/{var}/th/{tahun}/key/{key}/"


def bps_answer() -> dict:
    return json.loads((RECORDED / "bps" / "penduduk_1975_2023.json").read_bytes())


def test_bps_writes_the_answer_unchanged(api, raw):
    recorded = (RECORDED / "bps" / "penduduk_1975_2023.json").read_bytes()
    api.serve(bps_path(), {}, ok(recorded))

    result = fetch("bps", "--var", "1975", "--year", "2023")

    assert result.exit_code == 0, result.output
    written = raw / "bps" / "penduduk_1975_2023.json"
    assert result.stdout == f"{written}\n"
    assert written.read_bytes() == recorded
    answer = json.loads(written.read_bytes())
    assert answer["datacontent"]["1100197511230"] == 2753.5
    assert answer["datacontent"]["9999197531230"] == 278696.2
    assert [item["label"] for item in answer["turvar"]] == ["Laki-laki", "Perempuan", "Jumlah"]
    assert [(seen.path, seen.query) for seen in api.seen] == [(bps_path(), {})]
    assert api.seen[0].user_agent.startswith("sdmi-pipeline/")


@pytest.mark.parametrize(
    ("answer", "expected"),
    [
        ({"status": "Error", "message": "Invalid API key"}, "status is 'Error', not 'OK': 'Invalid API key'"),
        ({"status": "OK", "data-availability": "list-not-available"}, "no data for var 1975 in 2023"),
        ({**bps_answer(), "status": "ERROR"}, "status is 'ERROR', not 'OK'"),
        ({k: v for k, v in bps_answer().items() if k != "turtahun"}, "the answer lacks turtahun"),
        (
            {**bps_answer(), "var": [{**bps_answer()["var"][0], "val": 1976}]},
            "the answer is not for var 1975",
        ),
        (
            {**bps_answer(), "tahun": [{"val": 122, "label": "2022"}]},
            "the answer has no tahun 123 (year 2023)",
        ),
        ({**bps_answer(), "datacontent": []}, "datacontent is empty"),
    ],
    ids=["error", "not-available", "status", "missing-key", "var", "tahun", "empty"],
)
def test_bps_refused_answer_writes_nothing(api, raw, answer, expected):
    api.serve(bps_path(), {}, ok(answer))
    good = raw / "bps" / "penduduk_1975_2023.json"
    good.parent.mkdir(parents=True)
    good.write_bytes(b'{"status": "OK"}')

    result = fetch("bps", "--var", "1975", "--year", "2023")

    assert result.exit_code == 1
    [line] = result.stderr.splitlines()
    assert line.startswith("sdmi fetch bps: BPS var 1975 year 2023: ")
    assert expected in line
    assert f"({api.url}{bps_path(key='***')}); nothing was written" in line
    assert good.read_bytes() == b'{"status": "OK"}'
    assert list(good.parent.iterdir()) == [good]


def test_bps_without_a_key_is_a_usage_error(api, raw, monkeypatch):
    monkeypatch.delenv("BPS_API_KEY")
    result = fetch("bps", "--var", "1975", "--year", "2023")

    assert result.exit_code == 2
    assert result.stderr.startswith("sdmi fetch bps: BPS_API_KEY is not set")
    assert api.seen == []
    assert not raw.exists()


def test_malformed_settings_are_usage_errors(api, raw, monkeypatch):
    monkeypatch.setenv("SDMI_HTTP_TIMEOUT", "soon")
    result = fetch("bps", "--var", "1975", "--year", "2023")
    assert result.exit_code == 2
    assert "SDMI_HTTP_TIMEOUT must be a number of seconds, more than 0; got 'soon'" in result.stderr

    monkeypatch.setenv("SDMI_HTTP_TIMEOUT", "5")
    monkeypatch.setenv("UNHCR_API_URL", "api.unhcr.org/population/v1/")
    result = fetch("unhcr", "--year", "2023")
    assert result.exit_code == 2
    assert "UNHCR_API_URL must be an http:// or https:// URL" in result.stderr
    assert api.seen == []


def test_bps_key_never_appears_in_output_messages_or_logs(api, raw, monkeypatch, caplog):
    caplog.set_level(logging.DEBUG)
    recorded = (RECORDED / "bps" / "penduduk_1975_2023.json").read_bytes()
    api.serve(bps_path(), {}, ok(recorded))
    api.serve(bps_path(tahun=122), {}, Served(503, b"Service Unavailable", "text/plain"))
    api.serve(bps_path(tahun=121), {}, ok({"status": "Error", "message": f"Key {BPS_KEY} is not active"}))

    results = [
        fetch("bps", "--var", "1975", "--year", "2023"),
        fetch("bps", "--var", "1975", "--year", "2022"),
        fetch("bps", "--var", "1975", "--year", "2021"),
        fetch("bps", "--var", "1975", "--year", "2020"),
    ]
    monkeypatch.setenv("BPS_API_URL", f"{closed_port_url()}/v1/api/")
    results.append(fetch("bps", "--var", "1975", "--year", "2023"))

    assert [result.exit_code for result in results] == [0, 1, 1, 1, 1]
    assert "HTTP 503 (gave up after 3 attempts)" in results[1].stderr
    assert "status is 'Error', not 'OK': 'Key *** is not active'" in results[2].stderr
    assert "answered HTTP 404" in results[3].stderr
    assert "Connection refused (gave up after 3 attempts)" in results[4].stderr
    for result in results:
        assert BPS_KEY not in result.output
        assert result.exception is None or isinstance(result.exception, SystemExit)
    for result in results[1:]:
        assert "/key/***/" in result.stderr
    # urllib3 logs each request's path at DEBUG; the filter rewrites it while the client is open.
    assert any(
        "/key/***/" in record.getMessage() for record in caplog.records if record.name.startswith("urllib3")
    )
    assert BPS_KEY not in caplog.text
    assert all(BPS_KEY not in record.getMessage() for record in caplog.records)
    assert BPS_KEY not in (raw / "bps" / "penduduk_1975_2023.json").read_text()


def test_fetched_answers_load_through_the_readers(api, raw):
    """What the connectors write is what the readers read: the live `"total": []` included."""
    from sdmi_pipeline.contracts import contract_for
    from sdmi_pipeline.readers.bps_population import read_population_table
    from sdmi_pipeline.readers.unhcr_population import read_population_answer
    from sdmi_pipeline.validation import validate_rows

    serve_coa(api)
    serve_coo(api, limit=10)
    api.serve(bps_path(), {}, ok((RECORDED / "bps" / "penduduk_1975_2023.json").read_bytes()))
    assert fetch("unhcr", "--year", "2023", "--page-size", "10").exit_code == 0
    assert fetch("bps", "--var", "1975", "--year", "2023").exit_code == 0

    hosted = read_population_answer(raw / "unhcr" / "population_coa_IDN_2023.json")
    validated = validate_rows(
        hosted.rows, hosted.raw, contract_for("staging.unhcr_population"), hosted.issues
    )
    # UNHCR's own codes for stateless (XXA) and unknown origin (UNK) are no ISO 3166-1 country:
    # rejected with the reason, never guessed (docs/warehouse.md); the `-` counts read as nil.
    assert validated.rejects[["line", "value"]].values.tolist() == [[18, "XXA"], [23, "UNK"]]
    assert len(validated.accepted) == 23 and validated.accepted["oip"].eq(0).all()
    population = read_population_table(raw / "bps" / "penduduk_1975_2023.json")
    national = population.rows[(population.rows["province"] == "_T") & (population.rows["sex"] == "_T")]
    assert national["population"].tolist() == [278_696_200.0]
