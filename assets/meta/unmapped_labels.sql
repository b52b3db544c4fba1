-- meta.unmapped_labels: the data quality report of descriptive labels (spec §1).
-- Education and occupation labels that no code list entry matches are kept as delivered, coded
-- OTHER, and counted here per source, column and label, so the code lists can grow.
SELECT 'kp2mi_placements' AS source, 'pendidikan' AS column_name, education_label AS label,
       count(*) AS rows, min(placement_date) AS first_seen, max(placement_date) AS last_seen
FROM core.pmi_placements WHERE education = 'OTHER' GROUP BY ALL
UNION ALL
SELECT 'kp2mi_placements', 'jabatan', occupation_label, count(*), min(placement_date), max(placement_date)
FROM core.pmi_placements WHERE occupation = 'OTHER' GROUP BY ALL
ORDER BY source, column_name, rows DESC, label
