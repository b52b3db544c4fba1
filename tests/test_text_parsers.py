"""DuckDB parses delimited files as pandas did: the same values on the same physical lines."""

from pathlib import Path

import pandas as pd
import pytest

from sdmi_pipeline.ingest.readers.lines import read_lines
from sdmi_pipeline.ingest.readers.text import (
    PANDAS_TEXT,
    WHITE_SPACE,
    _parse_with_duckdb,
    _parse_with_pandas,
    read_delimited,
)

HEADER = "id;negara;jabatan\n"
SAME_EITHER_WAY = {
    "plain": HEADER + "A;Taiwan;Caregiver\nB;Jepang;Welder\n",
    "crlf": HEADER.replace("\n", "\r\n") + "A;Taiwan;Caregiver\r\nB;Jepang;Welder\r\n",
    "blank and delimiter-only lines": HEADER + "\nA;Taiwan;Caregiver\n  \n;;\nB;Jepang;Welder\n\n",
    "padding of every kind": HEADER + "A ;\u00a0Taiwan\u3000;\tCaregiver\x0b\nB;Jepang ;Welder\n",
    "quoted delimiter and doubled quotes": HEADER + 'A;"Taiwan; ROC";"the ""best"" job"\n',
    "multi-line value": HEADER + 'A;Taiwan;"Domestic\nWorker"\nB;Jepang;Welder\n',
    "empty quoted value": HEADER + 'A;"";Welder\nB;Jepang;""\n',
    "undecodable and short lines left out": HEADER + "A;Taiwan;Caregiver\nB;Jepang\nC;T\xfcrkiye;Cook\n",
}
EITHER_WAY = {  # DuckDB may refuse these (pandas then parses); the values must be the same
    "quote inside a header name": 'id;ne"gara;jabatan\nA;Taiwan;Caregiver\n',
}
PANDAS_ONLY = {  # pandas skips spaces before a quote (skipinitialspace); DuckDB would keep the quotes
    "quote after a space": HEADER + 'A; "Taiwan; ROC";Caregiver\n',
}


def parse_both(tmp_path: Path, text: str) -> tuple[pd.DataFrame | None, pd.DataFrame]:
    path = tmp_path / "penempatan_pmi_2023_01.csv"
    raw = text.encode("cp1252" if "\xfc" in text else "utf-8")
    lines, delimiter, header = read_lines(raw, path)
    parsed = _parse_with_duckdb(lines, delimiter, header)
    if parsed is not None:
        parsed = parsed.to_pandas(types_mapper=PANDAS_TEXT.get).set_index("line")
    return parsed, _parse_with_pandas(lines, delimiter, header)


@pytest.mark.parametrize("text", SAME_EITHER_WAY.values(), ids=SAME_EITHER_WAY.keys())
def test_duckdb_reads_what_pandas_reads(tmp_path, text):
    duckdb_frame, pandas_frame = parse_both(tmp_path, text)
    assert duckdb_frame is not None
    pd.testing.assert_frame_equal(duckdb_frame, pandas_frame, check_index_type=False)


@pytest.mark.parametrize("text", EITHER_WAY.values(), ids=EITHER_WAY.keys())
def test_duckdb_or_pandas_reads_the_same(tmp_path, text):
    path = tmp_path / "penempatan_pmi_2023_01.csv"
    path.write_text(text, encoding="utf-8")
    lines, delimiter, _ = read_lines(path.read_bytes(), path)
    frame = read_delimited(path).frame
    pd.testing.assert_frame_equal(
        frame, _parse_with_pandas(lines, delimiter, list(frame.columns)), check_index_type=False
    )
    assert frame.loc[2].tolist() == ["A", "Taiwan", "Caregiver"]


@pytest.mark.parametrize("text", PANDAS_ONLY.values(), ids=PANDAS_ONLY.keys())
def test_pandas_reads_what_duckdb_would_read_otherwise(tmp_path, text):
    duckdb_frame, pandas_frame = parse_both(tmp_path, text)
    assert duckdb_frame is None
    assert pandas_frame.loc[2, "negara"] == "Taiwan; ROC"


