"""Undoing an import when the balance changed again after it (session 26, bal26; ``importing/balance_undo.restore``).

Session 25 put back what an import set only while the account still held it, and otherwise left the account "as it
is" — but not as it was: the undo deleted the rows, so a balance the user set for a day after them ("Set a balance")
or one a later import's statement confirmed no longer held, and the account still said it matched the bank's there.
Now the figures someone set after the import (an opening balance) stay as set; a confirmed day stays only while the
undo leaves the balance at its end unchanged, else it is no longer marked and the message gives both amounts; and
two imports undone in either order leave the account as it was before both. Runs on SQLite, and PostgreSQL /
MariaDB when their URLs are set."""

from __future__ import annotations

import datetime as dt

from budgetwise.models import ImportBatch
from budgetwise.services import account_balance as AB
from budgetwise.services import accounts
from budgetwise.services import importing as svc
from budgetwise.services.importing import balance_undo
from tests.services.importing.test_services_import_undo_balance import CSV, DAY, _import, _state

# the same account's next statement: two rows after CSV's, ending where CSV's balance and these rows put it
CSV_B = b"Date,Description,Amount,Balance\n2024-03-06,Lunch,-10.00,2170.00\n2024-03-07,Bus,-5.00,2165.00\n"
# ... and one whose balance is 100.00 more than the account (its opening balance gets set from it)
CSV_B_OFF = b"Date,Description,Amount,Balance\n2024-03-06,Lunch,-10.00,2270.00\n2024-03-07,Bus,-5.00,2265.00\n"
DAY_B = dt.date(2024, 3, 7)
TODAY = dt.date(2026, 12, 7)


def _undo(session, user, batch_id: int) -> str:
    return svc.undo_import(session, user_id=user.user_id, batch_id=batch_id).accounts_text


def test_a_balance_set_by_hand_after_the_import_is_no_longer_marked_when_the_rows_it_counted_go(session, alice):
    """Old code: (82000, None, 2024-03-05) kept, "left as it is", while the account held 820.00 on that day."""
    a, account = _import(session, alice, set_opening=True)
    AB.set_balance_on(session, principal=alice, account_id=account, amount="2000", day=DAY, today=TODAY)
    assert _state(session, alice, account) == (82000, None, DAY)
    said = _undo(session, alice, a.batch_id)
    # the opening balance the user set stays; undated, it counts from the account's first row or creation (today), so
    # without the rows the account holds nothing on 5 March 2024
    assert _state(session, alice, account) == (82000, None, None)
    assert "“Main account”'s opening balance was set after this import (by you): it stays $820.00." in said
    assert ("The balance of $2,000.00 confirmed for 2024-03-05 (by you) counted this import's rows: without them "
            "“Main account” holds $0.00 on that day, so it is no longer marked as matching your bank's. If $2,000.00 "
            "is right, set it again on the Accounts page (Set a balance).") in said


def test_a_balance_set_for_a_day_before_the_imports_rows_still_holds(session, alice):
    a, account = _import(session, alice, set_opening=True)
    feb = dt.date(2024, 2, 28)
    AB.set_balance_on(session, principal=alice, account_id=account, amount="700", day=feb, today=TODAY)
    kept = _state(session, alice, account)
    assert kept == (70000, feb, feb)
    said = _undo(session, alice, a.batch_id)
    assert _state(session, alice, account) == kept  # nothing it counted is gone: still confirmed
    assert "it stays $700.00." in said and "no longer marked" not in said


def test_an_import_without_a_statement_takes_back_a_confirmation_that_counted_its_rows(session, alice):
    plain = CSV.replace(b",Balance", b"").replace(b",996.50", b"").replace(b",3496.50", b"").replace(
        b",2296.50", b"").replace(b",2200.00", b"").replace(b",2180.00", b"")
    preview = svc.preview_import(session, user_id=alice.user_id, data=plain, filename="plain.csv")
    a = svc.commit_import(session, user_id=alice.user_id, data=plain, filename="plain.csv", preview=preview)
    account = accounts.default_account_id(session, user_id=alice.user_id)
    AB.set_balance_on(session, principal=alice, account_id=account, amount="2180", day=DAY, today=TODAY)
    said = _undo(session, alice, a.batch_id)
    assert _state(session, alice, account) == (100000, None, None)  # old code: 2024-03-05 still "confirmed"
    assert "holds $0.00 on that day, so it is no longer marked" in said


