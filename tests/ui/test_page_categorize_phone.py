"""Categorize on a phone (session 28, phone28): the review table's editable column in sight at 390 px."""

import datetime as dt
import json

from budgetwise.services import transactions as tx
from budgetwise.ui.categorize import review

PAGE = "pages/categorize.py"


def test_the_review_table_shows_what_to_set_before_the_explanations():
    """At 390 px the review table showed Date, Description and Amount; "Set category", the column the table is
    for, came after Category now and Suggestion, off to the right. It now comes right after the Description (no
    wider than REVIEW_DESCRIPTION_WIDTH) and the amount, which fit a phone's table with it."""
    assert review.REVIEW_COLUMNS[:3] == ("Description", "Amount", "Set category")
    assert review.REVIEW_COLUMNS[-1] == "How"  # the wide explanation last, as before
    assert review.REVIEW_DESCRIPTION_WIDTH + 80 + 115 <= 358  # Amount ~80 px, Set category ~115 px at 390 px


def test_the_review_editor_uses_that_order_and_saves_by_name(app_env):
    alice = app_env.create_user()
    with app_env.scope() as s:
        t = tx.add_transaction(s, user_id=alice.user_id, date=dt.date(2024, 3, 1), amount="9.99", kind="expense",
                               description="A RATHER LONG CARD PAYMENT DESCRIPTION 123456", category_id=None)
    at = app_env.page(PAGE, user=alice)
    at.run()
    assert not at.exception
    editor = next(e for e in at.get("arrow_data_frame") + at.get("data_editor")
                  if str(getattr(e, "key", "")).startswith("cat_editor_"))
    assert tuple(editor.proto.column_order) == review.REVIEW_COLUMNS
    config = {k.removeprefix("name:").removeprefix("col:"): v for k, v in json.loads(editor.proto.columns).items()}
    assert config["Description"]["width"] == review.REVIEW_DESCRIPTION_WIDTH
    at.session_state[str(editor.key)] = {"edited_rows": {0: {"Set category": "Health"}}, "added_rows": [],
                                         "deleted_rows": []}
    at.run()
    next(b for b in at.button if b.label == "Save changes").click()
    at.run()
    assert not at.exception
    with app_env.scope() as s:
        assert tx.get_transaction(s, user_id=alice.user_id, transaction_id=t.id).category_name == "Health"
