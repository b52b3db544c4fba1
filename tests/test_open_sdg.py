"""Open SDG files of a release: the format's rules, and hand-checked figures of the shipped sample."""

import csv
from pathlib import Path

import pytest
import yaml

from sdmi_pipeline.release.open_sdg import write_open_sdg
from sdmi_pipeline.release.public import open_public

VINTAGE = "2026-01-31"
SPECIAL_COLUMNS = ("Year", "Series", "Units", "OBS_STATUS", "Value")


def read_csv(path: Path) -> tuple[list[str], list[dict[str, str]]]:
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        return list(reader.fieldnames or []), list(reader)


def front_matter(path: Path) -> dict:
    text = path.read_text(encoding="utf-8")
    assert text.startswith("---\n") and text.endswith("---\n"), path
    return yaml.safe_load(text.removeprefix("---\n").removesuffix("---\n"))


@pytest.fixture(scope="module")
def open_sdg(shipped_warehouse: Path, tmp_path_factory) -> Path:
    out_dir = tmp_path_factory.mktemp("release") / "open-sdg"
    write_open_sdg(open_public(shipped_warehouse), out_dir, VINTAGE)
    return out_dir


def headline(rows: list[dict[str, str]], columns: list[str], year: str, series: str | None = None) -> str:
    """The Value of the one row of a year (and series) whose disaggregations are all blank."""
    disaggregations = [c for c in columns if c not in SPECIAL_COLUMNS]
    found = [
        r
        for r in rows
        if r["Year"] == year
        and (series is None or r["Series"] == series)
        and all(r[c] == "" for c in disaggregations)
    ]
    assert len(found) == 1, (year, series, found)
    return found[0]["Value"]


def row_value(rows: list[dict[str, str]], year: str, **labels: str) -> str:
    """The Value of the row of a year with these labels and every other disaggregation blank."""
    found = [
        r
        for r in rows
        if r["Year"] == year and all(r[c] == labels.get(c, "") for c in r if c not in SPECIAL_COLUMNS)
    ]
    assert len(found) == 1, (year, labels, found)
    return found[0]["Value"]


def test_one_csv_and_bilingual_metadata_per_indicator(open_sdg: Path) -> None:
    ids = sorted(
        p.name.removeprefix("indicator_").removesuffix(".csv") for p in (open_sdg / "data").iterdir()
    )
    assert ids == [
        "10-7-4",
        "17-3-2",
        "sdmi-pmi-placed",
        "sdmi-pmi-placed-f-share",
        "sdmi-pmi-placed-g2g-share",
        "sdmi-pmi-placed-informal-share",
        "sdmi-ref-hosted",
        "sdmi-ref-hosted-per-100k",
        "sdmi-remit-inflow",
        "sdmi-tka-new",
        "sdmi-tka-stock",
    ]
    for indicator in ids:
        assert (open_sdg / "meta" / f"{indicator}.md").is_file()
        assert (open_sdg / "meta" / "en" / f"{indicator}.md").is_file()
        assert (open_sdg / "meta" / "id" / f"{indicator}.md").is_file()


def test_every_csv_keeps_the_format_rules(open_sdg: Path) -> None:
    for path in sorted((open_sdg / "data").iterdir()):
        columns, rows = read_csv(path)
        assert columns[0] == "Year" and columns[-1] == "Value" and "Units" in columns, path.name
        assert rows, path.name
        disaggregations = [c for c in columns if c not in SPECIAL_COLUMNS]
        keys = set()
        for row in rows:
            assert row["Year"].isdigit() and len(row["Year"]) == 4, (path.name, row)
            if row["OBS_STATUS"] == "Confidential":
                assert row["Value"] == "", (path.name, row)
            else:
                float(row["Value"])  # numeric, or ValueError
            assert all(v == v.strip() for v in row.values()), (path.name, row)
            keys.add(tuple(row[c] for c in columns if c not in ("Value", "OBS_STATUS")))
        assert len(keys) == len(rows), f"{path.name}: a combination holds two values"
        for year, series in {(r["Year"], r.get("Series")) for r in rows}:
            headline(rows, columns, year, series)  # exactly one headline row per year and series
        assert disaggregations or len(rows) == len({(r["Year"], r.get("Series")) for r in rows})


def test_sdg_indicators_carry_the_shipped_figures(open_sdg: Path) -> None:
    columns, rows = read_csv(open_sdg / "data" / "indicator_10-7-4.csv")
    assert columns == ["Year", "Units", "OBS_STATUS", "Value"]
    # UNHCR: refugees from Indonesia / (BPS population + them) x 100,000, 2015-2020.
    assert [(r["Year"], r["Value"]) for r in rows] == [
        ("2015", "1.53"),
        ("2016", "1.45"),
        ("2017", "1.38"),
        ("2018", "1.31"),
        ("2019", "1.25"),
        ("2020", "1.2"),
    ]
    assert {r["Units"] for r in rows} == {"Per 100,000 population"}
    _, rows = read_csv(open_sdg / "data" / "indicator_17-3-2.csv")
    assert [(r["Year"], r["Value"], r["OBS_STATUS"]) for r in rows] == [("2022", "0.74", "")]


