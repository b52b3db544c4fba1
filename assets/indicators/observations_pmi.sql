-- indicators.observations_pmi: the PMI_* indicators from core.pmi_placements, SDMX style.
-- They add up core.pmi_monthly_counts (placements per month at the finest grain), which gives
-- the same figures as counting the records, without reading every record.
--
-- PMI_PLACED counts placed workers per month (freq M) and per year (freq A), in total and by
-- each disaggregation alone (destination, province, sex, age, education, sector, occupation,
-- scheme) and by each of them crossed with sex. A dimension not broken down is `_T`; population
-- type and location do not apply to placements and are `_Z`.
-- The shares divide a count by the PMI_PLACED value of the same cell:
--   PMI_PLACED_F_SHARE         women / all placed x 100         (sex is then `_Z`)
--   PMI_PLACED_INFORMAL_SHARE  informal sector / all placed x 100 (sector is then `_Z`)
--   PMI_PLACED_G2G_SHARE       G2G scheme / all placed x 100    (scheme is then `_Z`)
-- An annual value for a year with fewer than 12 monthly files is provisional (obs_status P).
WITH periods AS (
    SELECT c.*, 'M' AS freq, placement_month AS time_period FROM core.pmi_monthly_counts AS c
    UNION ALL
    SELECT c.*, 'A' AS freq, CAST(placement_year AS VARCHAR) AS time_period FROM core.pmi_monthly_counts AS c
),
cells AS (
    SELECT
        freq,
        time_period,
        CASE WHEN grouping(destination) = 1 THEN '_T' ELSE destination END AS counterpart_area,
        CASE WHEN grouping(sex) = 1 THEN '_T' ELSE sex END AS sex,
        CASE WHEN grouping(age_group) = 1 THEN '_T' ELSE age_group END AS age,
        CASE WHEN grouping(province) = 1 THEN '_T' ELSE province END AS province,
        CASE WHEN grouping(education) = 1 THEN '_T' ELSE education END AS education,
        CASE WHEN grouping(sector) = 1 THEN '_T' ELSE sector END AS sector,
        CASE WHEN grouping(occupation) = 1 THEN '_T' ELSE occupation END AS occupation,
        CASE WHEN grouping(scheme) = 1 THEN '_T' ELSE scheme END AS scheme,
        CAST(sum(placed) AS BIGINT) AS placed,
        CAST(coalesce(sum(placed) FILTER (WHERE sex = 'F'), 0) AS BIGINT) AS women,
        CAST(coalesce(sum(placed) FILTER (WHERE sector = 'INFORMAL'), 0) AS BIGINT) AS informal,
        CAST(coalesce(sum(placed) FILTER (WHERE scheme = 'G2G'), 0) AS BIGINT) AS g2g
    FROM periods
    GROUP BY freq, time_period, GROUPING SETS (
        (), (destination), (province), (sex), (age_group), (education), (sector), (occupation), (scheme),
        (sex, destination), (sex, province), (sex, age_group), (sex, education), (sex, sector),
        (sex, occupation), (sex, scheme)
    )
),
months_delivered AS (
    SELECT CAST(placement_year AS VARCHAR) AS time_period, count(DISTINCT placement_month) AS months
    FROM core.pmi_monthly_counts GROUP BY ALL
),
vintage AS (
    SELECT strftime(max(loaded_at), '%Y-%m-%dT%H:%M:%SZ') AS vintage
    FROM meta.raw_files WHERE source = 'kp2mi_placements' AND is_current
),
measures AS (
    SELECT c.*, 'PMI_PLACED' AS indicator_id, placed AS value, 'persons' AS unit FROM cells AS c
    UNION ALL
    SELECT c.* REPLACE ('_Z' AS sex), 'PMI_PLACED_F_SHARE', 100.0 * women / placed, 'percent'
    FROM cells AS c WHERE c.sex = '_T'
    UNION ALL
    SELECT c.* REPLACE ('_Z' AS sector), 'PMI_PLACED_INFORMAL_SHARE', 100.0 * informal / placed, 'percent'
    FROM cells AS c WHERE c.sector = '_T'
    UNION ALL
    SELECT c.* REPLACE ('_Z' AS scheme), 'PMI_PLACED_G2G_SHARE', 100.0 * g2g / placed, 'percent'
    FROM cells AS c WHERE c.scheme = '_T'
)
SELECT
    m.indicator_id,
    m.freq,
    m.time_period,
    'IDN' AS ref_area,
    m.counterpart_area,
    m.sex,
    m.age,
    m.province,
    m.education,
    m.sector,
    m.occupation,
    m.scheme,
    '_Z' AS population_type,
    '_Z' AS location,
    CAST(m.value AS DOUBLE) AS value,
    m.unit,
    CASE WHEN m.freq = 'A' AND d.months < 12 THEN 'P' ELSE 'A' END AS obs_status,
    'KP2MI' AS source,
    v.vintage
FROM measures AS m
LEFT JOIN months_delivered AS d ON m.freq = 'A' AND d.time_period = m.time_period
CROSS JOIN vintage AS v
ORDER BY m.indicator_id, m.freq, m.time_period, m.counterpart_area, m.sex, m.age, m.province,
    m.education, m.sector, m.occupation, m.scheme
