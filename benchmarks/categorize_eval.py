"""Categorization accuracy and speed on the labelled files in ../shared/data/labeled/.

    .venv/bin/python benchmarks/categorize_eval.py [--data DIR] [--rows 100000] [--cold] [--legacy]

The default report starts with the cold section (issue #16): the default rules and the built-in
brands (tools/build_brands.py) on each data set, their confidence calibrated leave-one-data-set-out (fitted on the other data sets by
tools/calibrate_default_rules.py), with how many rows go to review and a calibration table
(--cold prints only that section and the speed figures), then the same rows with and without the household
coverage shift (benchmarks/categorize_coverage.py, session 28). Then one table, per data set:
  cold      what a new user's import of the whole file stores: the default rules, brands and
            answers from the rows' structure (no built-in model is trained on transactions;
            leaving a data set out changes only the confidences);
  learn 5/10/20%   the first 5, 10, 20% of the rows by date are the user's categorized
            history (an imported file's own category column); the rules, the user's merchant
            memory and per-user model then categorize the later 80% (the same rows for every
            fraction): accuracy of what the app would store, share of those rows sent to
            review (no category, or confidence < 0.8), and accuracy of the rows stored as sure;
  calibration  predicted confidence vs observed accuracy, by band, on all those later rows;
  speed     categorizing 100,000 rows (rules + memory + model), learning from 5,000 rows.
Every data set is scored with the confidence table fitted WITHOUT it (leave one data set out, the cold section and
the learning table alike; session 14), and again with the shipped table (fitted on every data set, the scored
one included: in-sample), with each one's calibration error (tools/calibrate_default_rules.calibration_error) and
review share; then the review share on the demo's file (sample_data/, not a labelled data set of the fit).
Data sets are split into TUNING (used while writing the learning code and choosing its
constants: kaggle, za, br, ke) and HELD-OUT (us, in, ca: only their totals were looked at,
after the constants were fixed). The held-out figures are the honest estimate.

--fit-calibration fits the history's calibration maps (history.MEMORY_CALIBRATION,
MODEL_CALIBRATION, MODEL_OVER_RULE_CALIBRATION) on the TUNING data sets only and prints them (tools/fit_history_calibration.py).

--legacy prints the earlier report (sections (a), (b), (b') below) on kaggle and za.

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
import time
from collections import Counter, defaultdict
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

import pandas as pd

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks._common import register_user, scratch_database  # noqa: E402
from budgetwise.db import session_scope  # noqa: E402
from budgetwise.services import categories, transactions  # noqa: E402
from budgetwise.services.categorize import (  # noqa: E402  # noqa: E402
    FALLBACK_CONFIDENCE,
    LOW_CONFIDENCE,
    CategorizeItem,
    _user_model,
    accept_learn_offer,
    categorize_items,
    categorize_rows,
    learn_from_correction,
    learn_from_labeled,
)
from budgetwise.services.categorize import history as learning  # noqa: E402
from budgetwise.text import clean_text  # noqa: E402

DATA = next((p / "shared" / "data" / "labeled" for p in (ROOT.parent, ROOT.parent.parent)
             if (p / "shared" / "data" / "labeled").is_dir()), ROOT.parent / "shared" / "data" / "labeled")

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
    account: str | None = None


EXPENSE_CATS = {n for n, k, _ in categories.DEFAULT_CATEGORIES if k == "expense"}
INCOME_CATS = {n for n, k, _ in categories.DEFAULT_CATEGORIES if k == "income"}


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


new_user = register_user  # (factory, settings, email): the scripts' one sign-up (benchmarks/_common.py)


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
    """Predictions without fallback guesses (rule matches at FALLBACK_CONFIDENCE; shipped default rules carry a
    calibrated confidence above it)."""
    return [None if (g.source == "rule" and (g.confidence or 0) <= FALLBACK_CONFIDENCE) else g.category_name
            for g in guesses]


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
                learn_from_labeled(s, user_id=user.user_id, rows=[(r.description, ids[r.truth], r.kind) for r in train])
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
                learn_from_labeled(s, user_id=user.user_id, rows=[(r.description, ids[r.truth], r.kind) for r in train])
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


# =========================================================================== more data sets
MAPPINGS = DATA.parent / "mappings.json"  # replaced by --data/../mappings.json in main()


def _mapping(key: str) -> dict[str, str | None]:
    import json

    return json.loads(MAPPINGS.read_text())[key]


def _row(date, description, value: Decimal, mapping, label, account=None, *, signed: bool = True):
    """A Row, or None when the label is unmapped, the amount zero or the text empty. ``signed`` False: the amount
    carries no sign (a part of a file that prints every amount positive), so the direction is the label's: money in
    where it maps to an income category (a salary), else money out (session 17; before, such a file's salary credits
    were read as expenses)."""
    if label is None or (isinstance(label, float) and label != label):
        return None
    name = mapping.get(str(label))
    if name is None or value == 0 or not str(description).strip() or str(description) == "nan":
        return None
    if signed:
        kind = "income" if value > 0 else "expense"
    else:
        kind = "income" if name in INCOME_CATS else "expense"
    truth = name
    if kind == "income" and name in EXPENSE_CATS:
        truth = INCOME_OVERRIDES.get(name, "Refunds")
    return Row(date, str(description), abs(value), kind, truth, str(label), account)


def _dec(value) -> Decimal:
    text = re.sub(r"[^\d.\-]", "", str(value).replace(",", ""))
    try:
        return Decimal(text) if text else Decimal(0)
    except ArithmeticError:
        return Decimal(0)


def unsigned_parts(values: list[Decimal], parts: list) -> set:
    """The parts of a file (its rows grouped by ``parts``) whose amounts carry no sign: no amount in them is negative
    though the file has negative amounts elsewhere (session 17)."""
    signed = {p for v, p in zip(values, parts, strict=True) if v < 0}
    return set(parts) - signed if signed else set()


def load_br(path: Path) -> list[Row]:
    """No dates: the file's order stands in for time (it is the order the household kept). The household's own
    spreadsheet (``origem`` "base") signs its amounts (positive = expense, negative = money received); the statement
    lines appended later (other ``origem``) print every amount positive, salary credits too: there the direction is
    the label's (:func:`_row` with ``signed`` False; session 17)."""
    m = _mapping(f"labeled/{path.name}#natureza do gasto")
    df = pd.read_csv(path, dtype=str)
    base = pd.Timestamp("2020-01-01")
    values = [_dec(v) for v in df["valor total"]]
    parts = [str(p) for p in df["origem"].fillna("")]
    unsigned = unsigned_parts(values, parts)
    out = []
    for i, r in enumerate(df.itertuples(index=False)):
        value = -values[i]  # positive = expense in this file
        row = _row(base + pd.Timedelta(minutes=i), r[0], value, m, r[1], r[6], signed=parts[i] not in unsigned)
        if row:
            out.append(row)
    return out


