"""Caches shared by every user of a process are keyed by the user and the exact input, never by a hash alone
(session 21, sec21): a collision of a 64-bit key must not serve one user's result to another."""

from __future__ import annotations

import datetime as dt

from budgetwise.services import transactions as tx
from budgetwise.services.categories import find_category_by_name
from budgetwise.services.categorize import model
from tests.conftest import create_user


def _hand_categorized(session, principal, words: list[str]) -> None:
    food = find_category_by_name(session, user_id=principal.user_id, name="Groceries")
    fun = find_category_by_name(session, user_id=principal.user_id, name="Entertainment")
    assert food is not None and fun is not None
    for i, word in enumerate(words * 2):
        tx.add_transaction(session, user_id=principal.user_id, date=dt.date(2025, 1, 1 + i % 28), amount="9.00",
                           kind="expense", description=f"{word} {i}", category_id=(food if i % 2 else fun).id)


def test_a_colliding_key_never_serves_another_users_model(db, session, monkeypatch):
    """The legacy per-user model (``categorize.model._user_model``, the benchmark's) was memoized in a process-wide
    cache under ``(hash(training set), size)``; with a collision (forced here: every hash is 0) user B received
    the model fitted on user A's descriptions. The key is now the user and the training set itself."""
    monkeypatch.setattr(model, "hash", lambda _value: 0, raising=False)
    monkeypatch.setattr(model, "_MODEL_CACHE", type(model._MODEL_CACHE)())
    alice = create_user(session, db.settings, "alice@example.com", "Alice")
    bob = create_user(session, db.settings, "bob@example.com", "Bob")
    _hand_categorized(session, alice, [f"ALICE PRIVATE SHOP {n}" for n in range(12)])
    _hand_categorized(session, bob, [f"BOB OWN STORE {n}" for n in range(12)])
    first, second = model._user_model(session, alice.user_id), model._user_model(session, bob.user_id)
    assert first is not None and second is not None
    assert second is not first
    vocabulary = second.pipeline.named_steps["tfidfvectorizer"].vocabulary_
    assert "ali" not in vocabulary and "bob" in vocabulary
