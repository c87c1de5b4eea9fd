"""Text every description of an import shares names no merchant (session 19, issue #16): a real export ended every
description with "… - Omitted due to Privacy Reasons"; the plan offered "omitted due", filing 186 rows of PayPal
and other payees under one category with one click. Synthetic payees, any shared phrase."""

from __future__ import annotations

import datetime as dt

from budgetwise.importing import ImportOptions
from budgetwise.services import categories, importing
from budgetwise.services import categorize as cz
from budgetwise.services.categorize import history
from budgetwise.textforms import learn_key, shared_words

D0 = dt.date(2024, 1, 2)
TAIL = " - Hidden For Data Protection Purposes"  # not the trial's phrase: the detection knows no phrase
PAYEES = {  # payee -> rows; "PayPal", "Q1000" and "H&M" leave no word of their own in the learning key
    "PayPal": 9, "Q1000": 5, "H&M": 3, "Zorblat Markt": 8, "Vrenglo Cafe": 6, "Quixa Energie": 4, "Blorp Boeken": 4,
    "Nuhtfit Gym": 3, "Trabzo Reizen": 3, "Plimsel Apotheek": 3, "Kwerty Kapper": 2, "Drosk Bakkerij": 2,
}


def _file() -> bytes:
    lines = ["Date,Description,Amount"]
    day = 0
    for payee, n in PAYEES.items():
        for i in range(n):
            day += 1
            lines.append(f"{(D0 + dt.timedelta(days=day)).isoformat()},{payee}{TAIL},-{10 + i}.50")
    return ("\n".join(lines) + "\n").encode()


def test_the_shared_phrase_is_read_from_the_keys_and_stays_in_the_learning_key():
    keys = [learn_key(f"{p}{TAIL}") for p in PAYEES]
    assert learn_key(f"PayPal{TAIL}") == learn_key(f"Q1000{TAIL}")  # the payee's own words were dropped: one key
    assert shared_words(keys) >= {"hidden", "data", "protection", "purposes"}
    assert "zorblat" not in shared_words(keys) and shared_words(keys[:5]) == frozenset()  # too few keys say nothing
    assert learn_key(f"Zorblat Markt{TAIL}").startswith("zorblat markt ")  # one description's key keeps the phrase


def test_a_stem_always_holds_the_merchants_words_wherever_the_shared_text_is():
    shared = frozenset({"hidden", "data", "protection", "purposes"})
    assert history.plan_stem("zorblat markt hidden data protection purposes", shared=shared) == "zorblat markt"
    assert history.plan_stem("hidden data protection purposes", shared=shared) == ""  # no merchant: no group
    # the phrase first: the stem keeps it as the key's prefix and reaches the payee's words, never "hidden data"
    assert history.plan_stem("hidden data protection purposes blue parrot", shared=shared) == (
        "hidden data protection purposes blue parrot")
    neighbours = [history.Neighbour("zorblat markt hidden data protection purposes", 7, True)]
    assert history.choose_stem("hidden data protection purposes", 3, neighbours, shared=shared) == (
        "hidden data protection purposes")  # a correction of a key of shared words teaches that key only
    assert history.choose_stem("hidden data protection purposes blue parrot cafe", 3, [], shared=shared) == (
        "hidden data protection purposes blue parrot")


def test_the_plan_never_offers_the_shared_phrase_nor_groups_different_payees(session, alice):
    importing.commit_import(session, user_id=alice.user_id, data=_file(), filename="private.csv", options=ImportOptions())
    plan = cz.labelling_plan(session, user_id=alice.user_id, limit=20)
    stems = [i.stem for i in plan.items]
    assert stems and all(w not in s.split() for s in stems for w in ("hidden", "data", "protection", "purposes"))
    by_stem = {i.stem: i for i in plan.items}
    assert by_stem["zorblat markt"].rows == 8 and by_stem["quixa energie"].rows == 4
    for item in plan.items:  # every offer: one payee's rows (the payee's words are the same in all its keys)
        assert len({k.split()[0] for k in item.keys}) == 1, item
    # PayPal, Q1000 and H&M: their keys fall back to the payee's own words (session 20), none is of shared words only
    assert plan.shared == 0 and "paypal" in by_stem
    assert plan.sorts == plan.waiting - plan.shared - plan.no_text  # the rest: each payee offered on its own
    # one click files that merchant's rows only ("vrenglo cafe" and "drosk bakkerij": a default rule was sure)
    cat = categories.find_category_by_name(session, user_id=alice.user_id, name="Dining")
    assert cat is not None
    dining = cat.id
    assert cz.label_merchant(session, user_id=alice.user_id, merchant="zorblat markt", category_id=dining,
                             kind="expense") == 8
    after = cz.labelling_plan(session, user_id=alice.user_id, limit=20)
    assert "zorblat markt" not in [i.stem for i in after.items] and after.shared == plan.shared
