"""The one rule for a name a user gives a thing (session 22, names22): an account, a category (one's own or a
global one), a goal, a scheduled item. Each service keeps its own sentences where they name the thing ("Give the
account a name.", "You already have a goal called “Car”"); the rules are these, the same everywhere:

* stored as :func:`clean_name` leaves it: control, bidi and zero-width characters dropped (``clean_text``), every
  run of white space one space, nothing around it;
* refused when nothing is left, or when longer than the thing's limit ("The goal name is too long (100
  characters at most).");
* two names are the same when :func:`name_key` is (case and spacing ignored: "Main  Checking" is "main checking",
  "STRASSE" is "straße"); the duplicate check compares keys in Python, never a database's ``lower()`` (SQLite's
  knows only ASCII letters: "ÉPARGNE" and "épargne" were two global categories there);
* quoted with :func:`quoted` in a message (“name”, as typed: never ``repr``, which doubled a backslash and
  switched quotes around a name with an apostrophe).
"""

from __future__ import annotations

from collections.abc import Iterable

from budgetwise.errors import ValidationError
from budgetwise.text import clean_text


def clean_name(value: object, *, what: str, limit: int, missing: str) -> str:
    """``value`` as stored, or ValidationError (field "name"): ``missing`` when empty, too long past ``limit``
    (``what`` names the thing: "account", "scheduled item")."""
    name = " ".join(clean_text(value).split())
    if not name:
        raise ValidationError(missing, field="name")
    if len(name) > limit:
        raise ValidationError(f"The {what} name is too long ({limit} characters at most).", field="name")
    return name


def name_key(name: str) -> str:
    """What makes two names the same: case and spacing ignored."""
    return " ".join(name.split()).casefold()


def same_name(name: str, others: Iterable[tuple[int, str]], *, exclude_id: int | None = None) -> tuple[int, str] | None:
    """The first (id, name) of ``others`` that is the same name as ``name`` (but not ``exclude_id``), else None."""
    key = name_key(name)
    return next(((i, other) for i, other in others if i != exclude_id and name_key(other) == key), None)


def quoted(name: str) -> str:
    """A name inside a message: “name”."""
    return f"“{name}”"
