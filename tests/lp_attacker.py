"""An LP attacker of one or more public releases: bound every suppressed count by linear programs.

Written independently of sdmi_pipeline.release (no import of its disclosure, audit or linked code):
it reads only the published `parquet/indicators.observations.parquet` of each release folder, and
writes the relations any reader of those tables knows:

- every `_T` total is the sum of its breakdown along one dimension (when that breakdown is published;
  a missing row is a zero, so only the rows present add up);
- a flow's year (or year to date) is the sum of the months the same release publishes for it;
- permit holders of a year are those of its December, and permit holders at the end of a month are
  at most those at the end of the month before plus the month's new permits (same key);
- a published share is its numerator over its total (women, informal, G2G placements);
- a count is never negative, and a suppressed count row exists, so it is at least 1 (zero counts
  are never rows).

Cells published in any of the releases are fixed, so the earlier release's cells constrain the later
one: the year to date of January–April published in release 1 and January–May in release 2 give May.
A month is the same quantity in every release; a year to date is one quantity per set of months.
Each suppressed quantity is then bounded by two linear programs (scipy's HiGHS): its minimum and
maximum over every table consistent with what was published.
"""

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
from scipy.optimize import linprog
from scipy.sparse import coo_matrix, csr_matrix
from scipy.sparse.csgraph import connected_components

OBSERVATIONS = Path("parquet") / "indicators.observations.parquet"
KEY = ["indicator_id", "source", "freq", "time_period"]
NOT_DIMENSIONS = {*KEY, "value", "unit", "obs_status", "vintage", "release", "span", "quantity"}
FLOWS = {"PMI_PLACED", "TKA_NEW"}  # counts over a period: months add up to the year
HOLDERS, NEW_PERMITS = "TKA_STOCK", "TKA_NEW"  # a stock at the end of each period, and its inflow
# A share in percent of PMI_PLACED: the numerator is the breakdown of the total along one dimension.
SHARES = {
    "PMI_PLACED_F_SHARE": ("PMI_PLACED", "sex", "F"),
    "PMI_PLACED_INFORMAL_SHARE": ("PMI_PLACED", "sector", "INFORMAL"),
    "PMI_PLACED_G2G_SHARE": ("PMI_PLACED", "scheme", "G2G"),
}
TOTAL, NOT_APPLICABLE = "_T", "_Z"


def read_release(folder: Path) -> pd.DataFrame:
    """The published observations of one release folder (value NaN where suppressed)."""
    return pd.read_parquet(Path(folder) / OBSERVATIONS)


def dimensions(observations: pd.DataFrame) -> list[str]:
    return [c for c in observations.columns if c not in NOT_DIMENSIONS]


@dataclass
class Quantities:
    """The distinct quantities the releases speak of: one per cell key, one per year-to-date span."""

    rows: pd.DataFrame  # every row of every release, with `release`, `quantity`
    known: np.ndarray  # quantity -> published in some release
    value: np.ndarray  # its published value (0 where hidden)
    least: np.ndarray  # the least value a hidden quantity can take (1: a row exists; 0: zeros are rows)
    count: int


