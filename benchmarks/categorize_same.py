"""Whether two revisions give the same answers: every row's categorize answer, fingerprinted per data set.

    .venv/bin/python benchmarks/categorize_same.py [--root DIR] [--out FILE]
    .venv/bin/python benchmarks/categorize_same.py --compare A.json B.json

For a speed change that must not change any answer (session 21, catspeed). Each labelled data set of
``../shared/data/labeled/`` is categorized as ``categorize_eval.py`` does it: a new user's import of the whole file
(cold), and the later 80% after learning from the first 5% and 20% (``history_over_rules``, the shared words); plus
``categorize_speed.py``'s 100,000-row batch after its 5,000-row history (with history and rules only) and the
suggestion path (``categorize_items``) on the pooled rows. Every answer (category id and name, source, confidence,
rule id, signal) goes into one SHA-256 per section; no accuracy is computed or printed (the held-out sets are only
compared with themselves). ``--root`` imports another checkout (e.g. ``git archive main`` unpacked, with a ``.venv``
symlink); ``--compare`` prints the sections that differ and exits 1 if any does.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import random
import sys
from decimal import Decimal
from pathlib import Path


def _digest(guesses) -> str:
    h = hashlib.sha256()
    for g in guesses:
        h.update(repr((g.category_id, g.category_name, g.source, g.confidence, g.rule_id, g.signal)).encode())
        h.update(b"\n")
    return h.hexdigest()


def fingerprints(data: Path) -> dict[str, str]:
    import benchmarks.categorize_eval as ce
    from budgetwise.db import session_scope

    ce.MAPPINGS = data.parent / "mappings.json"
    files = ce.load_all(data)
    out: dict[str, str] = {}
    with ce.scratch_database("catsame") as db:
        factory = db.factory
        user = ce.new_user(factory, db.settings, "same@example.com")
        ids = ce.name_to_id(factory, user.user_id)
        for name, rows in files.items():
            ordered = sorted(rows, key=lambda r: r.date)
            with session_scope(factory) as s:
                out[f"{name} cold"] = _digest(ce.categorize_rows(
                    s, user_id=user.user_id, descriptions=[r.description for r in ordered],
                    amounts_minor=[ce.minor(r.amount) for r in ordered], kinds=[r.kind for r in ordered],
                    accounts=[r.account for r in ordered], dates=[r.date.date() for r in ordered], with_model=False,
                    history_over_rules=True))
            test = ordered[int(len(ordered) * 0.2):]
            for frac in (0.05, 0.20):
                train = ordered[: max(1, int(len(ordered) * frac))]
                shared = ce.shared_for(train, test)
                knowledge = ce.learning.UserKnowledge(ce.history_rows(train, ids, shared))
                out[f"{name} learn {int(frac * 100)}%"] = _digest(
                    ce.store_rows(factory, user.user_id, test, knowledge, shared))
        pool = [r for rows in files.values() for r in rows]
        with session_scope(factory) as s:
            out["pooled suggestions"] = _digest(ce.categorize_items(s, user_id=user.user_id, items=ce.items(pool)))
        rng = random.Random(11)  # categorize_speed.py's batch and history
        speed_user = ce.new_user(factory, db.settings, "speed@example.com")
        speed_ids = ce.name_to_id(factory, speed_user.user_id)
        train = [rng.choice(pool) for _ in range(5000)]
        knowledge = ce.learning.UserKnowledge(ce.history_rows(train, speed_ids))
        extra = ["", "", " {d:02d}/{m:02d}", " REF {r}", " CARD XXXX{c}", " * {d:02d} Oct", " #{r}"]
        batch = []
        for _ in range(100_000):
            r = rng.choice(pool)
            suffix = rng.choice(extra).format(d=rng.randint(1, 28), m=rng.randint(1, 12),
                                              r=rng.randint(10**5, 10**8), c=rng.randint(1000, 9999))
            batch.append((r.description + suffix, ce.minor(Decimal(rng.randint(100, 500_000)) / 100), r.kind,
                          r.account, r.date.date()))
        for with_history in (True, False):
            with session_scope(factory) as s:
                out[f"speed batch {'with history' if with_history else 'rules only'}"] = _digest(ce.categorize_rows(
                    s, user_id=speed_user.user_id, descriptions=[b[0] for b in batch],
                    amounts_minor=[b[1] for b in batch], kinds=[b[2] for b in batch], accounts=[b[3] for b in batch],
                    dates=[b[4] for b in batch], knowledge=knowledge, history_over_rules=True,
                    with_model=with_history))
    return out


def compare(a: Path, b: Path) -> int:
    left, right = json.loads(a.read_text()), json.loads(b.read_text())
    differ = sorted(k for k in left.keys() | right.keys() if left.get(k) != right.get(k))
    for k in differ:
        print(f"DIFFERENT: {k}")
    print(f"{len(left.keys() | right.keys()) - len(differ)} sections the same, {len(differ)} different")
    return 1 if differ else 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--root", type=Path, default=Path(__file__).resolve().parent.parent)
    parser.add_argument("--data", type=Path, default=None)
    parser.add_argument("--out", type=Path, default=None)
    parser.add_argument("--compare", type=Path, nargs=2, default=None)
    args = parser.parse_args(argv)
    if args.compare:
        return compare(*args.compare)
    here = Path(__file__).resolve().parent.parent
    root = args.root.resolve()
    os.chdir(root)
    sys.path.insert(0, str(root))
    data = args.data or next((p / "shared" / "data" / "labeled" for p in (here.parent, here.parent.parent)
                              if (p / "shared" / "data" / "labeled").is_dir()), here / "no-data")
    if not data.is_dir():
        print(f"No labelled data at {data}; nothing to compare.")
        return 0
    out = fingerprints(data)
    text = json.dumps(out, indent=1, sort_keys=True)
    if args.out:
        args.out.write_text(text + "\n")
    print(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
