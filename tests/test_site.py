"""The SDMI portal: built from the shipped sample's public tables, opened from disk in Debian's Chromium.

The site is written from `open_public`, after real disclosure control (threshold 5), so the test
sees what a reader of a released portal sees.
"""

import csv
import re
from pathlib import Path

import pytest

from sdmi_pipeline.release.layout import SDMX_DIR, XLSX_DIR
from sdmi_pipeline.release.public import INTERNAL_COLUMNS, PUBLIC_TABLES, open_public
from sdmi_pipeline.release.site import write_site
from sdmi_pipeline.release.site.i18n import ENGLISH, INDONESIAN
from tests.conftest import query

pytestmark = pytest.mark.slow  # its fixtures build warehouses (the quick loop leaves them to CI)

VINTAGE = "20240630T120500Z"
# The breakdowns of a share of women besides destination (its sex is `_Z`); a count's add sex.
SHARE_DIMENSIONS = ("age", "province", "education", "sector", "occupation", "scheme")
TOTALS = " AND ".join(f"{d} = '_T'" for d in ("sex", *SHARE_DIMENSIONS))
SHARE_TOTALS = " AND ".join(f"{d} = '_T'" for d in SHARE_DIMENSIONS)
# The 2023 destinations whose share of women disclosure control withholds (threshold 5): with the
# published monthly totals it would give away a month's few men placed there.
SMALL_DESTINATIONS = f"""
indicator_id = 'PMI_PLACED_F_SHARE' AND freq = 'A' AND time_period = '2023' AND {SHARE_TOTALS}
AND counterpart_area NOT IN ('_T', '_O') AND obs_status = 'C'
"""
SUPPRESSED = ["KWT", "MAC"]


@pytest.fixture(scope="session")
def release(shipped_warehouse: Path, tmp_path_factory) -> dict:
    """The shipped sample built once, its public tables after disclosure control, the site written."""
    root = tmp_path_factory.mktemp("portal")
    warehouse = shipped_warehouse
    public = open_public(warehouse)
    suppressed = public.execute(
        f"SELECT counterpart_area FROM indicators.observations WHERE {SMALL_DESTINATIONS} ORDER BY 1"
    ).fetchall()
    site = root / "release" / "site"
    write_site(public, site, VINTAGE)
    return {"warehouse": warehouse, "site": site, "suppressed": [code for (code,) in suppressed]}


class Visit:
    """A page opened from file://, with every request it made and every console error."""

    def __init__(self, browser, path: Path):
        self.page = browser.new_page(viewport={"width": 1280, "height": 900})
        self.requests: list[str] = []
        self.errors: list[str] = []
        self.page.on("request", lambda request: self.requests.append(request.url))
        self.page.on("console", lambda message: message.type == "error" and self.errors.append(message.text))
        self.page.on("pageerror", lambda error: self.errors.append(str(error)))
        self.page.goto(path.as_uri())

    def text(self, selector: str) -> str:
        return self.page.locator(selector).inner_text().replace("\u00a0", " ")

    def close(self) -> None:
        self.page.close()


def card(visit: Visit, indicator_id: str) -> dict[str, str]:
    selector = f'li.card[data-indicator="{indicator_id}"]'
    return {part: visit.text(f"{selector} .{part}") for part in ("value", "period", "change", "source")}


@pytest.mark.slow
def test_every_page_opens_from_disk_without_network_or_console_errors(release, browser):
    site = release["site"]
    pages = sorted(site.rglob("*.html"))
    assert len(pages) == 2 * (
        1 + 1 + 12 + 4
    )  # home, indicator list, 12 indicators, GCM, MGI, coverage, dictionary
    for path in pages:
        visit = Visit(browser, path)
        outside = [url for url in visit.requests if not url.startswith(site.as_uri() + "/")]
        assert outside == [], f"{path.relative_to(site)} requested {outside}"
        assert visit.errors == [], f"{path.relative_to(site)}: {visit.errors}"
        broken = visit.page.evaluate(
            "Array.from(document.images).filter(i => !i.naturalWidth).map(i => i.src)"
        )
        assert broken == []
        assert visit.page.evaluate("Array.from(document.images).every(i => i.alt.length > 20)")
        visit.close()


