"""The fault corpus through `sdmi build` (issue 13): faulty revisions of the shipped sample.

Two builds: the shipped sample, then revisions with one bad cell each in every source of
aggregates, a placement file with a quote that never closes, and a new UNHCR answer aggregated
over the countries of asylum. The refused files keep their previous vintage, so the published
national figures stay as they were (13,912 refugees hosted in 2020).
"""

import json
import shutil
from pathlib import Path

import pytest

from sdmi_pipeline.paths import PROJECT_ROOT
from tests.conftest import query, sdmi_build
from tests.fault_corpus_aggregates import published_table
from tests.test_reader_bi import BODY as BI_BODY
from tests.test_reader_bi import table as bi_table
from tests.workbooks import workbook_bytes

pytestmark = pytest.mark.slow

HEADLINES = """SELECT indicator_id, time_period, round(value, 6) FROM indicators.observations
    WHERE freq = 'A' AND counterpart_area = '_T' AND sex = '_T' AND age = '_T'
      AND (population_type IN ('_T', '_Z') OR indicator_id = 'SM_POP_REFG_OR') AND ref_area = 'IDN'
      AND education IN ('_T', '_Z') AND sector IN ('_T', '_Z') AND occupation IN ('_T', '_Z')
      AND scheme IN ('_T', '_Z')
      AND indicator_id IN ('REF_HOSTED', 'REF_HOSTED_PER_100K', 'PMI_PLACED', 'REMIT_INFLOW', 'BX_TRF_PWKR',
                           'SM_POP_REFG_OR')
      AND province IN ('_T', '_Z') AND location IN ('_T', '_Z')
    ORDER BY ALL"""
REFUSED = {
    "unhcr/population_coa_IDN_2020.json": [(1, "refugees", "6,275")],
    "unhcr/snapshot_indonesia_2023_07.csv": [(1340, "country_of_origin", "Afghanistan")],
    "bps/penduduk_1975_2020.json": [],  # the line depends on the key order: checked by value below
    "kp2mi/publikasi/penempatan_menurut_negara_2022.xlsx": [(7, "Negara Penempatan", "Atlantis")],
    "bi/remitansi_pmi.xlsx": [],
    "bps/pdb_usd.csv": [(3, "pdb_usd_juta", "-1371171")],
}


def _deliver_faults(raw: Path) -> None:
    coa = raw / "unhcr" / "population_coa_IDN_2020.json"
    answer = json.loads(coa.read_text())
    answer[0]["items"][0]["refugees"] = "6,275"  # Afghanistan, as a string with a thousands separator
    coa.write_text(json.dumps(answer))
    snapshot = raw / "unhcr" / "snapshot_indonesia_2023_07.csv"
    lines = snapshot.read_text().splitlines()
    snapshot.write_text("\n".join([*lines, lines[1]]) + "\n")  # the first row again, on line 1340
    population = raw / "bps" / "penduduk_1975_2020.json"
    body = json.loads(population.read_text())
    first = next(iter(body["datacontent"]))
    body["datacontent"][first] = "1,234.5"
    population.write_text(json.dumps(body))
    (raw / "kp2mi" / "publikasi" / "penempatan_menurut_negara_2022.xlsx").write_bytes(
        published_table(6, "Atlantis")
    )
    remittances = bi_table([*BI_BODY, ["Atlantis", 1, 1, 2]], ["Total", "2,041.80", "1,681.95", "3,113.25"])
    (raw / "bi" / "remitansi_pmi.xlsx").write_bytes(workbook_bytes({"Tabel": remittances}))
    (raw / "bps" / "pdb_usd.csv").write_text("tahun,pdb_usd_juta\n2022,1319100.22\n2023,-1371171\n")
    placements = raw / "kp2mi" / "penempatan" / "penempatan_pmi_2023_02.csv"
    content = placements.read_bytes().rstrip(b"\r\n")  # Windows-1252, comma-delimited
    cut = content.rindex(b",") + 1  # the last value of the last line opens a quote that never closes
    placements.write_bytes(content[:cut] + b'"' + content[cut:] + b"\n")
    aggregated = {"year": 2023, "coo_iso": "IDN", "coo_name": "Indonesia", "coa_iso": "-", "coa_name": "-"}
    page = {
        "page": 1,
        "maxPages": 1,
        "total": 1,
        "items": [aggregated | {"refugees": 9710, "asylum_seekers": 7}],
    }
    (raw / "unhcr" / "population_coo_IDN_2023.json").write_text(json.dumps(page))


