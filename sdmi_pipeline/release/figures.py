"""What the release's files read from indicators.figures, the one place a figure's status is decided.

`OBSERVATIONS` is indicators.observations as the files state it: an observation of a period that
follows a series break (a change of source or method, indicators.figures.series_break) and is
otherwise normal (`A`) has OBS_STATUS `B`, break in series. A provisional or suppressed value keeps
`P` or `C`; the break is then stated in the figure's notes.
"""

OBSERVATIONS = """(
    SELECT o.* REPLACE (
        CASE WHEN f.series_break AND o.obs_status = 'A' THEN 'B' ELSE o.obs_status END AS obs_status
    )
    FROM indicators.observations AS o
    LEFT JOIN indicators.figures AS f USING (indicator_id, freq, time_period)
)"""
BREAK = "B"
