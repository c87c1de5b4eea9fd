"""Categories: the global defaults (seeded by migration) plus each user's own."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from budgetwise.errors import ConflictError, NotFoundError, PermissionDenied, ValidationError
from budgetwise.kinds import is_category_kind
from budgetwise.models import Category, Transaction, utcnow
from budgetwise.names import clean_name, name_key, quoted, same_name
from budgetwise.services.versions import count_under_user_lock, touch_data
from budgetwise.text import clean_text

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


def usable_for(categories: Iterable[CategoryView], kind: str) -> list[CategoryView]:
    """The categories a new transaction of ``kind`` (income / expense) is offered: those of its own
    kind and transfers (money between one's own accounts goes either way), in the order given."""
    allowed = {"expense": ("expense", "transfer"), "income": ("income", "transfer")}[kind]
    return [c for c in categories if c.kind in allowed]


def get_category(session: Session, *, user_id: int, category_id: int) -> CategoryView:
    """A category this user may use (a global default or their own), else NotFoundError."""
    cat = session.scalar(
        select(Category).where(Category.id == category_id, visible_categories_clause(user_id))
    )
    if cat is None:
        raise NotFoundError("That category does not exist.", field="category")
    return _view(cat)


def find_category_by_name(session: Session, *, user_id: int, name: str) -> CategoryView | None:
    """The user's own category of that name wins over the global default (by :func:`name_key`: case, spacing and a
    decomposed "é" ignored, as the duplicate check compares)."""
    wanted = name_key(clean_text(name))
    if not wanted:
        return None
    matches = [c for c in list_categories(session, user_id=user_id, include_archived=True) if name_key(c.name) == wanted]
    matches.sort(key=lambda c: (c.is_global, c.is_archived))
    return matches[0] if matches else None


# --------------------------------------------------------------------------- the user's own categories
MAX_NAME = 60
# Every page's category pickers list them all (session 21: none was the limit; a household uses a few dozen).
MAX_OWN_CATEGORIES = 500
_COLOR = re.compile(r"^#[0-9a-fA-F]{6}$")


def _validate_name(name: str) -> str:
    return clean_name(name, what="category", limit=MAX_NAME, missing="Enter a name for the category.")


def _validate_color(color: str) -> str:
    value = (color or "").strip()
    if not _COLOR.match(value):
        raise ValidationError("The colour must look like #1f77b4.", field="color")
    return value.lower()


def _check_unique(session: Session, user_id: int, name: str, exclude_id: int | None = None) -> None:
    cats = {c.id: c for c in list_categories(session, user_id=user_id, include_archived=True)}
    taken = same_name(name, ((i, c.name) for i, c in cats.items()), exclude_id=exclude_id)
    if taken is not None:
        c = cats[taken[0]]
        where = "a default category" if c.is_global else ("an archived category" if c.is_archived else "a category")
        raise ConflictError(f"There is already {where} named {quoted(c.name)}.", field="name")


def _own(session: Session, user_id: int, category_id: int) -> Category:
    cat = session.scalar(select(Category).where(Category.id == category_id, visible_categories_clause(user_id)))
    if cat is None:
        raise NotFoundError("That category does not exist.", field="category")
    if cat.user_id is None:
        raise PermissionDenied("Default categories are managed by an administrator; add your own category instead.")
    return cat


def create_category(session: Session, *, user_id: int, name: str, kind: str, color: str = "#8c8c8c") -> CategoryView:
    """Add a category of the user's own (income, expense or transfer)."""
    clean = _validate_name(name)
    kind_value = (kind or "").strip().lower()
    if not is_category_kind(kind_value):
        raise ValidationError("The type must be income, expense or transfer.", field="kind")
    _check_unique(session, user_id, clean)
    held = count_under_user_lock(  # under the user's lock: requests at once queue
        session, user_id, select(func.count(Category.id)).where(Category.user_id == user_id)
    )
    if held >= MAX_OWN_CATEGORIES:
        raise ValidationError(f"You have {held:,} categories of your own (archived ones count); the most BudgetWise "
                              f"keeps is {MAX_OWN_CATEGORIES:,}: merge or delete some first.", field="name")
    cat = Category(user_id=user_id, name=clean, kind=kind_value, color=_validate_color(color))
    session.add(cat)
    session.flush()
    touch_data(session, user_id)
    return _view(cat)


def update_category(
    session: Session, *, user_id: int, category_id: int, name: str | None = None, color: str | None = None,
    archived: bool | None = None,
) -> CategoryView:
    """Rename, recolour, archive or restore one of the user's own categories."""
    cat = _own(session, user_id, category_id)
    if name is not None:
        clean = _validate_name(name)
        _check_unique(session, user_id, clean, exclude_id=cat.id)
        cat.name = clean
    if color is not None:
        cat.color = _validate_color(color)
    if archived is not None:
        cat.is_archived = bool(archived)
    cat.updated_at = utcnow()
    session.flush()
    touch_data(session, user_id)
    return _view(cat)


def rename_category(session: Session, *, user_id: int, category_id: int, name: str) -> CategoryView:
    return update_category(session, user_id=user_id, category_id=category_id, name=name)


def recolor_category(session: Session, *, user_id: int, category_id: int, color: str) -> CategoryView:
    return update_category(session, user_id=user_id, category_id=category_id, color=color)


def archive_category(session: Session, *, user_id: int, category_id: int, archived: bool = True) -> CategoryView:
    """Archived categories keep their transactions but are no longer offered, and rules using them pause."""
    return update_category(session, user_id=user_id, category_id=category_id, archived=archived)


def category_usage(session: Session, *, user_id: int) -> dict[int, int]:
    """How many of the user's transactions each category holds (one GROUP BY)."""
    stmt = (
        select(Transaction.category_id, func.count(Transaction.id))
        .where(Transaction.user_id == user_id, Transaction.category_id.is_not(None))
        .group_by(Transaction.category_id)
    )
    return {int(cid): int(n) for cid, n in session.execute(stmt)}
