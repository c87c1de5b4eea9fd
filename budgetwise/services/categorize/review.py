"""The review queue of the Categorize page and the categorization statistics."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, replace

from sqlalchemy import and_, func, or_, select
from sqlalchemy.orm import Session

from budgetwise.models import Category, Transaction
from budgetwise.services.categorize.model import LOW_CONFIDENCE
from budgetwise.services.categorize.suggestions import suggest_for_transactions
from budgetwise.services.categorize.types import SOURCE_RULE, Suggestion
from budgetwise.text import clean_text


@dataclass(frozen=True)
class ReviewRow:
    id: int
    date: dt.date
    description: str
    amount_minor: int
    currency: str
    kind: str
    account: str | None
    category_id: int | None
    category_name: str | None
    category_source: str | None
    confidence: float | None
    suggestion: Suggestion | None = None


def review_queue(
    session: Session, *, user_id: int, limit: int = 200, include_confident: bool = False,
    date_from: dt.date | None = None, date_to: dt.date | None = None, text: str = "",
) -> tuple[list[ReviewRow], int]:
    """Transactions to look at first: uncategorized, then low-confidence, newest first.

    Returns (rows, total waiting). Uncategorized rows, and rows holding only a guess of a
    fallback rule, carry the model's suggestion if any. With ``include_confident`` every
    non-manual transaction is listed after those.
    """
    limit = max(1, min(int(limit), 1000))
    low = or_(Transaction.category_id.is_(None), and_(
        Transaction.category_manual.is_(False), Transaction.category_confidence < LOW_CONFIDENCE
    ))
    base = (
        select(Transaction, Category.name)
        .outerjoin(Category, Category.id == Transaction.category_id)
        .where(Transaction.user_id == user_id)
    )
    if not include_confident:
        base = base.where(low)
    else:
        base = base.where(or_(low, Transaction.category_manual.is_(False)))
    if date_from is not None:
        base = base.where(Transaction.date >= date_from)
    if date_to is not None:
        base = base.where(Transaction.date <= date_to)
    needle = clean_text(text)[:100]
    if needle:
        escaped = needle.lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        base = base.where(func.lower(Transaction.description).like(f"%{escaped}%", escape="\\"))
    total = int(session.scalar(select(func.count()).select_from(base.subquery())) or 0)
    stmt = base.order_by(
        Transaction.category_id.is_not(None),  # uncategorized (False) first
        func.coalesce(Transaction.category_confidence, 0.0),
        Transaction.date.desc(),
        Transaction.id.desc(),
    ).limit(limit)
    result = session.execute(stmt).all()
    rows = [
        ReviewRow(
            id=t.id, date=t.date, description=t.description, amount_minor=t.amount_minor, currency=t.currency,
            kind=t.kind, account=t.account, category_id=t.category_id, category_name=name,
            category_source=t.category_source, confidence=t.category_confidence,
        )
        for t, name in result
    ]
    need = {r.id for r in rows if _wants_suggestion(r)}
    if need:
        sugg = suggest_for_transactions(session, user_id=user_id, transaction_ids=sorted(need))
        rows = [replace(r, suggestion=sugg.get(r.id)) if r.id in need else r for r in rows]
    return rows, total


def _wants_suggestion(r: ReviewRow) -> bool:
    if r.category_id is None:
        return True
    return r.category_source == SOURCE_RULE and r.confidence is not None and r.confidence < LOW_CONFIDENCE


def categorization_stats(session: Session, *, user_id: int) -> dict[str, int]:
    """How the user's transactions got their categories (counts by source; 'none' = uncategorized,
    'guess' = a fallback rule's low-confidence guess)."""
    guess = func.coalesce(Transaction.category_confidence, 1.0) < 1.0
    stmt = (
        select(Transaction.category_source, Transaction.category_id.is_(None), guess, func.count(Transaction.id))
        .where(Transaction.user_id == user_id)
        .group_by(Transaction.category_source, Transaction.category_id.is_(None), guess)
    )
    out: dict[str, int] = defaultdict(int)
    for source, is_none, is_guess, n in session.execute(stmt):
        if is_none:
            out["none"] += int(n)
        elif source == SOURCE_RULE and is_guess:
            out["guess"] += int(n)
        else:
            out[source or "other"] += int(n)
    return dict(out)