def load_ke(path: Path) -> list[Row]:
    m = _mapping(f"labeled/{path.name}#category")
    df = pd.read_csv(path, dtype=str)
    out = []
    for r in df.to_dict("records"):
        value = _dec(r.get("Paid In")) + _dec(r.get("Withdrawn"))
        row = _row(pd.to_datetime(r["Completion Time"], format="%m/%d/%Y %H:%M"), r["Details"], value, m,
                   r.get("category"))
        if row:
            out.append(row)
    return out


def load_us(paths: list[Path]) -> list[Row]:
    import json

    m = _mapping("labeled/uumoss-bb__coins_that_stack__cap_2021.js+cap_2022.js#Category")
    out = []
    for path in paths:
        text = path.read_text()
        for r in json.loads(text[text.index("["): text.rindex("]") + 1]):
            value = -_dec(r.get("Debit")) if r.get("Debit") not in (None, "") else _dec(r.get("Credit"))
            row = _row(pd.Timestamp(r["Transaction_Date"]), r["Description"], value, m, r.get("Category"),
                       str(r.get("Card No.")))
            if row:
                out.append(row)
    return out


def load_in(path: Path) -> list[Row]:
    m = _mapping(f"labeled/{path.name}#CATEGORY")
    df = pd.read_csv(path, dtype=str)
    out = []
    for r in df.to_dict("records"):
        value = _dec(r.get("CREDIT")) - _dec(r.get("DEBIT"))
        row = _row(pd.to_datetime(r["DATE"], format="%d/%m/%Y"), r["DESCRIPTION"], value, m, r.get("CATEGORY"),
                   r.get("ACCOUNT"))
        if row:
            out.append(row)
    return out


def load_ca(path: Path) -> list[Row]:
    m = _mapping(f"labeled/{path.name}#category")
    df = pd.read_csv(path, dtype=str)
    out = []
    for r in df.to_dict("records"):
        row = _row(pd.Timestamp(r["date"]), r["recipient"], -_dec(r["withdraw"]), m, r.get("category"))
        if row:
            out.append(row)
    return out


