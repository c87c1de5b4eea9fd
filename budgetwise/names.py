"""The one rule for a name a user gives a thing (session 22, names22): an account, a category (one's own or a
global one), a goal, a scheduled item. Each service keeps its own sentences where they name the thing ("Give the
account a name.", "You already have a goal called “Car”"); the rules are these, the same everywhere:

* stored as :func:`clean_name` leaves it: control, bidi and zero-width characters dropped (``clean_text``), every
  run of white space one space, nothing around it, in Unicode's composed form (NFC: an "É" typed as "E" and a
  combining acute, as macOS file names and some keyboards give it, is stored as the one character; session 23);
* refused when nothing is left, or when longer than the thing's limit ("The goal name is too long (100
  characters at most).");
* two names are the same when :func:`name_key` is (case, spacing and Unicode's compatibility forms ignored: "Main
  Checking" is "main checking", "STRASSE" is "straße", a decomposed "Épargne" is the composed one, full-width
  "Ｓａｖｉｎｇｓ" is "Savings": session 27); the duplicate check compares keys in Python, never a database's ``lower()`` (SQLite's
  knows only ASCII letters: "ÉPARGNE" and "épargne" were two global categories there);
* quoted with :func:`quoted` in a message (“name”, as typed: never ``repr``, which doubled a backslash and
  switched quotes around a name with an apostrophe); so are the values the services and the importer quote (an
  amount, a column's header, a sheet's name: session 23).
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable

from budgetwise.errors import ValidationError
from budgetwise.text import clean_text


def clean_name(value: object, *, what: str, limit: int, missing: str) -> str:
    """``value`` as stored, or ValidationError (field "name"): ``missing`` when empty, too long past ``limit``
    (``what`` names the thing: "account", "scheduled item")."""
    name = unicodedata.normalize("NFC", " ".join(clean_text(value).split()))
    if not name:
        raise ValidationError(missing, field="name")
    if len(name) > limit:
        raise ValidationError(f"The {what} name is too long ({limit} characters at most).", field="name")
    return name


def name_key(name: str) -> str:
    """What makes two names the same: case, spacing and Unicode's compatibility forms ignored (session 27).

    Unicode's compatibility caseless match (chapter 3, D146) is NFKD(casefold(NFKD(casefold(NFD(x))))): full-width
    "Ｓａｖｉｎｇｓ" is "Savings", a ligature "ﬁ" is "fi", a superscript "²" is "2", a no-break or ideographic space
    is a space, on top of the canonical match of sessions 22-23 (a decomposed "É" is the composed one; the inner
    forms are needed because casefolding does not keep a string normalized: U+0345, the Greek ypogegrammeni, folds
    to an iota of combining class 0). The outer form is NFKC instead of NFKD: two strings are NFKD-equal exactly when
    they are NFKC-equal, and the composed key is the shorter one (accounts keep it in a column of the name's length).
    Until session 27 the match was canonical only: two accounts, goals or categories that look the same could
    coexist (migration 0045 re-keys the accounts' stored keys, renaming a look-alike; it keeps frozen copies of both
    keys)."""
    text = " ".join(name.split())
    if text.isascii():  # fast path: nothing to normalize
        return text.casefold()
    folded = unicodedata.normalize("NFKD", unicodedata.normalize("NFD", text).casefold()).casefold()
    return " ".join(unicodedata.normalize("NFKC", folded).split())


def same_name(name: str, others: Iterable[tuple[int, str]], *, exclude_id: int | None = None) -> tuple[int, str] | None:
    """The first (id, name) of ``others`` that is the same name as ``name`` (but not ``exclude_id``), else None."""
    key = name_key(name)
    return next(((i, other) for i, other in others if i != exclude_id and name_key(other) == key), None)


def quoted(name: object) -> str:
    """A name, or a value as the user typed it or a file holds it (an amount, a column's header, a sheet's name),
    inside a message: “name”. Never ``repr`` (it doubled a backslash and switched quotes around an apostrophe); what
    cannot be seen is written as its escape (a tab as \\t, a no-break space as \\xa0), as ``repr`` did, so a value
    refused for a character the user cannot see still shows it (session 23; a cleaned name has none)."""
    text = str(name)
    if not text.isprintable():
        text = "".join(c if c.isprintable() else repr(c)[1:-1] for c in text)
    return f"“{text}”"
