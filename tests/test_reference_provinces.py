"""Reference code lists (spec §1): the 38 provinces, BPS and Kemendagri codes, name variants."""

import pandas as pd
import pytest

from sdmi_pipeline.reference.provinces import (
    province_codes_to_bps,
    province_names_to_code,
    province_table,
)

# --- Provinces -----------------------------------------------------------------------------------

SPEC_PROVINCES = {
    "11": "Aceh",
    "12": "Sumatera Utara",
    "13": "Sumatera Barat",
    "14": "Riau",
    "15": "Jambi",
    "16": "Sumatera Selatan",
    "17": "Bengkulu",
    "18": "Lampung",
    "19": "Kepulauan Bangka Belitung",
    "21": "Kepulauan Riau",
    "31": "DKI Jakarta",
    "32": "Jawa Barat",
    "33": "Jawa Tengah",
    "34": "DI Yogyakarta",
    "35": "Jawa Timur",
    "36": "Banten",
    "51": "Bali",
    "52": "Nusa Tenggara Barat",
    "53": "Nusa Tenggara Timur",
    "61": "Kalimantan Barat",
    "62": "Kalimantan Tengah",
    "63": "Kalimantan Selatan",
    "64": "Kalimantan Timur",
    "65": "Kalimantan Utara",
    "71": "Sulawesi Utara",
    "72": "Sulawesi Tengah",
    "73": "Sulawesi Selatan",
    "74": "Sulawesi Tenggara",
    "75": "Gorontalo",
    "76": "Sulawesi Barat",
    "81": "Maluku",
    "82": "Maluku Utara",
    "91": "Papua Barat",
    "92": "Papua Barat Daya",
    "94": "Papua",
    "95": "Papua Selatan",
    "96": "Papua Tengah",
    "97": "Papua Pegunungan",
}

# Kemendagri code → BPS code (spec §1); they differ only for Papua.
KEMENDAGRI_PAPUA = {"91": "94", "92": "91", "93": "95", "94": "96", "95": "97", "96": "92"}


def test_exactly_38_provinces_with_the_bps_codes_of_the_spec():
    table = province_table()
    assert len(table) == 38
    official = SPEC_PROVINCES | {"34": "Daerah Istimewa Yogyakarta"}
    assert dict(zip(table["province_code"], table["name_id"], strict=True)) == official
    english = dict(zip(table["province_code"], table["name_en"], strict=True))
    assert (english["32"], english["34"], english["97"]) == (
        "West Java",
        "Special Region of Yogyakarta",
        "Highland Papua",
    )


def test_every_province_name_resolves_to_its_bps_code():
    names = pd.Series(list(SPEC_PROVINCES.values()), dtype="string")
    assert province_names_to_code(names).tolist() == list(SPEC_PROVINCES)


def test_bps_codes_are_identity():
    bps = pd.Series(list(SPEC_PROVINCES), dtype="string")
    assert province_codes_to_bps(bps, kemendagri=False).tolist() == list(SPEC_PROVINCES)


@pytest.mark.parametrize(("kemendagri", "bps"), KEMENDAGRI_PAPUA.items())
def test_kemendagri_papua_codes_cross_to_bps(kemendagri, bps):
    result = province_codes_to_bps(pd.Series([kemendagri], dtype="string"), kemendagri=True)
    assert result.tolist() == [bps]


@pytest.mark.parametrize("code", [c for c in SPEC_PROVINCES if c not in {"91", "92", "94", "95", "96", "97"}])
def test_kemendagri_codes_outside_papua_are_identity(code):
    result = province_codes_to_bps(pd.Series([code], dtype="string"), kemendagri=True)
    assert result.tolist() == [code]


def test_kemendagri_and_bps_readings_of_the_same_codes_differ_for_papua():
    raw = pd.Series(["33", "91", "92", "96", "94"], dtype="string")
    assert province_codes_to_bps(raw, kemendagri=True).tolist() == ["33", "94", "91", "92", "96"]
    assert province_codes_to_bps(raw, kemendagri=False).tolist() == ["33", "91", "92", "96", "94"]


@pytest.mark.parametrize("kemendagri", [True, False])
@pytest.mark.parametrize("code", ["99", "00", "3", "333", "Jawa Tengah"])
def test_unknown_province_code_is_na(code, kemendagri):
    assert province_codes_to_bps(pd.Series([code], dtype="string"), kemendagri=kemendagri).isna().all()


def test_kemendagri_97_does_not_exist():
    # 97 is BPS Papua Pegunungan, but Kemendagri numbers Papua only up to 96.
    raw = pd.Series(["97"], dtype="string")
    assert province_codes_to_bps(raw, kemendagri=True).isna().all()
    assert province_codes_to_bps(raw, kemendagri=False).tolist() == ["97"]


def test_province_code_tolerates_spaces_and_float_text():
    raw = pd.Series([" 33 ", "35.0", None], dtype="string")
    result = province_codes_to_bps(raw, kemendagri=False)
    assert result[:2].tolist() == ["33", "35"]
    assert pd.isna(result[2])


@pytest.mark.parametrize(
    ("name", "code"),
    [
        ("DKI Jakarta", "31"),
        ("D.K.I. Jakarta", "31"),
        ("Jakarta", "31"),
        ("DI Yogyakarta", "34"),
        ("D.I. Yogyakarta", "34"),
        ("DIY", "34"),
        ("Yogyakarta", "34"),
        ("Kep. Bangka Belitung", "19"),
        ("Babel", "19"),
        ("Kep. Riau", "21"),
        ("Kepri", "21"),
        ("NTB", "52"),
        ("NTT", "53"),
        ("Jatim", "35"),
        ("Jateng", "33"),
        ("Jabar", "32"),
        ("JAWA TIMUR", "35"),
        ("  jawa   barat ", "32"),
        ("PAPUA BARAT DAYA", "92"),
        ("papua", "94"),
    ],
)
def test_province_name_variants(name, code):
    assert province_names_to_code(pd.Series([name], dtype="string")).tolist() == [code]


@pytest.mark.parametrize("name", ["Atlantis Raya", "Jawa", "Papua Utara", "Sumatera"])
def test_unknown_province_name_is_na(name):
    assert province_names_to_code(pd.Series([name], dtype="string")).isna().all()
