-- report.sdmi_coverage: how complete SDMI is, source x year: the expected source x year x
-- disaggregation cells, those holding data, and their share (percent, 1 decimal). The row over
-- all sources is labelled Jumlah / Total and comes last in its year.
SELECT
    c.year,
    CASE WHEN c.source = 'All sources' THEN '_T' ELSE c.source END AS source,
    CASE WHEN c.source = 'All sources' THEN t.label_id ELSE c.source END AS source_label_id,
    CASE WHEN c.source = 'All sources' THEN t.label_en ELSE c.source END AS source_label_en,
    c.expected_cells,
    c.cells_with_data,
    round(c.share, k.decimals) AS percent,
    c.cells_without_data,
    s.code AS status,
    s.label_id AS status_label_id,
    s.label_en AS status_label_en
FROM indicators.sdmi_coverage AS c
JOIN indicators.catalogue AS k ON k.indicator_id = 'SDMI_COVERAGE'
JOIN reference.codes AS t ON t.code_list = 'sdmx_special' AND t.code = '_T'
JOIN reference.codes AS s ON s.code_list = 'obs_status' AND s.code = CASE WHEN c.provisional THEN 'P' ELSE 'A' END
ORDER BY c.year, c.source = 'All sources', c.source
