"""The DuckDB floor: KP2MI placement files → PMI_PLACED cells, with DuckDB doing all the row work.

    python -m sdmi_benchmark.peers.duckdb_floor RAW_ROOT CELLS.csv

Reads every `kp2mi/penempatan/penempatan_pmi_YYYY_MM.csv` with `read_csv` in each variant of spec
§2.1 (`,` or `;`, UTF-8 with or without BOM or Windows-1252, header names in any case and order,
BPS or Kemendagri province codes, `YYYY-MM-DD` or `DD/MM/YYYY`), normalises each distinct raw
value once (labels to codes, dates, ages to age groups) and joins it back to the rows by its raw
value, rejects rows by the contract's rules (meta.rejects-like table with file, line and reason)
and counts PMI_PLACED with GROUPING SETS over per-month counts at the finest grain, one file
in memory at a time. Python touches only file names and header lines.
"""

import re
import sys
from pathlib import Path

import duckdb

from sdmi_benchmark.peers import GROUPING_SETS
from sdmi_benchmark.peers.labels import SQL_LABEL_KEY, age_group_table, label_table

FILE_NAME = re.compile(r"penempatan_pmi_(\d{4})_(\d{2})\.csv", re.IGNORECASE)
FIELDS = {  # spec column → name in the floor
    "id_pmi": "id_pmi",
    "tanggal_penempatan": "date_raw",
    "jenis_kelamin": "sex_raw",
    "usia": "age_raw",
    "pendidikan": "education_raw",
    "provinsi_asal": "province_raw",
    "negara_penempatan": "destination_raw",
    "jabatan": "occupation_raw",
    "sektor": "sector_raw",
    "skema": "scheme_raw",
}
MAPPED = {  # floor column → label list
    "sex_raw": "sex",
    "education_raw": "education",
    "province_raw": "province",
    "destination_raw": "country",
    "occupation_raw": "occupation",
    "sector_raw": "sector",
    "scheme_raw": "scheme",
    "code_raw": "code",
}


def _header(path: Path) -> tuple[str, list[str]]:
    with path.open("rb") as handle:
        first = handle.readline().decode("utf-8", errors="replace").lstrip("\ufeff").rstrip("\r\n")
    delimiter = ";" if first.count(";") > first.count(",") else ","
    return delimiter, first.split(delimiter)


def load_file(connection: duckdb.DuckDBPyConnection, path: Path) -> None:
    """Check one file's rows; append its rejects to `rejects` and its accepted rows, counted at the
    finest grain, to `counts` (so memory holds one file at a time)."""
    year, month = FILE_NAME.fullmatch(path.name).groups()
    delimiter, header = _header(path)
    named = {name.strip().lower(): name for name in header}
    code = next((n for n in named if n.startswith("kode_provinsi")), None)
    system = "kemendagri" if code == "kode_provinsi_kemendagri" else "bps"
    columns = [f"nullif(trim(\"{named[spec]}\"), '') AS {name}" for spec, name in FIELDS.items()]
    columns.append(
        f"nullif(trim(\"{named[code]}\"), '') AS code_raw" if code else "NULL::VARCHAR AS code_raw"
    )
    for encoding in ("utf-8", "latin-1"):  # Windows-1252 files: latin-1 agrees on every letter used
        try:
            connection.execute(
                f"""CREATE OR REPLACE TEMP TABLE delivered AS SELECT {", ".join(columns)}
                    FROM read_csv(?, delim = ?, header = true, all_varchar = true, encoding = ?,
                                  quote = '"', skip = 0)""",
                [str(path), delimiter, encoding],
            )
            break
        except duckdb.InvalidInputException:
            continue
    for statement in _distinct_maps(system):
        connection.execute(statement)
    parameters = {"file": path.name, "month": f"{year}-{month}"}
    connection.execute(SQL_ROWS, {"month": parameters["month"]})
    connection.execute(SQL_REJECTS, {"file": parameters["file"]})
    connection.execute(SQL_KEEP, {"month": parameters["month"]})


