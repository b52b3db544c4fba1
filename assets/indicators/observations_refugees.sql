-- indicators.observations_refugees: REF_HOSTED, REF_HOSTED_PER_100K and SM_POP_REFG_OR (SDG 10.7.4).
--
-- REF_HOSTED counts refugees (population_type REF) and asylum-seekers (ASY) in Indonesia:
--   annual (freq A) from UNHCR's population statistics (core.refugee_population, query coa=IDN),
--     in total, by origin (counterpart_area), by population type, and by origin x population type;
--   monthly (freq M) from the country office's snapshot (core.refugee_snapshot), in total and by
--     origin, population type, sex, age group and location (city), alone and crossed with sex,
--     and origin x population type.
--   Other people in need of international protection (oip) are not counted: the catalogue's
--   indicator is refugees and asylum-seekers.
-- REF_HOSTED_PER_100K = REF_HOSTED total / population of Indonesia (core.population, province and
--   sex _T, the same year) x 100,000, for every period that has both.
-- SM_POP_REFG_OR = refugees from Indonesia (query coo=IDN, `refugees` summed over host countries)
--   / (population of Indonesia + those refugees) x 100,000, per year with both.
-- Dimensions that do not apply (province, education, sector, occupation, scheme) are `_Z`; a
-- dimension the source does not break down (sex, age, location in the annual figures) is `_T`.
-- UNHCR's rows aggregated over a dimension (`-`, code `_T` in core) are used only for a year the
-- answer does not break down; the reader has checked that a breakdown adds up to them, so a
-- year never counts both.
WITH broken_down AS (
    SELECT DISTINCT query, year FROM core.refugee_population WHERE origin <> '_T' AND asylum <> '_T'
),
unhcr_rows AS (
    SELECT r.* FROM core.refugee_population AS r
    WHERE (r.origin <> '_T' AND r.asylum <> '_T')
       OR NOT EXISTS (SELECT 1 FROM broken_down AS b WHERE b.query = r.query AND b.year = r.year)
),
hosted_annual AS (
    SELECT year, origin, type AS population_type, persons
    FROM unhcr_rows
    UNPIVOT (persons FOR type IN (refugees AS 'REF', asylum_seekers AS 'ASY'))
    WHERE query = 'coa=IDN'
),
annual_grouped AS (
    SELECT
        'A' AS freq,
        CAST(year AS VARCHAR) AS time_period,
        CASE WHEN grouping(origin) = 1 THEN '_T' ELSE origin END AS counterpart_area,
        '_T' AS sex,
        '_T' AS age,
        CASE WHEN grouping(population_type) = 1 THEN '_T' ELSE population_type END AS population_type,
        '_T' AS location,
        sum(persons) AS value,
        'UNHCR' AS source,
        grouping(origin) = 0 AND origin = '_T' AS by_aggregated_origin
    FROM hosted_annual
    GROUP BY year, GROUPING SETS ((), (origin), (population_type), (origin, population_type))
),
annual_cells AS (
    -- A year given only as UNHCR's total has no breakdown by origin.
    SELECT * EXCLUDE (by_aggregated_origin) FROM annual_grouped WHERE NOT by_aggregated_origin
),
monthly_cells AS (
    SELECT
        'M' AS freq,
        snapshot_month AS time_period,
        CASE WHEN grouping(origin) = 1 THEN '_T' ELSE origin END AS counterpart_area,
        CASE WHEN grouping(sex) = 1 THEN '_T' ELSE sex END AS sex,
        CASE WHEN grouping(age_group) = 1 THEN '_T' ELSE age_group END AS age,
        CASE WHEN grouping(population_type) = 1 THEN '_T' ELSE population_type END AS population_type,
        CASE WHEN grouping(location) = 1 THEN '_T' ELSE location END AS location,
        sum(count) AS value,
        'UNHCR Indonesia' AS source
    FROM core.refugee_snapshot
    GROUP BY snapshot_month, GROUPING SETS (
        (), (origin), (population_type), (sex), (age_group), (location),
        (sex, origin), (sex, population_type), (sex, age_group), (sex, location), (origin, population_type)
    )
),
hosted AS (
    SELECT *, 'REF_HOSTED' AS indicator_id, 'persons' AS unit FROM annual_cells
    UNION ALL
    SELECT *, 'REF_HOSTED', 'persons' FROM monthly_cells
),
national_population AS (
    SELECT year, population FROM core.population WHERE province = '_T' AND sex = '_T'
),
per_100k AS (
    SELECT h.* REPLACE (
        100000.0 * h.value / p.population AS value,
        h.source || ', BPS' AS source,
        'REF_HOSTED_PER_100K' AS indicator_id,
        'per 100,000' AS unit
    )
    FROM hosted AS h
    JOIN national_population AS p ON p.year = CAST(left(h.time_period, 4) AS INTEGER)
    WHERE h.counterpart_area = '_T' AND h.sex = '_T' AND h.age = '_T' AND h.population_type = '_T'
      AND h.location = '_T'
),
from_indonesia AS (
    SELECT year, sum(refugees) AS refugees FROM unhcr_rows WHERE query = 'coo=IDN' GROUP BY ALL
),
sdg_10_7_4 AS (
    SELECT
        'A' AS freq,
        CAST(r.year AS VARCHAR) AS time_period,
        '_T' AS counterpart_area,
        '_T' AS sex,
        '_T' AS age,
        'REF' AS population_type,
        '_Z' AS location,
        100000.0 * r.refugees / (p.population + r.refugees) AS value,
        'UNHCR, BPS' AS source,
        'SM_POP_REFG_OR' AS indicator_id,
        'per 100,000' AS unit
    FROM from_indonesia AS r
    JOIN national_population AS p USING (year)
),
measures AS (
    SELECT * FROM hosted
    UNION ALL
    SELECT * FROM per_100k
    UNION ALL
    SELECT * FROM sdg_10_7_4
),
vintages AS (
    SELECT
        strftime(max(loaded_at) FILTER (WHERE source = 'unhcr_population'), '%Y-%m-%dT%H:%M:%SZ') AS api,
        strftime(max(loaded_at) FILTER (WHERE source = 'unhcr_snapshot'), '%Y-%m-%dT%H:%M:%SZ') AS snapshot,
        strftime(max(loaded_at) FILTER (WHERE source = 'bps_population'), '%Y-%m-%dT%H:%M:%SZ') AS population
    FROM meta.raw_files WHERE is_current
)
SELECT
    m.indicator_id,
    m.freq,
    m.time_period,
    'IDN' AS ref_area,
    m.counterpart_area,
    m.sex,
    m.age,
    '_Z' AS province,
    '_Z' AS education,
    '_Z' AS sector,
    '_Z' AS occupation,
    '_Z' AS scheme,
    m.population_type,
    m.location,
    CAST(m.value AS DOUBLE) AS value,
    m.unit,
    'A' AS obs_status,
    m.source,
    CASE
        WHEN m.indicator_id = 'REF_HOSTED' AND m.freq = 'A' THEN v.api
        WHEN m.indicator_id = 'REF_HOSTED' THEN v.snapshot
        WHEN m.indicator_id = 'SM_POP_REFG_OR' OR m.freq = 'A' THEN greatest(v.api, v.population)
        ELSE greatest(v.snapshot, v.population)
    END AS vintage
FROM measures AS m
CROSS JOIN vintages AS v
ORDER BY m.indicator_id, m.freq, m.time_period, m.counterpart_area, m.sex, m.age, m.population_type,
    m.location
