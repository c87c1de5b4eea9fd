"""Categorization accuracy and speed on the labelled files in ../shared/data/labeled/.

    .venv/bin/python benchmarks/categorize_eval.py [--data DIR] [--rows 100000] [--worst 5]

(a) default rules only (a new user);
(b) learning: the first 20% of each file by date are entered and corrected by hand as a
    user would (a row the rules got wrong is recategorized and BudgetWise's offer to
    learn the merchant is accepted); accuracy is measured on the remaining 80%, with
    rules + learned rules, and with the per-user model's suggestions filling the gaps;
(b') the same, with the first 20% given to learn_from_labeled (a file with its own
    category column) instead of one correction at a time;
speed: categorize_items on 100,000 transactions (default + learned rules + model).
--calibration: how often the per-user model's suggestion is right where no certain rule
    matched, by probability band, beside the fallback guess on the same rows (random 20%
    samples of each file given as hand-categorized history; five seeds).

Every accuracy is printed in up to three steps, so that guesses never hide in a total:
"rules" counts only certain rule matches (default, the user's and learned rules);
"+ fallback guesses" adds the low-confidence guesses of the fallback rules (a card
purchase at an unknown merchant -> Shopping, a direct debit to an unknown payee -> Other;
stored with confidence 0.3 and listed for review); "+ model suggestions" adds what the
per-user model suggests (shown, stored only when accepted).

The labels of the files are mapped to BudgetWise categories HERE, not in the app.
A credit (income) row whose label maps to a spending category is a refund.
"""

from __future__ import annotations

import argparse
import os
import random
import re
import sys
import tempfile
import time
from collections import Counter, defaultdict
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

import pandas as pd

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from budgetwise.config import Settings  # noqa: E402
from budgetwise.db import make_engine, make_session_factory, session_scope, upgrade_database  # noqa: E402
from budgetwise.services import auth, categories, transactions  # noqa: E402
from budgetwise.services.categorize import (  # noqa: E402
    CategorizeItem,
    _user_model,
    accept_learn_offer,
    categorize_items,
    learn_from_correction,
    learn_from_labeled,
)

DATA = ROOT.parent / "shared" / "data" / "labeled"

KAGGLE_MAP = {
    "Alcohol & Bars": "Dining", "Auto Insurance": "Insurance", "Coffee Shops": "Dining",
    "Credit Card Payment": "Transfers", "Electronics & Software": "Shopping", "Entertainment": "Entertainment",
    "Fast Food": "Dining", "Food & Dining": "Dining", "Gas & Fuel": "Transport", "Groceries": "Groceries",
    "Haircut": "Personal Care", "Home Improvement": "Shopping", "Internet": "Utilities",
    "Mobile Phone": "Utilities", "Mortgage & Rent": "Rent", "Movies & DVDs": "Entertainment",
    "Music": "Subscriptions", "Paycheck": "Salary", "Restaurants": "Dining", "Shopping": "Shopping",
    "Television": "Subscriptions", "Utilities": "Utilities",
}
ZA_MAP = {
    "ATM and Cash Withdrawal": "Other", "Alcohol": "Dining", "Auto Insurance": "Insurance",
    "Bank Charges and Fees": "Fees", "Bank Transfer": "Transfers", "Cash Deposit": "Transfers",
    "Cash Deposit Fee": "Fees", "Cellular Data Purchase": "Utilities", "Clothing": "Shopping", "Coffee": "Dining",
    "Debit Order": "Other", "Donation": "Gifts & Donations", "Eating Out": "Dining", "Education": "Education",
    "Electronics and Appliances": "Shopping", "Entertainment": "Entertainment", "Fast Food & Takeouts": "Dining",
    "Fuel": "Transport", "Gambling": "Entertainment", "General Insurance": "Insurance",
    "General Loan Repayment": "Transfers", "General Purchases": "Shopping", "Groceries": "Groceries",
    "Health Insurance": "Insurance", "Health and Medical": "Health", "Holidays and Travel": "Travel",
    "Home and Garden": "Shopping", "Insufficient Funds Fee": "Fees", "Interest Received": "Investment Income",
    "Interest Repayment": "Fees", "Investments": "Transfers", "Life Insurance": "Insurance",
    "Online Purchase": "Shopping", "Parking": "Transport", "Personal Care": "Personal Care", "Refund": "Refunds",
    "Restaurants": "Dining", "Returned Debit Order": "Refunds", "Savings Transfer": "Transfers",
    "Spend Limit Exceeded Fee": "Fees", "Sport": "Entertainment", "Subscriptions": "Subscriptions",
    "Tobacco & Smoking": "Shopping", "Transport": "Transport",
}
INCOME_OVERRIDES = {"Entertainment": "Other Income"}  # gambling winnings


