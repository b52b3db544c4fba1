-- indicators.observations_tka: the TKA_* indicators (foreign worker permits) from core.tka_permits.
--
-- TKA_NEW counts permits by the month (freq M) and year (freq A) their validity starts.
-- TKA_STOCK counts permits valid on the last day of each month (M) and of the year (A): start on
-- or before that day and end on or after it, whichever year's file delivered them. Stocks are
-- given for the months of every year that has permits starting in it, up to the month of the
-- latest start. A stock whose previous year's permits were not delivered misses permits issued
-- then and still valid: it is provisional (obs_status P).
-- Both are given in total and by nationality (counterpart_area), province of work (`LP` for
-- Lintas Provinsi), sex, sector (SERVICES / INDUSTRY / AGRI_MARITIME) and position (in the
-- occupation column: DIRECTOR ... TECHNICIAN), alone and crossed with sex. Dimensions that do not
-- apply to permits (age, education, scheme, population type, location) are `_Z`.
WITH permit_years AS (
    SELECT start_year AS year, max(start_date) AS latest_start FROM core.tka_permits GROUP BY ALL
),
month_ends AS (
    SELECT
        strftime(month_start, '%Y-%m') AS month,
        y.year,
        last_day(month_start) AS month_end,
        (y.year - 1) IN (SELECT year FROM permit_years) AS previous_year_delivered
    FROM permit_years AS y,
        range(make_date(y.year, 1, 1), date_trunc('month', y.latest_start) + INTERVAL 1 MONTH, INTERVAL 1 MONTH)
            AS months(month_start)
),
counted AS (
    SELECT p.*, 'TKA_NEW' AS indicator_id, 'M' AS freq, start_month AS time_period, true AS complete
    FROM core.tka_permits AS p
    UNION ALL
    SELECT p.*, 'TKA_NEW', 'A', CAST(start_year AS VARCHAR), true
    FROM core.tka_permits AS p
    UNION ALL
    SELECT p.*, 'TKA_STOCK', 'M', m.month, m.previous_year_delivered
    FROM core.tka_permits AS p
    JOIN month_ends AS m ON p.start_date <= m.month_end AND p.end_date >= m.month_end
    UNION ALL
    SELECT p.*, 'TKA_STOCK', 'A', CAST(m.year AS VARCHAR), m.previous_year_delivered
    FROM core.tka_permits AS p
    JOIN month_ends AS m ON p.start_date <= m.month_end AND p.end_date >= m.month_end
    WHERE m.month = m.year || '-12'
),
cells AS (
    SELECT
        indicator_id,
        freq,
        time_period,
        CASE WHEN grouping(nationality) = 1 THEN '_T' ELSE nationality END AS counterpart_area,
        CASE WHEN grouping(sex) = 1 THEN '_T' ELSE sex END AS sex,
        CASE WHEN grouping(province) = 1 THEN '_T' ELSE province END AS province,
        CASE WHEN grouping(sector) = 1 THEN '_T' ELSE sector END AS sector,
        CASE WHEN grouping(position) = 1 THEN '_T' ELSE position END AS occupation,
        count(*) AS value,
        bool_and(complete) AS complete
    FROM counted
    GROUP BY indicator_id, freq, time_period, GROUPING SETS (
        (), (nationality), (province), (sex), (sector), (position),
        (sex, nationality), (sex, province), (sex, sector), (sex, position)
    )
),
vintage AS (
    SELECT strftime(max(loaded_at), '%Y-%m-%dT%H:%M:%SZ') AS vintage
    FROM meta.raw_files WHERE source = 'kemnaker_permits' AND is_current
)
SELECT
    c.indicator_id,
    c.freq,
    c.time_period,
    'IDN' AS ref_area,
    c.counterpart_area,
    c.sex,
    '_Z' AS age,
    c.province,
    '_Z' AS education,
    c.sector,
    c.occupation,
    '_Z' AS scheme,
    '_Z' AS population_type,
    '_Z' AS location,
    CAST(c.value AS DOUBLE) AS value,
    CASE c.indicator_id WHEN 'TKA_NEW' THEN 'permits' ELSE 'persons' END AS unit,
    CASE WHEN c.complete THEN 'A' ELSE 'P' END AS obs_status,
    'Kemnaker' AS source,
    v.vintage
FROM cells AS c
CROSS JOIN vintage AS v
ORDER BY c.indicator_id, c.freq, c.time_period, c.counterpart_area, c.sex, c.province, c.sector,
    c.occupation
