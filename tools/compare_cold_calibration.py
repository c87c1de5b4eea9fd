"""Compare ways of fitting the cold confidence table on the TUNING data sets only (issue #16, session 14).

    .venv/bin/python tools/compare_cold_calibration.py [--data DIR]

Each candidate fits the table of tools/calibrate_default_rules.py (rule groups, brands, structure) on three of
the four tuning data sets (kaggle, za, br, ke) and scores the fourth; nothing of the held-out sets is read. Per
candidate: the calibration error over the confidence bands pooled by row and with every household weighing the
same, each fold's (scored data set's) mean log loss, the share of rows that would go to review (no answer, or
under LOW_CONFIDENCE) and how often the rest is right. Only counts per rule group and data set are used.

Candidates: the fit as shipped (K pseudo-hits, a data set's hits weighed ``n·C/(n+C)``; the structural signals
not pooled, session 18; each kind's prior the mean of the households' own precision, session 26) with other K;
the structural signals shrunk towards one structural prior as before session 18; one vote per household (C = 1)
with K in households; a household-intercept model (logit of "right" = household + group, the group's confidence
the mean over the training households), which asks whether a group looks sure only because the households that saw
it agree with every rule; a group seen in one data set only capped at its kind's prior; the prior pooled over every
(data set, group) cell as before session 26, with K 5, 2, 10 and with one vote per household.

Session 27 adds the rules' prior kept PRIOR_MARGIN under the review line (shipped; "no prior ceiling" is the fit
before, margins 0.02 and 0.10 beside) and two stability columns: the rows whose review decision moves when the
fitted sets' counts are resampled (each cell's right answers drawn binomially, mean of 10 seeded draws), and when
one household of the fit has 8 more right answers of one group it already answered (the largest such move over
every fold, household and group): a decision that hinges on one point of the table moves many rows at once.

Band errors over four households move by points when one group crosses a band edge (session 17), so the table also
prints the error with every band edge moved by -0.04, -0.02, +0.02, +0.04 (their mean with the bands' own) and the
Brier score: a candidate better only at the bands' own edges won by where its groups fell, not by its fit.
"""

from __future__ import annotations

import argparse
import math
import sys
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tools import calibrate_default_rules as cal  # noqa: E402

Hits = dict[str, dict[str, list[int]]]
Fitter = Callable[[Hits, list[str]], tuple[dict[str, float], float]]
BANDS = (0.0, 0.3, 0.5, 0.7, 0.8, 0.9, 1.0001)
SHIFTS = (-0.04, -0.02, 0.02, 0.04)  # the band edges moved (the robustness column)


def loo_cells(hits: Hits, sets: list[str], fitter: Fitter) -> list[tuple[str, str, float, int, int]]:
    """(scored set, group, confidence fitted without that set, right, hits) for every group of every set."""
    cells = []
    for s in sets:
        table, prior = fitter(hits, [x for x in sets if x != s])
        cells += [(s, g, cal.group_confidence(table, prior, g), ok, n) for g, (ok, n) in hits[s].items() if n]
    return cells


def summarize(cells: list[tuple[str, str, float, int, int]], rows: dict[str, int]) -> dict[str, object]:
    """Calibration error by row and by household, per-set mean log loss, review share and sure-acc (``rows``:
    each data set's rows, answered or not)."""
    from budgetwise.services.categorize import LOW_CONFIDENCE

    answered = defaultdict(int)
    for s, _, _, _, n in cells:
        answered[s] += n

    def error(weight: Callable[[str], float], edges: tuple[float, ...] = BANDS) -> float:
        bands: dict[int, list[float]] = defaultdict(lambda: [0.0, 0.0, 0.0])
        for s, _, c, ok, n in cells:
            b = bands[max(i for i, x in enumerate(edges) if c >= x)]
            b[0] += weight(s) * ok
            b[1] += weight(s) * n
            b[2] += weight(s) * c * n
        return cal.calibration_error(bands)

    loss: dict[str, float] = defaultdict(float)
    for s, _, c, ok, n in cells:
        c = min(max(c, 0.01), 0.99)
        loss[s] -= (ok * math.log(c) + (n - ok) * math.log(1 - c)) / answered[s]
    sure = [(ok, n) for _, _, c, ok, n in cells if c >= LOW_CONFIDENCE]
    sure_n = sum(n for _, n in sure)
    moved = [error(lambda s: 1.0, (0.0, *(x + d for x in BANDS[1:-1]), BANDS[-1])) for d in SHIFTS]
    rows_all = sum(n for *_, n in cells)
    return {
        "error_rows": error(lambda s: 1.0),
        "error_moved": (error(lambda s: 1.0) + sum(moved)) / (len(moved) + 1),
        "brier": sum(ok * (1 - c) ** 2 + (n - ok) * c * c for _, _, c, ok, n in cells) / rows_all,
        "error_households": error(lambda s: 1.0 / answered[s]),
        "log_loss": dict(loss),
        "review": 1 - sure_n / sum(rows.values()),
        "sure_acc": sum(ok for ok, _ in sure) / sure_n if sure_n else float("nan"),
    }


