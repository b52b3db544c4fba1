"""What the sample generators share: JSON answers, the read-back check and the `python -m` entry."""

import json
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pandas as pd


def write_json(path: Path, answer: Any) -> Path:
    """An API answer as compact UTF-8 JSON, one line (the same answer writes the same bytes)."""
    path.write_text(json.dumps(answer, ensure_ascii=False, separators=(",", ":")) + "\n", encoding="utf-8")
    return path


class SampleCheckError(ValueError):
    """A generated file does not give a published figure back."""


def expect(condition: bool, message: str) -> None:
    if not condition:
        raise SampleCheckError(message)


def expect_counts(actual: pd.Series, expected: dict[str, int], what: str) -> None:
    for key, count in expected.items():
        expect(
            int(actual.get(key, 0)) == count, f"{what} {key}: {int(actual.get(key, 0))}, published {count}"
        )


def write_and_check(
    write: Callable[[Path], list[Path]], check: Callable[[Path], dict[str, Any]], argv: list[str] | None
) -> None:
    """Write a sample into the raw root (first argument, else the default), then read it back."""
    from sdmi_pipeline.paths import default_raw_dir

    args = sys.argv[1:] if argv is None else argv
    raw_root = Path(args[0]) if args else Path(default_raw_dir())
    for path in write(raw_root):
        print(f"{path}  {path.stat().st_size:,} bytes")
    for name, value in check(raw_root).items():
        print(f"{name}: {value}")
