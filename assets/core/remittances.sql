-- core.remittances: remittance inflows from Indonesian migrant workers by host country and
-- quarter, USD million, from Bank Indonesia (spec 2.6). Only the current vintage of each file
-- counts; when two files give the same host and quarter, the file loaded last wins. `_O` is the
-- rest of the world (Lainnya / Others). A value the table marks not available is NULL.
SELECT
    CAST(left(s.quarter, 4) AS INTEGER) AS year,
    s.quarter,
    s.host,
    s.host_label,
    s.value_usd_million,
    s.source_file,
    s.line AS source_line
FROM staging.bi_remittances AS s
JOIN meta.raw_files AS f
    ON f.path = s.source_file AND f.sha256 = s.file_sha256 AND f.is_current
QUALIFY row_number() OVER (PARTITION BY s.quarter, s.host ORDER BY f.loaded_at DESC, s.source_file DESC) = 1
ORDER BY s.quarter, s.host
