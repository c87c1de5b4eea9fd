"""A user's rules and the global rules: read, validate, write, test, save-and-apply.

:func:`validate_rule_spec` is the one check of a rule's fields. :func:`preview_rule` and
:func:`save_rule_and_apply` share :func:`_rule_effect`, so saving changes exactly what the
test showed. Global rules are written by admins only (``auth.require_current_admin``: the role re-read from the database).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace

from sqlalchemy import func, or_, select, update
from sqlalchemy.orm import Session

from budgetwise.db import chunked
from budgetwise.errors import NotFoundError, PermissionDenied, ValidationError
from budgetwise.models import TRANSACTION_KINDS, Category, Rule, Transaction, utcnow
from budgetwise.money import MAX_AMOUNT, MAX_MINOR, field_words, parse_decimal, to_minor
from budgetwise.names import quoted
from budgetwise.principal import Principal
from budgetwise.services import audit
from budgetwise.services import categories as categories_service
from budgetwise.services.account_numbers import row_text
from budgetwise.services.auth import require_current_admin
from budgetwise.services.categorize.engine import _category_names, _rule_rows, _rules_say
from budgetwise.services.categorize.regex_safety import compile_regex
from budgetwise.services.categorize.ruleset import _compiled_rules, _match_rows, _RuleRow
from budgetwise.services.categorize.types import (
    DEFAULT_USER_PRIORITY,
    MATCH_TYPES,
    MAX_GLOBAL_PATTERN_LENGTH,
    MAX_PATTERN_LENGTH,
    MAX_PRIORITY,
    MAX_RULE_NAME,
    MAX_RULES_PER_USER,
    MIN_PRIORITY,
    RulePreview,
    RuleSpec,
    RuleView,
    try_order,
)
from budgetwise.services.versions import count_under_user_lock, lock_user_for_import, touch_data
from budgetwise.text import clean_text, plural
from budgetwise.textforms import _fold_pattern


def _rule_view(rule: Rule, category_name: str) -> RuleView:
    return RuleView(
        id=rule.id, is_global=rule.user_id is None, category_id=rule.category_id, category_name=category_name,
        name=rule.name, priority=rule.priority, match_type=rule.match_type, pattern=rule.pattern,
        min_amount_minor=rule.min_amount_minor, max_amount_minor=rule.max_amount_minor, kind=rule.kind,
        account=rule.account, origin=rule.origin, is_active=rule.is_active,
    )


def list_rules(
    session: Session, *, user_id: int, include_global: bool = True, origin: str | None = None
) -> list[RuleView]:
    """The user's rules (then the global defaults), in the order they are tried."""
    owner = or_(Rule.user_id == user_id, Rule.user_id.is_(None)) if include_global else Rule.user_id == user_id
    stmt = select(Rule, Category.name).join(Category, Category.id == Rule.category_id).where(owner)
    if origin is not None:
        stmt = stmt.where(Rule.origin == origin)
    rows = [_rule_view(rule, name) for rule, name in session.execute(stmt)]
    rows.sort(key=lambda r: try_order(r.is_global, r.priority, r.origin, r.match_type, r.pattern, r.id))
    return rows


def get_rule(session: Session, *, user_id: int, rule_id: int) -> RuleView:
    row = session.execute(
        select(Rule, Category.name).join(Category, Category.id == Rule.category_id)
        .where(Rule.id == rule_id, or_(Rule.user_id == user_id, Rule.user_id.is_(None)))
    ).first()
    if row is None:
        raise NotFoundError(f"Rule {rule_id} does not exist.", field="rule")
    return _rule_view(*row)


def count_rules(session: Session, *, user_id: int) -> int:
    return int(session.scalar(select(func.count(Rule.id)).where(Rule.user_id == user_id)) or 0)


