"""The pandas peer: KP2MI placement files → PMI_PLACED cells in plain pandas, same rules as the floor.

python -m sdmi_benchmark.peers.pandas_script RAW_ROOT CELLS.csv
"""

import sys
from pathlib import Path

import pandas as pd

from sdmi_benchmark.peers import CELL_COLUMNS, GROUPING_SETS
from sdmi_benchmark.peers.duckdb_floor import FIELDS, FILE_NAME
from sdmi_benchmark.peers.labels import age_group_table, label_table
from sdmi_pipeline.reference.normalise import label_key

CELL_NAMES = {"destination": "counterpart_area", "age_group": "age"}


def _lookups() -> dict[str, dict[str, str]]:
    table = label_table()
    return {name: dict(zip(rows["key"], rows["code"], strict=True)) for name, rows in table.groupby("list")}


def _mapped(values: pd.Series, lookup: dict[str, str], key=label_key) -> pd.Series:
    distinct = values.dropna().unique()
    return values.map({value: lookup.get(key(value)) for value in distinct})


def read_file(path: Path, lookups: dict[str, dict[str, str]]) -> pd.DataFrame:
    """One file's accepted rows, typed and coded."""
    year, month = FILE_NAME.fullmatch(path.name).groups()
    raw = path.read_bytes()
    text_head = raw[:4096].decode("utf-8", errors="replace")
    first = text_head.lstrip("\ufeff").split("\n", 1)[0]
    delimiter = ";" if first.count(";") > first.count(",") else ","
    try:
        encoding = "utf-8-sig"
        raw.decode(encoding)
    except UnicodeDecodeError:
        encoding = "cp1252"
    frame = pd.read_csv(path, sep=delimiter, dtype=str, encoding=encoding, keep_default_na=False)
    frame.columns = [column.strip().lower() for column in frame.columns]
    frame = frame.apply(lambda column: column.str.strip()).replace("", None)
    frame.index = pd.RangeIndex(2, len(frame) + 2, name="line")
    code_column = next((c for c in frame.columns if c.startswith("kode_provinsi")), None)
    system = "kemendagri" if code_column == "kode_provinsi_kemendagri" else "bps"
    d = frame.rename(columns=FIELDS)
    dates = pd.to_datetime(d["date_raw"], format="%Y-%m-%d", errors="coerce").fillna(
        pd.to_datetime(d["date_raw"], format="%d/%m/%Y", errors="coerce")
    )
    age = pd.to_numeric(d["age_raw"], errors="coerce")
    by_name = _mapped(d["province_raw"], lookups["province"])
    codes = d[code_column] if code_column else pd.Series(None, index=d.index, dtype=object)
    by_code = _mapped(codes, lookups[system], key=lambda value: value.removesuffix(".0"))
    rows = pd.DataFrame(
        {
            "sex": _mapped(d["sex_raw"], lookups["sex"]),
            "education": _mapped(d["education_raw"], lookups["education"]).fillna("OTHER"),
            "destination": _mapped(d["destination_raw"], lookups["country"]),
            "occupation": _mapped(d["occupation_raw"], lookups["occupation"]).fillna("OTHER"),
            "sector": _mapped(d["sector_raw"], lookups["sector"]),
            "scheme": _mapped(d["scheme_raw"], lookups["scheme"]),
            "province": by_code.fillna(by_name),
            "age": age,
        }
    )
    rows.loc[d["education_raw"].isna(), "education"] = "_U"
    rows.loc[d["occupation_raw"].isna(), "occupation"] = "_U"
    ok = (
        d["id_pmi"].notna()
        & ~d["id_pmi"].duplicated()
        & dates.notna()
        & (dates.dt.strftime("%Y-%m") == f"{year}-{month}")
        & age.notna()
        & (age % 1 == 0)
        & age.between(18, 100)
        & ~(d["province_raw"].notna() & by_name.isna())
        & ~(codes.notna() & by_code.isna())
        & ~(by_code.notna() & by_name.notna() & (by_code != by_name))
        & rows["province"].notna()
        & rows[["sex", "destination", "sector", "scheme"]].notna().all(axis=1)
    )
    return rows[ok].assign(month=f"{year}-{month}", age=lambda r: r["age"].astype(int))


def cells(placed: pd.DataFrame) -> pd.DataFrame:
    ages = age_group_table()
    bins = pd.IntervalIndex.from_arrays(ages["min_age"], ages["max_age"], closed="both")
    placed["age_group"] = ages["age_group"].to_numpy()[bins.get_indexer(placed["age"])]
    frames = []
    for freq, period in (("M", placed["month"]), ("A", placed["month"].str[:4])):
        with_period = placed.assign(freq=freq, time_period=period)
        for group in GROUPING_SETS:
            counted = with_period.groupby(["freq", "time_period", *group]).size().rename("value")
            frames.append(counted.reset_index().rename(columns=CELL_NAMES))
    result = pd.concat(frames, ignore_index=True).fillna("_T")
    result["value"] = result["value"].astype(float)
    return result[list(CELL_COLUMNS)]


def write_cells(raw_root: Path, out: Path) -> int:
    """Write the PMI_PLACED cells of `raw_root` to the CSV `out`; the number of accepted rows."""
    lookups = _lookups()
    paths = sorted((raw_root / "kp2mi" / "penempatan").glob("*.csv"))
    placed = pd.concat([read_file(p, lookups) for p in paths if FILE_NAME.fullmatch(p.name)])
    cells(placed).to_csv(out, index=False)
    return len(placed)


def main() -> None:
    print(f"accepted rows: {write_cells(Path(sys.argv[1]), Path(sys.argv[2]))}")


if __name__ == "__main__":
    main()
