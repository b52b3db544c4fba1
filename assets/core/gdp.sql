-- core.gdp: GDP of Indonesia at current prices, USD million, one row per year (spec 2.6). Only
-- the current vintage of each file counts, and only years with a value (a year the file marks not
-- available has no row); when two files give the same year, the file loaded last wins. The
-- denominator of BX_TRF_PWKR.
SELECT
    s.year,
    s.gdp_usd_million,
    s.source_file,
    s.line AS source_line
FROM staging.bps_gdp AS s
JOIN meta.raw_files AS f
    ON f.path = s.source_file AND f.sha256 = s.file_sha256 AND f.is_current
WHERE s.gdp_usd_million IS NOT NULL
QUALIFY row_number() OVER (PARTITION BY s.year ORDER BY f.loaded_at DESC, s.source_file DESC) = 1
ORDER BY s.year