def rule_room(session: Session, user_id: int) -> int:
    """How many more rules of the user's own (written or learned) fit under :data:`MAX_RULES_PER_USER`, counted under
    the user's lock (:func:`versions.count_under_user_lock`): two requests at once count one after the other and cannot
    both pass it (session 22; the other per-user ceilings since session 21). Re-keying reads it (session 23)."""
    held = count_under_user_lock(session, user_id, select(func.count(Rule.id)).where(Rule.user_id == user_id))
    return max(0, MAX_RULES_PER_USER - held)


def check_rule_room(session: Session, user_id: int) -> None:
    """Refuse a new rule of the user's own (written or learned) when :func:`rule_room` has none left."""
    if not rule_room(session, user_id):
        raise ValidationError(f"You already have {plural(MAX_RULES_PER_USER, 'rule')}; delete some first.")


# A regex rule is checked against every distinct text in which its literal occurs, or every one when it has none, and the
# user chooses both the rules and the texts: 5,000 regex rules against 2,000 distinct descriptions took 52 s of CPU in
# the one process every user shares (session 23, load ~10; 2.5 µs a rule and text), at each import and "apply rules".
MAX_REGEX_RULES_PER_USER = 100


def _check_regex_room(session: Session, user_id: int, match_type: str, *, rule_id: int | None = None) -> None:
    """Refuse a new regex rule of the user's (or a rule turned into one, ``rule_id``) at
    :data:`MAX_REGEX_RULES_PER_USER`, counted under the user's lock like :func:`check_rule_room`."""
    if match_type != "regex":
        return
    stmt = select(func.count(Rule.id)).where(Rule.user_id == user_id, Rule.match_type == "regex")
    if rule_id is not None:
        stmt = stmt.where(Rule.id != rule_id)
    if count_under_user_lock(session, user_id, stmt) >= MAX_REGEX_RULES_PER_USER:
        raise ValidationError(
            f"You already have {plural(MAX_REGEX_RULES_PER_USER, 'regular-expression rule')}, the most BudgetWise keeps: "
            "each is checked against the text of every transaction. Use \"contains\" or \"starts with\" where you can, "
            "or delete some first.", field="match_type")


def parse_rule_amount(text: str, *, currency: str, field: str, decimal_hint: str | None = None) -> int | None:
    """A rule's minimum or maximum amount as typed: blank is no bound; a sign is dropped (a rule's
    bounds apply to the amount's size, income or expense); else minor units of ``currency``, read with
    the user's decimal separator (``decimal_hint``: "12.500" is 12.5 or refused, never 12,500, for a user
    whose decimal separator is "."). Raises ValidationError naming ``field`` for text that is not an amount."""
    if not text.strip():
        return None
    value = abs(parse_decimal(text, field=field, decimal_hint=decimal_hint))
    if value > MAX_AMOUNT:  # session 23: 20 nines reached the BIGINT column and failed there ("an unexpected problem")
        raise ValidationError(f"{field_words(field)} {quoted(text.strip())} is implausibly large (the limit is {MAX_AMOUNT:,}).",
                              field=field)
    return to_minor(value, currency)


