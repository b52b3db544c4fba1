"""Faulty deliveries as ministries really send them, one compact definition each (issue 13).

Each `Fault` is a file for one source and the exact outcome it must have: the lines rejected and
why (a substring of the reason), how many lines are accepted, or that the file is refused (a
substring of the error). `tests/test_faults.py` reads every fault through the real reader,
validation and the all-or-nothing rule of aggregate sources.
"""

import csv
import io
from dataclasses import dataclass, field

from sdmi_pipeline.ingest.loading import Source
from sdmi_pipeline.ingest.readers.kemnaker_permits import SPEC_COLUMNS as TKA_COLUMNS
from sdmi_pipeline.ingest.readers.kp2mi_placements import SPEC_COLUMNS as PMI_COLUMNS
from sdmi_pipeline.ingest.sources import (
    KEMNAKER_PERMITS,
    KP2MI_PLACEMENTS,
    MGI_ASSESSMENTS,
)
from tests.kp2mi_rows import VALID as PMI_VALID
from tests.test_reader_kemnaker import VALID as TKA_VALID


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