@dataclass(frozen=True)
class Row:
    date: pd.Timestamp
    description: str
    amount: Decimal  # positive
    kind: str
    truth: str  # BudgetWise category name
    label: str  # the file's own label


EXPENSE_CATS = {n for n, k, _ in categories.DEFAULT_CATEGORIES if k == "expense"}


def _truth(mapping: dict[str, str], label: str, kind: str) -> str:
    name = mapping[label]
    if kind == "income" and name in EXPENSE_CATS:
        return INCOME_OVERRIDES.get(name, "Refunds")
    return name


def load_kaggle(path: Path) -> list[Row]:
    df = pd.read_csv(path)
    out = []
    for r in df.itertuples(index=False):
        kind = "income" if str(r[3]).strip().lower() == "credit" else "expense"
        amount = Decimal(str(r.Amount)).copy_abs()
        if amount == 0:
            continue
        out.append(Row(pd.to_datetime(r.Date, format="%m/%d/%Y"), str(r.Description), amount, kind,
                       _truth(KAGGLE_MAP, r.Category, kind), r.Category))
    return out


_AMOUNT = re.compile(r"(-?\d[\d ]*(?:\.\d+)?)\s*$")


def load_za(path: Path) -> list[Row]:
    df = pd.read_csv(path, dtype=str)
    out = []
    for r in df.itertuples(index=False):
        m = _AMOUNT.search(str(r.amount))
        if not m:
            continue
        value = Decimal(m.group(1).replace(" ", ""))
        if value == 0:
            continue
        kind = "income" if value > 0 else "expense"
        out.append(Row(pd.to_datetime(r.date, format="mixed"), str(r.description), abs(value), kind,
                       _truth(ZA_MAP, r.label, kind), r.label))
    return out


def new_user(factory, settings, email: str):
    with session_scope(factory) as s:
        return auth.register(s, name="Eval", email=email, password="violet-harbor-lantern-42", settings=settings)


def minor(amount: Decimal) -> int:
    return int(amount * 100)


def items(rows: list[Row]) -> list[CategorizeItem]:
    return [CategorizeItem(r.description, minor(r.amount), r.kind) for r in rows]


def name_to_id(factory, user_id) -> dict[str, int]:
    with session_scope(factory) as s:
        return {c.name: c.id for c in categories.list_categories(s, user_id=user_id)}


def score(rows: list[Row], predicted: list[str | None]) -> tuple[float, Counter]:
    confusion: Counter = Counter()
    correct = 0
    for r, p in zip(rows, predicted):
        if p == r.truth:
            correct += 1
        confusion[(r.truth, p or "(none)")] += 1
    return correct / max(1, len(rows)), confusion


def print_confusion(title: str, rows: list[Row], predicted: list[str | None], worst: int) -> None:
    per_cat: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    conf: dict[str, Counter] = defaultdict(Counter)
    for r, p in zip(rows, predicted):
        per_cat[r.truth][1] += 1
        if p == r.truth:
            per_cat[r.truth][0] += 1
        else:
            conf[r.truth][p or "(none)"] += 1
    ranked = sorted(per_cat.items(), key=lambda kv: (kv[1][0] / kv[1][1], -kv[1][1]))
    print(f"    worst categories ({title}):")
    for cat, (ok, n) in ranked[:worst]:
        wrong = ", ".join(f"{k} {v}" for k, v in conf[cat].most_common(4))
        print(f"      {cat:<18} {ok:>4}/{n:<4} {ok / n:6.1%}   mistaken for: {wrong or '-'}")


def certain(guesses) -> list[str | None]:
    """Predictions without fallback guesses (rule matches with confidence < 1)."""
    return [None if (g.source == "rule" and (g.confidence or 0) < 1) else g.category_name for g in guesses]


def run_defaults(factory, settings, files, worst):
    print("(a) default rules only")
    agg = {"rules": [0, 0], "fallback": [0, 0]}
    for name, rows in files.items():
        user = new_user(factory, settings, f"a-{name}@example.com")
        with session_scope(factory) as s:
            guesses = categorize_items(s, user_id=user.user_id, items=items(rows))
        predicted = [g.category_name for g in guesses]
        sure = certain(guesses)
        acc, _ = score(rows, predicted)
        acc_sure, _ = score(rows, sure)
        for key, a in (("rules", acc_sure), ("fallback", acc)):
            agg[key][0] += round(a * len(rows))
            agg[key][1] += len(rows)
        n_guess = sum(p is None for p in sure) - sum(p is None for p in predicted)
        print(f"  {name:<8} rules {acc_sure:6.1%}   + fallback guesses {acc:6.1%}  ({len(rows)} rows, "
              f"{n_guess} fallback guesses, {sum(p is None for p in predicted)} uncategorized)")
        print_confusion(name, rows, predicted, worst)
    for key, label in (("rules", "rules"), ("fallback", "+ fallback guesses")):
        ok, n = agg[key]
        print(f"  overall  {label:<20} {ok / n:6.1%}  ({n} rows)   target >= 70%")
    return agg["fallback"][0] / agg["fallback"][1]


