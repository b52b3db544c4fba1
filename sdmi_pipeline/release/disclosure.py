"""Disclosure control of `indicators.observations` in the public connection of a release.

Primary suppression: a count of persons (PMI_PLACED, TKA_NEW, TKA_STOCK, REF_HOSTED) from 1 to
threshold - 1, and a share whose numerator or its complement (women and men, informal and formal,
G2G and other schemes) is such a count; a cell hidden in the earlier release stays hidden
(release.history). Secondary suppression: a share whose count cells (numerator or denominator) are
suppressed; then, until the audit finds no hidden cell exposed, complementary suppressions in the
relations of the exposed cells: the smallest published cell, or under the `interval` audit (the
default: bound propagation, then the LP attacker of release.audit, until no small cell is narrowed
to within its protection interval and no hidden cell is pinned) the smallest that can move by what
the exposed cell needs (a small one up to the threshold, ±protection of a sensitive cell's value, 1
for a complement), or the largest when none can; a cell the LP finds held by an inequality (permit
holders at most last month's plus new permits) gets its complement in that inequality, among the
published cells of the rows binding at its optimum. As in tau-Argus, the protection interval is owed
to the sensitive cells; a complement must only not be given away exactly (by the relations or bound
propagation). Every choice breaks ties by cell number, so the same tables and the same earlier
release give the same pattern. Suppressed rows keep their key, with `value` NULL and `obs_status`
'C'. docs/release.md gives the method and its sources.
"""

from dataclasses import dataclass, field
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd

from sdmi_pipeline.release import tables
from sdmi_pipeline.release.audit import Audit, Model, Protection, Relations
from sdmi_pipeline.release.history import earlier
from sdmi_pipeline.release.linear_audit import determined, propagated_bounds
from sdmi_pipeline.release.linked import build_model, relations

CONFIDENTIAL = "C"


@dataclass
class SuppressionReport:
    """How many cells disclosure control hid, by reason and by indicator."""

    threshold: int
    primary: int = 0
    secondary: int = 0
    carried: int = 0
    rounds: int = 0
    linear_programs: int = 0
    by_indicator: dict[str, dict[str, int]] = field(default_factory=dict)

    @property
    def total(self) -> int:
        return self.primary + self.secondary

    def as_dict(self) -> dict:
        return {
            "threshold": self.threshold,
            "primary": self.primary,
            "secondary": self.secondary,
            "total": self.total,
            "carried_forward": self.carried,
            "audit_rounds": self.rounds,
            "audit_linear_programs": self.linear_programs,
            "by_indicator": self.by_indicator,
        }


def _with_totals(linked: Relations, totals: tuple[np.ndarray, np.ndarray, np.ndarray]) -> Relations:
    """The relations and the earlier release's year-to-date totals (their values do not matter here)."""
    row, cell, _ = totals
    return Relations(
        equation=np.concatenate([linked.equation, row + linked.equations]),
        cell=np.concatenate([linked.cell, cell]),
        coefficient=np.concatenate([linked.coefficient, np.ones(len(cell))]),
        cells=linked.cells,
    )


def primary_mask(cells: pd.DataFrame, threshold: int) -> np.ndarray:
    """Counts from 1 to threshold - 1, and shares whose numerator or its complement is one."""
    small = (cells["weight"] > 0) & (cells["weight"] < threshold)
    is_share = cells["denominator"].notna()
    complement = cells["denominator"] - cells["weight"]
    small_complement = is_share & (complement > 0) & (complement < threshold)
    return (small | small_complement).to_numpy()


def _share_consequences(links: pd.DataFrame, hidden: np.ndarray) -> np.ndarray:
    """A share is hidden when its denominator or its numerator count cell is hidden."""
    hidden = hidden.copy()
    linked = links[hidden[links["count"].to_numpy()]]
    hidden[linked["share"].to_numpy()] = True
    return hidden


def _complements(
    relations: Relations,
    hidden: np.ndarray,
    exposed: np.ndarray,
    weight: np.ndarray,
    need: np.ndarray | None = None,
) -> np.ndarray:
    """Cells to hide so that the exposed cells are no longer given away by their relations.

    In every relation where an exposed cell is the only hidden one, hide a published cell; an exposed
    cell without such a relation gets one in its relation with fewest hidden cells. The cell hidden
    is the smallest that can move by what the exposed cells of the relation `need` (an amount in
    persons; a hidden row stays at least 1), or the largest when none can; with no `need`, the
    smallest.
    """
    incidence = pd.DataFrame({"equation": relations.equation, "cell": relations.cell})
    incidence["hidden"] = hidden[incidence["cell"]]
    unknowns = incidence.groupby("equation")["hidden"].sum()
    with_exposed = incidence[exposed[incidence["cell"]]].copy()
    with_exposed["unknowns"] = unknowns.reindex(with_exposed["equation"]).to_numpy()
    published = incidence[~incidence["hidden"]].assign(weight=lambda frame: weight[frame["cell"]])
    # Relations that still have a published cell to hide.
    candidates = with_exposed[with_exposed["equation"].isin(published["equation"])]
    alone = candidates["unknowns"] == 1
    fewest = candidates[~candidates["cell"].isin(candidates.loc[alone, "cell"])]
    fewest = fewest.sort_values(["unknowns", "equation"]).drop_duplicates("cell")
    chosen = pd.concat([candidates.loc[alone, "equation"], fewest["equation"]])
    choices = published[published["equation"].isin(chosen)].copy()
    choices["short"] = False
    if need is not None:
        amount = with_exposed.assign(need=need[with_exposed["cell"]]).groupby("equation")["need"].max()
        required = amount.reindex(choices["equation"]).fillna(0.0).to_numpy()
        choices["short"] = (required > 0) & (choices["weight"] < required + 1)
    # A cell that can move enough: the smallest; when none can, the largest.
    choices["order"] = np.where(choices["short"], -choices["weight"], choices["weight"])
    smallest = choices.sort_values(["short", "order", "cell"]).drop_duplicates("equation")["cell"]
    added = np.zeros_like(hidden)
    added[smallest.to_numpy()] = True
    return added


