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
from collections.abc import Iterable

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from budgetwise.models import Category, Transaction
from budgetwise.services.categorize.history import HistoryRow, UserKnowledge, text_words
from budgetwise.services.categorize.model import MODEL_MAX_EXAMPLES, memoized
from budgetwise.services.categorize.ruleset import _UTR_HINT, Shared, _canon, _texts, utr_key
from budgetwise.services.categorize.types import MAX_TEXT
from budgetwise.text import clean_text
from budgetwise.textforms import learn_key_before_session_20 as one_key
from budgetwise.textforms import shared_words

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


SHARED_SAMPLE = 2000  # the user's most recent distinct descriptions (and as many of a batch's) read for shared text


def shared_text(session: Session, user_id: int, descriptions: Iterable[str] = ()) -> Shared:
    """The words (nearly) every description of the user holds: :func:`textforms.shared_words` over the keys (of one
    description each) of their :data:`SHARED_SAMPLE` most recent distinct descriptions and of up to as many distinct
    ``descriptions`` of a batch not stored yet (an import, the CLI's input). The one reading of an export's
    boilerplate ("… - Omitted due to Privacy Reasons") for the learning key (:func:`textforms.payee_key`), the label
    plan and the stems (sessions 19, 20)."""
    recent = session.execute(select(Transaction.description).where(Transaction.user_id == user_id)
                             .group_by(Transaction.description)
                             .order_by(func.max(Transaction.date).desc(), Transaction.description)
                             .limit(SHARED_SAMPLE)).scalars().all()
    return shared_of(recent, descriptions)


def shared_of(recent: Iterable[str], batch: Iterable[str] = ()) -> Shared:
    """:func:`shared_text` of given texts: the user's most recent distinct descriptions (newest first) and a batch's
    (the benchmarks mirror the app with it)."""
    texts: dict[str, None] = {}
    for part in (recent, batch):
        n = 0
        for d in part:
            if n >= SHARED_SAMPLE:
                break
            if d not in texts:
                texts[d] = None
                n += 1
    return shared_words(one_key(d) for d in texts)


def history_forms(text: str, cache: dict[str, tuple[str, str]] | None = None,
                  shared: Shared = frozenset()) -> tuple[str, str]:
    """(words without digits, learning key) of a description, as the memory and the model see it.

    Worked out on the digit-canonical text (every digit run one 0): the key and the words
    leave out words with digits anyway, so "REF 123" and "REF 98765" share the work.
    """
    c = _canon(text)
    if cache is not None:
        hit = cache.get(c)
        if hit is not None:
            return hit
    f, _, key = _texts(c, shared)
    if _UTR_HINT.search(f):  # an Indian NEFT / RTGS reference: its digit count says it is one (since session 15)
        return text_words(f), utr_key(text, shared)
    out = (text_words(f), key)
    if cache is not None:
        cache[c] = out
    return out


def build_knowledge(rows: list[tuple], shared: Shared = frozenset()) -> UserKnowledge:
    """Memory and model from (description, kind, category_id, amount_minor, date, account) rows; ``shared``: the
    words the user's descriptions share (:func:`shared_text`; the keys as :func:`engine.categorize_rows` reads them)."""
    forms: dict[str, tuple[str, str]] = {}
    out = []
    for description, kind, category_id, amount, date, account in rows:
        text = clean_text(description or "")[:MAX_TEXT]
        words, key = history_forms(text, forms, shared)
        out.append(HistoryRow(key, words, kind, int(amount), getattr(date, "day", None), account or None,
                              int(category_id), text))  # text: what the default rules read (as for new rows)
    return UserKnowledge(out)


def user_knowledge(session: Session, user_id: int, shared: Shared = frozenset()) -> UserKnowledge | None:
    """The user's knowledge (None: no categorized history yet); ``shared``: as for :func:`build_knowledge`."""
    rows = history_rows(session, user_id)
    if not rows:
        return None
    key = (user_id, hash(tuple(rows)), len(rows), shared)
    return memoized(_CACHE, _LOCK, _CACHE_SIZE, key, lambda: build_knowledge(rows, shared))
