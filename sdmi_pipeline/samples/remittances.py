"""Sample raw files for Bank Indonesia's remittances and GDP in USD (spec §2.6).

- `bi/remitansi_pmi.xlsx`: remittances from Indonesian migrant workers by host country, 2022, USD
  million, laid out like a table of Bank Indonesia's SEKI (title rows, quarter headers `Tw I 2022`,
  a `Total` column and a closing `Total` row, a note under the table).
  **Published figures** (Bank Indonesia, 2022, by host country): Saudi Arabia 2,830, Malaysia
  2,570, Taiwan 1,470, Hong Kong 1,370, Singapore 607, United Arab Emirates 199, Jordan 195;
  9,710 in all, so `Lainnya` (the rest of the world) is 469.
  **Illustrative**: the quarterly split, which that source does not give. Every host gets the
  same quarterly pattern, QUARTER_SHARES (the second quarter highest: Idul Fitri fell on
  2 May 2022 and workers send more before it), rounded to USD 10,000 (two decimals) so that the
  quarters sum exactly to the published annual value.
- `bps/pdb_usd.csv`: GDP of Indonesia at current prices, USD million. **Published figures**:
  World Bank, World Development Indicators, NY.GDP.MKTP.CD (GDP, current US$), which converts
  BPS's national accounts at the annual average exchange rate: 2022 USD 1,319,100,220,000 and
  2023 USD 1,371,171 million (rounded to the million); WDI revises these figures.
  BPS does not publish its GDP in USD in this layout; the file stands in for it.

`check_remittance_samples` reads the files back through the pipeline's readers and raises
`SampleCheckError` unless the published figures come back exactly. The bytes written are the
same on every run.
"""

import io
import zipfile
from datetime import datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import openpyxl
from openpyxl.styles import Font
from openpyxl.writer.excel import ExcelWriter

from sdmi_pipeline.ingest.sample_marker import mark
from sdmi_pipeline.samples.files import expect, write_and_check

# Bank Indonesia's 2022 remittances from Indonesian migrant workers by host country, USD million,
# keyed by the label the table prints (Indonesian).
REMITTANCES_2022 = {
    "Arab Saudi": ("SAU", Decimal(2830)),
    "Malaysia": ("MYS", Decimal(2570)),
    "Taiwan": ("TWN", Decimal(1470)),
    "Hongkong": ("HKG", Decimal(1370)),
    "Singapura": ("SGP", Decimal(607)),
    "Uni Emirat Arab": ("ARE", Decimal(199)),
    "Yordania": ("JOR", Decimal(195)),
}
REMITTANCES_2022_TOTAL = Decimal(9710)
REST_OF_WORLD_LABEL = "Lainnya"
# Illustrative quarterly pattern (not published): shares of the year, Q1 to Q4.
QUARTER_SHARES = (Decimal("0.236"), Decimal("0.262"), Decimal("0.248"), Decimal("0.254"))
QUARTER_HEADERS = ("Tw I 2022", "Tw II 2022", "Tw III 2022", "Tw IV 2022")
CENT = Decimal("0.01")  # of a million: USD 10,000
# World Bank WDI NY.GDP.MKTP.CD for Indonesia, USD million.
GDP_USD_MILLION = {2022: Decimal("1319100.22"), 2023: Decimal("1371171")}
FIXED_TIME = datetime(2024, 1, 15, 9, 0, 0)  # document properties, so the bytes do not change


def annual_by_host() -> dict[str, Decimal]:
    """Printed label → 2022 value, `Lainnya` the rest of the published total."""
    published = {label: value for label, (_, value) in REMITTANCES_2022.items()}
    return published | {REST_OF_WORLD_LABEL: REMITTANCES_2022_TOTAL - sum(published.values())}


def quarterly_split(annual: Decimal) -> list[Decimal]:
    """`annual` over the four quarters by QUARTER_SHARES, to the cent, summing exactly to it.

    Each quarter is rounded down; the cents left over go to the quarters with the largest
    remainders (the largest remainder method), earlier quarters first on ties.
    """
    exact = [annual * share for share in QUARTER_SHARES]
    floors = [value.quantize(CENT, rounding="ROUND_FLOOR") for value in exact]
    left_over = int((annual - sum(floors)) / CENT)
    order = sorted(range(4), key=lambda quarter: (-(exact[quarter] - floors[quarter]), quarter))
    for quarter in order[:left_over]:
        floors[quarter] += CENT
    return floors


def remittance_table() -> list[list[Any]]:
    """The sheet's rows: title, header, hosts, Total row, note."""
    hosts = [[label, *quarterly_split(value), value] for label, value in annual_by_host().items()]
    totals = [sum((row[column] for row in hosts), Decimal(0)) for column in range(1, 6)]
    return [
        ["REMITANSI PEKERJA MIGRAN INDONESIA (PMI) MENURUT NEGARA PENEMPATAN"],
        ["Remittances of Indonesian migrant workers by host country"],
        ["(Juta USD / USD million)"],
        [],
        ["Negara", *QUARTER_HEADERS, "Total"],
        *hosts,
        ["Total", *totals],
        [],
        ["Catatan: angka tahunan 2022 menurut negara penempatan dari Bank Indonesia; rincian triwulanan"],
        ["adalah ilustrasi (sampel SDMI), bukan angka Bank Indonesia."],
        ["Sumber: Bank Indonesia"],
    ]