def _split(rows: list[Row]) -> tuple[list[Row], list[Row]]:
    ordered = sorted(rows, key=lambda r: r.date)  # stable: file order within a day
    cut = int(len(ordered) * 0.2)
    return ordered[:cut], ordered[cut:]


def run_learning(factory, settings, files, worst, *, mode: str):
    title = "(b) learning: first 20% corrected by hand one by one" if mode == "corrections" else \
        "(b') learning: first 20% given as a labelled file (learn_from_labeled)"
    print(title)
    agg = {"rules": [0, 0], "fallback": [0, 0], "model": [0, 0]}
    users = {}
    for name, rows in files.items():
        train, test = _split(rows)
        user = new_user(factory, settings, f"b-{mode}-{name}@example.com")
        users[name] = user
        ids = name_to_id(factory, user.user_id)
        corrections = 0
        if mode == "corrections":
            for r in train:
                with session_scope(factory) as s:
                    view = transactions.add_transaction(
                        s, user_id=user.user_id, date=r.date.date(), amount=str(r.amount), kind=r.kind,
                        description=r.description,
                    )
                    if view.category_name != r.truth:
                        corrections += 1
                        transactions.update_transaction(
                            s, user_id=user.user_id, transaction_id=view.id, category_id=ids[r.truth]
                        )
                        offer = learn_from_correction(
                            s, user_id=user.user_id, transaction_id=view.id, category_id=ids[r.truth]
                        )
                        accept_learn_offer(s, user_id=user.user_id, offer=offer)
        else:
            with session_scope(factory) as s:
                learn_from_labeled(s, user_id=user.user_id, rows=[(r.description, ids[r.truth]) for r in train])
                for r in train:  # the imported rows keep the file's category, as set by hand
                    transactions.add_transaction(
                        s, user_id=user.user_id, date=r.date.date(), amount=str(r.amount), kind=r.kind,
                        description=r.description, category_id=ids[r.truth],
                    )
        with session_scope(factory) as s:
            rules_only = categorize_items(s, user_id=user.user_id, items=items(test), with_model=False)
            with_model = categorize_items(s, user_id=user.user_id, items=items(test))
        p_rules = certain(rules_only)
        p_fallback = [g.category_name for g in rules_only]
        p_model = [g.category_name for g in with_model]
        acc_r, _ = score(test, p_rules)
        acc_f, _ = score(test, p_fallback)
        acc_m, _ = score(test, p_model)
        for key, acc in (("rules", acc_r), ("fallback", acc_f), ("model", acc_m)):
            agg[key][0] += round(acc * len(test))
            agg[key][1] += len(test)
        extra = f", {corrections} corrections made" if mode == "corrections" else ""
        suggested = sum(g.source == "model" for g in with_model)
        print(f"  {name:<8} rules+learned {acc_r:6.1%}   + fallback guesses {acc_f:6.1%}   + model suggestions "
              f"{acc_m:6.1%}  (train {len(train)}, test {len(test)}{extra}, {suggested} model suggestions)")
        print_confusion(f"{name}, with suggestions", test, p_model, worst)
    for key, label in (("rules", "rules+learned"), ("fallback", "+ fallback guesses"),
                       ("model", "+ model suggestions")):
        ok, n = agg[key]
        print(f"  overall  {label:<20} {ok / n:6.1%}  ({n} rows)   target >= 90%")
    return users, agg["model"][0] / agg["model"][1]