def test_links_stay_in_the_site_or_the_release_downloads(release, browser):
    """No link leaves the release: pages, the site's CSVs, the release's SDMX-CSV and workbook."""
    site = release["site"]
    release_dir = site.parent
    for path in sorted(site.rglob("*.html")):
        visit = Visit(browser, path)
        hrefs = visit.page.evaluate(
            "Array.from(document.querySelectorAll('a[href], link[href]')).map(a => a.href)"
        )
        visit.close()
        for href in hrefs:
            assert href.startswith(release_dir.as_uri() + "/"), f"{path.name} links {href}"
            target = Path(href.removeprefix("file://").split("#")[0])
            sibling = target.relative_to(release_dir).parts[0]
            assert sibling in (site.name, SDMX_DIR, XLSX_DIR), href
            if sibling == site.name:
                assert target.exists(), f"{path.name} links a missing {target}"


# Why a headline has no change: reference.codes, list comparison_reason (indicators.figures).
BREAK_ID = "Patahan seri: sumber atau metode berubah (mis. tabel cetak ke berkas tingkat catatan)"
BREAK_EN = "Series break: the source or method changed (e.g. printed tables to record-level files)"
PREVIOUS_LOWER_BOUND_ID = "Tahun sebelumnya adalah batas bawah (izin yang terbit lebih awal tidak tercakup)"
PREVIOUS_LOWER_BOUND_EN = "The year before is a lower bound (permits issued earlier missing)"
NO_PREVIOUS_ID = "Tidak ada angka periode yang sama setahun sebelumnya"
NO_PREVIOUS_EN = "No figure for the same period a year before"
# Hand-checked headline figures of the shipped sample (id, en) and the warehouse query behind each;
# every shipped file is a generated sample, so every card says illustrative.
HEADLINES = {
    "PMI_PLACED": (
        "freq = 'A' AND time_period = '2023' AND counterpart_area = '_T' AND " + TOTALS,
        83_864,
        ("83.864", "Januari–April 2023 · sementara · ilustratif", BREAK_ID),
        ("83,864", "January–April 2023 · provisional · illustrative", BREAK_EN),
    ),
    "TKA_STOCK": (
        "freq = 'A' AND time_period = '2023' AND counterpart_area = '_T' AND province = '_T' AND sex = '_T'"
        " AND sector = '_T' AND occupation = '_T'",
        176822,
        ("176.822", "2023 · ilustratif", PREVIOUS_LOWER_BOUND_ID),
        ("176,822", "2023 · illustrative", PREVIOUS_LOWER_BOUND_EN),
    ),
    "REF_HOSTED": (
        "freq = 'M' AND time_period = '2023-07' AND counterpart_area = '_T' AND sex = '_T' AND age = '_T'"
        " AND population_type = '_T' AND location = '_T'",
        12097,
        ("12.097", "Juli 2023 · ilustratif", NO_PREVIOUS_ID),
        ("12,097", "July 2023 · illustrative", NO_PREVIOUS_EN),
    ),
    "REMIT_INFLOW": (
        "freq = 'A' AND time_period = '2022' AND counterpart_area = '_T'",
        9710,
        ("9.710,00", "2022 · ilustratif", NO_PREVIOUS_ID),
        ("9,710.00", "2022 · illustrative", NO_PREVIOUS_EN),
    ),
    "BX_TRF_PWKR": (
        "freq = 'A' AND time_period = '2022'",
        0.7361,
        ("0,74 %", "2022 · ilustratif", NO_PREVIOUS_ID),  # as report.sdg_series rounds it
        ("0.74%", "2022 · illustrative", NO_PREVIOUS_EN),
    ),
    "SM_POP_REFG_OR": (
        "freq = 'A' AND time_period = '2020'",
        1.1991,
        ("1,20", "2020 · ilustratif", "-0,05 dibanding 2019"),
        ("1.20", "2020 · illustrative", "-0.05 against 2019"),
    ),
}


