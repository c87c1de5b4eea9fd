"""Accounts page (issue #19): balances and net worth, add with messages, rename, archive (AppTest)."""

import datetime as dt

from budgetwise.services import accounts
from budgetwise.services import transactions as tx
from budgetwise.ui.format import unbroken_dates  # dates as displayed (no line break inside)
from budgetwise.ui.widgets import NOTHING

PAGE = "pages/accounts.py"


def _accounts(env, user, archived=True):
    with env.scope() as s:
        return accounts.list_accounts(s, user_id=user.user_id, include_archived=archived)


def test_a_guest_is_stopped(app_env):
    at = app_env.page(PAGE)
    at.run()
    assert not at.exception
    assert not at.dataframe and not any("Net worth" in str(m.label) for m in at.metric)


def test_empty_then_add_then_balances(app_env):
    alice = app_env.create_user()
    at = app_env.page(PAGE, user=alice)
    at.run()
    assert not at.exception
    assert [a.name for a in _accounts(app_env, alice)] == ["Main account"]  # the starter account
    at.text_input(key="acct_new_name").input("Everyday")
    at.text_input(key="acct_new_opening").input("1,000.00")
    at.button(key="FormSubmitter:acct_new-Add account").click()
    at.run()
    assert not at.exception
    assert [a.name for a in _accounts(app_env, alice)] == ["Everyday"]
    with app_env.scope() as s:
        tx.add_transaction(s, user_id=alice.user_id, date=dt.date.today(), amount="250", kind="expense",
                           description="rent")
    at.run()
    assert not at.exception
    net = next(m for m in at.metric if str(m.label) == "Net worth")
    assert net.value == "$750.00"
    table = at.dataframe[0].value
    assert list(table["Account"]) == ["Everyday"] and list(table["Balance"]) == ["$750.00"]
    # one month-end only (the account started this month): a caption, not a lone dot on an axis of hours
    # (a new user in Chromium, QA session 13); the chart comes with the second month (the test below)
    assert not at.get("plotly_chart")
    assert any("from your accounts' second month on" in c.value for c in at.caption)


def test_a_flat_net_worth_gets_a_readable_axis(app_env):
    """A balance that never moved: Plotly's range was about one unit wide and the axis printed the
    same rounded label twice ("-370,785", seen in Chromium); the range is padded around it."""
    import json

    alice = app_env.create_user()
    with app_env.scope() as s:
        accounts.create_account(s, user_id=alice.user_id, name="Savings", kind="savings", opening_balance="1000",
                                opening_date=dt.date.today() - dt.timedelta(days=800),
                                replace_starter=True)  # one account (by hand a savings account stays beside it)
        # matched with the bank today: the balance is known up to today (session 25: an opening balance given 800 days
        # ago and nothing since is old, and the chart ends on its day), and it never moved
        accounts.confirm_balance(s, user_id=alice.user_id, account_id=accounts.find_account(
            s, user_id=alice.user_id, name="Savings").id, day=dt.date.today())
    at = app_env.page(PAGE, user=alice)
    at.run()
    assert not at.exception
    spec = json.loads(at.get("plotly_chart")[0].proto.spec)
    low, high = spec["layout"]["yaxis"]["range"]
    assert low < 1000 < high and high - low >= 20
    # Session 11 QA: with one account its line and the net worth line lay exactly on top of each other
    assert [t["name"] for t in spec["data"]] == ["Net worth = Savings"]
    with app_env.scope() as s:
        accounts.create_account(s, user_id=alice.user_id, name="Cash", kind="cash", opening_balance="50",
                                opening_date=dt.date.today() - dt.timedelta(days=800))
    at.run()
    spec = json.loads(at.get("plotly_chart")[0].proto.spec)
    assert [t["name"] for t in spec["data"]] == ["Net worth", "Savings", "Cash"]


