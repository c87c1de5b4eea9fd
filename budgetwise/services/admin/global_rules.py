"""Global (default) categorization rules for the admin page: list, create, update, delete.

Every write goes through the one global-rule writer in :mod:`budgetwise.services.categorize`
(``admin_create_rule`` / ``admin_update_rule`` / ``admin_delete_rule``): one validator
(``validate_rule_spec``: the same bounds as a user's rule) and one audit entry per change.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from sqlalchemy import select
from sqlalchemy.orm import Session

from budgetwise.models import Category, Rule
from budgetwise.principal import Principal
from budgetwise.services import categorize
from budgetwise.services.auth import require_current_admin
from budgetwise.services.categorize import RuleSpec
from budgetwise.services.categorize.rules import _global_rule, _global_rule_view


@dataclass(frozen=True)
class GlobalRule:
    id: int
    name: str
    category_id: int
    category_name: str
    priority: int
    match_type: str
    pattern: str
    kind: str | None
    is_active: bool


def _rule_view(rule: Rule, category_name: str) -> GlobalRule:
    return GlobalRule(
        rule.id, rule.name, rule.category_id, category_name, rule.priority, rule.match_type, rule.pattern,
        rule.kind, rule.is_active,
    )


def list_global_rules(session: Session, *, principal: Principal) -> list[GlobalRule]:
    """The default rules every user's transactions fall back on, in the order they run."""
    require_current_admin(session, principal)
    stmt = (
        select(Rule, Category.name)
        .join(Category, Category.id == Rule.category_id)
        .where(Rule.user_id.is_(None))
        .order_by(Rule.priority, Rule.id)
    )
    return [_rule_view(rule, name) for rule, name in session.execute(stmt)]


def _as_global_rule(view) -> GlobalRule:
    return GlobalRule(
        view.id, view.name, view.category_id, view.category_name, view.priority, view.match_type, view.pattern,
        view.kind, view.is_active,
    )


def _kind(kind: str | None) -> str | None:
    return None if kind in (None, "", "any") else kind


def create_global_rule(
    session: Session,
    *,
    principal: Principal,
    category_id: int,
    pattern: str,
    match_type: str = "contains",
    priority: int = 100,
    kind: str | None = None,
    name: str = "",
) -> GlobalRule:
    """Add a default rule through the one global-rule writer (:func:`categorize.admin_create_rule`)."""
    require_current_admin(session, principal)
    spec = RuleSpec(category_id=int(category_id), pattern=pattern, match_type=match_type, name=name,
                    priority=priority, kind=_kind(kind))
    return _as_global_rule(categorize.admin_create_rule(session, principal=principal, spec=spec))


def update_global_rule(
    session: Session,
    *,
    principal: Principal,
    rule_id: int,
    category_id: int | None = None,
    pattern: str | None = None,
    match_type: str | None = None,
    priority: int | None = None,
    kind: str | None = "unchanged",
    is_active: bool | None = None,
) -> GlobalRule:
    """Change fields of a default rule (``kind="unchanged"`` leaves the type filter as it is)."""
    require_current_admin(session, principal)
    current = _global_rule_view(session, _global_rule(session, rule_id)).spec()
    spec = replace(
        current,
        category_id=current.category_id if category_id is None else int(category_id),
        pattern=current.pattern if pattern is None else pattern,
        match_type=match_type or current.match_type,
        priority=current.priority if priority is None else priority,
        kind=current.kind if kind == "unchanged" else _kind(kind),
        is_active=current.is_active if is_active is None else bool(is_active),
    )
    return _as_global_rule(categorize.admin_update_rule(session, principal=principal, rule_id=rule_id, spec=spec))


def delete_global_rule(session: Session, *, principal: Principal, rule_id: int) -> None:
    """Delete a default rule. Transactions it categorized keep their category."""
    require_current_admin(session, principal)
    categorize.admin_delete_rule(session, principal=principal, rule_id=rule_id)
