-- core.pmi_published: KP2MI's published monthly placement tables (spec 2.2), the current vintage
-- of each file (meta.raw_files.is_current), one row per dimension value and month. The closing
-- Jumlah/Total row of each table is the value `_T`; rows rejected for an unknown label are in
-- meta.rejects, not here.
SELECT
    s.dimension,
    s.code,
    s.label,
    s.month,
    CAST(left(s.month, 4) AS INTEGER) AS year,
    s.count,
    s.source_file,
    s.line AS source_line
FROM staging.kp2mi_published AS s
JOIN meta.raw_files AS f
    ON f.path = s.source_file AND f.sha256 = s.file_sha256 AND f.is_current
ORDER BY s.dimension, s.month, s.code = '_T', s.line