def test_headline_figures_match_the_warehouse_in_both_languages(release, browser):
    for indicator_id, (where, value, _, _) in HEADLINES.items():
        (found,) = query(
            release["warehouse"],
            f"SELECT value FROM indicators.observations WHERE indicator_id = ? AND {where}",
            [indicator_id],
        )
        assert found[0] == pytest.approx(value, abs=1e-4), indicator_id
    for folder, position in (("", 2), ("en/", 3)):
        visit = Visit(browser, release["site"] / folder / "index.html")
        for indicator_id, expected in HEADLINES.items():
            figure, period, change = expected[position]
            shown = card(visit, indicator_id)
            assert (shown["value"], shown["period"], shown["change"]) == (figure, period, change), (
                indicator_id
            )
        assert card(visit, "PMI_PLACED")["source"] in (
            "Sumber: Data penempatan KP2MI",
            "Source: KP2MI placement records",
        )
        assert visit.text("#release-date") == (
            "30 Juni 2024, 12.05 UTC" if folder == "" else "30 June 2024, 12:05 UTC"
        )
        assert visit.text("#coverage") == ("87,5 %" if folder == "" else "87.5%")
        visit.close()


def test_language_switch_on_every_page_kind(release, browser):
    site = release["site"]
    for path in ("index.html", "indicators/PMI_PLACED.html", "gcm.html", "dictionary.html"):
        visit = Visit(browser, site / path)
        assert visit.page.locator("html").get_attribute("lang") == "id"
        visit.page.click("#language-switch")
        assert visit.page.url == (site / "en" / path).as_uri()
        assert visit.page.locator("html").get_attribute("lang") == "en"
        assert visit.text("#language-switch") == "Bahasa Indonesia"
        visit.page.click("#language-switch")
        assert visit.page.url == (site / path).as_uri()
        visit.close()


def test_indicator_page_formats_numbers_per_language_and_shows_suppressed_cells_as_c(release, browser):
    assert release["suppressed"] == SUPPRESSED
    for folder, language in (("", "id"), ("en/", "en")):
        visit = Visit(browser, release["site"] / folder / "indicators" / "PMI_PLACED.html")
        rows = visit.page.locator("#table-counterpart_area tbody tr")
        shown = {row.locator("th").inner_text(): row.locator("td").first.inner_text() for row in rows.all()}
        # reference.countries: Taiwan in both languages; thousands as each language writes them.
        assert shown["Taiwan"] == ("25.389" if language == "id" else "25,389")
        assert shown["Kuwait"] == "207"
        visit.close()
        share = Visit(browser, release["site"] / folder / "indicators" / "PMI_PLACED_F_SHARE.html")
        rows = share.page.locator("#table-counterpart_area tbody tr")
        shown = {row.locator("th").inner_text(): row.locator("td").first.inner_text() for row in rows.all()}
        assert [shown[name] for name in ("Kuwait", "Macao")] == ["C", "C"]
        assert ("C: dirahasiakan" if language == "id" else "C: confidential") in share.text(".footnotes")
        rows = share.page.locator("#series-table tbody tr")
        october = rows.filter(has_text="Oktober 2022" if language == "id" else "October 2022").locator("td")
        assert october.first.inner_text().replace("\u00a0", " ") == (
            "59,1 %" if language == "id" else "59.1%"
        )
        # (the year's row is January-April 2023, a year to date: the month's row is the one named April)
        april = [row for row in rows.all() if row.locator("th").inner_text() == "April 2023"]
        assert [row.locator("td").first.inner_text().replace("\u00a0", " ") for row in april] == [
            "61,4 %" if language == "id" else "61.4%"
        ]
        share.close()
    download = release["site"] / "downloads" / "PMI_PLACED_F_SHARE.csv"
    with download.open(encoding="utf-8") as handle:
        rows = [
            row
            for row in csv.DictReader(handle)
            if row["obs_status"] == "C"
            and row["freq"] == "A"
            and row["time_period"] == "2023"
            and all(row[d] == "_T" for d in SHARE_DIMENSIONS)
        ]
    assert sorted(row["counterpart_area"] for row in rows) == SUPPRESSED
    assert {row["value"] for row in rows} == {""}


