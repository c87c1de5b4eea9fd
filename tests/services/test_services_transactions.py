import datetime as dt
from decimal import Decimal

import pytest
from sqlalchemy import select

from budgetwise.errors import NotFoundError, ValidationError
from budgetwise.models import Transaction
from budgetwise.services import transactions as tx
from budgetwise.services.auth import data_version
from budgetwise.services.categories import find_category_by_name


def add(session, user, **kw):
    base = dict(date=dt.date(2025, 1, 15), amount="10.00", kind="expense", description="Coffee")
    base.update(kw)
    return tx.add_transaction(session, user_id=user.user_id, **base)


@pytest.mark.parametrize("text, minor", [("12.50", 1250), ("1,234.56", 123456), ("0.01", 1), (Decimal("7.1"), 710), ("3", 300)])
def test_amounts_are_exact_minor_units(db, session, alice, text, minor):
    assert add(session, alice, amount=text).amount_minor == minor


@pytest.mark.parametrize(
    "amount, message",
    [("0", "more than zero"), ("-3", "positive"), ("abc", "not a number"), ("12abc", "not a number"),
     ("1e9999", "not a number"), ("5000000000", "implausibly large"), ("1.234", "decimal places"), (1.5, "float")],
)
def test_bad_amounts_are_refused(db, session, alice, amount, message):
    with pytest.raises(ValidationError, match=message):
        add(session, alice, amount=amount)
    assert tx.count_transactions(session, user_id=alice.user_id) == 0


@pytest.mark.parametrize("day", [dt.date(1800, 1, 1), dt.date(2999, 1, 1), "not-a-date"])
def test_absurd_dates_are_refused(db, session, alice, day):
    with pytest.raises(ValidationError):
        add(session, alice, date=day)


def test_kind_must_be_income_or_expense(db, session, alice):
    with pytest.raises(ValidationError, match="income or expense"):
        add(session, alice, kind="transfer")


def test_locale_decides_ambiguous_separators(db, session, alice):
    from budgetwise.services.profile import update_profile

    update_profile(session, user_id=alice.user_id, locale="de_DE")
    assert add(session, alice, amount="1.234", currency="EUR").amount_minor == 123400
    assert add(session, alice, amount="12,50", currency="EUR").amount_minor == 1250


def test_jpy_has_no_minor_digits(db, session, alice):
    t = add(session, alice, amount="1500", currency="JPY")
    assert (t.amount_minor, t.currency) == (1500, "JPY")
    with pytest.raises(ValidationError, match="decimal places"):
        add(session, alice, amount="10.5", currency="JPY")


def test_manual_category_sticks_and_is_marked(db, session, alice):
    dining = find_category_by_name(session, user_id=alice.user_id, name="Dining")
    t = add(session, alice, category_id=dining.id)
    assert (t.category_name, t.category_manual, t.category_source) == ("Dining", True, "manual")


def test_list_is_newest_first_and_paginated(db, session, alice):
    for i in range(7):
        add(session, alice, date=dt.date(2025, 1, 1) + dt.timedelta(days=i), description=f"row {i}", auto_categorize=False)
    page1 = tx.list_transactions(session, user_id=alice.user_id, page=1, page_size=3)
    page3 = tx.list_transactions(session, user_id=alice.user_id, page=3, page_size=3)
    assert [r.description for r in page1.rows] == ["row 6", "row 5", "row 4"]
    assert [r.description for r in page3.rows] == ["row 0"]
    assert (page1.total, page1.pages) == (7, 3)
    # out-of-range pages are clamped
    assert tx.list_transactions(session, user_id=alice.user_id, page=99, page_size=3).page == 3


