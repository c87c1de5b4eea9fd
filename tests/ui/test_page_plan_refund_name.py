"""Categorize page, "label these N to sort M" (session 27): a stem starting with a refund's words ("refund cloudflare")
is shown by its merchant's name and marked as its refunds, while the click teaches the whole stem; a one-row merchant
waits while a larger one is offered. Made-up payees."""

import datetime as dt

from sqlalchemy import update

from budgetwise.models import Transaction
from budgetwise.services import categorize
from budgetwise.services import transactions as tx

PAGE = "pages/categorize.py"
D = dt.date(2024, 3, 1)


def _add(env, user, description, kind="expense", unsure=False):
    with env.scope() as s:
        t = tx.add_transaction(s, user_id=user.user_id, date=D, amount="9.99", kind=kind, description=description)
        if unsure:  # a default rule's guess under the review line: waiting
            s.execute(update(Transaction).where(Transaction.id == t.id).values(category_confidence=0.3))
        return t


def test_a_refunds_offer_is_named_by_its_merchant_and_teaches_the_whole_stem(app_env):
    alice = app_env.create_user()
    for n in (1, 2, 3):
        _add(app_env, alice, f"Refund: Quixly {n}", kind="income", unsure=True)
    _add(app_env, alice, "DREBBLO GARAGE")  # one row: waits while a larger merchant is offered
    at = app_env.page(PAGE, user=alice)
    at.run()
    assert not at.exception, at.exception
    texts = [m.value for m in at.markdown]
    [item] = [t for t in texts if t.startswith("**quixly**")]
    assert item.startswith("**quixly** · :gray[refunds from this merchant] · 3 transactions (money in)"), item
    assert not [t for t in texts if t.startswith("**refund quixly**") or t.startswith("**drebblo garage**")]
    assert any(h.value == "Label this 1 to sort 3 transactions" for h in at.subheader), [h.value for h in at.subheader]
    at.selectbox(key="cat_plan_cat_refund quixly").set_value("Refunds")
    at.run()
    at.button(key="cat_plan_btn_refund quixly").click()
    at.run()
    assert not at.exception, at.exception
    assert any(m.value.startswith("Filed 3 transactions of “quixly (refunds)” under Refunds.") for m in at.success), [
        m.value for m in at.success]
    with app_env.scope() as s:
        patterns = [r.pattern for r in categorize.list_rules(s, user_id=alice.user_id, include_global=False)]
    assert patterns == ["refund quixly"]  # the learned rule keeps the key's stem
    assert any(t.startswith("**drebblo garage**") for t in (m.value for m in at.markdown))  # nothing larger left