def run_speed(factory, user, files, n: int) -> None:
    rng = random.Random(7)
    pool = [r for rows in files.values() for r in rows]
    extra = ["", "", " {d:02d}/{m:02d}", " REF {r}", " CARD XXXX{c}", " * {d:02d} Oct", " #{r}"]
    batch = []
    for _ in range(n):
        r = rng.choice(pool)
        suffix = rng.choice(extra).format(d=rng.randint(1, 28), m=rng.randint(1, 12), r=rng.randint(10**5, 10**8),
                                          c=rng.randint(1000, 9999))
        batch.append(CategorizeItem(r.description + suffix, rng.randint(100, 500_000), r.kind))
    distinct = len({b.description for b in batch})
    with session_scope(factory) as s:
        categorize_items(s, user_id=user.user_id, items=batch[:10])  # warm: compile rules, fit the model
        runs = []
        for with_model in (True, False, True, False, True, False):  # best of 3: the machine is shared
            start, cpu = time.perf_counter(), time.process_time()
            guesses = categorize_items(s, user_id=user.user_id, items=batch, with_model=with_model)
            runs.append((with_model, time.perf_counter() - start, time.process_time() - cpu, guesses))
    best = {m: min((r for r in runs if r[0] == m), key=lambda r: r[2]) for m in (True, False)}
    _, elapsed, cpu, guesses = best[True]
    _, elapsed_rules, cpu_rules, _ = best[False]
    done = sum(g.category_id is not None for g in guesses)
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    print(f"speed: {n:,} transactions ({distinct:,} distinct descriptions), best of 3 (load average {load:.1f}): "
          f"{elapsed:.2f} s wall / {cpu:.2f} s CPU with model suggestions, {elapsed_rules:.2f} s wall / "
          f"{cpu_rules:.2f} s CPU rules only (target < 2 s); {done:,} got a category")


def run_calibration(factory, settings, files, seeds: int = 5) -> None:
    print(f"model calibration: random 20% given as hand-categorized history, {seeds} seeds; rows no certain rule matched")
    bands: dict[tuple, list[int]] = defaultdict(lambda: [0, 0, 0])  # model right, fallback right, rows
    for seed in range(seeds):
        for name, rows in files.items():
            rows = rows[:]
            random.Random(seed).shuffle(rows)
            cut = int(len(rows) * 0.2)
            train, test = rows[:cut], rows[cut:]
            user = new_user(factory, settings, f"cal{seed}-{name}@example.com")
            ids = name_to_id(factory, user.user_id)
            names = {v: k for k, v in ids.items()}
            with session_scope(factory) as s:
                learn_from_labeled(s, user_id=user.user_id, rows=[(r.description, ids[r.truth]) for r in train])
                for r in train:
                    transactions.add_transaction(s, user_id=user.user_id, date=r.date.date(), amount=str(r.amount),
                                                 kind=r.kind, description=r.description, category_id=ids[r.truth])
            with session_scope(factory) as s:
                base = categorize_items(s, user_id=user.user_id, items=items(test), with_model=False)
                model = _user_model(s, user.user_id)
                preds = model.predict([r.description for r in test], [r.kind for r in test]) if model else []
            for r, b, (cat, p) in zip(test, base, preds):
                if cat is None or (b.category_id is not None and (b.confidence or 0) >= 1):
                    continue
                key = (name, "no rule" if b.category_id is None else "fallback guess", min(int(p * 10), 9) / 10)
                bands[key][0] += names[cat] == r.truth
                bands[key][1] += b.category_name == r.truth
                bands[key][2] += 1
    for (name, where, band), (ok, fb, n) in sorted(bands.items()):
        guess = f"   the fallback guess right {fb}/{n}" if where == "fallback guess" else ""
        print(f"  {name:<8} {where:<15} p {band:.1f}-{band + 0.1:.1f}: model right {ok}/{n}{guess}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DATA)
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--worst", type=int, default=5)
    parser.add_argument("--calibration", action="store_true", help="also measure the model's suggestions by band")
    args = parser.parse_args(argv)
    if not args.data.is_dir():
        print(f"No labelled data at {args.data}; nothing to measure.")
        return 0
    files = {}
    if (args.data / "kaggle_personal_transactions.csv").exists():
        files["kaggle"] = load_kaggle(args.data / "kaggle_personal_transactions.csv")
    if (args.data / "za_bank_transactions_labeled.csv").exists():
        files["za"] = load_za(args.data / "za_bank_transactions_labeled.csv")
    with tempfile.TemporaryDirectory() as tmp:
        settings = Settings.load(environ={
            "BUDGETWISE_DATA_DIR": tmp, "BUDGETWISE_SECRET_KEY": "eval-" + "x" * 40, "BUDGETWISE_BCRYPT_ROUNDS": "4",
        })
        upgrade_database(settings.database_url)
        engine = make_engine(settings.database_url)
        factory = make_session_factory(engine)
        try:
            run_defaults(factory, settings, files, args.worst)
            print()
            users, _ = run_learning(factory, settings, files, args.worst, mode="corrections")
            print()
            run_learning(factory, settings, files, args.worst, mode="labeled")
            print()
            run_speed(factory, users.get("kaggle") or next(iter(users.values())), files, args.rows)
            if args.calibration:
                print()
                run_calibration(factory, settings, files)
        finally:
            engine.dispose()
    return 0


if __name__ == "__main__":
    sys.exit(main())