def test_filters(db, session, alice):
    dining = find_category_by_name(session, user_id=alice.user_id, name="Dining")
    add(session, alice, date=dt.date(2025, 1, 1), description="Lunch 50% off_", category_id=dining.id)
    add(session, alice, date=dt.date(2025, 2, 1), description="Salary", kind="income", amount="3000", auto_categorize=False)
    add(session, alice, date=dt.date(2025, 3, 1), description="Mystery", auto_categorize=False)
    f = tx.TransactionFilter
    names = lambda flt: [r.description for r in tx.list_transactions(session, user_id=alice.user_id, filters=flt).rows]
    assert names(f(kind="income")) == ["Salary"]
    assert names(f(date_from=dt.date(2025, 2, 1), date_to=dt.date(2025, 2, 28))) == ["Salary"]
    assert names(f(category_ids=(dining.id,))) == ["Lunch 50% off_"]
    assert names(f(text="50%")) == ["Lunch 50% off_"]
    assert names(f(text="%")) == ["Lunch 50% off_"]  # LIKE wildcards are literal
    assert names(f(text="MYST")) == ["Mystery"]


def test_update_and_delete(db, session, alice):
    t = add(session, alice)
    v0 = data_version(session, user_id=alice.user_id)
    u = tx.update_transaction(session, user_id=alice.user_id, transaction_id=t.id, amount="11.25", description="Tea")
    assert (u.amount_minor, u.description) == (1125, "Tea")
    assert data_version(session, user_id=alice.user_id) > v0
    tx.delete_transaction(session, user_id=alice.user_id, transaction_id=t.id)
    assert tx.count_transactions(session, user_id=alice.user_id) == 0


def test_period_summary_excludes_transfers(db, session, alice):
    transfers = find_category_by_name(session, user_id=alice.user_id, name="Transfers")
    add(session, alice, amount="100", kind="income", description="Pay", auto_categorize=False)
    add(session, alice, amount="30", description="Food", auto_categorize=False)
    add(session, alice, amount="500", description="To savings", category_id=transfers.id)
    add(session, alice, amount="7", description="Abroad", currency="EUR", auto_categorize=False)
    summary = tx.period_summary(session, user_id=alice.user_id, date_from=dt.date(2025, 1, 1), date_to=dt.date(2025, 1, 31))
    assert (summary.income_minor, summary.expense_minor, summary.net_minor) == (10000, 3000, 7000)
    assert summary.other_currencies == ("EUR",)


# ------------------------------------------------------------------ isolation
def test_other_users_ids_are_refused_and_data_unchanged(db, session, alice, bob):
    mine = add(session, alice, description="Alice only")
    attempts = [
        lambda: tx.get_transaction(session, user_id=bob.user_id, transaction_id=mine.id),
        lambda: tx.update_transaction(session, user_id=bob.user_id, transaction_id=mine.id, amount="1"),
        lambda: tx.delete_transaction(session, user_id=bob.user_id, transaction_id=mine.id),
        lambda: tx.delete_transactions(session, user_id=bob.user_id, transaction_ids=[mine.id]),
        lambda: tx.set_category_bulk(session, user_id=bob.user_id, transaction_ids=[mine.id], category_id=None),
    ]
    for attempt in attempts:
        with pytest.raises(NotFoundError):
            attempt()
    assert tx.list_transactions(session, user_id=bob.user_id).total == 0
    again = tx.get_transaction(session, user_id=alice.user_id, transaction_id=mine.id)
    assert (again.amount_minor, again.description) == (1000, "Alice only")


def test_bulk_delete_with_one_foreign_id_deletes_nothing(db, session, alice, bob):
    a = add(session, alice)
    b1 = add(session, bob)
    b2 = add(session, bob)
    with pytest.raises(NotFoundError):
        tx.delete_transactions(session, user_id=bob.user_id, transaction_ids=[b1.id, b2.id, a.id])
    assert tx.count_transactions(session, user_id=bob.user_id) == 2
    assert tx.count_transactions(session, user_id=alice.user_id) == 1


def test_user_cannot_use_another_users_category(db, session, alice, bob):
    from budgetwise.models import Category

    private = Category(user_id=alice.user_id, name="Alice private", kind="expense")
    session.add(private)
    session.flush()
    with pytest.raises(NotFoundError):
        add(session, bob, category_id=private.id)


