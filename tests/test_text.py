"""budgetwise.text: the bulk and fast paths give exactly what the plain functions give."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from budgetwise.text import _CONTROL, clean_text, merchant_key, merchant_keys, strip_invisible, zero_digits

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
