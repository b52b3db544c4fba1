-- indicators.observations_remittances: REMIT_INFLOW and BX_TRF_PWKR (SDG 17.3.2).
--
-- REMIT_INFLOW, USD million, from Bank Indonesia (core.remittances):
--   quarterly (freq Q, 2022-Q1) by host country (counterpart_area; _O the rest of the world) and in
--     total (_T = the sum of the host rows, _O included). A host value the table marks not
--     available has no row, and its quarter no total: the sum of the others would understate it.
--   annual (freq A) by host and in total, for a year whose four quarters are all present: the sum of
--     the four quarterly values. A year with a quarter missing has no annual value.
-- BX_TRF_PWKR = REMIT_INFLOW annual total / GDP of the same year (core.gdp) x 100, percent, for
--   every year with both.
-- No other dimension applies to these indicators: they are `_Z`.
WITH quarterly AS (
    SELECT
        'Q' AS freq,
        quarter AS time_period,
        CASE WHEN grouping(host) = 1 THEN '_T' ELSE host END AS counterpart_area,
        sum(value_usd_million) AS value
    FROM core.remittances
    GROUP BY quarter, GROUPING SETS ((), (host))
    HAVING count(*) = count(value_usd_million)
),
annual AS (
    SELECT 'A' AS freq, left(time_period, 4) AS time_period, counterpart_area, sum(value) AS value
    FROM quarterly
    GROUP BY ALL
    HAVING count(*) = 4
),
remit_inflow AS (
    SELECT *, 'REMIT_INFLOW' AS indicator_id, 'USD million' AS unit, 'Bank Indonesia' AS source FROM quarterly
    UNION ALL
    SELECT *, 'REMIT_INFLOW', 'USD million', 'Bank Indonesia' FROM annual
),
share_of_gdp AS (
    SELECT
        'A' AS freq,
        a.time_period,
        '_T' AS counterpart_area,
        100 * CAST(a.value AS DOUBLE) / CAST(g.gdp_usd_million AS DOUBLE) AS value,
        'BX_TRF_PWKR' AS indicator_id,
        'percent' AS unit,
        'Bank Indonesia, BPS' AS source
    FROM annual AS a
    JOIN core.gdp AS g ON CAST(g.year AS VARCHAR) = a.time_period
    WHERE a.counterpart_area = '_T'
),
measures AS (
    SELECT indicator_id, freq, time_period, counterpart_area, CAST(value AS DOUBLE) AS value, unit, source
    FROM remit_inflow
    UNION ALL
    SELECT indicator_id, freq, time_period, counterpart_area, value, unit, source FROM share_of_gdp
),
vintages AS (
    SELECT
        strftime(max(loaded_at) FILTER (WHERE source = 'bi_remittances'), '%Y-%m-%dT%H:%M:%SZ') AS remittances,
        strftime(max(loaded_at) FILTER (WHERE source = 'bps_gdp'), '%Y-%m-%dT%H:%M:%SZ') AS gdp
    FROM meta.raw_files WHERE is_current
)
SELECT
    m.indicator_id,
    m.freq,
    m.time_period,
    'IDN' AS ref_area,
    m.counterpart_area,
    '_Z' AS sex,
    '_Z' AS age,
    '_Z' AS province,
    '_Z' AS education,
    '_Z' AS sector,
    '_Z' AS occupation,
    '_Z' AS scheme,
    '_Z' AS population_type,
    '_Z' AS location,
    m.value,
    m.unit,
    'A' AS obs_status,
    m.source,
    CASE WHEN m.indicator_id = 'BX_TRF_PWKR' THEN greatest(v.remittances, v.gdp) ELSE v.remittances END
        AS vintage
FROM measures AS m
CROSS JOIN vintages AS v
ORDER BY m.indicator_id, m.freq, m.time_period, m.counterpart_area
