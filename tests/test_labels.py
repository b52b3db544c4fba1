"""One label lookup: every breakdown table of every portal page, in both languages, shows the reference label.

The expected labels are read here straight from the `reference` tables, by the code list each
dimension draws on, independently of the lookup the portal uses.
"""

import re
from html import unescape
from pathlib import Path

import duckdb
import pytest

from sdmi_pipeline.release.public import open_public
from sdmi_pipeline.release.site import write_site
from sdmi_pipeline.release.site.headlines import latest
from sdmi_pipeline.release.site.series import breakdowns, catalogue, total_series

# Each breakdown dimension's reference codes: (code, English label, Indonesian label).
REFERENCE = {
    "counterpart_area": "SELECT iso3, name_en, name_id FROM reference.countries",
    "province": """SELECT province_code, name_en, name_id FROM reference.provinces UNION ALL
                   SELECT code, label_en, label_id FROM reference.codes WHERE code_list = 'tka_province'""",
    "sex": "SELECT code, label_en, label_id FROM reference.codes WHERE code_list = 'sex'",
    "age": """SELECT age_group, label_en, label_id FROM reference.age_groups UNION ALL
              SELECT code, label_en, label_id FROM reference.codes WHERE code_list = 'refugee_age_group'""",
    "population_type": """SELECT code, label_en, label_id FROM reference.codes
                          WHERE code_list = 'population_type'""",
}
SPECIAL = "SELECT code, label_en, label_id FROM reference.codes WHERE code_list = 'sdmx_special'"
ROW = re.compile(r'<tr><th scope="row">(.*?)</th>')


def table_labels(html: str, dimension: str) -> list[str]:
    """The row labels of a page's breakdown table of a dimension."""
    match = re.search(rf'<table class="data" id="table-{dimension}">(.*?)</table>', html, re.S)
    assert match, f"no breakdown table for {dimension}"
    return [unescape(label) for label in ROW.findall(match[1])]


@pytest.fixture(scope="module")
def portal(shipped_warehouse: Path, tmp_path_factory: pytest.TempPathFactory):
    public = open_public(shipped_warehouse)
    site = tmp_path_factory.mktemp("labels") / "site"
    write_site(public, site, "20261203T210625Z")
    return public, site


def reference_labels(public: duckdb.DuckDBPyConnection, dimension: str) -> dict[str, tuple[str, str]]:
    own = {code: (en, id_) for code, en, id_ in public.execute(REFERENCE[dimension]).fetchall()}
    return {code: (en, id_) for code, en, id_ in public.execute(SPECIAL).fetchall()} | own


def test_every_breakdown_label_is_the_reference_label_of_its_code(portal):
    public, site = portal
    checked = 0
    for indicator in catalogue(public):
        last = latest(total_series(public, indicator.indicator_id))
        for breakdown in breakdowns(public, indicator.indicator_id, last.freq, last.time_period):
            if breakdown.dimension not in REFERENCE:
                continue
            reference = reference_labels(public, breakdown.dimension)
            for language, folder, position in (("id", "", 1), ("en", "en/", 0)):
                html = (site / folder / "indicators" / f"{indicator.indicator_id}.html").read_text()
                shown = sorted(table_labels(html, breakdown.dimension))
                expected = sorted(reference[code][position] for code, _, _ in breakdown.rows)
                assert shown == expected, (indicator.indicator_id, breakdown.dimension, language)
                checked += len(shown)
    assert checked > 200


def test_men_are_male_not_monthly_on_every_page(portal):
    _, site = portal
    for folder, male, monthly in (("", "Laki-laki", "Bulanan"), ("en/", "Male", "Monthly")):
        pages = {path.name: path.read_text() for path in (site / folder / "indicators").glob("*.html")}
        with_sex = [name for name, html in pages.items() if 'id="table-sex"' in html]
        assert len(with_sex) >= 6
        for name in with_sex:
            labels = table_labels(pages[name], "sex")
            assert male in labels and monthly not in labels, (folder, name, labels)


