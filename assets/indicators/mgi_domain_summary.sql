-- indicators.mgi_domain_summary: per MGI assessment x domain, how many indicators were answered
-- yes, partially and no, how many are highlighted, and the shares of the answers (percent).
--
-- Every assessment lists all six domains: a domain without indicators shows 0 and NULL shares,
-- so a gap in an assessment is visible. illustrative is true when any answer of the assessment
-- is an illustrative sample (see indicators.mgi_responses).
WITH assessments AS (
    SELECT assessment_level, area, ref_area, area_name, year, bool_or(illustrative) AS illustrative
    FROM indicators.mgi_responses
    GROUP BY ALL
),
domains AS (
    SELECT
        CAST(code AS INTEGER) AS domain,
        label_en AS name_en,
        label_id AS name_id
    FROM reference.codes
    WHERE code_list = 'mgi_domain'
),
counts AS (
    SELECT
        assessment_level,
        area,
        year,
        domain,
        count(*) AS indicators,
        count(*) FILTER (WHERE answer = 'YES') AS yes,
        count(*) FILTER (WHERE answer = 'PARTIAL') AS partially,
        count(*) FILTER (WHERE answer = 'NO') AS no,
        count(*) FILTER (WHERE highlighted) AS highlighted
    FROM indicators.mgi_responses
    GROUP BY ALL
)
SELECT
    a.assessment_level,
    a.area,
    a.ref_area,
    a.area_name,
    a.year,
    d.domain,
    d.name_en AS domain_name_en,
    d.name_id AS domain_name_id,
    coalesce(c.indicators, 0) AS indicators,
    coalesce(c.yes, 0) AS yes,
    coalesce(c.partially, 0) AS partially,
    coalesce(c.no, 0) AS no,
    coalesce(c.highlighted, 0) AS highlighted,
    100.0 * c.yes / nullif(c.indicators, 0) AS yes_share,
    100.0 * c.partially / nullif(c.indicators, 0) AS partially_share,
    100.0 * c.no / nullif(c.indicators, 0) AS no_share,
    a.illustrative
FROM assessments AS a
CROSS JOIN domains AS d
LEFT JOIN counts AS c
    ON c.assessment_level = a.assessment_level AND c.area = a.area AND c.year = a.year AND c.domain = d.domain
ORDER BY a.year, a.assessment_level DESC, a.area, d.domain
