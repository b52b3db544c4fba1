"""The report views on the shipped sample, against figures checked by hand (data/raw/README.md):
labels in both languages, the total row Jumlah / Total, integer counts, rounded shares, status
in words; and the same views created on the public (disclosure-controlled) connection."""

from pathlib import Path

import duckdb
import pytest

from sdmi_pipeline.release.public import open_public
from sdmi_pipeline.warehouse.report_views import create_report_views, report_view_names
from tests.conftest import query

pytestmark = pytest.mark.slow


def annual(published: Path, view: str, year: int, columns: str) -> list[tuple]:
    return query(published, f"SELECT {columns} FROM report.{view} WHERE year = {year} AND month IS NULL")


def test_placements_by_destination_need_no_code_to_read(shipped_warehouse: Path) -> None:
    rows = annual(
        shipped_warehouse,
        "pmi_placed_by_destination",
        2023,
        "destination, destination_label_id, destination_label_en, placed, women_percent, status_label_id",
    )
    assert rows[:3] == [
        ("TWN", "Taiwan", "Taiwan", 25_389, 70.3, "Angka sementara"),
        ("MYS", "Malaysia", "Malaysia", 21_824, 22.5, "Angka sementara"),
        ("HKG", "Hong Kong", "Hong Kong", 20_195, 96.3, "Angka sementara"),
    ]
    # The total comes last, labelled, and the countries add up to it: nothing is counted twice.
    assert rows[-1] == ("_T", "Jumlah", "Total", 83_864, 61.3, "Angka sementara")
    assert sum(row[3] for row in rows[:-1]) == 83_864
    assert len({row[0] for row in rows}) == len(rows)
    # A month of 2022 comes from KP2MI's published tables, which give no sex by destination.
    january = query(
        shipped_warehouse,
        "SELECT destination, placed, women_percent, status_label_en FROM report.pmi_placed_by_destination "
        "WHERE period = '2022-01' AND destination IN ('TWN', '_T') ORDER BY destination",
    )
    assert january == [("TWN", 2384, None, "Normal"), ("_T", 7012, 60.1, "Normal")]


def test_placements_by_every_breakdown_add_up_to_the_same_total(shipped_warehouse: Path) -> None:
    for breakdown in ("province", "sex", "sector", "scheme", "occupation", "education", "age_group"):
        rows = annual(shipped_warehouse, f"pmi_placed_by_{breakdown}", 2023, f"{breakdown}, placed")
        assert rows[-1] == ("_T", 83_864), breakdown
        assert sum(placed for _, placed in rows[:-1]) == 83_864, breakdown
    assert annual(shipped_warehouse, "pmi_placed_by_sex", 2023, "sex_label_id, sex_label_en, placed") == [
        ("Perempuan", "Female", 51_383),
        ("Laki-laki", "Male", 32_481),
        ("Jumlah", "Total", 83_864),
    ]
    provinces = annual(
        shipped_warehouse,
        "pmi_placed_by_province",
        2023,
        "province, province_label_id, province_label_en, placed, women_percent",
    )
    assert provinces[0] == ("35", "Jawa Timur", "East Java", 20_512, 60.9)
    assert ("34", "Daerah Istimewa Yogyakarta", "Special Region of Yogyakarta", 158, 62.7) in provinces


def test_foreign_workers_new_and_stock_side_by_side(shipped_warehouse: Path) -> None:
    rows = annual(
        shipped_warehouse, "tka_by_nationality", 2023, "nationality_label_en, new_permits, permit_holders"
    )
    assert rows[:3] == [("China", 82_623, 87_034), ("Japan", 15_961, 16_724), ("South Korea", 15_660, 16_466)]
    assert rows[-1] == ("Total", 168_048, 176_822)
    assert annual(shipped_warehouse, "tka_by_sex", 2023, "sex, new_permits") == [
        ("M", 144_334),
        ("F", 23_714),
        ("_T", 168_048),
    ]
    across = annual(
        shipped_warehouse, "tka_by_province", 2023, "province_label_id, new_permits, permit_holders, status"
    )
    assert ("Lintas provinsi", 51_138, 53_737, "A") in across
    for breakdown in ("sector", "position"):
        rows = annual(shipped_warehouse, f"tka_by_{breakdown}", 2023, "new_permits")
        assert rows[-1][0] == 168_048 == sum(row[0] for row in rows[:-1]), breakdown