def test_physical_lines_and_values(tmp_path):
    path = tmp_path / "penempatan_pmi_2023_01.csv"
    path.write_text(SAME_EITHER_WAY["multi-line value"] + "\n;;\nC; Korea ;Cook\n", encoding="utf-8")
    frame = read_delimited(path).frame
    assert frame.index.tolist() == [2, 4, 7]
    assert frame.loc[2, "jabatan"] == "Domestic\nWorker"
    assert frame.loc[7, "negara"] == "Korea"


def test_white_space_is_what_str_strip_removes():
    assert set(WHITE_SPACE) == {character for character in map(chr, range(0x110000)) if character.isspace()}


def test_every_module_that_turns_a_record_level_file_into_rows_is_in_the_parser_fingerprint():
    from sdmi_pipeline.ingest import loading

    fingerprinted = {module.__name__ for module in loading.parser_modules()}
    for module in ("ingest.readers.records", "ingest.readers.text", "ingest.validation"):
        assert f"sdmi_pipeline.{module}" in fingerprinted, module
    for module in ("ingest.cross_file_keys", "ingest.vintages", "reference.countries", "contracts.rules"):
        assert f"sdmi_pipeline.{module}" in fingerprinted, module
    assert "sdmi_pipeline.ingest.revision_guard" not in fingerprinted  # held content is guarded again


CLEAN = {
    "plain",
    "crlf",
    "quoted delimiter and doubled quotes",
    "empty quoted value",
    "delimiter-only line",
}
EVERY_TEXT = (
    SAME_EITHER_WAY
    | EITHER_WAY
    | PANDAS_ONLY
    | {
        "delimiter-only line": HEADER + "A;Taiwan;Caregiver\n;;\nB; Jepang;Welder\n",
        "quote inside an unquoted value": HEADER + 'A;Tai"wan;Caregiver\n',
        "a line with too many values": HEADER + "A;Taiwan;Caregiver;x\nB;Jepang;Welder\n",
    }
)


@pytest.mark.parametrize("name", EVERY_TEXT)
def test_read_csv_straight_from_a_clean_file_reads_what_the_lines_read(tmp_path, name):
    """A clean file goes from its bytes to DuckDB (clean_csv); every other file is read line by
    line. Where the file is clean, both readings give the same values on the same lines."""
    import duckdb

    from sdmi_pipeline.ingest.readers.clean_csv import read_clean

    text = EVERY_TEXT[name]
    path = tmp_path / "penempatan_pmi_2023_01.csv"
    path.write_bytes(text.encode("cp1252" if "\xfc" in text else "utf-8"))
    with duckdb.connect() as connection:
        clean = read_clean(connection, path, path.read_bytes(), path)
        assert (clean is not None) == (name in CLEAN)
        if clean is None:
            return
        assert clean[1:] == (";", "utf-8")
        table = connection.sql("SELECT * FROM delivered ORDER BY line").to_arrow_table()
    frame = table.to_pandas(types_mapper=PANDAS_TEXT.get).set_index("line")
    pd.testing.assert_frame_equal(frame, read_delimited(path).frame, check_index_type=False)
    assert frame.index[0] == 2


def test_a_stray_quote_names_its_physical_line_character_and_column():
    from tests.fault_corpus import PMI_FAULTS

    (stray,) = [fault for fault in PMI_FAULTS if fault.id == "pmi-stray-quote"]
    lines, _, _ = read_lines(stray.content, Path("penempatan_pmi_2023_01.csv"))
    reasons = set(lines.unreadable.loc[lines.unreadable.line.between(4, 34), "reason"])
    assert reasons == {
        "quoting error: a quoted value opened on line 4 closes only on line 34, taking in 29 line(s) that "
        'look like records (a stray "?); lines 4-34 rejected; the quote opens on line 4, character 59, '
        "in column jabatan"
    }