def test_lookup_is_keyed_by_code_list_and_code(portal):
    from sdmi_pipeline.reference.labels import Labels

    public, _ = portal
    labels = Labels(public)
    assert labels.label("sex", "M", "en") == "Male"
    assert labels.label("freq", "M", "id") == "Bulanan"
    assert labels.of_dimension("sex", "M").id == "Laki-laki"
    assert labels.of_dimension("age", "Y30T34").short == "30\u201334"
    assert labels.of_dimension("age", "Y30T34").en == "30-34 years"
    assert labels.of_dimension("sex", "_U").id == "Tidak dinyatakan"
    assert labels.of_dimension("province", "LP").en == "Across provinces (several provinces)"
    assert labels.label("unit", "persons", "id") == "orang"
    assert [code for code, _ in labels.codes("refugee_age_group")] == [
        "Y0T4",
        "Y5T11",
        "Y12T17",
        "Y18T59",
        "Y_GE60",
    ]


def test_every_code_of_the_observations_has_a_label(portal):
    from sdmi_pipeline.reference.labels import DIMENSION_LISTS, Labels

    public, _ = portal
    labels = Labels(public)
    for dimension in [d for d in DIMENSION_LISTS if d != "location"]:
        sql = f"SELECT DISTINCT {dimension} FROM indicators.observations"
        codes = [code for (code,) in public.execute(sql).fetchall()]
        missing = [code for code in codes if (dimension, code) not in labels.dimensions]
        assert missing == [], dimension


def test_age_groups_are_shown_in_age_order_with_short_forms_on_the_chart_axis(portal):
    public, site = portal
    ages = public.execute("SELECT label_en FROM reference.age_groups ORDER BY min_age").fetchall()
    html = (site / "en" / "indicators" / "PMI_PLACED.html").read_text()
    shown = table_labels(html, "age")
    assert shown == [label for (label,) in ages if label in shown] and len(shown) >= 5
    chart = (site / "charts" / "en" / "PMI_PLACED-age.svg").read_text()
    assert "30\u201334" in chart and "30-34 years" not in chart


def test_release_name_reads_as_a_date_and_time():
    from sdmi_pipeline.release.site.i18n import ENGLISH, INDONESIAN

    assert INDONESIAN.release_name("20261203T210625Z") == "3 Desember 2026, 21.06 UTC"
    assert ENGLISH.release_name("20261203T210625Z") == "3 December 2026, 21:06 UTC"


def test_mgi_shares_that_do_not_add_up_to_100_after_rounding_get_a_note(portal):
    from sdmi_pipeline.release.site.mgi_page import rounded_off

    assert rounded_off([(100 / 3, 100 / 3, 100 / 3)])  # 33.3 × 3 = 99.9
    assert not rounded_off([(50.0, 25.0, 25.0), (None, None, None)])
    _, site = portal
    assert 'id="mgi-rounding"' in (site / "mgi.html").read_text()


def test_a_chart_alt_text_names_the_highest_bar_even_in_age_order(portal):
    public, site = portal
    html = (site / "en" / "indicators" / "PMI_PLACED.html").read_text()
    match = re.search(r'<table class="data" id="table-age">(.*?)</table>', html, re.S)
    rows = re.findall(r'<th scope="row">(.*?)</th><td class="num">([\d,]+)</td>', match[1])
    highest = max(rows, key=lambda row: int(row[1].replace(",", "")))
    short = public.execute("SELECT short_label FROM reference.age_groups WHERE label_en = ?", [highest[0]])
    assert f"highest {short.fetchone()[0]} ({highest[1]})" in unescape(html)


def test_breakdown_headings_name_the_dimension_from_reference(portal):
    public, site = portal
    ((indonesian, english),) = public.execute(
        "SELECT label_id, label_en FROM reference.codes WHERE code_list = 'dimension' AND code = 'age'"
    ).fetchall()
    assert (indonesian, english) == ("Kelompok umur", "Age group")
    assert "Rincian: kelompok umur, 2023" in (site / "indicators" / "PMI_PLACED.html").read_text()
    assert "Breakdown: age group, 2023" in (site / "en" / "indicators" / "PMI_PLACED.html").read_text()
    assert "<h1>Indikator Tata Kelola Migrasi (MGI)</h1>" in (site / "mgi.html").read_text()