def test_fingerprint_and_merchant_are_stored(db, session, alice):
    t = add(session, alice, description="CARD PAYMENT STARBUCKS 1234 12/03")
    row = session.scalar(select(Transaction).where(Transaction.id == t.id))
    assert len(row.fingerprint) == 64
    assert row.merchant == "card payment starbucks"


def test_a_new_transaction_is_offered_the_categories_of_its_kind_and_transfers():
    """Issue 15: the rule was written in the Transactions page's add form."""
    from budgetwise.services.categories import CategoryView, usable_for

    cats = [CategoryView(i, name, kind, "#000000", True, False) for i, (name, kind) in enumerate(
        [("Salary", "income"), ("Rent", "expense"), ("Savings", "transfer"), ("Food", "expense"), ("Gifts", "income")])]
    assert [c.name for c in usable_for(cats, "expense")] == ["Rent", "Savings", "Food"]
    assert [c.name for c in usable_for(cats, "income")] == ["Salary", "Savings", "Gifts"]


def test_a_row_shows_the_name_of_the_account_it_is_in(db, session, alice):
    """QA: rows imported into an account chosen on the import page (no Account column in the file)
    showed an empty Account in the Transactions table: it showed only the label the file gave."""
    from budgetwise.services import accounts

    savings = accounts.create_account(session, user_id=alice.user_id, name="Savings")
    add(session, alice, account_id=savings.id, description="interest")
    row = tx.list_transactions(session, user_id=alice.user_id).rows[0]
    assert (row.account_id, row.account_name, row.account) == (savings.id, "Savings", None)
    assert tx.get_transaction(session, user_id=alice.user_id, transaction_id=row.id).account_name == "Savings"


def test_date_refusals_write_dates_in_the_users_format(session, alice):
    """Session 16: "1949-12-31 is implausibly old" whatever the user's date format; adding and editing now word the
    refusal in the user's format and locale (dates.day_text), as the rest of the app. Nothing is written."""
    from budgetwise.dates import max_transaction_date
    from budgetwise.services.profile import update_profile

    update_profile(session, user_id=alice.user_id, locale="de_DE", date_format="%d %b %Y")
    with pytest.raises(ValidationError) as err:
        add(session, alice, date=dt.date(1949, 12, 31))
    assert err.value.message == "31 Dez. 1949 is implausibly old (dates before 1950 are refused)."
    assert err.value.field == "date"
    update_profile(session, user_id=alice.user_id, date_format="%m/%d/%Y")
    t = add(session, alice)
    late = max_transaction_date() + dt.timedelta(days=1)
    with pytest.raises(ValidationError) as err:
        tx.update_transaction(session, user_id=alice.user_id, transaction_id=t.id, date=late)
    assert err.value.message == (f"{late:%m/%d/%Y} is too far in the future "
                                 f"(the latest accepted date is {max_transaction_date():%m/%d/%Y}).")
    assert tx.get_transaction(session, user_id=alice.user_id, transaction_id=t.id).date == dt.date(2025, 1, 15)


def test_a_transaction_added_by_hand_past_the_per_account_limit_is_refused(db, session, alice, bob, monkeypatch):
    """Session 21 (sec21): the per-account ceiling (``limits.MAX_TRANSACTIONS_PER_USER``) was checked only when an
    import was committed, so a script adding rows one at a time through "Add transaction" stored without end.
    The row that would pass it is refused with the numbers and nothing is written; another user is not affected."""
    from budgetwise.errors import ConflictError
    from budgetwise.importing import limits

    monkeypatch.setattr(limits, "MAX_TRANSACTIONS_PER_USER", 2)
    add(session, alice)
    add(session, alice, description="Tea")  # reaching the limit exactly is allowed
    with pytest.raises(ConflictError, match=r"This account holds 2 transactions; the limit is 2\."):
        add(session, alice, description="Cake")
    assert tx.count_transactions(session, user_id=alice.user_id) == 2
    add(session, bob)  # the limit is per account
    assert tx.count_transactions(session, user_id=bob.user_id) == 1


