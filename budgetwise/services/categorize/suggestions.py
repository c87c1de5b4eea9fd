"""Model suggestions for stored transactions, and accepting them.

A suggestion is shown only when the model is confident enough; it is stored only when the
user accepts it (``category_source='model'``, ``category_manual=True``).
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from budgetwise.db import chunked
from budgetwise.errors import NotFoundError
from budgetwise.models import Transaction, utcnow
from budgetwise.services import categories as categories_service
from budgetwise.services.categorize.engine import _category_names
from budgetwise.services.categorize.history import MEMORY_OVER_RULES, ModelRow
from budgetwise.services.categorize.knowledge import history_forms, shared_text, user_knowledge
from budgetwise.services.categorize.model import MODEL_MIN_CONFIDENCE
from budgetwise.services.categorize.types import SOURCE_MODEL, SOURCE_RULE, Suggestion
from budgetwise.services.versions import lock_user_for_import, touch_data


def suggest_for_transactions(
    session: Session, *, user_id: int, transaction_ids: Sequence[int]
) -> dict[int, Suggestion]:
    """Suggestions from the user's history for these (uncategorized or not) transactions.

    The same knowledge the importer uses (:mod:`.knowledge`): the merchant memory first,
    then the per-user model; shown when at least MODEL_MIN_CONFIDENCE sure (calibrated) and surer than a default
    rule's answer the row holds.
    """
    ids = sorted({int(i) for i in transaction_ids})
    if not ids:
        return {}
    shared = shared_text(session, user_id)  # the keys as the importer reads them
    knowledge = user_knowledge(session, user_id, shared)
    if knowledge is None:
        return {}
    names = _category_names(session, user_id)
    rows = []
    for part in chunked(ids):
        rows.extend(
            session.execute(
                select(Transaction.id, Transaction.description, Transaction.kind, Transaction.amount_minor,
                       Transaction.date, Transaction.account, Transaction.category_id, Transaction.category_source,
                       Transaction.category_confidence).where(
                    Transaction.user_id == user_id, Transaction.id.in_(part)
                )
            ).all()
        )
    forms: dict[str, tuple[str, str]] = {}
    answers: dict[int, tuple[int | None, float]] = {}
    need_model = []
    for r in rows:
        words, key = history_forms(r.description or "", forms, shared)
        hit = knowledge.memory.lookup(key, r.kind)
        if hit is not None:  # a merchant filed under several categories answers by the amount
            hit = knowledge.memory.at_amount(hit, int(r.amount_minor))
        if hit is not None and hit.confidence >= MEMORY_OVER_RULES:
            answers[r.id] = (hit.category, hit.confidence)
        else:
            need_model.append((r, ModelRow(words, key, r.kind, int(r.amount_minor), r.date.day, r.account or None),
                               hit))
    if need_model:
        preds = knowledge.model.predict([m for _, m, _ in need_model]) if knowledge.model is not None else []
        for i, (r, _, hit) in enumerate(need_model):
            cid, p = preds[i] if preds else (None, 0.0)
            if hit is not None and (cid is None or hit.confidence >= p):
                cid, p = hit.category, hit.confidence
            answers[r.id] = (cid, p)
    out = {}
    for r in rows:
        cid, p = answers.get(r.id, (None, 0.0))
        if cid is not None and cid in names and p >= MODEL_MIN_CONFIDENCE and p > _held(r):
            out[r.id] = Suggestion(r.id, cid, names[cid], round(float(p), 4))
    return out


def _held(r) -> float:
    """How sure the row's stored answer of a default rule is (0.0: none): a suggestion must be surer to be shown, as
    the importer weighs a rule's guess against the history's (``history.decide``; session 29: a fallback rule's
    answer sat under "Groceries (35%)" from a history of eight merchants)."""
    if r.category_id is None or r.category_source != SOURCE_RULE:
        return 0.0
    return float(r.category_confidence or 0.0)


def accept_suggestions(session: Session, *, user_id: int, accepted: Sequence[tuple[int, int, float]]) -> int:
    """Store accepted suggestions (transaction_id, category_id, confidence): they now stick like manual ones. Under
    the user's lock, taken first (the rows' Core update locked them before the user's row, session 28)."""
    if not accepted:
        return 0
    lock_user_for_import(session, user_id)
    ids = sorted({int(t) for t, _, _ in accepted})
    owned = set()
    for part in chunked(ids):
        owned.update(
            session.scalars(select(Transaction.id).where(Transaction.user_id == user_id, Transaction.id.in_(part)))
        )
    missing = [i for i in ids if i not in owned]
    if missing:
        raise NotFoundError(f"Transaction {missing[0]} does not exist; nothing was changed.")
    for cid in {int(c) for _, c, _ in accepted}:
        categories_service.get_category(session, user_id=user_id, category_id=cid)
    changes = [
        {"id": int(t), "category_id": int(c), "category_manual": True, "category_source": SOURCE_MODEL,
         "category_confidence": float(p), "rule_id": None, "category_signal": None, "updated_at": utcnow()}
        for t, c, p in accepted
    ]
    for changes_part in chunked(changes, 1000):
        session.execute(update(Transaction), changes_part)
    touch_data(session, user_id)
    return len(changes)