TUNING = ("kaggle", "za", "br", "ke")
HELD_OUT = ("us", "in", "ca")


def load_all(data: Path) -> dict[str, list[Row]]:
    files: dict[str, list[Row]] = {}
    loaders = {
        "kaggle": (load_kaggle, data / "kaggle_personal_transactions.csv"),
        "za": (load_za, data / "za_bank_transactions_labeled.csv"),
        "br": (load_br, data / "mepoupeze-crawd__classificar_despesas_clean__modelo_despesas_completo.csv"),
        "ke": (load_ke, data / "mwendemichelle4-dev__Personal-Finance-Trackers-__statement3.csv"),
        "in": (load_in, data / "vishnuprksh__ai-wallet__records.csv"),
        "ca": (load_ca, data / "Vermillion-Chen__SpendingAnalysis__June2020-December2021BinnedSpending.csv"),
    }
    for name, (loader, path) in loaders.items():
        if path.exists():
            files[name] = loader(path)
    us = [data / "uumoss-bb__coins_that_stack__cap_2021.js", data / "uumoss-bb__coins_that_stack__cap_2022.js"]
    if all(p.exists() for p in us):
        files["us"] = load_us(us)
    order = [n for n in TUNING + HELD_OUT if n in files]
    return {n: files[n] for n in order}


def shared_for(train: list[Row], test: list[Row]) -> frozenset[str]:
    """The words the app would read as shared (knowledge.shared_text): the history's most recent distinct descriptions
    (stored) and the batch's."""
    from budgetwise.services.categorize.knowledge import shared_of

    recent = [clean_text(r.description)[:500] for r in sorted(train, key=lambda r: r.date, reverse=True)]
    return shared_of(recent, (clean_text(r.description)[:500] for r in test))


def history_rows(rows: list[Row], ids: dict[str, int], shared: frozenset[str] = frozenset()) -> list[learning.HistoryRow]:
    """The rows as the app's history (the same forms the app computes: knowledge.history_forms)."""
    from budgetwise.services.categorize.knowledge import history_forms

    out, cache = [], {}
    for r in rows:
        text = clean_text(r.description)[:500]
        words, key = history_forms(text, cache, shared)
        out.append(learning.HistoryRow(key, words, r.kind, minor(r.amount), r.date.day, r.account, ids[r.truth],
                                       text))
    return out


def store_rows(factory, user_id: int, rows: list[Row], knowledge, shared: frozenset[str] = frozenset()) -> list:
    """What the app would store for these rows (the importer's call): rules + the user's history (``shared``: the
    words the history's keys were read with, :func:`shared_for`)."""
    with session_scope(factory) as s:
        return categorize_rows(
            s, user_id=user_id, descriptions=[r.description for r in rows], amounts_minor=[minor(r.amount) for r in rows],
            kinds=[r.kind for r in rows], accounts=[r.account for r in rows], dates=[r.date.date() for r in rows],
            knowledge=knowledge, history_over_rules=True, shared=shared,
        )


BANDS = (0.0, 0.3, 0.5, 0.7, 0.8, 0.9, 1.0001)


