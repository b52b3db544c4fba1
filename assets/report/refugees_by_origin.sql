-- report.refugees_by_origin: refugees and asylum-seekers in Indonesia (REF_HOSTED, UNHCR) by
-- country of origin, per year (UNHCR population statistics) and per month (UNHCR Indonesia snapshot).
-- One row per period x origin; the total is the row `_T`, labelled Jumlah / Total, last in its
-- period. month is NULL on the rows of a whole year.
WITH hosted AS (
    SELECT * FROM indicators.observations
    WHERE indicator_id = 'REF_HOSTED' AND COLUMNS('^(sex|age|population_type|location)$') = '_T'
)
SELECT
    o.time_period AS period,
    CAST(left(o.time_period, 4) AS INTEGER) AS year,
    CASE WHEN o.freq = 'M' THEN CAST(right(o.time_period, 2) AS INTEGER) END AS month,
    o.counterpart_area AS origin,
    coalesce(l.name_id, t.label_id) AS origin_label_id,
    coalesce(l.name_en, t.label_en) AS origin_label_en,
    CAST(o.value AS BIGINT) AS refugees_and_asylum_seekers,
    s.code AS status,
    s.label_id AS status_label_id,
    s.label_en AS status_label_en
FROM hosted AS o
LEFT JOIN reference.countries AS l ON l.iso3 = o.counterpart_area
LEFT JOIN reference.codes AS t ON t.code_list = 'sdmx_special' AND t.code = o.counterpart_area
JOIN reference.codes AS s ON s.code_list = 'obs_status'
    AND s.code = CASE WHEN o.value IS NULL AND o.obs_status <> 'C' THEN 'M' ELSE o.obs_status END
ORDER BY year, month NULLS FIRST, origin = '_T', refugees_and_asylum_seekers DESC, origin