def review_flips(hits: Hits, sets: list[str], fitter: Fitter, *, reps: int = 10) -> tuple[float, int]:
    """(mean rows whose review decision moves under a binomial resampling of the fitted sets' counts, the most rows
    one household's 8 more right answers of one of its groups move): each scored set with the table fitted on the
    others, as ``loo_cells``."""
    import random

    from budgetwise.services.categorize import LOW_CONFIDENCE

    def decisions(h: Hits) -> dict[tuple[str, str], bool]:
        return {(s, g): c >= LOW_CONFIDENCE for s, g, c, _, _ in loo_cells(h, sets, fitter)}

    base = decisions(hits)
    size = {(s, g): n for s in sets for g, (_, n) in hits[s].items() if n}

    def moved(h: Hits) -> int:
        return sum(size[k] for k, sure in decisions(h).items() if k in base and base[k] != sure)

    rng = random.Random(27)
    drawn = [moved({s: {g: [sum(rng.random() * n < ok for _ in range(n)), n] for g, (ok, n) in c.items()}
                    for s, c in hits.items()}) for _ in range(reps)]
    most = 0
    for s in sets:
        for g, (ok, n) in hits[s].items():
            if n and cal.kind_of(g) == "rules":
                most = max(most, moved({**hits, s: {**hits[s], g: [ok + 8, n + 8]}}))
    return sum(drawn) / len(drawn), most


def _with_constant(name: str, value: float, **options: bool) -> Fitter:
    """The fit as shipped with one of its constants (``cal.<name>``) set to ``value`` while it runs."""
    def fitter(hits: Hits, use: list[str]) -> tuple[dict[str, float], float]:
        saved = getattr(cal, name)
        setattr(cal, name, value)
        try:
            return cal.fit(hits, use, **options)
        finally:
            setattr(cal, name, saved)
    return fitter


def shrunk_fit(k: float, **options: bool) -> Fitter:
    """The fit as shipped with ``k`` pseudo-hits towards each kind's prior (``options``: passed to the fit)."""
    return _with_constant("K", k, **options)


def structure_pooled(k: float) -> Fitter:
    """The structural signals shrunk towards one structural prior with ``k`` pseudo-hits (before session 18: 20)."""
    return _with_constant("STRUCTURE_K", k)


def household_fit(k: float, **options: bool) -> Fitter:
    """One vote per household: a data set's hits of a group weigh about one (C = 1), ``k`` pseudo-households
    (``options``: passed to the fit)."""
    def fitter(hits: Hits, use: list[str]) -> tuple[dict[str, float], float]:
        saved = cal.set_weight, cal.K
        cal.set_weight, cal.K = (lambda _hits: 1.0), k
        try:
            return cal.fit(hits, use, **options)
        finally:
            cal.set_weight, cal.K = saved
    return fitter


def _intercept_model(cells: list[tuple[str, str, int, int]], weight: float, penalty: float, iterations: int):
    """(mu, household effects, {group: effect}) of logit P(right) = mu + a_household + b_group, fitted to
    (set, group, right, hits) cells, each cell's hits weighed ``n·weight/(n + weight)``, ridge ``penalty``."""
    import numpy as np

    sets = sorted({c[0] for c in cells})
    groups = sorted({c[1] for c in cells})
    si = np.array([sets.index(c[0]) for c in cells])
    gi = np.array([groups.index(c[1]) for c in cells])
    n = np.array([c[3] for c in cells], float)
    y = np.array([c[2] for c in cells], float) / n
    w = n * weight / (n + weight)
    mu, a, b = 0.0, np.zeros(len(sets)), np.zeros(len(groups))
    for _ in range(iterations):  # coordinate-wise Newton steps
        for part in ("mu", "a", "b"):
            p = 1 / (1 + np.exp(-(mu + a[si] + b[gi])))
            r, h = w * (y - p), w * p * (1 - p) + 1e-9
            if part == "mu":
                mu += r.sum() / h.sum()
            elif part == "a":
                a += (np.bincount(si, r, len(sets)) - penalty * a) / (np.bincount(si, h, len(sets)) + penalty)
            else:
                b += (np.bincount(gi, r, len(groups)) - penalty * b) / (np.bincount(gi, h, len(groups)) + penalty)
    return mu, a, dict(zip(groups, b))


def additive_fit(penalty: float, *, iterations: int = 200) -> Fitter:
    """Rules and brands: logit P(right) = mu + a_household + b_group (each data set's hits weighed as in the
    shipped fit, ridge ``penalty`` on a and b), a group's confidence the mean over the training households of
    the sigmoid (an unseen group: b = 0); clipped as shipped. Structure keeps the shipped fit."""
    import numpy as np

    def fitter(hits: Hits, use: list[str]) -> tuple[dict[str, float], float]:
        table, prior = cal.fit(hits, use)
        weight = cal.set_weight({s: {g: c for g, c in hits[s].items() if cal.kind_of(g) != "structure"} for s in use})
        for kind, ceiling in (("rules", cal.CEILING), ("brands", cal.BRAND_CEILING)):
            cells = [(s, g, ok, n) for s in use for g, (ok, n) in hits[s].items() if cal.kind_of(g) == kind and n]
            if not cells:
                continue
            mu, a, effects = _intercept_model(cells, weight, penalty, iterations)
            conf = {g: round(min(ceiling, max(cal.FLOOR, float(np.mean(1 / (1 + np.exp(-(mu + a + e))))))), 2)
                    for g, e in [*effects.items(), ("", 0.0)]}
            unseen = conf.pop("")
            table.update(conf)
            if kind == "rules":
                prior = unseen
            else:
                table["Brands:"] = unseen
        return table, prior
    return fitter


