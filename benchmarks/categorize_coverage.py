"""The cold section with and without the household coverage shift (session 28; budgetwise/services/categorize/coverage.py).

Called by benchmarks/categorize_eval.py after its cold section (the same rows, counts and leave-one-data-set-out
tables): each data set's default-rule answers are scored with the table fitted without it, then again moved by the
share of the file the default rules answer (the shift's slope and reference fitted on the same other data sets,
tools/calibrate_default_rules.coverage_fit). Only confidences move: the categories, and so every accuracy, are the
same both ways. Printed per group of data sets (tuning, held-out): the calibration error (all answers and the
rules alone), the review share and the accuracy of the rest (sure-acc), the bands; and per data set its share,
shift, review and sure-acc.
"""

from __future__ import annotations

from collections import defaultdict
from contextlib import contextmanager


@contextmanager
def coverage_on():
    """The shift computed while the block runs, whatever the shipped flag says."""
    from budgetwise.services.categorize import coverage

    saved = coverage.COVERAGE_SHIFT
    coverage.COVERAGE_SHIFT = True
    try:
        yield
    finally:
        coverage.COVERAGE_SHIFT = saved


def coverage_cells(hits: dict, rows: dict[str, int], tables: dict[str, tuple[dict[str, float], float]],
                   sets: list[str]) -> tuple[list[tuple], dict[str, tuple[float, float]]]:
    """((set, group, confidence off, confidence on, right, hits) of every scored group, {set: (share, shift)}):
    each set in ``sets`` scored with ``tables[set]`` (fitted without it) and the coverage fit of the other
    data sets of ``hits``."""
    from budgetwise.services.categorize import coverage
    from tools.calibrate_default_rules import coverage_fit, group_confidence, kind_of

    cells, shifts = [], {}
    for s in sets:
        table, prior = tables[s]
        fit = coverage_fit(hits, rows, [x for x in hits if x != s])
        answered = sum(c[1] for g, c in hits[s].items() if kind_of(g) == "rules")
        with coverage_on():
            shift = coverage.coverage_shift(answered, rows[s], fit)
        shifts[s] = (answered / rows[s], shift)
        for g, (ok, n) in hits[s].items():
            if n:
                conf = group_confidence(table, prior, g)
                on = coverage.moved(conf, shift) if kind_of(g) == "rules" else conf
                cells.append((s, g, conf, on, ok, n))
    return cells, shifts


def run_cold_coverage(files: dict, tuning: tuple[str, ...], bands: tuple[float, ...]) -> None:
    """Print the comparison (``files``: {data set: rows}; ``tuning``: the tuning sets' names)."""
    from benchmarks.categorize_eval import loo_tables
    from budgetwise.services.categorize import LOW_CONFIDENCE
    from tools.calibrate_default_rules import calibration_error, kind_of, rule_hits

    hits = rule_hits(files)
    rows = {s: len(r) for s, r in files.items()}
    cells, shifts = coverage_cells(hits, rows, loo_tables(files, hits), list(files))
    group_of = {s: "tuning" if s in tuning else "held-out" for s in files}
    print("cold, with the household coverage shift (categorize/coverage.py; fitted leave-one-data-set-out like the "
          "table; categories unchanged)")
    print(f"{'data set':<9}{'share':>7}{'shift':>7} {'review off':>10} {'sure-acc':>9} {'review on':>10} {'sure-acc':>9}")
    per_set: dict[tuple[str, int], list[int]] = defaultdict(lambda: [0, 0])  # (set, column) -> sure right, sure n
    for s, _g, off, on, ok, n in cells:
        for column, conf in ((0, off), (1, on)):
            if conf >= LOW_CONFIDENCE:
                per_set[(s, column)][0] += ok
                per_set[(s, column)][1] += n
    for s in files:
        (a0, n0), (a1, n1) = per_set[(s, 0)], per_set[(s, 1)]
        print(f"{s:<9}{shifts[s][0]:7.1%}{shifts[s][1]:+7.2f} {1 - n0 / rows[s]:10.1%} {a0 / max(1, n0):9.1%} "
              f"{1 - n1 / rows[s]:10.1%} {a1 / max(1, n1):9.1%}" + ("   (held out)" if group_of[s] != "tuning" else ""))
    for group in ("tuning", "held-out"):
        mine = [c for c in cells if group_of[c[0]] == group]
        if not mine:
            continue
        n_rows = sum(rows[s] for s in files if group_of[s] == group)
        parts = []
        for column, label in ((2, "off"), (3, "on")):
            def error(kind: str | None) -> float:
                b: dict[int, list[float]] = defaultdict(lambda: [0.0, 0.0, 0.0])
                for c in mine:
                    if kind is None or kind_of(c[1]) == kind:
                        x = b[max(i for i, e in enumerate(bands) if c[column] >= e)]
                        x[0] += c[4]
                        x[1] += c[5]
                        x[2] += c[column] * c[5]
                return 100 * calibration_error(b)

            sure = [(c[4], c[5]) for c in mine if c[column] >= LOW_CONFIDENCE]
            sure_n = sum(n for _, n in sure)
            brier = sum(ok * (1 - c[column]) ** 2 + (n - ok) * c[column] ** 2 for c in mine for ok, n in [c[4:6]])
            parts.append(f"{label}: error {error(None):4.1f} (rules {error('rules'):4.1f}) points, Brier "
                         f"{brier / sum(c[5] for c in mine):.4f}, review {1 - sure_n / n_rows:6.1%} (sure-acc "
                         f"{sum(ok for ok, _ in sure) / max(1, sure_n):6.1%})")
        print(f"  {group:<9} " + "; ".join(parts))
    print(f"  {'group':<9} {'band':<9} {'rows off':>8} {'conf':>5} {'observed':>8}   {'rows on':>7} {'conf':>5} {'observed':>8}")
    for group in ("tuning", "held-out"):
        table: dict[tuple[int, int], list[float]] = defaultdict(lambda: [0.0, 0.0, 0.0])
        for c in cells:
            if group_of[c[0]] == group:
                for column in (2, 3):
                    x = table[(column, max(i for i, e in enumerate(bands) if c[column] >= e))]
                    x[0] += c[4]
                    x[1] += c[5]
                    x[2] += c[column] * c[5]
        for band in sorted({b for _, b in table}):
            off, on = table.get((2, band), [0, 0, 0]), table.get((3, band), [0, 0, 0])
            print(f"  {group:<9} {bands[band]:.1f}-{min(1.0, bands[band + 1]):.1f}  {int(off[1]):>8} "
                  f"{off[2] / max(1, off[1]):5.2f} {off[0] / max(1, off[1]):8.1%}   {int(on[1]):>7} "
                  f"{on[2] / max(1, on[1]):5.2f} {on[0] / max(1, on[1]):8.1%}")
