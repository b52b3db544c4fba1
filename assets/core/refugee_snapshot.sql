-- core.refugee_snapshot: refugees and asylum-seekers in Indonesia from the UNHCR country office's
-- monthly snapshot (spec 2.4), one row per delivered row of the current vintage of each file.
SELECT
    s.snapshot_month,
    s.origin,
    s.origin_label,
    s.population_type,
    s.sex,
    s.age_group,
    s.location,
    s.count,
    s.source_file,
    s.line AS source_line
FROM staging.unhcr_snapshot AS s
JOIN meta.raw_files AS f
    ON f.path = s.source_file AND f.sha256 = s.file_sha256 AND f.is_current
ORDER BY s.snapshot_month, s.source_file, s.line