def test_two_imports_undone_newest_first_leave_the_account_as_before_both(session, alice):
    a, account = _import(session, alice, set_opening=True)
    b, _ = _import(session, alice, set_opening=False, data=CSV_B, filename="b.csv")
    assert _state(session, alice, account) == (100000, None, DAY_B)  # B's statement matched: confirmed
    _undo(session, alice, b.batch_id)
    assert _state(session, alice, account) == (100000, None, DAY)
    _undo(session, alice, a.batch_id)
    assert _state(session, alice, account) == (0, None, None)


def test_two_imports_undone_oldest_first_leave_the_account_as_before_both(session, alice):
    """Old code: undoing A left (100000, None, 2024-03-07) "as it is" (B had confirmed on top of A's opening balance),
    and undoing B then put back A's (100000, None, 2024-03-05) — an opening balance from an undone import."""
    a, account = _import(session, alice, set_opening=True)
    b, _ = _import(session, alice, set_opening=False, data=CSV_B, filename="b.csv")
    said = _undo(session, alice, a.batch_id)
    assert _state(session, alice, account) == (0, None, None)  # A's figure back; B's day counted A's rows
    assert "“Main account” has its opening balance from before this import again ($0.00)." in said
    assert "confirmed for 2024-03-07 (by import #" in said and "holds -$15.00 on that day" in said
    assert _undo(session, alice, b.batch_id) == ""  # nothing left to put back, nothing to say
    assert _state(session, alice, account) == (0, None, None)


def test_a_later_imports_opening_balance_stays_and_its_undo_then_restores_the_start(session, alice):
    a, account = _import(session, alice, set_opening=True)
    b, _ = _import(session, alice, set_opening=True, data=CSV_B_OFF, filename="b.csv")
    assert _state(session, alice, account) == (110000, None, DAY_B)
    said = _undo(session, alice, a.batch_id)
    assert _state(session, alice, account) == (110000, None, None)
    assert f"opening balance was set after this import (by import #{b.batch_id} (b.csv)): it stays $1,100.00." in said
    assert "holds $1,085.00 on that day" in said
    _undo(session, alice, b.batch_id)
    assert _state(session, alice, account) == (0, None, None)  # as before both (old code: A's 1,000.00 back)


def test_the_other_order_with_a_later_opening_balance(session, alice):
    a, account = _import(session, alice, set_opening=True)
    b, _ = _import(session, alice, set_opening=True, data=CSV_B_OFF, filename="b.csv")
    _undo(session, alice, b.batch_id)
    assert _state(session, alice, account) == (100000, None, DAY)
    _undo(session, alice, a.batch_id)
    assert _state(session, alice, account) == (0, None, None)


def test_the_snapshot_reads_only_the_users_own_accounts(session, alice, bob):
    a, _ = _import(session, alice, set_opening=True)
    batch = session.get(ImportBatch, a.batch_id)
    theirs = accounts.default_account_id(session, user_id=bob.user_id)
    accounts.confirm_balance(session, user_id=bob.user_id, account_id=theirs, day=DAY)
    assert balance_undo.snapshot(session, user_id=bob.user_id, batch=batch, held={theirs}) == {theirs: (
        (0, None, DAY), 0)}
    mine = balance_undo.snapshot(session, user_id=alice.user_id, batch=batch, held={theirs})
    assert theirs not in mine  # another user's id is not read
    assert balance_undo.restore(session, user_id=alice.user_id, batch=batch, snap={theirs: ((0, None, DAY), 5)}) == ()
    assert _state(session, bob, theirs) == (0, None, DAY)  # another user's account is not written