def run_table(factory, settings, files: dict[str, list[Row]], fractions=(0.05, 0.10, 0.20), *,
              tables: dict[str, tuple[dict[str, float], float]] | None = None, full: bool = True,
              tag: str = "") -> None:
    """The per-data-set table. With ``tables`` ({data set: (group table, prior)}) each data set is categorized
    with its own table (the benchmark passes tables fitted without it); without, with the shipped one. Not
    ``full``: only the pooled lines, review, calibration errors and the bands of all sources."""
    user = new_user(factory, settings, f"table{tag}@example.com")
    ids = name_to_id(factory, user.user_id)
    header = (f"{'data set':<9}{'rows':>6} {'cold':>7} {'cold+fb':>8} | "
              + " | ".join(f"learn {int(f * 100):>2}%: acc  review  sure-acc" for f in fractions))
    if full:
        print(header)
        print("-" * len(header))
    calib: dict[tuple, list[int]] = defaultdict(lambda: [0, 0, 0])  # (group, source, band) -> ok, n, sum conf
    agg: dict[tuple, list[int]] = defaultdict(lambda: [0, 0])
    reviewed: dict[tuple, list[int]] = defaultdict(lambda: [0, 0, 0])  # (group, fraction) -> review, sure ok, rows
    per_set: dict[tuple, list[float]] = defaultdict(list)  # (group, fraction) -> each data set's accuracy
    for name, rows in files.items():
        group = "tuning" if name in TUNING else "held-out"
        ordered = sorted(rows, key=lambda r: r.date)
        test = ordered[int(len(ordered) * 0.2):]
        with confidence_table(*tables[name]) if tables else nullcontext():
            with session_scope(factory) as s:  # a new user's import of the whole file: rules, brands, structure
                cold_all = categorize_rows(
                    s, user_id=user.user_id, descriptions=[r.description for r in ordered],
                    amounts_minor=[minor(r.amount) for r in ordered], kinds=[r.kind for r in ordered],
                    accounts=[r.account for r in ordered], dates=[r.date.date() for r in ordered], with_model=False,
                    history_over_rules=True,
                )
            cold_acc, _ = score(ordered, [g.category_name for g in cold_all])
            sure_acc, _ = score(ordered, certain(cold_all))
            cells = []
            for frac in fractions:
                train = ordered[: max(1, int(len(ordered) * frac))]
                shared = shared_for(train, test)
                knowledge = learning.UserKnowledge(history_rows(train, ids, shared))
                decisions = store_rows(factory, user.user_id, test, knowledge, shared)
                predicted = [d.category_name for d in decisions]
                acc, _ = score(test, predicted)
                review = [d.category_id is None or (d.confidence or 0) < learning.REVIEW_BELOW for d in decisions]
                sure = [(r, p) for r, p, rv in zip(test, predicted, review) if not rv]
                sure_ok = sum(r.truth == p for r, p in sure)
                cells.append(f"{acc:6.1%}  {sum(review) / len(test):6.1%}  {sure_ok / max(1, len(sure)):6.1%}")
                for key in ((group, frac), ("all", frac)):
                    agg[key][0] += round(acc * len(test))
                    agg[key][1] += len(test)
                    per_set[key].append(acc)
                    reviewed[key][0] += sum(review)
                    reviewed[key][1] += sure_ok
                    reviewed[key][2] += len(test)
                for r, d, p in zip(test, decisions, predicted):
                    if d.category_id is None:
                        continue
                    conf = float(d.confidence if d.confidence is not None else 1.0)
                    band = max(i for i, b in enumerate(BANDS) if conf >= b)
                    src = {"model": "history", "rule": "rule" if conf > FALLBACK_CONFIDENCE else "fallback"}.get(
                        d.source, d.source)
                    for key in ((group, src, band), (group, "all", band), ("all", src, band), ("all", "all", band)):
                        calib[key][0] += p == r.truth
                        calib[key][1] += 1
                        calib[key][2] += conf
        for key in ((group, "cold"), ("all", "cold")):
            agg[key][0] += round(cold_acc * len(ordered))
            agg[key][1] += len(ordered)
            per_set[key].append(cold_acc)
        if full:
            print(f"{name:<9}{len(rows):>6} {sure_acc:7.1%} {cold_acc:8.1%} | " + " | ".join(cells)
                  + ("   (held out)" if group == "held-out" else ""))
    if full:
        print("-" * len(header))
    for group in ("tuning", "held-out", "all"):
        if (group, "cold") not in agg:
            continue
        ok, n = agg[(group, "cold")]
        parts = [f"cold+fb {ok / n:6.1%}"]
        for frac in fractions:
            ok, n = agg[(group, frac)]
            parts.append(f"learn {int(frac * 100)}% {ok / n:6.1%}")
        print(f"pooled {group:<9}: " + ", ".join(parts))
    for group in ("tuning", "held-out", "all"):
        if (group, "cold") not in per_set:
            continue
        parts = [f"cold+fb {sum(per_set[(group, 'cold')]) / len(per_set[(group, 'cold')]):6.1%}"]
        for frac in fractions:
            accs = per_set[(group, frac)]
            parts.append(f"learn {int(frac * 100)}% {sum(accs) / len(accs):6.1%}")
        print(f"mean   {group:<9}: " + ", ".join(parts) + "   (mean of the data sets' accuracies)")
    for group in ("tuning", "held-out", "all"):
        if (group, fractions[0]) not in reviewed:
            continue
        parts = []
        for frac in fractions:
            rv, sure_ok, n = reviewed[(group, frac)]
            parts.append(f"learn {int(frac * 100)}% {rv / n:6.1%} (sure-acc {sure_ok / max(1, n - rv):6.1%})")
        print(f"review {group:<9}: " + ", ".join(parts))
    print()
    print("calibration (later 80% of every data set, all three fractions): predicted confidence vs observed accuracy")
    print(f"{'group':<9} {'source':<9} {'band':<10} {'rows':>6} {'mean conf':>9} {'observed':>9}")
    for (group, src, band), (ok, n, conf) in sorted(calib.items()):
        if group == "all" or (not full and src != "all"):
            continue
        lo, hi = BANDS[band], min(1.0, BANDS[band + 1])
        print(f"{group:<9} {src:<9} {lo:.1f}-{hi:.1f}   {n:>6} {conf / n:9.2f} {ok / n:9.1%}")
    by_source = {(g, b, src): v for (g, src, b), v in calib.items()}
    for src in ("all", "history", "rule", "fallback"):
        _print_errors(f"learning, {src}", by_source, src)


