-- report.sdg_series: the SDG indicators SDMI reports, one row per indicator and year: SDG 10.7.4
-- (refugees from Indonesia per 100,000 of its population, SM_POP_REFG_OR) and SDG 17.3.2
-- (remittances as a share of GDP, BX_TRF_PWKR). National headline series; values rounded to the
-- catalogue's decimals.
SELECT
    k.sdg_indicator,
    o.indicator_id AS indicator,
    k.name_id AS indicator_label_id,
    k.name_en AS indicator_label_en,
    CAST(o.time_period AS INTEGER) AS year,
    round(o.value, k.decimals) AS value,
    o.unit,
    s.code AS status,
    s.label_id AS status_label_id,
    s.label_en AS status_label_en
FROM indicators.observations AS o
JOIN indicators.catalogue AS k ON k.indicator_id = o.indicator_id
JOIN reference.codes AS s ON s.code_list = 'obs_status'
    AND s.code = CASE WHEN o.value IS NULL AND o.obs_status <> 'C' THEN 'M' ELSE o.obs_status END
WHERE k.sdg_indicator IS NOT NULL AND o.freq = 'A' AND o.ref_area = 'IDN' AND o.counterpart_area IN ('_T', '_Z')
ORDER BY k.sdg_indicator, year