def _distinct_maps(system: str) -> list[str]:
    """One small table per raw column: each distinct value delivered, normalised once, with its code
    (labels), date, or age and age group. Every row then takes its values by single-key joins."""
    statements = [
        f"""CREATE OR REPLACE TEMP TABLE map_{column} AS
            SELECT r.raw, l.code FROM (SELECT DISTINCT {column} AS raw FROM delivered) AS r
            LEFT JOIN labels AS l ON l.list = '{label}' AND l.key = {SQL_LABEL_KEY.format("r.raw")}"""
        for column, label in MAPPED.items()
        if label != "code"
    ]
    statements.append(
        f"""CREATE OR REPLACE TEMP TABLE map_code_raw AS
            SELECT r.raw, l.code FROM (SELECT DISTINCT code_raw AS raw FROM delivered) AS r
            LEFT JOIN labels AS l ON l.list = '{system}' AND l.key = regexp_replace(r.raw, '\\.0$', '')"""
    )
    statements.append(
        """CREATE OR REPLACE TEMP TABLE map_date_raw AS
           SELECT raw, coalesce(try_strptime(raw, '%Y-%m-%d'), try_strptime(raw, '%d/%m/%Y'))::DATE AS day
           FROM (SELECT DISTINCT date_raw AS raw FROM delivered)"""
    )
    statements.append(
        """CREATE OR REPLACE TEMP TABLE map_age_raw AS
           SELECT raw, number, a.age_group FROM (SELECT raw, TRY_CAST(raw AS DOUBLE) AS number
                                                 FROM (SELECT DISTINCT age_raw AS raw FROM delivered))
           LEFT JOIN age_groups AS a ON number = floor(number) AND number BETWEEN a.min_age AND a.max_age"""
    )
    return statements


def build(connection: duckdb.DuckDBPyConnection, raw_root: Path) -> None:
    connection.register("label_frame", label_table())
    connection.execute("CREATE TABLE labels AS SELECT * FROM label_frame")
    connection.register("age_frame", age_group_table())
    connection.execute("CREATE TABLE age_groups AS SELECT * FROM age_frame")
    connection.execute("CREATE TABLE rejects (file VARCHAR, line BIGINT, reasons VARCHAR)")
    connection.execute(
        "CREATE TABLE counts (month VARCHAR, destination VARCHAR, province VARCHAR, sex VARCHAR, "
        "age_group VARCHAR, education VARCHAR, sector VARCHAR, occupation VARCHAR, scheme VARCHAR, n BIGINT)"
    )
    for path in sorted((raw_root / "kp2mi" / "penempatan").glob("*.csv")):
        if FILE_NAME.fullmatch(path.name):
            load_file(connection, path)
    connection.execute(SQL_CELLS)


def _join(column: str) -> str:
    return f"LEFT JOIN map_{column} AS m_{column} ON m_{column}.raw = d.{column}"


