"""The MGI page: national and provincial assessments side by side by domain, answers charted,
highlighted indicators listed, and a plain warning when an assessment is illustrative."""

import duckdb

from sdmi_pipeline.release.site import charts
from sdmi_pipeline.release.site.i18n import Language
from sdmi_pipeline.release.site.render import Site

ANSWERS = {"yes": "YES", "partially": "PARTIAL", "no": "NO"}  # page key → mgi_answer code (reference)


def rounded_off(shares: list[tuple[float | None, ...]], decimals: int = 1) -> bool:
    """Whether some domain's shares, rounded as shown, add up to a little more or less than 100."""
    sums = [sum(round(share, decimals) for share in row) for row in shares if None not in row]
    return any(abs(total - 100) > 10 ** -(decimals + 1) for total in sums)


def write_mgi(site: Site, public: duckdb.DuckDBPyConnection, language: Language) -> None:
    summary = public.execute(
        """
        SELECT assessment_level, area, area_name, year, domain, domain_name_en, domain_name_id,
               indicators, yes, partially, no, yes_share, partially_share, no_share, illustrative
        FROM indicators.mgi_domain_summary
        ORDER BY assessment_level = 'NATIONAL' DESC, area, year, domain
        """
    ).fetchall()
    assessments = list(dict.fromkeys((row[1], row[2], row[3], row[14]) for row in summary))
    domains = list(dict.fromkeys((row[4], language.pick(row[5], row[6])) for row in summary))
    counts = {(row[1], row[3], row[4]): row[7:11] for row in summary}
    words = {key: site.labels.label("mgi_answer", code, language.code) for key, code in ANSWERS.items()}
    bars = [
        {
            "domain": f"{row[4]}. {language.pick(row[5], row[6])}",
            "area": f"{row[2]} {row[3]}",
            "answer": words[key],
            "share": share,
            "rank": rank,
        }
        for row in summary
        for rank, (key, share) in enumerate(zip(ANSWERS, row[11:14], strict=True))
    ]
    chart = None
    if bars:
        chart = site.chart(language, "mgi", charts.answer_bars(bars, words, language.text("share_answers")))
    highlighted = public.execute(
        """
        SELECT area_name, year, domain, indicator_id, question, answer, illustrative
        FROM indicators.mgi_responses WHERE highlighted
        ORDER BY assessment_level = 'NATIONAL' DESC, area, year, domain, indicator_id
        """
    ).fetchall()
    answer_word = {code: words[key] for key, code in ANSWERS.items()}
    site.page(
        language,
        "mgi.html",
        "mgi.html",
        "MGI",
        assessments=assessments,
        domains=domains,
        counts=counts,
        chart=chart,
        words=words,
        rounding_note=rounded_off([row[11:14] for row in summary]),
        highlighted=[(*row[:5], answer_word.get(row[5], row[5]), row[6]) for row in highlighted],
    )
