"""Writing a page: the Jinja2 environment, where a page lives in each language, and table cells.

A page is written once per language at `<out_dir>/<language folder><path>`; `root` is the
relative way back to the site root, so the site works from any folder and from `file://`.
"""

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape

from sdmi_pipeline.reference.labels import Labels
from sdmi_pipeline.release.carry import Carry, writer_code
from sdmi_pipeline.release.site.chart_cache import ChartCache, chart_key
from sdmi_pipeline.release.site.charts import chart_inputs, render
from sdmi_pipeline.release.site.i18n import Language

NAVIGATION = (
    ("home", "index.html"),
    ("indicators", "indicators/index.html"),
    ("gcm", "gcm.html"),
    ("mgi", "mgi.html"),
    ("coverage", "coverage.html"),
    ("dictionary", "dictionary.html"),
)
NOT_AVAILABLE, CONFIDENTIAL, MISSING = "..", "C", "M"


def environment() -> Environment:
    return Environment(
        loader=PackageLoader("sdmi_pipeline.release.site", "templates"),
        autoescape=select_autoescape(["html"]),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )


def cell(
    language: Language, value: float | None, status: str | None, unit: str | None, decimals: int | None = None
) -> str:
    """A table cell: `C` when suppressed, `..` when not available, else the number in this language."""
    if status == CONFIDENTIAL:
        return CONFIDENTIAL
    if value is None:
        return NOT_AVAILABLE
    return language.number(value, unit, decimals=decimals)


@dataclass
class Site:
    """The folder being written, the template environment, the labels of `reference` and the chart cache
    (None: draw every chart)."""

    out_dir: Path
    vintage: str
    env: Environment
    labels: Labels
    chart_cache: ChartCache | None = None
    illustrative: bool = False  # built from generated samples: every page carries the banner
    carry: Carry | None = None  # charts whose input did not change are carried from the previous release

    def status_notes(self, language: Language) -> list[tuple[str, str]]:
        """(symbol, note) of every observation status, from reference; `M` shows as `..` in a table."""
        return [
            (
                NOT_AVAILABLE if code == MISSING else code,
                label.note(language.code) or label.pick(language.code),
            )
            for code, label in self.labels.codes("obs_status")
        ]

    def chart(self, language: Language, name: str, spec: dict[str, Any]) -> str:
        """Draw a Vega-Lite spec in this language and write its SVG; return its path from the site root."""
        relative = f"charts/{language.code}/{name}.svg"
        path = self.out_dir / relative
        path.parent.mkdir(parents=True, exist_ok=True)

        def write() -> None:
            path.write_text(render(spec, language, self.chart_cache), encoding="utf-8")

        if self.carry is None:
            write()
            return relative
        inputs = chart_inputs(spec, language)
        code = writer_code("sdmi_pipeline.release.site.charts")
        if self.carry.file(path, code, [chart_key(inputs)], write) and self.chart_cache is not None:
            self.chart_cache.keep(inputs)
        return relative

    def page(self, language: Language, path: str, template: str, title: str, **context: Any) -> None:
        """Render `template` as this language's `path`, with the navigation and language switch."""
        depth = (language.folder + path).count("/")
        root = "../" * depth
        other = root + ("en/" if language.code == "id" else "") + path
        html = self.env.get_template(template).render(
            lang=language,
            t=language.text,
            root=root,
            home=root + language.folder,
            other_language_href=other,
            navigation=NAVIGATION,
            path=path,
            title=title,
            vintage=self.vintage,
            illustrative=self.illustrative,
            release_name=language.release_name(self.vintage),
            code_label=lambda code_list, code: self.labels.label(code_list, code, language.code),
            status_notes=self.status_notes(language),
            cell=lambda value, status, unit=None, decimals=None: cell(
                language, value, status, unit, decimals
            ),
            **context,
        )
        target = self.out_dir / language.folder / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(html, encoding="utf-8")