def test_flat_range_only_for_a_line_that_barely_moves():
    from budgetwise.ui.charts import flat_range

    assert flat_range([5.0, 5.5, None]) == [-4.75, 15.25]  # at least 10 either side
    assert flat_range([-370784.82] * 3) == [-370784.82 - 18539.241, -370784.82 + 18539.241]
    assert flat_range([1.0, 2.0]) is None and flat_range([]) is None and flat_range([None]) is None


def test_same_name_gets_a_specific_message_and_nothing_is_written(app_env):
    alice = app_env.create_user()
    with app_env.scope() as s:
        accounts.create_account(s, user_id=alice.user_id, name="Savings", kind="savings")  # beside the starter
    at = app_env.page(PAGE, user=alice)
    at.run()
    at.text_input(key="acct_new_name").input("savings")
    at.button(key="FormSubmitter:acct_new-Add account").click()
    at.run()
    assert not at.exception
    assert any("already have an account called “savings”" in e.value.replace("\\", "") for e in at.error)
    assert len(_accounts(app_env, alice)) == 2


def test_an_opening_date_out_of_limits_is_refused_not_dropped(app_env):
    """The picker stopped at today (and ten years back by default): a date typed outside that was
    marked invalid and never sent, so the account was stored without its date and without a word.
    It now accepts every date it can show; the service refuses one outside its limits."""
    from budgetwise.ui.format import PICKER_MAX, PICKER_MIN

    alice = app_env.create_user()
    at = app_env.page(PAGE, user=alice)
    at.run()
    earliest, latest = accounts.opening_date_limits()
    picker = at.date_input(key="acct_new_opening_date")
    assert (picker.proto.min, picker.proto.max) == (PICKER_MIN.isoformat(), PICKER_MAX.isoformat())
    assert unbroken_dates(earliest.isoformat()) in picker.help and unbroken_dates(latest.isoformat()) in picker.help
    at.text_input(key="acct_new_name").input("Old savings")
    at.text_input(key="acct_new_opening").input("100")
    at.date_input(key="acct_new_opening_date").set_value(dt.date(2099, 1, 5))
    at.button(key="FormSubmitter:acct_new-Add account").click()
    at.run()
    assert not at.exception
    assert any(unbroken_dates(f"from {earliest.isoformat()} to today, {latest.isoformat()}") in e.value for e in at.error)
    assert [a.name for a in _accounts(app_env, alice)] == ["Main account"]
    # a date more than ten years back (outside the old picker's default limits) is kept
    at.date_input(key="acct_new_opening_date").set_value(dt.date(2005, 6, 1))
    at.button(key="FormSubmitter:acct_new-Add account").click()
    at.run()
    assert not at.exception and not at.error
    [added] = [a for a in _accounts(app_env, alice) if a.name == "Old savings"]
    assert added.opening_date == dt.date(2005, 6, 1)


def test_tomorrow_as_the_opening_date_is_refused(app_env):
    """The service let today+1 through; the page now passes the user's own day (here the server's)."""
    alice = app_env.create_user()
    at = app_env.page(PAGE, user=alice)
    at.run()
    today = dt.date.today()
    at.text_input(key="acct_new_name").input("Tomorrow's")
    at.date_input(key="acct_new_opening_date").set_value(today + dt.timedelta(days=1))
    at.button(key="FormSubmitter:acct_new-Add account").click()
    at.run()
    assert not at.exception
    assert any("is in the future; use today or an earlier day" in e.value for e in at.error)
    assert [a.name for a in _accounts(app_env, alice)] == ["Main account"]


