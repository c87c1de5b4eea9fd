"""Fit the calibration maps of the user's history (issue #16, learning) on the TUNING data sets.

    .venv/bin/python tools/fit_history_calibration.py [--data DIR]

The merchant memory and the per-user model (``budgetwise/services/categorize/history.py``)
turn a raw score into a confidence through fixed monotone maps: ``MEMORY_CALIBRATION`` (the
memory's agreement score) and ``MODEL_CALIBRATION`` (the model's top probability). This script
collects, for every row of the later 80% of a household whose answer the memory or the model
gave (the app's own decision, with the maps in force), the raw score of that answer and
whether it was right, after learning from the first 5, 10 and 20% by date. Households: each
TUNING data set (kaggle, za, br, ke; never the held-out us, in, ca) as one long history and
cut into a few small ones of SMALL rows (the size of a household that has just started), so
that the maps also hold for short histories. A data set weighs as its rows, at most
CAP_PER_SET (a large file does not decide the maps alone); within it, the long and the small
households weigh alike.

It prints, leave-one-data-set-out, the calibration error of the maps in force and of maps
fitted on the other tuning sets (per band: |mean confidence - observed accuracy|, weighted by
rows), for several caps and for a map per source (the memory's own key apart from a shorter
stem, a model of a short history apart from a long one: tried, no better), then the maps
fitted on all four tuning sets, as knots to paste into history.py. The maps feed back into
what the app decides (a sure model answer overrules a default rule), so a refit under new
maps moves them again: the maps in force are the mean of two successive fits (see
docs/categorization.md). Only counts are kept, no row.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

SMALL = 130  # rows of a small household (cut from a tuning data set, consecutive by date)
SMALL_PER_SET = 6  # small households taken from each tuning data set
SHORT_HISTORY = 100  # a model learnt from fewer rows counts as "model_short" (a map of its own was tried)
FRACTIONS = (0.05, 0.10, 0.20)
GRID = tuple(i / 20 for i in range(21))
CAP_PER_SET = 300.0  # a data set weighs as at most this many rows (chosen leave-one-data-set-out)
BANDS = (0.0, 0.3, 0.5, 0.7, 0.8, 0.9, 1.0001)
CAPS = (300.0, 1000.0, 3000.0, 1e9)
SOURCES = ("memory", "stem", "model", "model_short")

Point = tuple[str, str, str, float, float, int]  # data set, household size, source, raw, confidence, right


def households(rows: list) -> list[tuple[str, list]]:
    """("long", every row) and up to SMALL_PER_SET ("small", SMALL consecutive rows), by date."""
    ordered = sorted(rows, key=lambda r: r.date)
    step = max(SMALL, len(ordered) // SMALL_PER_SET)
    small = [ordered[i:i + SMALL] for i in range(0, len(ordered) - SMALL + 1, step)][:SMALL_PER_SET]
    return [("long", ordered)] + [("small", s) for s in small]


def _model_raw(knowledge, rule_rows, rows) -> list[tuple[int | None, float]]:
    """The model's (category, raw top probability) for rows as the engine asks it (with the rules' answer)."""
    from benchmarks.categorize_eval import minor
    from budgetwise.services.categorize import history
    from budgetwise.services.categorize.engine import _history_model
    from budgetwise.services.categorize.knowledge import history_forms
    from budgetwise.services.categorize.ruleset import _compiled_rules, _match_rows
    from budgetwise.text import clean_text

    model = _history_model(knowledge, rule_rows)
    if model is None:
        return [(None, 0.0)] * len(rows)
    texts = [clean_text(r.description)[:500] for r in rows]
    hits = _match_rows(_compiled_rules(tuple(x for x in rule_rows if x.is_global)),
                       [(t, minor(r.amount), r.kind, r.account) for t, r in zip(texts, rows)])
    mrows = []
    for t, r, h in zip(texts, rows, hits):
        words, key = history_forms(t)
        token = history.rule_token(h.row.category_id, h.is_fallback) if h is not None else ""
        mrows.append(history.ModelRow(words, key, r.kind, minor(r.amount), r.date.day, r.account, token))
    saved = history.MODEL_CALIBRATION
    history.MODEL_CALIBRATION = history.Calibration(((0.0, 0.0), (1.0, 1.0)))
    try:
        return model.predict(mrows, min_similarity=0.0)
    finally:
        history.MODEL_CALIBRATION = saved


def collect(files: dict) -> list[Point]:
    from benchmarks import categorize_eval as ev
    from budgetwise.config import Settings
    from budgetwise.db import make_engine, make_session_factory, session_scope, upgrade_database
    from budgetwise.services.categorize import history
    from budgetwise.services.categorize.engine import _rule_rows
    from budgetwise.services.categorize.knowledge import history_forms
    from budgetwise.text import clean_text

    points: list[Point] = []
    with tempfile.TemporaryDirectory() as tmp:
        settings = Settings.load(environ={"BUDGETWISE_DATA_DIR": tmp, "BUDGETWISE_SECRET_KEY": "fit-" + "x" * 40,
                                          "BUDGETWISE_BCRYPT_ROUNDS": "4"})
        upgrade_database(settings.database_url)
        engine = make_engine(settings.database_url)
        factory = make_session_factory(engine)
        user = ev.new_user(factory, settings, "fit@example.com")
        ids = ev.name_to_id(factory, user.user_id)
        with session_scope(factory) as s:
            rule_rows = _rule_rows(s, user.user_id)
        for name, rows in files.items():
            for size, ordered in households(rows):
                test = ordered[int(len(ordered) * 0.2):]
                keys = [history_forms(clean_text(r.description)[:500])[1] for r in test]
                for frac in FRACTIONS:
                    knowledge = history.UserKnowledge(ev.history_rows(ordered[: max(1, int(len(ordered) * frac))], ids))
                    decided = ev.store_rows(factory, user.user_id, test, knowledge)
                    raw_model = None
                    for i, (r, d) in enumerate(zip(test, decided)):
                        if d.source != "model":
                            continue
                        m = knowledge.memory.lookup(keys[i], r.kind)
                        if m is not None and m.category == d.category_id and m.confidence == d.confidence:
                            src, raw = ("memory" if m.stem == keys[i] else "stem"), m.raw
                        else:
                            if raw_model is None:
                                raw_model = _model_raw(knowledge, rule_rows, test)
                            short = knowledge.size < SHORT_HISTORY
                            src, raw = ("model_short" if short else "model"), raw_model[i][1]
                        points.append((name, size, src, raw, float(d.confidence), int(d.category_name == r.truth)))
        engine.dispose()
    return points


def _weights(points: list[Point], cap: float = CAP_PER_SET) -> list[float]:
    """A data set weighs as its rows, at most ``cap``; within it, its long and its small households weigh alike."""
    n: dict[tuple, int] = defaultdict(int)
    per_set: dict[str, int] = defaultdict(int)
    for p in points:
        n[(p[0], p[1])] += 1
        per_set[p[0]] += 1
    sizes: dict[str, set] = defaultdict(set)
    for name, size in n:
        sizes[name].add(size)
    return [min(per_set[p[0]], cap) / (n[(p[0], p[1])] * len(sizes[p[0]])) for p in points]


def _knots(xs_ys: list[tuple[float, float]]) -> tuple[tuple[float, float], ...]:
    """The knots without the inner points of flat runs (the map is the same)."""
    out = [k for i, k in enumerate(xs_ys)
           if i in (0, len(xs_ys) - 1) or not (xs_ys[i - 1][1] == k[1] == xs_ys[i + 1][1])]
    return tuple(out)


# one map per kind: the memory (its own key or a shorter stem), the model (long or short history)
ONE_PER_KIND = {"memory": "memory", "stem": "memory", "model": "model", "model_short": "model"}
# a map per source: tried, no better leave-one-data-set-out (see docs/categorization.md)
SPLIT = {"memory": "memory", "stem": "stem", "model": "model", "model_short": "model_short"}


def fit(points: list[Point], cap: float = CAP_PER_SET, groups: dict[str, str] = ONE_PER_KIND):
    """{map name: history.Calibration} by weighted isotonic regression of 'right' on the raw score
    (sources one of ``groups`` names alike share a map)."""
    from sklearn.isotonic import IsotonicRegression

    from budgetwise.services.categorize import history

    maps = {}
    for name in sorted(set(groups.values())):
        pts = [p for p in points if groups[p[2]] == name]
        if len(pts) < 20:
            continue
        iso = IsotonicRegression(y_min=0.02, y_max=0.99, out_of_bounds="clip", increasing=True)
        iso.fit([p[3] for p in pts], [p[5] for p in pts], sample_weight=_weights(pts, cap))
        maps[name] = history.Calibration(_knots([(x, round(float(iso.predict([x])[0]), 2)) for x in GRID]))
    return maps


def calibration_error(pairs: list[tuple[float, int]]) -> float:
    """Sum over confidence bands of |mean confidence - observed accuracy|, weighted by rows."""
    bands: dict[int, list[float]] = defaultdict(lambda: [0.0, 0.0, 0.0])
    for conf, ok in pairs:
        b = max(i for i, lo in enumerate(BANDS) if conf >= lo)
        bands[b][0] += conf
        bands[b][1] += ok
        bands[b][2] += 1
    total = sum(v[2] for v in bands.values())
    return sum(abs(c - o) for c, o, _ in bands.values()) / max(1.0, total)


def main(argv: list[str] | None = None) -> int:
    from benchmarks import categorize_eval as ev

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=ev.DATA)
    args = parser.parse_args(argv)
    ev.MAPPINGS = args.data.parent / "mappings.json"
    files = {k: v for k, v in ev.load_all(args.data).items() if k in ev.TUNING}
    points = collect(files)
    print("leave one tuning data set out: calibration error (lower is better) of the maps in force / refitted,")
    print("by the weight cap per data set")
    for cap, groups in [(c, ONE_PER_KIND) for c in CAPS] + [(CAP_PER_SET, SPLIT)]:
        errors = []
        for name in files:
            maps = fit([p for p in points if p[0] != name], cap, groups)
            for size in ("long", "small"):
                mine = [p for p in points if p[0] == name and p[1] == size]
                now = calibration_error([(p[4], p[5]) for p in mine])
                refit = calibration_error([(maps[groups[p[2]]](p[3]) if groups[p[2]] in maps else p[4], p[5])
                                           for p in mine])
                errors.append((f"{name}/{size}", len(mine), now, refit))
        print(f"  {'a map per source' if groups is SPLIT else 'one map per kind'}, cap {cap:>10.0f}: " + "; ".join(f"{n} ({k} rows) {a:.3f} / {b:.3f}" for n, k, a, b in errors)
              + f"; mean {sum(e[2] for e in errors) / len(errors):.3f} / {sum(e[3] for e in errors) / len(errors):.3f}")
    for name, cal in fit(points).items():
        knots = ", ".join(f"({x}, {y})" for x, y in cal.knots)
        rows = sum(ONE_PER_KIND[p[2]] == name for p in points)
        print(f"{name.upper()}_CALIBRATION ({rows} rows) = Calibration(({knots}))")
    return 0


if __name__ == "__main__":
    sys.exit(main())
