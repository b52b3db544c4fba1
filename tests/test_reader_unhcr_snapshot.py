"""UNHCR monthly snapshots (spec §2.4): variants read, rows rejected with line and reason."""

import pytest

from tests.unhcr_files import HEADER, NOT_WHOLE, load_snapshot, rejects_of, snapshot_row, write_csv

# --- Snapshots: variants -------------------------------------------------------------------------


def test_snapshot_utf8_comma(tmp_path):
    rows = [
        snapshot_row(),
        snapshot_row(
            country_of_origin="Myanmar",
            population_type="Asylum-seeker",
            sex="Female",
            age_group="0-4",
            location="Makassar",
            count="12",
        ),
    ]
    read, validated = load_snapshot(write_csv(tmp_path, rows))
    assert (read.encoding, read.delimiter, read.ignored_columns) == ("utf-8", ",", [])
    assert validated.rejects.empty
    assert validated.accepted.index.tolist() == [2, 3]
    assert validated.accepted.to_dict("records") == [
        {
            "snapshot_month": "2024-03",
            "origin": "AFG",
            "origin_label": "Afghanistan",
            "population_type": "REF",
            "sex": "M",
            "age_group": "Y18T59",
            "location": "Medan",
            "count": 1890,
        },
        {
            "snapshot_month": "2024-03",
            "origin": "MMR",
            "origin_label": "Myanmar",
            "population_type": "ASY",
            "sex": "F",
            "age_group": "Y0T4",
            "location": "Makassar",
            "count": 12,
        },
    ]


def test_snapshot_windows_1252_semicolon_with_indonesian_labels(tmp_path):
    rows = [
        snapshot_row(
            country_of_origin="Afganistan",
            population_type="Pengungsi",
            sex="Laki-laki",
            age_group="5-11",
            location="  Tanjung Pinang ",
            count="40",
        ),
        snapshot_row(
            country_of_origin="Côte d'Ivoire",
            population_type="Pencari Suaka",
            sex="Perempuan",
            age_group="60+",
            location="Jakarta",
            count="3",
        ),
        snapshot_row(
            country_of_origin="Somalia", population_type="pencari suaka", sex="P", age_group="12-17"
        ),
    ]
    path = write_csv(tmp_path, rows, delimiter=";", encoding="cp1252")
    assert b"C\xf4te" in path.read_bytes()
    read, validated = load_snapshot(path)
    assert (read.encoding, read.delimiter) == ("windows-1252", ";")
    assert validated.rejects.empty
    accepted = validated.accepted
    assert accepted["origin"].tolist() == ["AFG", "CIV", "SOM"]
    assert accepted["origin_label"].tolist() == ["Afganistan", "Côte d'Ivoire", "Somalia"]
    assert accepted["population_type"].tolist() == ["REF", "ASY", "ASY"]
    assert accepted["sex"].tolist() == ["M", "F", "F"]
    assert accepted["age_group"].tolist() == ["Y5T11", "Y_GE60", "Y12T17"]
    assert accepted["location"].tolist() == ["Tanjung Pinang", "Jakarta", "Medan"]
    assert accepted["count"].tolist() == [40, 3, 1890]


def test_snapshot_utf8_with_bom_and_headers_in_another_case_and_order(tmp_path):
    header = [column.upper() for column in reversed(HEADER)]
    rows = [list(reversed(snapshot_row(country_of_origin="Sri Lanka")))]
    read, validated = load_snapshot(write_csv(tmp_path, rows, header, encoding="utf-8-sig"))
    assert read.encoding == "utf-8-sig"
    assert read.header["country_of_origin"] == "COUNTRY_OF_ORIGIN"
    assert validated.accepted.loc[2, "origin"] == "LKA"
    assert validated.accepted.loc[2, "count"] == 1890


def test_snapshot_extra_columns_are_ignored_and_reported(tmp_path):
    header = ["No", *HEADER, "Catatan"]
    read, validated = load_snapshot(write_csv(tmp_path, [["1", *snapshot_row(), "baru"]], header))
    assert read.ignored_columns == ["No", "Catatan"]
    assert validated.rejects.empty


# --- Snapshots: rejected rows --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("changes", "column_name", "value", "reason"),
    [
        pytest.param({"count": "1,234"}, "count", "1,234", f'count "1,234" {NOT_WHOLE}', id="count-comma"),
        pytest.param({"count": "1.234"}, "count", "1.234", f'count "1.234" {NOT_WHOLE}', id="count-dot"),
        pytest.param({"count": "banyak"}, "count", "banyak", f'count "banyak" {NOT_WHOLE}', id="count-text"),
        pytest.param({"count": "-2"}, "count", "-2", "count is negative", id="count-negative"),
        pytest.param({"count": ""}, "count", None, "count is missing", id="count-missing"),
        pytest.param(
            {"country_of_origin": "Atlantis"},
            "country_of_origin",
            "Atlantis",
            "country of origin is missing or not a known country name",
            id="country-unknown",
        ),
        pytest.param(
            {"country_of_origin": "Stateless"},
            "country_of_origin",
            "Stateless",
            "country of origin is missing or not a known country name",
            id="stateless",
        ),
        pytest.param(
            {"population_type": "Migrant"},
            "population_type",
            "Migrant",
            "population type is missing or not Refugee/Asylum-seeker (Pengungsi/Pencari Suaka)",
            id="population-type-unknown",
        ),
        pytest.param(
            {"sex": "X"},
            "sex",
            "X",
            "sex is missing or not one of L/P/M/F/Laki-laki/Perempuan/Male/Female",
            id="sex",
        ),
        pytest.param(
            {"age_group": "18-60"},
            "age_group",
            "18-60",
            "age group is missing or not one of 0-4, 5-11, 12-17, 18-59, 60+",
            id="age-group-unknown",
        ),
        pytest.param(
            {"location": " "}, "location", None, "location (city) is missing", id="location-missing"
        ),
    ],
)
def test_snapshot_rejected_row(tmp_path, changes, column_name, value, reason):
    bad = snapshot_row(**({"location": "Makassar"} | changes))  # another key than the good rows
    rows = [snapshot_row(), bad, snapshot_row(location="Batam")]
    _, validated = load_snapshot(write_csv(tmp_path, rows, delimiter=";"))
    assert validated.accepted.index.tolist() == [2, 4]
    assert rejects_of(validated) == [(3, column_name, value, reason)]