def test_rename_and_archive(app_env):
    alice = app_env.create_user()
    with app_env.scope() as s:
        first = accounts.create_account(s, user_id=alice.user_id, name="Checking")
        accounts.create_account(s, user_id=alice.user_id, name="Old card", kind="credit_card")
    at = app_env.page(PAGE, user=alice)
    at.run()
    at.selectbox(key="acct_manage").set_value(first.id)
    at.run()
    at.text_input(key=f"acct_rename_{first.id}").input("Main checking")
    at.button(key=f"acct_rename_btn_{first.id}").click()
    at.run()
    assert not at.exception
    assert {a.name for a in _accounts(app_env, alice)} == {"Main checking", "Old card"}
    at.selectbox(key="acct_manage").set_value(first.id)
    at.run()
    at.button(key=f"acct_archive_{first.id}").click()
    at.run()
    assert not at.exception
    assert [a.name for a in _accounts(app_env, alice, archived=False)] == ["Old card"]
    assert any("Archived" in s.value for s in at.success)


def test_the_transactions_add_form_chooses_the_account(app_env):
    alice = app_env.create_user()
    with app_env.scope() as s:
        accounts.create_account(s, user_id=alice.user_id, name="Checking")
        card = accounts.create_account(s, user_id=alice.user_id, name="Card", kind="credit_card")
    at = app_env.page("pages/transactions.py", user=alice)
    at.run()
    assert at.selectbox(key="tx_add_account").value != card.id  # the first account is the default
    at.date_input(key="tx_add_date").set_value(dt.date(2025, 3, 1))
    at.text_input(key="tx_add_amount").input("12.00")
    at.text_input(key="tx_add_description").input("Books")
    at.selectbox(key="tx_add_account").set_value(card.id)
    at.button(key="FormSubmitter:tx_add_form-Add transaction").click()
    at.run()
    assert not at.exception
    with app_env.scope() as s:
        (row,) = tx.list_transactions(s, user_id=alice.user_id).rows
    assert row.account_id == card.id


def test_the_import_page_chooses_the_account(app_env):
    from sqlalchemy import select

    from budgetwise.models import Transaction

    alice = app_env.create_user()
    with app_env.scope() as s:
        accounts.create_account(s, user_id=alice.user_id, name="Checking")
        card = accounts.create_account(s, user_id=alice.user_id, name="Card", kind="credit_card")
    at = app_env.page("pages/import_data.py", user=alice)
    at.run()
    at.file_uploader(key="imp_upload").set_value(("card.csv", b"Date,Description,Amount\n2024-03-01,Books,-12.00\n",
                                                  "text/csv"))
    at.run()
    assert not at.exception
    box = next(b for b in at.selectbox if str(b.label) == "Account")
    assert box.value is NOTHING  # automatic: the default account (widgets.select_or_none's first choice)
    box.set_value(card.id)
    at.run()
    next(b for b in at.button if str(b.label).startswith("Import 1")).click()
    at.run()
    assert not at.exception
    with app_env.scope() as s:
        assert set(s.scalars(select(Transaction.account_id).where(Transaction.user_id == alice.user_id))) == {card.id}


def test_a_transfer_is_offered_confirmed_and_undone(app_env):
    from budgetwise.services import transfers

    alice = app_env.create_user()
    day = dt.date.today() - dt.timedelta(days=3)
    with app_env.scope() as s:
        chk = accounts.create_account(s, user_id=alice.user_id, name="Checking")
        card = accounts.create_account(s, user_id=alice.user_id, name="Card", kind="credit_card")
        out = tx.add_transaction(s, user_id=alice.user_id, date=day, amount="300", kind="expense",
                                 description="card payment", account_id=chk.id, auto_categorize=False)
        inn = tx.add_transaction(s, user_id=alice.user_id, date=day, amount="300", kind="income",
                                 description="payment received", account_id=card.id, auto_categorize=False)
    at = app_env.page(PAGE, user=alice)
    at.run()
    assert not at.exception
    at.button(key=f"acct_tr_{out.id}_{inn.id}").click()
    at.run()
    assert not at.exception
    with app_env.scope() as s:
        (link,) = transfers.list_transfers(s, user_id=alice.user_id)
    # nothing left to check, but the section with the Undo stays open (it collapsed in Chromium, QA session 13)
    section = next(e for e in at.expander if "Transfers between your accounts (0 to check)" in str(e.label))
    assert section.proto.expanded and any("Undo is under" in m.value for m in at.success)
    # the transfer just confirmed waits in the Undo box: one click undoes it (session 16: a table, not a list)
    assert at.selectbox(key="acct_tr_undo_id").value == link.id
    at.button(key="acct_tr_undo").click()
    at.run()
    assert not at.exception
    with app_env.scope() as s:
        assert transfers.list_transfers(s, user_id=alice.user_id) == []
    assert any("was undone" in m.value for m in at.success)
    assert any("No confirmed transfers yet" in c.value for c in at.caption)


