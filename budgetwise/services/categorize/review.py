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
    'guess' = a rule's answer stored under LOW_CONFIDENCE: a fallback guess or a less sure default rule)."""
    guess = func.coalesce(Transaction.category_confidence, 1.0) < LOW_CONFIDENCE
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

# =========================================================================== the fastest path to "categorized"
@dataclass(frozen=True)
class LabellingPlan:
    """"Label these N to sort M": the merchants whose labelling sorts the most waiting rows."""

    waiting: int  # uncategorized or uncertain (confidence < LOW_CONFIDENCE, not set by hand)
    uncategorized: int
    items: tuple  # history.PlanItem, largest first

    @property
    def sorts(self) -> int:
        return sum(i.rows for i in self.items)


def _waiting_clause():
    return or_(Transaction.category_id.is_(None), and_(
        Transaction.category_manual.is_(False), Transaction.category_confidence < LOW_CONFIDENCE
    ))


def labelling_plan(session: Session, *, user_id: int, limit: int = 10) -> LabellingPlan:
    """How many transactions wait for a category, and the few merchants that would sort most of them.

    One SQL GROUP BY over the waiting rows' descriptions; the merchant of each distinct
    description is worked out once and grouped over branch, city, terminal and country
    suffixes (:func:`history.plan_stem`).
    """
    from budgetwise.services.categorize import history
    from budgetwise.services.categorize.textforms import learn_key

    stmt = (
        select(Transaction.description, Transaction.category_id.is_(None), func.count(Transaction.id))
        .where(Transaction.user_id == user_id, _waiting_clause())
        .group_by(Transaction.description, Transaction.category_id.is_(None))
    )
    rows = session.execute(stmt).all()
    waiting = sum(int(n) for _, _, n in rows)
    uncategorized = sum(int(n) for _, none, n in rows if none)
    keys: dict[str, str] = {}
    grouped = []
    for description, _, n in rows:
        k = keys.get(description)
        if k is None:
            k = keys[description] = learn_key(description)
        grouped.append((k, description, int(n)))
    items = tuple(history.labelling_plan(grouped, limit=limit))
    return LabellingPlan(waiting, uncategorized, items)


def label_merchant(session: Session, *, user_id: int, merchant: str, category_id: int) -> int:
    """One click of the plan: learn ``merchant`` (a plan item's stem) as ``category_id`` and apply it.

    Creates (or updates) a learned ``starts_with`` rule on the merchant's words, so every
    branch and terminal follows; past transactions that were not set by hand change now.
    Returns how many changed category.
    """
    from budgetwise.services.categorize.engine import apply_rules_to_transactions
    from budgetwise.services.categorize.learning import (
        _merchant_transactions,
        _upsert_learned_rule,
    )
    from budgetwise.services.versions import touch_data

    merchant = " ".join(clean_text(merchant).split())[:200]
    if not merchant:
        from budgetwise.errors import ValidationError

        raise ValidationError("Choose a merchant to label.")
    _upsert_learned_rule(session, user_id, merchant, int(category_id), "starts_with")
    touch_data(session, user_id)
    ids = [r.id for r in _merchant_transactions(session, user_id, merchant, match_type="starts_with")
           if not r.category_manual]
    return apply_rules_to_transactions(session, user_id=user_id, transaction_ids=ids) if ids else 0
