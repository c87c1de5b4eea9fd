"""Categories at import time: the categorizer's guesses, and a file's own category labels.

Skipped when budgetwise.services.categorize does not (yet) offer the functions the
importer codes against.
"""

from __future__ import annotations

import pytest
from sqlalchemy import select

from budgetwise.importing import ImportOptions
from budgetwise.models import Category, Transaction
from budgetwise.services import categories as categories_service
from budgetwise.services import importing as svc

categorize = pytest.importorskip("budgetwise.services.categorize")
for _name in ("categorize_items", "CategorizeItem", "map_external_categories", "learn_from_labeled", "RuleSpec", "create_rule"):
    if not hasattr(categorize, _name):
        pytest.skip(f"budgetwise.services.categorize has no {_name} yet", allow_module_level=True)


def _category(session, user_id, name):
    cat = categories_service.find_category_by_name(session, user_id=user_id, name=name)
    assert cat is not None, name
    return cat.id


def test_rules_categorize_imported_rows_and_the_preview_shows_it(session, alice):
    dining = _category(session, alice.user_id, "Dining")
    rule = categorize.create_rule(
        session, user_id=alice.user_id, spec=categorize.RuleSpec(category_id=dining, pattern="zorbas taverna")
    )
    data = b"Date,Description,Amount\n2024-03-01,ZORBAS TAVERNA 12,-30.00\n2024-03-02,Qwxyz unknown,-1.00\n"
    preview = svc.preview_import(session, user_id=alice.user_id, data=data, filename="a.csv")
    assert preview.categorizer
    assert (preview.rows[0].category_id, preview.rows[0].category_name, preview.rows[0].category_source) == (
        dining, "Dining", "rule")
    result = svc.commit_import(session, user_id=alice.user_id, data=data, filename="a.csv")
    rows = session.scalars(select(Transaction).where(Transaction.import_batch_id == result.batch_id).order_by(Transaction.date)).all()
    taverna = rows[0]
    assert (taverna.category_id, taverna.category_source, taverna.rule_id, taverna.category_manual) == (
        dining, "rule", rule.id, False)
    assert taverna.category_confidence == 1.0
    assert rows[1].category_manual is False


LABELLED = (
    "Date,Description,Amount,Category\n"
    "2024-03-01,Trattoria Roma,-30.00,Restaurants\n"
    "2024-03-02,Zyx Corner Shop,-5.00,Restaurants\n"
    "2024-03-03,Weird Label Shop,-7.00,Zzzz unknown label\n"
).encode()


def test_file_labels_are_mapped_and_stored_as_manual_import_categories(session, alice):
    dining = _category(session, alice.user_id, "Dining")
    preview = svc.preview_import(session, user_id=alice.user_id, data=LABELLED, filename="mint.csv")
    labels = {m.label: m for m in preview.labels}
    assert labels["Restaurants"].count == 2 and labels["Restaurants"].suggested_id == dining
    assert labels["Zzzz unknown label"].suggested_id is None
    result = svc.commit_import(session, user_id=alice.user_id, data=LABELLED, filename="mint.csv")
    rows = session.scalars(select(Transaction).where(Transaction.import_batch_id == result.batch_id).order_by(Transaction.date)).all()
    assert [(t.category_id, t.category_source, t.category_manual) for t in rows[:2]] == [
        (dining, "import", True), (dining, "import", True)]
    assert rows[2].category_manual is False  # unmapped label: left to the rules
    # learned as if corrected by hand: the merchant is now known to the categorizer
    guess = categorize.categorize_items(
        session, user_id=alice.user_id, items=[categorize.CategorizeItem("TRATTORIA ROMA", 1000, "expense")]
    )[0]
    assert guess.category_id == dining


def test_the_user_can_change_the_label_mapping(session, alice):
    groceries = _category(session, alice.user_id, "Groceries")
    options = ImportOptions(category_map=(("Restaurants", groceries), ("Zzzz unknown label", None)))
    preview = svc.preview_import(session, user_id=alice.user_id, data=LABELLED, filename="mint.csv", options=options)
    assert {m.label: m.category_id for m in preview.labels}["Restaurants"] == groceries
    result = svc.commit_import(session, user_id=alice.user_id, data=LABELLED, filename="mint.csv", options=options)
    ids = session.scalars(select(Transaction.category_id).where(Transaction.import_batch_id == result.batch_id).order_by(Transaction.date)).all()
    assert ids[:2] == [groceries, groceries]


def test_mapping_to_another_users_category_is_refused(session, alice, bob):
    own = Category(user_id=bob.user_id, name="Bob only", kind="expense")
    session.add(own)
    session.flush()
    from budgetwise.errors import NotFoundError

    with pytest.raises(NotFoundError):
        svc.commit_import(session, user_id=alice.user_id, data=LABELLED, filename="mint.csv",
                          options=ImportOptions(category_map=(("Restaurants", own.id),)))
    assert session.scalars(select(Transaction).where(Transaction.user_id == alice.user_id)).all() == []