def load_demo(path: Path) -> list[Row]:
    """The demo's file (sample_data/, generated by budgetwise/services/demo.py; its categories are BudgetWise's). Rows
    the file leaves without a category (the savings side of a move from checking: the app files it under Transfers by
    rule, or the user confirms the pair) have nothing to score against and are left out."""
    df = pd.read_csv(path, dtype=str)
    df = df[df["category"].fillna("").str.strip() != ""]
    return [Row(pd.Timestamp(r["date"]), r["description"], Decimal(r["amount"]).copy_abs(), r["type"], r["category"],
                r["category"], r["account"]) for r in df.to_dict("records")]


def run_demo(factory, settings, path: Path = ROOT / "sample_data" / "demo_transactions.csv") -> None:
    """Review share on the demo's file with the shipped table: a new user's import of the whole file (cold), and
    the later 80% after learning from the first 20% by date (not a labelled data set of the fit: out-of-sample)."""
    if not path.exists():
        return
    rows = sorted(load_demo(path), key=lambda r: r.date)
    user = new_user(factory, settings, "demo-file@example.com")
    ids = name_to_id(factory, user.user_id)
    with session_scope(factory) as s:
        cold = categorize_rows(
            s, user_id=user.user_id, descriptions=[r.description for r in rows],
            amounts_minor=[minor(r.amount) for r in rows], kinds=[r.kind for r in rows],
            accounts=[r.account for r in rows], dates=[r.date.date() for r in rows], with_model=False,
            history_over_rules=True,
        )
    test = rows[int(len(rows) * 0.2):]
    learned = store_rows(factory, user.user_id, test,
                         learning.UserKnowledge(history_rows(rows[: int(len(rows) * 0.2)], ids)))
    parts = []
    for label, scored, guesses in (("cold", rows, cold), ("learn 20%", test, learned)):
        review = [g.category_id is None or (g.confidence or 0) < learning.REVIEW_BELOW for g in guesses]
        right = [g.category_name == r.truth for r, g in zip(scored, guesses)]
        sure = [ok for ok, rv in zip(right, review) if not rv]
        parts.append(f"{label}: acc {sum(right) / len(scored):6.1%}, review {sum(review) / len(scored):6.1%} "
                     f"(sure-acc {sum(sure) / max(1, len(sure)):6.1%})")
    print(f"demo file ({len(rows)} rows, shipped table): " + "; ".join(parts))


def shipped_table() -> tuple[dict[str, float], float]:
    """The confidence table users get (budgetwise/services/default_rule_confidence.py, fitted on every labelled
    data set: in-sample for each of them)."""
    from budgetwise.services import default_rule_confidence as shipped

    return dict(shipped.GROUP_CONFIDENCE), shipped.PRIOR


def loo_tables(files: dict[str, list[Row]], hits: dict | None = None) -> dict[str, tuple[dict[str, float], float]]:
    """{data set: the confidence table fitted without it} (tools/calibrate_default_rules.py on the others)."""
    from tools.calibrate_default_rules import fit, rule_hits

    hits = rule_hits(files) if hits is None else hits
    return {name: fit(hits, use=[s for s in hits if s != name]) for name in files}


@contextmanager
def confidence_table(table: dict[str, float], prior: float):
    """The engine answers with this table of group confidences instead of the shipped one (default rules,
    brands and structure alike) while the block runs."""
    from budgetwise.services import default_rule_confidence as shipped
    from budgetwise.services import default_rules

    saved = shipped.GROUP_CONFIDENCE, shipped.PRIOR, default_rules._SHIPPED_CONFIDENCE
    shipped.GROUP_CONFIDENCE, shipped.PRIOR = table, prior
    default_rules._SHIPPED_CONFIDENCE = default_rules.confidence_by_rule(table, prior)
    try:
        yield
    finally:
        shipped.GROUP_CONFIDENCE, shipped.PRIOR, default_rules._SHIPPED_CONFIDENCE = saved


