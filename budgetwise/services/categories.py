"""Categories: the global defaults (seeded by migration) plus each user's own."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from budgetwise.errors import NotFoundError
from budgetwise.models import Category

# name, kind, colour. Seeded by migration 0001; "Transfer" categories never count as
# income or spending.
DEFAULT_CATEGORIES: tuple[tuple[str, str, str], ...] = (
    ("Groceries", "expense", "#4caf50"),
    ("Rent", "expense", "#795548"),
    ("Utilities", "expense", "#ff9800"),
    ("Transport", "expense", "#2196f3"),
    ("Dining", "expense", "#e91e63"),
    ("Entertainment", "expense", "#9c27b0"),
    ("Shopping", "expense", "#ff5722"),
    ("Health", "expense", "#f44336"),
    ("Insurance", "expense", "#607d8b"),
    ("Education", "expense", "#3f51b5"),
    ("Travel", "expense", "#00bcd4"),
    ("Subscriptions", "expense", "#673ab7"),
    ("Personal Care", "expense", "#f06292"),
    ("Gifts & Donations", "expense", "#ffc107"),
    ("Fees", "expense", "#9e9e9e"),
    ("Taxes", "expense", "#546e7a"),
    ("Transfers", "transfer", "#bdbdbd"),
    ("Salary", "income", "#2e7d32"),
    ("Investment Income", "income", "#1b5e20"),
    ("Refunds", "income", "#81c784"),
    ("Other Income", "income", "#a5d6a7"),
    ("Other", "expense", "#8c8c8c"),
)


@dataclass(frozen=True)
class CategoryView:
    id: int
    name: str
    kind: str
    color: str
    is_global: bool
    is_archived: bool


def _view(c: Category) -> CategoryView:
    return CategoryView(
        id=c.id, name=c.name, kind=c.kind, color=c.color, is_global=c.user_id is None, is_archived=c.is_archived
    )


def visible_categories_clause(user_id: int):
    return or_(Category.user_id.is_(None), Category.user_id == user_id)


def list_categories(session: Session, *, user_id: int, include_archived: bool = False) -> list[CategoryView]:
    """The global defaults and the user's own categories, by name."""
    stmt = select(Category).where(visible_categories_clause(user_id))
    if not include_archived:
        stmt = stmt.where(Category.is_archived.is_(False))
    return [_view(c) for c in session.scalars(stmt.order_by(Category.name))]


def get_category(session: Session, *, user_id: int, category_id: int) -> CategoryView:
    """A category this user may use (a global default or their own), else NotFoundError."""
    cat = session.scalar(
        select(Category).where(Category.id == category_id, visible_categories_clause(user_id))
    )
    if cat is None:
        raise NotFoundError("That category does not exist.", field="category")
    return _view(cat)


def find_category_by_name(session: Session, *, user_id: int, name: str) -> CategoryView | None:
    """The user's own category of that name wins over the global default (case-insensitive)."""
    wanted = (name or "").strip().casefold()
    if not wanted:
        return None
    matches = [c for c in list_categories(session, user_id=user_id, include_archived=True) if c.name.casefold() == wanted]
    matches.sort(key=lambda c: (c.is_global, c.is_archived))
    return matches[0] if matches else None
