"""Session 23: a name glued to an account abbreviation with its period reads as the spaced form (a wallet's
fixed-width payee field: "ACMEAcc. 55" and "ACME Acc. 55" are one payee). Made-up texts; no evaluation row."""

from __future__ import annotations

import pytest

from budgetwise.services.categorize.knowledge import history_forms
from budgetwise.services.categorize.ruleset import _texts, utr_key
from budgetwise.textforms import learn_key, learn_key_before_session_20, learn_key_before_session_23


@pytest.mark.parametrize("glued, spaced", [
    ("Pay Bill to 404040 - ZORBLAT WATERAcc. 5566", "Pay Bill to 404040 - ZORBLAT WATER Acc. 5566"),
    ("Pay Bill to 404040 - Zorblat WaterAcc. 5566", "Pay Bill to 404040 - Zorblat Water Acc. 5566"),
    ("Pay Bill to 404040 - G-VRENGLOAcc.", "Pay Bill to 404040 - G-VRENGLO Acc."),  # nothing after: "… acc"
    ("PAYMENT QUIXA POWER LTDAcct. 12-3", "PAYMENT QUIXA POWER LTD Acct. 12-3"),
    ("blorp boekenaccnt. 998", "blorp boeken accnt. 998"),  # case-blind: the period marks the abbreviation
    ("Pay Bill to 1 - NUHTFITAcc.KQ55", "Pay Bill to 1 - NUHTFIT Acc.KQ55"),
])
def test_a_glued_account_abbreviation_reads_as_the_spaced_form(glued, spaced):
    assert learn_key(glued) == learn_key(spaced)
    assert learn_key_before_session_23(glued) != learn_key(glued)  # the earlier key kept the glued word


@pytest.mark.parametrize("text, key", [
    ("TOBACCO CORNER", "tobacco corner"),  # "acc" inside a word: no period after it
    ("ZORBLATACC 5566", "zorblatacc"),  # no period: nothing says it is an abbreviation
    ("SACC. TRAVEL", "sacc travel"),  # too short a name before it
    ("ACC. 5566 ZORBLAT", "zorblat"),  # the abbreviation alone: as before
])
def test_what_is_not_a_glued_abbreviation_stays(text, key):
    assert learn_key(text) == key == learn_key_before_session_23(text)


def test_the_categorizer_and_the_memory_read_the_same_key_as_the_learner():
    for text in ("Pay Bill to 404040 - ZORBLAT WATERAcc. 5566", "Pay Bill to 404040 - ZORBLAT WATER Acc. 77"):
        assert _texts(text)[2] == learn_key(text) == "zorblat water"
        assert utr_key(text) == learn_key(text)
        assert history_forms(text)[1] == learn_key(text)


def test_the_frozen_keys_are_as_before():
    assert learn_key_before_session_23("Pay Bill to 404040 - ZORBLAT WATERAcc. 5566") == "zorblat wateracc"
    assert learn_key_before_session_20("Pay Bill to 404040 - ZORBLAT WATERAcc. 5566") == "zorblat wateracc"
    assert learn_key_before_session_23("PayPal - Hidden Words", frozenset({"hidden", "words"})) == "paypal"
