"""Which column holds what: header names propose, content disposes.

:func:`detect_mapping` gives each role its turn, in this order (a column taken by one role is
not offered to the next): the date, the amount (one signed column, or a money-out/money-in
pair), a debit/credit indicator, the currency, the file's own category, subcategory and
account, and last the description (payee, main text and its continuation columns).
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass, field

from budgetwise.importing import headers as hdr
from budgetwise.importing.banktype import BANK_TYPE_MAX
from budgetwise.importing.model import ColumnMapping
from budgetwise.importing.table.profile import ColumnProfile
from budgetwise.names import quoted

_GENERIC_NAMES = {"name", "naam", "nom", "nombre", "nome"}  # "Name" alone: maybe the account holder's


@dataclass
class _Detection:
    """The columns still free, and whether the guess so far is confident."""

    profiles: list[ColumnProfile]
    has_header: bool
    confident: bool
    used: set[int] = field(default_factory=set)
    notes: list[str] = field(default_factory=list)

    def free(self, p: ColumnProfile) -> bool:
        return p.index not in self.used

    def take(self, p: ColumnProfile | None) -> ColumnProfile | None:
        if p is not None:
            self.used.add(p.index)
        return p


def detect_mapping(profiles: list[ColumnProfile], has_header: bool) -> tuple[ColumnMapping, bool, list[str]]:
    """(mapping, confident, notes). Header names propose, content disposes."""
    d = _Detection(profiles, has_header, confident=has_header)
    date = d.take(_pick_date(d))
    amount, debit, credit = _pick_amounts(d)
    direction = d.take(_pick_direction(d, amount))
    currency = d.take(_pick_currency(d))
    subcategory = d.take(_best_label(d, "subcategory", 60))
    category = d.take(_best_label(d, "category", 40))
    account = d.take(_best_label(d, "account", 50) or _card_number(d))
    description = _pick_description(d)
    bank_type = _pick_bank_type(d, {p.index for p in (date, amount, debit, credit, currency) if p is not None})

    def index(p: ColumnProfile | None) -> int | None:
        return p.index if p else None

    mapping = ColumnMapping(
        date=index(date), amount=index(amount), debit=index(debit), credit=index(credit),
        direction=index(direction), description=description, currency=index(currency),
        category=index(category), subcategory=index(subcategory), account=index(account),
        bank_type=index(bank_type),
    )
    return mapping, d.confident and mapping.complete, d.notes


# --------------------------------------------------------------------------- date
def _pick_date(d: _Detection) -> ColumnProfile | None:
    dates = [p for p in d.profiles if p.date_ratio >= 0.6 and p.fill > 0]
    by_name = [p for p in dates if p.score("date") >= 45]
    if by_name:
        return max(by_name, key=lambda p: (p.score("date"), p.date_ratio, -p.index))
    d.confident = False
    if dates:
        return max(dates, key=lambda p: (p.date_ratio >= 0.8, p.fill, -p.index))
    named_only = [p for p in d.profiles if p.score("date") >= 85 and p.fill > 0 and p.numeric_ratio < 0.6]
    if named_only:
        # Nothing looks like a date, but the header says so: use it and reject the rows one by one.
        return max(named_only, key=lambda p: (p.score("date"), -p.index))
    return None


# --------------------------------------------------------------------------- amounts
def _numeric(d: _Detection, p: ColumnProfile) -> bool:
    return d.free(p) and p.numeric_ratio >= 0.6 and not p.balance


def _side(d: _Detection, role: str) -> ColumnProfile | None:
    """The money-out ("debit") or money-in ("credit") column named by its header: a filled one before
    an empty one (an M-Pesa statement's blank "PAID IN" before its own "Paid In": session 22)."""
    cands = [
        p for p in d.profiles
        if d.free(p) and not p.balance and p.score(role) >= 70
        and (p.fill == 0 or p.numeric_ratio >= 0.6)
    ]
    return max(cands, key=lambda p: (p.fill > 0, p.score(role), -p.index)) if cands else None


def _pick_amounts(
    d: _Detection,
) -> tuple[ColumnProfile | None, ColumnProfile | None, ColumnProfile | None]:
    """(signed amount, money out, money in): either the amount or the pair, never both."""
    amount_cands = [p for p in d.profiles if _numeric(d, p) and p.score("amount") >= 50 and not p.id_like]
    amount = max(amount_cands, key=lambda p: (p.score("amount"), p.has_negative, -p.index)) if amount_cands else None
    debit, credit = _side(d, "debit"), _side(d, "credit")
    if debit is not None and credit is not None and debit.index == credit.index:
        credit = None
    if amount is not None and amount.score("amount") >= 60:
        use_pair = debit is not None and credit is not None and not amount.has_negative
    else:
        use_pair = debit is not None or credit is not None
    if use_pair:
        d.take(debit)
        d.take(credit)
        return None, debit, credit
    debit = credit = None
    if amount is None:
        amount = _amount_named_only(d)
    if amount is None:
        amount, debit, credit = _amounts_by_content(d)
    d.take(amount)
    return amount, debit, credit


def _amount_named_only(d: _Detection) -> ColumnProfile | None:
    named = [p for p in d.profiles if d.free(p) and p.score("amount") >= 90 and p.fill > 0 and not p.balance]
    if not named:
        return None
    # The header says "Amount" though the values are not numbers: reject them row by row.
    d.confident = False
    return max(named, key=lambda p: (p.score("amount"), -p.index))


def _amounts_by_content(
    d: _Detection,
) -> tuple[ColumnProfile | None, ColumnProfile | None, ColumnProfile | None]:
    """No amount named by the header: the numeric columns decide (amount, money out, money in)."""
    loose = [p for p in d.profiles if _numeric(d, p) and not p.id_like and p.score("date") == 0 and p.fill > 0]
    if not loose:
        return None, None, None
    d.confident = False
    if not d.has_header and len(loose) >= 2:
        pair = _one_sided_pair(loose)
        if pair is not None:
            debit, credit = pair
            d.take(debit)
            d.take(credit)
            return None, debit, credit
    with_decimals = [p for p in loose if p.numeric_ratio >= 0.8]
    return (with_decimals or loose)[0], None, None


def _one_sided_pair(loose: list[ColumnProfile]) -> tuple[ColumnProfile, ColumnProfile] | None:
    """Two numeric columns that are never filled on the same row: (money out, money in)."""
    pairs = [
        (a, b) for a, b in itertools.combinations(loose, 2)
        if a.fill + b.fill <= 1.05 and a.fill < 1 and b.fill < 1 and not (a.has_negative and b.has_negative)
    ]
    if not pairs:
        return None
    a, b = pairs[0]
    if a.has_negative != b.has_negative:
        # Money out already written negative: that column is the debit side.
        return (a, b) if a.has_negative else (b, a)
    # Spending outnumbers income on nearly every statement: the fuller column is money out.
    return (a, b) if a.fill >= b.fill else (b, a)


# --------------------------------------------------------------------------- direction, currency, labels
def _pick_direction(d: _Detection, amount: ColumnProfile | None) -> ColumnProfile | None:
    """A debit/credit indicator column (only with a single amount column)."""
    if amount is None:
        return None
    cands = [
        p for p in d.profiles
        if d.free(p) and p.fill > 0 and p.direction_ratio >= 0.8
        and (p.score("direction") >= 40 or p.direction_both or p.direction_ratio == 1.0)
        # A column found by content alone may only give signs to unsigned amounts.
        and (p.score("direction") >= 40 or not amount.has_negative)
    ]
    if not cands:
        return None
    return max(cands, key=lambda p: (p.score("direction"), p.direction_both, p.direction_ratio, -p.index))


def _pick_currency(d: _Detection) -> ColumnProfile | None:
    cands = [
        p for p in d.profiles
        if d.free(p) and p.fill > 0 and p.iso_ratio >= 0.8
        and not (d.has_header and 0 < p.score("currency") <= 20)  # "original currency", "Fremdwährung"
    ]
    if not cands:
        return None
    currency = max(cands, key=lambda p: (p.score("currency"), p.fill, -p.index))
    if d.has_header and currency.score("currency") <= 20 and any(p.score("currency") > 20 for p in cands):
        currency = max(cands, key=lambda p: p.score("currency"))
    return currency


def _best_label(d: _Detection, role: str, minimum: int) -> ColumnProfile | None:
    """The file's own category, subcategory or account column, named by its header."""
    cands = [
        p for p in d.profiles
        if d.free(p) and p.score(role) >= minimum and p.fill > 0
        and p.numeric_ratio < 0.8 and p.date_ratio < 0.5
    ]
    return max(cands, key=lambda p: (p.score(role), p.fill, -p.index)) if cands else None


def _card_number(d: _Detection) -> ColumnProfile | None:
    """The card number column ("Card No." holding "1234") as the account column: the card is the account (session 27:
    Capital One's rows went to another card account by type alone). Not beside a running balance: a checking export
    names the card of each payment too (Erste's), and its rows are the checking account's."""
    if any(p.balance for p in d.profiles):
        return None
    return next((p for p in d.profiles if d.free(p) and p.card_digits and p.fill > 0), None)


def _pick_bank_type(d: _Detection, money_or_date: set[int]) -> ColumnProfile | None:
    """The bank's own type column ("Type", "Transaction Type": "ATM", "DD", "FEE"), named by its header
    and holding short codes. Picked last and taking nothing: the same column may be the direction
    indicator or part of the description as well (so no other role, and no fingerprint, changes)."""
    if not d.has_header:
        return None
    cands = [
        p for p in d.profiles
        if p.index not in money_or_date and p.score("bank_type") >= 50 and p.fill > 0
        and p.numeric_ratio < 0.8 and p.date_ratio < 0.5 and p.avg_len <= BANK_TYPE_MAX
    ]
    return max(cands, key=lambda p: (p.score("bank_type"), p.fill, -p.index)) if cands else None


# --------------------------------------------------------------------------- description
def _texty(d: _Detection, p: ColumnProfile, *, constant: bool = False) -> bool:
    """Free text; a column holding one text on every row only when ``constant`` allows it (a payee
    column that is the account holder's name, a status column of "Booked")."""
    return (d.free(p) and (constant or not p.constant) and p.numeric_ratio < 0.8 and p.date_ratio < 0.5
            and not p.id_like)


def _plain_text(d: _Detection, p: ColumnProfile, *, constant: bool = False) -> bool:
    """Free text that is not a direction or currency column."""
    return _texty(d, p, constant=constant) and p.fill > 0 and p.direction_ratio < 0.8 and p.iso_ratio < 0.8


def _richness(p: ColumnProfile) -> float:
    return p.distinct * min(p.avg_len, 60) * p.fill


def _pick_description(d: _Detection) -> tuple[int, ...]:
    """The description's columns, in order: payee, main text, continuation columns."""
    payee = d.take(_pick_payee(d))
    named = [p for p in d.profiles if _texty(d, p, constant=True) and p.fill > 0 and p.score("description") >= 35]
    desc_cands = [p for p in named if not p.constant] or named  # one text on every row: still the description
    primary = max(desc_cands, key=lambda p: (p.score("description"), p.fill, -p.index)) if desc_cands else None
    parts: list[int] = []
    if payee is not None:
        parts.append(payee.index)
    if primary is not None:
        parts.append(primary.index)
        d.take(primary)
        parts.extend(_continuations(d, primary))
        if primary.score("description") < 60 or primary.constant:
            parts = _richer_text(d, primary, parts)
    if not parts:
        texts = ([p for p in d.profiles if _plain_text(d, p)]
                 or [p for p in d.profiles if _plain_text(d, p, constant=True)])
        if texts:
            pick = max(texts, key=lambda p: (_richness(p), -p.index))
            parts.append(pick.index)
            if d.has_header and not pick.constant:
                d.notes.append(f"No description column was recognised by name; {quoted(pick.name)} is used.")
    _say_constant(d, parts)
    return tuple(parts)


def _say_constant(d: _Detection, parts: list[int]) -> None:
    """A description that is one text on every row is used, and said: the rows cannot be told apart by it."""
    used = [d.profiles[i] for i in parts]
    if used and all(p.constant for p in used):
        d.notes.append(
            f"Every row has the same description, {quoted(' '.join(p.constant_text for p in used))} (from "
            f"{', '.join(quoted(p.name) for p in used)}): it is imported as written, so the description cannot "
            "tell these rows apart for your rules."
        )


def _pick_payee(d: _Detection) -> ColumnProfile | None:
    cands = [p for p in d.profiles if _texty(d, p) and p.score("payee") >= 60]
    specific = [p for p in cands if hdr.normalize(p.name) not in _GENERIC_NAMES]
    cands = specific or cands
    return max(cands, key=lambda p: (p.score("payee"), p.fill > 0, -p.index)) if cands else None


def _stem(name: str) -> str:
    return re.sub(r"\s*\d+$", "", hdr.normalize(name))


def _continuations(d: _Detection, primary: ColumnProfile) -> list[int]:
    """Columns that continue the main text ("Verwendungszweck 2", "Memo (2)"), taken in file order."""
    stem = _stem(primary.name)
    out: list[int] = []
    for p in d.profiles:
        if not d.free(p) or not hdr.is_continuation(p.name) or p.fill == 0:
            continue
        if _stem(p.name) in {stem, "trasaction description", "transaction description"} or hdr.is_continuation(primary.name):
            out.append(p.index)
            d.take(p)
    return out


def _richer_text(d: _Detection, primary: ColumnProfile, parts: list[int]) -> list[int]:
    """A weak name ("Reference") loses to a clearly richer free-text column."""
    others = [p for p in d.profiles if _plain_text(d, p)]
    if not others:
        return parts
    rich = max(others, key=lambda p: (_richness(p), -p.index))
    if _richness(rich) > 2 * _richness(primary):
        d.take(rich)
        return [i for i in parts if i != primary.index] + [rich.index]
    return parts


def transaction_id_column(profiles: list[ColumnProfile], has_header: bool) -> int | None:
    """A column named as a transaction id whose values are (nearly) all filled and distinct."""
    if not has_header:
        return None
    for p in profiles:
        if hdr.is_transaction_id(p.name) and p.fill >= 0.9 and p.date_ratio < 0.5:
            return p.index
    return None