def test_gcm_mgi_coverage_and_dictionary_pages(release, browser):
    site, warehouse = release["site"], release["warehouse"]
    gcm = Visit(browser, site / "gcm.html")
    assert gcm.page.locator("tbody.objective").count() == 23
    ((without,),) = query(
        warehouse, "SELECT count(*) FROM indicators.gcm_progress WHERE indicator_id IS NULL"
    )
    assert gcm.page.get_by_text("Belum ada data SDMI").count() == without == 14
    # 2023 placements (January-April, record-level) follow KP2MI's 2022 printed tables: a series break,
    # so no change is shown, and the year to date names its months.
    objective5 = gcm.text("#objective-5")
    assert BREAK_ID in objective5 and "Januari–April 2023" in objective5 and "-199" not in objective5
    gcm.close()
    mgi = Visit(browser, site / "en" / "mgi.html")
    assert mgi.page.locator(".illustrative").count() == 2
    assert "Illustrative" in mgi.text(".illustrative >> nth=0")
    first_domain = mgi.page.locator("#mgi-table tbody tr").first.locator("td").all_inner_texts()
    assert first_domain == ["6", "3", "8", "8", "2", "2"]  # Indonesia, Jawa Tengah 2023: yes, partially, no
    assert mgi.page.locator("#mgi-highlighted tbody tr").count() == 43
    mgi.close()
    coverage = Visit(browser, site / "en" / "coverage.html")
    bank_2015 = coverage.page.locator("#coverage-table tbody tr", has_text="Bank Indonesia").first
    assert "REMIT_INFLOW host country, REMIT_INFLOW total" in bank_2015.inner_text()
    coverage.close()
    dictionary = Visit(browser, site / "dictionary.html")
    for table in PUBLIC_TABLES:
        schema, name = table.split(".")
        columns = query(
            warehouse,
            "SELECT column_name FROM duckdb_columns() WHERE schema_name = ? AND table_name = ?"
            " ORDER BY column_index",
            [schema, name],
        )
        shown = dictionary.page.locator(f'section[id="{table}"] tbody th').all_inner_texts()
        # The lineage columns (source_file, source_line) stay in the warehouse.
        assert shown == [column for (column,) in columns if column not in INTERNAL_COLUMNS], table
    assert "Laki-laki" in dictionary.text("#codes-sex")
    # The dictionary covers what the release ships: the report tables too, every status explained.
    ((views,),) = query(warehouse, "SELECT count(*) FROM duckdb_views() WHERE schema_name = 'report'")
    assert dictionary.page.locator('section[id^="report."]').count() == views == 25
    statuses = dictionary.text("#codes-obs_status")
    assert "normal: nilai final" in statuses and "melindungi sel kecil lain" in statuses
    assert "`" not in dictionary.text("main") and "schemas/" not in dictionary.text("main > p")
    dictionary.close()


def test_indonesian_pages_are_indonesian(release):
    for path in release["site"].rglob("*.html"):
        if path.relative_to(release["site"]).parts[0] == "en":
            continue
        # The English text an Indonesian page offers on purpose is marked lang="en"; codes are codes.
        html = re.sub(
            r'<p lang="en".*?</p>|<code>.*?</code>', "", path.read_text(encoding="utf-8"), flags=re.S
        )
        for english in ("KP2MI (published table)", "View report", ">Normal value<", "`"):
            assert english not in html, (path.name, english)


def test_numbers_follow_the_language():
    assert INDONESIAN.number(274965, "persons") == "274.965"
    assert ENGLISH.number(274965, "persons") == "274,965"
    assert INDONESIAN.number(62.69, "percent") == "62,7\u00a0%"
    assert ENGLISH.number(62.69, "percent") == "62.7%"
    assert INDONESIAN.number(-0.0506, "per 100,000", signed=True) == "-0,05"
    assert (INDONESIAN.period("Q", "2022-Q4"), ENGLISH.period("Q", "2022-Q4")) == (
        "Triwulan IV 2022",
        "Q4 2022",
    )