# ------------------------------------------------------------------ undo of the last delete (session 21)
def test_a_delete_is_undone_with_every_stored_value_back(db, session, alice):
    from budgetwise.services import accounts

    savings = accounts.create_account(session, user_id=alice.user_id, name="Savings", kind="savings")
    dining = find_category_by_name(session, user_id=alice.user_id, name="Dining")
    a = add(session, alice, description="Bistro", category_id=dining.id, notes="with Bob", account_id=savings.id)
    b = add(session, alice, description="Pay", kind="income", amount="2500", auto_categorize=False)
    keep = add(session, alice, description="Kept")
    cols = ("date", "amount_minor", "currency", "kind", "description", "merchant", "notes", "account_id",
            "category_id", "category_manual", "category_source", "source", "fingerprint", "created_at")

    def values(t):
        row = session.get(Transaction, t.id)
        return tuple(getattr(row, c) for c in cols)

    before = sorted([values(a), values(b)])
    v0 = data_version(session, user_id=alice.user_id)
    deleted = tx.delete_for_undo(session, user_id=alice.user_id, transaction_ids=[a.id, b.id])
    assert deleted.count == 2 and deleted.transfers_undone == 0
    assert tx.count_transactions(session, user_id=alice.user_id) == 1
    assert tx.restore_deleted(session, user_id=alice.user_id, deleted=deleted) == 2
    assert data_version(session, user_id=alice.user_id) > v0
    back = session.scalars(select(Transaction).where(Transaction.user_id == alice.user_id,
                                                     Transaction.id != keep.id)).all()
    assert sorted(values(t) for t in back) == before


def test_an_undo_puts_a_transfers_row_back_with_its_own_category_and_says_the_pairing_is_gone(db, session, alice):
    from budgetwise.services import accounts, transfers

    savings = accounts.create_account(session, user_id=alice.user_id, name="Savings", kind="savings")
    checking = accounts.create_account(session, user_id=alice.user_id, name="Checking", kind="checking")
    groceries = find_category_by_name(session, user_id=alice.user_id, name="Groceries")
    out = add(session, alice, description="To savings", amount="500", category_id=groceries.id, account_id=checking.id)
    inn = add(session, alice, description="From checking", amount="500", kind="income", account_id=savings.id,
              date=dt.date(2025, 1, 16), auto_categorize=False)
    transfers.confirm_transfer(session, user_id=alice.user_id, out_transaction_id=out.id, in_transaction_id=inn.id)
    deleted = tx.delete_for_undo(session, user_id=alice.user_id, transaction_ids=[out.id])
    assert deleted.transfers_undone == 1
    tx.restore_deleted(session, user_id=alice.user_id, deleted=deleted)
    [back] = [t for t in tx.list_transactions(session, user_id=alice.user_id).rows if t.description == "To savings"]
    assert (back.category_name, back.category_manual) == ("Groceries", True)  # not a transfer without its pair
    assert transfers.list_transfers(session, user_id=alice.user_id) == []


def test_an_undo_is_all_or_nothing_and_drops_what_was_deleted_since(db, session, alice):
    from budgetwise.models import Account, Category
    from budgetwise.services import accounts, categories

    cafe = categories.create_category(session, user_id=alice.user_id, name="Cafés", kind="expense")
    t = add(session, alice, description="Latte", category_id=cafe.id)
    deleted = tx.delete_for_undo(session, user_id=alice.user_id, transaction_ids=[t.id])
    session.delete(session.get(Category, cafe.id))
    session.flush()
    tx.restore_deleted(session, user_id=alice.user_id, deleted=deleted)
    [back] = tx.list_transactions(session, user_id=alice.user_id).rows
    assert (back.description, back.category_id, back.category_manual) == ("Latte", None, False)
    # an account deleted since: nothing is restored (the money would be in another account)
    cash = accounts.create_account(session, user_id=alice.user_id, name="Cash", kind="cash")
    u = add(session, alice, description="Kiosk", account_id=cash.id)
    deleted = tx.delete_for_undo(session, user_id=alice.user_id, transaction_ids=[back.id, u.id])
    session.delete(session.get(Account, cash.id))
    session.flush()
    with pytest.raises(NotFoundError, match="deleted since; nothing was restored"):
        tx.restore_deleted(session, user_id=alice.user_id, deleted=deleted)
    assert tx.count_transactions(session, user_id=alice.user_id) == 0


