"""MGI assessments through the real refresh job: responses, the domain summary, rejects, revisions,
and the shipped illustrative sample (98 national indicators, 76 for Jawa Tengah)."""

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from openpyxl import Workbook

from sdmi_pipeline.paths import PROJECT_ROOT
from sdmi_pipeline.samples.files import SampleCheckError
from sdmi_pipeline.samples.mgi import check_mgi_samples, write_mgi_samples
from tests.conftest import query

pytestmark = pytest.mark.slow  # its fixtures build warehouses (the quick loop leaves them to CI)

PUBLISHED = "sdmi.duckdb"
SHIPPED = PROJECT_ROOT / "data" / "raw" / "mgi"

# A hand-made national assessment: one indicator per domain but two in domain 1, none in domain 6,
# answers in both languages and any case, a domain by its name, and four bad rows.
HAND_MADE = """indikator_id,domain,pertanyaan,jawaban,justifikasi,sumber,sorotan
1.1,1,Do migrants have access to health care?,Ya,Law 36/2009,UU 36/2009,1
1.2,Hak-hak migran,Can migrant children go to school?,SEBAGIAN,Partly,UU 20/2003,
2.1,2,Is there a coordinating agency?,no,None found,Perpres 90/2019,0
3.1,partnerships,Are there bilateral agreements?,Partially,Some,MoU,1
4.1,4,Is there a reintegration programme?,yes,Yes,Permenaker 4/2023,
5.1,5,Is there a crisis plan?,Tidak,No plan,ILLUSTRATIVE: made up,1
2.2,7,Out of range domain?,Ya,,,
2.3,2,Unknown answer?,Mungkin,,,
,3,Missing indicator?,Ya,,,
4.1,4,Repeated indicator?,Ya,,,
"""


def published_path(warehouse_dir: Path) -> Path:
    return warehouse_dir / PUBLISHED


@pytest.fixture
def hand_made(raw_root: Path, refresh: Callable, warehouse_dir: Path) -> Path:
    (raw_root / "mgi").mkdir()
    (raw_root / "mgi" / "mgi_nasional_IDN_2022.csv").write_text(HAND_MADE, encoding="utf-8")
    assert refresh().success
    return published_path(warehouse_dir)


def test_domain_summary_counts_each_answer(hand_made: Path):
    rows = query(
        hand_made,
        """SELECT domain, domain_name_en, indicators, yes, partially, no, highlighted,
                  yes_share, partially_share
           FROM indicators.mgi_domain_summary WHERE assessment_level = 'NATIONAL' AND year = 2022
           ORDER BY domain""",
    )
    assert rows == [
        (1, "Migrants' rights", 2, 1, 1, 0, 1, 50.0, 50.0),
        (2, "Whole-of-government approach", 1, 0, 0, 1, 0, 0.0, 0.0),
        (3, "Partnerships", 1, 0, 1, 0, 1, 0.0, 100.0),
        (4, "Socioeconomic well-being of migrants", 0, 0, 0, 0, 0, None, None),  # 4.1 repeated: both out
        (5, "Mobility dimensions of crises", 1, 0, 0, 1, 1, 0.0, 0.0),
        (6, "Safe, orderly and regular migration", 0, 0, 0, 0, 0, None, None),
    ]


def test_report_view_of_a_domain_without_indicators_has_no_percent_and_the_release_is_written(
    hand_made: Path, export_dir: Path
):
    rows = query(
        hand_made,
        """SELECT domain, national_indicators, national_yes_percent, national_no_percent
           FROM report.mgi_domain_summary WHERE year = 2022 AND domain IN ('1', '4') ORDER BY domain""",
    )
    assert rows == [("1", 2, 50.0, 0.0), ("4", 0, None, None)]  # 0 of 0 is not a percentage (was NaN)
    assert (export_dir / "latest" / "xlsx").is_dir()


def test_responses_carry_codes_names_area_and_the_illustrative_flag(hand_made: Path):
    rows = query(
        hand_made,
        """SELECT indicator_id, assessment_level, area, ref_area, area_name, domain, domain_name_id, answer,
                  highlighted, illustrative, source_line
           FROM indicators.mgi_responses ORDER BY source_line""",
    )
    assert rows == [
        ("1.1", "NATIONAL", "IDN", "IDN", "Indonesia", 1, "Hak-hak migran", "YES", True, False, 2),
        ("1.2", "NATIONAL", "IDN", "IDN", "Indonesia", 1, "Hak-hak migran", "PARTIAL", False, False, 3),
        (
            "2.1",
            "NATIONAL",
            "IDN",
            "IDN",
            "Indonesia",
            2,
            "Pendekatan seluruh pemerintahan",
            "NO",
            False,
            False,
            4,
        ),
        ("3.1", "NATIONAL", "IDN", "IDN", "Indonesia", 3, "Kemitraan", "PARTIAL", True, False, 5),
        (
            "5.1",
            "NATIONAL",
            "IDN",
            "IDN",
            "Indonesia",
            5,
            "Dimensi mobilitas dalam krisis",
            "NO",
            True,
            True,
            7,
        ),
    ]


