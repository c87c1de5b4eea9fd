"""Undoing many confirmed transfers at once (transfers._undo_all: a bulk category, deleting rows) gives every
row the state :func:`transfers.undo_transfer` gives it one link at a time: its own category state from before
the confirmation, no rule id when the rule was deleted meanwhile, never categorized when the category was;
another user's links are not touched."""

from __future__ import annotations

import datetime as dt

from budgetwise.models import Category, Transaction, TransferLink
from budgetwise.services import accounts, transfers
from budgetwise.services import transactions as tx
from budgetwise.services.categorize import rules
from budgetwise.services.categorize.types import RuleSpec

D = dt.date(2025, 3, 3)


def _state(session, tid: int) -> tuple:
    t = session.get(Transaction, tid)
    session.refresh(t)
    return (t.category_id, t.category_manual, t.category_source, t.category_confidence, t.rule_id, t.category_signal)


def _pairs(session, user, n: int) -> list[tuple[int, int]]:
    chk = accounts.create_account(session, user_id=user.user_id, name="Checking")
    card = accounts.create_account(session, user_id=user.user_id, name="Card", kind="credit_card")
    out = []
    for k in range(n):
        o, i = (tx.add_transaction(session, user_id=user.user_id, date=D, amount=f"{10 + k}.00", kind=kind,
                                   description=f"{desc} {k}", account_id=acc.id, auto_categorize=False)
                for kind, desc, acc in (("expense", "CARD PAYMENT", chk), ("income", "THANK YOU", card)))
        out.append((o.id, i.id))
    return out


def test_undoing_many_links_at_once_restores_each_rows_own_state(session, alice, bob):
    groceries = session.query(Category).filter_by(user_id=None, name="Groceries").one().id
    refunds = session.query(Category).filter_by(user_id=None, name="Refunds").one().id
    rule = rules.create_rule(session, user_id=alice.user_id, spec=RuleSpec(
        name="card", pattern="CARD PAYMENT", category_id=groceries))
    pairs = _pairs(session, alice, 4)
    states = [(groceries, False, "rule", 0.93, rule.id, None), (refunds, False, "model", 0.41, None, "refund"),
              (groceries, True, "manual", None, None, None), (None, True, "manual", None, None, None),
              (refunds, False, "rule", 0.5, rule.id, None), (None, False, None, None, None, None),
              (groceries, False, "model", 0.7, None, None), (refunds, True, "manual", None, None, None)]
    for tid, state in zip([t for p in pairs for t in p], states, strict=True):
        t = session.get(Transaction, tid)
        (t.category_id, t.category_manual, t.category_source, t.category_confidence, t.rule_id,
         t.category_signal) = state
    session.flush()
    links = [transfers.confirm_transfer(session, user_id=alice.user_id, out_transaction_id=o, in_transaction_id=i)
             for o, i in pairs]
    (bob_out, bob_in), = _pairs(session, bob, 1)
    bobs = transfers.confirm_transfer(session, user_id=bob.user_id, out_transaction_id=bob_out, in_transaction_id=bob_in)
    # gone while linked: the rule (rows keep their category, no rule id) and one row's category
    rules.delete_rule(session, user_id=alice.user_id, rule_id=rule.id)
    session.get(TransferLink, links[3].id).in_prev_category_id = 10**9
    session.flush()

    assert transfers.undo_links_of(session, user_id=alice.user_id, transaction_ids=[bob_out, bob_in]) == 0  # not hers
    # the out rows only: the undo restores both rows of each link
    assert transfers.undo_links_of(session, user_id=alice.user_id, transaction_ids=[o for o, _ in pairs]) == 4
    expected = [(groceries, False, "rule", 0.93, None, None), states[1], states[2], states[3],
                (refunds, False, "rule", 0.5, None, None), states[5], states[6],
                (None, False, None, None, None, None)]
    assert [_state(session, t) for p in pairs for t in p] == expected
    assert session.query(TransferLink).filter_by(user_id=alice.user_id).count() == 0
    assert session.get(TransferLink, bobs.id) is not None
    assert _state(session, bob_out)[2] == "transfer"
