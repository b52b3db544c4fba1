-- indicators.gcm_progress: progress per GCM objective. For each indicator mapped to the objective
-- (indicators.gcm_indicator_map), its latest annual value, the value of the year before and the
-- change.
--
-- The series is the national headline: ref_area IDN, and no breakdown, i.e. every dimension `_T`
-- or `_Z`, or held at one value throughout the indicator (population_type REF for
-- SM_POP_REFG_OR). SDMI_COVERAGE, given per source, is taken for 'All sources'.
-- Like is compared with like (column comparison):
--   FULL_YEAR     both years final: the annual values.
--   SAME_MONTHS   the latest year is provisional (an incomplete year) and the indicator is a flow
--   / SAME_QUARTERS  with monthly (or quarterly) values: previous_value is the sum of the same months
--                 (quarters) of the year before, listed in compared_periods. Needs all of them.
--   NONE          anything else provisional (a stock, a rate, a year before that is incomplete):
--                 no change is computed.
-- Flows are counts and amounts that add up over the year; TKA_STOCK and REF_HOSTED are stocks
-- (the same list as checks.STOCK_INDICATORS).
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
headline_rows AS (
    SELECT o.indicator_id, o.freq, CAST(left(o.time_period, 4) AS INTEGER) AS year,
        substr(o.time_period, 6) AS part, o.value, o.obs_status
    FROM indicators.observations AS o
    JOIN fixed AS f USING (indicator_id)
    WHERE o.ref_area = 'IDN'
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
headline AS (
    SELECT indicator_id, year, value, obs_status FROM headline_rows WHERE freq = 'A'
),
latest AS (
    SELECT indicator_id, max(year) AS year FROM headline GROUP BY indicator_id
),
flows AS (  -- the sub-annual frequency of each flow: months where there are any, else quarters
    SELECT r.indicator_id, min(r.freq) AS freq
    FROM headline_rows AS r
    JOIN indicators.catalogue AS c USING (indicator_id)
    WHERE r.freq IN ('M', 'Q') AND c.unit IN ('persons', 'permits', 'USD million')
      AND r.indicator_id NOT IN ('TKA_STOCK', 'REF_HOSTED')
    GROUP BY r.indicator_id
),
same_periods AS (  -- per flow, the latest year's months (quarters) against the same ones a year before
    SELECT
        r.indicator_id,
        fl.freq,
        sum(before.value) AS previous_value,
        count(before.value) = count(*) AS complete,
        bool_or(before.obs_status = 'P') AS previous_provisional,
        string_agg(r.part, ', ' ORDER BY r.part) AS parts
    FROM headline_rows AS r
    JOIN flows AS fl ON fl.indicator_id = r.indicator_id AND fl.freq = r.freq
    JOIN latest AS l ON l.indicator_id = r.indicator_id AND l.year = r.year
    LEFT JOIN headline_rows AS before
        ON before.indicator_id = r.indicator_id AND before.freq = r.freq
        AND before.year = r.year - 1 AND before.part = r.part
    GROUP BY r.indicator_id, fl.freq
),
compared AS (
    SELECT
        l.indicator_id,
        l.year,
        latest_row.value AS latest_value,
        latest_row.obs_status AS latest_obs_status,
        CASE
            WHEN latest_row.obs_status <> 'P' AND previous_row.obs_status <> 'P' THEN 'FULL_YEAR'
            WHEN latest_row.obs_status = 'P' AND sp.complete AND NOT sp.previous_provisional
                THEN CASE sp.freq WHEN 'M' THEN 'SAME_MONTHS' ELSE 'SAME_QUARTERS' END
            WHEN previous_row.value IS NOT NULL THEN 'NONE'
        END AS comparison,
        previous_row.value AS previous_year_value,
        previous_row.obs_status AS previous_year_status,
        sp.previous_value AS same_periods_value,
        sp.parts
    FROM latest AS l
    JOIN headline AS latest_row ON latest_row.indicator_id = l.indicator_id AND latest_row.year = l.year
    LEFT JOIN headline AS previous_row ON previous_row.indicator_id = l.indicator_id AND previous_row.year = l.year - 1
    LEFT JOIN same_periods AS sp ON sp.indicator_id = l.indicator_id
),
progress AS (
    SELECT
        indicator_id,
        year,
        latest_value,
        latest_obs_status,
        comparison,
        CASE WHEN comparison IN ('SAME_MONTHS', 'SAME_QUARTERS') THEN parts END AS compared_periods,
        CASE WHEN comparison IN ('SAME_MONTHS', 'SAME_QUARTERS') THEN same_periods_value
             ELSE previous_year_value END AS previous_value,
        CASE WHEN comparison IN ('SAME_MONTHS', 'SAME_QUARTERS') THEN 'A'
             ELSE previous_year_status END AS previous_obs_status,
        CASE WHEN comparison IN ('SAME_MONTHS', 'SAME_QUARTERS') THEN latest_value - same_periods_value
             WHEN comparison = 'FULL_YEAR' THEN latest_value - previous_year_value END AS change
    FROM compared
)
SELECT
    g.objective,
    g.title_en AS objective_title_en,
    g.title_id AS objective_title_id,
    m.indicator_id,
    c.name_en AS indicator_name_en,
    c.name_id AS indicator_name_id,
    c.unit,
    p.year AS latest_year,
    p.latest_value,
    p.latest_obs_status,
    p.year - 1 AS previous_year,
    p.previous_value,
    p.previous_obs_status,
    p.comparison,
    p.compared_periods,
    p.change,
    CASE
        WHEN c.unit <> 'percent' AND p.previous_value <> 0 THEN 100.0 * p.change / p.previous_value
    END AS change_percent
FROM indicators.gcm_objectives AS g
LEFT JOIN indicators.gcm_indicator_map AS m USING (objective)
LEFT JOIN indicators.catalogue AS c USING (indicator_id)
LEFT JOIN progress AS p USING (indicator_id)
ORDER BY g.objective, m.indicator_id
