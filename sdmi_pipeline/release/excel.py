"""The workbook for ministries: `xlsx/sdmi_<vintage>.xlsx` (docs/release.md, Excel).

A cover sheet (release date, sources, legend of symbols, in Indonesian and English), a contents sheet
with links, then one formatted sheet per view of the reading layer (`report.*`): frozen header,
number formats, widths. Values stay numbers; the symbols are what a cell shows:

- `-` nil: a zero, shown by the number format (the cell holds 0);
- `..` not available: a missing value that disclosure control did not withhold;
- `C` confidential: a value withheld by disclosure control (status confidential);
- `P` provisional: shown after the number (`1,234 P`) by the number format of a provisional row.

A view's status is its column `status` (a code of the list obs_status: `A`, `P`, `C`, `M`) or a
label (`Sementara`, `Provisional`, ...). A status column `<prefix>_status...` marks the measures
named `<prefix>...`: `status` every measure, `latest_status_label_en` only `latest_value`,
`women_percent_status` only `women_percent`. Key
columns (`year`, `month`, `quarter`, `objective`, `domain`, `..._year`) are plain integers, blank
when NULL (a row of a whole year has no month), never a symbol. A total row (code `_T`) is bold.

Text from a delivery that starts with `=`, `+`, `-`, `@` (or a tab or carriage return) is written
as a string cell with Excel's quote prefix, so it is shown as typed and never becomes a formula.
"""

import math
from dataclasses import dataclass
from pathlib import Path

import duckdb
import xlsxwriter
from xlsxwriter.format import Format
from xlsxwriter.worksheet import Worksheet

from sdmi_pipeline.reference.labels import Labels
from sdmi_pipeline.release.carry import Carry
from sdmi_pipeline.release.figures import ILLUSTRATIVE_NOTE, illustrative_release
from sdmi_pipeline.release.layout import xlsx_name
from sdmi_pipeline.release.site.i18n import ENGLISH, INDONESIAN

REPORT_SCHEMA = "report"
NIL, NOT_AVAILABLE, CONFIDENTIAL, PROVISIONAL = "-", "..", "C", "P"
NIL_LEGEND = (NIL, "nihil: nol (sel berisi angka 0).", "nil: zero (the cell holds the number 0).")
# Each symbol shown in a cell, and the status (reference.codes, obs_status) whose note explains it.
SYMBOL_STATUSES = ((NOT_AVAILABLE, "M"), (CONFIDENTIAL, "C"), (PROVISIONAL, "P"))
COVER_NOTE = (
    "Angka disajikan setelah kontrol pengungkapan. Sel angka berisi angka; sel yang menampilkan C atau .. "
    "berisi teks, bukan angka (tidak ada nilainya), dan sel kosong tidak berisi apa pun. / "
    "Figures are shown after disclosure control. Number cells hold numbers; a cell showing C or .. holds "
    "text, not a number (it has no value), and a blank cell holds nothing."
)
# Words of the warehouse's comments as a workbook reader sees them: a NULL is a blank cell.
WORKBOOK_WORDS = {"en": {"NULL": "blank"}, "id": {"NULL": "kosong"}}
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
TOTAL_LABEL, TOTAL_CODE = "Jumlah / Total", "_T"
KEY_COLUMNS = ("year", "month", "quarter", "objective", "domain")
CONTENTS_SHEET, COVER_SHEET = "Daftar isi - Contents", "Sampul - Cover"
HEADER_ROW = 2  # title on row 0, link to the contents on row 1
MIN_WIDTH, MAX_WIDTH = 6, 60
INTEGER_TYPES = ("TINYINT", "SMALLINT", "INTEGER", "BIGINT", "HUGEINT", "UTINYINT", "USMALLINT", "UINTEGER")
# How a row's status reads: a code or a label in either language.
STATUS_SQL = """CASE
    WHEN upper(trim({c})) = 'C' OR lower({c}) LIKE '%confidential%' OR lower({c}) LIKE '%rahasia%' THEN 'C'
    WHEN upper(trim({c})) = 'P' OR lower({c}) LIKE '%provisional%' OR lower({c}) LIKE '%sementara%' THEN 'P'
    END"""


