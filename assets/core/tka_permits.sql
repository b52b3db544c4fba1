-- core.tka_permits: foreign worker permits, one row per permit.
-- Only the current vintage of each Kemnaker file counts (meta.raw_files.is_current); rows that
-- failed validation, including a permit id already delivered in another file, are in
-- meta.rejects, not here.
-- No global ORDER BY: sorting every record held the build's peak memory (issue 14).
SELECT
    s.permit_id,
    s.nationality,
    s.nationality_label,
    s.sex,
    s.position,
    s.sector,
    s.kbli,
    s.province,
    s.province_label,
    s.start_date,
    s.end_date,
    strftime(s.start_date, '%Y-%m') AS start_month,
    year(s.start_date) AS start_year,
    s.source_file,
    s.line AS source_line
FROM staging.kemnaker_permits AS s
JOIN meta.raw_files AS f
    ON f.path = s.source_file AND f.sha256 = s.file_sha256 AND f.is_current
