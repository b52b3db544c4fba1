-- indicators.observations_pmi_published: the PMI_* indicators for the months that only KP2MI's
-- published tables cover (a month with record-level data is published from those, in
-- observations_pmi, and never from a table: no cell comes from both sources).
--
-- PMI_PLACED, freq M, for each such month: the total, and the breakdown of each table (by
-- destination, province, sex, sector or scheme) alone. The total is the month's closing
-- Jumlah/Total as the tables print it; when they print different totals, the one most tables
-- print (ties: destination, province, sex, sector, scheme first). A table's breakdown is
-- published for a month only when it adds up to that total with every value available: a row
-- rejected for an unknown label (meta.rejects) or a value printed as not available withholds that
-- table's breakdown for the month, never the total. Freq A when all 12 months of a year are
-- published-only: the sums of the months, a breakdown only when it is published in all 12.
-- The shares divide the breakdown of the sex, sector and scheme tables by its total:
-- PMI_PLACED_F_SHARE (sex `_Z`), PMI_PLACED_INFORMAL_SHARE (sector `_Z`), PMI_PLACED_G2G_SHARE
-- (scheme `_Z`). Age, education and occupation are not published in tables and stay `_T`.
WITH record_months AS (
    SELECT DISTINCT placement_month AS month FROM core.pmi_monthly_counts
),
published AS (
    SELECT * FROM core.pmi_published WHERE month NOT IN (SELECT month FROM record_months)
),
dimension_order AS (
    SELECT * FROM (VALUES ('destination', 1), ('province', 2), ('sex', 3), ('sector', 4), ('scheme', 5))
        AS d(dimension, rank)
),
printed_totals AS (
    SELECT p.month, p.count AS total, count(*) AS tables, min(d.rank) AS first_rank
    FROM published AS p JOIN dimension_order AS d USING (dimension)
    WHERE p.code = '_T' AND p.count IS NOT NULL
    GROUP BY ALL
),
month_totals AS (
    SELECT month, total FROM printed_totals
    QUALIFY row_number() OVER (PARTITION BY month ORDER BY tables DESC, first_rank) = 1
),
breakdowns AS (
    SELECT p.dimension, p.month, p.code, p.count
    FROM published AS p JOIN month_totals AS t USING (month)
    WHERE p.code <> '_T'
    WINDOW per_table AS (PARTITION BY p.dimension, p.month)
    QUALIFY count(*) FILTER (WHERE p.count IS NULL) OVER per_table = 0
        AND sum(p.count) OVER per_table = t.total
),
full_years AS (
    SELECT left(month, 4) AS year FROM month_totals GROUP BY ALL HAVING count(*) = 12
),
full_year_breakdowns AS (
    SELECT left(month, 4) AS year, dimension
    FROM (SELECT DISTINCT dimension, month FROM breakdowns)
    WHERE left(month, 4) IN (SELECT year FROM full_years)
    GROUP BY ALL HAVING count(*) = 12
),
placed AS (
    SELECT 'M' AS freq, month AS time_period, NULL AS dimension, '_T' AS code, total AS value FROM month_totals
    UNION ALL
    SELECT 'M', month, dimension, code, count FROM breakdowns
    UNION ALL
    SELECT 'A', left(month, 4), NULL, '_T', sum(total)
    FROM month_totals WHERE left(month, 4) IN (SELECT year FROM full_years) GROUP BY ALL
    UNION ALL
    SELECT 'A', y.year, b.dimension, b.code, sum(b.count)
    FROM breakdowns AS b JOIN full_year_breakdowns AS y ON y.dimension = b.dimension AND y.year = left(b.month, 4)
    GROUP BY ALL
),
measures AS (
    SELECT 'PMI_PLACED' AS indicator_id, freq, time_period, dimension, code, value, 'persons' AS unit
    FROM placed
    UNION ALL
    SELECT
        CASE dimension
            WHEN 'sex' THEN 'PMI_PLACED_F_SHARE'
            WHEN 'sector' THEN 'PMI_PLACED_INFORMAL_SHARE'
            ELSE 'PMI_PLACED_G2G_SHARE'
        END,
        freq,
        time_period,
        dimension,
        '_Z',
        100.0 * coalesce(sum(value) FILTER (WHERE code IN ('F', 'INFORMAL', 'G2G')), 0) / sum(value),
        'percent'
    FROM placed
    WHERE dimension IN ('sex', 'sector', 'scheme')
    GROUP BY ALL
    HAVING sum(value) > 0
),
vintage AS (
    SELECT strftime(max(loaded_at), '%Y-%m-%dT%H:%M:%SZ') AS vintage
    FROM meta.raw_files WHERE source = 'kp2mi_published' AND is_current
)
SELECT
    m.indicator_id,
    m.freq,
    m.time_period,
    'IDN' AS ref_area,
    CASE WHEN m.dimension = 'destination' THEN m.code ELSE '_T' END AS counterpart_area,
    CASE WHEN m.dimension = 'sex' THEN m.code ELSE '_T' END AS sex,
    '_T' AS age,
    CASE WHEN m.dimension = 'province' THEN m.code ELSE '_T' END AS province,
    '_T' AS education,
    CASE WHEN m.dimension = 'sector' THEN m.code ELSE '_T' END AS sector,
    '_T' AS occupation,
    CASE WHEN m.dimension = 'scheme' THEN m.code ELSE '_T' END AS scheme,
    '_Z' AS population_type,
    '_Z' AS location,
    CAST(m.value AS DOUBLE) AS value,
    m.unit,
    'A' AS obs_status,
    'KP2MI (published table)' AS source,
    v.vintage
FROM measures AS m
CROSS JOIN vintage AS v
ORDER BY m.indicator_id, m.freq, m.time_period, counterpart_area, sex, province, sector, scheme