@dataclass(frozen=True)
class Column:
    name: str
    data_type: str

    @property
    def is_key(self) -> bool:
        """A year, month or number that names a row rather than measures something."""
        return self.data_type.startswith(INTEGER_TYPES) and (
            self.name in KEY_COLUMNS or self.name.endswith("_year")
        )

    @property
    def number_format(self) -> str | None:
        """Thousands separators; the decimals of a DECIMAL, or one to three for a DOUBLE; zero as `-`."""
        if self.is_key:
            return "0"
        if self.data_type.startswith(INTEGER_TYPES):
            body = "#,##0"
        elif self.data_type.startswith("DECIMAL"):
            scale = int(self.data_type.rstrip(")").split(",")[-1])
            body = "#,##0" + ("." + "0" * scale if scale else "")
        elif self.data_type in ("DOUBLE", "FLOAT", "REAL"):
            body = "#,##0.0##"
        else:
            return None
        return body


def is_status(name: str) -> bool:
    return "status" in name.split("_")


def status_of_measures(columns: list[Column]) -> dict[str, str]:
    """Measure column -> the status column that marks it (the first of the longest prefix it starts with)."""
    by_prefix: dict[str, str] = {}
    for column in columns:
        if is_status(column.name):
            by_prefix.setdefault(column.name[: column.name.index("status")].rstrip("_"), column.name)
    marked = {}
    for column in columns:
        prefixes = [prefix for prefix in by_prefix if column.name.startswith(prefix)]
        if column.number_format is not None and not column.is_key and prefixes:
            marked[column.name] = by_prefix[max(prefixes, key=len)]
    return marked


def in_workbook_words(text: str, language: str) -> str:
    """A comment in a workbook's words (`NULL` → `blank` / `kosong`)."""
    for word, replacement in WORKBOOK_WORDS[language].items():
        text = text.replace(word, replacement)
    return text


def split_comment(comment: str | None, fallback: str) -> tuple[str, str]:
    """A warehouse comment `English | Indonesia` as (Indonesian, English), in a workbook's words."""
    if not comment:
        return fallback, fallback
    english, _, indonesian = comment.partition(" | ")
    return in_workbook_words((indonesian or english).strip(), "id"), in_workbook_words(english.strip(), "en")


def legend(labels: Labels) -> list[tuple[str, str, str]]:
    """(symbol, Indonesian, English) of every symbol a cell may show, its words from reference."""
    notes = [
        (symbol, labels.of("obs_status", status).note("id"), labels.of("obs_status", status).note("en"))
        for symbol, status in SYMBOL_STATUSES
    ]
    return [NIL_LEGEND, *((symbol, id_ or "", en or "") for symbol, id_, en in notes)]


class Formats:
    """The workbook's cell formats, made once per combination."""

    def __init__(self, workbook: xlsxwriter.Workbook) -> None:
        self.workbook = workbook
        self.cache: dict[tuple, Format] = {}

    def get(
        self, number: str | None = None, bold: bool = False, provisional: bool = False, **extra
    ) -> Format:
        key = (number, bold, provisional, tuple(sorted(extra.items())))
        if key not in self.cache:
            properties = {"bold": bold, **extra}
            if number:
                suffix = f'" {PROVISIONAL}"' if provisional else ""
                properties["num_format"] = f'{number}{suffix};-{number}{suffix};"{NIL}"{suffix}'
            self.cache[key] = self.workbook.add_format(properties)
        return self.cache[key]


def report_views(public: duckdb.DuckDBPyConnection) -> list[tuple[str, str | None]]:
    """The views of the reading layer, by name, with their comments."""
    return public.execute(
        """SELECT view_name, comment FROM duckdb_views()
           WHERE schema_name = ? AND NOT internal ORDER BY view_name""",
        [REPORT_SCHEMA],
    ).fetchall()


def sheet_names(views: list[str]) -> dict[str, str]:
    """Excel sheet names (31 characters at most, unique) for the views."""
    names: dict[str, str] = {}
    for view in views:
        name, number = view[:31], 2
        while name.lower() in {n.lower() for n in names.values()}:
            name, number = f"{view[: 31 - len(str(number)) - 1]}~{number}", number + 1
        names[view] = name
    return names


