"""An account number in a file, kept out of the account's name (issue #19, session 26, bal26).

A bank file names its account by a number: an OFX statement's ``ACCTID``, a CSV/Excel export's account column
("DE89 3704 0044 0532 0130 00", "123456789/0800"), a statement's preamble ("FRANK Account 666-123456-789"). The name
an import gives a new account shows the number masked, the same for all three: "…" and its last 4 digits ("Checking
…6877" for OFX: ``accounts.external_account_name``; "DE…3000", "Account …0800", "FRANK Account …6789" for the others:
:func:`masked`). Before session 26 an account column's value became the name whole, so the full IBAN or account
number stood on every page, chart legend, export and screenshot, while OFX numbers were masked.

The full number is the account's ``external_id`` (as an OFX ``ACCTID`` is, shown nowhere): a later file carrying the
same number finds the account by it (:func:`by_number`), not by its masked name (two accounts ending in the same four
digits stay two). Accounts named before keep their names and are still found by them (the name match comes first).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Collection, Iterable

from sqlalchemy import select
from sqlalchemy.orm import Session

from budgetwise.importing.headers import card_digits
from budgetwise.importing.iban import iban_country
from budgetwise.models import Account
from budgetwise.names import name_key
from budgetwise.text import clean_text

MAX_NAME = 100  # accounts.MAX_NAME (not imported: accounts imports this module)
MAX_ID = 100  # accounts.external_id's length
_NUMBER = re.compile(r"\d[\d \-/.]*\d")
_WHOLE_CARD = re.compile(r"\d{13,19}")
_CARD_TYPES = {"CREDITCARD", "CREDITLINE"}  # the OFX account types of a credit-card account (accounts.OFX_ACCOUNT_KINDS)


def _clean(value: str | None) -> str:
    return " ".join(clean_text(value or "").split())[:MAX_NAME]


def masked(text: str | None) -> str:
    """``text`` with each number of more than 4 digits (spaces, dashes, slashes and dots inside it allowed) shown as
    "…" and its last 4 digits, and "Account " before what is left when it has no letter: "FRANK Account
    666-123456-789" -> "FRANK Account …6789", "12345678" -> "Account …5678", "Savings" -> "Savings"; "" for none."""
    def one(m: re.Match) -> str:
        digits = re.sub(r"\D", "", m.group(0))
        return f"…{digits[-4:]}" if len(digits) > 4 else m.group(0)

    name = " ".join(_NUMBER.sub(one, _clean(text)).split())
    if name and not any(ch.isalpha() for ch in name):
        name = f"Account {name}"
    return name[:MAX_NAME]


def has_number(text: str | None) -> bool:
    """Whether ``text`` carries a number :func:`masked` hides (more than 4 digits)."""
    # white space as the masking reads it: a no-break space inside a number ("DE89\u00a03704 …") does not end it
    return any(len(re.sub(r"\D", "", m.group(0))) > 4 for m in _NUMBER.finditer(" ".join((text or "").split())))


def row_text(value: str | None) -> str | None:
    """A row's account text as an import stores it (and every page, export and the rules' "Only for account" see it;
    session 27): :func:`masked` when the file's value carries an account number ("DE89 3704 0044 0532 0130 00" ->
    "DE…3000"), else the value as written ("Visa", "2024"); None for none. The full number stays only on the account
    (``external_id``). Migration 0046 masked the texts stored before with a frozen copy of this rule."""
    if value is None or (isinstance(value, float) and value != value):  # None or a missing cell (NaN)
        return None
    text = str(value)
    return (masked(text) if has_number(text) else text) or None


def row_texts(values: Iterable[str | None]) -> list[str | None]:
    """:func:`row_text` of each value (each distinct value worked out once: an import's column)."""
    values = list(values)
    done = {v: row_text(v) for v in dict.fromkeys(values)}
    return [done[v] for v in values]


def number_of(value: str | None) -> str | None:
    """The full account number a file's account value carries, as an account's ``external_id`` keeps it (white space
    dropped, upper case: "de89 3704 …" and "DE893704…" are one account), or None when :func:`masked` leaves the value
    as it is (a name such as "Visa" or "Savings 2" is matched by name, as before)."""
    clean = _clean(value)
    if not clean or masked(clean) == clean:
        return None
    return "".join(clean.split()).upper()[:MAX_ID]