def test_refugees_by_type_sex_and_location(shipped_warehouse: Path) -> None:
    assert annual(
        shipped_warehouse,
        "refugees_by_population_type",
        2015,
        "population_type, population_type_label_id, population_type_label_en, refugees_and_asylum_seekers",
    ) == [
        ("ASY", "Pencari suaka", "Asylum-seekers", 8_264),
        ("REF", "Pengungsi", "Refugees", 5_284),
        ("_T", "Jumlah", "Total", 13_548),
    ]
    july = "SELECT {} FROM report.refugees_by_{} WHERE period = '2023-07'"
    assert query(shipped_warehouse, july.format("sex_label_en, refugees_and_asylum_seekers", "sex")) == [
        ("Male", 7_984),
        ("Female", 4_113),
        ("Total", 12_097),
    ]
    locations = query(
        shipped_warehouse, july.format("location_label_id, refugees_and_asylum_seekers", "location")
    )
    assert locations[0] == ("Jakarta", 3_504) and locations[-1] == ("Jumlah", 12_097)
    for breakdown in ("origin", "age_group"):
        rows = query(shipped_warehouse, july.format("refugees_and_asylum_seekers", breakdown))
        assert rows[-1][0] == 12_097 == sum(row[0] for row in rows[:-1]), breakdown


def test_remittances_by_host_with_the_share_of_gdp_and_the_sdg_series(shipped_warehouse: Path) -> None:
    rows = query(
        shipped_warehouse,
        "SELECT host_country_label_en, usd_million, gdp_percent FROM report.remittances_by_host_country "
        "WHERE year = 2022 AND quarter IS NULL",
    )
    assert rows[:3] == [
        ("Saudi Arabia", 2_830.0, None),
        ("Malaysia", 2_570.0, None),
        ("Taiwan", 1_470.0, None),
    ]
    assert rows[-2:] == [("Rest of the world", 469.0, None), ("Total", 9_710.0, 0.74)]
    assert sum(usd for _, usd, _ in rows[:-1]) == pytest.approx(9_710.0)
    quarters = query(
        shipped_warehouse,
        "SELECT quarter, usd_million FROM report.remittances_by_host_country "
        "WHERE year = 2022 AND host_country = '_T' AND quarter IS NOT NULL",
    )
    assert quarters == [(1, 2_291.55), (2, 2_544.02), (3, 2_408.08), (4, 2_466.35)]
    series = query(shipped_warehouse, "SELECT sdg_indicator, year, value, unit FROM report.sdg_series")
    assert series[0] == ("10.7.4", 2015, 1.53, "per 100,000")
    assert series[-1] == ("17.3.2", 2022, 0.74, "percent")
    assert len(series) == 7


def test_gcm_progress_compares_nothing_across_a_series_break(shipped_warehouse: Path) -> None:
    rows = query(
        shipped_warehouse,
        "SELECT objective, latest_year, latest_period_label_en, latest_value, latest_status_label_en, "
        "previous_value, comparison, comparison_reason, comparison_reason_label_en, compared_periods, change "
        "FROM report.gcm_progress WHERE indicator = 'PMI_PLACED' ORDER BY objective",
    )
    # 83,864 placements in January-April 2023 from record-level files; 2022 comes from KP2MI's
    # printed tables: a series break, so no change against January-April 2022 (30,132).
    year_to_date = (
        2023,
        "January–April 2023",
        83_864.0,
        "Provisional",
        None,
        "NONE",
        "SERIES_BREAK",
        "Series break: the source or method changed (e.g. printed tables to record-level files)",
        None,
        None,
    )
    assert rows == [(5, *year_to_date), (6, *year_to_date)]
    coverage = query(
        shipped_warehouse,
        "SELECT latest_value, previous_value, comparison, comparison_reason, change FROM report.gcm_progress "
        "WHERE indicator = 'SDMI_COVERAGE'",
    )
    assert coverage == [(87.5, None, "NONE", "PROVISIONAL", None)]
    assert query(
        shipped_warehouse,
        "SELECT count(*) FROM report.gcm_progress WHERE latest_value IS NOT NULL AND comparison IS NULL",
    ) == [(0,)]
    assert query(shipped_warehouse, "SELECT count(*) FROM report.gcm_progress")[0][0] == 31


