"""The household's agreement with the default rules (budgetwise/services/categorize/household.py), on the TUNING
data sets only (issue #16, session 14).

    .venv/bin/python tools/tune_household_prior.py [--data DIR] [--priors 0,0.5,1,2] [--row-weight 1.5]
                                                   [--arbitration] [--group-priors 0,1] [--group-max-rows N]

Each TUNING data set (kaggle, za, br, ke; never the held-out us, in, ca) is categorized with the confidence table
fitted on the other three tuning sets, as one long history (``benchmarks/categorize_eval.run_table``: accuracy,
review, calibration error per layer) and as the small households of ``tools/fit_history_calibration.py`` (pooled
accuracy, review share, sure-acc and the calibration error of every stored answer), for each HOUSEHOLD_PRIOR
value (0: off). ``--arbitration``: the moved confidence also decides (HOUSEHOLD_ARBITRATION). ``--group-priors``: each
GROUP_PRIOR value (the household's agreement per rule group, session 14 "rulegroup") with each HOUSEHOLD_PRIOR;
``--group-max-rows``: GROUP_MAX_ROWS (the group level only on short histories).
"""

from __future__ import annotations

import argparse
import sys
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

FRACTIONS = (0.05, 0.10, 0.20)


def small_households(db, files: dict, tables: dict, tag: str = "") -> str:
    """One line: the small households' figures at the three fractions."""
    from benchmarks import categorize_eval as ev
    from budgetwise.services.categorize import history
    from tools.calibrate_default_rules import calibration_error
    from tools.fit_history_calibration import households

    user = db.new_user(f"small{tag}@example.com")
    ids = ev.name_to_id(db.factory, user.user_id)
    acc: dict[float, list[int]] = defaultdict(lambda: [0, 0, 0, 0])  # right, rows, review, sure right
    bands: dict[int, list[float]] = defaultdict(lambda: [0, 0, 0.0])
    for name, rows in files.items():
        with ev.confidence_table(*tables[name]):
            for size, ordered in households(rows):
                if size != "small":
                    continue
                test = ordered[int(len(ordered) * 0.2):]
                for frac in FRACTIONS:
                    knowledge = history.UserKnowledge(ev.history_rows(ordered[: max(1, int(len(ordered) * frac))], ids))
                    for d, r in zip(ev.store_rows(db.factory, user.user_id, test, knowledge), test):
                        right = d.category_name == r.truth
                        review = d.category_id is None or (d.confidence or 0) < history.REVIEW_BELOW
                        a = acc[frac]
                        a[0] += right
                        a[1] += 1
                        a[2] += review
                        a[3] += right and not review
                        if d.category_id is not None:
                            conf = float(d.confidence if d.confidence is not None else 1.0)
                            band = bands[max(i for i, lo in enumerate(ev.BANDS) if conf >= lo)]
                            band[0] += right
                            band[1] += 1
                            band[2] += conf

    def cells(f) -> str:
        return " / ".join(f(acc[frac]) for frac in FRACTIONS)

    return (f"small households: acc {cells(lambda a: f'{a[0] / a[1]:.1%}')}; review {cells(lambda a: f'{a[2] / a[1]:.1%}')}"
            f"; sure-acc {cells(lambda a: f'{a[3] / max(1, a[1] - a[2]):.1%}')}; calibration error "
            f"{100 * calibration_error(bands):.1f} points")


def main(argv: list[str] | None = None) -> int:
    from benchmarks import categorize_eval as ev
    from benchmarks._common import scratch_database
    from budgetwise.services.categorize import household

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=ev.DATA)
    parser.add_argument("--priors", default="0,0.5,1,2")
    parser.add_argument("--row-weight", type=float, default=household.HOUSEHOLD_ROW_WEIGHT, dest="row_weight")
    parser.add_argument("--arbitration", action="store_true")
    parser.add_argument("--group-priors", default="0", dest="group_priors")
    parser.add_argument("--group-max-rows", type=int, default=None, dest="group_max_rows")
    args = parser.parse_args(argv)
    if not args.data.is_dir():
        print(f"No labelled data at {args.data}; nothing to measure.")
        return 0
    ev.MAPPINGS = args.data.parent / "mappings.json"
    files = {k: v for k, v in ev.load_all(args.data).items() if k in ev.TUNING}
    tables = ev.loo_tables(files)  # each tuning set scored with the table fitted on the other three
    saved = (household.HOUSEHOLD_PRIOR, household.HOUSEHOLD_ROW_WEIGHT, household.HOUSEHOLD_ARBITRATION,
             household.GROUP_PRIOR, household.GROUP_MAX_ROWS)
    runs = [(float(p), float(g)) for p in args.priors.split(",") for g in args.group_priors.split(",")]
    try:
        household.HOUSEHOLD_ROW_WEIGHT, household.HOUSEHOLD_ARBITRATION = args.row_weight, args.arbitration
        household.GROUP_MAX_ROWS = args.group_max_rows
        with scratch_database("household") as db:
            for i, (prior, group) in enumerate(runs):
                household.HOUSEHOLD_PRIOR, household.GROUP_PRIOR = prior, group
                print(f"===== HOUSEHOLD_PRIOR {prior}, GROUP_PRIOR {group} (at most {args.group_max_rows} rows), "
                      f"row weight {args.row_weight}, arbitration {args.arbitration}")
                ev.run_table(db.factory, db.settings, files, tables=tables, tag=f"-household{i}")
                print(small_households(db, files, tables, tag=str(i)))
                print()
    finally:
        (household.HOUSEHOLD_PRIOR, household.HOUSEHOLD_ROW_WEIGHT, household.HOUSEHOLD_ARBITRATION,
         household.GROUP_PRIOR, household.GROUP_MAX_ROWS) = saved
    return 0


if __name__ == "__main__":
    sys.exit(main())
