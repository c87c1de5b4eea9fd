"""Learned rules re-keyed when the learning key changed (issue #16, session 11; migration 0016)."""

from __future__ import annotations

import datetime as dt

from budgetwise.services.categorize.rekey import LearnedRule, learn_key_before_session_10, plan_rekey
from budgetwise.textforms import (
    learn_key,
    learn_key_before_session_12,
    merchant_key,
    merchant_key_before_session_11,
    merchant_key_before_session_12,
    merchant_keys,
)

OLD, NEW = learn_key_before_session_10, learn_key
T0 = dt.datetime(2026, 12, 1)


def _rule(rid, pattern, match_type="exact", category=1, day=0):
    return LearnedRule(rid, pattern, match_type, category, T0 + dt.timedelta(days=day))


def test_the_earlier_key_function_gives_the_keys_session_10_fixed():
    assert OLD("PAYPAL INST XFER 220803") == "inst xfer" and NEW("PAYPAL INST XFER 220803") == "paypal inst xfer"
    assert OLD("ATM08SEP") == "atm08sep" and NEW("ATM08SEP") == "atm"
    assert OLD("DROGASIL1148 SAO PAULO") == "sao paulo"
    assert OLD("TESCO STORES 1234") == NEW("TESCO STORES 1234") == "tesco stores"


def test_a_rule_on_an_earlier_key_takes_the_key_its_rows_give_now():
    plan = plan_rekey([_rule(1, "inst xfer"), _rule(2, "tesco stores")], ["PAYPAL INST XFER 220803", "TESCO STORES 1"],
                      before=OLD, after=NEW)
    assert plan.changed == {1: ("paypal inst xfer", "exact", 1)}
    assert not plan.added and not plan.merged


def test_rules_that_end_on_one_key_merge_the_latest_correction_wins_the_first_written_stays():
    rules = [_rule(5, "atm08sep", category=1, day=0), _rule(7, "atm09sep", category=2, day=3),
             _rule(9, "atm10sep", category=1, day=1)]
    plan = plan_rekey(rules, ["ATM08SEP", "ATM09SEP", "ATM10SEP"], before=OLD, after=NEW)
    assert plan.changed == {5: ("atm", "exact", 2)}
    assert plan.merged == {7: 5, 9: 5}
    # the same answer whatever order the rules and rows come in
    again = plan_rekey(rules[::-1], ["ATM10SEP", "ATM09SEP", "ATM08SEP"], before=OLD, after=NEW)
    assert (again.changed, again.merged) == (plan.changed, plan.merged)


def test_a_rule_that_still_covers_rows_keeps_its_key_and_the_new_key_is_added():
    plan = plan_rekey([_rule(1, "sao paulo", category=4)], ["DROGASIL1148 SAO PAULO", "SAO PAULO"],
                      before=OLD, after=NEW)
    assert not plan.changed and plan.added == [(1, "drogasil sao paulo", "exact", 4)]


def test_a_stem_takes_the_stem_a_correction_gives_now_and_never_reaches_over_a_hand_set_row():
    rows = ["PAYPAL INST XFER 220803", "PAYPAL INST XFER 220901 Tran: ACHDW"]
    plan = plan_rekey([_rule(1, "inst xfer", "starts_with", 3)], rows, before=OLD, after=NEW)
    assert plan.changed == {1: ("paypal inst", "starts_with", 3)}
    manual = [("PAYPAL INST PAYMENT REFUND", 8)]  # the user filed "paypal inst …" elsewhere by hand
    plan = plan_rekey([_rule(1, "inst xfer", "starts_with", 3)], rows + [manual[0][0]], before=OLD, after=NEW,
                      manual=manual)
    assert plan.changed == {1: ("paypal inst xfer", "starts_with", 3)}


def test_without_rows_the_stored_key_is_rekeyed_from_its_own_text_or_left():
    plan = plan_rekey([_rule(1, "atm08sep"), _rule(2, "inst xfer"), _rule(3, "netflix")], [], before=OLD, after=NEW)
    assert plan.changed == {1: ("atm", "exact", 1)}
    assert plan.unchecked == [2, 3]  # "inst xfer": the PayPal it came from is not in the text


