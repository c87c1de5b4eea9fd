"""Text normalization shared by duplicate detection, rules and learning.

The merchant key of a description (the stored ``transactions.merchant``) and the learning key are
owned by :mod:`budgetwise.textforms`."""

from __future__ import annotations

import hashlib
import re
import unicodedata

_WS = re.compile(r"\s+")
_CONTROL = dict.fromkeys(c for c in range(32) if c not in (9, 10, 13))
# Invisible characters that change how text reads without showing (issue #13:
# "Invoice\u202eFDP.exe" displays as "InvoiceEXE.PDF"): C1 controls (U+0080-U+009F; NEL
# U+0085 is a line break and becomes a space), the bidirectional embeddings, overrides,
# isolates and marks, and the zero-width space / word joiner / invisible operators / BOM.
_INVISIBLE: dict[int, str | None] = {c: None for c in [
    *range(0x80, 0xA0), 0x061C, 0x180E, 0x200B, 0x200E, 0x200F, *range(0x202A, 0x202F),
    *range(0x2060, 0x2065), *range(0x2066, 0x206A), 0xFEFF,
]}
_INVISIBLE[0x85] = " "
# Zero-width (non-)joiners are part of emoji sequences (👨‍👩‍👧) and of Persian and Indic
# spelling: kept between two non-ASCII characters, dropped anywhere else ("Invoice\u200dFDP").
_JOINERS = re.compile(r"(?<![^\x00-\x7f])[\u200c\u200d]|[\u200c\u200d](?![^\x00-\x7f])")


def strip_invisible(text: str) -> str:
    """``text`` without C1 controls, bidi controls and zero-width characters (see _INVISIBLE).

    The one owner of this rule: every text a user or a file gives goes through
    :func:`clean_text` (which calls this), and every export cell through
    ``services.exports.neutralize``.
    """
    if text.isascii():
        return text
    text = text.translate(_INVISIBLE)
    if "\u200c" in text or "\u200d" in text:
        text = _JOINERS.sub("", text)
    return text


# What a spreadsheet runs as a formula when a cell starts with it; ``services.exports.neutralize``
# puts an apostrophe before these (at the start, and after a ';' ',' or tab a spreadsheet may split
# on). :func:`unguard_formula` takes that apostrophe away again when such an export is imported.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_GUARDED = re.compile(r"(^|[;,\t]\s*)'(?=[=+\-@])")


def unguard_formula(text: str) -> str:
    """``text`` as it was before ``services.exports.neutralize`` guarded it ("'=1+2" -> "=1+2",
    "Shop, '-5%" -> "Shop, -5%"), so a re-imported BudgetWise export matches the stored rows."""
    return _GUARDED.sub(r"\1", text) if "'" in text else text


def clean_text(value: object, *, max_length: int | None = None) -> str:
    """Strip control characters (C0, C1), bidi and zero-width characters and surrounding space;
    keep everything else literally."""
    if value is None:
        return ""
    text = str(value)
    if text.isprintable():  # fast path (C): no control, format (bidi, zero-width) or line-break character
        text = text.strip()
    else:
        text = strip_invisible(text.translate(_CONTROL)).strip()
        text = text.replace("\r\n", " ").replace("\r", " ").replace("\n", " ")
    if max_length is not None:
        text = text[:max_length]
    return text


def fold(value: str) -> str:
    """Case- and accent-insensitive form: 'Café  Müller' -> 'cafe muller'."""
    if value.isascii():  # fast path (most bank text): NFKD is the identity, casefold == lower
        return " ".join(value.lower().split())
    decomposed = unicodedata.normalize("NFKD", value)
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return _WS.sub(" ", stripped.casefold()).strip()


# The Latin letters Unicode gives no decomposition, so :func:`fold` keeps them whole ("LØNN" -> "lønn"), as a
# reader without them writes them (session 29, issue #16). Lower case only: :func:`fold` casefolds first. A small table
# rather than a transliteration library (anyascii): that reads every script as Latin letters ("магазин" -> "magazin"),
# far more than these letters need.
PLAIN_LETTERS = {"æ": "ae", "ð": "d", "ø": "o", "þ": "th", "đ": "d", "ħ": "h", "ı": "i", "ł": "l", "ŋ": "ng", "œ": "oe",
                 "ŧ": "t"}
