-- meta.reconciliation: KP2MI's published monthly tables against the record-level placements
-- (spec 2.2), per month x dimension x value wherever a published table exists.
--
-- record_count counts core.pmi_placements by the same codes (destination, province of origin,
-- sex, sector, scheme), adding up core.pmi_monthly_counts; `_T` compares the table's closing Jumlah/Total row with all records of
-- the month. A value on one side only counts 0 on the other. In a table by destination that has
-- a rest-of-the-world row (`_O`, Lainnya), the records of every country the table does not list
-- count in `_O`; without such a row, each of those countries is a value of its own that the
-- table gives 0.
-- outcome: `agree` (difference 0), `disagree`, `record-level missing` (no record-level data for
-- the month: record_count and difference are NULL), `published not available` (the table prints
-- .. or n.a.: published_count and difference are NULL).
WITH record_months AS (
    SELECT DISTINCT placement_month AS month FROM core.pmi_monthly_counts
),
tables AS (
    SELECT DISTINCT dimension, month, source_file FROM core.pmi_published
),
records AS (
    SELECT placement_month AS month, 'destination' AS dimension, destination AS code, placed
    FROM core.pmi_monthly_counts
    UNION ALL
    SELECT placement_month, 'province', province, placed FROM core.pmi_monthly_counts
    UNION ALL
    SELECT placement_month, 'sex', sex, placed FROM core.pmi_monthly_counts
    UNION ALL
    SELECT placement_month, 'sector', sector, placed FROM core.pmi_monthly_counts
    UNION ALL
    SELECT placement_month, 'scheme', scheme, placed FROM core.pmi_monthly_counts
),
records_as_tabled AS (
    SELECT
        r.month,
        r.dimension,
        CASE WHEN listed.code IS NULL AND rest.code IS NOT NULL THEN rest.code ELSE r.code END AS code,
        r.placed
    FROM records AS r
    JOIN tables AS t ON t.dimension = r.dimension AND t.month = r.month
    LEFT JOIN core.pmi_published AS listed
        ON listed.dimension = r.dimension AND listed.month = r.month AND listed.code = r.code
    LEFT JOIN core.pmi_published AS rest
        ON rest.dimension = 'destination' AND rest.dimension = r.dimension AND rest.month = r.month
        AND rest.code = '_O'
),
record_counts AS (
    SELECT month, dimension, code, CAST(sum(placed) AS BIGINT) AS record_count
    FROM records_as_tabled GROUP BY month, dimension, code
    UNION ALL
    SELECT month, dimension, '_T', CAST(sum(placed) AS BIGINT) FROM records_as_tabled GROUP BY month, dimension
),
compared AS (
    SELECT
        coalesce(p.month, r.month) AS month,
        coalesce(p.dimension, r.dimension) AS dimension,
        coalesce(p.code, r.code) AS code,
        p.label,
        CASE WHEN m.month IS NOT NULL THEN coalesce(r.record_count, 0) END AS record_count,
        CASE WHEN p.code IS NULL THEN 0 ELSE p.count END AS published_count
    FROM core.pmi_published AS p
    FULL JOIN record_counts AS r ON r.month = p.month AND r.dimension = p.dimension AND r.code = p.code
    LEFT JOIN record_months AS m ON m.month = coalesce(p.month, r.month)
)
SELECT
    c.month,
    c.dimension,
    c.code,
    c.label,
    c.record_count,
    c.published_count,
    c.record_count - c.published_count AS difference,
    CASE
        WHEN c.record_count IS NULL THEN 'record-level missing'
        WHEN c.published_count IS NULL THEN 'published not available'
        WHEN c.record_count = c.published_count THEN 'agree'
        ELSE 'disagree'
    END AS outcome,
    t.source_file
FROM compared AS c
JOIN tables AS t ON t.dimension = c.dimension AND t.month = c.month
ORDER BY c.month, c.dimension, c.code = '_T', c.code
