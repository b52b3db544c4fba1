"""Reference code lists (spec §1): countries, provinces, sex, scheme and sector."""

import re

import pandas as pd
import pytest

from sdmi_pipeline.contracts import contracts
from sdmi_pipeline.reference import codes, countries
from sdmi_pipeline.reference.code_lists import age_group_table, code_table
from sdmi_pipeline.reference.countries import (
    REST_OF_WORLD,
    AmbiguousNameError,
    countries_to_iso3,
    country_lookup,
    country_table,
)
from sdmi_pipeline.reference.normalise import label_key, map_labels
from sdmi_pipeline.reference.provinces import (
    province_codes_to_bps,
    province_names_to_code,
    province_table,
)


def iso3_of(*names: str, allow_rest_of_world: bool = False) -> list:
    """ISO3 codes of `names`, with None where the name is unknown."""
    result = countries_to_iso3(pd.Series(names, dtype="string"), allow_rest_of_world=allow_rest_of_world)
    return [None if pd.isna(code) else code for code in result]


def spelled_differently(name: str) -> list[str]:
    """The same name in other case and spacing, as publishers write it."""
    spaced = "   ".join(name.split())
    return [name.upper(), name.lower(), f"  {spaced}  ", f"\t{name.swapcase()} "]


# --- Countries -----------------------------------------------------------------------------------


def test_country_table_has_the_249_iso_countries():
    table = country_table()
    assert len(table) == 249
    assert table["iso3"].is_unique
    assert table["iso3"].str.fullmatch(r"[A-Z]{3}").all()
    assert {"TWN", "HKG", "MAC", "PSE", "IDN"} <= set(table["iso3"])


@pytest.mark.parametrize("column", ["iso3", "name_iso", "name_en", "name_id"])
def test_every_iso_country_resolves_from_its_code_and_names(column):
    table = country_table()
    resolved = countries_to_iso3(table[column])
    wrong = table.loc[resolved.isna() | (resolved != table["iso3"]), ["iso3", column]]
    assert wrong.empty, f"names in {column} that do not resolve to their own ISO3:\n{wrong}"


@pytest.mark.parametrize("column", ["iso3", "name_iso", "name_id"])
@pytest.mark.parametrize("spelling", [str.upper, str.lower], ids=["upper", "lower"])
def test_every_iso_country_resolves_in_any_case(column, spelling):
    table = country_table()
    resolved = countries_to_iso3(table[column].map(spelling))
    assert resolved.tolist() == table["iso3"].tolist()


def test_indonesian_names_are_really_indonesian():
    names = country_table().set_index("iso3")["name_id"]
    assert names["JPN"] == "Jepang"
    assert names["DEU"] == "Jerman"
    assert names["AFG"] == "Afganistan"
    assert (names["TWN"], names["KOR"], names["SYR"]) == ("Taiwan", "Korea Selatan", "Suriah")


SPEC_VARIANTS = {
    "Hongkong": "HKG",
    "Hong Kong SAR": "HKG",
    "Korea Selatan": "KOR",
    "Korsel": "KOR",
    "Republic of Korea": "KOR",
    "South Korea": "KOR",
    "Arab Saudi": "SAU",
    "KSA": "SAU",
    "Tiongkok": "CHN",
    "RRT": "CHN",
    "Republik Rakyat Tiongkok": "CHN",
    "China": "CHN",
    "Taiwan, Province of China": "TWN",
    "Chinese Taipei": "TWN",
    "Uni Emirat Arab": "ARE",
    "UEA": "ARE",
    "Jepang": "JPN",
    "Singapura": "SGP",
    "Italia": "ITA",
    "Turki": "TUR",
    "Türkiye": "TUR",
    "Turkey": "TUR",
    "Brunei": "BRN",
    "Brunei Darussalam": "BRN",
    "Polandia": "POL",
    "Jerman": "DEU",
    "Belanda": "NLD",
    "Amerika Serikat": "USA",
    "Inggris": "GBR",
    "Filipina": "PHL",
    "Yordania": "JOR",
    "Mesir": "EGY",
    "Afganistan": "AFG",
    "Irak": "IRQ",
    "Yaman": "YEM",
    "Suriah": "SYR",
    "Palestina": "PSE",
    "Etiopia": "ETH",
    "Burma": "MMR",
}