def test_transfers_to_check_are_matched_once_per_data_version(app_env, monkeypatch):
    """Session 13 (pagespeed): the matching ran on every rerun (≈ 1.4 s CPU for a 100,000-row user); it is
    cached on the data version, so a rerun reuses it and a new transaction is still offered."""
    from budgetwise.services import transfers

    calls: list[int] = []
    real = transfers.find_candidates
    monkeypatch.setattr(transfers, "find_candidates", lambda s, **kw: calls.append(kw["user_id"]) or real(s, **kw))
    alice = app_env.create_user()
    day = dt.date.today() - dt.timedelta(days=3)
    with app_env.scope() as s:
        chk = accounts.create_account(s, user_id=alice.user_id, name="Checking")
        card = accounts.create_account(s, user_id=alice.user_id, name="Card", kind="credit_card")
        out = tx.add_transaction(s, user_id=alice.user_id, date=day, amount="300", kind="expense",
                                 description="card payment", account_id=chk.id, auto_categorize=False)
    at = app_env.page(PAGE, user=alice)
    at.run()
    at.run()
    assert not at.exception and len(calls) == 1
    assert any("(0 to check)" in str(e.label) for e in at.expander)
    with app_env.scope() as s:  # a write bumps the data version: matched again, the pair is offered
        inn = tx.add_transaction(s, user_id=alice.user_id, date=day, amount="300", kind="income",
                                 description="payment received", account_id=card.id, auto_categorize=False)
    at.run()
    assert not at.exception and len(calls) == 2
    assert any("(1 to check)" in str(e.label) for e in at.expander)
    assert at.button(key=f"acct_tr_{out.id}_{inn.id}")


def test_an_accounts_type_is_changed_on_the_page(app_env):
    """QA: an imported "Savings" account stayed checking, so no goal could follow it."""
    alice = app_env.create_user()
    with app_env.scope() as s:
        imported = accounts.create_account(s, user_id=alice.user_id, name="Savings")
    at = app_env.page(PAGE, user=alice)
    at.run()
    at.selectbox(key="acct_manage").set_value(imported.id)
    at.run()
    assert at.button(key=f"acct_kind_btn_{imported.id}").disabled  # nothing to change yet
    at.selectbox(key=f"acct_kind_{imported.id}").set_value("savings")
    at.run()
    at.button(key=f"acct_kind_btn_{imported.id}").click()
    at.run()
    assert not at.exception
    assert [a.kind for a in _accounts(app_env, alice)] == ["savings"]
    assert any("is now a savings account" in s.value for s in at.success)


def test_a_typed_opening_balance_with_three_decimals_is_refused_not_read_as_thousands(app_env):
    """QA (browser): "500.123" in the add form became a $500,123.00 savings account without a word."""
    alice = app_env.create_user()
    at = app_env.page(PAGE, user=alice)
    at.run()
    at.text_input(key="acct_new_name").input("Rainy day")
    at.text_input(key="acct_new_opening").input("500.123")
    at.button(key="FormSubmitter:acct_new-Add account").click()
    at.run()
    assert not at.exception
    assert any("more decimals than USD allows" in e.value for e in at.error)
    assert [a.name for a in _accounts(app_env, alice)] == ["Main account"]  # nothing written


