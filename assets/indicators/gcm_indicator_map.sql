-- indicators.gcm_indicator_map: which GCM objective each SDMI indicator informs (spec §3).
--
-- Read from the `gcm_objectives` text of indicators.catalogue ('5, 6' gives two rows), so the map
-- cannot drift from the catalogue. Only the indicators of spec §3 are mapped: an indicator added to
-- the catalogue later (an illustrative one, say) joins the map when it is added to this list.
WITH spec_indicators(indicator_id) AS (
    VALUES ('PMI_PLACED'), ('PMI_PLACED_F_SHARE'), ('PMI_PLACED_INFORMAL_SHARE'), ('PMI_PLACED_G2G_SHARE'),
        ('TKA_NEW'), ('TKA_STOCK'), ('REF_HOSTED'), ('REF_HOSTED_PER_100K'), ('SM_POP_REFG_OR'),
        ('REMIT_INFLOW'), ('BX_TRF_PWKR'), ('SDMI_COVERAGE')
),
mapped AS (
    SELECT
        CAST(trim(objective) AS INTEGER) AS objective,
        c.indicator_id,
        c.sdg_indicator
    FROM indicators.catalogue AS c
    JOIN spec_indicators USING (indicator_id),
        unnest(string_split(c.gcm_objectives, ',')) AS objectives(objective)
    WHERE trim(objective) <> ''
)
SELECT objective, indicator_id, sdg_indicator FROM mapped
ORDER BY objective, indicator_id