def test_national_indicators_carry_the_shipped_figures(open_sdg: Path) -> None:
    columns, rows = read_csv(open_sdg / "data" / "indicator_sdmi-tka-new.csv")
    dimensions = ["Nationality", "Sex", "Province of work", "Sector", "Position"]
    assert columns == ["Year", "Units", *dimensions, "OBS_STATUS", "Value"]
    assert headline(rows, columns, "2023") == "168048"
    assert row_value(rows, "2023", Nationality="China") == "82623"
    assert row_value(rows, "2023", Sex="Female") == "23714"
    assert row_value(rows, "2023", Sector="Agriculture and maritime") == "4738"
    assert row_value(rows, "2023", **{"Province of work": "Central Sulawesi"}) == "18678"  # English name
    columns, rows = read_csv(open_sdg / "data" / "indicator_sdmi-ref-hosted.csv")
    assert headline(rows, columns, "2015") == "13548"
    assert row_value(rows, "2015", **{"Country of origin": "Afghanistan"}) == "6411"
    assert row_value(rows, "2015", **{"Population type": "Refugees"}) == "5284"


def test_sources_that_do_not_compare_are_series_and_a_partial_year_is_provisional(open_sdg: Path) -> None:
    columns, rows = read_csv(open_sdg / "data" / "indicator_sdmi-pmi-placed.csv")
    assert columns[:3] == ["Year", "Series", "Units"]
    # 2022 from KP2MI's published tables (all 12 months); 2023 from four months of records.
    assert headline(rows, columns, "2022", "KP2MI published tables") == "200761"
    assert headline(rows, columns, "2023", "KP2MI placement records") == "83864"
    # Cells withheld by disclosure control are Confidential, every other 2023 cell Provisional.
    assert {r["OBS_STATUS"] for r in rows if r["Year"] == "2023"} == {"Provisional", "Confidential"}
    # 2022 is final: no Provisional cell (disclosure control hides two of its provinces, C).
    assert {r["OBS_STATUS"] for r in rows if r["Year"] == "2022"} == {"", "Confidential"}


def test_metadata_in_both_languages(open_sdg: Path) -> None:
    sdg = front_matter(open_sdg / "meta" / "10-7-4.md")
    assert sdg["indicator_number"] == "10.7.4" and sdg["sdg_goal"] == "10" and sdg["target_id"] == "10.7"
    assert sdg["graph_type"] == "line" and sdg["reporting_status"] == "complete"
    assert sdg["data_non_statistical"] is False and sdg["sdmi_vintage"] == VINTAGE
    assert front_matter(open_sdg / "meta" / "17-3-2.md")["graph_type"] == "bar"  # one year only
    national = front_matter(open_sdg / "meta" / "sdmi-pmi-placed.md")
    assert national["standalone"] is True and national["permalink"] == "/sdmi-pmi-placed/"
    english = front_matter(open_sdg / "meta" / "en" / "sdmi-pmi-placed.md")
    indonesian = front_matter(open_sdg / "meta" / "id" / "sdmi-pmi-placed.md")
    assert english["indicator_name"] == "Indonesian migrant workers placed abroad"
    assert indonesian["indicator_name"] == "Pekerja Migran Indonesia yang ditempatkan"
    assert (english["computation_units"], indonesian["computation_units"]) == ("Persons", "Orang")
    assert english.keys() == indonesian.keys()


def test_every_label_of_the_csvs_has_its_indonesian(open_sdg: Path) -> None:
    indonesian = yaml.safe_load((open_sdg / "translations" / "id" / "data.yml").read_text(encoding="utf-8"))
    for path in (open_sdg / "data").iterdir():
        columns, rows = read_csv(path)
        texts = {c for c in columns if c not in ("Year", "Value")}
        texts |= {r[c] for r in rows for c in columns if c not in ("Year", "Value") and r[c]}
        assert texts <= indonesian.keys(), (path.name, texts - indonesian.keys())
    assert indonesian["Female"] == "Perempuan" and indonesian["Destination"] == "Negara penempatan"
    assert indonesian["China"] == "Cina" and indonesian["Provisional"] == "Angka sementara"


def test_a_suppressed_count_keeps_its_row_without_a_value(shipped_warehouse: Path, tmp_path: Path) -> None:
    public = open_public(shipped_warehouse)  # after disclosure control (threshold 5)
    suppressed = public.execute("""SELECT count(*) FROM indicators.observations
        WHERE indicator_id = 'PMI_PLACED' AND freq = 'A' AND obs_status = 'C'""").fetchone()[0]
    write_open_sdg(public, tmp_path, VINTAGE)
    columns, rows = read_csv(tmp_path / "data" / "indicator_sdmi-pmi-placed.csv")
    confidential = [r for r in rows if r["OBS_STATUS"] == "Confidential"]
    # Every annual cell withheld by disclosure control keeps its row, blank.
    assert (len(confidential), suppressed) == (10, 10) and all(r["Value"] == "" for r in confidential)
    assert {r["Year"] for r in confidential} == {"2022", "2023"}
    # No 2023 destination is withheld; the sexes of two small ones are, to protect small monthly counts.
    by_sex = {(r["Destination"], r["Sex"]) for r in confidential if r["Year"] == "2023" and r["Destination"]}
    assert by_sex == {(country, sex) for country in ("Kuwait", "Macao") for sex in ("Female", "Male")}
    assert headline(rows, columns, "2023", "KP2MI placement records") == "83864"