def _quantities(releases: list[pd.DataFrame], indicators: set[str]) -> Quantities:
    frames = []
    for number, observations in enumerate(releases):
        rows = observations[observations["indicator_id"].isin(indicators)].copy()
        rows["release"] = number
        # A year's quantity depends on which months of it the release publishes (year to date).
        monthly = rows[rows["freq"] == "M"].assign(year=lambda f: f["time_period"].str[:4])
        spans = (
            monthly.groupby(["indicator_id", "source", "year"])["time_period"]
            .agg(lambda periods: ",".join(sorted(set(periods))))
            .rename("span")
            .reset_index()
        )
        rows = rows.merge(
            spans.rename(columns={"year": "time_period"}),
            on=["indicator_id", "source", "time_period"],
            how="left",
        )
        rows["span"] = rows["span"].where(rows["freq"] == "A", "").fillna("")
        frames.append(rows)
    rows = pd.concat(frames, ignore_index=True)
    dims = dimensions(rows)
    identity = rows[[*KEY, *dims, "span"]].astype(str).agg("|".join, axis=1)
    rows["quantity"], names = pd.factorize(identity)
    count = len(names)
    # A table that prints zeros as rows (KP2MI's printed tables) may hide a zero: its hidden rows are
    # at least 0. Elsewhere a zero count is never a row, so a hidden row is at least 1.
    prints_zeros = rows.groupby(["indicator_id", "source"])["value"].transform(lambda v: (v == 0).any())
    least = np.ones(count)
    least[rows.loc[prints_zeros, "quantity"].to_numpy()] = 0.0
    published = rows[rows["value"].notna()]
    known = np.zeros(count, dtype=bool)
    value = np.zeros(count)
    known[published["quantity"].to_numpy()] = True
    value[published["quantity"].to_numpy()] = published["value"].to_numpy()
    return Quantities(rows, known, value, least, count)


def _sum_relations(rows: pd.DataFrame, dims: list[str]) -> list[tuple[np.ndarray, np.ndarray]]:
    """Each relation as (quantities, coefficients) with right-hand side 0, one release at a time."""
    found: list[tuple[np.ndarray, np.ndarray]] = []
    counts = rows[~rows["indicator_id"].isin(SHARES)]
    for _, table in counts.groupby(["release", "indicator_id", "source"]):
        for dim in dims:
            others = [c for c in ["freq", "time_period", *dims] if c != dim]
            totals = table[table[dim] == TOTAL]
            parts = table[~table[dim].isin([TOTAL, NOT_APPLICABLE])]
            pairs = totals[[*others, "quantity"]].merge(
                parts[[*others, "quantity"]], on=others, suffixes=("", "_part")
            )
            for total, group in pairs.groupby("quantity"):
                found.append(_relation([total], group["quantity_part"].to_numpy()))
        if table["indicator_id"].iloc[0] in FLOWS:
            years = table[table["freq"] == "A"]
            months = table[table["freq"] == "M"].assign(year=lambda f: f["time_period"].str[:4])
            pairs = years[[*dims, "time_period", "quantity"]].merge(
                months[[*dims, "year", "quantity"]],
                left_on=[*dims, "time_period"],
                right_on=[*dims, "year"],
                suffixes=("", "_month"),
            )
            for year, group in pairs.groupby("quantity"):
                found.append(_relation([year], group["quantity_month"].to_numpy()))
        if table["indicator_id"].iloc[0] == HOLDERS:
            years = table[table["freq"] == "A"].assign(month=lambda f: f["time_period"] + "-12")
            months = table[table["freq"] == "M"]
            pairs = years[[*dims, "month", "quantity"]].merge(
                months[[*dims, "time_period", "quantity"]],
                left_on=[*dims, "month"],
                right_on=[*dims, "time_period"],
                suffixes=("", "_december"),
            )
            for pair in pairs.itertuples():
                found.append(_relation([pair.quantity], [pair.quantity_december]))
    return found


def _stock_flow_inequalities(rows: pd.DataFrame, dims: list[str]) -> list[tuple[np.ndarray, np.ndarray]]:
    """holders(m) - holders(m - 1) - new(m) <= 0 for every key a release publishes all three of."""
    found = []
    monthly = rows[rows["freq"] == "M"]
    keys = ["release", "source", *dims]
    holders = monthly[monthly["indicator_id"] == HOLDERS][[*keys, "time_period", "quantity"]]
    new = monthly[monthly["indicator_id"] == NEW_PERMITS][[*keys, "time_period", "quantity"]]
    before = holders.assign(
        time_period=(pd.to_datetime(holders["time_period"]) + pd.DateOffset(months=1)).dt.strftime("%Y-%m")
    )
    triples = holders.merge(before, on=[*keys, "time_period"], suffixes=("", "_before")).merge(
        new, on=[*keys, "time_period"], suffixes=("", "_new")
    )
    for triple in triples.itertuples():
        cells = np.array([triple.quantity, triple.quantity_before, triple.quantity_new], dtype=np.int64)
        found.append((cells, np.array([1.0, -1.0, -1.0])))
    return found


