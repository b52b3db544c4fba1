"""The DuckDB floor: KP2MI placement files → PMI_PLACED cells, with DuckDB doing all the row work.

    python -m sdmi_benchmark.peers.duckdb_floor RAW_ROOT CELLS.csv

Reads every `kp2mi/penempatan/penempatan_pmi_YYYY_MM.csv` with `read_csv` in each variant of spec
§2.1 (`,` or `;`, UTF-8 with or without BOM or Windows-1252, header names in any case and order,
BPS or Kemendagri province codes, `YYYY-MM-DD` or `DD/MM/YYYY`), maps labels by joins to label
tables, rejects rows by the contract's rules (meta.rejects-like table with file, line and reason)
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
    columns.append(f"nullif(trim(\"{named[code]}\"), '') AS code_raw" if code else "NULL AS code_raw")
    for encoding in ("utf-8", "latin-1"):  # Windows-1252 files: latin-1 agrees on every letter used
        try:
            connection.execute(
                f"""CREATE OR REPLACE TEMP TABLE one_file AS SELECT {", ".join(columns)}
                    FROM read_csv(?, delim = ?, header = true, all_varchar = true, encoding = ?,
                                  quote = '"', skip = 0)""",
                [str(path), delimiter, encoding],
            )
            break
        except duckdb.InvalidInputException:
            continue
    connection.execute(
        "CREATE OR REPLACE TEMP TABLE delivered AS SELECT ? AS file, ? AS month, ? AS code_system, "
        "rowid + 2 AS line, * FROM one_file",
        [path.name, f"{year}-{month}", system],
    )
    for statement in (SQL_MAPPING, SQL_ROWS, SQL_KEEP):
        connection.execute(statement)


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


# Each distinct label mapped once: (list, raw) → code. Province codes lose a spreadsheet's `.0`.
SQL_MAPPING = f"""
CREATE OR REPLACE TEMP TABLE mapped AS
WITH raw_labels AS (
    {
    " UNION ".join(
        f"SELECT DISTINCT '{label}' AS list, {column} AS raw FROM delivered WHERE {column} IS NOT NULL"
        for column, label in MAPPED.items()
        if label != "code"
    )
}
    UNION SELECT DISTINCT code_system, code_raw FROM delivered WHERE code_raw IS NOT NULL
)
SELECT r.list, r.raw, l.code
FROM raw_labels AS r
LEFT JOIN labels AS l ON l.list = r.list AND l.key = CASE
    WHEN r.list IN ('bps', 'kemendagri') THEN regexp_replace(r.raw, '\\.0$', '')
    ELSE {SQL_LABEL_KEY.format("r.raw")} END
"""


def _join(column: str, alias: str, label: str) -> str:
    return f"LEFT JOIN mapped AS {alias} ON {alias}.list = {label} AND {alias}.raw = d.{column}"


SQL_ROWS = f"""
CREATE OR REPLACE TEMP TABLE checked AS
WITH typed AS (
    SELECT d.file, d.line, d.month, d.id_pmi,
        coalesce(try_strptime(d.date_raw, '%Y-%m-%d'), try_strptime(d.date_raw, '%d/%m/%Y'))::DATE
            AS placement_date,
        d.date_raw, TRY_CAST(d.age_raw AS DOUBLE) AS age_number,
        sx.code AS sex, d.sex_raw,
        CASE WHEN d.education_raw IS NULL THEN '_U' ELSE coalesce(ed.code, 'OTHER') END AS education,
        pn.code AS province_by_name, d.province_raw, pc.code AS province_by_code, d.code_raw,
        ds.code AS destination,
        CASE WHEN d.occupation_raw IS NULL THEN '_U' ELSE coalesce(oc.code, 'OTHER') END AS occupation,
        se.code AS sector, sc.code AS scheme,
        row_number() OVER (PARTITION BY d.file, d.id_pmi ORDER BY d.line) AS id_count
    FROM delivered AS d
    {_join("sex_raw", "sx", "'sex'")}
    {_join("education_raw", "ed", "'education'")}
    {_join("province_raw", "pn", "'province'")}
    {_join("code_raw", "pc", "d.code_system")}
    {_join("destination_raw", "ds", "'country'")}
    {_join("occupation_raw", "oc", "'occupation'")}
    {_join("sector_raw", "se", "'sector'")}
    {_join("scheme_raw", "sc", "'scheme'")}
)
SELECT *,
    CAST(age_number AS INTEGER) AS age,
    coalesce(province_by_code, province_by_name) AS province,
    concat_ws('; ',
        CASE WHEN id_pmi IS NULL THEN 'id_pmi missing'
             WHEN id_count > 1 THEN 'id_pmi repeated in the file' END,
        CASE WHEN placement_date IS NULL THEN 'placement date missing or unreadable'
             WHEN strftime(placement_date, '%Y-%m') <> month THEN 'placement date outside the month' END,
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
FROM typed
"""

SQL_KEEP = """
INSERT INTO rejects SELECT file, line, reasons FROM checked WHERE reasons <> '';
INSERT INTO counts
SELECT c.month, c.destination, c.province, c.sex, a.age_group, c.education, c.sector, c.occupation,
    c.scheme, count(*)
FROM checked AS c JOIN age_groups AS a ON c.age BETWEEN a.min_age AND a.max_age
WHERE c.reasons = ''
GROUP BY ALL
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
