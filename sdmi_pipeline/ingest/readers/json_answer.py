"""JSON answers of publishers' web APIs (UNHCR, BPS WebAPI): UTF-8 text, decimals kept exact."""

import json
import math
from decimal import Decimal
from pathlib import Path
from typing import Any

from sdmi_pipeline.ingest.readers.lines import UTF8_BOM, FileFormatError, refuse_non_text


class _RepeatedKey(ValueError):
    pass


def _object(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    """A JSON object; a key written twice would silently keep only one value."""
    result: dict[str, Any] = {}
    for key, value in pairs:
        if key in result:
            raise _RepeatedKey(key)
        result[key] = value
    return result


def _no_constant(name: str) -> Any:
    raise ValueError(f"{name} is not a JSON number")


def load_json(path: Path, raw: bytes | None = None) -> tuple[Any, str]:
    """The parsed answer and its encoding (`utf-8`, or `utf-8-sig` with a byte order mark).

    Numbers with a fraction or exponent become `Decimal`, so a value reads exactly as written.
    """
    raw = path.read_bytes() if raw is None else raw
    refuse_non_text(raw, path)
    encoding = "utf-8"
    if raw.startswith(UTF8_BOM):
        raw, encoding = raw[len(UTF8_BOM) :], "utf-8-sig"
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        raise FileFormatError(f"{path}: not UTF-8 (byte {error.start})") from error
    try:
        answer = json.loads(text, parse_float=Decimal, parse_constant=_no_constant, object_pairs_hook=_object)
    except json.JSONDecodeError as error:
        raise FileFormatError(
            f"{path}: not valid JSON: {error.msg} (line {error.lineno} column {error.colno})"
        ) from error
    except _RepeatedKey as error:
        raise FileFormatError(f"{path}: key {error.args[0]!r} appears twice in one JSON object") from error
    except ValueError as error:
        raise FileFormatError(f"{path}: not valid JSON: {error}") from error
    return answer, encoding


def as_delivered(value: Any) -> str | None:
    """A JSON value as text, the way it was written: numbers and strings as is, null as None."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | Decimal):
        return str(value)
    return json.dumps(value, ensure_ascii=False, default=str)
