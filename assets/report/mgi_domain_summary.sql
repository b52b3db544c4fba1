-- report.mgi_domain_summary: Migration Governance Indicators, answers per domain, the national
-- assessment and each local (province) assessment of the same year side by side. One row per
-- year x local assessment x domain (1-6), plus the row `_T`, Jumlah / Total, over the six domains.
-- Percent of the domain's indicators answered yes, partially and no. illustrative: the answers
-- are the shipped illustrative samples, not official MGI results.
WITH answers AS (
    SELECT
        assessment_level, area, area_name, year,
        CASE WHEN grouping(domain) = 1 THEN '_T' ELSE CAST(domain AS VARCHAR) END AS domain,
        sum(indicators) AS indicators, sum(yes) AS yes, sum(partially) AS partially, sum(no) AS no,
        bool_or(illustrative) AS illustrative
    FROM indicators.mgi_domain_summary
    GROUP BY GROUPING SETS ((assessment_level, area, area_name, year, domain), (assessment_level, area, area_name, year))
),
national AS (SELECT * FROM answers WHERE assessment_level = 'NATIONAL'),
local AS (SELECT * FROM answers WHERE assessment_level = 'LOCAL')
SELECT
    coalesce(n.year, l.year) AS year,
    coalesce(n.domain, l.domain) AS domain,
    coalesce(d.label_id, t.label_id) AS domain_label_id,
    coalesce(d.label_en, t.label_en) AS domain_label_en,
    CAST(n.indicators AS INTEGER) AS national_indicators,
    round(100.0 * n.yes / nullif(n.indicators, 0), 1) AS national_yes_percent,
    round(100.0 * n.partially / nullif(n.indicators, 0), 1) AS national_partially_percent,
    round(100.0 * n.no / nullif(n.indicators, 0), 1) AS national_no_percent,
    l.area AS local_province,
    p.name_id AS local_province_label_id,
    p.name_en AS local_province_label_en,
    CAST(l.indicators AS INTEGER) AS local_indicators,
    round(100.0 * l.yes / nullif(l.indicators, 0), 1) AS local_yes_percent,
    round(100.0 * l.partially / nullif(l.indicators, 0), 1) AS local_partially_percent,
    round(100.0 * l.no / nullif(l.indicators, 0), 1) AS local_no_percent,
    coalesce(n.illustrative, false) OR coalesce(l.illustrative, false) AS illustrative
FROM national AS n
FULL JOIN local AS l ON l.year = n.year AND l.domain = n.domain
LEFT JOIN reference.codes AS d ON d.code_list = 'mgi_domain' AND d.code = coalesce(n.domain, l.domain)
LEFT JOIN reference.codes AS t ON t.code_list = 'sdmx_special' AND t.code = coalesce(n.domain, l.domain)
LEFT JOIN reference.provinces AS p ON p.province_code = l.area
ORDER BY year, local_province, coalesce(n.domain, l.domain) = '_T', coalesce(n.domain, l.domain)
