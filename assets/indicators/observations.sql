-- indicators.observations: every published indicator value, one row per observation (spec §4).
-- Each source's observations are built in their own table and stacked here.
SELECT * FROM indicators.observations_pmi
UNION ALL
SELECT * FROM indicators.observations_pmi_published
UNION ALL
SELECT * FROM indicators.observations_tka
UNION ALL
SELECT * FROM indicators.observations_refugees
UNION ALL
SELECT * FROM indicators.observations_remittances
UNION ALL
SELECT * FROM indicators.observations_coverage
ORDER BY indicator_id, freq, time_period, ref_area, counterpart_area, sex, age, province,
    education, sector, occupation, scheme, population_type, location, source