def test_an_undo_into_an_account_archived_since_is_refused_naming_it(db, session, alice):
    """undoarch (review21b's left point): the rows went back into an account archived after the delete, changing its
    balance unseen. Refused, all or nothing, naming the account; an account archived at the delete takes its rows
    back (that is what was there)."""
    from budgetwise.services import accounts

    def balance(account_id):
        return next(b.balance_minor for b in accounts.balances(session, user_id=alice.user_id, as_of=dt.date(2025, 12, 31)).accounts
                    if b.account.id == account_id)

    cash = accounts.create_account(session, user_id=alice.user_id, name="Cash", kind="cash")
    wallet = accounts.create_account(session, user_id=alice.user_id, name="Wallet", kind="cash")
    accounts.create_account(session, user_id=alice.user_id, name="Checking", kind="checking")  # one stays open
    ids = [add(session, alice, description=d, account_id=a).id
           for d, a in (("Kiosk", cash.id), ("Bus", wallet.id), ("Bakery", None))]
    deleted = tx.delete_for_undo(session, user_id=alice.user_id, transaction_ids=ids)
    accounts.archive_account(session, user_id=alice.user_id, account_id=cash.id)
    before = balance(cash.id)
    with pytest.raises(ValidationError, match="The account “Cash” these transactions were in was archived since the "
                                              r"delete; reopen it on the Accounts page \(Restore\), then undo; "
                                              "nothing was restored."):
        tx.restore_deleted(session, user_id=alice.user_id, deleted=deleted)
    assert tx.count_transactions(session, user_id=alice.user_id) == 0 and balance(cash.id) == before
    accounts.archive_account(session, user_id=alice.user_id, account_id=wallet.id)
    with pytest.raises(ValidationError, match="The accounts “Cash” and “Wallet” these transactions were in were "
                                              "archived since the delete; reopen them"):
        tx.restore_deleted(session, user_id=alice.user_id, deleted=deleted)
    accounts.archive_account(session, user_id=alice.user_id, account_id=cash.id, archived=False)
    accounts.archive_account(session, user_id=alice.user_id, account_id=wallet.id, archived=False)
    assert tx.restore_deleted(session, user_id=alice.user_id, deleted=deleted) == 3  # reopened: the undo goes through


def test_an_undo_into_an_account_archived_at_the_delete_puts_back_what_was_there(db, session, alice):
    from budgetwise.services import accounts

    old = accounts.create_account(session, user_id=alice.user_id, name="Old card", kind="credit_card")
    accounts.create_account(session, user_id=alice.user_id, name="Checking", kind="checking")  # one stays open
    t = add(session, alice, description="Last payment", account_id=old.id)
    accounts.archive_account(session, user_id=alice.user_id, account_id=old.id)
    deleted = tx.delete_for_undo(session, user_id=alice.user_id, transaction_ids=[t.id])
    assert deleted.archived == (old.id,)
    assert tx.restore_deleted(session, user_id=alice.user_id, deleted=deleted) == 1
    [back] = tx.list_transactions(session, user_id=alice.user_id).rows
    assert (back.description, back.account_id) == ("Last payment", old.id)


def test_another_users_undo_record_is_refused(db, session, alice, bob):
    t = add(session, alice, description="Alice only")
    deleted = tx.delete_for_undo(session, user_id=alice.user_id, transaction_ids=[t.id])
    with pytest.raises(NotFoundError):
        tx.restore_deleted(session, user_id=bob.user_id, deleted=deleted)
    with pytest.raises(NotFoundError):
        tx.delete_for_undo(session, user_id=bob.user_id, transaction_ids=[t.id])  # and B cannot delete A's rows
    assert tx.count_transactions(session, user_id=bob.user_id) == 0
    assert tx.count_transactions(session, user_id=alice.user_id) == 0