def validate_rule_spec(session: Session, *, user_id: int | None, spec: RuleSpec, is_global: bool = False) -> RuleSpec:
    """Check every field of a rule; return it cleaned. Raises ValidationError naming the field."""
    match_type = (spec.match_type or "").strip().lower().replace(" ", "_")
    if match_type not in MATCH_TYPES:
        raise ValidationError("The match type must be contains, starts with, exact or regex.", field="match_type")
    pattern = clean_text(spec.pattern)
    limit = MAX_GLOBAL_PATTERN_LENGTH if is_global else MAX_PATTERN_LENGTH
    if match_type == "regex":
        compile_regex(pattern, max_length=limit)
    else:
        if not _fold_pattern(pattern):
            raise ValidationError("Enter the text the description should match.", field="pattern")
        if len(pattern) > limit:
            raise ValidationError(f"The pattern is too long ({limit} characters at most).", field="pattern")
    name = clean_text(spec.name, max_length=None)
    if len(name) > MAX_RULE_NAME:
        raise ValidationError(f"The rule name is too long ({MAX_RULE_NAME} characters at most).", field="name")
    try:
        priority = int(spec.priority)
    except (TypeError, ValueError):
        raise ValidationError("The priority must be a whole number.", field="priority") from None
    if not MIN_PRIORITY <= priority <= MAX_PRIORITY:
        raise ValidationError(
            f"The priority must be between {MIN_PRIORITY:,} and {MAX_PRIORITY:,} (lower runs first).", field="priority"
        )
    lo, hi = spec.min_amount_minor, spec.max_amount_minor
    for value, fld in ((lo, "min_amount"), (hi, "max_amount")):
        if value is not None and (isinstance(value, bool) or not isinstance(value, int) or value < 0):
            raise ValidationError("Amounts in a rule must be zero or more.", field=fld)
        if value is not None and value > MAX_MINOR:
            raise ValidationError(f"{field_words(fld)} of the rule is implausibly large.", field=fld)
    if lo is not None and hi is not None and lo > hi:
        raise ValidationError("The minimum amount is larger than the maximum amount.", field="min_amount")
    kind = (spec.kind or "").strip().lower() or None
    if kind is not None and kind not in TRANSACTION_KINDS:
        raise ValidationError("The type must be income, expense or any.", field="kind")
    account = clean_text(spec.account, max_length=None) or None
    if account is not None and len(account) > 100:
        raise ValidationError("The account is too long (100 characters at most).", field="account")
    account = row_text(account)  # as the rows keep it: an account number masked (session 27)
    if is_global:
        cat = session.scalar(select(Category).where(Category.id == spec.category_id, Category.user_id.is_(None)))
        if cat is None:
            raise NotFoundError("Global rules can only use the default categories.", field="category")
    else:
        categories_service.get_category(session, user_id=user_id, category_id=int(spec.category_id))
    return RuleSpec(
        category_id=int(spec.category_id), pattern=pattern, match_type=match_type, name=name, priority=priority,
        min_amount_minor=lo, max_amount_minor=hi, kind=kind, account=account, is_active=bool(spec.is_active),
    )


def _default_rule_name(spec: RuleSpec) -> str:
    label = {"contains": "contains", "starts_with": "starts with", "exact": "is", "regex": "matches"}[spec.match_type]
    return f"Description {label} “{spec.pattern[:60]}”"[:MAX_RULE_NAME]


def create_rule(session: Session, *, user_id: int, spec: RuleSpec, origin: str = "user") -> RuleView:
    """Add a rule of the user's own ("user", or "learned" from a correction)."""
    if origin not in ("user", "learned"):
        raise ValidationError("A user's rule is written by hand or learned.", field="origin")
    clean = validate_rule_spec(session, user_id=user_id, spec=spec)
    check_rule_room(session, user_id)
    _check_regex_room(session, user_id, clean.match_type)
    rule = Rule(
        user_id=user_id, category_id=clean.category_id, name=clean.name or _default_rule_name(clean),
        priority=clean.priority, match_type=clean.match_type, pattern=clean.pattern,
        min_amount_minor=clean.min_amount_minor, max_amount_minor=clean.max_amount_minor, kind=clean.kind,
        account=clean.account, origin=origin, is_active=clean.is_active,
    )
    session.add(rule)
    session.flush()
    touch_data(session, user_id)
    return get_rule(session, user_id=user_id, rule_id=rule.id)


def _own_rule(session: Session, user_id: int, rule_id: int) -> Rule:
    rule = session.get(Rule, int(rule_id))
    if rule is None or (rule.user_id is not None and rule.user_id != user_id):
        raise NotFoundError(f"Rule {rule_id} does not exist.", field="rule")
    if rule.user_id is None:
        raise PermissionDenied("Default rules are managed by an administrator; create your own rule instead.")
    return rule


