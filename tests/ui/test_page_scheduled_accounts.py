"""Session 18 (cfacct), issue #19: the Cash flow page's schedule form offers the user's open accounts ("No particular
account" by default) and the list shows each item's account; the Import page's undo names the accounts it removed
(AppTest)."""

from __future__ import annotations

import datetime as dt

from budgetwise.services import accounts, cashflow
from budgetwise.services import importing as svc
from budgetwise.services import transactions as tx
from budgetwise.ui.widgets import NOTHING
from tests.ui.test_page_import import _undo


def _field(widgets, suffix):
    """The schedule form's widget (its keys change after each item scheduled: a new, empty form)."""
    return next(w for w in widgets if str(w.key).startswith("cf_sched") and str(w.key).endswith(suffix))


def _schedule(at, name, amount, account=None):
    _field(at.text_input, "_name").input(name)
    _field(at.text_input, "_amount").input(amount)
    _field(at.date_input, "_date").set_value(dt.date.today() + dt.timedelta(days=3))
    if account is not None:
        _field(at.selectbox, "_account").set_value(account)
    next(b for b in at.button if str(b.key).startswith("FormSubmitter:cf_sched") and b.label == "Schedule").click()
    return at.run()


def test_an_item_is_scheduled_for_an_account_and_the_list_shows_it(app_env):
    alice = app_env.create_user()
    with app_env.scope() as s:
        accounts.create_account(s, user_id=alice.user_id, name="Checking", opening_balance="1000")
        sav = accounts.create_account(s, user_id=alice.user_id, name="Savings", kind="savings", opening_balance="50")
        old = accounts.create_account(s, user_id=alice.user_id, name="Old card", kind="credit_card")
        accounts.archive_account(s, user_id=alice.user_id, account_id=old.id)
    at = app_env.page("pages/cashflow.py", user=alice)
    at.run()
    picker = at.selectbox(key="cf_sched_account")
    assert picker.value is NOTHING and picker.options == ["No particular account", "Checking", "Savings"]  # open ones
    _schedule(at, "Rent", "700")
    _schedule(at, "Interest", "2", account=sav.id)
    assert not at.exception and not at.error
    with app_env.scope() as s:
        items = {i.name: i.account_id for i in cashflow.list_scheduled(s, user_id=alice.user_id)}
    assert items == {"Rent": None, "Interest": sav.id}
    listed = [str(m.value) for m in at.markdown if "next on" in str(m.value)]
    assert any("**Interest**" in t and t.endswith("· Savings") for t in listed), listed
    assert any("**Rent**" in t and t.endswith("· no particular account") for t in listed), listed
    with app_env.scope() as s:
        accounts.archive_account(s, user_id=alice.user_id, account_id=sav.id)
    at.run()
    listed = [str(m.value) for m in at.markdown if "next on" in str(m.value)]
    assert any(t.endswith("· Savings (archived: not projected)") for t in listed), listed


def test_no_particular_account_keeps_its_default_after_a_rerun(app_env):
    """Session 20: a keyed select box holding None is drawn by Streamlit (1.67) with no default, as "nothing chosen",
    and the browser showed a clear button ("×") beside "No particular account" from the second run on. The
    "none" choice is not None (widgets.select_or_none), so the box keeps its default index on every run."""
    alice = app_env.create_user()
    with app_env.scope() as s:
        accounts.create_account(s, user_id=alice.user_id, name="Checking", opening_balance="1000")
    at = app_env.page("pages/cashflow.py", user=alice)
    at.run()
    at.run()
    picker = at.selectbox(key="cf_sched_account")
    assert picker.proto.HasField("default") and picker.proto.default == 0
    assert picker.options[picker.index] == "No particular account"


def test_undo_names_the_accounts_it_removed(app_env):
    alice = app_env.create_user()
    data = b"Date,Description,Amount,Account\n2024-03-01,Grocer,-12.50,Checking\n2024-03-02,Diner,-30.00,Visa\n"
    with app_env.scope() as s:
        tx.add_transaction(s, user_id=alice.user_id, date=dt.date.today(), amount="5", kind="expense",
                           description="typed", auto_categorize=False)
        batch = svc.commit_import(s, user_id=alice.user_id, data=data, filename="cards.csv").batch_id
    at = app_env.page("pages/import_data.py", user=alice)
    at.run()
    next(p for p in at.selectbox if p.label == "Undo an import").set_value(batch)
    at.run()
    at = _undo(at)
    assert not at.exception
    shown = " ".join(str(e.value) for e in at.success)
    assert "Removed the empty accounts it created: “Checking” and “Visa”." in shown.replace("\\", ""), shown
    with app_env.scope() as s:
        assert [a.name for a in accounts.list_accounts(s, user_id=alice.user_id)] == ["Main account"]
