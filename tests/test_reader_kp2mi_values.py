"""KP2MI placement files (spec §2.1): dates, ages, provinces, countries and descriptive labels as typed."""

import pandas as pd
import pytest

from tests.kp2mi_rows import (
    HEADER,
    HEADER_KEMENDAGRI,
    HEADER_WITHOUT_CODE,
    load,
    placement_dates,
    record,
    write_csv,
)

# --- Dates and ages ------------------------------------------------------------------------------


def test_iso_dates(tmp_path):
    rows = [record(tanggal_penempatan="2023-01-01"), record(id_pmi="B", tanggal_penempatan="2023-01-31")]
    _, validated = load(write_csv(tmp_path, HEADER, rows))
    assert placement_dates(validated) == ["2023-01-01", "2023-01-31"]


def test_day_first_dates(tmp_path):
    rows = [record(tanggal_penempatan="05/01/2023"), record(id_pmi="B", tanggal_penempatan="31/01/2023")]
    _, validated = load(write_csv(tmp_path, HEADER, rows))
    assert validated.rejects.empty
    # 05/01 is the 5th of January, not the 1st of May.
    assert placement_dates(validated) == ["2023-01-05", "2023-01-31"]


def test_both_date_formats_in_one_file(tmp_path):
    rows = [record(tanggal_penempatan="2023-01-12"), record(id_pmi="B", tanggal_penempatan="13/01/2023")]
    _, validated = load(write_csv(tmp_path, HEADER, rows))
    assert placement_dates(validated) == ["2023-01-12", "2023-01-13"]


def test_file_month_comes_from_the_name(tmp_path):
    rows = [record(tanggal_penempatan="2024-12-31")]
    path = write_csv(tmp_path, HEADER, rows, name="penempatan_pmi_2024_12.csv")
    _, validated = load(path)
    assert validated.rejects.empty
    assert validated.accepted.loc[2, "placement_date"] == pd.Timestamp("2024-12-31")


def test_ages_are_whole_years(tmp_path):
    rows = [record(usia="18"), record(id_pmi="B", usia="45.0"), record(id_pmi="C", usia=" 60 ")]
    read, validated = load(write_csv(tmp_path, HEADER, rows))
    assert read.rows["age"].dtype == "Int64"
    assert validated.rejects.empty
    assert validated.accepted["age"].tolist() == [18, 45, 60]


# --- Provinces -----------------------------------------------------------------------------------


def test_bps_province_code(tmp_path):
    rows = [
        record(kode_provinsi="94", provinsi_asal="Papua"),
        record(id_pmi="B", kode_provinsi="91", provinsi_asal="Papua Barat"),
    ]
    _, validated = load(write_csv(tmp_path, HEADER, rows))
    assert validated.rejects.empty
    assert validated.accepted["province"].tolist() == ["94", "91"]


@pytest.mark.parametrize(
    ("kemendagri", "name", "bps"),
    [
        ("91", "Papua", "94"),
        ("92", "Papua Barat", "91"),
        ("93", "Papua Selatan", "95"),
        ("94", "Papua Tengah", "96"),
        ("95", "Papua Pegunungan", "97"),
        ("96", "Papua Barat Daya", "92"),
        ("33", "Jawa Tengah", "33"),
    ],
)
def test_kemendagri_province_code(tmp_path, kemendagri, name, bps):
    rows = [record(HEADER_KEMENDAGRI, kode_provinsi_kemendagri=kemendagri, provinsi_asal=name)]
    read, validated = load(write_csv(tmp_path, HEADER_KEMENDAGRI, rows))
    assert read.ignored_columns == []
    assert validated.rejects.empty
    assert validated.accepted.loc[2, "province"] == bps


def test_province_from_name_when_there_is_no_code_column(tmp_path):
    rows = [
        record(HEADER_WITHOUT_CODE, provinsi_asal="Jawa Barat"),
        record(HEADER_WITHOUT_CODE, id_pmi="B", provinsi_asal="Papua"),
    ]
    read, validated = load(write_csv(tmp_path, HEADER_WITHOUT_CODE, rows))
    assert read.ignored_columns == []
    assert validated.rejects.empty
    assert validated.accepted["province"].tolist() == ["32", "94"]


def test_province_from_name_when_the_code_cell_is_empty(tmp_path):
    rows = [
        record(kode_provinsi="", provinsi_asal="Jawa Barat"),
        record(id_pmi="B", kode_provinsi="", provinsi_asal="NTT"),
    ]
    _, validated = load(write_csv(tmp_path, HEADER, rows))
    assert validated.rejects.empty
    assert validated.accepted["province"].tolist() == ["32", "53"]


def test_province_from_code_when_the_name_is_empty(tmp_path):
    _, validated = load(write_csv(tmp_path, HEADER, [record(kode_provinsi="51", provinsi_asal="")]))
    assert validated.rejects.empty
    assert validated.accepted.loc[2, "province"] == "51"


