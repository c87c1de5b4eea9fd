"""Session 22 (words22): account and archived-category messages quote a name as typed, with ``names.quoted``
(“name”), never ``repr`` (which doubled a backslash and switched to double quotes around an apostrophe)."""

from __future__ import annotations

import pytest

from budgetwise.errors import NotFoundError, ValidationError
from budgetwise.services import accounts

ODD = "Bob's \\ card"  # an apostrophe and a backslash: repr showed "Bob's \\\\ card"


def _message(call) -> str:
    with pytest.raises((ValidationError, NotFoundError)) as refused:
        call()
    return refused.value.message


def test_account_messages_quote_the_name_as_typed(session, alice):
    uid = alice.user_id
    assert _message(lambda: accounts.find_account(session, user_id=uid, name="Nope")) == \
        "You have no account called “Nope”."
    only = accounts.create_account(session, user_id=uid, name=ODD)
    said = _message(lambda: accounts.archive_account(session, user_id=uid, account_id=only.id))
    assert said.startswith(f"“{ODD}” is your only open account")
    accounts.create_account(session, user_id=uid, name="Other")
    accounts.archive_account(session, user_id=uid, account_id=only.id)
    said = _message(lambda: accounts.resolve_account_id(session, user_id=uid, account_id=only.id))
    assert said == f"The account “{ODD}” is archived; restore it or choose another account."


def test_an_archived_global_category_refusing_a_rule_is_quoted_as_typed(session, alice):
    from budgetwise.services import admin

    odd = admin.create_global_category(session, principal=alice, name=ODD, kind="expense")
    other = admin.create_global_category(session, principal=alice, name="Hobbies", kind="expense")
    rule = admin.create_global_rule(session, principal=alice, category_id=other.id, pattern="blorp")
    admin.archive_global_category(session, principal=alice, category_id=odd.id)
    said = _message(lambda: admin.create_global_rule(session, principal=alice, category_id=odd.id, pattern="zork"))
    assert said == f"“{ODD}” is archived: restore it before adding rules for it."
    said = _message(lambda: admin.update_global_rule(session, principal=alice, rule_id=rule.id, category_id=odd.id))
    assert said == f"“{ODD}” is archived: choose another category."