def test_bad_rows_land_in_rejects_and_the_rest_loads(hand_made: Path):
    rejects = query(
        hand_made,
        """SELECT line, column_name, value, reason FROM meta.rejects
           WHERE path = 'mgi/mgi_nasional_IDN_2022.csv' ORDER BY line, column_name""",
    )
    assert rejects == [
        (6, "indikator_id", "4.1", "indicator (indikator_id) repeated within the assessment, on lines 6, 11"),
        (8, "domain", "7", "domain outside 1-6"),
        (9, "jawaban", "Mungkin", "answer (jawaban) is not Ya/Tidak/Sebagian or Yes/No/Partially"),
        (10, "indikator_id", None, "indicator id (indikator_id) is missing"),
        (
            11,
            "indikator_id",
            "4.1",
            "indicator (indikator_id) repeated within the assessment, on lines 6, 11",
        ),
    ]
    (provenance,) = query(
        hand_made,
        """SELECT rows_read, rows_accepted, rows_rejected, status, encoding, delimiter FROM meta.raw_files
           WHERE source = 'mgi_assessments'""",
    )
    assert provenance == (10, 5, 5, "loaded", "utf-8", ",")


def test_a_revised_assessment_replaces_the_old_answers(hand_made: Path, raw_root: Path, refresh: Callable):
    path = raw_root / "mgi" / "mgi_nasional_IDN_2022.csv"
    path.write_text(
        HAND_MADE.replace(
            "2.1,2,Is there a coordinating agency?,no", "2.1,2,Is there a coordinating agency?,Ya"
        )
    )
    assert refresh().success
    (summary,) = query(
        hand_made, "SELECT yes, no FROM indicators.mgi_domain_summary WHERE domain = 2 AND year = 2022"
    )
    assert summary == (1, 0)
    vintages = query(
        hand_made,
        """SELECT count(*), count(*) FILTER (WHERE is_current) FROM meta.raw_files
           WHERE source = 'mgi_assessments'""",
    )
    assert vintages == [(2, 1)]
    (old_answers,) = query(hand_made, "SELECT count(DISTINCT file_sha256) FROM staging.mgi_assessments")
    assert old_answers == (2,)


def test_a_misnamed_file_fails_alone(raw_root: Path, refresh: Callable, warehouse_dir: Path):
    (raw_root / "mgi").mkdir()
    shutil.copy(SHIPPED / "mgi_nasional_IDN_2023.csv", raw_root / "mgi")
    (raw_root / "mgi" / "mgi_lokal_99_2023.csv").write_text(HAND_MADE, encoding="utf-8")
    result = refresh()
    assert result.success
    published = published_path(warehouse_dir)
    failed = query(published, "SELECT path, status, error FROM meta.raw_files WHERE status = 'failed'")
    assert failed == [
        (
            "mgi/mgi_lokal_99_2023.csv",
            "failed",
            "mgi/mgi_lokal_99_2023.csv: '99' is not a BPS province code; a local (lokal) assessment names "
            "its province by its two-digit BPS code (33 Jawa Tengah)",
        )
    ]
    assert query(published, "SELECT count(*) FROM indicators.mgi_responses") == [(98,)]


# --- The shipped illustrative sample ------------------------------------------------------------


@pytest.fixture
def shipped(raw_root: Path, refresh: Callable, warehouse_dir: Path) -> Path:
    shutil.copytree(SHIPPED, raw_root / "mgi")
    assert refresh().success
    return published_path(warehouse_dir)


def test_shipped_sample_national_98_and_jawa_tengah_76(shipped: Path):
    rows = query(
        shipped,
        """SELECT assessment_level, ref_area, area_name, year, count(*), count(*) FILTER (WHERE highlighted),
                  bool_and(illustrative)
           FROM indicators.mgi_responses GROUP BY ALL ORDER BY assessment_level DESC""",
    )
    assert rows == [
        ("NATIONAL", "IDN", "Indonesia", 2023, 98, 23, True),
        ("LOCAL", "ID-33", "Jawa Tengah", 2023, 76, 20, True),
    ]


