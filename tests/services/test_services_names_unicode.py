"""Names equal after Unicode normalization are one name (session 23, names23): "Épargne" typed with a composed "É"
(U+00C9) and one typed as "E" + a combining acute (U+0301), as macOS file names and some keyboards give it, were two
categories, accounts, goals; now every name is stored composed (NFC) and ``name_key`` is the canonical caseless
match. Lookups by name (the CLI's ``--account``, ``--learn-from`` labels and ``report --category``, a file's account
column) find either form, also an account written before this session with its decomposed key (no migration: no
lookup goes by the stored ``name_key``). On SQLite, PostgreSQL and MariaDB."""

from __future__ import annotations

import datetime as dt
import unicodedata

import pytest

from budgetwise.errors import ConflictError
from budgetwise.models import Account, Category
from budgetwise.names import clean_name, name_key
from budgetwise.services import accounts, categories, goals
from budgetwise.services import cashflow_scheduled as scheduled
from budgetwise.services import importing as svc
from budgetwise.services.admin import global_categories

TODAY = dt.date.today()
COMPOSED = "\u00c9pargne"  # "Épargne", one character
DECOMPOSED = "E\u0301pargne"  # "E" + combining acute: looks the same
BOTH_WAYS = [(COMPOSED, DECOMPOSED), (DECOMPOSED, COMPOSED)]


def test_the_key_is_the_canonical_caseless_match():
    assert COMPOSED != DECOMPOSED and name_key(COMPOSED) == name_key(DECOMPOSED) == name_key("ÉPARGNE")
    assert clean_name(DECOMPOSED, what="goal", limit=7, missing="?") == COMPOSED  # 7 characters, not 8
    # casefold does not keep a text normalized: the inner NFD puts U+0345 (folds to an iota) in canonical order
    assert name_key("\u03b1\u0345\u0301") == name_key("\u03b1\u0301\u0345")
    assert name_key("Main  CHECKING") == "main checking"  # the ASCII path as before


def _goal(session, user, name):
    return goals.create_goal(session, user_id=user.user_id, name=name, target="100",
                             target_date=TODAY + dt.timedelta(days=200), today=TODAY)


@pytest.mark.parametrize("first, second", BOTH_WAYS)
def test_the_other_form_is_the_same_name_everywhere(db, session, alice, first, second):
    uid = alice.user_id
    assert accounts.create_account(session, user_id=uid, name=first, kind="savings").name == COMPOSED
    with pytest.raises(ConflictError, match="^You already have an account called"):
        accounts.create_account(session, user_id=uid, name=second, kind="savings")
    assert categories.create_category(session, user_id=uid, name=first, kind="expense").name == COMPOSED
    with pytest.raises(ConflictError, match="^There is already a category named"):
        categories.create_category(session, user_id=uid, name=second, kind="expense")
    assert _goal(session, alice, first).name == COMPOSED
    with pytest.raises(ConflictError, match="^You already have a goal called"):
        _goal(session, alice, second)
    glob = global_categories.create_global_category(session, principal=alice, name=f"G {first}", kind="expense")
    assert glob.name == f"G {COMPOSED}"
    with pytest.raises(ConflictError, match="^A global category named"):
        global_categories.create_global_category(session, principal=alice, name=f"G {second}", kind="expense")
    item = scheduled.add_scheduled(session, user_id=uid, name=first, amount="9", kind="expense",
                                   next_date=TODAY + dt.timedelta(days=3), cadence="monthly", today=TODAY)
    assert item.name == COMPOSED  # stored composed: the schedule shows and compares one spelling
    # looked up by name: the CLI's --account, --learn-from labels and report --category
    assert accounts.find_account(session, user_id=uid, name=second).name == COMPOSED
    found = categories.find_category_by_name(session, user_id=uid, name=second)
    assert found is not None and not found.is_global and found.name == COMPOSED
    assert categories.find_category_by_name(session, user_id=uid, name=f"g  {second}").is_global
    session.rollback()


def _legacy(session, model, **values):
    """A row as written before session 23: the name as typed (decomposed), an account's key from it."""
    row = model(**values)
    session.add(row)
    session.flush()
    return row


def test_rows_written_decomposed_before_are_found_and_taken(db, session, alice):
    uid = alice.user_id
    old = _legacy(session, Account, user_id=uid, name=DECOMPOSED, name_key=DECOMPOSED.casefold(), kind="savings",
                  currency="USD")
    assert unicodedata.is_normalized("NFD", old.name_key)
    assert accounts.find_account(session, user_id=uid, name=COMPOSED).id == old.id  # the CLI's --account
    with pytest.raises(ConflictError):
        accounts.create_account(session, user_id=uid, name="ÉPARGNE", kind="savings")
    other = accounts.create_account(session, user_id=uid, name="Other", kind="checking")
    with pytest.raises(ConflictError):
        accounts.rename_account(session, user_id=uid, account_id=other.id, name=COMPOSED)
    renamed = accounts.rename_account(session, user_id=uid, account_id=old.id, name=DECOMPOSED + " ")
    assert renamed.name == COMPOSED and session.get(Account, old.id).name_key == COMPOSED.casefold()
    cat = _legacy(session, Category, user_id=uid, name=DECOMPOSED, kind="expense", color="#8c8c8c")
    assert categories.find_category_by_name(session, user_id=uid, name=COMPOSED).id == cat.id
    with pytest.raises(ConflictError):
        categories.create_category(session, user_id=uid, name=COMPOSED, kind="expense")
    session.rollback()


CSV = "Date,Description,Amount,Account\n2024-03-01,Grocer,-12.50,{}\n2024-03-02,Bakery,-3.00,{}\n"


@pytest.mark.parametrize("stored, in_file", BOTH_WAYS)
def test_a_files_account_column_finds_the_account_in_the_other_form(session, alice, stored, in_file):
    uid = alice.user_id
    target = _legacy(session, Account, user_id=uid, name=stored, name_key=stored.casefold(), kind="savings",
                     currency="USD")
    data = CSV.format(in_file, in_file.upper()).encode()
    preview = svc.preview_import(session, user_id=uid, data=data, filename="mac.csv")
    assert [(s.name, s.rows, s.new) for s in preview.accounts] == [(stored, 2, False)]  # was a new "Épargne"
    result = svc.commit_import(session, user_id=uid, data=data, filename="mac.csv", preview=preview)
    assert svc.batch_accounts(session, user_id=uid, batch_id=result.batch_id) == [(stored, 2)]
    assert not [a for a in accounts.list_accounts(session, user_id=uid) if a.id != target.id and
                name_key(a.name) == name_key(stored)]
