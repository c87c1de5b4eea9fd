"""Session 15 (issue #16, "one correction teaches the merchant"): re-keying keeps money in and money out apart; a
one-letter name is not dropped for its city; places read where no marker parts them; Brazilian rails; the NEFT
memory key. Made-up texts only, no evaluation row."""

from __future__ import annotations

import datetime as dt

import pytest

from budgetwise.services import categories, transactions
from budgetwise.services import categorize as cz
from budgetwise.services.categorize.history import choose_stem, stem_matches, teach_stems
from budgetwise.services.categorize.knowledge import history_forms
from budgetwise.services.categorize.rekey import LearnedRule, learn_key_before_session_10, plan_rekey
from budgetwise.services.categorize.ruleset import _compiled_rules, _match_rows
from budgetwise.textforms import MIN_PLACE_NAMES, household_places, learn_key, learn_key_before_session_15

OLD, NEW = learn_key_before_session_10, learn_key
T0 = dt.datetime(2026, 12, 1)
D = dt.date(2026, 3, 2)


def _rule(rid, pattern, match_type="exact", category=1, day=0, kind=None):
    return LearnedRule(rid, pattern, match_type, category, T0 + dt.timedelta(days=day), kind)


# --------------------------------------------------------------------------- re-keying keeps the directions apart
def test_rules_of_two_directions_that_end_on_one_key_are_not_merged():
    # "atm08sep" money out (cash), "atm09sep" money in (a deposit at the machine): one key now, two rules still
    rules = [_rule(5, "atm08sep", category=1, kind="expense"), _rule(7, "atm09sep", category=2, day=3, kind="income")]
    rows = [("ATM08SEP", "expense"), ("ATM09SEP", "income")]
    plan = plan_rekey(rules, rows, before=OLD, after=NEW)
    assert not plan.merged
    assert plan.changed == {5: ("atm", "exact", 1), 7: ("atm", "exact", 2)}


def test_a_rule_for_both_directions_is_not_merged_with_one_for_one_direction():
    rules = [_rule(5, "atm08sep", category=1), _rule(7, "atm09sep", category=2, day=3, kind="income")]
    plan = plan_rekey(rules, ["ATM08SEP", "ATM09SEP"], before=OLD, after=NEW)
    assert not plan.merged and set(plan.changed) == {5, 7}


def test_rules_of_one_direction_still_merge():
    rules = [_rule(5, "atm08sep", category=1, kind="expense"), _rule(7, "atm09sep", category=2, day=3, kind="expense")]
    plan = plan_rekey(rules, [("ATM08SEP", "expense"), ("ATM09SEP", "expense")], before=OLD, after=NEW)
    assert plan.merged == {7: 5} and plan.changed == {5: ("atm", "exact", 2)}


def test_a_rule_of_one_direction_takes_the_key_of_its_own_direction_rows_only():
    # the money-out rule "sao paulo" covered the pharmacy's card rows; a money-in row of another payee under the
    # same earlier key is not its row
    rows = [("DROGASIL1148 SAO PAULO", "expense"), ("SALARIO1234 SAO PAULO", "income")]
    plan = plan_rekey([_rule(1, "sao paulo", category=4, kind="expense")], rows, before=OLD, after=NEW)
    assert plan.changed == {1: ("drogasil sao paulo", "exact", 4)} and not plan.added


def test_a_stem_is_blocked_only_by_a_hand_set_row_the_rule_would_cover():
    rows = [("PAYPAL INST XFER 220803", "expense"), ("PAYPAL INST PAYMENT REFUND", "income")]
    manual = [("PAYPAL INST PAYMENT REFUND", 8, "income")]  # filed elsewhere by hand, but money in
    plan = plan_rekey([_rule(1, "inst xfer", "starts_with", 3, kind="expense")], rows, before=OLD, after=NEW,
                      manual=manual)
    assert plan.changed == {1: ("paypal inst", "starts_with", 3)}
    plan = plan_rekey([_rule(1, "inst xfer", "starts_with", 3)], rows, before=OLD, after=NEW, manual=manual)
    assert plan.changed == {1: ("paypal inst xfer", "starts_with", 3)}  # a rule for both directions covers it