def test_shipped_sample_domain_summary(shipped: Path):
    rows = query(
        shipped,
        """SELECT area, list(indicators ORDER BY domain), list(highlighted ORDER BY domain),
                  sum(yes), sum(partially), sum(no), bool_and(illustrative)
           FROM indicators.mgi_domain_summary GROUP BY area ORDER BY area""",
    )
    assert rows == [
        ("33", [12, 13, 11, 15, 11, 14], [3, 4, 3, 4, 3, 3], 43, 21, 12, True),
        ("IDN", [17, 16, 13, 19, 14, 19], [4, 3, 3, 5, 3, 5], 51, 25, 22, True),
    ]


def test_shipped_workbook_notes_sheet_is_reported_not_read(shipped: Path):
    files = query(
        shipped,
        """SELECT path, rows_read, rows_rejected, encoding, delimiter, ignored_columns FROM meta.raw_files
           WHERE source = 'mgi_assessments' ORDER BY path""",
    )
    assert files == [
        ("mgi/mgi_lokal_33_2023.xlsx", 76, 0, "xlsx", None, 'sheet "Catatan" (no header row)'),
        ("mgi/mgi_nasional_IDN_2023.csv", 98, 0, "utf-8-sig", ";", None),
    ]


def test_catalogue_says_the_shipped_assessments_are_illustrative(shipped: Path):
    (row,) = query(
        shipped,
        """SELECT unit, source, disaggregations, frequencies, description_en, description_id
           FROM indicators.catalogue WHERE indicator_id = 'MGI_ASSESSMENT'""",
    )
    unit, source, disaggregations, frequencies, description_en, description_id = row
    assert (unit, source, disaggregations, frequencies) == (
        "indicators",
        "IOM MGI",
        "assessment, domain, answer",
        "per assessment",
    )
    assert "illustrative samples, not official MGI results" in description_en
    assert "contoh ilustratif, bukan hasil resmi MGI" in description_id


def test_reference_codes_list_the_mgi_code_lists(shipped: Path):
    codes = query(
        shipped,
        """SELECT code_list, code, label_en, label_id FROM reference.codes WHERE code_list LIKE 'mgi_%'
           ORDER BY code_list, code""",
    )
    assert ("mgi_answer", "PARTIAL", "Partially", "Sebagian") in codes
    assert (
        "mgi_domain",
        "6",
        "Safe, orderly and regular migration",
        "Migrasi yang aman, tertib dan teratur",
    ) in codes
    assert [code for code_list, code, *_ in codes if code_list == "mgi_domain"] == [
        "1",
        "2",
        "3",
        "4",
        "5",
        "6",
    ]
    assert [code for code_list, code, *_ in codes if code_list == "mgi_level"] == ["LOCAL", "NATIONAL"]


def test_the_shipped_files_are_the_generator_output(tmp_path: Path):
    paths = write_mgi_samples(tmp_path)
    for path in paths:
        assert path.read_bytes() == (SHIPPED / path.name).read_bytes(), path.name
    summary = check_mgi_samples(tmp_path)
    assert summary["mgi_nasional_IDN_2023.csv answers"] == {"ya": 51, "sebagian": 25, "tidak": 22}
    assert summary["mgi_lokal_33_2023.xlsx answers"] == {"yes": 43, "partially": 21, "no": 12}


def test_the_check_refuses_a_sample_without_the_illustrative_mark(tmp_path: Path):
    (path, _) = write_mgi_samples(tmp_path)
    path.write_bytes(path.read_bytes().replace(b"ILUSTRASI / ILLUSTRATIVE: not", b"Official:", 1))
    with pytest.raises(SampleCheckError, match="a sumber without the mark"):
        check_mgi_samples(tmp_path)


def test_a_csv_and_a_workbook_of_one_assessment_the_one_loaded_last_holds(
    raw_root: Path, refresh: Callable, warehouse_dir: Path
):
    folder = raw_root / "mgi"
    folder.mkdir()
    (folder / "mgi_nasional_IDN_2022.csv").write_text(HAND_MADE, encoding="utf-8")
    workbook = Workbook()
    workbook.active.append(HAND_MADE.splitlines()[0].split(","))
    workbook.active.append(["1.1", 1, "Do migrants have access to health care?", "Tidak", None, None, None])
    workbook.save(folder / "mgi_nasional_IDN_2022.xlsx")
    assert refresh().success
    published = published_path(warehouse_dir)
    responses = query(published, "SELECT source_file, indicator_id, answer FROM indicators.mgi_responses")
    assert responses == [("mgi/mgi_nasional_IDN_2022.xlsx", "1.1", "NO")]
    (staged,) = query(published, "SELECT count(DISTINCT source_file) FROM staging.mgi_assessments")
    assert staged == (2,)