def _relation(plus, minus) -> tuple[np.ndarray, np.ndarray]:
    cells = np.concatenate([np.asarray(plus, dtype=np.int64), np.asarray(minus, dtype=np.int64)])
    return cells, np.concatenate([np.ones(len(plus)), -np.ones(len(minus))])


def _share_relations(
    rows: pd.DataFrame, dims: list[str], quantities: Quantities
) -> list[tuple[np.ndarray, np.ndarray]]:
    """A published share s of a total T with numerator N: N - s/100 T = 0 (shares at full precision)."""
    found = []
    for share, (indicator, dim, code) in SHARES.items():
        shares = rows[(rows["indicator_id"] == share) & rows["value"].notna()]
        counts = rows[rows["indicator_id"] == indicator]
        others = ["release", "source", "freq", "time_period", *[d for d in dims if d != dim]]
        totals = counts[counts[dim] == TOTAL][[*others, "quantity"]].rename(columns={"quantity": "total"})
        numerators = counts[counts[dim] == code][[*others, "quantity"]].rename(columns={"quantity": "part"})
        linked = (
            shares[shares[dim] == NOT_APPLICABLE]
            .merge(totals, on=others)
            .merge(numerators, on=others, how="left")
        )
        for link in linked.itertuples():
            if pd.isna(link.part):
                continue  # a numerator of 0: the share is 0 and adds nothing
            found.append((np.array([int(link.part), int(link.total)]), np.array([1.0, -link.value / 100])))
    del quantities
    return found


@dataclass
class Attack:
    """Bounds of every quantity hidden in some release, with the rows it stands for."""

    bounds: pd.DataFrame  # quantity, lower, upper
    rows: pd.DataFrame  # the hidden rows of every release, with `quantity`, `lower`, `upper`
    linear_programs: int


def attack(releases: list[pd.DataFrame], indicators: set[str], shares: bool = False) -> Attack:
    """Bound every hidden count of `indicators` in `releases` (oldest first), all held by one reader."""
    wanted = set(indicators) | (
        {s for s, (i, _, _) in SHARES.items() if i in indicators} if shares else set()
    )
    quantities = _quantities(releases, wanted)
    rows = quantities.rows
    dims = dimensions(rows)
    relations = _sum_relations(rows, dims)
    if shares:
        relations += _share_relations(rows, dims, quantities)
    inequalities = _stock_flow_inequalities(rows, dims)
    hidden = ~quantities.known
    is_count = np.zeros(quantities.count, dtype=bool)
    is_count[rows.loc[~rows["indicator_id"].isin(SHARES), "quantity"].to_numpy()] = True
    hidden &= is_count
    bounds = _bound(relations, inequalities, quantities, hidden)
    hidden_rows = rows[rows["value"].isna() & ~rows["indicator_id"].isin(SHARES)]
    hidden_rows = hidden_rows.merge(bounds, on="quantity", how="left")
    return Attack(bounds, hidden_rows, int(bounds.attrs.get("linear_programs", 0)))


