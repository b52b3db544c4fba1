"""A content-addressed cache of rendered charts, kept beside the releases (`<export root>/.chart-cache/`).

An entry is `<sha256>.svg`: the key is the sha256 of the JSON of everything the render depends on,
as `charts.render` lists it (the final Vega-Lite spec, the number format locale, vl-convert's
version and the render revision), keys in the order vl-convert reads them; the value is the SVG
text, byte for byte. A chart is drawn only when no entry holds it, and an entry holds what drawing
gave, so a release written from the cache is byte-identical to one drawn whole.

Entries are written to `.tmp-<sha256>-<pid>` and renamed (`os.replace`), so a crash or two exports
at once never leave a partial entry; a crashed export's temporary file is removed by the next
export (`writer._remove_stale`). After a release is written, `prune` keeps only the entries that
release used: the cache never holds more than one release's charts, plus any written meanwhile by
an export running at the same time (which at worst draws them again next time).
"""

import json
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

from sdmi_pipeline.digests import sha256

CHART_CACHE_DIR = ".chart-cache"
SUFFIX = ".svg"
TEMPORARY_PREFIX = ".tmp-"  # the writer's prefix: `_remove_stale` removes a dead export's leftovers


def chart_key(inputs: dict[str, Any]) -> str:
    """The sha256 hex digest of the render's complete input, as JSON in the order vl-convert reads it.

    Keys keep their order, not sorted: the order is part of what vl-convert reads (a spec whose
    keys a code change reorders is drawn again rather than trusted to draw the same).
    """
    text = json.dumps(inputs, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
    return sha256(text)


class ChartCache:
    """The SVG of every chart one export draws, looked up by the sha256 of its input."""

    def __init__(self, folder: Path):
        self.folder = folder
        self.used: set[str] = set()
        self.hits = 0
        self.misses = 0

    def svg(self, inputs: dict[str, Any], draw: Callable[[], str]) -> str:
        """The cached SVG of `inputs`, or `draw()`'s, stored for next time."""
        key = chart_key(inputs)
        self.used.add(key)
        cached = self._read(key)
        if cached is not None:
            self.hits += 1
            return cached
        self.misses += 1
        svg = draw()
        self._write(key, svg)
        return svg

    def keep(self, inputs: dict[str, Any]) -> None:
        """Count the chart of `inputs` as used (a release carried it over without reading the cache)."""
        self.used.add(chart_key(inputs))

    def prune(self) -> int:
        """Remove every entry this export did not use; return how many were removed."""
        removed = 0
        for path in self.folder.glob(f"*{SUFFIX}"):
            if path.stem in self.used:
                continue
            path.unlink(missing_ok=True)
            removed += 1
        return removed

    def _read(self, key: str) -> str | None:
        try:
            return (self.folder / f"{key}{SUFFIX}").read_bytes().decode("utf-8")
        except FileNotFoundError:  # never drawn, or pruned by an export running at the same time
            return None

    def _write(self, key: str, svg: str) -> None:
        self.folder.mkdir(parents=True, exist_ok=True)
        temporary = self.folder / f"{TEMPORARY_PREFIX}{key}-{os.getpid()}"
        try:
            with open(temporary, "wb") as file:
                file.write(svg.encode("utf-8"))
                file.flush()
                os.fsync(file.fileno())
            os.replace(temporary, self.folder / f"{key}{SUFFIX}")
        except BaseException:
            temporary.unlink(missing_ok=True)
            raise
