"""What the app stores after learning, on the TUNING data sets only (issue #16, learning).

    .venv/bin/python tools/tune_history_eval.py [--data DIR]

Each TUNING data set (kaggle, za, br, ke; never the held-out us, in, ca) as one long history and
as the small households of ``tools/fit_history_calibration.py`` (SMALL consecutive rows): the
first 5 / 10 / 20% by date are the user's history, the later 80% are categorized as the importer
stores them (``benchmarks/categorize_eval.store_rows``). Prints the accuracy per data set and
household size, pooled and mean, and the calibration of the history's answers by band: the
figures a learning change is chosen on before the held-out sets' totals are read
(``benchmarks/categorize_eval.py``). The long histories' figures equal that script's tuning rows.
"""

from __future__ import annotations

import argparse
import sys
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

FRACTIONS = (0.05, 0.10, 0.20)


def main(argv: list[str] | None = None) -> int:
    from benchmarks import categorize_eval as ev
    from benchmarks._common import scratch_database
    from budgetwise.services.categorize import history
    from tools.fit_history_calibration import households

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=ev.DATA)
    args = parser.parse_args(argv)
    if not args.data.is_dir():
        print(f"No labelled data at {args.data}; nothing to measure.")
        return 0
    ev.MAPPINGS = args.data.parent / "mappings.json"
    files = {k: v for k, v in ev.load_all(args.data).items() if k in ev.TUNING}
    acc: dict[tuple, list[int]] = defaultdict(lambda: [0, 0])
    per_set: dict[float, list[float]] = defaultdict(list)
    calib: dict[tuple, list[float]] = defaultdict(lambda: [0, 0, 0.0])
    with scratch_database("tune") as db:
        factory = db.factory
        user = db.new_user("tune@example.com")
        ids = ev.name_to_id(factory, user.user_id)
        for name, rows in files.items():
            for size, ordered in households(rows):
                test = ordered[int(len(ordered) * 0.2):]
                for frac in FRACTIONS:
                    knowledge = history.UserKnowledge(ev.history_rows(ordered[: max(1, int(len(ordered) * frac))], ids))
                    stored = ev.store_rows(factory, user.user_id, test, knowledge)
                    ok = sum(d.category_name == r.truth for d, r in zip(stored, test))
                    for key in ((size, frac), (name, size, frac)):
                        acc[key][0] += ok
                        acc[key][1] += len(test)
                    if size == "long":
                        per_set[frac].append(ok / len(test))
                    for d, r in zip(stored, test):
                        if d.category_id is None or d.source != "model":
                            continue
                        conf = float(d.confidence or 0.0)
                        band = max(i for i, lo in enumerate(ev.BANDS) if conf >= lo)
                        calib[(size, band)][0] += d.category_name == r.truth
                        calib[(size, band)][1] += 1
                        calib[(size, band)][2] += conf

    def cell(key: tuple) -> str:
        ok, n = acc[key]
        return f"{ok / n:6.1%}" if n else "     -"

    for name in files:
        print(f"{name:<8}" + "  ".join(f"{size}: " + " /".join(cell((name, size, f)) for f in FRACTIONS)
                                      for size in ("long", "small")))
    print("pooled long  :" + " /".join(cell(("long", f)) for f in FRACTIONS))
    print("mean long    :" + " /".join(f"{sum(per_set[f]) / len(per_set[f]):6.1%}" for f in FRACTIONS))
    print("pooled small :" + " /".join(cell(("small", f)) for f in FRACTIONS))
    print("history answers by band (all three fractions): size, band, rows, mean confidence, observed")
    for (size, band), (ok, n, conf) in sorted(calib.items()):
        print(f"  {size:<6} {ev.BANDS[band]:.1f}-{min(1.0, ev.BANDS[band + 1]):.1f} {int(n):>6} {conf / n:6.2f} "
              f"{ok / n:7.1%}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
