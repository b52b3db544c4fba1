"""Faulty deliveries of aggregates (issue 13): UNHCR answers and snapshots, BPS answers, printed
tables and GDP. One bad cell refuses the whole file (accepted 0); `rejected` names every bad cell's
line. See `fault_corpus` for the `Fault` definition and the record-level faults.
"""

import json

from sdmi_pipeline.ingest.sources import (
    BI_REMITTANCES,
    BPS_GDP,
    BPS_POPULATION,
    KP2MI_PUBLISHED,
    UNHCR_POPULATION,
    UNHCR_SNAPSHOT,
)
from tests.bps_answers import answer as bps_answer
from tests.bps_answers import key as bps_key
from tests.fault_corpus import Fault, delimited
from tests.test_reader_bi import BODY as BI_BODY
from tests.test_reader_bi import table as bi_table
from tests.test_reader_kp2mi_published import by_country
from tests.unhcr_files import HEADER as SNAPSHOT_HEADER
from tests.unhcr_files import coa_item, coo_item, page, snapshot_row
from tests.workbooks import workbook_bytes

COA = "population_coa_IDN_2023.json"
COO = "population_coo_IDN_2023.json"
MYANMAR = {"coo_iso": "MMR", "coo_name": "Myanmar"}
SOMALIA = {"coo_iso": "SOM", "coo_name": "Somalia"}


def answer(*items: dict) -> bytes:
    return json.dumps(page(list(items))).encode()


def pages(*pages_items: list[dict], total: int | None = None) -> bytes:
    count = sum(len(items) for items in pages_items)
    return json.dumps(
        [
            page(items, number=number, max_pages=len(pages_items), total=count if total is None else total)
            for number, items in enumerate(pages_items, 1)
        ]
    ).encode()


SNAPSHOT = "snapshot_indonesia_2023_07.csv"


def snapshot(*rows: list[str]) -> bytes:
    good = [snapshot_row(), snapshot_row(location="Batam"), snapshot_row(sex="Female")]
    return delimited(SNAPSHOT_HEADER, [*good, *rows]).encode()


BPS_NAME = "penduduk_1975_2023.json"
BPS_FIGURES = {(3300, 1): 18627.4, (3300, 2): 18520.1, (3300, 3): 37147.5}


def bps(**changes: object) -> bytes:
    figures = {bps_key(vervar, turvar): value for (vervar, turvar), value in BPS_FIGURES.items()}
    return json.dumps(bps_answer(figures | changes)).encode()


PUBLISHED = "penempatan_menurut_negara_2022.xlsx"


def published_table(row: int, label: object) -> bytes:
    rows = by_country()
    rows[row][1] = label
    return workbook_bytes({"Tabel": rows})


GDP = "pdb_usd.csv"


def gdp(*rows: str) -> bytes:
    return "\n".join(["tahun,pdb_usd_juta", "2022,1319100.22", *rows]).encode() + b"\n"


ATLANTIS = ["Atlantis", 1, 1, 2]

