-- core.refugee_population: UNHCR population statistics by country of origin and of asylum, one
-- row per year, query, origin and asylum country (spec 2.4). `query` says which answer the row
-- comes from: coa=IDN (refugees hosted in Indonesia, by origin) or coo=IDN (refugees from
-- Indonesia, by host country). Only the current vintage of each file counts; when two files give
-- the same row, the file loaded last wins.
SELECT
    s.query,
    s.year,
    s.origin,
    s.origin_label,
    s.asylum,
    s.asylum_label,
    s.refugees,
    s.asylum_seekers,
    s.oip,
    s.source_file,
    s.line AS source_line
FROM staging.unhcr_population AS s
JOIN meta.raw_files AS f
    ON f.path = s.source_file AND f.sha256 = s.file_sha256 AND f.is_current
QUALIFY row_number() OVER (
    PARTITION BY s.query, s.year, s.origin, s.asylum ORDER BY f.loaded_at DESC, s.source_file DESC
) = 1
ORDER BY s.query, s.year, s.origin, s.asylum
