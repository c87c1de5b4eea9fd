"""The labelling plan's coverage on the TUNING labelled sets (kaggle, za, br, ke; never the held-out ones).

    .venv/bin/python benchmarks/plan_coverage.py [--data DIR] [--limit 10] [--show]

Every row of a set is taken as waiting for a category (a new user who imported the whole file, before any rule),
keyed as the app keys it (:func:`textforms.learn_key` with the words the rows share), and given to the pure plan
(:func:`stems.labelling_plan`). Per set: the rows its ``limit`` offers sort (each row once, :func:`stems.rows_sorted`),
and how many of those a user would file RIGHT by labelling each offer with the category most of its rows hold (a
row counted under the most specific offer whose stem it falls under), and which offers the plan shows as a kind of
payment rather than a merchant. Figures, no assertions (session 23, trial23b).
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter, defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.categorize_eval import DATA, TUNING, load_all  # noqa: E402
from budgetwise.services.categorize import stems  # noqa: E402
from budgetwise.text import clean_text  # noqa: E402
from budgetwise.textforms import learn_key, shared_words  # noqa: E402


def plan_figures(rows, limit: int) -> tuple[int, int, int, list]:
    """(rows, rows sorted, rows sorted right, offers) of one set's rows."""
    texts = [clean_text(r.description)[:500] for r in rows]
    shared = shared_words(learn_key(t) for t in set(texts))
    keys = [learn_key(t, shared) for t in texts]
    counted: Counter = Counter(zip(keys, texts, strict=True))
    items = stems.labelling_plan([(k, d, n) for (k, d), n in counted.items()], limit=limit, shared=shared)
    by_key: Counter = Counter(keys)
    sorted_rows = stems.rows_sorted(items, dict(by_key))
    truth_by_key: dict[str, Counter] = defaultdict(Counter)
    for k, r in zip(keys, rows, strict=True):
        truth_by_key[k][r.truth] += 1
    owner: dict[str, stems.PlanItem] = {}
    for item in sorted(items, key=lambda i: len(i.stem)):  # the most specific offer last: it wins
        for k in item.keys:
            owner[k] = item
    votes: dict[str, Counter] = defaultdict(Counter)
    for k, item in owner.items():
        votes[item.stem].update(truth_by_key[k])
    right = sum(v.most_common(1)[0][1] for v in votes.values() if v)
    return len(rows), sorted_rows, right, items


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DATA)
    parser.add_argument("--limit", type=int, default=10)
    parser.add_argument("--show", action="store_true", help="print each set's offers")
    args = parser.parse_args(argv)
    files = {n: rows for n, rows in load_all(args.data).items() if n in TUNING}
    for name, rows in files.items():
        total, sorted_rows, right, items = plan_figures(rows, args.limit)
        print(f"{name:7} rows {total:6,}  sorted {sorted_rows:6,} ({sorted_rows / total:6.1%})  "
              f"right {right:6,} ({right / max(sorted_rows, 1):6.1%} of sorted)")
        if args.show:
            for i in items:
                kind = "  [kind of payment]" if getattr(i, "payment", False) else ""
                print(f"    {i.stem!s:32} {i.rows:5}  e.g. {i.example[:50]}{kind}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
