"""Integer counts that keep published figures exact: apportioning, table fitting, ranking."""

import numpy as np


def apportion(weights: dict[str, float], total: int) -> dict[str, int]:
    """Integer counts proportional to `weights` that sum exactly to `total` (largest remainder)."""
    keys = list(weights)
    shares = np.array([weights[key] for key in keys], dtype=float)
    exact = shares / shares.sum() * total
    counts = np.floor(exact).astype(int)
    for index in np.argsort(-(exact - counts), kind="stable")[: total - counts.sum()]:
        counts[index] += 1
    return dict(zip(keys, counts.tolist(), strict=True))


def with_rest(published: dict[str, int], others: dict[str, float], total: int) -> dict[str, int]:
    """Published counts plus the remainder of `total` shared among `others` by weight."""
    return published | apportion(others, total - sum(published.values()))


def fit_table(seed: np.ndarray, rows: np.ndarray, columns: np.ndarray) -> np.ndarray:
    """Integer table near `seed` whose row and column sums are exactly `rows` and `columns`.

    Iterative proportional fitting, then the fractional parts are rounded up, largest first,
    where both the row and the column still miss a unit. A cell whose seed is 0 stays 0.
    """
    table = seed.astype(float)
    for _ in range(500):
        table *= (rows / table.sum(axis=1))[:, None]
        table *= (columns / table.sum(axis=0))[None, :]
    counts = np.floor(table + 1e-9).astype(int)
    row_need, column_need = rows - counts.sum(axis=1), columns - counts.sum(axis=0)
    open_cells = seed > 0
    for flat in np.argsort(-(table - counts), axis=None, kind="stable"):
        i, j = divmod(int(flat), table.shape[1])
        if row_need[i] > 0 and column_need[j] > 0 and open_cells[i, j]:
            counts[i, j] += 1
            row_need[i] -= 1
            column_need[j] -= 1
    while row_need.sum() > 0:  # units the fractional parts could not place
        i, j = np.flatnonzero(row_need > 0)[0], np.flatnonzero(column_need > 0)[0]
        if open_cells[i, j]:
            counts[i, j] += 1
        else:  # through a cell (k, m) that gives up a unit: +1 at (i, m) and (k, j), -1 at (k, m)
            k, m = next(
                (k, m)
                for k, m in np.argwhere(open_cells & (counts > 0))
                if open_cells[i, m] and open_cells[k, j]
            )
            counts[i, m] += 1
            counts[k, j] += 1
            counts[k, m] -= 1
        row_need[i] -= 1
        column_need[j] -= 1
    assert (counts.sum(axis=1) == rows).all() and (counts.sum(axis=0) == columns).all()
    return counts


def top(score: np.ndarray, count: int) -> np.ndarray:
    """True for the `count` rows with the highest score (exact count, any score)."""
    chosen = np.zeros(len(score), dtype=bool)
    chosen[np.argsort(-score, kind="stable")[:count]] = True
    return chosen
