"""Reference code lists (spec §1): sex, scheme, sector and the other small lists, in both languages."""

import re

import pandas as pd
import pytest

from sdmi_pipeline.contracts.contract import contracts
from sdmi_pipeline.reference import codes
from sdmi_pipeline.reference.code_lists import age_group_table, code_table
from sdmi_pipeline.reference.normalise import label_key, map_labels

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
    assert ages.iloc[-1].tolist() == ["Y_GE50", 50, 200, "50 years and over", "50 tahun ke atas", "50+"]
    assert ages.iloc[2]["short_label"] == "30\u201334"  # the chart axis form, an en dash
    statuses = table[table.code_list == "obs_status"]
    assert statuses.code.tolist() == ["A", "P", "E", "B", "C", "M"] and statuses.note_en.notna().all()


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
