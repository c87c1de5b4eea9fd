"""Global (default) categorization rules: list, create, update, delete, each audited."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from budgetwise.errors import NotFoundError, ValidationError
from budgetwise.models import TRANSACTION_KINDS, Category, Rule, utcnow
from budgetwise.principal import Principal, require_admin
from budgetwise.text import clean_text
from budgetwise.services.admin.common import _audit, MATCH_TYPES
from budgetwise.services.admin.global_categories import _global_category


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
    require_admin(principal)
    stmt = (
        select(Rule, Category.name)
        .join(Category, Category.id == Rule.category_id)
        .where(Rule.user_id.is_(None))
        .order_by(Rule.priority, Rule.id)
    )
    return [_rule_view(rule, name) for rule, name in session.execute(stmt)]


def _global_rule(session: Session, rule_id: int) -> Rule:
    rule = session.scalar(select(Rule).where(Rule.id == int(rule_id), Rule.user_id.is_(None)))
    if rule is None:
        raise NotFoundError(f"Default rule {rule_id} does not exist.", field="rule")
    return rule


def _check_rule_fields(match_type: str, pattern: str, priority: int, kind: str | None) -> tuple[str, str, int, str | None]:
    if match_type not in MATCH_TYPES:
        raise ValidationError("The match type must be contains, starts_with, exact or regex.", field="match_type")
    value = clean_text(pattern)
    if not value:
        raise ValidationError("Enter the text the rule looks for.", field="pattern")
    if len(value) > 500:
        raise ValidationError("The pattern is too long (500 characters at most).", field="pattern")
    if match_type == "regex":
        from budgetwise.services.categorize import compile_regex

        compile_regex(value, max_length=500)  # refuses invalid, slow or catastrophic patterns (ValidationError)
    try:
        prio = int(priority)
    except (TypeError, ValueError):
        raise ValidationError("The priority must be a whole number.", field="priority") from None
    if not 0 <= prio <= 100_000:
        raise ValidationError("The priority must be between 0 and 100000 (lower runs first).", field="priority")
    if kind in ("", "any"):
        kind = None
    if kind is not None and kind not in TRANSACTION_KINDS:
        raise ValidationError("The rule's type must be income, expense or any.", field="kind")
    return match_type, value, prio, kind


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
    require_admin(principal)
    cat = _global_category(session, category_id)
    if cat.is_archived:
        raise ValidationError(f"{cat.name!r} is archived: restore it before adding rules for it.", field="category")
    match_type, value, prio, kind = _check_rule_fields(match_type, pattern, priority, kind)
    rule = Rule(
        user_id=None, category_id=cat.id, name=clean_text(name, max_length=100), priority=prio,
        match_type=match_type, pattern=value, kind=kind, origin="default", is_active=True,
    )
    session.add(rule)
    session.flush()
    _audit(session, principal, "rule.create", target=f"rule #{rule.id}",
           details=f"Default rule: {match_type} {value!r} -> {cat.name!r} (priority {prio}).")
    session.flush()
    return _rule_view(rule, cat.name)


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
    require_admin(principal)
    rule = _global_rule(session, rule_id)
    before = _rule_view(rule, "")
    new_kind = rule.kind if kind == "unchanged" else kind
    match_type, value, prio, new_kind = _check_rule_fields(
        match_type or rule.match_type, rule.pattern if pattern is None else pattern,
        rule.priority if priority is None else priority, new_kind,
    )
    cat = _global_category(session, rule.category_id if category_id is None else category_id)
    if category_id is not None and cat.is_archived and cat.id != rule.category_id:
        raise ValidationError(f"{cat.name!r} is archived: choose another category.", field="category")
    rule.category_id, rule.match_type, rule.pattern, rule.priority, rule.kind = cat.id, match_type, value, prio, new_kind
    if is_active is not None:
        rule.is_active = bool(is_active)
    after = _rule_view(rule, cat.name)
    changes = [
        f"{f}: {getattr(before, f)!r} -> {getattr(after, f)!r}"
        for f in ("category_id", "match_type", "pattern", "priority", "kind", "is_active")
        if getattr(before, f) != getattr(after, f)
    ]
    if changes:
        rule.updated_at = utcnow()
        _audit(session, principal, "rule.update", target=f"rule #{rule.id}", details="; ".join(changes))
    session.flush()
    return after


def delete_global_rule(session: Session, *, principal: Principal, rule_id: int) -> None:
    """Delete a default rule. Transactions it categorized keep their category."""
    require_admin(principal)
    rule = _global_rule(session, rule_id)
    description = f"{rule.match_type} {rule.pattern!r} -> category #{rule.category_id}"
    session.delete(rule)  # transactions.rule_id is ON DELETE SET NULL
    _audit(session, principal, "rule.delete", target=f"rule #{rule_id}", details=f"Deleted default rule {description}.")
    session.flush()
