"""The breakdown report views come from one template and one parameter table
(sdmi_pipeline/warehouse/report_templates.py), with one contract each; a dimension added to
indicators.observations does not multiply a view's rows."""

from pathlib import Path

from sdmi_pipeline.paths import SCHEMAS_DIR, SQL_ASSETS_DIR
from sdmi_pipeline.release.public import open_public
from sdmi_pipeline.warehouse.report_templates import generated, parameters
from sdmi_pipeline.warehouse.report_views import create_report_views, report_view_names


def test_every_breakdown_view_comes_from_the_template_and_has_one_contract():
    views = generated()
    assert len(views) == len(parameters()) == 20
    hand_written = {path.stem for path in (SQL_ASSETS_DIR / "report").glob("*.sql")}
    assert not hand_written & set(views)  # one place per view
    assert sorted(hand_written) == [
        "gcm_progress", "mgi_domain_summary", "remittances_by_host_country", "sdg_series", "sdmi_coverage"
    ]  # fmt: skip
    assert set(report_view_names()) == {f"report.{view}" for view in hand_written | set(views)}
    for view in views:
        assert (SCHEMAS_DIR / "report" / f"{view}.yaml").is_file(), view
    assert (
        "AND COLUMNS(* EXCLUDE (indicator_id, freq, time_period, ref_area, value, unit, obs_status, "
        in (views["tka_by_sex"])
    )


def test_a_new_dimension_does_not_multiply_a_views_rows(shipped_warehouse: Path):
    public = open_public(shipped_warehouse)
    views = [f"report.{view}" for view in generated()]
    before = {view: public.execute(f"SELECT * FROM {view}").fetchall() for view in views}
    assert sum(len(rows) for rows in before.values()) > 2_000
    # A new breakdown, disability, arrives: every observation gets its total row (`_T`) and one
    # row broken down (`D1`) with the same value.
    public.execute(
        """CREATE OR REPLACE TABLE indicators.observations AS
           SELECT *, '_T' AS disability FROM indicators.observations
           UNION ALL SELECT *, 'D1' AS disability FROM indicators.observations"""
    )
    create_report_views(public)
    for view in views:
        assert public.execute(f"SELECT * FROM {view}").fetchall() == before[view], view


def test_a_crossed_view_reads_true_zeros_and_invents_none(shipped_warehouse: Path):
    public = open_public(shipped_warehouse)
    rows = public.execute(
        """SELECT period, province, sex, placed, status FROM report.pmi_placed_by_province_and_sex
           WHERE province = '11' AND month IS NULL ORDER BY period, sex"""
    ).fetchall()
    # Aceh: 2022 comes from KP2MI's printed tables, which never cross province and sex, so only the
    # province total, no invented 0 for either sex; January-April 2023 from records.
    assert rows == [
        ("2022", "11", "_T", 588, "A"),
        ("2023", "11", "F", 85, "P"),
        ("2023", "11", "M", 78, "P"),
        ("2023", "11", "_T", 163, "P"),
    ]
    # Jambi's new permits of January 2022: no woman among them is a true 0, read as 0.
    permits = public.execute(
        """SELECT period, sex, new_permits, status FROM report.tka_by_province_and_sex
           WHERE province = '15' AND period = '2022-01' ORDER BY sex"""
    ).fetchall()
    assert permits == [("2022-01", "F", 0, "A"), ("2022-01", "M", 41, "P"), ("2022-01", "_T", 41, "P")]
    # Province x sex without six `_T`/`_Z` filters; the margins add up to the published totals.
    (mismatches,) = public.execute(
        """SELECT count(*) FROM (
               SELECT period, province, sum(placed) FILTER (WHERE sex <> '_T') AS by_sex,
                      max(placed) FILTER (WHERE sex = '_T') AS total
               FROM report.pmi_placed_by_province_and_sex WHERE province <> '_T' AND period >= '2023'
               GROUP BY ALL HAVING bool_and(status <> 'C'))
           WHERE by_sex <> total"""
    ).fetchone()
    assert mismatches == 0
