-- report.remittances_by_host_country: remittance inflows from Indonesian migrant workers (Bank
-- Indonesia, USD million) by host country, per quarter and per year, with remittances as a share
-- of GDP (SDG 17.3.2) beside the annual total. One row per period x host country; the total is the
-- row `_T`, labelled Jumlah / Total, last in its period; `_O` is the rest of the world. quarter is
-- NULL on the rows of a whole year.
WITH inflows AS (
    SELECT * FROM indicators.observations WHERE indicator_id = 'REMIT_INFLOW'
),
of_gdp AS (
    SELECT * FROM indicators.observations WHERE indicator_id = 'BX_TRF_PWKR'
)
SELECT
    o.time_period AS period,
    CAST(left(o.time_period, 4) AS INTEGER) AS year,
    CASE WHEN o.freq = 'Q' THEN CAST(right(o.time_period, 1) AS INTEGER) END AS quarter,
    o.counterpart_area AS host_country,
    coalesce(l.name_id, t.label_id) AS host_country_label_id,
    coalesce(l.name_en, t.label_en) AS host_country_label_en,
    round(o.value, k.decimals) AS usd_million,
    round(g.value, kg.decimals) AS gdp_percent,
    s.code AS status,
    s.label_id AS status_label_id,
    s.label_en AS status_label_en
FROM inflows AS o
LEFT JOIN of_gdp AS g USING (freq, time_period, counterpart_area)
JOIN indicators.catalogue AS k ON k.indicator_id = 'REMIT_INFLOW'
JOIN indicators.catalogue AS kg ON kg.indicator_id = 'BX_TRF_PWKR'
LEFT JOIN reference.countries AS l ON l.iso3 = o.counterpart_area
LEFT JOIN reference.codes AS t ON t.code_list = 'sdmx_special' AND t.code = o.counterpart_area
JOIN reference.codes AS s ON s.code_list = 'obs_status'
    AND s.code = CASE WHEN o.value IS NULL AND o.obs_status <> 'C' THEN 'M' ELSE o.obs_status END
ORDER BY year, quarter NULLS FIRST, host_country = '_T', host_country = '_O', usd_million DESC, host_country
