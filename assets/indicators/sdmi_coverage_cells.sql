-- indicators.sdmi_coverage_cells: for SDMI_COVERAGE (GCM objective 1), every expected
-- source x year x indicator x disaggregation cell, and whether the warehouse holds data in it.
--
-- Expected cells are the disaggregations of spec §3 for the indicators drawn directly from a
-- source, plus the total of each indicator. Each disaggregation is looked up in the observations
-- column that carries it (destination, nationality, origin and host country in counterpart_area;
-- the foreign worker's position in occupation).
-- A cell holds data when the indicator has at least one observation in that year, of any
-- frequency, broken down by that column (a value other than _T / _Z). The total holds data when the
-- indicator has a national (IDN) observation that is not broken down by any of its expected
-- disaggregations (so SM_POP_REFG_OR, defined on refugees and always population_type REF, counts).
-- Years run from the first to the last year any indicator has an observation in, so a year in
-- which a source delivered nothing shows up with no data.
-- The source of a cell is the indicator's publisher in indicators.catalogue ('UNHCR, BPS' for rates
-- computed from both).
-- This table cannot read indicators.observations, into which SDMI_COVERAGE is stacked: it reads
-- the per-source tables instead.
WITH warehouse AS (
    SELECT * FROM indicators.observations_pmi
    UNION ALL
    SELECT * FROM indicators.observations_pmi_published
    UNION ALL
    SELECT * FROM indicators.observations_tka
    UNION ALL
    SELECT * FROM indicators.observations_refugees
    UNION ALL
    SELECT * FROM indicators.observations_remittances
),
expected(indicator_id, disaggregation, observation_column, position) AS (
    VALUES
        ('PMI_PLACED', 'total', NULL, 0),
        ('PMI_PLACED', 'destination', 'counterpart_area', 1),
        ('PMI_PLACED', 'province', 'province', 2),
        ('PMI_PLACED', 'sex', 'sex', 3),
        ('PMI_PLACED', 'age', 'age', 4),
        ('PMI_PLACED', 'education', 'education', 5),
        ('PMI_PLACED', 'sector', 'sector', 6),
        ('PMI_PLACED', 'occupation', 'occupation', 7),
        ('PMI_PLACED', 'scheme', 'scheme', 8),
        ('TKA_NEW', 'total', NULL, 0),
        ('TKA_NEW', 'nationality', 'counterpart_area', 1),
        ('TKA_NEW', 'province', 'province', 2),
        ('TKA_NEW', 'sex', 'sex', 3),
        ('TKA_NEW', 'sector', 'sector', 4),
        ('TKA_NEW', 'position', 'occupation', 5),
        ('TKA_STOCK', 'total', NULL, 0),
        ('TKA_STOCK', 'nationality', 'counterpart_area', 1),
        ('TKA_STOCK', 'province', 'province', 2),
        ('TKA_STOCK', 'sex', 'sex', 3),
        ('TKA_STOCK', 'sector', 'sector', 4),
        ('TKA_STOCK', 'position', 'occupation', 5),
        ('REF_HOSTED', 'total', NULL, 0),
        ('REF_HOSTED', 'origin', 'counterpart_area', 1),
        ('REF_HOSTED', 'population type', 'population_type', 2),
        ('REF_HOSTED', 'sex', 'sex', 3),
        ('REF_HOSTED', 'age', 'age', 4),
        ('REF_HOSTED', 'location', 'location', 5),
        ('REF_HOSTED_PER_100K', 'total', NULL, 0),
        ('SM_POP_REFG_OR', 'total', NULL, 0),
        ('REMIT_INFLOW', 'total', NULL, 0),
        ('REMIT_INFLOW', 'host country', 'counterpart_area', 1),
        ('BX_TRF_PWKR', 'total', NULL, 0)
),
indicator_columns AS (
    SELECT
        indicator_id,
        coalesce(list(observation_column) FILTER (WHERE observation_column IS NOT NULL), []) AS columns
    FROM expected GROUP BY indicator_id
),
-- Each distinct pattern of broken-down columns an indicator has in a year: a few hundred rows.
patterns AS (
    SELECT
        indicator_id,
        CAST(left(time_period, 4) AS INTEGER) AS year,
        ref_area,
        list_distinct([  -- the names of the columns broken down (list_distinct drops the NULLs)
            CASE WHEN counterpart_area NOT IN ('_T', '_Z') THEN 'counterpart_area' END,
            CASE WHEN sex NOT IN ('_T', '_Z') THEN 'sex' END,
            CASE WHEN age NOT IN ('_T', '_Z') THEN 'age' END,
            CASE WHEN province NOT IN ('_T', '_Z') THEN 'province' END,
            CASE WHEN education NOT IN ('_T', '_Z') THEN 'education' END,
            CASE WHEN sector NOT IN ('_T', '_Z') THEN 'sector' END,
            CASE WHEN occupation NOT IN ('_T', '_Z') THEN 'occupation' END,
            CASE WHEN scheme NOT IN ('_T', '_Z') THEN 'scheme' END,
            CASE WHEN population_type NOT IN ('_T', '_Z') THEN 'population_type' END,
            CASE WHEN location NOT IN ('_T', '_Z') THEN 'location' END
        ]) AS broken_down,
        bool_or(obs_status = 'P') AS provisional,
        max(vintage) AS vintage
    FROM warehouse
    GROUP BY ALL
),
years AS (
    SELECT CAST(year AS INTEGER) AS year
    FROM (SELECT min(year) AS first_year, max(year) AS last_year FROM patterns),
        range(first_year, last_year + 1) AS years(year)
    WHERE first_year IS NOT NULL
),
cells AS (
    SELECT
        c.source,
        e.indicator_id,
        y.year,
        e.disaggregation,
        e.observation_column,
        e.position,
        coalesce(bool_or(p.indicator_id IS NOT NULL), false) AS holds_data,
        coalesce(bool_or(p.provisional), false) AS provisional,
        max(p.vintage) AS vintage
    FROM expected AS e
    JOIN indicators.catalogue AS c USING (indicator_id)
    JOIN indicator_columns AS i USING (indicator_id)
    CROSS JOIN years AS y
    LEFT JOIN patterns AS p
        ON p.indicator_id = e.indicator_id
        AND p.year = y.year
        AND CASE
            WHEN e.observation_column IS NULL
                THEN p.ref_area = 'IDN' AND NOT list_has_any(p.broken_down, i.columns)
            ELSE list_contains(p.broken_down, e.observation_column)
        END
    GROUP BY ALL
)
SELECT source, indicator_id, year, disaggregation, observation_column, holds_data, provisional, vintage
FROM cells
ORDER BY source, year, indicator_id, position
