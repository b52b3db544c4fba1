-- indicators.figures: every figure of an indicator's national headline series, with its status and
-- its comparison, computed here once. The portal (home cards, indicator pages, GCM page), the Excel
-- workbook, Open SDG, SDMX and indicators.gcm_progress read them; none computes its own.
--
-- The headline series: ref_area IDN and no breakdown (every dimension `_T` or `_Z`, or held at one
-- value throughout the indicator); SDMI_COVERAGE is taken for 'All sources'.
-- kind: flow (counts and amounts that add up over the year), stock (TKA_STOCK, REF_HOSTED, the
-- list of checks.STOCK_INDICATORS), rate (shares, rates).
-- A year to date (year_to_date): an annual value of a year whose monthly values stop before
-- December and whose status is P. Its label names its months (`January-April 2023`).
-- A lower bound (lower_bound): a stock counted from permits (TKA_STOCK) in the first year the
-- permits were delivered misses the permits issued before and still valid. It is compared with
-- nothing, and nothing is compared with it.
-- A series break (series_break): the period's source (publisher and method, e.g. KP2MI's printed
-- tables against its record-level files) differs from the one of the period before in the same
-- frequency. No change is computed across it, and charts draw no line across it; SDMX marks the
-- period OBS_STATUS B where its status is otherwise A.
-- illustrative: the figure rests on a generated sample: a current raw file of its publisher is named
-- by the SAMPLE.json its generator wrote (meta.raw_files.illustrative); a release says so.
-- comparison (reference.codes list gcm_comparison):
--   FULL_YEAR      a final year against the final year before;
--   SAME_MONTHS    a year to date against the same months of the year before (for a stock, the
--                  same last month), listed in compared_periods;
--   SAME_QUARTERS  the same with quarters;
--   SAME_PERIOD    a month or quarter against the same one a year before;
--   NONE           no change, for the reason in comparison_reason (list comparison_reason).
WITH publishers(prefix, publisher) AS (  -- meta.raw_files.source → the name the observations' source uses
    VALUES ('kp2mi', 'KP2MI'), ('kemnaker', 'Kemnaker'), ('unhcr', 'UNHCR'), ('bps', 'BPS'),
        ('bi_', 'Bank Indonesia')
),
samples AS (  -- publishers some of whose current raw files are generated samples (their SAMPLE.json)
    SELECT DISTINCT p.publisher
    FROM meta.raw_files AS r
    JOIN publishers AS p ON starts_with(r.source, p.prefix)
    WHERE r.is_current AND r.illustrative IS NOT NULL
),
fixed AS (  -- per indicator, the dimensions that take a single value in all its observations
    SELECT
        indicator_id,
        count(DISTINCT counterpart_area) = 1 AS counterpart_area,
        count(DISTINCT sex) = 1 AS sex,
        count(DISTINCT age) = 1 AS age,
        count(DISTINCT province) = 1 AS province,
        count(DISTINCT education) = 1 AS education,
        count(DISTINCT sector) = 1 AS sector,
        count(DISTINCT occupation) = 1 AS occupation,
        count(DISTINCT scheme) = 1 AS scheme,
        count(DISTINCT population_type) = 1 AS population_type,
        count(DISTINCT location) = 1 AS location
    FROM indicators.observations
    GROUP BY indicator_id
),
headline AS (
    SELECT
        o.indicator_id,
        o.freq,
        o.time_period,
        CAST(left(o.time_period, 4) AS INTEGER) AS year,
        substr(o.time_period, 6) AS part,
        o.value,
        o.obs_status,
        o.source,
        c.unit,
        CASE
            WHEN o.indicator_id IN ('TKA_STOCK', 'REF_HOSTED') THEN 'stock'
            WHEN c.unit IN ('persons', 'permits', 'USD million') THEN 'flow'
            ELSE 'rate'
        END AS kind
    FROM indicators.observations AS o
    JOIN fixed AS f USING (indicator_id)
    JOIN indicators.catalogue AS c USING (indicator_id)
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
sub_annual AS (  -- per indicator and year, the months (else quarters) its headline holds
    SELECT indicator_id, year, freq, list(part ORDER BY part) AS parts
    FROM headline
    WHERE freq IN ('M', 'Q')
    GROUP BY indicator_id, year, freq
    QUALIFY freq = min(freq) OVER (PARTITION BY indicator_id, year)
),
first_years AS (  -- the first year of a stock counted from permits: a lower bound
    SELECT indicator_id, min(year) AS year FROM headline
    WHERE indicator_id = 'TKA_STOCK' GROUP BY indicator_id
),
marked AS (
    SELECT
        h.*,
        h.freq = 'A' AND h.obs_status = 'P' AND s.freq IS NOT NULL
            AND list_last(s.parts) < CASE s.freq WHEN 'M' THEN '12' ELSE 'Q4' END AS year_to_date,
        CASE WHEN h.freq = 'A' THEN s.freq END AS parts_freq,
        CASE WHEN h.freq = 'A' THEN s.parts END AS parts,
        fy.year IS NOT NULL AS lower_bound,
        coalesce(
            h.source <> lag(h.source) OVER (PARTITION BY h.indicator_id, h.freq ORDER BY h.time_period), false
        ) AS series_break
    FROM headline AS h
    LEFT JOIN sub_annual AS s ON s.indicator_id = h.indicator_id AND s.year = h.year
    LEFT JOIN first_years AS fy ON fy.indicator_id = h.indicator_id AND fy.year = h.year
),
same_parts AS (  -- a year to date against the same months (quarters) of the year before
    SELECT
        m.indicator_id,
        m.year,
        count(b.value) = len(m.parts) AS complete,
        CASE WHEN m.kind = 'stock' THEN max_by(b.value, b.part) ELSE sum(b.value) END AS value,
        bool_or(b.source <> m.source) AS other_source,
        bool_or(b.obs_status <> 'A') AS provisional
    FROM marked AS m
    CROSS JOIN unnest(m.parts) AS p(part)
    LEFT JOIN headline AS b
        ON b.indicator_id = m.indicator_id AND b.freq = m.parts_freq AND b.year = m.year - 1 AND b.part = p.part
    WHERE m.year_to_date
    GROUP BY m.indicator_id, m.year, m.parts, m.kind
),
paired AS (
    SELECT
        m.*,
        b.time_period AS before_period,
        b.value AS before_value,
        b.obs_status AS before_status,
        b.source AS before_source,
        coalesce(b.lower_bound, false) AS before_lower_bound,
        b.year_to_date AS before_year_to_date,
        sp.complete AS same_complete,
        sp.value AS same_value,
        sp.other_source AS same_other_source,
        sp.provisional AS same_provisional
    FROM marked AS m
    LEFT JOIN marked AS b
        ON b.indicator_id = m.indicator_id AND b.freq = m.freq AND b.year = m.year - 1
        AND b.part = m.part
    LEFT JOIN same_parts AS sp ON sp.indicator_id = m.indicator_id AND sp.year = m.year AND m.year_to_date
),
judged AS (
    SELECT
        p.*,
        CASE
            WHEN p.value IS NULL THEN 'NOT_AVAILABLE'
            WHEN p.lower_bound THEN 'LOWER_BOUND'
            WHEN p.series_break THEN 'SERIES_BREAK'
            WHEN p.before_lower_bound THEN 'PREVIOUS_LOWER_BOUND'
            WHEN p.year_to_date AND p.kind = 'rate' THEN 'RATE_YEAR_TO_DATE'
            WHEN p.year_to_date AND NOT p.same_complete THEN 'NO_SAME_MONTHS'
            WHEN p.year_to_date AND p.same_other_source THEN 'SERIES_BREAK'
            WHEN p.year_to_date AND p.same_provisional THEN 'PROVISIONAL'
            WHEN p.year_to_date THEN NULL
            WHEN p.before_period IS NULL OR p.before_value IS NULL THEN 'NO_PREVIOUS'
            WHEN p.before_source <> p.source THEN 'SERIES_BREAK'
            WHEN p.obs_status = 'P' OR p.before_status = 'P' OR p.before_year_to_date THEN 'PROVISIONAL'
        END AS comparison_reason
    FROM paired AS p
),
compared AS (
    SELECT
        j.*,
        CASE
            WHEN j.comparison_reason IS NOT NULL THEN 'NONE'
            WHEN j.year_to_date THEN CASE j.parts_freq WHEN 'M' THEN 'SAME_MONTHS' ELSE 'SAME_QUARTERS' END
            WHEN j.freq = 'A' THEN 'FULL_YEAR'
            ELSE 'SAME_PERIOD'
        END AS comparison,
        CASE WHEN j.comparison_reason IS NULL
            THEN CASE WHEN j.year_to_date THEN j.same_value ELSE j.before_value END
        END AS previous_value
    FROM judged AS j
),
named AS (  -- the period as a reader reads it, without its year: `January–April`, `July`, `Q4`
    SELECT
        c.*,
        CASE
            WHEN c.year_to_date AND c.parts_freq = 'M'
                THEN concat_ws('–', fm.label_en, CASE WHEN len(c.parts) > 1 THEN lm.label_en END)
            WHEN c.year_to_date THEN concat_ws('–', c.parts[1], CASE WHEN len(c.parts) > 1 THEN list_last(c.parts) END)
            WHEN c.freq = 'M' THEN pm.label_en
            WHEN c.freq = 'Q' THEN c.part
        END AS lead_en,
        CASE
            WHEN c.year_to_date AND c.parts_freq = 'M'
                THEN concat_ws('–', fm.label_id, CASE WHEN len(c.parts) > 1 THEN lm.label_id END)
            WHEN c.year_to_date
                THEN 'Triwulan ' || concat_ws('–', ['I', 'II', 'III', 'IV'][CAST(right(c.parts[1], 1) AS INTEGER)],
                    CASE WHEN len(c.parts) > 1 THEN ['I', 'II', 'III', 'IV'][CAST(right(list_last(c.parts), 1) AS INTEGER)] END)
            WHEN c.freq = 'M' THEN pm.label_id
            WHEN c.freq = 'Q' THEN 'Triwulan ' || ['I', 'II', 'III', 'IV'][CAST(right(c.part, 1) AS INTEGER)]
        END AS lead_id
    FROM compared AS c
    LEFT JOIN reference.codes AS fm ON c.year_to_date AND c.parts_freq = 'M'
        AND fm.code_list = 'month' AND fm.code = c.parts[1]
    LEFT JOIN reference.codes AS lm ON c.year_to_date AND c.parts_freq = 'M'
        AND lm.code_list = 'month' AND lm.code = list_last(c.parts)
    LEFT JOIN reference.codes AS pm ON c.freq = 'M' AND pm.code_list = 'month' AND pm.code = c.part
)
SELECT
    c.indicator_id,
    c.freq,
    c.time_period,
    c.kind,
    c.value,
    c.obs_status,
    c.source,
    c.year_to_date,
    CASE WHEN c.year_to_date THEN array_to_string(c.parts, ', ') END AS period_parts,
    concat_ws(' ', c.lead_en, c.year) AS period_label_en,
    concat_ws(' ', c.lead_id, c.year) AS period_label_id,
    c.lower_bound,
    c.series_break,
    EXISTS (
        SELECT 1 FROM samples AS s WHERE contains(c.source, s.publisher) OR c.source = 'All sources'
    ) AS illustrative,
    c.comparison,
    c.comparison_reason,
    CASE WHEN c.comparison <> 'NONE' THEN c.before_period END AS previous_period,
    CASE WHEN c.comparison <> 'NONE' THEN concat_ws(' ', c.lead_en, c.year - 1) END AS previous_period_label_en,
    CASE WHEN c.comparison <> 'NONE' THEN concat_ws(' ', c.lead_id, c.year - 1) END AS previous_period_label_id,
    c.previous_value,
    CASE WHEN c.comparison <> 'NONE' THEN c.before_status END AS previous_obs_status,
    c.value - c.previous_value AS change,
    CASE
        WHEN c.unit <> 'percent' AND c.previous_value <> 0
            THEN 100.0 * (c.value - c.previous_value) / c.previous_value
    END AS change_percent
FROM named AS c
ORDER BY c.indicator_id, c.freq, c.time_period
