"""The fault corpus (issue 13): every faulty delivery has its exact outcome.

Reader-level: each fault is read by its source's reader and validated as `ingest` does; every
data line is either accepted or rejected with its reason, and an aggregate source loads whole or
not at all.
"""

from pathlib import Path

import pytest

from sdmi_pipeline.contracts.checks import lines_accounted_sql
from sdmi_pipeline.ingest.loading import ingest_source
from sdmi_pipeline.ingest.readers.text import FileFormatError
from sdmi_pipeline.ingest.sources import KP2MI_PLACEMENTS
from sdmi_pipeline.ingest.validation import validate_file
from tests.fault_corpus import PMI_FAULTS, TEXT_FAULTS, Fault
from tests.fault_corpus_aggregates import AGGREGATE_FAULTS
from tests.test_reader_bi import warehouse

FAULTS = [*PMI_FAULTS, *TEXT_FAULTS, *AGGREGATE_FAULTS]


def test_the_corpus_is_large_and_its_ids_unique():
    ids = [fault.id for fault in FAULTS]
    assert len(ids) == len(set(ids))
    assert len(ids) >= 40
    assert len({fault.source.name for fault in FAULTS}) == 9  # every source


@pytest.mark.parametrize("fault", FAULTS, ids=lambda fault: fault.id)
def test_fault(fault: Fault):
    path = Path("/nonexistent/raw") / fault.name  # the reader gets the content; the path names it
    if fault.refused is not None:
        with pytest.raises(FileFormatError) as refused:
            fault.source.read(path, fault.content)
        assert fault.refused in str(refused.value)
        assert fault.name in str(refused.value)
        return
    read = fault.source.read(path, fault.content)
    validated = validate_file(read, fault.source.contract)
    reasons = validated.rejects.groupby("line")["reason"].agg(" | ".join).to_dict()
    assert sorted(reasons) == sorted(fault.rejected), reasons
    for line, reason in fault.rejected.items():
        assert reason in reasons[line], (line, reasons[line])
    # An aggregate with a bad cell is refused whole (ingest.py): none of its lines is accepted.
    refused_whole = fault.source.whole_file and bool(reasons)
    accepted = 0 if refused_whole else validated.accepted.index.nunique()
    assert accepted == fault.accepted
    if not refused_whole:
        assert read.lines_read == fault.accepted + len(fault.rejected)


def test_lines_accounted_flags_a_file_whose_lines_do_not_add_up(tmp_path):
    # The stray quote of the corpus, loaded; then its provenance is made to lose a line.
    fault = next(fault for fault in FAULTS if fault.id == "pmi-stray-quote")
    (tmp_path / "kp2mi" / "penempatan").mkdir(parents=True)
    (tmp_path / "kp2mi" / "penempatan" / fault.name).write_bytes(fault.content)
    connection = warehouse()
    ingest_source(connection, tmp_path, KP2MI_PLACEMENTS)
    sql = lines_accounted_sql(KP2MI_PLACEMENTS.table)
    assert connection.execute(sql, ["kp2mi_placements"] * 2).fetchall() == []
    assert connection.execute(
        "SELECT rows_read, rows_accepted, rows_rejected FROM meta.raw_files"
    ).fetchall() == [(40, 9, 31)]
    connection.execute("UPDATE meta.raw_files SET rows_read = 39")
    connection.execute("DELETE FROM meta.rejects WHERE line = 20")
    assert connection.execute(sql, ["kp2mi_placements"] * 2).fetchall() == [
        (f"kp2mi/penempatan/{fault.name}", "loaded", 39, 9, 31, 9, 30, 0)
    ]
