"""`sdmi fetch bps` against a recorded answer served over HTTP on 127.0.0.1 (tests/recorded_api.py),
settings errors, and fetched answers loading through the readers.
"""

import json
import logging

import pytest

from tests.recorded_api import (
    BPS_KEY,
    RECORDED,
    Served,
    closed_port_url,
    fetch,
    ok,
    serve_coa,
    serve_coo,
)

pytest_plugins = ["tests.recorded_api_fixtures"]  # the fixtures api and raw


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
    from sdmi_pipeline.contracts.contract import contract_for
    from sdmi_pipeline.ingest.readers.bps_population import read_population_table
    from sdmi_pipeline.ingest.readers.unhcr_population import read_population_answer
    from sdmi_pipeline.ingest.validation import validate_rows

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
