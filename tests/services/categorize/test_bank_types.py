"""The bank's own type code as categorization evidence (issue #16): a small table of unambiguous,
generic codes (banktypes.py), answered after the user's rules, the history, the default rules and
brands, and only where the row's text gives no stronger answer; stored with signal "bank type".
Descriptions here are made up, never taken from an evaluation file."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select

from budgetwise.models import Transaction
from budgetwise.services import categories, transactions
from budgetwise.services import categorize as cz
from budgetwise.services import importing as svc
from budgetwise.services.categorize import banktypes, engine, explain
from budgetwise.services.categorize import history as L
from budgetwise.services.categorize.brands import BrandIndex
from budgetwise.services.categorize.knowledge import history_forms
from budgetwise.services.categorize.types import BANK_TYPE_SIGNAL


@pytest.fixture
def fake_brands(monkeypatch):
    index = BrandIndex({"westbanko": "Transfers"})  # a bank's name: the brand table says Transfers
    monkeypatch.setattr(engine, "brand_index", lambda: index)
    return index


def _cid(session, user, name):
    return categories.find_category_by_name(session, user_id=user.user_id, name=name).id


def _rows(session, user, texts, kinds, types, **kw):
    return cz.categorize_rows(session, user_id=user.user_id, descriptions=texts, amounts_minor=[1234] * len(texts),
                              kinds=kinds, accounts=[None] * len(texts), bank_types=types, **kw)


@pytest.mark.parametrize(("code", "kind", "category"), [
    ("ATM", "expense", "Other"), ("cpt", "expense", "Other"), ("CASH", "expense", "Other"),
    ("FEE", "expense", "Fees"), ("SRVCHG", "expense", "Fees"), ("Srv Chg", "expense", "Fees"),
    ("INT", "expense", "Fees"), ("INT", "income", "Investment Income"), ("DIV", "income", "Investment Income"),
    ("ATM", "income", None), ("FEE", "income", None), ("DIV", "expense", None),
    ("DD", "expense", None), ("SO", "expense", None), ("FPI", "income", None), ("POS", "expense", None),
    ("DIRECTDEBIT", "expense", None), ("XFER", "expense", None), ("", "expense", None), (None, "expense", None),
])
def test_only_unambiguous_codes_mean_a_category(code, kind, category):
    assert banktypes.bank_type_category(code, kind) == category


def test_the_code_categories_are_the_matching_default_rule_groups():
    from budgetwise.services.default_rules import group_category

    assert banktypes.bank_type_category("ATM", "expense") == group_category("Cash withdrawals")
    assert banktypes.bank_type_category("FEE", "expense") == group_category("Bank fees and charges")
    assert banktypes.bank_type_category("DIV", "income") == group_category("Interest and dividends received")


def test_the_bank_type_beats_a_brand_and_a_fallback_guess(session, alice, fake_brands):
    brand, fallback = _rows(session, alice, ["WESTBANKO 0042", "POS PURCHASE QXZ 77"], ["expense", "expense"], [None, None])
    assert brand.category_name == "Transfers" and fallback.confidence == cz.FALLBACK_CONFIDENCE
    a, b, c = _rows(session, alice, ["WESTBANKO 0042", "POS PURCHASE QXZ 77", "POS PURCHASE QXZ 78"], ["expense"] * 3, ["ATM", "SRVCHG", "DD"])
    assert (a.category_name, a.source, a.rule_id, a.signal) == ("Other", cz.SOURCE_RULE, None, BANK_TYPE_SIGNAL)
    assert a.confidence == banktypes.BANK_TYPE_CONFIDENCE
    assert b.category_name == "Fees" and b.signal == BANK_TYPE_SIGNAL
    assert c.confidence == cz.FALLBACK_CONFIDENCE  # DD says nothing about what was paid


def test_a_users_rule_and_a_sure_default_rule_beat_the_bank_type(session, alice, fake_brands):
    cz.create_rule(session, user_id=alice.user_id,
                   spec=cz.RuleSpec(category_id=_cid(session, alice, "Shopping"), pattern="westbanko"))
    [g] = _rows(session, alice, ["WESTBANKO 0042"], ["expense"], ["ATM"])
    assert g.category_name == "Shopping" and g.confidence == 1.0
    # a default rule at least as sure as the bank type: the description's answer stands (session 13: the
    # surest shipped group, "Restaurants, cafes and bars", is calibrated at the bank type's 0.85)
    [plain] = _rows(session, alice, ["RESTAURANT ZORB"], ["expense"], [None])
    assert plain.category_name == "Dining" and plain.rule_id is not None
    assert plain.confidence >= banktypes.BANK_TYPE_CONFIDENCE
    assert _rows(session, alice, ["RESTAURANT ZORB"], ["expense"], ["ATM"]) == [plain]
    # a default rule less sure than the bank type (calibrated, often wrong): the bank type answers
    [weak] = _rows(session, alice, ["CASH WITHDRAWAL 12"], ["expense"], [None])
    assert weak.rule_id is not None and weak.confidence < banktypes.BANK_TYPE_CONFIDENCE
    [typed] = _rows(session, alice, ["CASH WITHDRAWAL 12"], ["expense"], ["SRVCHG"])
    assert typed.category_name == "Fees" and typed.signal == BANK_TYPE_SIGNAL


def test_the_users_sure_history_beats_the_bank_type(session, alice, fake_brands):
    groceries = _cid(session, alice, "Groceries")
    rows = []
    for i in range(4):
        words, key = history_forms(f"WESTBANKO {i} HIGH ST")
        rows.append(L.HistoryRow(key, words, "expense", 1000, 1, None, groceries))
    knowledge = L.UserKnowledge(rows)
    [g] = _rows(session, alice, ["WESTBANKO 77 HIGH ST"], ["expense"], ["ATM"], knowledge=knowledge,
                history_over_rules=True)
    assert g.category_name == "Groceries" and g.source == cz.SOURCE_MODEL
    assert g.confidence >= L.MEMORY_OVER_RULES


def test_the_explanation_says_it_came_from_the_banks_type():
    how = explain.how_categorized(cz.SOURCE_RULE, None, banktypes.BANK_TYPE_CONFIDENCE, "Fees",
                                  signal=BANK_TYPE_SIGNAL, kind="expense")
    assert how == "the bank's transaction type → Fees"
    assert not explain.is_guess(cz.SOURCE_RULE, None, banktypes.BANK_TYPE_CONFIDENCE)


SCHWAB = (
    b"Date,Type,Check #,Description,Withdrawal (-),Deposit (+),RunningBalance\n"
    b"01/05/2024,ATM,,WESTBANKO 0042,$60.00,,$940.00\n"
    b"01/06/2024,VISA,,WESTBANKO 0043,$4.50,,$935.50\n"
)


def test_an_import_stores_the_bank_types_answer_and_reapply_keeps_it(session, alice, fake_brands):
    result = svc.commit_import(session, user_id=alice.user_id, data=SCHWAB, filename="s.csv")
    got = session.execute(select(Transaction.description, Transaction.bank_type, Transaction.category_id,
                                 Transaction.category_signal).where(Transaction.import_batch_id == result.batch_id)
                          .order_by(Transaction.date)).all()
    other, transfers = _cid(session, alice, "Other"), _cid(session, alice, "Transfers")
    assert [tuple(r) for r in got] == [("WESTBANKO 0042", "ATM", other, BANK_TYPE_SIGNAL),
                                       ("WESTBANKO 0043", "VISA", transfers, "brand")]
    cz.reapply_categories(session, user_id=alice.user_id)
    session.flush()
    assert session.scalar(select(Transaction.category_signal).where(Transaction.bank_type == "ATM")) == BANK_TYPE_SIGNAL


def test_a_category_set_by_hand_is_never_replaced(session, alice, fake_brands):
    t = transactions.add_transaction(session, user_id=alice.user_id, date=dt.date(2024, 3, 1), amount="60.00",
                                     kind="expense", description="WESTBANKO 0042")
    row = session.get(Transaction, t.id)
    row.bank_type, row.category_id, row.category_manual = "ATM", _cid(session, alice, "Travel"), True
    session.flush()
    cz.reapply_categories(session, user_id=alice.user_id)
    session.flush()
    session.refresh(row)
    assert row.category_id == _cid(session, alice, "Travel") and row.category_manual
