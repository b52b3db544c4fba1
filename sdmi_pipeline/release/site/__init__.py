"""The SDMI portal: a bilingual static site written into a release's `site/` folder.

`write_site` reads only the public connection (`release.public.open_public`), so the portal shows
nothing the release does not. Indonesian pages are at the site root, English ones under `en/`;
charts are SVG drawn at build time, so the site opens from disk with no network.
"""

import shutil
from functools import partial
from importlib.resources import files
from pathlib import Path

import duckdb

from sdmi_pipeline.digests import sha256
from sdmi_pipeline.reference.labels import Labels
from sdmi_pipeline.release.carry import Carry
from sdmi_pipeline.release.figures import illustrative_release
from sdmi_pipeline.release.site.chart_cache import ChartCache
from sdmi_pipeline.release.site.coverage_page import write_coverage
from sdmi_pipeline.release.site.dictionary_page import write_dictionary
from sdmi_pipeline.release.site.gcm_page import write_gcm
from sdmi_pipeline.release.site.home_page import write_home
from sdmi_pipeline.release.site.i18n import LANGUAGES
from sdmi_pipeline.release.site.indicator_page import indicator_data, write_indicator_pages
from sdmi_pipeline.release.site.mgi_page import write_mgi
from sdmi_pipeline.release.site.render import Site, environment
from sdmi_pipeline.release.site.series import catalogue, write_indicator_csv

__all__ = ["write_site"]


def write_site(
    public: duckdb.DuckDBPyConnection,
    out_dir: Path,
    vintage: str,
    chart_cache: ChartCache | None = None,
    carry: Carry | None = None,
) -> None:
    """Write the portal of a release into `out_dir` (`<release>/site/`), replacing what was there.

    With a `chart_cache`, a chart already drawn from the same input is taken from it, not drawn again.
    With `carry`, the style sheet, downloads and charts whose inputs did not change are carried over
    from the previous release; every page names the release and is written.
    """
    if out_dir.exists():
        shutil.rmtree(out_dir)
    (out_dir / "downloads").mkdir(parents=True)
    style = files("sdmi_pipeline.release.site") / "static" / "site.css"
    if carry is None:
        shutil.copyfile(str(style), out_dir / "site.css")
    else:
        copy = partial(shutil.copyfile, str(style), out_dir / "site.css")
        carry.file(out_dir / "site.css", sha256(style.read_bytes()), [], copy)
    site = Site(
        out_dir, vintage, environment(), Labels(public), chart_cache, illustrative_release(public), carry
    )
    indicators = catalogue(public)
    for indicator in indicators:
        path = out_dir / "downloads" / f"{indicator.indicator_id}.csv"
        write_indicator_csv(public, indicator.indicator_id, path, carry)
    data = [indicator_data(public, indicator) for indicator in indicators]
    for language in LANGUAGES:
        write_home(site, public, indicators, language)
        write_indicator_pages(site, data, language)
        write_gcm(site, public, language)
        write_mgi(site, public, language)
        write_coverage(site, public, language)
        write_dictionary(site, public, language)