def update_rule(session: Session, *, user_id: int, rule_id: int, spec: RuleSpec) -> RuleView:
    """Change one of the user's rules (a learned rule edited by hand stays 'learned')."""
    rule = _own_rule(session, user_id, rule_id)
    clean = validate_rule_spec(session, user_id=user_id, spec=spec)
    _check_regex_room(session, user_id, clean.match_type, rule_id=rule.id)
    _assign(rule, clean)
    session.flush()
    touch_data(session, user_id)
    return get_rule(session, user_id=user_id, rule_id=rule.id)


def _assign(rule: Rule, clean: RuleSpec) -> None:
    rule.category_id = clean.category_id
    rule.name = clean.name or _default_rule_name(clean)
    rule.priority = clean.priority
    rule.match_type = clean.match_type
    rule.pattern = clean.pattern
    rule.min_amount_minor = clean.min_amount_minor
    rule.max_amount_minor = clean.max_amount_minor
    rule.kind = clean.kind
    rule.account = clean.account
    rule.is_active = clean.is_active
    rule.updated_at = utcnow()


def delete_rule(session: Session, *, user_id: int, rule_id: int) -> None:
    """Delete one of the user's rules. Categories it set stay until rules are re-applied."""
    rule = _own_rule(session, user_id, rule_id)
    session.delete(rule)
    session.flush()
    touch_data(session, user_id)


# --------------------------------------------------------------------------- global rules (admins)
def _global_rule(session: Session, rule_id: int) -> Rule:
    rule = session.scalar(select(Rule).where(Rule.id == int(rule_id), Rule.user_id.is_(None)))
    if rule is None:
        raise NotFoundError(f"Default rule {rule_id} does not exist.", field="rule")
    return rule


def _global_rule_view(session: Session, rule: Rule) -> RuleView:
    return _rule_view(rule, session.scalar(select(Category.name).where(Category.id == rule.category_id)) or "")


def _refuse_archived(session: Session, category_id: int, *, current: int | None = None) -> None:
    cat = session.get(Category, category_id)
    if cat is not None and cat.is_archived and cat.id != current:
        if current is None:
            raise ValidationError(f"{quoted(cat.name)} is archived: restore it before adding rules for it.", field="category")
        raise ValidationError(f"{quoted(cat.name)} is archived: choose another category.", field="category")


_AUDITED_FIELDS = ("category_id", "match_type", "pattern", "priority", "kind", "is_active",
                   "name", "min_amount_minor", "max_amount_minor", "account")


def admin_create_rule(session: Session, *, principal: Principal, spec: RuleSpec) -> RuleView:
    """Add a global (default) rule: the one way to write one (validated, audited)."""
    require_current_admin(session, principal)
    clean = validate_rule_spec(session, user_id=None, spec=spec, is_global=True)
    _refuse_archived(session, clean.category_id)
    rule = Rule(
        user_id=None, category_id=clean.category_id, name=clean.name or _default_rule_name(clean),
        priority=clean.priority, match_type=clean.match_type, pattern=clean.pattern,
        min_amount_minor=clean.min_amount_minor, max_amount_minor=clean.max_amount_minor, kind=clean.kind,
        account=clean.account, origin="default", is_active=clean.is_active,
    )
    session.add(rule)
    session.flush()
    view = _global_rule_view(session, rule)
    audit.record(session, principal, "rule.create", target=f"rule #{rule.id}",
                 details=f"Default rule: {view.match_type} {view.pattern!r} -> {view.category_name!r} (priority {view.priority}).")
    session.flush()
    return view