def test_rekeying_twice_changes_nothing_more_and_the_reverse_plan_restores_the_earlier_keys():
    rows = ["PAYPAL INST XFER 220803", "DROGASIL1148 SAO PAULO"]
    first = plan_rekey([_rule(1, "inst xfer"), _rule(2, "sao paulo")], rows, before=OLD, after=NEW)
    assert first.changed == {1: ("paypal inst xfer", "exact", 1), 2: ("drogasil sao paulo", "exact", 1)}
    second = plan_rekey([_rule(1, "paypal inst xfer"), _rule(2, "drogasil sao paulo")], rows, before=OLD, after=NEW)
    assert second.empty
    back = plan_rekey([_rule(1, "paypal inst xfer"), _rule(2, "drogasil sao paulo")], rows, before=NEW, after=OLD)
    assert back.changed == {1: ("inst xfer", "exact", 1), 2: ("sao paulo", "exact", 1)}


def test_session_12_drops_a_debit_credit_flag_and_french_par_from_the_learning_key():
    old, new = learn_key_before_session_12, learn_key
    assert old("4835-****-1234 Df PAK N SAVE PETONE") == "df pak save petone"
    assert new("4835-****-1234 Df PAK N SAVE PETONE") == "pak save petone"
    assert new("UPI/DR/402212345678/SWIGGY/HDFC/swiggy@ybl/UPI") == "swiggy hdfc swiggy ybl"
    assert new("NEFT CR 12345 ACME LTD") == "acme"
    assert new("DR SMITH DENTAL 1234") == old("DR SMITH DENTAL 1234") == "dr smith dental"  # a doctor, no number before
    assert new("BP 1234 KILBIRNIE") == "bp kilbirnie"  # not a flag
    assert new("PAIEMENT PAR CARTE X1234 FNAC PARIS 12/03") == "fnac paris"
    assert old("PAIEMENT PAR CARTE X1234 FNAC PARIS 12/03") == "par fnac paris"
    assert learn_key_before_session_10("PAIEMENT PAR CARTE X1234 FNAC") == "par fnac"  # 0016's function stays frozen


def test_session_12_reads_a_neft_rtgs_reference_as_a_reference_not_a_glued_name():
    assert learn_key_before_session_12("NEFT-HDFCN30102597745-KELLEY PHYSIO-PUNE") == "hdfcn kelley physio pune"
    assert learn_key("NEFT-HDFCN30102597745-KELLEY PHYSIO-PUNE") == "kelley physio pune"
    assert merchant_key_before_session_12("RTGS/UTIBR52022105573911/ACME PVT LTD") == "rtgs utibr acme pvt ltd"
    assert merchant_key("RTGS/UTIBR52022105573911/ACME PVT LTD") == "rtgs acme pvt ltd"
    assert merchant_keys(["RTGS/UTIBR52022105573911/ACME PVT LTD"]) == ["rtgs acme pvt ltd"]
    # a name glued to a long number is still a name (an insurer's policy number; a till)
    assert learn_key("Magtape Debit Discinsure4002840983-") == "discinsure"
    assert merchant_key("Agent Till158065") == "agent till"


def test_session_12_stored_merchant_keeps_the_name_after_a_hyphenated_reference():
    # a digit token ran on over the hyphen and took the payee's first word with it
    assert merchant_key_before_session_12("IMPS-123456789012-KELLEY PHYSIO") == "imps physio"
    assert merchant_key("IMPS-123456789012-KELLEY PHYSIO") == "imps kelley physio"
    assert merchant_key("NEFT-HDFCN52022012345678-KELLEY PHYSIO-PUNE") == "neft kelley physio pune"
    assert merchant_keys(["IMPS-123456789012-KELLEY PHYSIO"]) == ["imps kelley physio"]
    # parts that all hold a digit are still one reference
    assert merchant_key("POS 1234-5678 TESCO") == "pos tesco"
    assert merchant_key("REWE 1234 REF 88-9") == "rewe"
    assert merchant_key_before_session_11("IMPS-123456789012-KELLEY PHYSIO") == "imps physio"  # 0016's stays frozen


def test_a_stem_learned_on_a_card_flag_is_rekeyed_to_the_merchant():
    rows = ["4835-****-1234 Df PAK N SAVE PETONE", "4835-****-9999 Df PAK N SAVE KILBIRNIE KILBIRNIE"]
    plan = plan_rekey([_rule(1, "df pak", "starts_with")], rows, before=learn_key_before_session_12, after=learn_key)
    assert plan.changed == {1: ("pak save", "starts_with", 1)}
    back = plan_rekey([_rule(1, "pak save", "starts_with")], rows, before=learn_key, after=learn_key_before_session_12)
    assert back.changed == {1: ("df pak", "starts_with", 1)}