def test_transfers_and_the_opening_date_follow_the_users_date_format(app_env):
    """QA 2026-12-05: with the date format 31/12/2025 the transfer offers and the confirmed transfers still
    read 2026-12-05, and the "Balance on" picker and its help were ISO."""
    from budgetwise.services import transfers
    from budgetwise.services.profile import update_profile

    alice = app_env.create_user()
    day = dt.date(2025, 3, 10)
    with app_env.scope() as s:
        update_profile(s, user_id=alice.user_id, date_format="%d/%m/%Y")
        chk = accounts.create_account(s, user_id=alice.user_id, name="Checking")
        sav = accounts.create_account(s, user_id=alice.user_id, name="Savings", kind="savings")
        for acc, kind in ((chk, "expense"), (sav, "income")):
            tx.add_transaction(s, user_id=alice.user_id, date=day, amount="500", kind=kind, description="move",
                               account_id=acc.id, auto_categorize=False)
    at = app_env.page(PAGE, user=alice)
    at.run()
    assert not at.exception
    offers = [m.value for m in at.markdown if "→" in m.value]
    assert offers and offers[0].startswith("10/03/2025 **Checking** → 10/03/2025 **Savings**"), offers
    picker = next(d for d in at.date_input if d.label == "Balance on")
    assert picker.proto.format == "DD/MM/YYYY" and "2025-" not in picker.help
    with app_env.scope() as s:
        (cand,) = transfers.find_candidates(s, user_id=alice.user_id)
        transfers.confirm_transfer(s, user_id=alice.user_id, out_transaction_id=cand.out_transaction_id,
                                   in_transaction_id=cand.in_transaction_id)
    at.run()
    (link,) = [o for o in at.selectbox(key="acct_tr_undo_id").options]
    assert link == "10/03/2025 Checking → Savings, $500.00"
    table = next(d for d in at.dataframe if d.key == "acct_tr_table")
    assert table.proto.columns and "DD/MM/YYYY" in str(table.proto.columns)


def test_weak_transfer_matches_are_kept_apart_and_can_still_be_confirmed(app_env):
    """Session 15: a same-amount pair with nothing else in common is not counted "to check"; it is listed
    behind a toggle and can still be confirmed. A likely one shows why."""
    from budgetwise.services import transfers

    alice = app_env.create_user()
    day = dt.date.today() - dt.timedelta(days=3)
    with app_env.scope() as s:
        chk = accounts.create_account(s, user_id=alice.user_id, name="Checking")
        sav = accounts.create_account(s, user_id=alice.user_id, name="Savings", kind="savings")
        rows = [(chk, "expense", "500", "TRANSFER TO SAVINGS"), (sav, "income", "500", "TRANSFER FROM CHECKING"),
                (chk, "expense", "20", "GIFT"), (sav, "income", "20", "DEPOSIT")]
        out, inn, gift, dep = (tx.add_transaction(s, user_id=alice.user_id, date=day, amount=a, kind=k, description=d,
                                                  account_id=acc.id, auto_categorize=False) for acc, k, a, d in rows)
    at = app_env.page(PAGE, user=alice)
    at.run()
    assert not at.exception
    assert any("(1 to check)" in str(e.label) for e in at.expander)
    assert any(c.value.startswith("Strong match: transfer or payment words") for c in at.caption)
    assert not [b for b in at.button if b.key == f"acct_tr_{gift.id}_{dep.id}"]
    at.toggle(key="acct_tr_maybe").set_value(True)
    at.run()
    assert any(c.value == "Weak match: the same day" for c in at.caption)
    at.button(key=f"acct_tr_{gift.id}_{dep.id}").click()
    at.run()
    assert not at.exception
    with app_env.scope() as s:
        assert [t.out_transaction_id for t in transfers.list_transfers(s, user_id=alice.user_id)] == [gift.id]
    assert at.button(key=f"acct_tr_{out.id}_{inn.id}")


