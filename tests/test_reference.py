"""Reference code lists (spec §1): countries, from their codes and every spelling."""

import pandas as pd
import pytest

from sdmi_pipeline.reference import countries
from sdmi_pipeline.reference.countries import (
    AmbiguousNameError,
    countries_to_iso3,
    country_lookup,
    country_table,
)
from sdmi_pipeline.reference.normalise import label_key


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
    assert iso3_of(name, allow_rest_of_world=True) == ["_O"]  # SDMX's code for the rest of the world


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
