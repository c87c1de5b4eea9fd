"""Global categories (``user_id`` NULL): create, rename, recolour, archive, merge.

Global categories appear in every user's data, so each change bumps every user's data
version.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import delete, func, select, update
from sqlalchemy.orm import Session

from budgetwise.errors import ConflictError, NotFoundError, ValidationError
from budgetwise.models import CATEGORY_KINDS, Budget, Category, Rule, Transaction, utcnow
from budgetwise.names import clean_name, quoted, same_name
from budgetwise.principal import Principal
from budgetwise.services.admin.common import _COLOR, _audit, _bump_all_data_versions
from budgetwise.services.auth import require_current_admin
from budgetwise.services.categories import MAX_NAME
from budgetwise.services.versions import lock_users


@dataclass(frozen=True)
class GlobalCategory:
    id: int
    name: str
    kind: str
    color: str
    is_archived: bool
    transaction_count: int
    rule_count: int


def _global_category(session: Session, category_id: int) -> Category:
    cat = session.scalar(select(Category).where(Category.id == int(category_id), Category.user_id.is_(None)))
    if cat is None:
        raise NotFoundError(f"Global category {category_id} does not exist.", field="category")
    return cat


def _check_category_name(session: Session, name: str, *, exclude_id: int | None = None) -> str:
    value = clean_name(name, what="category", limit=MAX_NAME, missing="Enter a category name.")
    stmt = select(Category.id, Category.name).where(Category.user_id.is_(None))
    if same_name(value, [(i, n) for i, n in session.execute(stmt)], exclude_id=exclude_id) is not None:
        raise ConflictError(f"A global category named {quoted(value)} already exists.", field="name")
    return value


def _check_color(color: str) -> str:
    value = (color or "").strip()
    if not _COLOR.match(value):
        raise ValidationError(f"{quoted(color)} is not a colour like #4caf50.", field="color")
    return value.lower()


def _global_categories(session: Session, *, include_archived: bool = True, ids: Sequence[int] | None = None) -> list[GlobalCategory]:
    stmt = select(Category).where(Category.user_id.is_(None))
    if not include_archived:
        stmt = stmt.where(Category.is_archived.is_(False))
    if ids is not None:
        stmt = stmt.where(Category.id.in_(list(ids)))
    cats = session.scalars(stmt.order_by(Category.kind, Category.name)).all()
    found = [c.id for c in cats]
    txn_counts: dict[int, int] = {}
    rule_counts: dict[int, int] = {}
    if found:
        txn_counts = dict(
            session.execute(
                select(Transaction.category_id, func.count(Transaction.id))
                .where(Transaction.category_id.in_(found))
                .group_by(Transaction.category_id)
            ).all()
        )
        rule_counts = dict(
            session.execute(
                select(Rule.category_id, func.count(Rule.id)).where(Rule.category_id.in_(found)).group_by(Rule.category_id)
            ).all()
        )
    return [
        GlobalCategory(
            c.id, c.name, c.kind, c.color, c.is_archived, int(txn_counts.get(c.id, 0)), int(rule_counts.get(c.id, 0))
        )
        for c in cats
    ]


def list_global_categories(
    session: Session, *, principal: Principal, include_archived: bool = True
) -> list[GlobalCategory]:
    """The default categories every user shares, with how many transactions and rules use them."""
    require_current_admin(session, principal)
    return _global_categories(session, include_archived=include_archived)


def _category_view(session: Session, cat: Category) -> GlobalCategory:
    return _global_categories(session, ids=[cat.id])[0]


def create_global_category(
    session: Session, *, principal: Principal, name: str, kind: str, color: str = "#8c8c8c"
) -> GlobalCategory:
    require_current_admin(session, principal)
    if kind not in CATEGORY_KINDS:
        raise ValidationError("The kind must be expense, income or transfer.", field="kind")
    cat = Category(user_id=None, name=_check_category_name(session, name), kind=kind, color=_check_color(color))
    session.add(cat)
    session.flush()
    _bump_all_data_versions(session)
    _audit(session, principal, "category.create", target=f"category #{cat.id} {cat.name!r}",
           details=f"Created global {kind} category {cat.name!r}.")
    session.flush()
    return _category_view(session, cat)


def rename_global_category(session: Session, *, principal: Principal, category_id: int, name: str) -> GlobalCategory:
    """Rename a default category; every transaction, rule and budget keeps pointing at it."""
    require_current_admin(session, principal)
    lock_users(session)  # before the category row: a user writing a row of it holds theirs first (MariaDB)
    cat = _global_category(session, category_id)
    new_name = _check_category_name(session, name, exclude_id=cat.id)
    old_name = cat.name
    if new_name != old_name:
        cat.name = new_name
        cat.updated_at = utcnow()
        _bump_all_data_versions(session)
        _audit(session, principal, "category.rename", target=f"category #{cat.id} {new_name!r}",
               details=f"Renamed {old_name!r} to {new_name!r}.")
        session.flush()
    return _category_view(session, cat)


def set_global_category_color(session: Session, *, principal: Principal, category_id: int, color: str) -> GlobalCategory:
    require_current_admin(session, principal)
    lock_users(session)  # before the category row: a user writing a row of it holds theirs first (MariaDB)
    cat = _global_category(session, category_id)
    value = _check_color(color)
    if value != cat.color:
        old = cat.color
        cat.color = value
        cat.updated_at = utcnow()
        _bump_all_data_versions(session)
        _audit(session, principal, "category.color", target=f"category #{cat.id} {cat.name!r}",
               details=f"Colour changed from {old} to {value}.")
        session.flush()
    return _category_view(session, cat)


def archive_global_category(
    session: Session, *, principal: Principal, category_id: int, archived: bool = True
) -> GlobalCategory:
    """Hide a default category from the category pickers (or show it again).

    Existing transactions, rules and budgets keep it, so history and reports do not change.
    """
    require_current_admin(session, principal)
    lock_users(session)  # before the category row: a user writing a row of it holds theirs first (MariaDB)
    cat = _global_category(session, category_id)
    if cat.is_archived != archived:
        cat.is_archived = archived
        cat.updated_at = utcnow()
        _bump_all_data_versions(session)
        _audit(session, principal, "category.archive" if archived else "category.unarchive",
               target=f"category #{cat.id} {cat.name!r}",
               details=("Archived" if archived else "Restored") + f" the global category {cat.name!r}.")
        session.flush()
    return _category_view(session, cat)


@dataclass(frozen=True)
class MergeResult:
    source_name: str
    target: GlobalCategory
    transactions: int
    rules: int
    budgets_moved: int
    budgets_combined: int
    users_affected: int


def merge_global_categories(
    session: Session, *, principal: Principal, source_id: int, target_id: int
) -> MergeResult:
    """Merge ``source`` into ``target`` (two global categories of the same kind) for every user.

    In the caller's one transaction: every user's transactions and rules (default and
    personal) that use ``source`` are re-pointed at ``target``; budgets move too, and
    where a user already budgets ``target`` for the same month the two amounts are
    added up (same currency) so the month's total budget does not change. Then
    ``source`` is deleted. Hand-set categories stay hand-set.

    Every user's lock is taken first, in ascending id (``versions.lock_users``, session 29): the merge updated the
    users' rows and then bumped every user's data version, against the order of a user's edit of one of those rows
    (which holds the user's lock and then wants the row): a deadlock on PostgreSQL and MariaDB.
    """
    require_current_admin(session, principal)
    if int(source_id) == int(target_id):
        raise ValidationError("Choose two different categories to merge.", field="category")
    source = _global_category(session, source_id)
    target = _global_category(session, target_id)
    if source.kind != target.kind:
        raise ValidationError(
            f"{quoted(source.name)} is an {source.kind} category and {quoted(target.name)} an {target.kind} category: "
            "only categories of the same kind can be merged (it would change income and spending totals).",
            field="category",
        )
    lock_users(session)  # every user's lock first, in one order (session 29), as each user's own writes take it
    affected = set(
        session.scalars(select(Transaction.user_id).where(Transaction.category_id == source.id).distinct()).all()
    )
    affected |= set(session.scalars(select(Budget.user_id).where(Budget.category_id == source.id).distinct()).all())
    # Budgets first: (user, category, month) is unique.
    combined = 0
    for src_budget in session.scalars(select(Budget).where(Budget.category_id == source.id)).all():
        twin = session.scalar(
            select(Budget).where(
                Budget.user_id == src_budget.user_id, Budget.category_id == target.id, Budget.month == src_budget.month
            )
        )
        if twin is None:
            continue
        if twin.currency == src_budget.currency:
            twin.amount_minor += src_budget.amount_minor
            twin.updated_at = utcnow()
        session.delete(src_budget)
        combined += 1
    session.flush()
    moved_budgets = session.execute(
        update(Budget).where(Budget.category_id == source.id).values(category_id=target.id, updated_at=utcnow())
    ).rowcount or 0
    moved_txns = session.execute(
        update(Transaction)
        .where(Transaction.category_id == source.id)
        .values(category_id=target.id, updated_at=utcnow())
    ).rowcount or 0
    moved_rules = session.execute(
        update(Rule).where(Rule.category_id == source.id).values(category_id=target.id, updated_at=utcnow())
    ).rowcount or 0
    source_name = source.name
    session.execute(delete(Category).where(Category.id == source.id))
    _bump_all_data_versions(session)
    _audit(
        session, principal, "category.merge", target=f"category #{target.id} {target.name!r}",
        details=(
            f"Merged {source_name!r} (#{source_id}) into {target.name!r} (#{target.id}): "
            f"{moved_txns} transactions, {moved_rules} rules and {moved_budgets} budgets re-pointed, "
            f"{combined} budgets combined, {len(affected)} users affected."
        ),
    )
    session.flush()
    session.expire_all()
    return MergeResult(
        source_name=source_name,
        target=_category_view(session, _global_category(session, target.id)),
        transactions=int(moved_txns),
        rules=int(moved_rules),
        budgets_moved=int(moved_budgets),
        budgets_combined=combined,
        users_affected=len(affected),
    )