def _held_by(blockers: dict[int, np.ndarray], cells: int) -> Relations:
    """Each exposed cell with the published cells of the inequalities that hold it, as one relation,
    so that `_complements` chooses among them by the same rule as in an equation."""
    members = [np.concatenate([[cell], published]) for cell, published in sorted(blockers.items())]
    return Relations(
        equation=np.repeat(np.arange(len(members)), [len(m) for m in members]).astype(np.int64),
        cell=np.concatenate(members).astype(np.int64) if members else np.zeros(0, dtype=np.int64),
        coefficient=np.ones(sum(len(m) for m in members)),
        cells=cells,
    )


def _alone_in_a_relation(relations: Relations, hidden: np.ndarray) -> np.ndarray:
    """Hidden cells that a relation gives away by subtraction: the only hidden cell in it."""
    on_hidden = hidden[relations.cell]
    unknowns = np.bincount(relations.equation[on_hidden], minlength=relations.equations)
    alone = on_hidden & (unknowns[relations.equation] == 1)
    exposed = np.zeros_like(hidden)
    exposed[relations.cell[alone]] = True
    return exposed


def _any_complement(relations: Relations, hidden: np.ndarray, weight: np.ndarray) -> np.ndarray:
    """The smallest published cell of any relation that holds a hidden cell (when no better one is left)."""
    touched = np.unique(relations.equation[hidden[relations.cell]])
    candidates = relations.cell[np.isin(relations.equation, touched) & ~hidden[relations.cell]]
    added = np.zeros_like(hidden)
    if len(candidates):
        # The smallest, and of equal ones the first cell: the same choice on every run.
        added[candidates[np.lexsort((candidates, weight[candidates]))[0]]] = True
    return added


def _narrowed(
    model: Model,
    unknown: np.ndarray,
    weight: np.ndarray,
    threshold: int,
    share: float | None = None,
    sensitive: np.ndarray | None = None,
) -> np.ndarray:
    """Hidden cells that bounds alone give away: pinned to one integer, a small cell proven below
    the threshold, or (with `share`) a `sensitive` cell held within ±share of its value (a hidden
    row is at least 1, and counts are integers: release.linear_audit)."""
    low, high = propagated_bounds(model.equality, model.equality_rhs, unknown, weight, model.lower)
    small_proven = (weight < threshold) & (high < threshold)
    narrow = np.zeros_like(unknown)
    if share is not None:
        narrow = (low >= weight * (1 - share) - 1e-6) & (high <= weight * (1 + share) + 1e-6)
        if sensitive is not None:
            narrow &= sensitive
    return unknown & ((high - low < 0.5) | small_proven | narrow)


