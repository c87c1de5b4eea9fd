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
