"""The user's categorized history as knowledge (the database edge of :mod:`.history`).

History = the user's transactions whose category the user gave: set by hand, an accepted
suggestion (both ``category_manual``), or an imported file's own category column
(``category_source='import'``). The merchant memory and the per-user model are fitted
on the most recent MODEL_MAX_EXAMPLES of them and memoized by the exact training set
(a small LRU behind a lock), so they are refitted only when that history changes.
"""

from __future__ import annotations

import threading
from collections import OrderedDict

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from budgetwise.models import Category, Transaction
from budgetwise.services.categorize.history import HistoryRow, UserKnowledge, text_words
from budgetwise.services.categorize.model import MODEL_MAX_EXAMPLES, memoized
from budgetwise.services.categorize.ruleset import _UTR_HINT, _canon, _texts, utr_key
from budgetwise.services.categorize.types import MAX_TEXT
from budgetwise.text import clean_text

_CACHE: OrderedDict[tuple, UserKnowledge] = OrderedDict()
_LOCK = threading.Lock()
_CACHE_SIZE = 8


def history_rows(session: Session, user_id: int) -> list[tuple]:
    """(description, kind, category_id, amount_minor, date, account) of the user's history, newest first."""
    stmt = (
        select(Transaction.description, Transaction.kind, Transaction.category_id, Transaction.amount_minor,
               Transaction.date, Transaction.account)
        .join(Category, Category.id == Transaction.category_id)
        .where(
            Transaction.user_id == user_id,
            or_(Transaction.category_manual.is_(True), Transaction.category_source == "import"),
            Transaction.category_id.is_not(None),
            Category.is_archived.is_(False),
        )
        .order_by(Transaction.date.desc(), Transaction.id.desc())
        .limit(MODEL_MAX_EXAMPLES)
    )
    return [tuple(r) for r in session.execute(stmt)]


def history_forms(text: str, cache: dict[str, tuple[str, str]] | None = None) -> tuple[str, str]:
    """(words without digits, learning key) of a description, as the memory and the model see it.

    Worked out on the digit-canonical text (every digit run one 0): the key and the words
    leave out words with digits anyway, so "REF 123" and "REF 98765" share the work.
    """
    c = _canon(text)
    if cache is not None:
        hit = cache.get(c)
        if hit is not None:
            return hit
    f, _, key = _texts(c)
    if _UTR_HINT.search(f):  # an Indian NEFT / RTGS reference: its digit count says it is one (since session 15)
        return text_words(f), utr_key(text)
    out = (text_words(f), key)
    if cache is not None:
        cache[c] = out
    return out


def build_knowledge(rows: list[tuple]) -> UserKnowledge:
    """Memory and model from (description, kind, category_id, amount_minor, date, account) rows."""
    forms: dict[str, tuple[str, str]] = {}
    out = []
    for description, kind, category_id, amount, date, account in rows:
        text = clean_text(description or "")[:MAX_TEXT]
        words, key = history_forms(text, forms)
        out.append(HistoryRow(key, words, kind, int(amount), getattr(date, "day", None), account or None,
                              int(category_id), text))  # text: what the default rules read (as for new rows)
    return UserKnowledge(out)


def user_knowledge(session: Session, user_id: int) -> UserKnowledge | None:
    """The user's knowledge (None: no categorized history yet)."""
    rows = history_rows(session, user_id)
    if not rows:
        return None
    key = (user_id, hash(tuple(rows)), len(rows))
    return memoized(_CACHE, _LOCK, _CACHE_SIZE, key, lambda: build_knowledge(rows))