def test_a_forged_record_never_reaches_another_users_category_or_account(db, session, alice, bob):
    """A page keeps the record in the user's session; were it forged, B's restored row holds none of A's ids."""
    from budgetwise.services import accounts, categories

    cat = categories.create_category(session, user_id=alice.user_id, name="Alice's", kind="expense")
    acc = accounts.create_account(session, user_id=alice.user_id, name="Alice's account", kind="cash")
    mine = add(session, bob, description="Bob's")
    deleted = tx.delete_for_undo(session, user_id=bob.user_id, transaction_ids=[mine.id])
    forged = tx.DeletedTransactions(user_id=bob.user_id, rows=({**deleted.rows[0], "category_id": cat.id},))
    tx.restore_deleted(session, user_id=bob.user_id, deleted=forged)
    [back] = tx.list_transactions(session, user_id=bob.user_id).rows
    assert back.category_id is None
    forged = tx.DeletedTransactions(user_id=bob.user_id, rows=({**deleted.rows[0], "account_id": acc.id},))
    with pytest.raises(NotFoundError):
        tx.restore_deleted(session, user_id=bob.user_id, deleted=forged)


def test_an_undo_after_the_same_rows_came_back_is_refused_not_doubled(db, session, alice):
    """review21b: delete an import's rows, import the file again (its duplicate check finds nothing left), then
    Undo: the rows were in twice. The same row added again since (file or hand) refuses the undo, all or nothing;
    a twin that was there at the delete (two real coffees, one deleted) does not."""
    twin = add(session, alice, description="Coffee")
    add(session, alice, description="Coffee")
    lunch = add(session, alice, description="Lunch", amount="12.00")
    deleted = tx.delete_for_undo(session, user_id=alice.user_id, transaction_ids=[twin.id, lunch.id])
    add(session, alice, description="Lunch", amount="12.00")  # the re-import's row: same date, amount, text
    with pytest.raises(ValidationError, match="1 of these transactions was added again since"):
        tx.restore_deleted(session, user_id=alice.user_id, deleted=deleted)
    assert tx.count_transactions(session, user_id=alice.user_id) == 2
    only_twin = tx.delete_for_undo(session, user_id=alice.user_id,
                                   transaction_ids=[t.id for t in tx.list_transactions(
                                       session, user_id=alice.user_id).rows if t.description == "Coffee"][:1])
    assert tx.restore_deleted(session, user_id=alice.user_id, deleted=only_twin) == 1  # the kept twin was there



def test_delete_reimport_then_undo_leaves_the_file_in_once(db, session, alice):
    """review21b, the case itself: an imported file's rows deleted, the file imported again (nothing left to skip as a
    duplicate), then Undo delete: the undo is refused and the file's rows are in once."""
    from budgetwise.importing import ImportOptions
    from budgetwise.services import importing

    data = b"Date,Description,Amount\n2025-01-03,Grocer,-42.10\n2025-01-04,Bakery,-3.20\n2025-01-04,Bakery,-3.20\n"
    importing.commit_import(session, user_id=alice.user_id, data=data, filename="jan.csv", options=ImportOptions())
    ids = [t.id for t in tx.list_transactions(session, user_id=alice.user_id).rows]
    deleted = tx.delete_for_undo(session, user_id=alice.user_id, transaction_ids=ids)
    again = importing.commit_import(session, user_id=alice.user_id, data=data, filename="jan.csv", options=ImportOptions())
    assert again.rows_imported == 3
    with pytest.raises(ValidationError, match="3 of these transactions were added again since"):
        tx.restore_deleted(session, user_id=alice.user_id, deleted=deleted)
    assert tx.count_transactions(session, user_id=alice.user_id) == 3
