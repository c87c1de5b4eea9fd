"""The learn offer after a hand recategorization: what it shows and when it still stands (issue #14 item 14)."""

import datetime as dt

from budgetwise.services import categorize
from budgetwise.services import transactions as tx
from budgetwise.services.categories import find_category_by_name


def _offer(session, user, description="PAK N SAVE KILBIRNIE"):
    t = tx.add_transaction(session, user_id=user.user_id, date=dt.date(2025, 3, 1), amount="7", kind="expense",
                           description=description)
    health = find_category_by_name(session, user_id=user.user_id, name="Health")
    tx.update_transaction(session, user_id=user.user_id, transaction_id=t.id, category_id=health.id)
    return t, categorize.learn_from_correction(session, user_id=user.user_id, transaction_id=t.id,
                                               category_id=health.id)


def test_the_offer_carries_the_description_as_written(session, alice):
    _, offer = _offer(session, alice)
    assert offer.description == "PAK N SAVE KILBIRNIE"
    assert offer.merchant != offer.description  # the learning key is normalized (words dropped)


def test_the_offer_stands_only_while_its_transaction_keeps_the_category(session, alice, bob):
    t, offer = _offer(session, alice)
    assert categorize.learn_offer_is_current(session, user_id=alice.user_id, offer=offer)
    assert not categorize.learn_offer_is_current(session, user_id=bob.user_id, offer=offer)
    tx.update_transaction(session, user_id=alice.user_id, transaction_id=t.id, category_id=None)
    assert not categorize.learn_offer_is_current(session, user_id=alice.user_id, offer=offer)
    _, offer = _offer(session, alice, "Other shop")
    tx.delete_transaction(session, user_id=alice.user_id, transaction_id=offer.transaction_id)
    assert not categorize.learn_offer_is_current(session, user_id=alice.user_id, offer=offer)


def test_no_offer_to_learn_what_a_label_of_the_plan_already_taught(session, alice):
    """Session 22 (a new user's trial): the Categorize plan's Label filed "margaret ngigi" under Rent (a learned
    rule); correcting one more of her transfers to Rent on the Transactions page then asked "Learn this?" again, for
    a rule that already files her money out in Rent and would change no past transaction."""
    rent = find_category_by_name(session, user_id=alice.user_id, name="Rent")
    rows = [tx.add_transaction(session, user_id=alice.user_id, date=dt.date(2025, m, 1), amount="2750", kind="expense",
                               description=f"Customer Transfer to -2547******402 MARGARET NGIGI {m}") for m in (1, 2, 3)]
    categorize.label(session, user_id=alice.user_id, merchant="margaret ngigi", category_id=rent.id, kind="expense")
    tx.update_transaction(session, user_id=alice.user_id, transaction_id=rows[0].id, category_id=rent.id)
    offer = categorize.learn_from_correction(session, user_id=alice.user_id, transaction_id=rows[0].id,
                                             category_id=rent.id)
    assert offer.matching_past == 0 and offer.existing_rule_id is not None
    assert not offer.worthwhile
    # another category for her is still a lesson worth offering
    health = find_category_by_name(session, user_id=alice.user_id, name="Health")
    tx.update_transaction(session, user_id=alice.user_id, transaction_id=rows[1].id, category_id=health.id)
    assert categorize.learn_from_correction(session, user_id=alice.user_id, transaction_id=rows[1].id,
                                            category_id=health.id).worthwhile
