-- core.pmi_monthly_counts: placements per month at the finest grain (every dimension the
-- indicators break down by), summed from core.pmi_placements. The PMI indicators add these up
-- instead of reading every record. Built month by month (sdmi_pipeline/warehouse/monthly_slices.py): a
-- build counts again only the months whose KP2MI files changed since the last build.
SELECT
    placement_month,
    placement_year,
    destination,
    province,
    sex,
    age_group,
    education,
    sector,
    occupation,
    scheme,
    count(*) AS placed
FROM core.pmi_placements
GROUP BY ALL