@pytest.mark.parametrize(("name", "iso3"), SPEC_VARIANTS.items())
def test_spec_variant_resolves(name, iso3):
    assert iso3_of(name) == [iso3]


@pytest.mark.parametrize(("name", "iso3"), SPEC_VARIANTS.items())
def test_spec_variant_resolves_in_any_case_and_spacing(name, iso3):
    variants = spelled_differently(name)
    assert iso3_of(*variants) == [iso3] * len(variants)


@pytest.mark.parametrize(
    ("name", "iso3"),
    [
        ("  korea   SELATAN ", "KOR"),
        ("HONG KONG sar", "HKG"),
        ("taiwan,  province of china", "TWN"),
        ("TURKIYE", "TUR"),  # without the diaeresis
        ("amerika   serikat", "USA"),
    ],
)
def test_country_name_in_odd_case_and_spacing(name, iso3):
    assert iso3_of(name) == [iso3]


@pytest.mark.parametrize("name", ["Atlantis", "Malaysya", "Korea Selatan Utara", "Lainnya Saja", ""])
def test_unknown_country_name_is_na_never_a_guess(name):
    assert iso3_of(name) == [None]


def test_missing_country_name_stays_missing():
    result = countries_to_iso3(pd.Series(["Jepang", None, pd.NA], dtype="string"))
    assert result.dtype == "string"
    assert result[0] == "JPN"
    assert result[1:].isna().all()


@pytest.mark.parametrize("name", ["Lainnya", "Negara Lainnya", "Others", "Other countries", "  LAINNYA "])
def test_rest_of_world(name):
    assert iso3_of(name) == [None]
    assert iso3_of(name, allow_rest_of_world=True) == [REST_OF_WORLD]
    assert REST_OF_WORLD == "_O"


def test_rest_of_world_does_not_change_real_countries():
    assert iso3_of("Jepang", "Atlantis", "Others", allow_rest_of_world=True) == ["JPN", None, "_O"]


def test_country_lookup_builds_without_ambiguity():
    country_lookup.cache_clear()
    lookup = country_lookup()
    assert lookup[label_key("Korea Selatan")] == "KOR"
    assert lookup[label_key("Korea, Democratic People's Republic of")] == "PRK"
    assert set(lookup.values()) == set(country_table()["iso3"])


@pytest.fixture
def fresh_country_lookup():
    """Rebuild the cached lookup around a test that changes the variants."""
    country_lookup.cache_clear()
    yield
    country_lookup.cache_clear()


@pytest.mark.parametrize(
    ("name", "iso3"),
    [
        ("JAPAN", "CHN"),  # the ISO name of JPN
        ("Jepang", "KOR"),  # a spec variant and the Indonesian name of JPN
        ("  korsel ", "PRK"),  # same key as the variant Korsel → KOR
    ],
)
def test_conflicting_name_raises(monkeypatch, fresh_country_lookup, name, iso3):
    monkeypatch.setitem(countries.NAME_VARIANTS, name, iso3)
    with pytest.raises(AmbiguousNameError, match=iso3):
        country_lookup()


def test_consistent_extra_name_does_not_raise(monkeypatch, fresh_country_lookup):
    monkeypatch.setitem(countries.NAME_VARIANTS, "Negeri Sakura", "JPN")
    assert country_lookup()[label_key("negeri sakura")] == "JPN"


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


# --- Small code lists ----------------------------------------------------------------------------


def mapped(labels: list[str], lookup: dict[str, str]) -> list:
    result = map_labels(pd.Series(labels, dtype="string"), lookup)
    return [None if pd.isna(code) else code for code in result]


@pytest.mark.parametrize(
    ("labels", "code"),
    [
        (["L", "Laki-laki", "M", "Male", "LAKI-LAKI", "laki laki", " male "], "M"),
        (["P", "Perempuan", "F", "Female", "PEREMPUAN", "f"], "F"),
    ],
)
def test_sex_labels(labels, code):
    assert mapped(labels, codes.SEX) == [code] * len(labels)