def _bound(relations, inequalities, quantities: Quantities, hidden: np.ndarray) -> pd.DataFrame:
    """Minimum and maximum of every hidden quantity over the relations (= 0) and the inequalities
    (<= 0), block by block."""
    column = np.full(quantities.count, -1)
    hidden_ids = np.flatnonzero(hidden)
    column[hidden_ids] = np.arange(len(hidden_ids))
    entries_row, entries_column, entries_value, rhs, is_equation = [], [], [], [], []
    for equation, rows in ((True, relations), (False, inequalities)):
        for cells, coefficients in rows:
            on_hidden = hidden[cells]
            if not on_hidden.any():
                continue
            number = len(rhs)
            entries_row += [number] * int(on_hidden.sum())
            entries_column += list(column[cells[on_hidden]])
            entries_value += list(coefficients[on_hidden])
            rhs.append(-float((coefficients[~on_hidden] * quantities.value[cells[~on_hidden]]).sum()))
            is_equation.append(equation)
    equations = len(rhs)
    is_equation = np.array(is_equation, dtype=bool)
    matrix = coo_matrix(
        (entries_value, (entries_row, entries_column)), shape=(equations, len(hidden_ids))
    ).tocsr()
    rhs = np.array(rhs)
    graph = coo_matrix(
        (np.ones(len(entries_row)), (entries_row, np.array(entries_column, dtype=np.int64) + equations)),
        shape=(equations + len(hidden_ids),) * 2,
    )
    _, component = connected_components(graph, directed=False)
    lower = quantities.least[hidden_ids].copy()  # a suppressed row exists: at least 1
    upper = np.full(len(hidden_ids), np.inf)
    programs = 0
    for block in np.unique(component[equations:]):
        block_columns = np.flatnonzero(component[equations:] == block)
        block_rows = np.flatnonzero(component[:equations] == block)
        if not len(block_rows):
            continue  # in no relation: at least 1, no upper bound
        sub = csr_matrix(matrix[block_rows][:, block_columns])
        equal, below = is_equation[block_rows], ~is_equation[block_rows]
        system = {
            "A_eq": sub[equal] if equal.any() else None,
            "b_eq": rhs[block_rows][equal] if equal.any() else None,
            "A_ub": sub[below] if below.any() else None,
            "b_ub": rhs[block_rows][below] if below.any() else None,
        }
        for j in range(len(block_columns)):
            objective = np.zeros(len(block_columns))
            objective[j] = 1.0
            for sign in (1.0, -1.0):
                programs += 1
                least = [(bound, None) for bound in quantities.least[hidden_ids[block_columns]]]
                result = linprog(sign * objective, **system, bounds=least, method="highs")
                if result.status == 3:  # unbounded
                    continue
                if result.status != 0:
                    raise RuntimeError(f"attacker LP failed ({result.message}): its relations are wrong")
                if sign > 0:
                    lower[block_columns[j]] = result.fun
                else:
                    upper[block_columns[j]] = -result.fun
    bounds = pd.DataFrame({"quantity": hidden_ids, "lower": lower, "upper": upper})
    bounds.attrs["linear_programs"] = programs
    return bounds


def exact(lower: pd.Series, upper: pd.Series) -> pd.Series:
    """The interval holds one integer only: the count is recovered exactly."""
    return np.ceil(lower - 1e-6) >= np.floor(upper + 1e-6)


def inside_protection(
    lower: pd.Series, upper: pd.Series, true: pd.Series, threshold: int, protection: float
) -> pd.Series:
    """An interval inside the protection interval: a small count proven below the threshold, or any
    count narrowed to within ±protection of its true value."""
    small = (true < threshold) & (upper < threshold - 1e-6)
    narrow = (lower >= true * (1 - protection) - 1e-6) & (upper <= true * (1 + protection) + 1e-6)
    return small | narrow


def violated(releases: list[pd.DataFrame], truths: list[pd.DataFrame], indicators: set[str]) -> int:
    """How many of the attacker's relations the true values break (0, or the attacker is wrong)."""
    filled = []
    for observations, truth in zip(releases, truths, strict=True):
        dims = dimensions(observations)
        true = truth[[*KEY, *dims, "value"]].rename(columns={"value": "true"})
        merged = observations.merge(true, on=[*KEY, *dims], how="left")
        filled.append(merged.assign(value=merged["value"].fillna(merged["true"])).drop(columns="true"))
    quantities = _quantities(filled, set(indicators))
    dims = dimensions(quantities.rows)
    found = 0
    for cells, coefficients in _sum_relations(quantities.rows, dims):
        found += abs(float((coefficients * quantities.value[cells]).sum())) > 1e-6
    for cells, coefficients in _stock_flow_inequalities(quantities.rows, dims):
        found += float((coefficients * quantities.value[cells]).sum()) > 1e-6
    return found