@pytest.fixture(scope="module")
def builds(tmp_path_factory: pytest.TempPathFactory) -> tuple[list[tuple], Path, int]:
    root = tmp_path_factory.mktemp("faults")
    raw = root / "raw"
    shutil.copytree(PROJECT_ROOT / "data" / "raw", raw)
    first = sdmi_build(raw, root)
    assert first.returncode == 0, first.stdout[-3000:] + first.stderr[-3000:]
    published = root / "warehouse" / "sdmi.duckdb"
    before = query(published, HEADLINES)
    _deliver_faults(raw)
    second = sdmi_build(raw, root)
    return before, published, second.returncode


def test_the_refused_files_name_every_bad_cell_and_keep_their_previous_vintage(builds) -> None:
    _, published, _ = builds
    for path, cells in REFUSED.items():
        vintages = query(
            published,
            "SELECT status, is_current, rows_accepted FROM meta.raw_files WHERE path = ? ORDER BY loaded_at",
            [path],
        )
        assert vintages[0][:2] == ("loaded", True) and vintages[-1] == ("failed", False, 0), path
        rejects = query(
            published,
            """SELECT r.line, r.column_name, r.value
               FROM meta.rejects r JOIN meta.raw_files f USING (path, sha256)
               WHERE r.path = ? AND f.status = 'failed' ORDER BY ALL""",
            [path],
        )
        assert rejects == cells or (not cells and len(rejects) == 1), (path, rejects)
    population = query(published, "SELECT value FROM meta.rejects WHERE path = 'bps/penduduk_1975_2020.json'")
    assert population == [("1,234.5",)]


def test_the_published_figures_stay_and_the_aggregated_answer_counts(builds) -> None:
    before, published, _ = builds
    after = query(published, HEADLINES)
    assert ("REF_HOSTED", "2020", 13912.0) in before and ("REF_HOSTED", "2020", 13912.0) in after
    old_values = {(indicator, year): value for indicator, year, value in before}
    changed = {
        (indicator, year): (old_values.get((indicator, year)), value)
        for indicator, year, value in after
        if old_values.get((indicator, year)) != value
    }
    (population,) = query(
        published,
        "SELECT population FROM core.population WHERE year = 2023 AND province = '_T' AND sex = '_T'",
    )[0]
    # Only refugees from Indonesia in 2023 are new, from UNHCR's total over all countries of asylum
    # ("-"). PMI_PLACED 2023 stays 83,864: the line whose quote never closes held a bad row already.
    assert changed == {("SM_POP_REFG_OR", "2023"): (None, round(1e5 * 9710 / (population + 9710), 6))}
    assert old_values["PMI_PLACED", "2023"] == 83_864.0
    assert len(after) == len(before) + 1 == len(old_values) + 1  # one value per indicator and year


def test_the_quote_that_never_closes_rejects_its_line_and_every_line_is_accounted_for(builds) -> None:
    _, published, returncode = builds
    path = "kp2mi/penempatan/penempatan_pmi_2023_02.csv"
    current = "FROM meta.rejects JOIN meta.raw_files USING (path, sha256) WHERE path = ? AND is_current"
    (last,) = query(published, f"SELECT max(line) {current}", [path])[0]
    assert query(published, f"SELECT reason {current} AND line = ?", [path, last]) == [
        (
            f'quoting error: a quoted value opened on line {last} is never closed (a stray "?); '
            f"lines {last}-{last} rejected; the quote opens on line {last}, character 113, in column "
            "PENDIDIKAN",
        )
    ]
    unbalanced = query(
        published,
        """SELECT path FROM meta.raw_files
           WHERE rows_read IS NOT NULL AND rows_read <> rows_accepted + rows_rejected""",
    )
    assert unbalanced == []
    assert returncode == 3  # published, but the faulty deliveries were refused (issue 21)