# A repeated id: every line of it but the first, found by grouping ids (no sort of the whole file).
SQL_ROWS = f"""
CREATE OR REPLACE TEMP TABLE checked AS
WITH repeated AS (
    SELECT id_pmi, min(line) AS first_line FROM (SELECT id_pmi, rowid + 2 AS line FROM delivered)
    WHERE id_pmi IS NOT NULL GROUP BY id_pmi HAVING count(*) > 1
),
typed AS (
    SELECT d.rowid + 2 AS line, d.id_pmi, m_date_raw.day AS placement_date,
        m_age_raw.number AS age_number, m_age_raw.age_group,
        m_sex_raw.code AS sex,
        CASE WHEN d.education_raw IS NULL THEN '_U' ELSE coalesce(m_education_raw.code, 'OTHER') END
            AS education,
        m_province_raw.code AS province_by_name, d.province_raw, m_code_raw.code AS province_by_code,
        d.code_raw, m_destination_raw.code AS destination,
        CASE WHEN d.occupation_raw IS NULL THEN '_U' ELSE coalesce(m_occupation_raw.code, 'OTHER') END
            AS occupation,
        m_sector_raw.code AS sector, m_scheme_raw.code AS scheme
    FROM delivered AS d
    {" ".join(_join(column) for column in (*MAPPED, "date_raw", "age_raw"))}
)
SELECT t.*, coalesce(province_by_code, province_by_name) AS province,
    concat_ws('; ',
        CASE WHEN t.id_pmi IS NULL THEN 'id_pmi missing'
             WHEN t.line > r.first_line THEN 'id_pmi repeated in the file' END,
        CASE WHEN placement_date IS NULL THEN 'placement date missing or unreadable'
             WHEN strftime(placement_date, '%Y-%m') <> $month THEN 'placement date outside the month' END,
        CASE WHEN sex IS NULL THEN 'sex missing or unknown' END,
        CASE WHEN age_number IS NULL OR age_number <> floor(age_number) THEN 'age not a whole number'
             WHEN age_number < 18 OR age_number > 100 THEN 'age outside 18-100' END,
        CASE WHEN province_raw IS NOT NULL AND province_by_name IS NULL THEN 'unknown province name'
             WHEN code_raw IS NOT NULL AND province_by_code IS NULL THEN 'unknown province code'
             WHEN province_by_code <> province_by_name THEN 'province code and name disagree'
             WHEN province_by_code IS NULL AND province_by_name IS NULL THEN 'province missing' END,
        CASE WHEN destination IS NULL THEN 'destination missing or unknown' END,
        CASE WHEN sector IS NULL THEN 'sector missing or unknown' END,
        CASE WHEN scheme IS NULL THEN 'scheme missing or unknown' END
    ) AS reasons
FROM typed AS t LEFT JOIN repeated AS r ON r.id_pmi = t.id_pmi
"""

SQL_REJECTS = "INSERT INTO rejects SELECT $file, line, reasons FROM checked WHERE reasons <> ''"
SQL_KEEP = """
INSERT INTO counts
SELECT $month, destination, province, sex, age_group, education, sector, occupation, scheme, count(*)
FROM checked WHERE reasons = '' GROUP BY ALL
"""

_SETS = ", ".join("(" + ", ".join(group) + ")" for group in GROUPING_SETS)
_CELL = ", ".join(
    f"CASE WHEN grouping({column}) = 1 THEN '_T' ELSE {column} END AS {alias}"
    for column, alias in [
        ("destination", "counterpart_area"),
        ("sex", "sex"),
        ("age_group", "age"),
        ("province", "province"),
        ("education", "education"),
        ("sector", "sector"),
        ("occupation", "occupation"),
        ("scheme", "scheme"),
    ]
)
SQL_CELLS = f"""
CREATE TABLE cells AS
WITH periods AS (
    SELECT *, 'M' AS freq, month AS time_period FROM counts
    UNION ALL
    SELECT *, 'A' AS freq, left(month, 4) AS time_period FROM counts
)
SELECT freq, time_period, {_CELL}, sum(n)::DOUBLE AS value
FROM periods
GROUP BY freq, time_period, GROUPING SETS ({_SETS})
"""


def write_cells(raw_root: Path, out: Path) -> int:
    """Write the PMI_PLACED cells of `raw_root` to the CSV `out`; the number of rejected rows."""
    with duckdb.connect() as connection:
        build(connection, raw_root)
        connection.execute(f"COPY cells TO '{out}' (FORMAT csv, HEADER)")
        return connection.execute("SELECT count(*) FROM rejects").fetchone()[0]


def main() -> None:
    print(f"rejected rows: {write_cells(Path(sys.argv[1]), Path(sys.argv[2]))}")


if __name__ == "__main__":
    main()