def admin_update_rule(session: Session, *, principal: Principal, rule_id: int, spec: RuleSpec) -> RuleView:
    """Replace the fields of a global rule (validated; audited with what changed)."""
    require_current_admin(session, principal)
    rule = _global_rule(session, rule_id)
    clean = validate_rule_spec(session, user_id=None, spec=spec, is_global=True)
    _refuse_archived(session, clean.category_id, current=rule.category_id)
    before = _rule_view(rule, "")
    name = rule.name if not clean.name else clean.name  # an unnamed edit keeps the rule's name
    _assign(rule, replace(clean, name=name))
    after = _global_rule_view(session, rule)
    changes = [
        f"{f}: {getattr(before, f)!r} -> {getattr(after, f)!r}" for f in _AUDITED_FIELDS
        if getattr(before, f) != getattr(after, f)
    ]
    if changes:
        audit.record(session, principal, "rule.update", target=f"rule #{rule.id}", details="; ".join(changes))
    session.flush()
    return after


def admin_delete_rule(session: Session, *, principal: Principal, rule_id: int) -> None:
    """Delete a global rule (audited). Transactions it categorized keep their category."""
    require_current_admin(session, principal)
    rule = _global_rule(session, rule_id)
    description = f"{rule.match_type} {rule.pattern!r} -> category #{rule.category_id}"
    session.delete(rule)  # transactions.rule_id is ON DELETE SET NULL
    audit.record(session, principal, "rule.delete", target=f"rule #{rule_id}", details=f"Deleted default rule {description}.")
    session.flush()


def _candidate_rule_row(spec: RuleSpec, rule_id: int | None, is_global: bool) -> _RuleRow:
    return _RuleRow(
        id=rule_id if rule_id is not None else -1, category_id=spec.category_id, match_type=spec.match_type,
        pattern=spec.pattern, min_amount_minor=spec.min_amount_minor, max_amount_minor=spec.max_amount_minor,
        kind=spec.kind, account=spec.account, origin="user", is_global=is_global,
    )


@dataclass(frozen=True)
class _RuleEffect:
    clean: RuleSpec
    matches: int
    manual: int
    # (transaction id, date, description, current category id, new (category_id, source, confidence, rule_id)),
    # the rule id being None where the rule under test decides (its id is known only once saved)
    changes: tuple[tuple[int, dt.date, str, int | None, tuple], ...]


def _rule_effect(session: Session, *, user_id: int, spec: RuleSpec, rule_id: int | None) -> _RuleEffect:
    """What saving this rule (new, or replacing ``rule_id``) does to existing transactions.

    The single source of both :func:`preview_rule` and :func:`save_rule_and_apply`, so that
    saving changes exactly what the test showed. A non-manual transaction changes when

    * the rule becomes its first match and gives it another category, or
    * (editing) the rule decided it before, no longer does, and the rules now in force give
      another category (none at all when no rule matches, as re-applying would).

    Nothing else is touched: other rules are not re-applied to every row here (that is the
    "Re-apply rules" action), so a category set by the import or the demo stays.
    """
    clean = validate_rule_spec(session, user_id=user_id, spec=spec)
    origin = "user"
    if rule_id is not None:
        origin = _own_rule(session, user_id, rule_id).origin
    current = list(_rule_rows(session, user_id))
    others = [r for r in current if r.id != rule_id]
    candidate = replace(_candidate_rule_row(clean, rule_id, is_global=False), origin=origin)
    # place it like list order does: user rules by (priority, id); a new rule goes after equal priorities
    prio = _priorities(session, user_id)
    prio[candidate.id] = clean.priority
    user_rules = [r for r in others if not r.is_global] + ([candidate] if clean.is_active else [])
    user_rules.sort(key=lambda r: (prio.get(r.id, DEFAULT_USER_PRIORITY), r.id if r.id >= 0 else 1 << 62))
    rows_new = tuple(user_rules + [r for r in others if r.is_global])
    only = _compiled_rules((candidate,))
    ruleset = _compiled_rules(rows_new)
    stmt = select(
        Transaction.id, Transaction.date, Transaction.description, Transaction.amount_minor, Transaction.kind,
        Transaction.account, Transaction.category_id, Transaction.category_manual, Transaction.category_source,
        Transaction.rule_id,
    ).where(Transaction.user_id == user_id)
    rows = session.execute(stmt).all()
    quick = _match_rows(only, [(r.description, r.amount_minor, r.kind, r.account) for r in rows]) if clean.is_active \
        else [None] * len(rows)
    picked = [(r, q is not None) for r, q in zip(rows, quick)
              if q is not None or (rule_id is not None and r.rule_id == rule_id)]
    decided = _match_rows(ruleset, [(r.description, r.amount_minor, r.kind, r.account) for r, _ in picked])
    matches = manual = 0
    changes = []
    for (r, matched), hit in zip(picked, decided):
        mine = hit is not None and hit.row.id == candidate.id
        if r.category_manual:
            manual += matched
            continue
        if mine:
            matches += 1
            if r.category_id != clean.category_id:
                changes.append((r.id, r.date, r.description, r.category_id,
                                (clean.category_id, hit.source, hit.row.confidence, None)))
        elif r.rule_id == rule_id and rule_id is not None:  # the edited rule lets go of it
            new = _rules_say(hit, r.category_source)
            if new is None:
                continue
            if new[0] != r.category_id:
                changes.append((r.id, r.date, r.description, r.category_id, new))
    return _RuleEffect(clean=clean, matches=matches, manual=manual, changes=tuple(changes))


