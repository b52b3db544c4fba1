"""UNHCR Refugee Statistics population API → `unhcr/population_{coa,coo}_IDN_<year>.json` (spec §2.4).

Two questions about Indonesia, each paged through `population/` with `yearFrom=yearTo=<year>`:

- `coa`: refugees in Indonesia by origin (`coa=IDN&coo_all=true`);
- `coo`: refugees from Indonesia by country of asylum (`coo=IDN&coa_all=true`), for SDG 10.7.4.

`cf_type=ISO` is sent too: without it the API reads `coa`/`coo` as UNHCR's own country codes (Indonesia
is `INS` there) and answers for another country or none, silently.

The file is the JSON list of the page objects, each page's body spliced in byte for byte as it came.
Every answer is checked before anything is written; see `check_page` and `check_pages`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sdmi_pipeline.ingest.connectors.http import (
    FetchError,
    HttpClient,
    HttpSettings,
    base_url,
    json_int,
    write_atomic,
)

BASE_URL_ENV = "UNHCR_API_URL"
DEFAULT_BASE_URL = "https://api.unhcr.org/population/v1/"
ENDPOINT = "population/"
COUNTRY = "IDN"
DEFAULT_PAGE_SIZE = 1000
QUERY_CHOICES = ("coa", "coo", "both")


@dataclass(frozen=True)
class Query:
    """One question: `side` (coa or coo) is Indonesia, the other side is broken down by country."""

    side: str

    @property
    def other(self) -> str:
        return "coo" if self.side == "coa" else "coa"

    def params(self, year: int, page_size: int, page: int) -> dict[str, str | int]:
        """Query parameters for one page, in a fixed order."""
        return {
            self.side: COUNTRY,
            f"{self.other}_all": "true",
            "cf_type": "ISO",
            "yearFrom": year,
            "yearTo": year,
            "limit": page_size,
            "page": page,
        }

    def file_name(self, year: int) -> str:
        return f"population_{self.side}_{COUNTRY}_{year}.json"


QUERIES = {"coa": Query("coa"), "coo": Query("coo")}


@dataclass
class Page:
    """One page as received: its number, the raw body and the parsed object."""

    number: int
    url: str
    body: bytes
    data: dict[str, Any]


def _refuse(query: Query, number: int, url: str, problem: str) -> FetchError:
    return FetchError(f"UNHCR {query.side} page {number}: {problem} ({url})")


def check_page(
    query: Query, year: int, page_size: int, number: int, url: str, data: Any, first: Page | None
) -> int:
    """Refuse a page that is not `{page, maxPages, items: [...]}`, is not page `number`, disagrees with
    page 1 on maxPages or total, is not full before the last page, or holds an item of another year or
    not about Indonesia on the queried side. Returns maxPages.
    """
    if not isinstance(data, dict):
        raise _refuse(query, number, url, f"the answer is a JSON {type(data).__name__}, not a page object")
    missing = [key for key in ("page", "maxPages", "items") if key not in data]
    if missing:
        raise _refuse(query, number, url, f"the answer lacks {', '.join(missing)}")
    items = data["items"]
    if not isinstance(items, list) or not all(isinstance(item, dict) for item in items):
        raise _refuse(query, number, url, "items is not a list of objects")
    answered, max_pages = json_int(data["page"]), json_int(data["maxPages"])
    if answered != number:
        raise _refuse(
            query, number, url, f"the answer is page {data['page']!r} when page {number} was asked for"
        )
    if max_pages is None or max_pages < 0:
        raise _refuse(query, number, url, f"maxPages is {data['maxPages']!r}, not a page count")
    if first is None and (max_pages == 0 or not items):
        raise _refuse(query, number, url, f"no items for {year} (maxPages {max_pages})")
    if first is not None:
        if max_pages != json_int(first.data["maxPages"]):
            raise _refuse(
                query, number, url, f"maxPages changed from {first.data['maxPages']} to {max_pages}"
            )
        if data.get("total") != first.data.get("total"):
            raise _refuse(
                query, number, url, f"total changed from {first.data.get('total')!r} to {data.get('total')!r}"
            )
    if number < max_pages and len(items) != page_size:
        raise _refuse(query, number, url, f"{len(items)} items on a page before the last, not {page_size}")
    if not 1 <= len(items) <= page_size:
        raise _refuse(query, number, url, f"{len(items)} items on the last page, not 1 to {page_size}")
    for index, item in enumerate(items, start=1):
        if json_int(item.get("year")) != year:
            raise _refuse(query, number, url, f"item {index} is for year {item.get('year')!r}, not {year}")
        if item.get(f"{query.side}_iso") != COUNTRY:
            found = item.get(f"{query.side}_iso")
            raise _refuse(query, number, url, f"item {index} has {query.side}_iso {found!r}, not {COUNTRY}")
    return max_pages


def check_pages(query: Query, pages: Sequence[Page]) -> None:
    """Refuse pages whose items do not add up to `total` when `total` is a count.

    The live population endpoint sends `total: []` (no count); its pages are then complete by
    `check_page`: every page before the last is full and the last holds 1 to `limit` items.
    """
    total = json_int(pages[0].data.get("total"))
    received = sum(len(page.data["items"]) for page in pages)
    if total is not None and received != total:
        problem = f"the {len(pages)} pages hold {received} items but total is {total}"
        raise FetchError(f"UNHCR {query.side}: {problem} ({pages[0].url})")


def fetch_pages(client: HttpClient, url: str, query: Query, year: int, page_size: int) -> list[Page]:
    """Page 1, then pages 2..maxPages, each checked; FetchError on the first refusal."""
    pages: list[Page] = []
    max_pages = 1
    number = 1
    while number <= max_pages:
        try:
            answer = client.get(url, query.params(year, page_size, number))
            data = answer.json()
        except FetchError as error:
            raise FetchError(f"UNHCR {query.side} page {number}: {error}") from None
        first = pages[0] if pages else None
        max_pages = check_page(query, year, page_size, number, answer.url, data, first)
        pages.append(Page(number, answer.url, answer.body, data))
        number += 1
    check_pages(query, pages)
    return pages


def pages_file(pages: Sequence[Page]) -> bytes:
    """The JSON list of the pages, each body as received (a leading BOM and outer whitespace dropped)."""
    bodies = [page.body.removeprefix(b"\xef\xbb\xbf").strip() for page in pages]
    return b"[\n" + b",\n".join(bodies) + b"\n]\n"


def fetch(
    raw_root: Path,
    year: int,
    which: str = "both",
    page_size: int = DEFAULT_PAGE_SIZE,
    settings: HttpSettings | None = None,
) -> list[Path]:
    """Fetch the `coa`, `coo` or both questions for `year` into `<raw_root>/unhcr/`; the paths written.

    Every page of every question is fetched and checked before the first file is written, and each file
    is replaced atomically, so a refused fetch leaves the folder as it was.
    """
    if which not in QUERY_CHOICES:
        raise ValueError(f"which must be one of {QUERY_CHOICES}, got {which!r}")
    if page_size < 1:
        raise ValueError(f"page_size must be at least 1, got {page_size}")
    url = base_url(BASE_URL_ENV, DEFAULT_BASE_URL) + ENDPOINT
    queries = [QUERIES[side] for side in ("coa", "coo") if which in (side, "both")]
    files: dict[Path, bytes] = {}
    with HttpClient(settings or HttpSettings.from_env()) as client:
        try:
            for query in queries:
                pages = fetch_pages(client, url, query, year, page_size)
                files[raw_root / "unhcr" / query.file_name(year)] = pages_file(pages)
        except FetchError as error:
            raise FetchError(f"{error}; nothing was written") from None
    for path, data in files.items():
        write_atomic(path, data)
    return list(files)
