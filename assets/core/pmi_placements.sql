-- core.pmi_placements: Indonesian migrant worker placements, one row per placed worker.
-- Only the current vintage of each KP2MI file counts (meta.raw_files.is_current); rows that
-- failed validation are in meta.rejects, not here. Age group comes from reference.age_groups.
-- No global ORDER BY: sorting every record held the build's peak memory (issue 14).
SELECT
    s.id_pmi,
    s.placement_date,
    strftime(s.placement_date, '%Y-%m') AS placement_month,
    year(s.placement_date) AS placement_year,
    s.sex,
    s.age,
    a.age_group,
    s.education,
    s.education_label,
    s.province,
    s.regency,
    s.destination,
    s.destination_label,
    s.occupation,
    s.occupation_label,
    s.sector,
    s.scheme,
    s.source_file,
    s.line AS source_line
FROM staging.kp2mi_placements AS s
JOIN meta.raw_files AS f
    ON f.path = s.source_file AND f.sha256 = s.file_sha256 AND f.is_current
-- Each group's ages listed one by one, so that the join is on equal ages (a hash join on a table of
-- a few hundred rows) rather than `BETWEEN` (a merge join that sorts every record).
JOIN (SELECT unnest(range(min_age, max_age + 1)) AS age, age_group FROM reference.age_groups) AS a
    ON a.age = s.age
