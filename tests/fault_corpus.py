"""Faulty deliveries as ministries really send them, one compact definition each (issue 13).

Each `Fault` is a file for one source and the exact outcome it must have: the lines rejected and
why (a substring of the reason), how many lines are accepted, or that the file is refused (a
substring of the error). `tests/test_faults.py` reads every fault through the real reader,
validation and the all-or-nothing rule of aggregate sources.
"""

import csv
import io
import json
from dataclasses import dataclass, field

from sdmi_pipeline.ingest import Source
from sdmi_pipeline.readers.kemnaker_permits import SPEC_COLUMNS as TKA_COLUMNS
from sdmi_pipeline.readers.kp2mi_placements import SPEC_COLUMNS as PMI_COLUMNS
from sdmi_pipeline.sources import (
    BI_REMITTANCES,
    BPS_GDP,
    BPS_POPULATION,
    KEMNAKER_PERMITS,
    KP2MI_PLACEMENTS,
    KP2MI_PUBLISHED,
    MGI_ASSESSMENTS,
    UNHCR_POPULATION,
    UNHCR_SNAPSHOT,
)
from tests.test_reader_bi import BODY as BI_BODY
from tests.test_reader_bi import table as bi_table
from tests.test_reader_bps import answer as bps_answer
from tests.test_reader_bps import key as bps_key
from tests.test_reader_kemnaker import VALID as TKA_VALID
from tests.test_reader_kp2mi import VALID as PMI_VALID
from tests.test_reader_kp2mi_published import by_country
from tests.test_reader_unhcr import HEADER as SNAPSHOT_HEADER
from tests.test_reader_unhcr import coa_item, coo_item, page, snapshot_row
from tests.workbooks import workbook_bytes


@dataclass(frozen=True)
class Fault:
    """A faulty file and what must become of it."""

    id: str
    source: Source
    name: str
    content: bytes
    rejected: dict[int, str] = field(default_factory=dict)  # line → part of its reason
    accepted: int = 0  # lines accepted
    refused: str | None = None  # part of the error when the file is refused whole


def delimited(header: list[str], rows: list[list[str]], delimiter: str = ",") -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    return buffer.getvalue()


# --- KP2MI placements (spec §2.1) ----------------------------------------------------------------

PMI_NAME = "penempatan_pmi_2023_01.csv"
PMI_HEADER = list(PMI_COLUMNS)


def pmi_row(number: int, **changes: str) -> list[str]:
    values = PMI_VALID | {"id_pmi": f"PMI-{number:03d}"} | changes
    return [values[column] for column in PMI_HEADER]


def pmi_lines(count: int, **changes: str) -> list[str]:
    """The header and `count` valid rows as text lines (lines 1 … count + 1)."""
    return delimited(PMI_HEADER, [pmi_row(number, **changes) for number in range(count)]).splitlines()


def pmi(lines: list[str], encoding: str = "utf-8") -> bytes:
    return ("\n".join(lines) + "\n").encode(encoding)


def _stray_quote() -> bytes:
    lines = pmi_lines(40)
    lines[3] = lines[3].replace("Caregiver", '"Care giver')  # line 4 opens a quote …
    lines[33] = lines[33].replace("Caregiver", 'Care"giver')  # … that line 34 closes
    return pmi(lines)


def _mixed_encoding() -> bytes:
    lines = [line.encode() for line in pmi_lines(4, negara_penempatan="Türkiye")]
    lines[2] = lines[2].replace("Türkiye".encode(), "Türkiye".encode("cp1252"))  # line 3 in Windows-1252
    lines[4] = lines[4].replace(b"PMI-003", b"PMI-\x81\x8d")  # line 5: neither
    return b"\n".join(lines) + b"\n"


def _multiline_value() -> bytes:
    lines = pmi_lines(3)
    lines[2] = lines[2].replace("Caregiver", '"Care\ngiver"')  # lines 3-4: one record
    return pmi(lines)


def _truncated() -> bytes:
    text = pmi(pmi_lines(3))
    return text[: text.rindex(b",Jawa")]  # the transfer stopped mid-row on line 4