def write_text(
    sheet: Worksheet, row: int, column: int, text: str, formats: Formats, bold: bool = False
) -> None:
    """A string cell; text that Excel would read as a formula gets the quote prefix."""
    guarded = text.startswith(FORMULA_PREFIXES)
    sheet.write_string(row, column, text, formats.get(bold=bold, quote_prefix=True) if guarded else None)


def write_cover(
    workbook: xlsxwriter.Workbook, public: duckdb.DuckDBPyConnection, vintage: str, formats: Formats
) -> None:
    sheet = workbook.add_worksheet(COVER_SHEET)
    title = formats.get(bold=True, font_size=14)
    sheet.write_string(0, 0, "Satu Data Migrasi Internasional (SDMI)", title)
    sheet.write_string(
        1, 0, "Indonesia's One International Migration Data, BPS and IOM", formats.get(italic=True)
    )
    if illustrative_release(public):
        warning = f"{ILLUSTRATIVE_NOTE['id']} / {ILLUSTRATIVE_NOTE['en']}"
        sheet.write_string(2, 0, warning, formats.get(bold=True, font_color="#9C5700"))
    sheet.write_string(3, 0, "Rilis / Release", formats.get(bold=True))
    sheet.write_string(3, 1, f"{INDONESIAN.release_name(vintage)} / {ENGLISH.release_name(vintage)}")
    sources = public.execute("""
        SELECT DISTINCT trim(unnest(string_split(source, ','))) AS source FROM indicators.catalogue ORDER BY 1
    """).fetchall()
    sheet.write_string(5, 0, "Sumber data / Sources", formats.get(bold=True))
    for offset, (source,) in enumerate(sources):
        write_text(sheet, 5 + offset, 1, source, formats)
    row = 6 + len(sources)
    sheet.write_string(row, 0, "Keterangan simbol / Legend", formats.get(bold=True))
    sheet.write_row(row + 1, 0, ("Simbol / Symbol", "Indonesia", "English"), formats.get(bold=True, bottom=1))
    symbols = legend(Labels(public))
    for offset, (symbol, indonesian, english) in enumerate(symbols):
        write_text(sheet, row + 2 + offset, 0, symbol, formats, bold=True)
        sheet.write_string(row + 2 + offset, 1, indonesian)
        sheet.write_string(row + 2 + offset, 2, english)
    sheet.write_string(row + 3 + len(symbols), 0, COVER_NOTE)
    sheet.set_column(0, 0, 28)
    sheet.set_column(1, 2, 50)


def write_contents(
    workbook: xlsxwriter.Workbook, views: list[tuple[str, str, str]], formats: Formats
) -> None:
    """`views`: (sheet name, Indonesian title, English title)."""
    sheet = workbook.add_worksheet(CONTENTS_SHEET)
    sheet.write_string(0, 0, "Daftar isi / Contents", formats.get(bold=True, font_size=14))
    sheet.write_row(2, 0, ("No", "Lembar / Sheet", "Tabel", "Table"), formats.get(bold=True, bottom=1))
    link = formats.get(font_color="blue", underline=1)
    for number, (name, indonesian, english) in enumerate(views, start=1):
        row = 2 + number
        sheet.write_number(row, 0, number)
        sheet.write_url(row, 1, f"internal:'{name}'!A1", link, string=name)
        write_text(sheet, row, 2, indonesian, formats)
        write_text(sheet, row, 3, english, formats)
    sheet.freeze_panes(3, 0)
    sheet.set_column(0, 0, 5)
    sheet.set_column(1, 1, 34)
    sheet.set_column(2, 3, 70)