def test_the_demo_account_shows_savings_and_one_transfer_to_check(app_env):
    """`budgetwise demo` / a demo visitor (session 15, demoacct): Checking and Savings, the confirmed transfers with
    their Undo, and the newest offered; confirming it leaves nothing to check."""
    from budgetwise.services import demo, transfers

    with app_env.scope() as s:
        principal, _count = demo.create_demo_account(s, settings=app_env.settings, email="demo-page@example.com")
        (offer,) = transfers.find_candidates(s, user_id=principal.user_id)
        confirmed = len(transfers.list_transfers(s, user_id=principal.user_id))
    at = app_env.page(PAGE, user=principal, timeout=60)
    at.run()
    assert not at.exception
    text = " ".join(str(m.value) for m in at.markdown) + " ".join(str(df.value) for df in at.dataframe)
    assert "Savings" in text and "Checking" in text
    section = next(e for e in at.expander if "Transfers between your accounts (1 to check)" in str(e.label))
    assert section.proto.expanded and confirmed >= 20
    at.button(key=f"acct_tr_{offer.out_transaction_id}_{offer.in_transaction_id}").click()
    at.run()
    assert not at.exception
    assert any("Transfers between your accounts (0 to check)" in str(e.label) for e in at.expander)
    with app_env.scope() as s:
        assert len(transfers.list_transfers(s, user_id=principal.user_id)) == confirmed + 1


