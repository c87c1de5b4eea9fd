"""budgetwise.text: the bulk and fast paths give exactly what the plain functions give."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from budgetwise.text import _CONTROL, clean_text, plural, strip_invisible, zero_digits
from budgetwise.textforms import merchant_key, merchant_keys

PIECES = ["REWE", "ref", "Ref.", "card", "Karte", "nr.", "no", "XXXX", "****", "#", "12:30", "01/02", "12.03.24",
          "2024-05-01", "x_1", "ab1c", "٣4", "²3", "1st", "-", "/", "Café", "&", "'", "0", "7-Eleven", "o2", "\t"]
descriptions = st.lists(st.one_of(st.sampled_from(PIECES), st.text(max_size=6)), max_size=8).map(" ".join)


@settings(max_examples=300, deadline=None)
@given(st.lists(descriptions, max_size=5), st.lists(st.integers(min_value=0, max_value=10**8), min_size=1, max_size=4))
def test_merchant_keys_equal_merchant_key_each(texts, numbers):
    # digit variants of the same text share work inside merchant_keys: answers must not be shared wrongly
    import re

    many = texts + [re.sub(r"\d+", str(n), t) for t in texts for n in numbers]
    assert merchant_keys(many) == [merchant_key(t) for t in many]


@given(st.text())
def test_zero_digits_maps_ascii_digits_only(text):
    out = zero_digits(text)
    assert len(out) == len(text)
    assert all((b == "0") if a in "0123456789" else (a == b) for a, b in zip(text, out))


@given(st.text())
def test_clean_text_fast_path_is_the_slow_path(text):
    slow = strip_invisible(text.translate(_CONTROL)).strip().replace("\r\n", " ").replace("\r", " ").replace("\n", " ")
    assert clean_text(text) == slow


@given(st.text())
def test_strip_invisible_leaves_no_bidi_zero_width_or_c1_character(text):
    import re

    out = strip_invisible(text)
    assert not re.search("[\u0080-\u009f\u061c\u180e\u200b\u200e\u200f\u202a-\u202e\u2060-\u2069\ufeff]", out)
    assert not re.search("(^|[\x00-\x7f])[\u200c\u200d]|[\u200c\u200d]($|[\x00-\x7f])", out)


def test_merchant_key_keeps_a_name_glued_to_a_number_as_the_learning_key_does():
    """Issue #16: "ATM08SEP" had an empty merchant (the recurring report skipped it) and "DROGASIL1148" lost the
    pharmacy's name; a glued name is read as when a space parts it. Keys without a glued word stay as they were."""
    assert merchant_key("ATM08SEP") == merchant_key("ATM 08SEP") == "atm"
    assert merchant_key("DROGASIL1148 SAO PAULO") == merchant_key("DROGASIL 2231 SAO PAULO") == "drogasil sao paulo"
    assert merchant_key("POS XXXX1234 TESCO") == "pos tesco"  # a masked card number is no name
    assert merchant_key("REF12345 NETFLIX") == "netflix"  # a short code glued to a number is a reference
    assert merchant_key("CARD PAYMENT WHOLE FOODS MARKET #1096 12/03") == "card payment whole foods market"
    assert merchant_keys(["ATM08SEP", "ATM09SEP", "DROGASIL1148"]) == ["atm", "atm", "drogasil"]


def test_plural_is_the_one_helper_of_pages_services_and_the_cli():
    from budgetwise.ui import format as ui_format

    assert ui_format.plural is plural
    assert [plural(n, "row") for n in (0, 1, 2, 1200)] == ["0 rows", "1 row", "2 rows", "1,200 rows"]
    assert plural(1, "audit entry", "audit entries") == "1 audit entry"
    assert plural(1200, "import", locale="de_DE") == "1.200 imports"


def test_plural_word_is_the_word_alone_and_agrees_verbs():
    from budgetwise.text import plural, plural_word

    assert [plural_word(n, "row") for n in (0, 1, 2)] == ["rows", "row", "rows"]
    assert (plural_word(1, "looks", "look"), plural_word(3, "looks", "look")) == ("looks", "look")
    assert plural(1200, "entry", "entries", locale="de_DE") == "1.200 entries" and plural(1, "entry", "entries") == "1 entry"