@pytest.mark.parametrize(
    ("name", "code"),
    [
        ("JAWA TIMUR", "35"),
        ("Jatim", "35"),
        ("Jateng", "33"),
        ("Jabar", "32"),
        ("D.K.I. Jakarta", "31"),
        ("Jakarta", "31"),
        ("DIY", "34"),
        ("D.I. Yogyakarta", "34"),
        ("Kep. Bangka Belitung", "19"),
        ("Babel", "19"),
        ("Kepri", "21"),
        ("NTB", "52"),
        ("NTT", "53"),
    ],
)
def test_province_name_variants(tmp_path, name, code):
    rows = [record(HEADER_WITHOUT_CODE, provinsi_asal=name)]
    _, validated = load(write_csv(tmp_path, HEADER_WITHOUT_CODE, rows))
    assert validated.rejects.empty
    assert validated.accepted.loc[2, "province"] == code


def test_province_code_and_name_variant_agree(tmp_path):
    rows = [
        record(kode_provinsi="31", provinsi_asal="D.K.I. Jakarta"),
        record(id_pmi="B", kode_provinsi="34", provinsi_asal="DIY"),
    ]
    _, validated = load(write_csv(tmp_path, HEADER, rows))
    assert validated.rejects.empty
    assert validated.accepted["province"].tolist() == ["31", "34"]


# --- Countries -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "iso3"),
    [
        ("Hongkong", "HKG"),
        ("Hong Kong SAR", "HKG"),
        ("  korea   SELATAN ", "KOR"),
        ("Korsel", "KOR"),
        ("Arab Saudi", "SAU"),
        ("KSA", "SAU"),
        ("Tiongkok", "CHN"),
        ("RRT", "CHN"),
        ("Chinese Taipei", "TWN"),
        ("Uni Emirat Arab", "ARE"),
        ("Jepang", "JPN"),
        ("SINGAPURA", "SGP"),
        ("Turki", "TUR"),
        ("Brunei Darussalam", "BRN"),
        ("Amerika Serikat", "USA"),
        ("Malaysia", "MYS"),
        ("Polandia", "POL"),
    ],
)
def test_country_name_variants(tmp_path, name, iso3):
    _, validated = load(write_csv(tmp_path, HEADER, [record(negara_penempatan=name)]))
    assert validated.rejects.empty
    assert validated.accepted.loc[2, "destination"] == iso3
    assert validated.accepted.loc[2, "destination_label"] == name.strip()


# --- Descriptive labels --------------------------------------------------------------------------


def test_unmapped_occupation_and_education_are_other_not_rejected(tmp_path):
    rows = [
        record(jabatan="Tukang Kebun", pendidikan="Pesantren"),
        record(id_pmi="B", jabatan="Domestic Worker", pendidikan="S1"),
    ]
    _, validated = load(write_csv(tmp_path, HEADER, rows))
    assert validated.rejects.empty
    first, second = validated.accepted.loc[2], validated.accepted.loc[3]
    assert (first["occupation"], first["occupation_label"]) == ("OTHER", "Tukang Kebun")
    assert (first["education"], first["education_label"]) == ("OTHER", "Pesantren")
    assert (second["occupation"], second["occupation_label"]) == ("DOMESTIC_WORKER", "Domestic Worker")
    assert (second["education"], second["education_label"]) == ("S1", "S1")


def test_empty_occupation_and_education_are_not_stated(tmp_path):
    _, validated = load(write_csv(tmp_path, HEADER, [record(jabatan="", pendidikan="")]))
    assert validated.rejects.empty
    row = validated.accepted.loc[2]
    assert (row["occupation"], row["education"]) == ("_U", "_U")
    assert pd.isna(row["occupation_label"]) and pd.isna(row["education_label"])


@pytest.mark.parametrize(
    ("label", "code"),
    [
        ("Tidak Sekolah", "NONE"),
        ("SD", "SD"),
        ("SMP", "SMP"),
        ("SMA", "SMA"),
        ("SMK", "SMK"),
        ("D1", "D1"),
        ("D2", "D2"),
        ("D3", "D3"),
        ("S1", "S1"),
        ("S2", "S2"),
        ("S3", "S3"),
        ("sma", "SMA"),
    ],
)
def test_education_list_of_the_spec(tmp_path, label, code):
    _, validated = load(write_csv(tmp_path, HEADER, [record(pendidikan=label)]))
    assert validated.accepted.loc[2, "education"] == code


@pytest.mark.parametrize(
    ("skema", "scheme"),
    [
        ("P to P", "P2P"),
        ("P3MI", "P2P"),
        ("PPTKIS", "P2P"),
        ("G to G", "G2G"),
        ("Mandiri", "MANDIRI"),
        ("Perseorangan", "MANDIRI"),
        ("Perorangan", "MANDIRI"),
        ("Individu", "MANDIRI"),
        ("UKPS", "UKPS"),
    ],
)
def test_scheme_variants(tmp_path, skema, scheme):
    _, validated = load(write_csv(tmp_path, HEADER, [record(skema=skema)]))
    assert validated.accepted.loc[2, "scheme"] == scheme


@pytest.mark.parametrize(
    ("label", "sex"),
    [("L", "M"), ("Laki-laki", "M"), ("Male", "M"), ("P", "F"), ("Perempuan", "F"), ("F", "F")],
)
def test_sex_variants(tmp_path, label, sex):
    _, validated = load(write_csv(tmp_path, HEADER, [record(jenis_kelamin=label)]))
    assert validated.accepted.loc[2, "sex"] == sex