def test_confirmed_transfers_are_a_paged_table_filtered_by_account_and_month_with_undo(app_env):
    """Session 16 (demoacct): the 20 newest transfers were 20 lines, each with its Undo. Now one table of 10 a page,
    newest date first, filtered by account and month, and Undo for the transfer chosen."""
    from budgetwise.services import demo, transfers

    with app_env.scope() as s:
        principal, _count = demo.create_demo_account(s, settings=app_env.settings, email="demo-table@example.com")
        every = transfers.transfer_page(s, user_id=principal.user_id, page_size=100)
    at = app_env.page(PAGE, user=principal, timeout=60)
    at.run()
    assert not at.exception and every.total >= 20
    table = next(d for d in at.dataframe if d.key == "acct_tr_table")
    assert list(table.value.columns) == ["Date", "From", "To", "Amount", "Description"]
    assert len(table.value) == 10 and set(table.value["From"]) == {"Checking"} and set(table.value["To"]) == {"Savings"}
    assert set(table.value["Amount"]) == {"$500.00"}
    pages = -(-every.total // 10)
    assert at.selectbox(key="acct_tr_f_account").value == "all" and at.selectbox(key="acct_tr_f_month").value == "all"
    assert at.selectbox(key="acct_tr_f_account").format_func("all") == "All accounts"
    assert at.number_input(key="acct_tr_page").label == f"Page (of {pages})"
    assert any(c.value == f"1–10 of {every.total}, newest first." for c in at.caption)
    assert not [b for b in at.button if str(b.key).startswith("acct_tr_undo_")]  # no button per transfer
    at.number_input(key="acct_tr_page").set_value(pages)
    at.run()
    last = next(d for d in at.dataframe if d.key == "acct_tr_table").value
    assert len(last) == every.total - 10 * (pages - 1)
    # a month: its one transfer; the page goes back to 1
    month = every.rows[3].date.replace(day=1)
    at.selectbox(key="acct_tr_f_month").set_value(month)
    at.run()
    assert not at.exception and at.number_input(key="acct_tr_page").value == 1
    assert len(next(d for d in at.dataframe if d.key == "acct_tr_table").value) == 1
    (option,) = at.selectbox(key="acct_tr_undo_id").options
    assert option.endswith("Checking → Savings, $500.00")
    # an account: Checking has every transfer; the month stays when it still has one
    with app_env.scope() as s:
        from budgetwise.services import accounts as acc

        checking = acc.find_account(s, user_id=principal.user_id, name="Checking").id
    at.selectbox(key="acct_tr_f_account").set_value(checking)
    at.run()
    assert at.selectbox(key="acct_tr_f_month").value == month
    # undo the transfer chosen
    assert at.button(key="acct_tr_undo").disabled  # nothing chosen yet
    at.selectbox(key="acct_tr_undo_id").set_value(every.rows[3].id)
    at.run()
    at.button(key="acct_tr_undo").click()
    at.run()
    assert not at.exception
    with app_env.scope() as s:
        assert transfers.transfer_page(s, user_id=principal.user_id).total == every.total - 1
    # the month filter falls back to all months when its only transfer is gone
    assert at.selectbox(key="acct_tr_f_month").value == "all"
    assert any("Transfers between your accounts (2 to check)" in str(e.label) for e in at.expander)


def test_the_demo_csv_imported_on_the_import_page_offers_its_transfers(app_env):
    """Session 17 (xferimp): the demo's CSV (two accounts, an account column, both halves of each transfer in
    Transfers) imported on the Import page: its rows go to Checking and Savings and every month's transfer is
    offered on the Accounts page (none was: both halves were in Transfers already, so never offered); as filed
    under Transfers, to link, not "to check" (session 29, trial29)."""
    from budgetwise.services import demo, exports, transfers

    frame = demo.to_frame(demo.demo_rows(months=3, seed=7))
    pairs = int(((frame["account"] == "Checking") & (frame["category"] == "Transfers")).sum())
    alice = app_env.create_user()
    at = app_env.page("pages/import_data.py", user=alice, timeout=60)
    at.run()
    at.file_uploader(key="imp_upload").set_value(("demo.csv", exports.to_csv_bytes(frame), "text/csv"))
    at.run()
    assert not at.exception
    next(b for b in at.button if str(b.label).startswith(f"Import {len(frame)}")).click()
    at.run()
    assert not at.exception
    names = {a.name for a in _accounts(app_env, alice)}
    assert {"Checking", "Savings"} <= names and pairs >= 2
    at = app_env.page(PAGE, user=alice, timeout=60)
    at.run()
    assert not at.exception
    assert any(f"Transfers between your accounts ({pairs} filed under Transfers, to link)" in str(e.label)
               for e in at.expander)
    with app_env.scope() as s:
        first = transfers.find_candidates(s, user_id=alice.user_id)[0]
    at.button(key=f"acct_tr_{first.out_transaction_id}_{first.in_transaction_id}").click()
    at.run()
    assert not at.exception
    assert any(f"Transfers between your accounts ({pairs - 1} filed under Transfers, to link)" in str(e.label)
               for e in at.expander)
    with app_env.scope() as s:
        assert len(transfers.list_transfers(s, user_id=alice.user_id)) == 1


def test_accounts_in_several_currencies_without_rates_make_one_warning_with_the_link(app_env):
    """Session 25 (trial25): a EUR user with accounts in AUD, CZK, HUF, SGD and USD and no rates read five warnings,
    each ending "Add the rate on the Profile page (exchange rates)." and none with a link; now one lists them all."""
    from budgetwise.services import profile

    alice = app_env.create_user()
    with app_env.scope() as s:
        profile.update_profile(s, user_id=alice.user_id, currency="EUR")
        for code in ("AUD", "CZK", "HUF"):
            accounts.create_account(s, user_id=alice.user_id, name=f"Konto {code}", currency=code, opening_balance="10")
    at = app_env.page(PAGE, user=alice)
    at.run()
    assert not at.exception
    assert len(at.warning) == 1
    warning = at.warning[0].value.replace("\\", "")
    assert "not included** in your net worth" in warning
    assert all(f"No {code} → EUR rate" in warning for code in ("AUD", "CZK", "HUF"))
    assert "Add the rate on the Profile page" not in warning