def _stable_zip(content: bytes) -> bytes:
    """The same zip with every entry dated FIXED_TIME, so that equal content gives equal bytes."""
    stable = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(content)) as source,
        zipfile.ZipFile(stable, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for entry in source.infolist():
            info = zipfile.ZipInfo(entry.filename, date_time=FIXED_TIME.timetuple()[:6])
            info.compress_type = zipfile.ZIP_DEFLATED
            target.writestr(info, source.read(entry.filename))
    return stable.getvalue()


def remittance_workbook() -> bytes:
    """`bi/remitansi_pmi.xlsx` as bytes: numbers as numeric cells with two decimals shown."""
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "Remitansi PMI"
    for row in remittance_table():
        sheet.append([float(value) if isinstance(value, Decimal) else value for value in row])
    header_row = 5
    for cell in sheet[header_row]:
        cell.font = Font(bold=True)
    for row in sheet.iter_rows(min_row=header_row + 1, max_row=header_row + len(annual_by_host()) + 1):
        for cell in row[1:]:
            cell.number_format = "#,##0.00"
    sheet.column_dimensions["A"].width = 22
    workbook.properties.creator = "SDMI sample (sdmi_pipeline/sample_remittances.py)"
    workbook.properties.created = workbook.properties.modified = FIXED_TIME
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        ExcelWriter(workbook, archive).save()
    return _stable_zip(buffer.getvalue())


def gdp_csv() -> str:
    """`bps/pdb_usd.csv`: comma-delimited, decimal point."""
    lines = ["tahun,pdb_usd_juta", *(f"{year},{value}" for year, value in GDP_USD_MILLION.items())]
    return "\n".join(lines) + "\n"


def write_remittance_samples(raw_root: Path) -> list[Path]:
    """Write `bi/remitansi_pmi.xlsx` and `bps/pdb_usd.csv` under `raw_root`; return their paths."""
    raw_root = Path(raw_root)
    workbook = raw_root / "bi" / "remitansi_pmi.xlsx"
    gdp = raw_root / "bps" / "pdb_usd.csv"
    for path in (workbook, gdp):
        path.parent.mkdir(parents=True, exist_ok=True)
    workbook.write_bytes(remittance_workbook())
    gdp.write_text(gdp_csv(), encoding="utf-8")
    note = "published annual figures; the quarterly split is illustrative"
    return mark([workbook, gdp], "sdmi_pipeline.samples.remittances", note, 1.0)


def check_remittance_samples(raw_root: Path) -> dict[str, Any]:
    """Read the files back with the pipeline's readers; raise SampleCheckError unless the
    published figures come back exactly."""
    from sdmi_pipeline.ingest.readers.bi_remittances import read_remittance_table
    from sdmi_pipeline.ingest.readers.bps_gdp import read_gdp_file

    raw_root = Path(raw_root)
    remittances = read_remittance_table(raw_root / "bi" / "remitansi_pmi.xlsx")
    expect(remittances.issues.empty, f"remitansi_pmi.xlsx: issues {remittances.issues.to_dict('records')}")
    rows = remittances.rows
    annual = rows.groupby("host")["value_usd_million"].sum()
    for code, value in REMITTANCES_2022.values():
        expect(annual[code] == value, f"remittances 2022 {code}: {annual[code]}, published {value}")
    total = sum(annual)
    expect(total == REMITTANCES_2022_TOTAL, f"remittances 2022: {total}, published {REMITTANCES_2022_TOTAL}")
    quarters = rows.groupby("quarter")["value_usd_million"].sum()
    gdp = read_gdp_file(raw_root / "bps" / "pdb_usd.csv")
    expect(gdp.issues.empty, f"pdb_usd.csv: issues {gdp.issues.to_dict('records')}")
    by_year = dict(zip(gdp.rows["year"], gdp.rows["gdp_usd_million"], strict=True))
    expect(by_year == GDP_USD_MILLION, f"pdb_usd.csv: {by_year}, published {GDP_USD_MILLION}")
    share = 100 * total / by_year[2022]
    return {
        "remittances 2022 (USD million)": f"{total:,}",
        "by quarter": ", ".join(f"{quarter} {value:,}" for quarter, value in quarters.items()),
        "rest of the world (Lainnya)": f"{annual['_O']:,}",
        "GDP 2022 (USD million)": f"{by_year[2022]:,}",
        "remittances / GDP 2022 (%)": f"{share:.4f}",
    }


def main(argv: list[str] | None = None) -> None:
    """`python -m sdmi_pipeline.samples.remittances [raw_root]`: write the files, then check them."""
    write_and_check(write_remittance_samples, check_remittance_samples, argv)


if __name__ == "__main__":
    main()