def _print_errors(title: str, calib: dict[tuple, list[float]], source: str = "all") -> None:
    """One line: the calibration error (tools/calibrate_default_rules.calibration_error) per group of data sets."""
    from tools.calibrate_default_rules import calibration_error

    parts = []
    for group in ("tuning", "held-out", "all"):
        bands = {k: v for k, v in calib.items() if k[0] == group and k[-1] == source}
        if bands:
            rows = int(sum(v[1] for v in bands.values()))
            parts.append(f"{group} {100 * calibration_error(bands):4.1f} points ({rows} rows)")
    print(f"  calibration error, {title}: " + ", ".join(parts))


def run_cold(files: dict[str, list[Row]]) -> None:
    """Cold (issue #16): the default rules, the built-in brands and the answers from structure
    (categorize/structure.py: each data set as one import) on each data set, with their
    confidence calibrated leave-one-data-set-out (fitted on the other data sets only,
    tools/calibrate_default_rules.py).

    The rules were written from general knowledge and the brand table built from the
    name-suggestion-index (tools/build_brands.py), neither fitted to these files, so leaving a
    data set out changes their answers not at all; it changes their confidence. *rules* = the
    default rules alone, *+brands* = with the brands answering the expenses no certain rule
    answers; *review* = rows the app would list for review (no category, a fallback guess, or
    an answer under LOW_CONFIDENCE); *sure-acc* = accuracy of the rest. The same rows are scored
    with the shipped table too (fitted on every data set, the scored one included: in-sample).
    """
    from budgetwise.services.categorize.brands import GROUP_PREFIX
    from budgetwise.services.categorize.structure import GROUP_PREFIX as STRUCTURE
    from tools.calibrate_default_rules import group_confidence, rule_hits

    hits = rule_hits(files)
    tables = loo_tables(files, hits)
    print("cold: default rules + brands + structure, confidence calibrated leave-one-data-set-out")
    print(f"{'data set':<9}{'rows':>6} {'rules':>7} {'+brands':>8} {'+struct':>8} {'brand hits':>10} {'brand acc':>9} "
          f"{'struct hits':>11} {'struct acc':>10} {'review':>7} {'sure-acc':>9}")
    per_signal: dict[tuple, list[int]] = defaultdict(lambda: [0, 0])
    calib: dict[tuple, list[float]] = defaultdict(lambda: [0.0, 0.0, 0.0])  # (group, band, kind) -> ok, n, sum conf
    calib_shipped: dict[tuple, list[float]] = defaultdict(lambda: [0.0, 0.0, 0.0])
    pooled: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0, 0])
    review: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0, 0])  # group -> sure ok, sure n (LOO, shipped)

    shipped, shipped_prior = shipped_table()
    for name, rows in files.items():
        group = "tuning" if name in TUNING else "held-out"
        table, prior = tables[name]
        ok = sum(c[0] for c in hits[name].values())
        ok_rules = sum(c[0] for g, c in hits[name].items() if not g.startswith((GROUP_PREFIX, STRUCTURE)))
        b_ok = sum(c[0] for g, c in hits[name].items() if g.startswith(GROUP_PREFIX))
        b_n = sum(c[1] for g, c in hits[name].items() if g.startswith(GROUP_PREFIX))
        s_ok = sum(c[0] for g, c in hits[name].items() if g.startswith(STRUCTURE))
        s_n = sum(c[1] for g, c in hits[name].items() if g.startswith(STRUCTURE))
        for g, (right, n) in hits[name].items():
            if g.startswith(STRUCTURE):
                per_signal[(group, g[len(STRUCTURE):])][0] += right
                per_signal[(group, g[len(STRUCTURE):])][1] += n
        sure_ok = sure_n = 0
        for rule_group, (right, n) in hits[name].items():
            kind = "brands" if rule_group.startswith(GROUP_PREFIX) else "struct" if rule_group.startswith(STRUCTURE) \
                else "rules"
            for cal, t, p, column in ((calib, table, prior, 0), (calib_shipped, shipped, shipped_prior, 2)):
                conf = group_confidence(t, p, rule_group)
                band = max(i for i, b in enumerate(BANDS) if conf >= b)
                for key in [(g, band, k) for g in (group, "all") for k in (kind, "all")]:
                    cal[key][0] += right
                    cal[key][1] += n
                    cal[key][2] += conf * n
                if conf >= LOW_CONFIDENCE:
                    for key in (group, "all"):
                        review[key][column] += right
                        review[key][column + 1] += n
                    if column == 0:
                        sure_ok += right
                        sure_n += n
        for key in (group, "all"):
            pooled[key][0] += ok
            pooled[key][1] += len(rows)
            pooled[key][2] += ok_rules
            pooled[key][3] += ok_rules + b_ok
        print(f"{name:<9}{len(rows):>6} {ok_rules / len(rows):7.1%} {(ok_rules + b_ok) / len(rows):8.1%} "
              f"{ok / len(rows):8.1%} {b_n:>10} {b_ok / max(1, b_n):9.1%} {s_n:>11} {s_ok / max(1, s_n):10.1%} "
              f"{1 - sure_n / len(rows):7.1%} {sure_ok / max(1, sure_n):9.1%}"
              + ("   (held out)" if group == "held-out" else ""))
    for key in ("tuning", "held-out", "all"):
        if key in pooled:
            ok, n, ok_rules, ok_brands = pooled[key]
            print(f"pooled {key:<9}: rules {ok_rules / n:6.1%}, +brands {ok_brands / n:6.1%}, +structure {ok / n:6.1%}")
    for key in ("tuning", "held-out", "all"):
        if key in pooled:
            n = pooled[key][1]
            l_ok, l_n, s_ok, s_n = review[key]
            print(f"review {key:<9}: {1 - l_n / n:6.1%} (sure-acc {l_ok / max(1, l_n):6.1%}) leave-one-out; "
                  f"{1 - s_n / n:6.1%} (sure-acc {s_ok / max(1, s_n):6.1%}) with the shipped table (in-sample)")
    print("structural answers by signal (right / answered):")
    for (group, signal), (right, n) in sorted(per_signal.items()):
        print(f"  {group:<9} {signal:<28} {right:>5} / {n:<5} {right / max(1, n):6.1%}")
    print()
    print("calibration of the default rules, brands and structure (each data set scored with confidences fitted on "
          "the others)")
    print(f"{'group':<9} {'source':<7} {'band':<10} {'rows':>6} {'mean conf':>9} {'observed':>9}")
    for (group, band, kind), (ok, n, conf) in sorted(calib.items()):
        if n:
            lo, hi = BANDS[band], min(1.0, BANDS[band + 1])
            print(f"{group:<9} {kind:<7} {lo:.1f}-{hi:.1f}   {int(n):>6} {conf / n:9.2f} {ok / n:9.1%}")
    print("the same rows with the shipped table (fitted on every data set, the scored one included: in-sample)")
    for (group, band, kind), (ok, n, conf) in sorted(calib_shipped.items()):
        if n and kind == "all" and group != "all":
            lo, hi = BANDS[band], min(1.0, BANDS[band + 1])
            print(f"{group:<9} {kind:<7} {lo:.1f}-{hi:.1f}   {int(n):>6} {conf / n:9.2f} {ok / n:9.1%}")
    _print_errors("leave-one-data-set-out", calib)
    for kind in ("rules", "brands", "struct"):
        _print_errors(f"leave-one-data-set-out, {kind}", calib, kind)
    _print_errors("shipped table (in-sample)", calib_shipped)


