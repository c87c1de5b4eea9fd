"""The per-user model: TF-IDF character n-grams of the learning key + logistic regression.

Trained on the user's own hand-categorized transactions, cached per user and data version
(a small LRU behind a lock). A prediction needs support: the text must resemble at least one
hand-categorized example, or the model says nothing.
"""

from __future__ import annotations

import threading
from collections import OrderedDict, defaultdict
from collections.abc import Callable, Hashable, Sequence
from typing import TypeVar

from sqlalchemy import select
from sqlalchemy.orm import Session

from budgetwise.models import Category, Transaction
from budgetwise.services.categorize.types import REVIEW_THRESHOLD
from budgetwise.textforms import learn_key

# The per-user model
MODEL_MIN_EXAMPLES = 20  # hand-categorized transactions needed before suggesting
MODEL_MIN_CATEGORIES = 2
MODEL_MAX_EXAMPLES = 20_000  # most recent hand-categorized rows used for training
MODEL_MIN_CONFIDENCE = 0.30  # below this a guess is not worth showing
MODEL_MIN_SIMILARITY = 0.5  # cosine similarity to the closest hand-categorized example
LOW_CONFIDENCE = REVIEW_THRESHOLD  # the Categorize page lists suggestions under this first
class _Model:
    """TF-IDF character n-grams of the learning key + logistic regression.

    A suggestion also needs support: the text must resemble (cosine similarity of the
    TF-IDF vectors) at least one transaction the user categorized by hand. Without it,
    an unseen merchant would just get the user's most common category.
    """

    def __init__(self, pipeline, train_matrix, classes: list[int]):
        self.pipeline = pipeline
        self.train_matrix = train_matrix
        self.classes = classes

    @staticmethod
    def features(description: str, kind: str) -> str:
        return f"{'+' if kind == 'income' else '-'} {learn_key(description)}"

    def predict(self, descriptions: Sequence[str], kinds: Sequence[str]) -> list[tuple[int | None, float]]:
        feats = [self.features(d, k) for d, k in zip(descriptions, kinds)]
        unique = list(dict.fromkeys(feats))
        vectorizer = self.pipeline.named_steps["tfidfvectorizer"]
        clf = self.pipeline.named_steps["logisticregression"]
        matrix = vectorizer.transform(unique)
        similarity = (matrix @ self.train_matrix.T).max(axis=1).toarray().ravel()
        proba = clf.predict_proba(matrix)
        best = proba.argmax(axis=1)
        by_feat = {}
        for i, f in enumerate(unique):
            if similarity[i] < MODEL_MIN_SIMILARITY:
                by_feat[f] = (None, 0.0)
            else:
                by_feat[f] = (int(clf.classes_[best[i]]), float(proba[i, best[i]]))
        return [by_feat[f] for f in feats]


_MODEL_CACHE: OrderedDict[tuple, _Model | None] = OrderedDict()
_MODEL_LOCK = threading.Lock()
_MODEL_CACHE_SIZE = 8

_T = TypeVar("_T")


def memoized(cache: OrderedDict, lock: threading.Lock, size: int, key: Hashable, make: Callable[[], _T]) -> _T:
    """``cache[key]``, made by ``make()`` when missing (outside ``lock``, which guards the cache); the
    ``size`` most recently used entries are kept. The per-user model and the user's knowledge
    (:mod:`.knowledge`) are memoized this way."""
    with lock:
        if key in cache:
            cache.move_to_end(key)
            return cache[key]
    value = make()
    with lock:
        cache[key] = value
        while len(cache) > size:
            cache.popitem(last=False)
    return value


def _training_rows(session: Session, user_id: int) -> list[tuple[str, str, int]]:
    stmt = (
        select(Transaction.description, Transaction.kind, Transaction.category_id)
        .join(Category, Category.id == Transaction.category_id)
        .where(
            Transaction.user_id == user_id,
            Transaction.category_manual.is_(True),
            Transaction.category_id.is_not(None),
            Category.is_archived.is_(False),
        )
        .order_by(Transaction.date.desc(), Transaction.id.desc())
        .limit(MODEL_MAX_EXAMPLES)
    )
    return [(d, k, c) for d, k, c in session.execute(stmt)]


def _fit_model(examples: tuple[tuple[str, int, int], ...]) -> _Model | None:
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import make_pipeline

    texts = [t for t, _, _ in examples]
    labels = [c for _, c, _ in examples]
    weights = [min(w, 5) for _, _, w in examples]  # a merchant seen 50 times should not drown the rest
    pipeline = make_pipeline(
        TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 4), sublinear_tf=True, min_df=1, max_features=50_000),
        LogisticRegression(C=20.0, max_iter=2000, class_weight="balanced"),
    )
    pipeline.fit(texts, labels, logisticregression__sample_weight=weights)
    train_matrix = pipeline.named_steps["tfidfvectorizer"].transform(texts)
    return _Model(pipeline, train_matrix, sorted(set(labels)))


def _user_model(session: Session, user_id: int) -> _Model | None:
    """The user's model, trained on their hand-categorized transactions (None: not enough data).

    Fitted models are memoized by the user and the exact training set (session 21: the key was a 64-bit ``hash``
    of the set, shared by every user, so a collision could hand one user another's model and its words), so a
    model is refitted only when the user's labels change.
    """
    rows = _training_rows(session, user_id)
    if len(rows) < MODEL_MIN_EXAMPLES:
        return None
    counts: dict[tuple[str, int], int] = defaultdict(int)
    for description, kind, category_id in rows:
        counts[(_Model.features(description, kind), int(category_id))] += 1
    if len({c for _, c in counts}) < MODEL_MIN_CATEGORIES:
        return None
    examples = tuple(sorted((t, c, n) for (t, c), n in counts.items()))
    key = (user_id, examples)  # compared whole on a hit: a hash collision cannot serve another set
    return memoized(_MODEL_CACHE, _MODEL_LOCK, _MODEL_CACHE_SIZE, key, lambda: _fit_model(examples))


def model_status(session: Session, *, user_id: int) -> tuple[bool, int]:
    """(whether suggestions are available, how many transactions make up the user's history).

    Suggestions come from the user's history (:mod:`.knowledge`: hand-set, accepted and
    imported-with-category rows); the model above is kept for the legacy benchmark only.
    """
    from budgetwise.services.categorize.knowledge import history_rows

    n = len(history_rows(session, user_id))
    return (n > 0, n)
