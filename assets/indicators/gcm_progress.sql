-- indicators.gcm_progress: progress per GCM objective. For each indicator mapped to the objective
-- (indicators.gcm_indicator_map), its latest annual value, the value of the year before and the
-- change.
--
-- The series is the national headline: freq A, ref_area IDN, and no breakdown, i.e. every
-- dimension `_T` or `_Z`, or held at one value throughout the indicator (population_type REF for
-- SM_POP_REFG_OR). SDMI_COVERAGE, given per source, is taken for 'All sources'.
-- change = latest - previous, in the indicator's unit (percentage points for a percent).
-- change_percent = change / previous x 100, except for an indicator in percent (a percent change of
-- a share is easily misread) and when the previous value is 0.
-- Every objective is listed: one without a mapped indicator has one row with indicator_id NULL, and
-- a mapped indicator without data has its values NULL.
WITH fixed AS (  -- per indicator, the dimensions that take a single value in all its observations
    SELECT
        indicator_id,
        min(counterpart_area) = max(counterpart_area) AS counterpart_area,
        min(sex) = max(sex) AS sex,
        min(age) = max(age) AS age,
        min(province) = max(province) AS province,
        min(education) = max(education) AS education,
        min(sector) = max(sector) AS sector,
        min(occupation) = max(occupation) AS occupation,
        min(scheme) = max(scheme) AS scheme,
        min(population_type) = max(population_type) AS population_type,
        min(location) = max(location) AS location
    FROM indicators.observations
    GROUP BY indicator_id
),
headline AS (
    SELECT o.indicator_id, CAST(o.time_period AS INTEGER) AS year, o.value, o.obs_status
    FROM indicators.observations AS o
    JOIN fixed AS f USING (indicator_id)
    WHERE o.freq = 'A' AND o.ref_area = 'IDN'
      AND (o.counterpart_area IN ('_T', '_Z') OR f.counterpart_area)
      AND (o.sex IN ('_T', '_Z') OR f.sex)
      AND (o.age IN ('_T', '_Z') OR f.age)
      AND (o.province IN ('_T', '_Z') OR f.province)
      AND (o.education IN ('_T', '_Z') OR f.education)
      AND (o.sector IN ('_T', '_Z') OR f.sector)
      AND (o.occupation IN ('_T', '_Z') OR f.occupation)
      AND (o.scheme IN ('_T', '_Z') OR f.scheme)
      AND (o.population_type IN ('_T', '_Z') OR f.population_type)
      AND (o.location IN ('_T', '_Z') OR f.location)
      AND (o.indicator_id <> 'SDMI_COVERAGE' OR o.source = 'All sources')
),
latest AS (
    SELECT indicator_id, max(year) AS year FROM headline GROUP BY indicator_id
)
SELECT
    g.objective,
    g.title_en AS objective_title_en,
    g.title_id AS objective_title_id,
    m.indicator_id,
    c.name_en AS indicator_name_en,
    c.name_id AS indicator_name_id,
    c.unit,
    l.year AS latest_year,
    latest_row.value AS latest_value,
    latest_row.obs_status AS latest_obs_status,
    l.year - 1 AS previous_year,
    previous_row.value AS previous_value,
    previous_row.obs_status AS previous_obs_status,
    latest_row.value - previous_row.value AS change,
    CASE
        WHEN c.unit <> 'percent' AND previous_row.value <> 0
            THEN 100.0 * (latest_row.value - previous_row.value) / previous_row.value
    END AS change_percent
FROM indicators.gcm_objectives AS g
LEFT JOIN indicators.gcm_indicator_map AS m USING (objective)
LEFT JOIN indicators.catalogue AS c USING (indicator_id)
LEFT JOIN latest AS l USING (indicator_id)
LEFT JOIN headline AS latest_row ON latest_row.indicator_id = m.indicator_id AND latest_row.year = l.year
LEFT JOIN headline AS previous_row ON previous_row.indicator_id = m.indicator_id AND previous_row.year = l.year - 1
ORDER BY g.objective, m.indicator_id
