"""Model suggestions for stored transactions, and accepting them.

A suggestion is shown only when the model is confident enough; it is stored only when the
user accepts it (``category_source='model'``, ``category_manual=True``).
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from budgetwise.errors import NotFoundError
from budgetwise.models import Transaction, utcnow
from budgetwise.services import categories as categories_service
from budgetwise.services.categorize.engine import _category_names
from budgetwise.services.categorize.model import MODEL_MIN_CONFIDENCE, _user_model
from budgetwise.services.categorize.types import SOURCE_MODEL, Suggestion
from budgetwise.services.versions import touch_data


def suggest_for_transactions(
    session: Session, *, user_id: int, transaction_ids: Sequence[int]
) -> dict[int, Suggestion]:
    """Model suggestions for these (uncategorized or not) transactions of the user."""
    ids = sorted({int(i) for i in transaction_ids})
    if not ids:
        return {}
    model = _user_model(session, user_id)
    if model is None:
        return {}
    names = _category_names(session, user_id)
    rows = []
    for start in range(0, len(ids), 900):
        rows.extend(
            session.execute(
                select(Transaction.id, Transaction.description, Transaction.kind).where(
                    Transaction.user_id == user_id, Transaction.id.in_(ids[start : start + 900])
                )
            ).all()
        )
    preds = model.predict([r.description for r in rows], [r.kind for r in rows])
    out = {}
    for r, (cid, p) in zip(rows, preds):
        if cid is not None and cid in names and p >= MODEL_MIN_CONFIDENCE:
            out[r.id] = Suggestion(r.id, cid, names[cid], round(float(p), 4))
    return out


def accept_suggestions(session: Session, *, user_id: int, accepted: Sequence[tuple[int, int, float]]) -> int:
    """Store accepted suggestions (transaction_id, category_id, confidence): they now stick like manual ones."""
    if not accepted:
        return 0
    ids = sorted({int(t) for t, _, _ in accepted})
    owned = set()
    for start in range(0, len(ids), 900):
        owned.update(
            session.scalars(
                select(Transaction.id).where(Transaction.user_id == user_id, Transaction.id.in_(ids[start : start + 900]))
            )
        )
    missing = [i for i in ids if i not in owned]
    if missing:
        raise NotFoundError(f"Transaction {missing[0]} does not exist; nothing was changed.")
    for cid in {int(c) for _, c, _ in accepted}:
        categories_service.get_category(session, user_id=user_id, category_id=cid)
    changes = [
        {"id": int(t), "category_id": int(c), "category_manual": True, "category_source": SOURCE_MODEL,
         "category_confidence": float(p), "rule_id": None, "updated_at": utcnow()}
        for t, c, p in accepted
    ]
    for start in range(0, len(changes), 1000):
        session.execute(update(Transaction), changes[start : start + 1000])
    touch_data(session, user_id)
    return len(changes)