def by_number(session: Session, *, user_id: int, values: Collection[str]) -> dict[str, Account]:
    """{value: the user's account whose ``external_id`` is the number it carries} (another user's never)."""
    numbers = {v: n for v in values if (n := number_of(v))}
    if not numbers:
        return {}
    found: dict[str, Account] = {}
    for row in session.scalars(select(Account).where(Account.user_id == user_id,
                                                     Account.external_id.in_(set(numbers.values()))).order_by(Account.id)):
        found.setdefault(str(row.external_id), row)
    return {v: found[n] for v, n in numbers.items() if n in found}


def same_number(kept: str, number: str) -> bool:
    """Whether an account's number ``kept`` (``external_id``) can be the file's ``number`` (as :func:`number_of`
    writes it; ``account_earlier_rows``: rows stored masked, "DE…3000", are another number's too): equal, or
    one's digits end the other's with more digits than a masked text shows (review28: a German OFX file's ACCTID is
    the IBAN's last 10 digits, "0532013000" of "DE89 3704 0044 0532 0130 00"; the account chosen for it is found
    again). Last 4 digits alone, or another IBAN ending so, are not."""
    if "".join(kept.split()).upper() == number:
        return True
    a, b = re.sub(r"\D", "", kept), re.sub(r"\D", "", number)
    short, long_ = sorted((a, b), key=len)
    return len(short) > 4 and long_.endswith(short) and not (iban_country(kept) and iban_country(number))


def card_name(value: str | None) -> str:
    """The name of the account an import creates for a card number column's value (session 27): "Card …1234"."""
    digits = card_digits(value)
    return f"Card …{digits[-4:]}" if digits else masked(value)


def card_number(value: str | None) -> str | None:
    """The number an account for a card number column's value keeps (``external_id``): the card's last 4 digits
    ("1234" of "XXXX-XXXX-XXXX-1234" and of a whole "4111 1111 1111 1234"), so its next statement finds it renamed
    (:func:`by_card`). A whole card number is never kept (session 28, mask28: it was, and "Download all my data"
    exported it; migration 0048 reduced those kept before)."""
    digits = card_digits(value)
    return digits[-4:] if digits else None


def is_card_number(digits: str) -> bool:
    """Whether ``digits`` is a whole card number: 13 to 19 digits and nothing else, passing the Luhn check (every card
    number does; 9 of 10 other numbers do not). Migration 0048's rule (a frozen copy there), its owner since session
    28 (ofx28): an OFX credit-card statement's id is read by it (:func:`ofx_card`)."""
    if not _WHOLE_CARD.fullmatch(digits):
        return False
    total = 0
    for i, ch in enumerate(reversed(digits)):
        d = int(ch) * (2 if i % 2 else 1)
        total += d - 9 if d > 9 else d
    return total % 10 == 0


def ofx_card(account: str | None, account_type: str | None) -> str | None:
    """The card digits an OFX credit-card statement's account id (``<CCACCTFROM><ACCTID>``) shows: the whole number
    when :func:`is_card_number`, or the last 4 of a masked one ("XXXXXXXXXXXX1234", as :func:`card_digits` reads a
    card column's value); None for a bank statement's id (checking, savings: found by it exactly) or an id that is no
    card number (session 28, ofx28; the OFX import kept and matched the whole card number before). A ``CREDITLINE``
    statement counts as a card's: its account is a credit-card account too (``accounts.OFX_ACCOUNT_KINDS``), and
    migration 0049 reduced the card numbers credit-card accounts kept, whichever statement named them."""
    if (account_type or "").strip().upper() not in _CARD_TYPES:
        return None
    digits = card_digits("".join((account or "").split()))
    return digits if digits and (len(digits) == 4 or is_card_number(digits)) else None


def ofx_number(account: str, account_type: str | None) -> str:
    """The number an account created for an OFX statement's id keeps (``external_id``): a card's last 4 digits
    (:func:`ofx_card`; never the whole card number, which "Download all my data" would export), else the id whole."""
    digits = ofx_card(account, account_type)
    return digits[-4:] if digits else clean_text(account, max_length=MAX_ID)


