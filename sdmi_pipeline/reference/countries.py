"""ISO 3166-1 countries and every name they arrive under.

English names come from pycountry (the ISO 3166 database maintained by Debian's iso-codes),
Indonesian names from the Indonesian translation that iso-codes ships, and the variants that
ministries write (spec §1) from the list below. An unknown name is never guessed.
"""

import gettext
from functools import cache

import pandas as pd
import pycountry

from sdmi_pipeline.reference.normalise import label_key, map_labels

REST_OF_WORLD = "_O"

# Names in common use that neither ISO nor its Indonesian translation spell this way (spec §1).
NAME_VARIANTS: dict[str, str] = {
    "Hongkong": "HKG",
    "Hong Kong SAR": "HKG",
    "Hong Kong SAR China": "HKG",
    "Korea Selatan": "KOR",
    "Korsel": "KOR",
    "Republic of Korea": "KOR",
    "South Korea": "KOR",
    "Korea": "KOR",
    "Korea Utara": "PRK",
    "North Korea": "PRK",
    "Arab Saudi": "SAU",
    "KSA": "SAU",
    "Saudi": "SAU",
    "Tiongkok": "CHN",
    "RRT": "CHN",
    "Republik Rakyat Tiongkok": "CHN",
    "RRC": "CHN",
    "Taiwan, Province of China": "TWN",
    "Chinese Taipei": "TWN",
    "Taiwan ROC": "TWN",
    "Uni Emirat Arab": "ARE",
    "UEA": "ARE",
    "UAE": "ARE",
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
    "AS": "USA",
    "USA": "USA",
    "Amerika": "USA",
    "Inggris": "GBR",
    "UK": "GBR",
    "Britania Raya": "GBR",
    "Filipina": "PHL",
    "Yordania": "JOR",
    "Mesir": "EGY",
    "Afganistan": "AFG",
    "Afghanistan": "AFG",
    "Irak": "IRQ",
    "Yaman": "YEM",
    "Suriah": "SYR",
    "Syria": "SYR",
    "Palestina": "PSE",
    "Palestine": "PSE",
    "Etiopia": "ETH",
    "Burma": "MMR",
    "Makau": "MAC",
    "Makao": "MAC",
    "Macau": "MAC",
    "Macao SAR": "MAC",
    "Katar": "QAT",
    "Kuwait": "KWT",
    "Oman": "OMN",
    "Bahrain": "BHR",
    "Bahrein": "BHR",
    "Selandia Baru": "NZL",
    "Kanada": "CAN",
    "Prancis": "FRA",
    "Perancis": "FRA",
    "Spanyol": "ESP",
    "Rusia": "RUS",
    "Russia": "RUS",
    "Vietnam": "VNM",
    "Viet Nam": "VNM",
    "Kamboja": "KHM",
    "Laos": "LAO",
    "Timor Leste": "TLS",
    "Timor-Leste": "TLS",
    "Swiss": "CHE",
    "Swedia": "SWE",
    "Norwegia": "NOR",
    "Denmark": "DNK",
    "Finlandia": "FIN",
    "Belgia": "BEL",
    "Hungaria": "HUN",
    "Yunani": "GRC",
    "Irlandia": "IRL",
    "Meksiko": "MEX",
    "Brasil": "BRA",
    "Afrika Selatan": "ZAF",
    "Maroko": "MAR",
    "Aljazair": "DZA",
    "Iran": "IRN",
    "Maladewa": "MDV",
    "Papua Nugini": "PNG",
    "Rumania": "ROU",
    "Ceko": "CZE",
    "Czech Republic": "CZE",
    "Kroasia": "HRV",
    "Siprus": "CYP",
    "Tanzania": "TZA",
    "Bolivia": "BOL",
    "Venezuela": "VEN",
    "Moldova": "MDA",
    "Kongo": "COG",
    "Republik Demokratik Kongo": "COD",
    "Pantai Gading": "CIV",
    "Ivory Coast": "CIV",
    "Sri Langka": "LKA",
    "Srilanka": "LKA",
    "Bangladesh": "BGD",
    "Pakistan": "PAK",
    "Myanmar": "MMR",
    "Somalia": "SOM",
    "Sudan": "SDN",
    "Eritrea": "ERI",
    "Libya": "LBY",
}

REST_OF_WORLD_NAMES = ("Lainnya", "Negara Lainnya", "Others", "Other countries", "Other")


class AmbiguousNameError(ValueError):
    """Two countries answer to the same normalised name."""


@cache
def _indonesian() -> gettext.NullTranslations:
    return gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=["id"], fallback=True)


@cache
def country_table() -> pd.DataFrame:
    """Every ISO 3166-1 country: alpha-3, alpha-2, numeric, English and Indonesian names."""
    indonesian = _indonesian()
    rows = [
        {
            "iso3": country.alpha_3,
            "iso2": country.alpha_2,
            "iso_numeric": country.numeric,
            "name_en": getattr(country, "common_name", None) or country.name,
            "name_iso": country.name,
            # The common name where ISO has one, as for English: Taiwan, not "Taiwan, Provinsi China".
            "name_id": indonesian.gettext(getattr(country, "common_name", None) or country.name),
        }
        for country in pycountry.countries
    ]
    return pd.DataFrame(rows).sort_values("iso3", ignore_index=True)


@cache
def country_lookup() -> dict[str, str]:
    """Normalised name → ISO3, over ISO names, Indonesian names and variants."""
    lookup: dict[str, str] = {}

    def add(name: str | None, iso3: str) -> None:
        if not name:
            return
        key = label_key(name)
        if lookup.setdefault(key, iso3) != iso3:
            raise AmbiguousNameError(f"{name!r} names both {lookup[key]} and {iso3}")

    indonesian = _indonesian()
    for country in pycountry.countries:
        iso3 = country.alpha_3
        add(iso3, iso3)
        for attribute in ("name", "common_name", "official_name"):
            name = getattr(country, attribute, None)
            add(name, iso3)
            if name:
                add(indonesian.gettext(name), iso3)
    for name, iso3 in NAME_VARIANTS.items():
        add(name, iso3)
    return lookup


def countries_to_iso3(names: pd.Series, allow_rest_of_world: bool = False) -> pd.Series:
    """ISO3 code of each country name; NA where the name is unknown."""
    lookup = country_lookup()
    if allow_rest_of_world:
        lookup = lookup | {label_key(name): REST_OF_WORLD for name in REST_OF_WORLD_NAMES}
    return map_labels(names, lookup)
