-- indicators.mgi_responses: the answers of every MGI assessment (spec 2.7), one row per
-- assessment x indicator, from the current vintage of each file.
--
-- One file is one assessment (level, area, year from its name). Should a CSV and a workbook of
-- the same assessment both be delivered, the one loaded last holds (then the later path); the
-- other stays in staging.mgi_assessments.
-- illustrative: the delivered `sumber` starts with ILUSTRASI or ILLUSTRATIVE (any case), the mark
-- of the shipped sample answers, which are not official MGI results.
-- Domain names come from reference.codes (code list mgi_domain, label_en and label_id).
WITH current_rows AS (
    SELECT s.*
    FROM staging.mgi_assessments AS s
    JOIN meta.raw_files AS f
        ON f.path = s.source_file AND f.sha256 = s.file_sha256 AND f.is_current
    QUALIFY dense_rank() OVER (
        PARTITION BY s.assessment_level, s.area, s.year ORDER BY f.loaded_at DESC, s.source_file DESC
    ) = 1
),
domains AS (
    SELECT
        CAST(code AS INTEGER) AS domain,
        label_en AS name_en,
        label_id AS name_id
    FROM reference.codes
    WHERE code_list = 'mgi_domain'
)
SELECT
    r.assessment_level,
    r.area,
    CASE WHEN r.area = 'IDN' THEN 'IDN' ELSE 'ID-' || r.area END AS ref_area,
    CASE WHEN r.area = 'IDN' THEN 'Indonesia' ELSE p.name_id END AS area_name,
    r.year,
    r.indicator_id,
    r.domain,
    d.name_en AS domain_name_en,
    d.name_id AS domain_name_id,
    r.question,
    r.answer,
    r.justification,
    r.source,
    r.highlighted,
    coalesce(regexp_matches(r.source, '^\s*(ILUSTRASI|ILLUSTRATIVE)', 'i'), false) AS illustrative,
    r.source_file,
    r.line AS source_line
FROM current_rows AS r
JOIN domains AS d ON d.domain = r.domain
LEFT JOIN reference.provinces AS p ON p.province_code = r.area
ORDER BY r.year, r.assessment_level DESC, r.area, r.line
