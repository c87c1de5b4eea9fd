"""The speed figure of ``categorize_eval.py --cold`` (its ``run_learning_speed``), every run printed, per stage.

    .venv/bin/python benchmarks/categorize_speed.py [--root DIR] [--reps 3] [--stages]

``categorize_eval.py`` prints the best of 3; on a shared machine its figure moves 2-3x with the load, so two
revisions are compared only by runs made at the same time. This runs the same batch and timed block (the same
seeds, the argument lists built inside the timed block, ``categorize_rows`` with the 5,000-row history and
``history_over_rules``), without the cold section before it, and prints one JSON line: the learning fit (once:
the first fit also compiles the rules and loads the model's libraries, ~4 s CPU where the next take ~1.7), each
run's (CPU s, wall s) with history and rules only, the load average, and with ``--stages`` the CPU of each
stage of ``categorize_rows``. ``--root`` imports another checkout (a ``git worktree`` of an older revision
with a ``.venv`` symlink): start one process per checkout at the same time (session 16, catspeed).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import sys
import time
from decimal import Decimal
from pathlib import Path

STAGES = ("_match_rows", "_apply_history", "_apply_brands", "_apply_bank_types", "_apply_structure")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--root", type=Path, default=Path(__file__).resolve().parent.parent)
    parser.add_argument("--reps", type=int, default=3)
    parser.add_argument("--stages", action="store_true", help="CPU per stage of categorize_rows")
    parser.add_argument("--data", type=Path, default=None)
    args = parser.parse_args(argv)
    root = args.root.resolve()
    os.chdir(root)
    sys.path.insert(0, str(root))
    import benchmarks.categorize_eval as ce
    from budgetwise.db import session_scope
    from budgetwise.services.categorize import engine

    data = args.data or ce.DATA
    if not data.is_dir():
        data = Path(__file__).resolve().parent.parent.parent / "shared" / "data" / "labeled"
    if not data.is_dir():
        print(f"No labelled data at {data}; nothing to measure.")
        return 0
    ce.MAPPINGS = data.parent / "mappings.json"
    files = ce.load_all(data)
    stages: dict[str, list[float]] = {}
    out: dict[str, object] = {"root": str(root), "load_start": os.getloadavg()[0]}
    with ce.scratch_database("catspeed") as db:
        factory = db.factory
        rng = random.Random(11)  # as run_learning_speed
        pool = [r for rows in files.values() for r in rows]
        user = ce.new_user(factory, db.settings, "speed@example.com")
        ids = ce.name_to_id(factory, user.user_id)
        train = [rng.choice(pool) for _ in range(5000)]
        with session_scope(factory) as s:
            rule_rows = engine._rule_rows(s, user.user_id)
        start, cpu = time.perf_counter(), time.process_time()
        knowledge = ce.learning.UserKnowledge(ce.history_rows(train, ids))
        engine._history_model(knowledge, rule_rows)
        engine._rule_agreement(knowledge, rule_rows)
        out["fit"] = (round(time.process_time() - cpu, 3), round(time.perf_counter() - start, 3))
        extra = ["", "", " {d:02d}/{m:02d}", " REF {r}", " CARD XXXX{c}", " * {d:02d} Oct", " #{r}"]
        batch = []
        for _ in range(100_000):
            r = rng.choice(pool)
            suffix = rng.choice(extra).format(d=rng.randint(1, 28), m=rng.randint(1, 12),
                                              r=rng.randint(10**5, 10**8), c=rng.randint(1000, 9999))
            batch.append(ce.Row(r.date, r.description + suffix, Decimal(rng.randint(100, 500_000)) / 100, r.kind,
                                r.truth, r.label, r.account))
        runs: dict[str, list[tuple[float, float]]] = {"with_history": [], "rules_only": []}
        if args.stages:  # after the fit (it matches the history's rows too)
            for name in STAGES:
                setattr(engine, name, _timed(getattr(engine, name), stages.setdefault(name, [])))
        for with_history in [True, False] * args.reps:
            start, cpu = time.perf_counter(), time.process_time()
            with session_scope(factory) as s:
                ce.categorize_rows(
                    s, user_id=user.user_id, descriptions=[r.description for r in batch],
                    amounts_minor=[ce.minor(r.amount) for r in batch], kinds=[r.kind for r in batch],
                    accounts=[r.account for r in batch], dates=[r.date.date() for r in batch],
                    knowledge=knowledge, history_over_rules=True, with_model=with_history,
                )
            runs["with_history" if with_history else "rules_only"].append(
                (round(time.process_time() - cpu, 3), round(time.perf_counter() - start, 3)))
    out.update(runs)
    if args.stages:
        out["stages"] = stages  # alternately with history and rules only (_apply_history: with history only)
    out["load_end"] = os.getloadavg()[0]
    print(json.dumps(out))
    return 0


def _timed(fn, into: list[float]):
    def timed(*a, **k):
        cpu = time.process_time()
        try:
            return fn(*a, **k)
        finally:
            into.append(round(time.process_time() - cpu, 3))
    return timed


if __name__ == "__main__":
    sys.exit(main())
