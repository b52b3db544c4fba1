"""BPS WebAPI dynamic table → `bps/penduduk_<var>_<year>.json` (spec §2.5).

One GET of `list/model/data/lang/ind/domain/0000/var/<var>/th/<year - 1900>/key/<key>/` (domain 0000 is
the national BPS). The key, from `BPS_API_KEY`, sits in the URL path: it is redacted from every message
and log line as `***`. The answer is checked (`check_answer`) and written byte for byte as it came.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any
from urllib.parse import quote

from sdmi_pipeline.ingest.connectors.http import (
    ConfigError,
    FetchError,
    HttpClient,
    HttpSettings,
    base_url,
    json_int,
    write_atomic,
)

BASE_URL_ENV = "BPS_API_URL"
DEFAULT_BASE_URL = "https://webapi.bps.go.id/v1/api/"
KEY_ENV = "BPS_API_KEY"
DOMAIN = "0000"
REQUIRED_KEYS = ("var", "turvar", "labelvervar", "vervar", "tahun", "turtahun", "datacontent")


def api_key() -> str:
    """The WebAPI key from `BPS_API_KEY`; ConfigError when it is unset or blank."""
    key = os.environ.get(KEY_ENV, "").strip()
    if not key:
        raise ConfigError(
            f"{KEY_ENV} is not set: the BPS WebAPI needs an API key (webapi.bps.go.id/developer)"
        )
    return key


def tahun_id(year: int) -> int:
    """BPS's id of a year: the year minus 1900 (2023 → 123)."""
    return year - 1900


def table_url(base: str, var: int, year: int, key: str) -> str:
    """The dynamic-table URL of `var` in `year` (holds the key: show it only through a Redactor)."""
    path = (
        f"list/model/data/lang/ind/domain/{DOMAIN}/var/{var}/th/{tahun_id(year)}/key/{quote(key, safe='')}/"
    )
    return base + path


def check_answer(data: Any, var: int, year: int) -> None:
    """Refuse an answer that is not an object with status OK, data-availability available, the keys of
    a dynamic table, `var` as its variable, the year among its tahun ids, and a non-empty datacontent.

    The message quotes only the answer's status fields, never the whole body.
    """
    if not isinstance(data, dict):
        raise FetchError(f"the answer is a JSON {type(data).__name__}, not an object")
    if data.get("status") != "OK":
        detail = f": {str(data['message'])[:200]!r}" if "message" in data else ""
        raise FetchError(f"the answer's status is {data.get('status')!r}, not 'OK'{detail}")
    if data.get("data-availability") != "available":
        availability = data.get("data-availability")
        raise FetchError(f"no data for var {var} in {year} (data-availability {availability!r})")
    missing = [key for key in REQUIRED_KEYS if key not in data]
    if missing:
        raise FetchError(f"the answer lacks {', '.join(missing)}")
    variables = data["var"]
    first = variables[0] if isinstance(variables, list) and variables else None
    if not isinstance(first, dict) or json_int(first.get("val")) != var:
        raise FetchError(f"the answer is not for var {var} (var is {str(variables)[:100]})")
    years = data["tahun"] if isinstance(data["tahun"], list) else []
    if tahun_id(year) not in [json_int(item.get("val")) for item in years if isinstance(item, dict)]:
        raise FetchError(f"the answer has no tahun {tahun_id(year)} (year {year})")
    if not isinstance(data["datacontent"], dict) or not data["datacontent"]:
        raise FetchError("datacontent is empty")


def fetch(raw_root: Path, var: int, year: int, settings: HttpSettings | None = None) -> Path:
    """Fetch BPS variable `var` for `year` into `<raw_root>/bps/penduduk_<var>_<year>.json`; the path.

    A refused answer writes nothing and leaves an earlier file as it was.
    """
    key = api_key()
    url = table_url(base_url(BASE_URL_ENV, DEFAULT_BASE_URL), var, year, key)
    with HttpClient(settings or HttpSettings.from_env(), secrets=[key]) as client:
        try:
            answer = client.get(url)
            data = answer.json()
        except FetchError as error:
            raise FetchError(f"BPS var {var} year {year}: {error}; nothing was written") from None
        try:
            check_answer(data, var, year)
        except FetchError as error:
            message = client.redact(f"BPS var {var} year {year}: {error} ({answer.url}); nothing was written")
            raise FetchError(message) from None
    path = raw_root / "bps" / f"penduduk_{var}_{year}.json"
    write_atomic(path, answer.body)
    return path
