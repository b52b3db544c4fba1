-- core.population: population by province and sex from BPS (spec 2.5), in persons.
-- Only the current vintage of each BPS file counts. When two files give the same year, province
-- and sex (for instance two BPS variables), the file loaded last wins. Province `_T` is the
-- national total (vervar INDONESIA), sex `_T` both sexes (turvar Jumlah). It is the denominator
-- of REF_HOSTED_PER_100K and SM_POP_REFG_OR.
SELECT
    s.year,
    s.province,
    s.province_label,
    s.sex,
    s.population,
    s.var_id,
    s.source_file,
    s.line AS source_line
FROM staging.bps_population AS s
JOIN meta.raw_files AS f
    ON f.path = s.source_file AND f.sha256 = s.file_sha256 AND f.is_current
QUALIFY row_number() OVER (PARTITION BY s.year, s.province, s.sex ORDER BY f.loaded_at DESC, s.source_file DESC) = 1
ORDER BY s.year, s.province, s.sex