# --------------------------------------------------------------------------- a one-letter name
@pytest.mark.parametrize("description, key", [
    ("Z WELLINGTON", "z wellington"),  # not "wellington": a rule on the city's name
    ("Z ENERGY WELLINGTON", "z energy wellington"),
    ("4835-****-1234 Df Z ENERGY PETONE", "z energy petone"),  # after the card and its flag
    ("EFTPOS K LANTERN NEWTOWN 44102", "k lantern newtown"),
    ("PAK N SAVE KILBIRNIE", "pak save kilbirnie"),  # a letter within the name stays out, as before
    ("POS W/D Z ENERGY-12:34", "z energy"),  # after the bank's "W/D" (withdrawal)
    ("POS W/D PAK N SAVE-12:34", "pak save"),  # "w d" is the bank's: no letter kept
    ("D/D Q LANTERN 4410", "q lantern"),
    ("ZORBLAT CAFE", "zorblat cafe"),
])
def test_a_one_letter_name_keeps_its_letter(description, key):
    assert learn_key(description) == key


def test_the_key_before_session_15_dropped_the_letter_and_kept_the_rails():
    assert learn_key_before_session_15("Z WELLINGTON") == "wellington"
    assert learn_key_before_session_15("PIX ENVIADO ALINE SOUZA") == "pix enviado aline souza"
    assert learn_key_before_session_15("ZORBLAT CAFE") == learn_key("ZORBLAT CAFE")


def test_a_correction_of_a_one_letter_name_never_teaches_the_city():
    household = [learn_key(d) for d in ("Z WELLINGTON", "Q WELLINGTON", "QUORNBY WELLINGTON WELLINGTON",
                                        "ZELKOVA WELLINGTON WELLINGTON", "Z PETONE PETONE")]
    places = household_places(household)
    assert "wellington" in places
    for key in ("z wellington", "z petone petone"):
        stems = teach_stems(key, places)
        assert all(s.split()[0] == "z" for s in stems)  # the letter always stays: never the city alone
        assert not any(stem_matches(choose_stem(key, 1, [], places), k) for k in ("q wellington", "wellington"))


# --------------------------------------------------------------------------- Brazil's rails
@pytest.mark.parametrize("with_rail, without", [
    ("PIX ENVIADO ALINE SOUZA", "ALINE SOUZA"),
    ("PIX RECEBIDO - DIF TIT ALINE SOUZA", "ALINE SOUZA"),
    ("PIX TRANSF PADARIA ESTRELA 12/03", "PAGAMENTO PADARIA ESTRELA"),
    ("PIX QRS PADARIA ESTRELA 12/03", "PADARIA ESTRELA"),
    ("TED ENVIADA CLINICA SORRISO", "CLINICA SORRISO"),
    ("TED 237 0001 CLINICA SORRISO", "CLINICA SORRISO"),
    ("DOC/TED 033.3710 CLINICA SORRISO", "CLINICA SORRISO"),
    ("TRANSF ENVIADA PIX LOJA AZUL", "LOJA AZUL"),
])
def test_a_brazilian_rail_and_its_direction_words_are_not_the_payee(with_rail, without):
    assert learn_key(with_rail) == learn_key(without)


@pytest.mark.parametrize("description, key", [
    ("TED BAKER LONDON", "ted baker london"),  # a name: not next to a rail's word or a number
    ("DOC MARTENS 4410", "doc martens"),
    ("PIX RECEBIDO OUTRA INST - DIF TIT", "pix recebido outra inst dif tit"),  # nothing else: the key as before
    ("TED ENVIADA 104-2926-000000284660", "ted enviada"),
])
def test_words_that_only_look_like_a_rail_stay(description, key):
    assert learn_key(description) == key


def test_a_correction_of_a_pix_payment_teaches_the_payee_not_the_rail():
    keys = [learn_key(d) for d in ("PIX ENVIADO PADARIA ESTRELA", "PIX ENVIADO LOJA AZUL", "PIX ENVIADO CLINICA SOL")]
    stem = choose_stem(keys[0], 1, [])
    assert stem == "padaria estrela" and not any(stem_matches(stem, k) for k in keys[1:])


