"""A learning key of the text every description shares falls back to the payee's own words (session 20, issue #16).

A real export ended every description with "… - Omitted due to Privacy Reasons"; payees whose own words the key drops
(a payment service, a name with digits, single letters) all got the key of the phrase, and a correction of one row
filed them all. Synthetic payees, a phrase of our own (the fallback knows no phrase)."""

from __future__ import annotations

from sqlalchemy import select, update

from budgetwise.importing import ImportOptions
from budgetwise.models import Rule, Transaction
from budgetwise.services import categories, importing
from budgetwise.services import categorize as cz
from budgetwise.services.categorize.knowledge import shared_text, user_knowledge
from budgetwise.textforms import learn_key, learn_key_before_session_20, payee_key, shared_words
from tests.services.categorize.test_plan_shared_text import PAYEES, TAIL, _file

SHARED = frozenset({"hidden", "for", "data", "protection", "purposes"})


def test_each_payee_gets_its_own_key_where_only_shared_words_are_left():
    keys = {p: learn_key(f"{p}{TAIL}", SHARED) for p in PAYEES}
    assert keys["PayPal"] == "paypal" and keys["Q1000"] == "q1000" and keys["H&M"] == "h&m"
    assert len(set(keys.values())) == len(PAYEES)  # every payee its own key
    assert keys["Zorblat Markt"] == learn_key(f"Zorblat Markt{TAIL}")  # a key with the payee's words: unchanged
    assert shared_words(learn_key(f"{p}{TAIL}") for p in PAYEES) == SHARED  # read from the one-description keys
    # without shared words (or where none is read) the key is the one of one description, as before session 20
    for p in PAYEES:
        assert learn_key(f"{p}{TAIL}") == learn_key_before_session_20(f"{p}{TAIL}")
    assert learn_key(f"PayPal 2024-01-03 12345{TAIL}", SHARED) == "paypal"  # numbers stay out
    assert learn_key(f"PayPal ref AB12CD{TAIL}", SHARED) == "paypal"  # a word with a digit only where nothing else
    assert learn_key(TAIL, SHARED) == learn_key(TAIL)  # no payee word at all: the key as it was
    assert payee_key("hidden data", "x y hidden data", frozenset()) == "hidden data"


def _rows(session, user_id, payee):
    return session.execute(select(Transaction.id, Transaction.category_id).where(
        Transaction.user_id == user_id, Transaction.description == f"{payee}{TAIL}")).all()


def _by_hand(session, tid, category_id):  # as the page's "Save changes" does before it learns
    session.execute(update(Transaction).where(Transaction.id == tid).values(category_id=category_id,
                                                                             category_manual=True))


def test_a_correction_of_one_payee_files_only_its_own_rows(session, alice):
    uid = alice.user_id
    importing.commit_import(session, user_id=uid, data=_file(), filename="private.csv", options=ImportOptions())
    assert shared_text(session, uid) == SHARED
    chosen = categories.find_category_by_name(session, user_id=uid, name="Entertainment")  # not the rules' answer
    groceries = categories.find_category_by_name(session, user_id=uid, name="Groceries")
    assert chosen is not None and groceries is not None
    before = {p: dict(_rows(session, uid, p)) for p in ("Q1000", "H&M")}
    paypal = _rows(session, uid, "PayPal")
    _by_hand(session, paypal[0].id, chosen.id)
    offer, changed = cz.learn_and_apply(session, user_id=uid, transaction_id=paypal[0].id, category_id=chosen.id)
    assert offer.merchant == "paypal" and changed == len(paypal) - 1  # its other 8 rows only
    assert all(c == chosen.id for _, c in _rows(session, uid, "PayPal"))
    assert {p: dict(_rows(session, uid, p)) for p in ("Q1000", "H&M")} == before  # the others untouched
    learned = session.scalars(select(Rule.pattern).where(Rule.user_id == uid, Rule.origin == "learned")).all()
    assert learned == ["paypal"]
    # a correction of Q1000 teaches Q1000 only; re-apply (the importer's path) keeps both apart
    q = _rows(session, uid, "Q1000")
    _by_hand(session, q[0].id, groceries.id)
    cz.learn_and_apply(session, user_id=uid, transaction_id=q[0].id, category_id=groceries.id)
    cz.reapply_categories(session, user_id=uid)
    assert {c for _, c in _rows(session, uid, "Q1000")} == {groceries.id}
    assert {c for _, c in _rows(session, uid, "PayPal")} == {chosen.id}
    assert dict(_rows(session, uid, "H&M")) == before["H&M"]
    # the merchant memory keeps the payees apart too: PayPal's history is no answer for H&M
    knowledge = user_knowledge(session, uid, SHARED)
    assert knowledge is not None
    assert knowledge.memory.lookup("h&m", "expense") is None
    hit = knowledge.memory.lookup("paypal", "expense")
    assert hit is not None and hit.category == chosen.id
    # a new batch (the CLI's and the importer's one entry) files a new PayPal row and leaves H&M alone
    guesses = cz.categorize_rows(session, user_id=uid, descriptions=[f"PayPal{TAIL}", f"H&M{TAIL}"],
                                 amounts_minor=[500, 700], kinds=["expense", "expense"], accounts=[None, None],
                                 history_over_rules=True)
    assert guesses[0].category_id == chosen.id and guesses[1].category_id != chosen.id


def test_the_plan_offers_each_payee_on_its_own(session, alice):
    importing.commit_import(session, user_id=alice.user_id, data=_file(), filename="private.csv", options=ImportOptions())
    plan = cz.labelling_plan(session, user_id=alice.user_id, limit=20)
    by_stem = {i.stem: i for i in plan.items}
    assert by_stem["paypal"].rows == 9 and by_stem["h&m"].rows == 3
    assert plan.shared == 0  # no row's key is of shared words only any more
    assert all(w not in s.split() for s in by_stem for w in SHARED)


def test_the_shared_words_are_read_from_the_users_own_descriptions_only(session, alice, bob):
    importing.commit_import(session, user_id=bob.user_id, data=_file(), filename="private.csv", options=ImportOptions())
    assert shared_text(session, bob.user_id) == SHARED
    assert shared_text(session, alice.user_id) == frozenset()  # another user's export says nothing about alice's
    assert shared_text(session, alice.user_id, [f"{p}{TAIL}" for p in PAYEES]) == SHARED  # her batch does
