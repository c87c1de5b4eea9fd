"""Session 26: a word holding digits is a brand written with them or a code (textnames._code_word).

Until session 26 any word with a digit was a placeholder to ``names_merchant``, so a chain whose name holds a number
(a letter and a round number, a digit standing for "to"/"for", a number before a word) was never offered in the
labelling plan nor taught. Every string here is made up: no evaluation row."""

from __future__ import annotations

import pytest

from budgetwise.textforms import learn_key
from budgetwise.textnames import _junk_word, names_merchant


@pytest.mark.parametrize("word", [
    "q1000",  # a letter and a round number
    "k200",
    "zorb2go",  # a digit for "to" between two words
    "4vrenglo",  # a number before a word
    "2theblat",
    "vrenglo4u",
    "blat24",  # a word and a short number
    "88plonk",
    "z9",  # a single letter and a digit
    "b4zorb",
    "99pluto",  # a payment word only counts before a number: "99pay"-like names stay names
    "7pay",
])
def test_a_brand_written_with_digits_names_a_merchant(word):
    assert not _junk_word(word)
    assert names_merchant(word)


@pytest.mark.parametrize("word", [
    "zq1234",  # many digits, not round
    "t0045127",  # a terminal: many digits and a leading zero
    "p0207vx",  # a leading zero
    "ab12cd34",  # letters and digits alternating more than once
    "x1y2",
    "ref4417", "pos12", "txn88", "card07", "tid31",  # a reference's or a payment's word before a number
    "usd250", "kes100", "rs500",  # an amount
    "500g", "5kg", "2x", "12ml",  # a quantity
    "14mar", "sep09", "10am", "21st",  # a date, a time, an ordinal
    "qxz12",  # letters no word could be
    "12345",  # a number
    "ab1234cd",
])
def test_a_reference_terminal_amount_or_date_is_a_code(word):
    assert _junk_word(word)
    assert not names_merchant(word)


def test_the_placeholders_and_mashing_stay_what_they_were():
    for word in ("test", "xxx", "asdfgh", "n", "qwerty", "misc"):
        assert _junk_word(word)
    for word in ("coffee", "zorblat", "ikea"):
        assert not _junk_word(word)


@pytest.mark.parametrize(("text", "named"), [
    ("ZORB2GO", True),  # the key of a shop's card line is its name with the digit
    ("Q1000", True),
    ("XYZ123", False),  # a code as a note stays no merchant (session 23)
    ("T0045127", False),  # a terminal number alone
    ("Q1000 VRENGLOSTAD", True),
])
def test_keys_of_made_up_lines(text, named):
    assert names_merchant(learn_key(text)) is named
