"""`sdmi fetch unhcr` against recorded answers served over HTTP on 127.0.0.1 (tests/recorded_api.py)."""

import json
from typing import Any

import pytest

from tests.recorded_api import (
    NOT_FOUND,
    RECORDED,
    UNHCR_PATH,
    Served,
    closed_port_url,
    coa_page,
    fetch,
    ok,
    serve_coa,
    serve_coo,
    unhcr_query,
)

pytest_plugins = ["tests.recorded_api_fixtures"]  # the fixtures api and raw


# --- UNHCR -----------------------------------------------------------------------------------------


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
