"""A file without a description column keeps its own category labels (session 21's new-user trial: the
Vermillion .xlsx's unmapped "Recreation" was lost and its rows waited in Categorize with a blank description).
A row with no description keeps its label as its description; it is no merchant to learn from, and a file
imported before this (rows stored with a blank description) is not imported twice."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from budgetwise.errors import ImportFileError
from budgetwise.importing import ImportOptions
from budgetwise.models import Rule, Transaction
from budgetwise.services import categorize
from budgetwise.services import importing as svc
from budgetwise.services.importing import duplicates

NO_DESCRIPTION = (b"Category,Date,AmountIn,AmountOut\n"
                  b"Recreation,2024-03-01,,25.00\nRecreation,2024-03-02,,25.00\nGroceries,2024-03-03,,40.10\n"
                  b"Employment,2024-03-04,1500.00,\n")


def _rows(session, uid):
    return session.execute(select(Transaction.description, Transaction.category_id)
                           .where(Transaction.user_id == uid).order_by(Transaction.date)).all()


def _as_stored_blank(session, uid):
    """The user's rows as an import before the change stored them: no description, a blank one's fingerprint."""
    for t in session.scalars(select(Transaction).where(Transaction.user_id == uid)):
        t.description = ""
        t.fingerprint = duplicates.fingerprints(
            __import__("pandas").DataFrame([{"date": t.date, "amount_minor": t.amount_minor, "kind": t.kind,
                                              "currency": t.currency, "description": ""}])).iloc[0]
    session.flush()


def test_an_unmapped_label_is_kept_as_the_description_of_a_row_that_has_none(session, alice):
    uid = alice.user_id
    preview = svc.preview_import(session, user_id=uid, data=NO_DESCRIPTION, filename="v.csv")
    recreation = next(m for m in preview.labels if m.label == "Recreation")
    options = ImportOptions(category_map=tuple((m.label, None if m.label == "Recreation" else m.category_id)
                                               for m in preview.labels))
    svc.commit_import(session, user_id=uid, data=NO_DESCRIPTION, filename="v.csv", options=options)
    rows = _rows(session, uid)
    assert [d for d, _ in rows] == ["Recreation", "Recreation", "Groceries", "Employment"]
    assert recreation.count == 2
    # the preview says what happens to a label left unmapped
    assert "keeps its label as its description (“Recreation”)" in svc.labels_note(preview)


def _learned(session, uid):
    return session.scalars(select(Rule.pattern).where(Rule.user_id == uid, Rule.origin == "learned")).all()


def test_a_label_kept_as_the_description_is_imported_but_not_learned_from(session, alice):
    """Session 24 (trial24): such rows refused the whole file when learning was on; they are imported with their
    category now, and nothing is learned from a label."""
    uid = alice.user_id
    learn = ImportOptions(learn_from_labels=True)
    preview = svc.preview_import(session, user_id=uid, data=NO_DESCRIPTION, filename="v.csv", options=learn)
    assert preview.refusal == "" and preview.rows_to_import == 4
    result = svc.commit_import(session, user_id=uid, data=NO_DESCRIPTION, filename="v.csv", options=learn)
    assert result.rows_imported == 4
    assert _learned(session, uid) == []
    groceries = next(m.category_id for m in preview.labels if m.label == "Groceries")
    assert (("Groceries", groceries) in _rows(session, uid)) and groceries is not None


# a budgeting app's export ("Labels" column: learning starts on): titles typed by the owner, some of them only the
# category again ("Netflix" under "Netflix", as in a Bluecoins export where 912 of 2,286 rows were so)
APP_EXPORT = (b"Date,Title,Amount,Category,Labels\n"
              b"2024-03-01,Zyx Trattoria,-30.00,Restaurants,\n2024-03-02,Netflix,-13.99,Netflix,\n"
              b"2024-03-03,Netflix,-13.99,Netflix,\n2024-03-04,,-5.00,Restaurants,\n")


def test_an_app_export_with_titles_equal_to_their_category_imports_with_the_defaults(session, alice):
    uid = alice.user_id
    preview = svc.preview_import(session, user_id=uid, data=APP_EXPORT, filename="bluecoins.csv")
    assert preview.learn_from_labels  # an app's export: the page starts with learning on
    assert preview.refusal == "" and preview.can_commit and preview.rows_to_import == 4
    note = svc.labels_note(preview)
    assert "3 rows have no description of their own in the file (none, or the label again)" in note
    assert "They are imported under the category their label is given, but nothing is learned from them" in note
    result = svc.commit_import(session, user_id=uid, data=APP_EXPORT, filename="bluecoins.csv")
    assert result.rows_imported == 4
    dining = next(m.category_id for m in preview.labels if m.label == "Restaurants")
    guess = categorize.categorize_items(session, user_id=uid,
                                        items=[categorize.CategorizeItem("ZYX TRATTORIA", 1000, "expense")])[0]
    assert dining is not None and guess.category_id == dining  # the titled row is learned
    assert not [p for p in _learned(session, uid) if "netflix" in p.lower() or "restaurants" in p.lower()]


def test_a_mostly_unlabelled_learning_file_is_still_refused(session, alice):
    data = (b"Date,Title,Amount,Category,Labels\n2024-03-01,Zyx Trattoria,-30.00,Restaurants,\n"
            b"2024-03-02,Zyx Shop,-5.00,,\n2024-03-03,Other Shop,-7.00,,\n")
    with pytest.raises(ImportFileError, match="only 1 of 3 rows have a category"):
        svc.commit_import(session, user_id=alice.user_id, data=data, filename="b.csv")


def test_a_file_imported_before_with_blank_descriptions_is_not_imported_twice(session, alice):
    uid = alice.user_id
    first = svc.commit_import(session, user_id=uid, data=NO_DESCRIPTION, filename="v.csv")
    assert first.rows_imported == 4
    # as an import before session 21 stored them: no description, the fingerprint of a blank one
    _as_stored_blank(session, uid)
    again = svc.preview_import(session, user_id=uid, data=NO_DESCRIPTION, filename="v.csv")
    assert again.rows_new == 0
    more = NO_DESCRIPTION + b"Recreation,2024-03-05,,25.00\n"
    result = svc.commit_import(session, user_id=uid, data=more, filename="w.csv")
    assert (result.rows_imported, result.rows_duplicate) == (1, 4)


SAME_DESCRIPTION = (b"Date,Description,Amount\n2024-03-01,CARD PAYMENT,-25.00\n2024-03-02,CARD PAYMENT,-25.00\n"
                    b"2024-03-03,CARD PAYMENT,-40.10\n2024-03-04,CARD PAYMENT,-12.00\n")


def test_a_file_of_one_description_imported_before_it_was_read_is_not_imported_twice(session, alice):
    """Session 22 (import22) reads a description column holding one text on every row; before, such rows were
    stored with a blank description, whose fingerprint must still count, as for the labels above."""
    uid = alice.user_id
    first = svc.commit_import(session, user_id=uid, data=SAME_DESCRIPTION, filename="c.csv")
    assert first.rows_imported == 4
    assert {d for d, _ in _rows(session, uid)} == {"CARD PAYMENT"}
    _as_stored_blank(session, uid)
    assert svc.preview_import(session, user_id=uid, data=SAME_DESCRIPTION, filename="c.csv").rows_new == 0
    more = SAME_DESCRIPTION + b"2024-03-05,CARD PAYMENT,-25.00\n"
    result = svc.commit_import(session, user_id=uid, data=more, filename="d.csv")
    assert (result.rows_imported, result.rows_duplicate) == (1, 4)
