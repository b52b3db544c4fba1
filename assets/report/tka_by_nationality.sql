-- report.tka_by_nationality: foreign worker permits starting in the period (TKA_NEW) and foreign
-- workers holding a valid permit at its end (TKA_STOCK), by nationality, per month and per year.
-- One row per period x nationality; the total is the row `_T`, labelled Jumlah / Total, last in its
-- period. month is NULL on the rows of a whole year. A cell the other indicator has but this one
-- has not is 0: both count the same permit records. status is the least final of the two values.
WITH permits AS (
    SELECT * FROM indicators.observations
    WHERE indicator_id IN ('TKA_NEW', 'TKA_STOCK') AND COLUMNS('^(sex|province|sector|occupation)$') = '_T'
),
cells AS (
    SELECT
        freq,
        time_period,
        counterpart_area,
        CASE WHEN bool_or(indicator_id = 'TKA_NEW') THEN max(value) FILTER (WHERE indicator_id = 'TKA_NEW') ELSE 0 END
            AS new_permits,
        CASE WHEN bool_or(indicator_id = 'TKA_STOCK') THEN max(value) FILTER (WHERE indicator_id = 'TKA_STOCK') ELSE 0 END
            AS permit_holders,
        CASE
            WHEN bool_or(obs_status = 'C') THEN 'C'
            WHEN bool_or(value IS NULL) THEN 'M'
            WHEN bool_or(obs_status = 'P') THEN 'P'
            WHEN bool_or(obs_status = 'E') THEN 'E'
            ELSE 'A'
        END AS status
    FROM permits
    GROUP BY freq, time_period, counterpart_area
)
SELECT
    v.time_period AS period,
    CAST(left(v.time_period, 4) AS INTEGER) AS year,
    CASE WHEN v.freq = 'M' THEN CAST(right(v.time_period, 2) AS INTEGER) END AS month,
    v.counterpart_area AS nationality,
    coalesce(l.name_id, t.label_id) AS nationality_label_id,
    coalesce(l.name_en, t.label_en) AS nationality_label_en,
    CAST(v.new_permits AS BIGINT) AS new_permits,
    CAST(v.permit_holders AS BIGINT) AS permit_holders,
    s.code AS status,
    s.label_id AS status_label_id,
    s.label_en AS status_label_en
FROM cells AS v
LEFT JOIN reference.countries AS l ON l.iso3 = v.counterpart_area
LEFT JOIN reference.codes AS t ON t.code_list = 'sdmx_special' AND t.code = v.counterpart_area
JOIN reference.codes AS s ON s.code_list = 'obs_status' AND s.code = v.status
ORDER BY year, month NULLS FIRST, nationality = '_T', new_permits DESC, nationality