def by_ofx(session: Session, *, user_id: int, account: str, account_type: str | None) -> Account | None:
    """The user's account an OFX statement's id names (another user's never): a credit-card statement's card as a
    card column's value finds it (:func:`by_card`: the account keeping its last 4 or its whole number, a CSV's "Card
    …1234"; another card's last 4 never), else the account keeping the id exactly (its first)."""
    digits = ofx_card(account, account_type)
    if digits:
        return by_card(session, user_id=user_id, values=[digits]).get(digits)
    return session.scalars(select(Account).where(
        Account.user_id == user_id, Account.external_id == clean_text(account, max_length=MAX_ID)).order_by(Account.id)).first()


def by_card(session: Session, *, user_id: int, values: Collection[str]) -> dict[str, Account]:
    """{value of a card number column: the user's account for that card} (another user's never): the account keeping
    a number (``external_id``, never an IBAN) that ends in the digits the value shows, or ends them ("1234" kept by an
    earlier import of the last digits; two whole numbers must be equal), a credit-card account first; else the account
    named :func:`card_name`. Never another card account for its type and currency alone (session 27, trial27:
    Capital One's "Card No." rows went into the Kaggle history's "Platinum Card")."""
    digits = {v: d for v in values if (d := card_digits(v))}
    if not digits:
        return {}
    rows = list(session.scalars(select(Account).where(Account.user_id == user_id).order_by(Account.id)))
    numbered = [(re.sub(r"\D", "", str(a.external_id)), a) for a in rows
                if a.external_id and not iban_country(str(a.external_id))]
    found: dict[str, Account] = {}
    for value, d in digits.items():
        hit = (next((a for n, a in numbered if a.kind == "credit_card" and _same_card(n, d)), None)
               or next((a for n, a in numbered if n == d or (len(n) == 4 and d.endswith(n))), None))
        name = name_key(card_name(value))
        hit = hit or next((a for a in rows if name_key(a.name) == name), None)
        if hit is not None:
            found[value] = hit
    return found


def card_clash(session: Session, *, user_id: int, values: Collection[str]) -> tuple[str, list[str]] | None:
    """The first card of ``values`` (a card column's values, an OFX card statement's id) that cannot be told apart
    (session 29, sec29; :func:`by_card` took the first account): (its last 4 digits, the names of the user's
    accounts it could be, in account order) when two or more of them stand for it equally — keeping its last digits
    or a number ending them, none keeping its whole number —; (its last 4, []) when the values number two different
    whole cards ending so (a card is kept as its last 4: one account would get both). None when every card finds
    at most one account. Another user's accounts never count."""
    digits = {d for v in values if (d := card_digits(v))}
    if not digits:
        return None
    by_end: dict[str, set[str]] = {}
    for d in digits:
        by_end.setdefault(d[-4:], set()).add(d)
    for end, shown in sorted(by_end.items()):
        if len({d for d in shown if len(d) > 4}) > 1:
            return end, []
    rows = list(session.scalars(select(Account).where(Account.user_id == user_id, Account.external_id.is_not(None))
                                .order_by(Account.id)))
    numbered = [(re.sub(r"\D", "", str(a.external_id)), a) for a in rows if not iban_country(str(a.external_id))]
    for d in sorted(digits):
        if any(n == d and len(n) > 4 for n, _ in numbered):
            continue  # an account keeping the whole number: that one
        could = [a for n, a in numbered if (a.kind == "credit_card" and _same_card(n, d))
                 or (len(n) == 4 and d.endswith(n))]
        if len(could) > 1:
            return d[-4:], [a.name for a in could]
    return None


def _same_card(kept: str, shown: str) -> bool:
    """Whether an account's number ``kept`` (digits) and a file's card digits ``shown`` can be one card: one ends the
    other (last digits against a whole number); two whole numbers only when equal."""
    return len(kept) >= 4 and (kept.endswith(shown) or shown.endswith(kept))