AGGREGATE_FAULTS = [
    Fault(
        "unhcr-thousands-separator",
        UNHCR_POPULATION,
        COA,
        answer(coa_item(), coa_item(refugees="6,275", **SOMALIA)),
        rejected={2: 'refugees "6,275" is not a whole number'},
    ),
    Fault(
        "unhcr-negative-count",
        UNHCR_POPULATION,
        COA,
        answer(coa_item(), coa_item(asylum_seekers=-3, **SOMALIA)),
        rejected={2: "asylum_seekers count is negative"},
    ),
    Fault(
        "unhcr-fractional-count",
        UNHCR_POPULATION,
        COA,
        answer(coa_item(refugees=12.5), coa_item(**SOMALIA)),
        rejected={1: 'refugees "12.5" is not a whole number'},
    ),
    Fault(
        "unhcr-origin-repeated-on-another-page",
        UNHCR_POPULATION,
        COA,
        pages([coa_item(), coa_item(**MYANMAR)], [coa_item(refugees=5)]),
        rejected={3: "AFG of 2023 is already on line 1: a key given twice would be counted twice"},
    ),
    Fault(
        "unhcr-total-does-not-reconcile",
        UNHCR_POPULATION,
        COA,
        answer(coa_item(), coa_item(**SOMALIA), coa_item(coo_iso="-", coo_name="-", refugees=13912)),
        rejected={
            3: 'refugees: the row aggregated over all origins ("-") says 13,912 but the origins of 2023 '
            "sum to 14,206"
        },
    ),
    Fault(
        "unhcr-total-that-reconciles",
        UNHCR_POPULATION,
        COA,
        answer(
            coa_item(),
            coa_item(**SOMALIA),
            coa_item(coo_iso="-", coo_name="-", refugees=14206, asylum_seekers=302),
        ),
        accepted=3,
    ),
    Fault(
        "unhcr-aggregated-over-countries-of-asylum",
        UNHCR_POPULATION,
        COO,
        answer(coo_item(coa_iso="-", coa_name="-", refugees=9710)),
        accepted=1,
    ),
    Fault(
        "unhcr-total-given-twice",
        UNHCR_POPULATION,
        COO,
        answer(coo_item(coa_iso="-", coa_name="-"), coo_item(coa_iso="-", coa_name="-")),
        rejected={2: 'the total ("-") of 2023 is already on line 1'},
    ),
    Fault(
        "unhcr-page-missing",
        UNHCR_POPULATION,
        COA,
        pages([coa_item()], [])[:-60] + b"]",
        refused="not valid JSON",
    ),
    Fault(
        "unhcr-pages-disagree-on-total",
        UNHCR_POPULATION,
        COA,
        json.dumps([page([coa_item()], 1, 2, 2), page([coa_item(**SOMALIA)], 2, 2, 3)]).encode(),
        refused="the pages disagree on total: 2, 3",
    ),
    Fault(
        "unhcr-second-page-missing",
        UNHCR_POPULATION,
        COA,
        json.dumps([page([coa_item()], 1, 2, 1)]).encode(),
        refused="page 2 of 2 is missing",
    ),
    Fault(
        "unhcr-utf16", UNHCR_POPULATION, COA, answer(coa_item()).decode().encode("utf-16"), refused="UTF-16"
    ),
    Fault("unhcr-empty-file", UNHCR_POPULATION, COA, b"", refused="not valid JSON"),
    Fault(
        "snapshot-duplicated-row",
        UNHCR_SNAPSHOT,
        SNAPSHOT,
        snapshot(snapshot_row()),
        rejected={5: "the same origin, population type, sex, age group and location as line 2"},
    ),
    Fault(
        "snapshot-thousands-separator",
        UNHCR_SNAPSHOT,
        SNAPSHOT,
        snapshot(snapshot_row(location="Medan", count="6,275")),
        rejected={5: 'count "6,275" is not a whole number'},
    ),
    Fault(
        "snapshot-negative-and-unknown",
        UNHCR_SNAPSHOT,
        SNAPSHOT,
        snapshot(snapshot_row(location="Medan", count="-2"), snapshot_row(country_of_origin="Narnia")),
        rejected={5: "count is negative", 6: "country of origin is missing or not a known country"},
    ),
    Fault(
        "snapshot-stray-quote",
        UNHCR_SNAPSHOT,
        SNAPSHOT,
        snapshot() + b'Afghanistan,Refugee,Male,18-59,"Medan,5\n',
        rejected={5: "a quoted value opened on line 5 is never closed"},
    ),
    Fault("snapshot-header-only", UNHCR_SNAPSHOT, SNAPSHOT, delimited(SNAPSHOT_HEADER, []).encode()),
    Fault(
        "bps-thousands-separator",
        BPS_POPULATION,
        BPS_NAME,
        bps(**{bps_key(3300, 3): "37,147.5"}),
        rejected={3: 'datacontent_value "37,147.5" is not a number'},
    ),
    Fault(
        "bps-negative",
        BPS_POPULATION,
        BPS_NAME,
        bps(**{bps_key(3300, 1): -1.5}),
        rejected={1: "population is negative"},
    ),
    Fault(
        "bps-ambiguous-keys",
        BPS_POPULATION,
        BPS_NAME,
        json.dumps(
            bps_answer(
                {bps_key(3300, 1): 1.0},
                vervar=[(3300, "JAWA TENGAH")],
                turvar=[(1, "Laki-laki"), (11, "Perempuan")],
                tahun=[(23, "1923"), (123, "2023")],
            )
        ).encode(),
        refused="ambiguous answer: datacontent key 3300197511230 is written both by",
    ),
    Fault(
        "kp2mi-table-unknown-label",
        KP2MI_PUBLISHED,
        PUBLISHED,
        published_table(6, "Atlantis"),
        rejected={7: 'unknown country "Atlantis"'},
    ),
    Fault(
        "kp2mi-table-label-repeats-a-code",
        KP2MI_PUBLISHED,
        PUBLISHED,
        published_table(6, "Hong Kong"),
        rejected={7: "is HKG, already given by sheet row 5"},
    ),
    Fault(
        "kp2mi-table-bad-number",
        KP2MI_PUBLISHED,
        PUBLISHED,
        workbook_bytes(
            {
                "Tabel": [
                    *by_country()[:5],
                    [2, "Taiwan", "3.550", "12 345", "4.120", "7.670"],
                    *by_country()[6:],
                ]
            }
        ),
        refused="is not a whole number",
    ),
    Fault(
        "bi-unknown-country",
        BI_REMITTANCES,
        "remitansi_pmi.xlsx",
        workbook_bytes(
            {"Tabel": bi_table([*BI_BODY, ATLANTIS], ["Total", "2,041.80", "1,681.95", "3,113.25"])}
        ),
        rejected={9: "host country is missing or not a known country name"},
    ),
    Fault(
        "bi-total-does-not-reconcile",
        BI_REMITTANCES,
        "remitansi_pmi.xlsx",
        workbook_bytes({"Tabel": bi_table(BI_BODY, ["Total", "2,040.80", "1,780.95", "3,111.25"])}),
        refused="totals that do not add up",
    ),
    Fault("gdp-negative", BPS_GDP, GDP, gdp("2023,-1"), rejected={3: "pdb_usd_juta"}),
    Fault("gdp-year-repeated", BPS_GDP, GDP, gdp("2022,1319100.22"), rejected={3: "tahun"}),
    Fault(
        "gdp-year-not-whole",
        BPS_GDP,
        GDP,
        gdp("2023*,1371171.15"),
        rejected={3: 'tahun "2023*" is not a year'},
    ),
    Fault(
        "gdp-binary",
        BPS_GDP,
        GDP,
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(64),
        refused="an old Excel (.xls)",
    ),
]
