"""Choices for the admin page's filter pickers (users, categories)."""

from __future__ import annotations

from sqlalchemy import not_, or_, select
from sqlalchemy.orm import Session

from budgetwise.models import Category, User
from budgetwise.principal import Principal
from budgetwise.services.auth import require_current_admin, visitor_email_clause


def user_choices(
    session: Session, *, principal: Principal, limit: int = 1000, include_visitors: bool = False,
) -> list[tuple[int, str]]:
    """(id, email) of users for filter pickers, by email. Demo mode's temporary visitor accounts are
    left out unless ``include_visitors``, as :func:`budgetwise.services.admin.users.list_users` does."""
    require_current_admin(session, principal)
    stmt = select(User.id, User.email)
    if not include_visitors:
        stmt = stmt.where(not_(visitor_email_clause()))
    return [(int(i), e) for i, e in session.execute(stmt.order_by(User.email).limit(limit))]


def category_choices(session: Session, *, principal: Principal, user_id: int | None = None) -> list[tuple[int, str]]:
    """(id, label) of the global categories, plus the chosen user's own ones, for filter pickers."""
    require_current_admin(session, principal)
    cond = Category.user_id.is_(None)
    if user_id is not None:
        cond = or_(cond, Category.user_id == int(user_id))
    rows = session.execute(select(Category.id, Category.name, Category.user_id).where(cond).order_by(Category.name))
    return [(int(i), name if uid is None else f"{name} (own)") for i, name, uid in rows]
