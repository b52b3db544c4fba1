"""What the release's files read from indicators.figures, the one place a figure's status is decided.

`OBSERVATIONS` is indicators.observations as the files state it: an observation of a period that
follows a series break (a change of source or method, indicators.figures.series_break) and is
otherwise normal (`A`) has OBS_STATUS `B`, break in series. A provisional or suppressed value keeps
`P` or `C`; the break is then stated in the figure's notes.
"""

import duckdb

OBSERVATIONS = """(
    SELECT o.* REPLACE (
        CASE WHEN f.series_break AND o.obs_status = 'A' THEN 'B' ELSE o.obs_status END AS obs_status
    )
    FROM indicators.observations AS o
    LEFT JOIN indicators.figures AS f USING (indicator_id, freq, time_period)
)"""
BREAK = "B"

# What a release built from generated samples says of itself (portal banner, Excel cover, Open SDG).
ILLUSTRATIVE_NOTE = {
    "id": "Ilustratif: rilis ini dibangun dari data contoh yang dibangkitkan, bukan data resmi. "
    "Angka bertanda ilustratif tidak boleh dikutip.",
    "en": "Illustrative: this release is built from generated sample data, not official data. "
    "Figures marked illustrative must not be quoted.",
}


def illustrative_release(public: duckdb.DuckDBPyConnection) -> bool:
    """True when a figure or an MGI assessment of the release rests on generated samples."""
    return public.execute(
        """SELECT coalesce((SELECT bool_or(illustrative) FROM indicators.figures), false)
                  OR coalesce((SELECT bool_or(illustrative) FROM indicators.mgi_domain_summary), false)"""
    ).fetchone()[0]
