"""An attacker of a release: recover suppressed cells from the published observations alone.

Written independently of release.disclosure: it reads the published rows (value NULL = hidden),
writes one linear equation per `_T` total and its breakdown, per annual flow and its months, and
per published share (numerator = share / 100 x total), then finds the hidden cells that every
solution gives the same value (their unit vector lies in the row space of the equations restricted
to the hidden cells, by a dense SVD per indicator and source).
"""

import numpy as np
import pandas as pd
from scipy.sparse import csr_matrix
from scipy.sparse.csgraph import connected_components

KEY = ["indicator_id", "source", "freq", "time_period"]
DIMS = ["ref_area", "counterpart_area", "sex", "age", "province", "education", "sector", "occupation",
        "scheme", "population_type", "location"]  # fmt: skip
COUNTS = {"PMI_PLACED", "TKA_NEW", "TKA_STOCK", "REF_HOSTED"}
FLOWS = {"PMI_PLACED", "TKA_NEW"}
SHARE_OF = {"PMI_PLACED_F_SHARE": ("sex", "F"), "PMI_PLACED_INFORMAL_SHARE": ("sector", "INFORMAL"),
            "PMI_PLACED_G2G_SHARE": ("scheme", "G2G")}  # fmt: skip


def _equations(rows: pd.DataFrame) -> list[dict[int, float]]:
    """Each equation as {row index: coefficient}, with the published values kept as row indexes."""
    found: list[dict[int, float]] = []
    rows = rows.reset_index(names="row")
    for dim in DIMS:
        others = [c for c in KEY + DIMS if c != dim]
        totals = rows[rows[dim] == "_T"]
        parts = rows[~rows[dim].isin(["_T", "_Z"])]
        pairs = totals.merge(parts, on=others, suffixes=("", "_part"))
        for total, group in pairs.groupby("row"):
            found.append({total: 1.0} | dict.fromkeys(group["row_part"], -1.0))
    flows = rows[rows["indicator_id"].isin(FLOWS | set(SHARE_OF))]
    years = flows[flows["freq"] == "A"]
    months = flows[flows["freq"].isin(["M", "Q"])].assign(year=lambda f: f["time_period"].str[:4])
    pairs = years.merge(months, left_on=["indicator_id", "source", "time_period", *DIMS],
        right_on=["indicator_id", "source", "year", *DIMS], suffixes=("", "_month"))  # fmt: skip
    for year, group in pairs.groupby("row"):
        found.append({year: 1.0} | dict.fromkeys(group["row_month"], -1.0))
    return found


def _share_variables(rows: pd.DataFrame) -> pd.DataFrame:
    """One numerator row per share row: the count it stands for, and the count rows it links."""
    variables = []
    for share, (dim, code) in SHARE_OF.items():
        shares = rows[rows["indicator_id"] == share].reset_index(names="share_row")
        counts = rows[rows["indicator_id"] == "PMI_PLACED"].reset_index(names="count_row")
        others = [c for c in ["source", "freq", "time_period", *DIMS] if c != dim]
        totals = counts[counts[dim] == "_T"][[*others, "count_row", "value"]].rename(
            columns={"count_row": "total_row", "value": "total"}
        )
        numerators = counts[counts[dim] == code][[*others, "count_row"]].rename(
            columns={"count_row": "part_row"}
        )
        linked = shares.merge(totals, on=others, how="left").merge(numerators, on=others, how="left")
        variables.append(linked)
    return pd.concat(variables, ignore_index=True)


def recoverable(observations: pd.DataFrame) -> pd.DataFrame:
    """The hidden rows an attacker determines exactly from the published rows, with their value."""
    rows = observations[observations["indicator_id"].isin(COUNTS | set(SHARE_OF))].reset_index(drop=True)
    shares = _share_variables(rows)
    # Variables: every count row, and a numerator per share row (index len(rows) + i).
    numerator = {int(r): len(rows) + i for i, r in enumerate(shares["share_row"])}
    # A share's numerators add up over its dimensions like counts: reuse the same equations on them.
    equations = [
        {numerator.get(cell, cell): c for cell, c in equation.items()}
        if rows.loc[next(iter(equation)), "indicator_id"] in SHARE_OF
        else equation
        for equation in _equations(rows)
    ]
    known = np.zeros(len(rows) + len(shares), dtype=bool)
    value = np.zeros(len(known))
    known[: len(rows)] = rows["value"].notna().to_numpy()
    value[: len(rows)] = rows["value"].fillna(0).to_numpy()
    for i, link in shares.iterrows():
        var = len(rows) + i
        if pd.notna(link["value"]) and pd.notna(link["total"]):
            known[var], value[var] = True, link["value"] * link["total"] / 100
        elif pd.notna(link["value"]):
            equations.append({var: 1.0, int(link["total_row"]): -link["value"] / 100})
        if pd.notna(link["part_row"]):
            equations.append({var: 1.0, int(link["part_row"]): -1.0})
    return _solve(rows, shares, equations, known, value)


def _solve(rows, shares, equations, known, value) -> pd.DataFrame:
    hidden = np.flatnonzero(~known)
    column = {int(v): j for j, v in enumerate(hidden)}
    useful = [e for e in equations if any(v in column for v in e)]
    matrix = np.zeros((len(useful), len(hidden)))
    constant = np.zeros(len(useful))
    for i, equation in enumerate(useful):
        for var, coefficient in equation.items():
            if var in column:
                matrix[i, column[var]] += coefficient
            else:
                constant[i] -= coefficient * value[var]
    found = []
    # Solve each independent block of equations (connected through shared hidden cells) alone.
    rows_nz, columns_nz = np.nonzero(matrix)
    size = len(useful) + len(hidden)
    graph = csr_matrix((np.ones(len(rows_nz)), (rows_nz, len(useful) + columns_nz)), shape=(size, size))
    _, component = connected_components(graph, directed=False)
    for block in np.unique(component[len(useful) :]):
        columns = np.flatnonzero(component[len(useful) :] == block)
        equations_in = np.flatnonzero(component[: len(useful)] == block)
        if not len(equations_in):
            continue
        sub, rhs = matrix[np.ix_(equations_in, columns)], constant[equations_in]
        _, singular, right = np.linalg.svd(sub, full_matrices=False)
        rank = int((singular > 1e-9 * singular[0]).sum())
        determined = (right[:rank] ** 2).sum(axis=0) > 1 - 1e-6
        solution = np.linalg.lstsq(sub, rhs, rcond=None)[0]
        for j in np.flatnonzero(determined):
            var = hidden[columns[j]]
            row = var if var < len(rows) else int(shares.loc[var - len(rows), "share_row"])
            found.append((row, var >= len(rows), solution[j]))
    result = rows.loc[[row for row, _, _ in found]].copy()
    result["numerator"] = [is_numerator for _, is_numerator, _ in found]
    result["recovered"] = [recovered for _, _, recovered in found]
    return result