def test_coverage_matrix_and_mgi_side_by_side(shipped_warehouse: Path) -> None:
    totals = query(
        shipped_warehouse,
        "SELECT year, source_label_id, cells_with_data, expected_cells, percent, status_label_en "
        "FROM report.sdmi_coverage WHERE source = '_T' AND year >= 2022",
    )
    assert totals == [
        (2022, "Jumlah", 21, 32, 65.6, "Provisional"),
        (2023, "Jumlah", 28, 32, 87.5, "Provisional"),
    ]
    mgi = query(
        shipped_warehouse,
        "SELECT domain, domain_label_id, national_indicators, national_yes_percent, local_province_label_id, "
        "local_indicators, local_yes_percent FROM report.mgi_domain_summary WHERE year = 2023",
    )
    assert mgi[0] == ("1", "Hak-hak migran", 17, 35.3, "Jawa Tengah", 12, 66.7)
    assert mgi[-1] == ("_T", "Jumlah", 98, 52.0, "Jawa Tengah", 76, 56.6)  # the total row is `_T`


def test_counts_are_integers_and_every_view_is_commented_in_both_languages(shipped_warehouse: Path) -> None:
    types = dict(
        query(
            shipped_warehouse,
            "SELECT table_name || '.' || column_name, data_type FROM duckdb_columns() "
            "WHERE schema_name = 'report' AND column_name IN ('placed', 'new_permits', 'women_percent')",
        )
    )
    assert types["pmi_placed_by_destination.placed"] == "BIGINT"
    assert types["tka_by_sex.new_permits"] == "BIGINT"
    assert types["pmi_placed_by_destination.women_percent"] == "DOUBLE"
    views = query(
        shipped_warehouse, "SELECT view_name, comment FROM duckdb_views() WHERE schema_name = 'report'"
    )
    assert sorted(f"report.{name}" for name, _ in views) == report_view_names()
    assert len(views) == 25 and all(" | " in comment for _, comment in views)
    uncommented = query(
        shipped_warehouse,
        "SELECT count(*) FROM duckdb_columns() WHERE schema_name = 'report' AND comment IS NULL",
    )
    assert uncommented == [(0,)]


def test_published_tables_declare_their_keys_but_record_level_tables_do_not(shipped_warehouse: Path) -> None:
    keys = dict(
        query(
            shipped_warehouse,
            "SELECT schema_name || '.' || table_name, constraint_column_names FROM duckdb_constraints() "
            "WHERE constraint_type = 'PRIMARY KEY'",
        )
    )
    assert keys["indicators.catalogue"] == ["indicator_id"]
    assert keys["reference.codes"] == ["code_list", "code"]
    assert keys["indicators.observations"][:3] == ["indicator_id", "freq", "time_period"]
    assert "core.pmi_placements" not in keys and "core.tka_permits" not in keys
    decimals = query(shipped_warehouse, "SELECT indicator_id, decimals FROM indicators.catalogue")
    assert dict(decimals)["PMI_PLACED_F_SHARE"] == 1 and dict(decimals)["BX_TRF_PWKR"] == 2


def test_the_views_work_on_the_public_connection_of_a_release(shipped_warehouse: Path) -> None:
    public = open_public(shipped_warehouse)
    assert create_report_views(public) == report_view_names()
    total = public.execute(
        "SELECT placed FROM report.pmi_placed_by_destination WHERE year = 2023 AND month IS NULL "
        "AND destination = '_T'"
    ).fetchall()
    assert total == [(83_864,)]
    # A value suppressed by disclosure control keeps its row: the view says it is confidential.
    public.execute(
        "UPDATE indicators.observations SET value = NULL, obs_status = 'C' WHERE indicator_id = 'PMI_PLACED' "
        "AND time_period = '2023' AND counterpart_area = 'FJI'"
    )
    suppressed = public.execute(
        "SELECT placed, status, status_label_id, status_label_en FROM report.pmi_placed_by_destination "
        "WHERE year = 2023 AND month IS NULL AND destination = 'FJI'"
    ).fetchall()
    assert suppressed == [(None, "C", "Dirahasiakan", "Confidential")]
    with pytest.raises(duckdb.CatalogException):
        public.execute("SELECT * FROM core.pmi_placements")
