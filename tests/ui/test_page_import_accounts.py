"""Import page (issue #19): a file's account column, in words under the "Account" box (AppTest)."""

from __future__ import annotations

from sqlalchemy import func, select

from budgetwise.models import Account
from tests.ui.test_page_import import PAGE, _click, _texts, _upload

HOUSEHOLD = (
    b"Date,Description,Amount,Account\n"
    b"2024-03-01,Grocer,-12.50,Checking\n"
    b"2024-03-02,Salary,1000.00,Checking\n"
    b"2024-03-03,Diner,-30.00,Visa\n"
    b"2024-03-04,Cash,-5.00,\n"
)


def test_the_preview_says_which_accounts_the_rows_go_to(app_env):
    alice = app_env.create_user()
    at = app_env.page(PAGE, user=alice)
    at.run()
    _upload(at, "household.csv", HOUSEHOLD)
    assert not at.exception
    box = next(s for s in at.selectbox if s.label == "Account")
    assert box.format_func(box.value) == "The accounts the file's Account column names"
    # each new account with the type it gets (guessed from its name) and where to change it
    assert ("The rows go to **Checking** (2 rows, new, checking account); **Main account** (1 row, rows without an "
            "account); **Visa** (1 row, new, credit card account).") in _texts(at)
    assert "you can change it on the Accounts page" in _texts(at)
    _click(at, "Import 4 transactions")
    assert not at.exception
    with app_env.scope() as s:
        kinds = dict(s.execute(select(Account.name, Account.kind).where(Account.user_id == alice.user_id)).all())
    assert set(kinds) == {"Main account", "Checking", "Visa"}
    assert (kinds["Checking"], kinds["Visa"]) == ("checking", "credit_card")  # what the preview said


def test_an_account_chosen_in_the_box_takes_every_row_and_the_page_says_so(app_env):
    from budgetwise.services import accounts

    alice = app_env.create_user()
    with app_env.scope() as s:
        joint = accounts.create_account(s, user_id=alice.user_id, name="Joint").id
    at = app_env.page(PAGE, user=alice)
    at.run()
    _upload(at, "household.csv", HOUSEHOLD)
    next(s for s in at.selectbox if s.label == "Account").set_value(joint)
    at.run()
    assert not at.exception
    text = _texts(at)
    assert "The account chosen for this import, Joint, takes every row" in text
    assert "Checking, Visa" in text
    _click(at, "Import 4 transactions")
    with app_env.scope() as s:
        assert s.scalar(select(func.count()).select_from(Account).where(Account.user_id == alice.user_id)) == 1


def test_each_account_is_listed_once_and_a_new_account_can_be_made_for_the_file(app_env):
    """Session 16 (newuser): the picker read "Platinum Card (default)" and "Platinum Card" (the automatic
    choice names the default account, which was listed again), and had no way to make a new account."""
    from budgetwise.models import Transaction
    from budgetwise.services import accounts

    alice = app_env.create_user()
    with app_env.scope() as s:
        card = accounts.create_account(s, user_id=alice.user_id, name="Platinum Card", kind="credit_card",
                                       replace_starter=True)  # the default, as before session 24 (by hand: beside)
        accounts.create_account(s, user_id=alice.user_id, name="Silver Card", kind="credit_card")
    at = app_env.page(PAGE, user=alice)
    at.run()
    _upload(at, "plain.csv", b"Date,Description,Amount\n2024-03-01,Books,-12.00\n")
    [box] = [s for s in at.selectbox if s.key.startswith("imp_account_")]
    labels = list(box.options)  # as shown
    assert labels[0] == "Platinum Card (your default account)" and labels[-1] == "New account…"
    assert labels.count("Platinum Card") == 0 and "Silver Card" in labels
    assert card.name == "Platinum Card"
    # a new account: the accounts service's checks (an empty name is refused, nothing written)
    box.set_value(-1)
    at.run()
    next(b for b in at.button if b.label == "Create account").click()
    at.run()
    assert at.error and _count_accounts(app_env, alice) == 2
    at.text_input(key=next(t.key for t in at.text_input if t.label == "Name of the new account")).set_value("Travel card")
    next(b for b in at.button if b.label == "Create account").click()
    at.run()
    assert not at.exception and _count_accounts(app_env, alice) == 3
    [box] = [s for s in at.selectbox if s.key.startswith("imp_account_")]
    assert box.format_func(box.value) == "Travel card"
    assert box.format_func(None) == "Automatic: your default account"
    _click(at, "Import 1 transaction")
    with app_env.scope() as s:
        travel = s.scalar(select(Account.id).where(Account.user_id == alice.user_id, Account.name == "Travel card"))
        assert s.scalar(select(Transaction.account_id).where(Transaction.user_id == alice.user_id)) == travel


def _count_accounts(app_env, user) -> int:
    with app_env.scope() as s:
        return int(s.scalar(select(func.count()).select_from(Account).where(
            Account.user_id == user.user_id, Account.is_archived.is_(False))))


def test_import_waits_while_a_new_account_is_chosen_but_not_made(app_env):
    """Session 18 (newuser, in Chromium): with "New account…" chosen and its form not sent, Import put the rows in
    the automatic account (the default) while the box showed "New account…". The button now waits for the account."""
    from budgetwise.models import Transaction

    alice = app_env.create_user()
    at = app_env.page(PAGE, user=alice)
    at.run()
    _upload(at, "plain.csv", b"Date,Description,Amount\n2024-03-01,Books,-12.00\n")
    next(s for s in at.selectbox if s.key.startswith("imp_account_")).set_value(-1)
    at.run()
    button = next(b for b in at.button if str(b.label).startswith("Import 1 transaction"))
    assert button.disabled
    assert "Create the new account above first" in _texts(at)
    at.text_input(key=next(t.key for t in at.text_input if t.label == "Name of the new account")).set_value("Travel card")
    next(b for b in at.button if b.label == "Create account").click()
    at.run()
    assert not next(b for b in at.button if str(b.label).startswith("Import 1 transaction")).disabled
    assert "Create the new account above first" not in _texts(at)
    _click(at, "Import 1 transaction")
    with app_env.scope() as s:
        travel = s.scalar(select(Account.id).where(Account.user_id == alice.user_id, Account.name == "Travel card"))
        assert s.scalar(select(Transaction.account_id).where(Transaction.user_id == alice.user_id)) == travel
