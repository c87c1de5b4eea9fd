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
    assert "or change it on the Accounts page after" in _texts(at)
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
        # checking: only a checking account in the starter's currency takes the starter's place by hand (session 24, bal24)
        card = accounts.create_account(s, user_id=alice.user_id, name="Platinum Card", kind="checking")
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


BROKERS = (
    b"Date,Description,Amount,Account\n"
    b"2022-01-03,Salary,2000.00,ActivoBank\n"
    b"2022-01-05,Buy ETF,1000.00,Acme Capital\n"
    b"2022-01-06,Deposit,500.00,Trading 212\n"
)


def test_the_type_of_each_new_account_can_be_chosen_before_importing(app_env):
    """Session 24 (trial24): a budgeting-app export's brokers were created as checking accounts, so the cash-flow
    answers counted them as money to spend; the preview now offers a type box per new account (the guess first)."""
    alice = app_env.create_user()
    at = app_env.page(PAGE, user=alice)
    at.run()
    _upload(at, "bluecoins.csv", BROKERS)
    assert not at.exception
    assert "Types of the new accounts (3)" in [e.label for e in at.expander]
    boxes = {s.label: s for s in at.selectbox if s.key.startswith("imp_kind_")}
    assert {n: b.value for n, b in boxes.items()} == {"ActivoBank": "checking", "Acme Capital": "checking",
                                                      "Trading 212": "investment"}
    assert "choose another under “Types of the new accounts” before importing" in _texts(at)
    boxes["Acme Capital"].set_value("investment")
    at.run()
    assert not at.exception
    assert "**Acme Capital** (1 row, new, investment account)" in _texts(at)
    _click(at, "Import 3 transactions")
    assert not at.exception
    with app_env.scope() as s:
        kinds = dict(s.execute(select(Account.name, Account.kind).where(Account.user_id == alice.user_id)).all())
    assert kinds == {"ActivoBank": "checking", "Acme Capital": "investment", "Trading 212": "investment"}


HOSTILE = ("[Verify your bank](https://evil.example/x)", "![p](https://evil.example/p.png)", "**Bold** :red[r] $x^2$")


def test_a_files_account_names_show_as_typed_in_the_type_boxes(app_env):
    """Session 25 (sec25): a widget's label is Markdown with links and images, and each type box was labelled with the
    file's account name as it came: a crafted file's "[Verify your bank](https://…)" drew a link on the Import page
    and "![p](https://…)" loaded an image from elsewhere. The label is escaped (``md``) as every caption is; the
    choice still goes to the import under the name as typed."""
    from budgetwise.ui.format import md

    alice = app_env.create_user()
    at = app_env.page(PAGE, user=alice)
    at.run()
    rows = "".join(f'2024-03-0{i + 1},Shop {i},-1{i}.00,"{name}"\n' for i, name in enumerate(HOSTILE))
    _upload(at, "crafted.csv", ("Date,Description,Amount,Account\n" + rows).encode())
    assert not at.exception
    boxes = {s.label: s for s in at.selectbox if s.key.startswith("imp_kind_")}
    assert set(boxes) == {md(n) for n in HOSTILE}
    assert not any("](http" in label or "**Bold**" in label for label in boxes)
    boxes[md(HOSTILE[0])].set_value("investment")
    at.run()
    _click(at, "Import 3 transactions")
    assert not at.exception
    with app_env.scope() as s:
        kinds = dict(s.execute(select(Account.name, Account.kind).where(Account.user_id == alice.user_id)).all())
    assert kinds[HOSTILE[0]] == "investment" and kinds[HOSTILE[2]] == "checking"


def test_an_imports_file_name_shows_as_typed_in_the_undo_confirmation(app_env):
    """Session 25 (sec25): the undo's confirmation box was labelled with the file's name as it came: a file named
    "![p](https://…).csv" loaded an image from elsewhere on the Import page (a label is Markdown)."""
    from budgetwise.ui.format import md

    name = "![p](https://evil.example/p.png) [Verify](https://evil.example).csv"
    alice = app_env.create_user()
    at = app_env.page(PAGE, user=alice)
    at.run()
    _upload(at, name, b"Date,Description,Amount\n2024-03-01,First,-1.00\n")
    _click(at, "Import 1 transaction")
    assert not at.exception
    [box] = [c for c in at.checkbox if str(c.label).startswith("Yes, delete")]
    assert md(name) in box.label and "](https" not in box.label


def test_the_guess_is_said_once_and_the_history_names_each_imports_accounts(app_env):
    """Session 26 (trial26): the Import page said twice that a new account's type is guessed from its name (the
    expander's caption and the note below the accounts); Import History had no account column. The history names
    the accounts an import's rows are in now, most rows first (Bob, who imported nothing, sees none of them)."""
    from budgetwise.services import importing

    alice = app_env.create_user()
    at = app_env.page(PAGE, user=alice)
    at.run()
    _upload(at, "bluecoins.csv", BROKERS)
    assert not at.exception
    assert _texts(at).count("guessed from its name") == 1
    _click(at, "Import 3 transactions")
    at = app_env.page(PAGE, user=alice)
    at.run()
    _upload(at, "household.csv", HOUSEHOLD)
    _click(at, "Import 4 transactions")
    assert not at.exception
    history = next(d for d in at.dataframe if "Still there" in d.value.columns).value
    assert list(history["File"]) == ["household.csv", "bluecoins.csv"]
    assert list(history["Account"]) == ["Checking, ActivoBank, Visa", "Acme Capital, ActivoBank, Trading 212"]
    bob = app_env.create_user("bob@example.com", "Bob")
    with app_env.scope() as s:
        assert importing.list_import_batches(s, user_id=bob.user_id) == []
        (one, two) = importing.list_import_batches(s, user_id=alice.user_id)
        assert one.accounts == ("Checking", "ActivoBank", "Visa") and two.accounts_text == "Acme Capital, ActivoBank, Trading 212"
