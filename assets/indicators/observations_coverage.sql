-- indicators.observations_coverage: SDMI_COVERAGE (GCM objective 1) in the layout of
-- indicators.observations, into which it is stacked: per year, the share (percent) of expected
-- source x disaggregation cells that hold data, from indicators.sdmi_coverage.
--
-- The source measured is carried in the `source` column (its publisher as in indicators.catalogue:
-- 'KP2MI', 'UNHCR, BPS' ...): the value is computed from that source's data. The share over all
-- sources together has source 'All sources'. Every dimension is `_Z`: coverage is not broken down
-- by country, sex or any other dimension of the observations.
-- A year whose data include a provisional value is provisional (obs_status P).
-- vintage: the newest vintage of any observation the coverage was computed from.
WITH vintage AS (SELECT max(vintage) AS vintage FROM indicators.sdmi_coverage_cells)
SELECT
    'SDMI_COVERAGE' AS indicator_id,
    'A' AS freq,
    CAST(c.year AS VARCHAR) AS time_period,
    'IDN' AS ref_area,
    '_Z' AS counterpart_area,
    '_Z' AS sex,
    '_Z' AS age,
    '_Z' AS province,
    '_Z' AS education,
    '_Z' AS sector,
    '_Z' AS occupation,
    '_Z' AS scheme,
    '_Z' AS population_type,
    '_Z' AS location,
    CAST(c.share AS DOUBLE) AS value,
    'percent' AS unit,
    CASE WHEN c.provisional THEN 'P' ELSE 'A' END AS obs_status,
    c.source,
    v.vintage
FROM indicators.sdmi_coverage AS c
CROSS JOIN vintage AS v
ORDER BY c.year, c.source
