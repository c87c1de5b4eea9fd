"""One rule validator and one way to write a global rule (issue #15).

Before: the Admin page's global-rule service checked priorities against 0-100,000 while the
Categorize page's validator allowed -1,000,000-1,000,000, and the categorize service's
global-rule writes (``admin_create_rule`` / ``admin_update_rule`` / ``admin_delete_rule``)
wrote no audit entry.
"""

from __future__ import annotations

import pytest
from sqlalchemy import select

from budgetwise.errors import ValidationError
from budgetwise.models import AuditLog, Category
from budgetwise.services import admin, categorize
from budgetwise.services.categorize import RuleSpec


def _groceries(session) -> int:
    return session.scalar(select(Category.id).where(Category.user_id.is_(None), Category.name == "Groceries"))


def _actions(session) -> list[str]:
    return [a for a in session.scalars(select(AuditLog.action).order_by(AuditLog.id)) if a.startswith("rule.")]


@pytest.mark.parametrize("priority", [categorize.MIN_PRIORITY, -5, 200_000, categorize.MAX_PRIORITY])
def test_admin_and_user_rules_accept_the_same_priorities(session, alice, priority):
    groceries = _groceries(session)
    own = categorize.create_rule(session, user_id=alice.user_id, spec=RuleSpec(category_id=groceries, pattern="zorb",
                                                                                priority=priority))
    glob = admin.create_global_rule(session, principal=alice, category_id=groceries, pattern="zorb", priority=priority)
    assert own.priority == glob.priority == priority


@pytest.mark.parametrize("priority", [categorize.MIN_PRIORITY - 1, categorize.MAX_PRIORITY + 1])
def test_admin_and_user_rules_refuse_the_same_priorities_with_the_same_message(session, alice, priority):
    groceries = _groceries(session)
    with pytest.raises(ValidationError) as mine:
        categorize.create_rule(session, user_id=alice.user_id, spec=RuleSpec(category_id=groceries, pattern="zorb",
                                                                             priority=priority))
    with pytest.raises(ValidationError) as glob:
        admin.create_global_rule(session, principal=alice, category_id=groceries, pattern="zorb", priority=priority)
    assert mine.value.message == glob.value.message and "1,000,000" in glob.value.message


def test_every_global_rule_write_is_audited(session, alice):
    assert alice.is_admin
    groceries = _groceries(session)
    view = categorize.admin_create_rule(session, principal=alice, spec=RuleSpec(category_id=groceries, pattern="zorb"))
    categorize.admin_update_rule(session, principal=alice, rule_id=view.id, spec=RuleSpec(category_id=groceries,
                                                                                          pattern="zorbs", priority=7))
    categorize.admin_delete_rule(session, principal=alice, rule_id=view.id)
    assert _actions(session) == ["rule.create", "rule.update", "rule.delete"]
    rule = admin.create_global_rule(session, principal=alice, category_id=groceries, pattern="ALDI", priority=10)
    admin.update_global_rule(session, principal=alice, rule_id=rule.id, priority=11)
    admin.delete_global_rule(session, principal=alice, rule_id=rule.id)
    assert _actions(session)[3:] == ["rule.create", "rule.update", "rule.delete"]