CANDIDATES: dict[str, Fitter] = {
    "as shipped (K = 5)": cal.fit,
    "no prior ceiling (before 27)": lambda hits, use: cal.fit(hits, use, prior_margin=None),
    "prior margin 0.02": lambda hits, use: cal.fit(hits, use, prior_margin=0.02),
    "prior margin 0.10": lambda hits, use: cal.fit(hits, use, prior_margin=0.10),
    "structure pooled (K 20, before)": structure_pooled(20), "structure pooled, K 1": structure_pooled(1),
    "prior pooled by cell (before 26)": lambda hits, use: cal.fit(hits, use, household_prior=False),
    "cap: seen in one set at prior": lambda hits, use: cal.fit(hits, use, one_set_cap=True),
    "K = 2": shrunk_fit(2), "K = 10": shrunk_fit(10), "K = 20": shrunk_fit(20),
    "one vote per household, K = 1": household_fit(1), "one vote per household, K = 2": household_fit(2),
    "one vote per household, K = 3": household_fit(3),
    "household intercept, ridge 0.5": additive_fit(0.5), "household intercept, ridge 1": additive_fit(1.0),
    "prior pooled by cell, K = 2": shrunk_fit(2, household_prior=False),
    "prior pooled by cell, K = 10": shrunk_fit(10, household_prior=False),
    "prior pooled by cell, one vote K 3": household_fit(3, household_prior=False),
}


def main(argv: list[str] | None = None) -> int:
    import benchmarks.categorize_eval as ev

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=ev.DATA)
    args = parser.parse_args(argv)
    ev.MAPPINGS = args.data.parent / "mappings.json"
    files = {k: v for k, v in ev.load_all(args.data).items() if k in ev.TUNING}
    if len(files) < 2:
        print(f"Fewer than two tuning data sets at {args.data}.")
        return 1
    hits = cal.rule_hits(files)
    sets = list(files)
    rows = {s: len(files[s]) for s in sets}
    print("cold confidence, leave one tuning data set out (fitted on the other tuning sets; held-out sets unread)")
    print(f"{'candidate':<32} {'error rows':>10} {'edges moved':>11} {'households':>10} {'Brier':>6}  "
          f"log loss per scored set{'':<22} {'review':>7} {'sure-acc':>8} {'flips':>6} {'+8':>5}")
    for label, fitter in CANDIDATES.items():
        m = summarize(loo_cells(hits, sets, fitter), rows)
        losses = m["log_loss"]
        assert isinstance(losses, dict)
        print(f"{label:<32} {100 * m['error_rows']:9.1f}  {100 * m['error_moved']:10.1f}  "
              f"{100 * m['error_households']:9.1f} {m['brier']:6.4f}   "
              + " ".join(f"{s} {losses[s]:.3f}" for s in sets)
              + f" mean {sum(losses.values()) / len(losses):.3f} {m['review']:7.1%} {m['sure_acc']:8.1%}"
              + "".join(f" {f:6.0f} {most:5d}" for f, most in [review_flips(hits, sets, fitter)]))
    print_coverage(hits, sets, rows)
    return 0


def print_coverage(hits: Hits, sets: list[str], rows: dict[str, int]) -> None:
    """The shipped fit, then the household coverage shift on it (session 28, categorize/coverage.py: each scored
    set's default rules moved by the share of its file they answer, slope and reference fitted on the others)."""
    from benchmarks.categorize_coverage import coverage_cells

    cells, shifts = coverage_cells(hits, rows, {s: cal.fit(hits, [x for x in sets if x != s]) for s in sets}, sets)
    for label, column in (("as shipped, again", 2), ("household coverage shift", 3)):
        m = summarize([(c[0], c[1], c[column], c[4], c[5]) for c in cells], rows)
        losses = m["log_loss"]
        assert isinstance(losses, dict)
        print(f"{label:<32} {100 * m['error_rows']:9.1f}  {100 * m['error_moved']:10.1f}  "
              f"{100 * m['error_households']:9.1f} {m['brier']:6.4f}   "
              + " ".join(f"{s} {losses[s]:.3f}" for s in sets)
              + f" mean {sum(losses.values()) / len(losses):.3f} {m['review']:7.1%} {m['sure_acc']:8.1%}")
    print("  share of each file the default rules answer, shift (log-odds): "
          + ", ".join(f"{s} {share:.1%} {shift:+.2f}" for s, (share, shift) in shifts.items()))


if __name__ == "__main__":
    sys.exit(main())