def one_number(values: Iterable[object], *, cards: bool = False) -> str | None:
    """The one account number every non-empty value of a file's account column carries (:func:`number_of`; with
    ``cards`` the card's digits, :func:`card_number`), or None: none, several, or a value carrying no number (a name)."""
    read = card_number if cards else number_of
    numbers: set[str] = set()
    for value in values:
        if value is None or (isinstance(value, float) and value != value) or not str(value).strip():
            continue  # an empty cell (None, NaN, "")
        number = read(str(value))
        if number is None:
            return None
        numbers.add(number)
    return numbers.pop() if len(numbers) == 1 else None


def keep_number(session: Session, *, user_id: int, account_id: int, number: str | None, card: bool = False,
                dry_run: bool = False) -> bool:
    """The user's account ``account_id``, chosen for a file carrying ``number`` (the Account box, ``--account``, the
    account remembered with the mapping), keeps it as its ``external_id`` when it keeps none and no other account of
    the user keeps it (``card``: a card's digits, one number ending the other counts as kept): so the next file of that
    number goes there by itself (session 28; imp27 left a chosen account without it). True when it was kept (``dry_run``:
    would be, nothing written: the preview's words). Another
    user's account: NotFoundError, as for none (their accounts' numbers are never read)."""
    from budgetwise.services.accounts import resolve_account_id  # accounts imports this module

    account = session.get(Account, resolve_account_id(session, user_id=user_id, account_id=account_id))
    if account is None or account.external_id or not number:
        return False
    digits = re.sub(r"\D", "", number)
    for kept in session.scalars(select(Account.external_id).where(
            Account.user_id == user_id, Account.id != account.id, Account.external_id.is_not(None))):
        other = str(kept)
        if other == number or (card and not iban_country(other) and _same_card(re.sub(r"\D", "", other), digits)):
            return False
    if not dry_run:
        account.external_id = number[:MAX_ID]
        session.flush()
    return True


_LONG_DIGITS = re.compile(r"\d{9,}")


def _date(digits: str) -> dt.date | None:
    """``digits`` (YYYYMMDD) as a date of 1990 to next year, else None."""
    try:
        day = dt.datetime.strptime(digits, "%Y%m%d").date()
    except ValueError:
        return None
    return day if 1990 <= day.year <= dt.date.today().year + 1 else None


def _is_stamp(digits: str) -> bool:
    """Whether a run of digits reads as a date/time stamp: a date then a time to the minute, second or millisecond
    (12, 14, 17 digits: "20261207123045"), or a period of two dates in order (16: "2024010120241231")."""
    if len(digits) == 16:
        start, end = _date(digits[:8]), _date(digits[8:])
        return start is not None and end is not None and start <= end
    if len(digits) not in (12, 14, 17) or _date(digits[:8]) is None:
        return False
    hour, minute, second = int(digits[8:10]), int(digits[10:12]), int(digits[12:14] or 0)
    return hour < 24 and minute < 60 and second < 60


def file_name(name: str | None) -> str:
    """A file's name as an import batch keeps it (Import History, the undo's words, "Download all my data"; session
    28, sec28): each run of 9 or more digits, an account or card number, shown as "…" and its last 4 (banks name
    their exports after the IBAN: "NL91ABNA0417164300_01-01-2024_31-12-2024.csv" -> "NL91ABNA…4300_01-01-2024_31-12-
    2024.csv"); dates ("20240131", "31.01.2024") as written, and so a run that reads as a date/time stamp standing on
    its own (session 29, sec29: "export_20261207123045.csv" read "export_…3045.csv"): not after a letter (an IBAN's
    digits follow its bank code, "GB33BARC2020…"), a valid date and time (:func:`_is_stamp`; no card's number starts
    with 19 or 20). A
    sort code and account number written as one run pass only when they read as a valid date and time too (a
    Barclays "20-YY-ZZ" code with an account starting so: about 1 in 1,000)."""
    text = clean_text(name or "")

    def one(m: re.Match) -> str:
        digits = m.group(0)
        alone = m.start() == 0 or not text[m.start() - 1].isalpha()
        if alone and _is_stamp(digits):  # no card number starts 19/20 (Mastercard's 2-series is 2221-2720)
            return digits
        return f"…{digits[-4:]}"

    return _LONG_DIGITS.sub(one, text)
