"""Session 19 (uicash), issue #19: an item scheduled by hand is edited on the Cash flow page (it was remove and
schedule again). "Edit" opens the item's fields as they are; "Save changes" goes through
``cashflow.update_scheduled`` (the add form's checks and messages); a refusal keeps the form open as typed and the
item as it was; "Cancel" closes it (AppTest)."""

from __future__ import annotations

import datetime as dt

from budgetwise.services import accounts, cashflow
from budgetwise.ui.widgets import NOTHING

PAGE = "pages/cashflow.py"


def _setup(app_env):
    alice = app_env.create_user()
    with app_env.scope() as s:
        accounts.create_account(s, user_id=alice.user_id, name="Checking", opening_balance="1000")
        sav = accounts.create_account(s, user_id=alice.user_id, name="Savings", kind="savings", opening_balance="50")
        item = cashflow.add_scheduled(s, user_id=alice.user_id, name="Rent", amount="1200", kind="expense",
                                      next_date=dt.date.today() + dt.timedelta(days=3), cadence="monthly")
    at = app_env.page(PAGE, user=alice)
    at.run()
    assert not at.exception
    return alice, sav.id, item.id, at


def _items(app_env, alice):
    with app_env.scope() as s:
        return cashflow.list_scheduled(s, user_id=alice.user_id)


def _save(at, item_id):
    next(b for b in at.button if str(b.key).startswith(f"FormSubmitter:cf_sched_edit_{item_id}")
         and b.label == "Save changes").click()
    return at.run()


def test_edit_an_items_amount_schedule_and_account(app_env):
    alice, savings, item_id, at = _setup(app_env)
    at.button(key=f"cf_sched_edit_{item_id}").click()
    at.run()
    assert not at.exception
    prefix = f"cf_sched_edit_{item_id}"
    assert at.text_input(key=f"{prefix}_name").value == "Rent"  # the item's fields as they are
    assert at.text_input(key=f"{prefix}_amount").value == "1200.00"
    assert at.selectbox(key=f"{prefix}_repeat").value == "monthly"
    assert at.selectbox(key=f"{prefix}_account").value is NOTHING  # "No particular account"
    at.text_input(key=f"{prefix}_name").input("Rent (new flat)")
    at.text_input(key=f"{prefix}_amount").input("1350.50")
    new_day = dt.date.today() + dt.timedelta(days=10)
    at.date_input(key=f"{prefix}_date").set_value(new_day)
    at.selectbox(key=f"{prefix}_repeat").set_value("yearly")
    at.selectbox(key=f"{prefix}_account").set_value(savings)
    _save(at, item_id)
    assert not at.exception and not at.error
    (item,) = _items(app_env, alice)
    assert (item.id, item.name, item.amount_minor, item.next_date, item.cadence, item.account_id) == (
        item_id, "Rent (new flat)", 135_050, new_day, "yearly", savings)
    assert any("Saved “Rent (new flat)”." in str(s.value).replace("\\", "") for s in at.success), [s.value for s in at.success]
    assert f"{prefix}_name" not in [w.key for w in at.text_input]  # the form closed
    listed = [str(m.value).replace("\\", "") for m in at.markdown if "next on" in str(m.value)]
    assert any("**Rent (new flat)**" in t and "yearly" in t and t.endswith("· Savings") for t in listed), listed


def test_a_refused_edit_keeps_the_form_and_the_item_as_they_were(app_env):
    alice, savings, item_id, at = _setup(app_env)
    before = _items(app_env, alice)
    at.button(key=f"cf_sched_edit_{item_id}").click()
    at.run()
    prefix = f"cf_sched_edit_{item_id}"
    at.text_input(key=f"{prefix}_amount").input("1500")
    at.date_input(key=f"{prefix}_date").set_value(dt.date.today() - dt.timedelta(days=2))
    _save(at, item_id)
    assert not at.exception
    assert any("is in the past; give the next time it is due" in e.value for e in at.error)  # the add form's words
    assert _items(app_env, alice) == before  # nothing half-written: the amount is not saved either
    assert at.text_input(key=f"{prefix}_amount").value == "1500"  # kept as typed
    at.text_input(key=f"{prefix}_amount").input("99999999999999")
    at.date_input(key=f"{prefix}_date").set_value(dt.date.today() + dt.timedelta(days=5))
    _save(at, item_id)
    assert any("implausibly large" in e.value for e in at.error)
    assert _items(app_env, alice) == before
    next(b for b in at.button if str(b.key).startswith(f"FormSubmitter:{prefix}") and b.label == "Cancel").click()
    at.run()
    assert not at.exception and f"{prefix}_amount" not in [w.key for w in at.text_input]
    assert _items(app_env, alice) == before


def test_an_archived_accounts_item_shows_its_account_and_can_be_moved(app_env):
    alice, savings, item_id, at = _setup(app_env)
    with app_env.scope() as s:
        cashflow.update_scheduled(s, user_id=alice.user_id, item_id=item_id, name="Rent", amount="1200",
                                  kind="expense", next_date=dt.date.today() + dt.timedelta(days=3), account_id=savings)
        accounts.archive_account(s, user_id=alice.user_id, account_id=savings)
    at.run()
    at.button(key=f"cf_sched_edit_{item_id}").click()
    at.run()
    prefix = f"cf_sched_edit_{item_id}"
    picker = at.selectbox(key=f"{prefix}_account")
    assert picker.value == savings and "Savings (archived)" in picker.options
    _save(at, item_id)
    assert any("“Savings” is archived: nothing new can be scheduled for it" in e.value for e in at.error)
    at.selectbox(key=f"{prefix}_account").select_index(0)  # no particular account
    _save(at, item_id)
    assert not any("archived" in e.value for e in at.error), [e.value for e in at.error]  # (the rent's alert stays)
    assert _items(app_env, alice)[0].account_id is None