def suppress(
    connection: duckdb.DuckDBPyConnection,
    threshold: int,
    earlier_release: Path | None = None,
    protection_share: float = 0.10,
    audit_kind: str = "interval",
) -> SuppressionReport:
    """Hide the cells of `indicators.observations` that disclosure control withholds, in place.

    `earlier_release` is the folder of the release before this one (None for a first release).
    `audit_kind`: "linear" (no hidden cell a linear function of the published ones), "bounds"
    (linear, and bound propagation neither pins a hidden cell nor proves a small one below the
    threshold), "interval" (the default: bounds; propagation holds no small cell within its
    protection interval either; and, when those find nothing, the LP attacker of release.audit over
    the published relations and the permit holders' stock-flow inequalities narrows no small cell
    to within its protection interval) or "exact" (no hidden cell recovered exactly by the LP
    attacker, in every round).
    """
    tables.create_cells(connection)
    cells = connection.sql("SELECT * FROM sdc_cells ORDER BY cell").df()
    linked = relations(connection, len(cells))
    links = tables.share_links(connection).df()
    weight = cells["weight"].fillna(0).to_numpy()
    before = earlier(connection, earlier_release, len(cells))
    is_count = cells["denominator"].isna().to_numpy()
    model = build_model(connection, linked, is_count, weight, before.totals)
    # A share's numerator was public only if its denominator was too (a share of 100 % stays 100 %).
    pairs = connection.sql("SELECT share, count FROM sdc_share_denominators ORDER BY share").fetchnumpy()
    before.public_before[pairs["share"]] &= before.public_before[pairs["count"]]
    linked_with_totals = _with_totals(linked, before.totals)
    # What the cells published before (and the zeros) determine, a reader knows whatever this
    # release hides: hiding more cannot protect it.
    known_before = np.zeros(len(cells), dtype=bool)
    if before.public_before.any():
        known_before = determined(linked_with_totals, ~before.public_before & (weight > 0))
    # The protection interval is owed to the sensitive cells (the small ones, whichever release
    # hid them first); a complement hidden to protect them must only not be given away exactly
    # (by the relations or bound propagation): the LP proves the sensitive cells' intervals.
    sensitive = primary_mask(cells, threshold)
    protection = Protection(threshold, protection_share, audit_kind == "exact")
    audit = Audit(model, weight.astype(float), protection)
    primary = sensitive & ~before.public_before
    hidden = _share_consequences(links, primary | before.carried)
    # A zero is not a row, so a numerator of 0 (a share of 0 %) is public by the missing count row;
    # a cell published before with the same value is public whatever this release does.
    protectable = (weight > 0) & ~before.public_before & ~known_before
    report = SuppressionReport(threshold=threshold, carried=int((before.carried & ~primary).sum()))
    # What a complement must be able to move for an exposed cell: ±share of a cell, or a small
    # cell up to the threshold. The other audits ask for no interval: the smallest will do.
    need = None
    if audit_kind == "interval":
        owed = np.where(weight < threshold, threshold - weight, protection_share * weight)
        need = np.where(sensitive, owed, 1.0)
    while True:
        report.rounds += 1
        held: dict[int, np.ndarray] = {}  # from the LP stage, when it ran this round
        # Subtraction in one relation first (cheap); the audit when none is left.
        exposed = _alone_in_a_relation(linked, hidden & ~before.public_before) & protectable
        if not exposed.any():
            unknown = hidden & ~before.public_before
            if audit_kind == "exact":
                exposed, held = audit.exposed(unknown, hidden & protectable), audit.blockers
            else:
                exposed = np.zeros_like(hidden)
                if audit_kind in ("bounds", "interval"):
                    # Bounds first (linear time); the row-space test when they give nothing away.
                    share = protection_share if audit_kind == "interval" else None
                    narrowed = _narrowed(model, unknown, weight, threshold, share, sensitive)
                    exposed = narrowed & hidden & protectable
                if not exposed.any():
                    exposed = determined(linked_with_totals, unknown) & hidden & protectable
                if not exposed.any() and audit_kind == "interval":
                    # Last, the LP attacker: only when the cheap stages pass, on cells not proven yet.
                    exposed, held = audit.exposed(unknown, hidden & protectable & sensitive), audit.blockers
            if not exposed.any():
                break
        candidate = hidden | before.public_before
        # A cell the LP found held by an inequality (stock and flow, a numerator and its total):
        # hide a published cell of that inequality; else complements in its equations.
        added = _complements(_held_by(held, len(cells)), candidate, exposed, weight, need) & ~candidate
        if not added.any():
            added = _complements(linked, candidate, exposed, weight, need) & ~candidate
        if not added.any():
            added = _any_complement(linked, candidate, weight)
        if not added.any():
            raise RuntimeError(
                f"disclosure control: {exposed.sum()} cells stay exposed with nothing left to hide"
            )
        hidden = _share_consequences(links, hidden | added)
    report.linear_programs = audit.linear_programs
    _mark(connection, cells, primary, hidden, report)
    return report


def _mark(
    connection: duckdb.DuckDBPyConnection,
    cells: pd.DataFrame,
    primary: np.ndarray,
    hidden: np.ndarray,
    report: SuppressionReport,
) -> None:
    """Blank the hidden cells' values and mark them 'C'; count them by indicator and reason."""
    marked = cells.loc[hidden, [*tables.TABLE_KEY, *tables.DIMENSIONS]].assign(primary=primary[hidden])
    connection.register("sdc_hidden", marked)
    same_key = " AND ".join(f"o.{c} = h.{c}" for c in (*tables.TABLE_KEY, *tables.DIMENSIONS))
    connection.execute(f"""
        UPDATE indicators.observations AS o SET value = NULL, obs_status = '{CONFIDENTIAL}'
        FROM sdc_hidden AS h WHERE {same_key}
    """)
    connection.unregister("sdc_hidden")
    report.primary, report.secondary = int(primary.sum()), int((hidden & ~primary).sum())
    counts = marked.groupby(["indicator_id", "primary"]).size()
    report.by_indicator = {
        indicator: {
            "primary": int(counts.get((indicator, True), 0)),
            "secondary": int(counts.get((indicator, False), 0)),
        }
        for indicator in sorted(marked["indicator_id"].unique())
    }
