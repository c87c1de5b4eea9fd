"""A file's account column puts each row into the account it names (issue #19): existing accounts by
name (any case and spacing), new ones created in the import's transaction, an explicit choice wins,
re-importing creates nothing twice, a failure leaves nothing, undo removes the empty accounts it created."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from budgetwise.errors import ImportFileError, ValidationError
from budgetwise.importing import ImportOptions
from budgetwise.models import Account, ImportBatch, Transaction
from budgetwise.services import accounts
from budgetwise.services import importing as svc
from budgetwise.services.importing import commit as commit_module

CSV = (
    b"Date,Description,Amount,Account\n"
    b"2024-03-01,Grocer,-12.50,Checking\n"
    b"2024-03-02,Salary,1000.00, checking \n"
    b"2024-03-03,Diner,-30.00,Visa\n"
    b"2024-03-04,Rent,-500.00,Checking\n"
    b"2024-03-05,Cash out,-20.00,\n"
)


def _by_account(session, user_id: int, batch_id: int) -> dict[str, int]:
    rows = session.execute(
        select(Account.name, func.count()).join(Transaction, Transaction.account_id == Account.id)
        .where(Transaction.user_id == user_id, Transaction.import_batch_id == batch_id).group_by(Account.name)
    ).all()
    return {n: int(c) for n, c in rows}


def _names(session, user_id: int) -> list[str]:
    return [a.name for a in accounts.list_accounts(session, user_id=user_id, include_archived=True)]


def test_rows_go_to_the_accounts_the_file_names_and_the_preview_says_so(session, alice):
    uid = alice.user_id
    accounts.create_account(session, user_id=uid, name="Savings")  # takes the unused starter's place
    checking = accounts.create_account(session, user_id=uid, name="CHECKING")
    default = accounts.default_account_id(session, user_id=uid)
    preview = svc.preview_import(session, user_id=uid, data=CSV, filename="a.csv")
    assert preview.accounts_from_file and "change it on the Accounts page" in preview.accounts_note
    shares = {(s.name, s.rows, s.new, s.from_file, s.kind) for s in preview.accounts}
    default_name = accounts.get_account(session, user_id=uid, account_id=default).name
    assert shares == {("CHECKING", 3, False, True, ""), ("Visa", 1, True, True, "credit_card"),
                      (default_name, 1, False, False, "")}
    # the preview names the type a new account gets (the one the commit below creates)
    assert [s.new_label for s in preview.accounts if s.new] == ["new, credit card account"]
    assert "Visa" not in _names(session, uid)  # the preview creates nothing
    result = svc.commit_import(session, user_id=uid, data=CSV, filename="a.csv", preview=preview)
    assert _by_account(session, uid, result.batch_id) == {"CHECKING": 3, "Visa": 1, default_name: 1}
    visa = accounts.find_account(session, user_id=uid, name="visa")
    assert (visa.kind, visa.currency) == ("credit_card", "USD")  # the name suggests the type (the user can change it)
    assert checking.id != visa.id
    assert svc.batch_accounts(session, user_id=uid, batch_id=result.batch_id)[0] == ("CHECKING", 3)
    assert svc.preview_import(session, user_id=uid, data=CSV, filename="a.csv").accounts_note == ""  # nothing new
    # the file's text stays on each row
    assert set(session.scalars(select(Transaction.account).where(Transaction.import_batch_id == result.batch_id))) \
        == {"Checking", "checking", "Visa", None}


def test_reimporting_creates_no_second_set_and_undo_removes_the_empty_accounts_it_created(session, alice):
    uid = alice.user_id
    first = svc.commit_import(session, user_id=uid, data=CSV, filename="a.csv")
    names = _names(session, uid)
    assert {"Checking", "Visa"} <= set(names)
    again = svc.preview_import(session, user_id=uid, data=CSV, filename="a.csv")
    assert again.accounts == () and again.rows_new == 0
    second = svc.commit_import(session, user_id=uid, data=CSV, filename="a.csv")
    assert second.rows_imported == 0 and _names(session, uid) == names
    undone = svc.undo_import(session, user_id=uid, batch_id=first.batch_id)
    # the accounts it created go with it (session 18: they stayed, empty); the starter that held the blank row stays
    assert undone.removed_accounts == ("Checking", "Visa") and _names(session, uid) == ["Main account"]
    third = svc.commit_import(session, user_id=uid, data=CSV, filename="b.csv")
    assert sorted(_names(session, uid)) == sorted(names) and _by_account(session, uid, third.batch_id)["Visa"] == 1


def test_a_file_without_blank_rows_lets_its_first_account_replace_the_unused_starter(session, alice):
    uid = alice.user_id
    data = b"Date,Description,Amount,Account\n2024-03-01,Grocer,-12.50,Checking\n2024-03-02,Diner,-3.00,Visa\n"
    svc.commit_import(session, user_id=uid, data=data, filename="a.csv")
    assert sorted(_names(session, uid)) == ["Checking", "Visa"]  # no empty "Main account" left behind


def test_an_explicit_choice_wins_and_the_preview_says_so(session, alice):
    uid = alice.user_id
    card = accounts.create_account(session, user_id=uid, name="Card", kind="credit_card")
    options = ImportOptions(account_id=card.id)
    preview = svc.preview_import(session, user_id=uid, data=CSV, filename="a.csv", options=options)
    assert not preview.accounts_from_file
    assert [(s.name, s.rows) for s in preview.accounts] == [("Card", 5)]
    assert "Card" in preview.accounts_note and "Checking, Visa" in preview.accounts_note
    result = svc.commit_import(session, user_id=uid, data=CSV, filename="a.csv", options=options)
    assert _by_account(session, uid, result.batch_id) == {"Card": 5}
    assert "Visa" not in _names(session, uid)


def test_earlier_rows_with_the_value_keep_their_account(session, alice):
    """Rows imported before (their account text kept, in the default account) stay together."""
    uid = alice.user_id
    default = accounts.default_account_id(session, user_id=uid)
    old = b"Date,Description,Amount,Konto\n2024-02-01,Grocer,-1.00,NL12RABO0123456789\n"
    svc.commit_import(session, user_id=uid, data=old, filename="feb.csv", options=ImportOptions(account_id=default))
    new = old.replace(b"2024-02-01", b"2024-03-01")
    result = svc.commit_import(session, user_id=uid, data=new, filename="mar.csv")
    assert set(session.scalars(select(Transaction.account_id).where(Transaction.import_batch_id == result.batch_id))) \
        == {default}
    assert len(_names(session, uid)) == 1


def test_a_failure_in_the_middle_removes_the_accounts_it_created(session, alice, monkeypatch):
    uid = alice.user_id
    before = _names(session, uid)

    def boom(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(commit_module, "_insert_rows", boom)
    with pytest.raises(RuntimeError):
        svc.commit_import(session, user_id=uid, data=CSV, filename="a.csv")
    assert _names(session, uid) == before
    assert session.scalar(select(func.count()).select_from(ImportBatch).where(ImportBatch.user_id == uid)) == 0


def test_an_archived_account_named_by_the_file_is_refused_with_nothing_written(session, alice):
    uid = alice.user_id
    visa = accounts.create_account(session, user_id=uid, name="Visa")
    accounts.create_account(session, user_id=uid, name="Other")
    accounts.archive_account(session, user_id=uid, account_id=visa.id)
    preview = svc.preview_import(session, user_id=uid, data=CSV, filename="a.csv")
    assert "archived" in preview.accounts_note and "Visa" in preview.accounts_note
    with pytest.raises(ImportFileError, match="archived account “Visa”"):
        svc.commit_import(session, user_id=uid, data=CSV, filename="a.csv")
    assert "Checking" not in _names(session, uid)
    assert session.scalar(select(func.count()).select_from(Transaction).where(Transaction.user_id == uid)) == 0


def test_a_column_with_too_many_values_is_refused(session, alice):
    rows = "".join(f"2024-03-01,Shop {i},-1.00,Ref{i:04d}\n" for i in range(accounts.MAX_NEW_IMPORT_ACCOUNTS + 1))
    data = ("Date,Description,Amount,Account\n" + rows).encode()
    preview = svc.preview_import(session, user_id=alice.user_id, data=data, filename="a.csv")  # shown, not raised
    assert "looks like the wrong column" in preview.accounts_note
    with pytest.raises(ValidationError, match="looks like the wrong column"):
        svc.commit_import(session, user_id=alice.user_id, data=data, filename="a.csv")
    assert len(_names(session, alice.user_id)) == 1


def test_a_running_balance_of_several_accounts_is_not_reconciled(session, alice):
    uid = alice.user_id
    data = (b"Date,Description,Amount,Account,Balance\n2024-03-01,Grocer,-12.50,Checking,987.50\n"
            b"2024-03-02,Diner,-3.00,Visa,984.50\n")
    preview = svc.preview_import(session, user_id=uid, data=data, filename="a.csv")
    recon = preview.reconciliation
    if recon is not None:  # the file states a balance: one account's check cannot be made
        assert recon.difference_minor is None and recon.account_id is None
        assert "several accounts" in recon.message
    one = data.replace(b",Visa,", b",Checking,")
    recon = svc.preview_import(session, user_id=uid, data=one, filename="b.csv").reconciliation
    if recon is not None:  # one account named by the file: reconciled against it
        assert recon.account_name == "Checking"


def test_the_preview_looks_the_files_accounts_up_once(session, alice, monkeypatch):
    """The target, the shares and the reconciliation's several-accounts check read one resolved
    routing (they looked the accounts up three times; four with a one-account balance file)."""
    from budgetwise.services.importing import routing

    calls: list[int] = []
    real = routing.lookup
    monkeypatch.setattr(routing, "lookup", lambda *a, **k: calls.append(1) or real(*a, **k))
    uid = alice.user_id
    several = (b"Date,Description,Amount,Account,Balance\n2024-03-01,Grocer,-12.50,Checking,987.50\n"
               b"2024-03-02,Diner,-3.00,Visa,984.50\n")
    preview = svc.preview_import(session, user_id=uid, data=several, filename="a.csv")
    assert len(calls) == 1
    assert {s.name for s in preview.accounts} == {"Checking", "Visa"}
    assert preview.reconciliation is not None and "several accounts" in preview.reconciliation.message
    calls.clear()
    one = several.replace(b",Visa,", b",Checking,")
    preview = svc.preview_import(session, user_id=uid, data=one, filename="b.csv")
    assert len(calls) == 1
    assert (preview.account_name, preview.account_new) == ("Checking", True)
    assert preview.reconciliation is not None and preview.reconciliation.account_name == "Checking"
    calls.clear()
    chosen = svc.preview_import(session, user_id=uid, data=CSV, filename="c.csv",
                                options=ImportOptions(account_id=accounts.default_account_id(session, user_id=uid)))
    assert calls == [] and not chosen.accounts_from_file  # an account chosen for the import: no lookup at all


@pytest.mark.parametrize(("name", "kind"), [
    ("Savings", "savings"), ("Tagesgeldkonto", "savings"), ("Livret A", "savings"), ("Visa Gold", "credit_card"),
    ("Cash", "cash"), ("Mortgage", "loan"), ("ActivoBank", "checking"), ("Girokonto", "checking"),
    ("Pret a manger", "checking"), ("", "checking"),
    ("Platinum Card", "credit_card"), ("Silver Card", "credit_card"), ("Store cards", "credit_card"),
    ("Debit Card", "checking"), ("Cash card", "checking"), ("ATM card", "checking"), ("Girokarte", "checking"),
])
def test_an_imported_accounts_type_is_guessed_from_its_name(name, kind):
    assert accounts.guess_kind(name) == kind


@pytest.mark.parametrize(("name", "kind"), [
    # a type word beats a card network's or issuer's name (session 15 review: "discover" and "… Card" were added to
    # the credit-card words, which came first, so Discover's and Amex's savings accounts became credit cards)
    ("Discover Savings", "savings"), ("Amex Savings", "savings"), ("Amex High Yield Savings", "savings"),
    # a debit card draws on a checking account, whichever network it runs on (docs/accounts.md)
    ("Visa Debit", "checking"), ("Debit Mastercard", "checking"), ("ANZ Visa Debit", "checking"),
    # still credit cards
    ("Discover It", "credit_card"), ("Amex Cash Magnet", "credit_card"), ("Visa Credit Card", "credit_card"),
    ("Mastercard", "credit_card"),
])
def test_a_type_word_beats_a_card_brand_in_the_guess(name, kind):
    assert accounts.guess_kind(name) == kind


def test_an_import_creates_a_savings_account_a_goal_can_follow(session, alice):
    """QA: an imported "Savings" account was always checking, so no goal could follow it."""
    from budgetwise.services import goal_accounts

    data = b"Date,Description,Amount,Account\n2024-03-01,Transfer in,100.00,Savings\n2024-03-02,Grocer,-5.00,Main\n"
    svc.commit_import(session, user_id=alice.user_id, data=data, filename="s.csv")
    assert [a.name for a in goal_accounts.linkable_accounts(session, user_id=alice.user_id)] == ["Savings"]
    assert accounts.find_account(session, user_id=alice.user_id, name="Main").kind == "checking"


def test_the_export_names_each_rows_account_so_a_reimport_puts_rows_back_where_they_were(session, alice, bob):
    """QA (browser, admin page): rows typed in by hand had an empty "Account" in the CSV export and the
    admin's oversight (only the file's label was exported), and a renamed account kept its old name
    there; a re-import of the export then put every such row in the default account."""
    import datetime as dt

    from budgetwise.services import admin, exports
    from budgetwise.services import transactions as tx

    uid = alice.user_id
    checking = accounts.create_account(session, user_id=uid, name="Everyday checking")
    savings = accounts.create_account(session, user_id=uid, name="Rainy day", kind="savings")
    day = dt.date(2024, 3, 1)
    tx.add_transaction(session, user_id=uid, date=day, amount="7.20", kind="expense", description="Corner shop",
                       account_id=checking.id)
    tx.add_transaction(session, user_id=uid, date=day, amount="300", kind="income", description="Top-up",
                       account_id=savings.id)
    svc.commit_import(session, user_id=uid, data=CSV, filename="a.csv")  # labelled rows: "Checking", "Visa", ...
    accounts.rename_account(session, user_id=uid, account_id=accounts.find_account(session, user_id=uid, name="Visa").id,
                            name="Visa gold")
    frame = exports.transactions_export_frame(session, user_id=uid)
    by_description = dict(zip(frame["description"], frame["account"]))
    assert by_description["Top-up"] == "Rainy day" and by_description["Diner"] == "Visa gold"
    assert by_description["Corner shop"] == "Everyday checking" and by_description["Grocer"] == "Checking"
    assert "" not in set(frame["account"])  # the file's unlabelled row is in the default account, named too
    # bob re-imports alice's export: every row lands in an account of the name it was in
    result = svc.commit_import(session, user_id=bob.user_id, data=exports.to_csv_bytes(frame), filename="export.csv")
    landed = _by_account(session, bob.user_id, result.batch_id)
    assert (landed["Rainy day"], landed["Visa gold"], landed["Everyday checking"]) == (1, 1, 2)  # + "Cash out"
    # the admin's oversight table and its CSV name the account the same way
    assert alice.is_admin  # the first user
    mine = admin.OversightFilter(user_id=uid)
    admin_rows = admin.list_all_transactions(session, principal=alice, filters=mine)
    assert {r.description: r.account for r in admin_rows.rows}["Top-up"] == "Rainy day"
    assert b"Rainy day" in admin.export_all_transactions_csv(session, principal=alice, filters=mine)

