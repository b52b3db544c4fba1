-- indicators.sdmi_coverage: SDMI_COVERAGE (GCM objective 1) as a readable table. Per source and year,
-- the expected cells (indicator x disaggregation, see indicators.sdmi_coverage_cells), how many
-- hold data, and the share in percent; one more row per year for all sources together.
-- A year whose data include a provisional value (an incomplete year) is provisional: its coverage
-- can still rise when the rest of the year is delivered.
WITH per_source AS (
    SELECT
        source,
        year,
        count(*) AS expected_cells,
        count(*) FILTER (WHERE holds_data) AS cells_with_data,
        bool_or(provisional) AS provisional,
        string_agg(indicator_id || ' ' || disaggregation, ', ' ORDER BY indicator_id, disaggregation)
            FILTER (WHERE NOT holds_data) AS cells_without_data
    FROM indicators.sdmi_coverage_cells
    GROUP BY ALL
),
all_sources AS (
    SELECT
        'All sources' AS source,
        year,
        sum(expected_cells) AS expected_cells,
        sum(cells_with_data) AS cells_with_data,
        bool_or(provisional) AS provisional,
        string_agg(source || ': ' || cells_without_data, '; ' ORDER BY source) AS cells_without_data
    FROM per_source
    GROUP BY ALL
)
SELECT
    source,
    year,
    CAST(expected_cells AS INTEGER) AS expected_cells,
    CAST(cells_with_data AS INTEGER) AS cells_with_data,
    100.0 * cells_with_data / expected_cells AS share,
    provisional,
    cells_without_data
FROM (SELECT * FROM per_source UNION ALL SELECT * FROM all_sources)
ORDER BY source = 'All sources', source, year