@pytest.mark.parametrize(
    ("labels", "code"),
    [
        (["P to P", "P2P", "P3MI", "PPTKIS", "p to p", "pptkis"], "P2P"),
        (["G to G", "G2G", "g to g"], "G2G"),
        (["Mandiri", "Perseorangan", "Perorangan", "Individu", "MANDIRI"], "MANDIRI"),
        (["UKPS", "ukps"], "UKPS"),
    ],
)
def test_scheme_labels(labels, code):
    assert mapped(labels, codes.PMI_SCHEME) == [code] * len(labels)


def test_sector_labels():
    labels = ["Formal", "INFORMAL", " informal "]
    assert mapped(labels, codes.PMI_SECTOR) == ["FORMAL", "INFORMAL", "INFORMAL"]


@pytest.mark.parametrize(
    ("labels", "lookup"),
    [
        (["X", "Laki", "Pria Wanita"], codes.SEX),
        (["PT", "Kontrak", "B2B"], codes.PMI_SCHEME),
        (["Semi-formal", "Formil"], codes.PMI_SECTOR),
    ],
    ids=["sex", "scheme", "sector"],
)
def test_unknown_labels_are_na(labels, lookup):
    assert mapped(labels, lookup) == [None] * len(labels)


def test_map_labels_keeps_index_and_missing_values():
    labels = pd.Series(["L", None, "P", "L"], index=[7, 3, 9, 11], dtype="string")
    result = map_labels(labels, codes.SEX)
    assert result.index.tolist() == [7, 3, 9, 11]
    assert result.dtype == "string"
    assert result[7] == "M" and result[9] == "F" and result[11] == "M"
    assert pd.isna(result[3])


@pytest.mark.parametrize(
    ("label", "key"),
    [
        ("  Korea   SELATAN ", "korea selatan"),
        ("D.K.I. Jakarta", "d k i jakarta"),
        ("Türkiye", "turkiye"),
        ("Taiwan, Province of China", "taiwan province of china"),
        ("Côte d'Ivoire", "cote d ivoire"),
    ],
)
def test_label_key(label, key):
    assert label_key(label) == key


def test_every_code_list_has_a_label_in_both_languages():
    table = code_table()
    assert table[["label_en", "label_id"]].notna().all().all()
    assert (table["label_en"].str.len() > 0).all() and (table["label_id"].str.len() > 0).all()
    assert not table["label_en"].str.contains(" / ").any(), "one language per label"
    labels = {(row.code_list, row.code): (row.label_en, row.label_id) for row in table.itertuples()}
    assert labels[("education", "SMK")] == (
        "Vocational upper secondary school (SMK)",
        "Sekolah Menengah Kejuruan (SMK)",
    )
    assert labels[("occupation", "DOMESTIC_WORKER")] == ("Domestic worker", "Penata laksana rumah tangga")
    assert labels[("refugee_age_group", "Y_GE60")] == ("60 years and over", "60 tahun ke atas")
    assert labels[("sdmx_special", "_T")] == ("Total", "Jumlah")
    assert labels[("obs_status", "P")] == ("Provisional", "Angka sementara")
    counts = table.groupby("code_list").size()
    assert (counts["education"], counts["occupation"], counts["month"]) == (13, 16, 12)
    ages = age_group_table()
    assert ages.iloc[-1].tolist() == ["Y_GE50", 50, 200, "50 years and over", "50 tahun ke atas"]


def test_every_table_a_description_names_exists():
    named = {
        match
        for contract in contracts().values()
        for text in [
            contract.description_en,
            contract.description_id,
            *(c.description_en + " " + c.description_id for c in contract.columns),
        ]
        for match in re.findall(r"\b(?:reference|staging|core|indicators|meta|report)\.[a-z_0-9]+\b", text)
    }
    assert "reference.codes" in named and "indicators.catalogue" in named
    assert sorted(named - set(contracts())) == []
