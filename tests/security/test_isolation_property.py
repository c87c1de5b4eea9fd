"""Property: whatever two users do, in whatever order, nothing of A's ever appears in B's
results (and the other way round).

Hypothesis generates sequences of operations for two users: adding transactions,
categories, rules, budgets, importing files, recategorizing with ids picked from *both*
users' objects, undoing imports, deleting. After every step each user's reads (lists,
reports, budget report, the "download all my data" export) must hold only their own
texts and ids. Each example runs inside a savepoint that is rolled back.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from budgetwise.errors import BudgetwiseError
from budgetwise.importing import ImportOptions
from budgetwise.models import Category, ImportBatch, Rule, Transaction
from budgetwise.services import budgets, categories, categorize, data_export, importing, reports
from budgetwise.services import transactions as tx
from tests.security.test_isolation import _as_text

MARK = {0: "AAAQ", 1: "BBBQ"}  # every text a user writes carries their mark
TODAY = dt.date.today()

words = st.text(alphabet="abcdefghijklmnopqrstuvwxyz áé&<>*_#'", min_size=1, max_size=20)
who = st.integers(0, 1)
ops = st.one_of(
    st.tuples(st.just("add"), who, words, st.integers(1, 99_999), st.sampled_from(["income", "expense"]), st.integers(0, 400)),
    st.tuples(st.just("category"), who, words),
    st.tuples(st.just("rule"), who, words, st.integers(0, 50)),
    st.tuples(st.just("budget"), who, st.integers(1, 5_000), st.integers(0, 50)),
    st.tuples(st.just("import"), who, st.integers(1, 6), st.integers(0, 10_000)),
    st.tuples(st.just("recategorize"), who, st.integers(0, 50), st.integers(0, 50)),
    st.tuples(st.just("undo"), who, st.integers(0, 50)),
    st.tuples(st.just("delete"), who, st.integers(0, 50)),
)


def _all_ids(session, model) -> list[int]:
    stmt = select(model.id).order_by(model.id)
    if model in (Category, Rule):
        stmt = stmt.where(model.user_id.is_not(None))
    return list(session.scalars(stmt))


def _pick(ids: list[int], n: int) -> int | None:
    return ids[n % len(ids)] if ids else None


def _apply(session, users: dict[int, int], op: tuple) -> None:
    kind, w = op[0], op[1]
    uid, mark = users[w], MARK[w]
    if kind == "add":
        _, _, text, cents, direction, days = op
        tx.add_transaction(session, user_id=uid, date=TODAY - dt.timedelta(days=days), amount=f"{cents / 100:.2f}",
                           kind=direction, description=f"{mark} {text}")
    elif kind == "category":
        categories.create_category(session, user_id=uid, name=f"{mark} {op[2]}"[:60], kind="expense")
    elif kind == "rule":
        cat = _pick(_all_ids(session, Category), op[3])  # any user's category: must be refused if not theirs
        if cat is not None:
            categorize.create_rule(session, user_id=uid, spec=categorize.RuleSpec(category_id=cat, pattern=f"{mark} {op[2]}"))
    elif kind == "budget":
        cat = _pick(_all_ids(session, Category), op[3])
        budgets.set_budget(session, user_id=uid, month=TODAY.replace(day=1), amount=str(op[2]), category_id=cat)
    elif kind == "import":
        lines = ["Date,Description,Amount"] + [
            f"{(TODAY - dt.timedelta(days=(op[3] + i) % 300)).isoformat()},{mark} shop {op[3]}-{i},-{1 + (op[3] * 7 + i) % 500}.25"
            for i in range(op[2])
        ]
        importing.commit_import(session, user_id=uid, data=("\n".join(lines) + "\n").encode(), filename=f"{mark}.csv",
                                options=ImportOptions())
    elif kind == "recategorize":
        t = _pick(list(session.scalars(select(Transaction.id).order_by(Transaction.id))), op[2])
        c = _pick(_all_ids(session, Category), op[3])
        if t is not None:
            tx.update_transaction(session, user_id=uid, transaction_id=t, category_id=c)
    elif kind == "undo":
        b = _pick(list(session.scalars(select(ImportBatch.id).order_by(ImportBatch.id))), op[2])
        if b is not None:
            importing.undo_import(session, user_id=uid, batch_id=b)
    elif kind == "delete":
        t = _pick(list(session.scalars(select(Transaction.id).order_by(Transaction.id))), op[2])
        if t is not None:
            tx.delete_transaction(session, user_id=uid, transaction_id=t)


def _reads(session, uid: int) -> dict[str, object]:
    flt = reports.ReportFilter(date_from=TODAY - dt.timedelta(days=800), date_to=TODAY)
    return {
        "transactions": tx.list_transactions(session, user_id=uid, page_size=500).rows,
        "categories": categories.list_categories(session, user_id=uid, include_archived=True),
        "rules": categorize.list_rules(session, user_id=uid, include_global=False),
        "imports": importing.list_import_batches(session, user_id=uid),
        "mappings": importing.list_mappings(session, user_id=uid),
        "summary": reports.summary(session, user_id=uid, filters=flt),
        "by_category": reports.by_category(session, user_id=uid, filters=flt),
        "top_merchants": reports.top_merchants(session, user_id=uid, filters=flt),
        "budget": budgets.budget_report(session, user_id=uid, month=TODAY.replace(day=1)),
        "export": data_export.export_frames(session, user_id=uid),
    }


def _check(session, users: dict[int, int]) -> None:
    for w, uid in users.items():
        other_mark = MARK[1 - w]
        own_tx = set(session.scalars(select(Transaction.id).where(Transaction.user_id == uid)))
        for name, result in _reads(session, uid).items():
            shown = _as_text(result)
            assert other_mark not in shown, f"user {w} sees the other user's data in {name}: {shown[:300]}"
        listed = {r.id for r in tx.list_transactions(session, user_id=uid, page_size=500).rows}
        assert listed == own_tx
        exported = data_export.export_frames(session, user_id=uid)["transactions.csv"]
        assert set(pd.to_numeric(exported["id"]).astype(int)) == own_tx if len(exported) else not own_tx


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(steps=st.lists(ops, min_size=1, max_size=10))
def test_nothing_of_a_ever_reaches_b(db, session, alice, bob, steps):
    users = {0: alice.user_id, 1: bob.user_id}
    nested = session.begin_nested()
    try:
        for op in steps:
            step = session.begin_nested()
            try:
                _apply(session, users, op)
                step.commit()
            except BudgetwiseError:
                step.rollback()  # refused (e.g. the other user's id): fine, nothing may leak either
            _check(session, users)
    finally:
        nested.rollback()