def preview_rule(
    session: Session, *, user_id: int, spec: RuleSpec, rule_id: int | None = None, sample_size: int = 20
) -> RulePreview:
    """What saving this rule (new, or replacing ``rule_id``) would do to existing transactions.

    Counts the user's non-manual transactions the rule would decide (it is the first match)
    and how many transactions would change category ("this rule would change 37
    transactions"): exactly what :func:`save_rule_and_apply` then changes.
    """
    effect = _rule_effect(session, user_id=user_id, spec=spec, rule_id=rule_id)
    names = _category_names(session, user_id)
    sample = tuple(
        (tid, day, description, names.get(old) if old else None, names.get(new[0]) if new[0] else None)
        for tid, day, description, old, new in effect.changes[:sample_size]
    )
    return RulePreview(matches=effect.matches, would_change=len(effect.changes), manual_skipped=effect.manual,
                       sample=sample)


def _priorities(session: Session, user_id: int) -> dict[int, int]:
    return {rid: p for rid, p in session.execute(select(Rule.id, Rule.priority).where(Rule.user_id == user_id))}


def save_rule_and_apply(
    session: Session, *, user_id: int, spec: RuleSpec, rule_id: int | None = None, apply: bool = True
) -> tuple[RuleView, int]:
    """Create (or update) a rule; with ``apply``, make exactly the changes :func:`preview_rule` reports.

    Returns the rule and how many transactions changed category. Other rules are not
    re-applied (see :func:`_rule_effect`); hand-set categories are never touched. Under the user's lock, taken
    before the rows are read (its Core update of the rows would otherwise lock them before the user, session 28).
    """
    lock_user_for_import(session, user_id)
    effect = _rule_effect(session, user_id=user_id, spec=spec, rule_id=rule_id) if apply else None
    view = (
        update_rule(session, user_id=user_id, rule_id=rule_id, spec=spec)
        if rule_id is not None
        else create_rule(session, user_id=user_id, spec=spec)
    )
    if not effect or not effect.changes:
        return view, 0
    now = utcnow()
    updates = [
        {"id": tid, "category_id": new[0], "category_source": new[1], "category_confidence": new[2],
         "rule_id": view.id if (new[0] is not None and new[3] is None) else new[3], "category_signal": None,
         "updated_at": now}
        for tid, _, _, _, new in effect.changes
    ]
    for part in chunked(updates, 1000):
        session.execute(update(Transaction), part)
    touch_data(session, user_id)
    return view, len(updates)