# --------------------------------------------------------------------------- places where no marker parts them
EFTPOS = [f"EFTPOS {name} {city} {n}" for n, (name, city) in enumerate(
    [(name, city) for name in ("QUORNBY", "ZELKOVA", "MARLOWE", "TINDALL") for city in ("KILBIRNIE", "PETONE")]
    + [("FERNWOOD DENTAL", "KILBIRNIE"), ("BLUE LANTERN CAFE", "NEWTOWN")])]


def test_a_city_that_changes_after_the_same_names_is_a_place():
    places = household_places([learn_key(d) for d in EFTPOS])
    assert {"kilbirnie", "petone"} <= places
    assert teach_stems(learn_key("EFTPOS QUORNBY KILBIRNIE 4410"), places)[0] == "quornby"
    # seen after fewer names it says nothing (a surname's trades, a first name's surnames)
    few = [learn_key(d) for d in ("KLEIN DENTAL", "KLEIN BAKERY", "OBRIEN DENTAL", "OBRIEN BAKERY", "ORTEGA DENTAL",
                                  "ORTEGA MOTORS", "JOHN KAMAU", "JOHN MWANGI", "PETER KAMAU", "PETER MWANGI")]
    assert household_places(few) == frozenset()
    assert MIN_PLACE_NAMES == 4


def test_the_memory_key_of_an_neft_line_is_the_learning_key():
    for d in ("NEFT-HDFCN30102597745-SMITHS-PUNE", "NEFT CR UTIBN301025977 BLUE PARROT CAFE NOIDA", "WATER12 SHOP"):
        keys: dict[str, str] = {}
        _match_rows(_compiled_rules(()), [(d, 100, "expense", None)], {}, keys)
        assert list(keys.values()) == [learn_key(d)] and history_forms(d)[1] == learn_key(d)


# --------------------------------------------------------------------------- through the app
def _cid(session, user, name):
    return categories.find_category_by_name(session, user_id=user.user_id, name=name).id


def _add(session, user, description, kind="expense"):
    return transactions.add_transaction(session, user_id=user.user_id, date=D, amount="9.99", kind=kind,
                                        description=description)


def _categories(session, user):
    return {t.id: t.category_id for t in transactions.list_transactions(session, user_id=user.user_id).rows}


def test_one_correction_of_an_eftpos_line_teaches_the_name_and_changes_what_the_offer_counted(session, alice):
    rows = [_add(session, alice, d) for d in EFTPOS + ["Z KILBIRNIE 5521", "EFTPOS QUORNBY NEWTOWN 7781"]]
    health = _cid(session, alice, "Health")
    transactions.update_transaction(session, user_id=alice.user_id, transaction_id=rows[0].id, category_id=health)
    offer = cz.learn_from_correction(session, user_id=alice.user_id, transaction_id=rows[0].id, category_id=health)
    assert (offer.merchant, offer.rule_match_type) == ("quornby", "starts_with")
    before = _categories(session, alice)
    changed = cz.accept_learn_offer(session, user_id=alice.user_id, offer=offer)
    after = _categories(session, alice)
    assert changed == offer.matching_past == 2  # its other branch and the new town
    assert {i for i in after if after[i] != before[i]} == {rows[1].id, rows[-1].id}
    # a one-letter name at that city: its own rule, no other Kilbirnie row
    z = rows[-2]
    transactions.update_transaction(session, user_id=alice.user_id, transaction_id=z.id, category_id=health)
    offer = cz.learn_from_correction(session, user_id=alice.user_id, transaction_id=z.id, category_id=health)
    assert offer.merchant.startswith("z ") and offer.matching_past == 0


@pytest.mark.parametrize("description, key", [
    ("A CASA DA ESQUINA", "casa da esquina"),  # pt / es / it articles and conjunctions: not a name's letter
    ("O JARDIM CAFE", "jardim cafe"),
    ("PAGAMENTO A FORNECEDORES", "fornecedores"),
    ("POS Purchase R & M Meats * 28 Oct", "meats"),  # a run of letters: as before
    ("G T S PARK", "park"),
])
def test_a_vowel_or_a_run_of_letters_is_not_a_name_letter(description, key):
    assert learn_key(description) == key