_HAS_PLAIN = re.compile("[" + "".join(PLAIN_LETTERS) + "]")  # a search, then str.replace: ~3x faster than str.translate


def plain_letters(folded: str) -> str:
    """A folded text with the letters of :data:`PLAIN_LETTERS` written plain ("lønninger" -> "lonninger", "wypłata" ->
    "wyplata", "œuvre" -> "oeuvre"); ASCII text is returned as it is. Where rules match and transfers are read, never
    in a stored key: the duplicate check's fingerprint, the merchant key and the learning key keep the letters (a
    stored row must meet its own re-import, a learned rule its merchant)."""
    if folded.isascii() or _HAS_PLAIN.search(folded) is None:
        return folded
    for letter, plain in PLAIN_LETTERS.items():
        if letter in folded:
            folded = folded.replace(letter, plain)
    return folded


def normalize_description(value: str) -> str:
    """The description as compared for duplicates: folded, whitespace collapsed."""
    return fold(value or "")


# Every ASCII digit as 0, position for position: the merchant key's noise patterns
# (budgetwise.textforms) treat all digits alike (\d, \w and classes holding all of 0-9), so they
# remove exactly the same spans.
_ZERO = str.maketrans("123456789", "000000000")
_ZERO_BYTES = bytes.maketrans(b"123456789", b"000000000")


def zero_digits(text: str) -> str:
    """Every ASCII digit of ``text`` as 0 (bytes.translate for ASCII text: ~7x faster)."""
    if text.isascii():
        return text.encode("ascii").translate(_ZERO_BYTES).decode("ascii")
    return text.translate(_ZERO)


def fingerprint(date_iso: str, amount_minor: int, kind: str, description: str, currency: str = "") -> str:
    """Duplicate-detection key: same date, amount, direction, currency and normalized description."""
    key = f"{date_iso}|{int(amount_minor)}|{kind}|{currency.upper()}|{normalize_description(description)}"
    return hashlib.sha256(key.encode("utf-8")).hexdigest()


def and_list(parts, *, last: str = "and") -> str:
    """Items as one English list: "", "A", "A and B", "A, B and C" (``last``: the word before the last item,
    e.g. "or"). The one joiner of the messages that name several things."""
    parts = list(parts)
    if len(parts) <= 1:
        return "".join(parts)
    return f"{', '.join(parts[:-1])} {last} {parts[-1]}"


def count_number(n: int, locale: str = "en_US") -> str:
    """A whole count as the locale writes it ("2,286" in en_US, "2.286" in de_DE)."""
    if -1000 < n < 1000:
        return str(int(n))
    from budgetwise.money import babel_number  # babel only for the large counts

    return babel_number(int(n), locale)


def plural(count: int, noun: str, plural_form: str | None = None, *, locale: str = "en_US") -> str:
    """ "1 rule", "2 rules", "1,200 rules" ("1.200 rules" with ``locale="de_DE"``); ``plural_form``
    for irregular nouns ("1 entry", "3 entries"). The one plural helper: pages (through
    :mod:`budgetwise.ui.format`), services and the CLI (session 19: "budgets: 1 rows", "1 imports");
    ``tests/test_plural_owner.py`` refuses a hand-written ``{'s' if n != 1 else ''}`` (session 20)."""
    return f"{count_number(count, locale)} {plural_word(count, noun, plural_form)}"


def plural_word(count: int, word: str, plural_form: str | None = None) -> str:
    """The word alone as ``count`` wants it, where the count is written elsewhere or not at all: "rows 3, 7",
    "the goals “A”, “B”", and verbs agreeing with it (``plural_word(n, "looks", "look")``: "1 rate looks",
    "2 rates look"). ``plural_form`` as in :func:`plural` (``word + "s"`` without it)."""
    return word if count == 1 else (plural_form or word + "s")