def write_view(
    workbook: xlsxwriter.Workbook,
    public: duckdb.DuckDBPyConnection,
    view: str,
    sheet_name: str,
    title: str,
    formats: Formats,
) -> None:
    """One sheet holding the view: title, link back, header, rows."""
    described = public.execute(f"DESCRIBE {REPORT_SCHEMA}.{view}").fetchall()
    columns = [Column(name, data_type) for name, data_type, *_ in described]
    marked = status_of_measures(columns)
    statuses = sorted(set(marked.values()))
    status_sql = "".join(f", {STATUS_SQL.format(c=f'{chr(34)}{status}{chr(34)}')}" for status in statuses)
    quoted = [f'"{c.name}"' for c in columns]
    rows = public.execute(f"SELECT {', '.join(quoted)}{status_sql} FROM {REPORT_SCHEMA}.{view}").fetchall()
    status_index = [statuses.index(marked[c.name]) if c.name in marked else None for c in columns]
    if len(rows) + HEADER_ROW + 1 > 1_048_576:
        raise ValueError(f"report.{view} has {len(rows):,} rows, more than an Excel sheet holds")
    widths = public.execute(
        "SELECT "
        + ", ".join(f"max(length(CAST({q} AS VARCHAR)))" for q in quoted)
        + f" FROM {REPORT_SCHEMA}.{view}"
    ).fetchone()

    sheet = workbook.add_worksheet(sheet_name)
    write_text(sheet, 0, 0, title, formats, bold=True)
    sheet.write_url(
        1,
        0,
        f"internal:'{CONTENTS_SHEET}'!A1",
        formats.get(font_color="blue", underline=1),
        string="« Daftar isi / Contents",
    )
    sheet.write_row(
        HEADER_ROW, 0, [c.name for c in columns], formats.get(bold=True, bottom=1, text_wrap=True)
    )
    numbers = [c.number_format for c in columns]
    for offset, row in enumerate(rows):
        values, row_statuses = row[: len(columns)], row[len(columns) :]
        bold = TOTAL_LABEL in values or TOTAL_CODE in values
        for index, value in enumerate(values):
            cell_status = None if status_index[index] is None else row_statuses[status_index[index]]
            if value is None and columns[index].is_key:
                continue
            write_cell(
                sheet, HEADER_ROW + 1 + offset, index, value, numbers[index], cell_status, bold, formats
            )
    sheet.freeze_panes(HEADER_ROW + 1, 0)
    if rows:
        sheet.autofilter(HEADER_ROW, 0, HEADER_ROW + len(rows), len(columns) - 1)
    for index, (column, width) in enumerate(zip(columns, widths, strict=True)):
        sheet.set_column(index, index, max(MIN_WIDTH, min(MAX_WIDTH, max(len(column.name), width or 0) + 2)))


def write_cell(
    sheet: Worksheet,
    row: int,
    column: int,
    value: object,
    number_format: str | None,
    row_status: str | None,
    bold: bool,
    formats: Formats,
) -> None:
    """A number with its format (provisional rows marked `P`), a symbol for a missing number, or text."""
    if number_format is not None:
        if value is None or not math.isfinite(float(value)):  # NaN from 0/0 is not available too
            symbol = CONFIDENTIAL if row_status == CONFIDENTIAL else NOT_AVAILABLE
            sheet.write_string(row, column, symbol, formats.get(bold=bold, align="right"))
        else:
            provisional = row_status == PROVISIONAL
            sheet.write_number(row, column, float(value), formats.get(number_format, bold, provisional))
    elif value is not None:
        write_text(sheet, row, column, str(value), formats, bold=bold)


def write_excel(
    public: duckdb.DuckDBPyConnection, out_dir: Path, vintage: str, carry: Carry | None = None
) -> None:
    """Write `out_dir/sdmi_<vintage>.xlsx`: cover, contents, one sheet per view of `report`. The
    workbook names the vintage and holds every view: it is always written, `carry` or not."""
    out_dir.mkdir(parents=True, exist_ok=True)
    views = report_views(public)
    names = sheet_names([view for view, _ in views])
    options = {"strings_to_formulas": False, "strings_to_urls": False, "strings_to_numbers": False}
    workbook = xlsxwriter.Workbook(str(out_dir / xlsx_name(vintage)), options)
    workbook.set_properties({"title": f"SDMI {vintage}", "author": "BPS - SDMI", "company": "BPS"})
    formats = Formats(workbook)
    titles = {view: split_comment(comment, view) for view, comment in views}
    write_cover(workbook, public, vintage, formats)
    write_contents(workbook, [(names[view], *titles[view]) for view, _ in views], formats)
    for view, _ in views:
        indonesian, english = titles[view]
        title = english if indonesian == english else f"{indonesian} / {english}"
        write_view(workbook, public, view, names[view], title, formats)
    workbook.close()
