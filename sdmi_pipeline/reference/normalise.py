"""One way to turn a label into a lookup key, used by every code list."""

import re
import unicodedata

import pandas as pd

_PUNCTUATION = re.compile(r"[.,'’()\-_/]+")
_SPACES = re.compile(r"\s+")


def label_key(label: str) -> str:
    """Case-, accent-, punctuation- and spacing-insensitive key of a label."""
    text = unicodedata.normalize("NFKD", str(label))
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    text = _PUNCTUATION.sub(" ", text.casefold())
    return _SPACES.sub(" ", text).strip()


def map_labels(values: pd.Series, lookup: dict[str, str]) -> pd.Series:
    """Map labels to codes through `lookup` (keyed by `label_key`); unknown → NA.

    Keys are computed once per distinct label, so this stays fast on millions of rows.
    """
    distinct = pd.Series(values.dropna().unique())
    codes = {label: lookup.get(label_key(label)) for label in distinct}
    return values.map(codes).astype("string")