def run_learning_speed(factory, settings, files: dict[str, list[Row]], n_rows: int) -> None:
    """Learning from 5,000 labelled rows; categorizing n_rows rows as the importer does (rules + history)."""
    rng = random.Random(11)
    pool = [r for rows in files.values() for r in rows]
    user = new_user(factory, settings, "speed@example.com")
    ids = name_to_id(factory, user.user_id)
    train = [rng.choice(pool) for _ in range(5000)]
    from budgetwise.services.categorize.engine import _history_model, _rule_agreement, _rule_rows

    with session_scope(factory) as s:
        rule_rows = _rule_rows(s, user.user_id)
    fits = []
    for _ in range(3):
        start, cpu = time.perf_counter(), time.process_time()
        knowledge = learning.UserKnowledge(history_rows(train, ids))
        _history_model(knowledge, rule_rows)  # the model as the importer uses it (with the rules' answers)
        _rule_agreement(knowledge, rule_rows)  # how often the user agreed with each default rule
        fits.append((time.process_time() - cpu, time.perf_counter() - start))
    fit_cpu, fit_wall = min(fits)
    extra = ["", "", " {d:02d}/{m:02d}", " REF {r}", " CARD XXXX{c}", " * {d:02d} Oct", " #{r}"]
    batch = []
    for _ in range(n_rows):
        r = rng.choice(pool)
        suffix = rng.choice(extra).format(d=rng.randint(1, 28), m=rng.randint(1, 12), r=rng.randint(10**5, 10**8),
                                          c=rng.randint(1000, 9999))
        batch.append(Row(r.date, r.description + suffix, Decimal(rng.randint(100, 500_000)) / 100, r.kind, r.truth,
                         r.label, r.account))
    distinct = len({b.description for b in batch})
    runs = []
    for with_history in (True, False, True, False, True, False):
        start, cpu = time.perf_counter(), time.process_time()
        with session_scope(factory) as s:
            categorize_rows(
                s, user_id=user.user_id, descriptions=[r.description for r in batch],
                amounts_minor=[minor(r.amount) for r in batch], kinds=[r.kind for r in batch],
                accounts=[r.account for r in batch], dates=[r.date.date() for r in batch],
                knowledge=knowledge, history_over_rules=True, with_model=with_history,
            )
        runs.append((with_history, time.process_time() - cpu, time.perf_counter() - start))
    best = {m: min((r[1], r[2]) for r in runs if r[0] == m) for m in (True, False)}
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    print(f"speed (best of 3, load average {load:.1f}):")
    print(f"  learning from 5,000 labelled rows (memory + model): {fit_cpu:.2f} s CPU / {fit_wall:.2f} s wall "
          f"(target < 3 s)")
    print(f"  categorizing {n_rows:,} rows ({distinct:,} distinct descriptions), rules + memory + model: "
          f"{best[True][0]:.2f} s CPU / {best[True][1]:.2f} s wall (target < 2 s); rules only: "
          f"{best[False][0]:.2f} s CPU / {best[False][1]:.2f} s wall")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DATA)
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--worst", type=int, default=5)
    parser.add_argument("--calibration", action="store_true", help="legacy: the model's suggestions by band")
    parser.add_argument("--legacy", action="store_true", help="the earlier report on kaggle and za")
    parser.add_argument("--only", default="", help="comma-separated data sets (default: all)")
    parser.add_argument("--cold", action="store_true", help="only the cold section and the speed figures")
    parser.add_argument("--fit-calibration", action="store_true", dest="fit_calibration",
                        help="fit the history's calibration maps on the tuning data sets and print them")
    parser.add_argument("--errors", action="store_true",
                        help="where learning loses rows: the errors after learning by bucket, tuning data sets only "
                             "(benchmarks/categorize_errors.py)")
    parser.add_argument("--fractions", default="0.2", help="with --errors: comma-separated history fractions")
    args = parser.parse_args(argv)
    if not args.data.is_dir():
        print(f"No labelled data at {args.data}; nothing to measure.")
        return 0
    files = {}
    if (args.data / "kaggle_personal_transactions.csv").exists():
        files["kaggle"] = load_kaggle(args.data / "kaggle_personal_transactions.csv")
    if (args.data / "za_bank_transactions_labeled.csv").exists():
        files["za"] = load_za(args.data / "za_bank_transactions_labeled.csv")
    with scratch_database("eval") as db:
        factory, settings = db.factory, db.settings
        if not args.legacy:
            global MAPPINGS
            MAPPINGS = args.data.parent / "mappings.json"
            every = load_all(args.data)
            if args.only:
                every = {k: v for k, v in every.items() if k in args.only.split(",")}
            if args.fit_calibration:  # the one fitting procedure lives in tools/
                from tools.fit_history_calibration import main as fit_main

                return fit_main(["--data", str(args.data)])
            if args.errors:  # the tuning sets only: never the held-out rows
                from benchmarks.categorize_errors import run_errors

                run_errors(factory, settings, {k: v for k, v in every.items() if k in TUNING},
                           tuple(float(f) for f in args.fractions.split(",")))
                return 0
            run_cold(every)
            print()
            from benchmarks.categorize_coverage import run_cold_coverage

            run_cold_coverage(every, TUNING, BANDS)  # session 28: the household coverage shift, off and on
            print()
            if not args.cold:
                print("learning table: each data set categorized with the confidence table fitted without it "
                      "(leave-one-data-set-out)")
                run_table(factory, settings, every, tables=loo_tables(every), tag="-loo")
                print()
                print("the same with the shipped table (fitted on every data set, the scored one included: in-sample)")
                run_table(factory, settings, every, full=False, tag="-shipped")
                print()
                run_demo(factory, settings)
                print()
            run_learning_speed(factory, settings, every, args.rows)
            return 0
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
    return 0


if __name__ == "__main__":
    sys.exit(main())