PMI_FAULTS = [
    Fault(
        "pmi-stray-quote",
        KP2MI_PLACEMENTS,
        PMI_NAME,
        _stray_quote(),
        rejected=dict.fromkeys(
            range(4, 35), "quoting error: a quoted value opened on line 4 closes only on line 34"
        ),
        accepted=9,
    ),
    Fault(
        "pmi-quote-never-closed",
        KP2MI_PLACEMENTS,
        PMI_NAME,
        pmi([*pmi_lines(3)[:3], pmi_lines(3)[3].replace("Caregiver", '"Caregiver')]),
        rejected={4: "a quoted value opened on line 4 is never closed"},
        accepted=2,
    ),
    Fault("pmi-multiline-value", KP2MI_PLACEMENTS, PMI_NAME, _multiline_value(), accepted=3),
    Fault(
        "pmi-mixed-encoding",
        KP2MI_PLACEMENTS,
        PMI_NAME,
        _mixed_encoding(),
        rejected={5: "line is neither UTF-8 nor Windows-1252 text"},
        accepted=3,
    ),
    Fault(
        "pmi-windows-1252",
        KP2MI_PLACEMENTS,
        PMI_NAME,
        pmi(pmi_lines(3, negara_penempatan="Türkiye"), "cp1252"),
        accepted=3,
    ),
    Fault(
        "pmi-utf16-bom",
        KP2MI_PLACEMENTS,
        PMI_NAME,
        "\n".join(pmi_lines(2)).encode("utf-16"),
        refused="the file is UTF-16 little-endian (byte order mark FF FE)",
    ),
    Fault(
        "pmi-utf16-no-bom",
        KP2MI_PLACEMENTS,
        PMI_NAME,
        "\n".join(pmi_lines(2)).encode("utf-16-le"),
        refused="UTF-16 without a byte order mark",
    ),
    Fault(
        "pmi-tab-delimited",
        KP2MI_PLACEMENTS,
        PMI_NAME,
        delimited(PMI_HEADER, [pmi_row(1)], "\t").encode(),
        refused="line 1: the delimiter is tab; the spec (section 0) allows comma or semicolon",
    ),
    Fault(
        "pmi-xlsx-under-csv-name",
        KP2MI_PLACEMENTS,
        PMI_NAME,
        b"PK\x03\x04\x14\x00\x06\x00" + bytes(range(256)),
        refused="a binary file, a zip archive (an .xlsx workbook?), under a text file name",
    ),
    Fault(
        "pmi-nul-bytes",
        KP2MI_PLACEMENTS,
        PMI_NAME,
        pmi(pmi_lines(2)) + b"\x00\x01\x02garbage",
        refused="a binary file under a text file name (NUL byte at byte",
    ),
    Fault("pmi-empty-file", KP2MI_PLACEMENTS, PMI_NAME, b"", refused="the file is empty"),
    Fault("pmi-header-only", KP2MI_PLACEMENTS, PMI_NAME, pmi(pmi_lines(0))),
    Fault(
        "pmi-truncated-mid-row",
        KP2MI_PLACEMENTS,
        PMI_NAME,
        _truncated(),
        rejected={4: "line has 6 of the header's 12 values (cut short?)"},
        accepted=2,
    ),
    Fault(
        "pmi-extra-delimiter",
        KP2MI_PLACEMENTS,
        PMI_NAME,
        pmi([*pmi_lines(2), ",".join(pmi_row(7, kabupaten_asal="Cilacap, Jawa Tengah"))]),
        rejected={4: "line has 13 values, the header has 12"},
        accepted=2,
    ),
    Fault(
        "pmi-oversized-field",
        KP2MI_PLACEMENTS,
        PMI_NAME,
        pmi([*pmi_lines(2), ",".join(pmi_row(7, kabupaten_asal="x" * 1_000_000))]),
        rejected={4: "longer than 200 characters"},
        accepted=2,
    ),
    Fault(
        "pmi-date-outside-month",
        KP2MI_PLACEMENTS,
        PMI_NAME,
        pmi([*pmi_lines(2), ",".join(pmi_row(7, tanggal_penempatan="31/02/2023"))]),
        rejected={4: "neither YYYY-MM-DD nor DD/MM/YYYY"},
        accepted=2,
    ),
    Fault(
        "pmi-unknown-country",
        KP2MI_PLACEMENTS,
        PMI_NAME,
        pmi([*pmi_lines(2), ",".join(pmi_row(7, negara_penempatan="Narnia"))]),
        rejected={4: "destination country is missing or not a known country name"},
        accepted=2,
    ),
]


# --- Kemnaker permits, UNHCR snapshots, MGI, GDP: text faults -------------------------------------

TKA_HEADER = list(TKA_COLUMNS)


def tka_row(number: int, **changes: str) -> list[str]:
    values = TKA_VALID | {"no_notifikasi": f"KT-2023-{number:06d}"} | changes
    return [values[column] for column in TKA_HEADER]


def tka(*rows: list[str], delimiter: str = ";") -> bytes:
    return delimited(TKA_HEADER, [tka_row(1), *rows], delimiter).encode("cp1252")


MGI_HEADER = ["indikator_id", "domain", "pertanyaan", "jawaban", "justifikasi", "sumber", "sorotan"]


def mgi_row(number: int, **changes: str) -> list[str]:
    values = {
        "indikator_id": f"1.1.{number}",
        "domain": "1",
        "pertanyaan": "Apakah ada undang-undang migrasi?",
        "jawaban": "Ya",
        "justifikasi": "UU 18/2017",
        "sumber": "ILUSTRASI",
        "sorotan": "0",
    } | changes
    return [values[column] for column in MGI_HEADER]


TEXT_FAULTS = [
    Fault(
        "tka-repeated-permit",
        KEMNAKER_PERMITS,
        "tka_2023.csv",
        tka(tka_row(1)),
        rejected={3: "no_notifikasi"},
        accepted=1,
    ),
    Fault(
        "tka-end-before-start",
        KEMNAKER_PERMITS,
        "tka_2023.csv",
        tka(tka_row(2, tanggal_akhir="2022-12-31")),
        rejected={3: "tanggal_akhir"},
        accepted=1,
    ),
    Fault(
        "tka-utf16",
        KEMNAKER_PERMITS,
        "tka_2023.csv",
        tka().decode("cp1252").encode("utf-16"),
        refused="UTF-16",
    ),
    Fault(
        "mgi-oversized-justification",
        MGI_ASSESSMENTS,
        "mgi_nasional_IDN_2023.csv",
        delimited(MGI_HEADER, [mgi_row(1), mgi_row(2, justifikasi="=cmd|' /C calc'!A0" * 2000)]).encode(),
        rejected={3: "longer than 4000 characters"},
        accepted=1,
    ),
    Fault(
        "mgi-stray-quote",
        MGI_ASSESSMENTS,
        "mgi_nasional_IDN_2023.csv",
        delimited(MGI_HEADER, [mgi_row(number) for number in range(1, 6)])
        .replace("1.1.2,1,Apakah", '1.1.2,1,"Apakah')
        .encode(),
        rejected=dict.fromkeys(range(3, 7), "a quoted value opened on line 3 is never closed"),
        accepted=1,
    ),
]


# --- Aggregates: UNHCR answers and snapshots, BPS answers, printed tables, GDP -------------------
# One bad cell refuses the whole file (accepted 0); `rejected` names every bad cell's line.

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
