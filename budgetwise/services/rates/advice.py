"""After an import: is the file in another currency than the user's, with no rate for it? (session 19)

A new user (base currency USD by default) who imports a bank file entirely in EUR, with no EUR → USD
rate stored, saw $0.00 on every page and nothing said that the simplest fix is to make EUR her
currency. :func:`import_currency_advice` decides, for one import (:func:`currency_advice`, the same
decision for rows not yet stored: ``budgetwise import --dry-run``):

* **which currency dominates** the import's rows (more than half of them, and not the base currency);
* **whether rates are missing**: more than half of those rows have no usable rate into the base
  currency (:class:`~budgetwise.services.rates.convert.Converter`'s rules);
* **whether switching is clean**: making that currency the base one would leave none of the user's
  other data unconverted (transactions in other currencies, budgets, goals, accounts with an opening
  balance, each checked at the date it would be converted at).

It returns a :class:`CurrencyAdvice` (or None: nothing to say). The Import page and ``budgetwise
import`` render it; the switch itself is the preference service's (``profile.update_profile``).
Read-only.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from babel.numbers import format_decimal
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from budgetwise.models import Account, Budget, Goal, Transaction
from budgetwise.services.preferences import user_currency, user_locale
from budgetwise.services.rates.convert import Converter
from budgetwise.text import plural


@dataclass(frozen=True)
class CurrencyAdvice:
    """The import's rows are mostly in ``currency``, not the base currency, and lack rates."""

    currency: str  # the dominant currency of the import (EUR)
    base: str  # the user's base currency (USD)
    rows: int  # the import's rows in ``currency``
    rows_total: int  # all the import's rows
    unconverted: int  # of ``rows``, those with no usable ``currency`` → ``base`` rate
    # what switching would leave without a rate into ``currency``: (what, count), e.g. ("USD transaction", 3)
    would_need_rates: tuple[tuple[str, int], ...]
    message: str  # the situation and the advice, in the user's number format

    @property
    def can_switch(self) -> bool:
        """Making ``currency`` the base currency leaves nothing unconverted."""
        return not self.would_need_rates

    def as_dict(self) -> dict:
        return {"currency": self.currency, "base": self.base, "rows": self.rows, "rows_total": self.rows_total,
                "unconverted": self.unconverted, "can_switch": self.can_switch,
                "would_need_rates": [{"what": w, "count": n} for w, n in self.would_need_rates],
                "message": self.message}


def import_currency_advice(session: Session, *, user_id: int, batch_id: int) -> CurrencyAdvice | None:
    """The advice for import ``batch_id`` of ``user_id`` (None: mostly base currency, or rates cover it)."""
    rows = session.execute(
        select(Transaction.currency, Transaction.date, func.count())
        .where(Transaction.user_id == user_id, Transaction.import_batch_id == batch_id)
        .group_by(Transaction.currency, Transaction.date)
    ).all()
    return currency_advice(session, user_id=user_id, rows=[(str(c), d, int(n)) for c, d, n in rows], stored=True)


def currency_advice(session: Session, *, user_id: int, rows: Iterable[tuple[str, dt.date, int]],
                    stored: bool) -> CurrencyAdvice | None:
    """The advice for an import's rows given as (currency, date, count): a stored batch's
    (:func:`import_currency_advice`) or, before anything is written, the rows a dry run would store
    (``stored=False``: the rows not in the dominant currency then count among what switching would leave
    without a rate, as they would once stored). The one decision for both."""
    rows = [(str(c), d, int(n)) for c, d, n in rows if n]
    per_currency: dict[str, int] = {}
    for c, _, n in rows:
        per_currency[c] = per_currency.get(c, 0) + n
    total = sum(per_currency.values())
    if not total:
        return None
    currency, count = max(per_currency.items(), key=lambda cn: (cn[1], cn[0]))
    base = user_currency(session, user_id)
    if currency == base or count * 2 <= total:
        return None
    days = [(d, n) for c, d, n in rows if c == currency]
    conv = Converter(session, base, user_id=user_id)
    conv.prepare((currency, d) for d, _ in days)
    unconverted = sum(n for d, n in days if conv.factor(currency, d) is None)
    if unconverted * 2 <= count:
        return None
    pending = () if stored else tuple((c, d, n) for c, d, n in rows if c != currency)
    need = _would_need_rates(session, user_id, currency, pending)
    locale = user_locale(session, user_id)
    return CurrencyAdvice(currency, base, count, total, unconverted, need,
                          _message(currency, base, count, total, unconverted, need, locale, stored=stored))


def _would_need_rates(session: Session, user_id: int, currency: str,
                      pending: tuple[tuple[str, dt.date, int], ...] = ()) -> tuple[tuple[str, int], ...]:
    """What of the user's data (and the not yet stored rows ``pending``: (currency, date, count)) would have
    no rate into ``currency`` if it became the base currency."""
    conv = Converter(session, currency, user_id=user_id)
    tx = session.execute(
        select(Transaction.currency, Transaction.date, func.count())
        .where(Transaction.user_id == user_id, Transaction.currency != currency)
        .group_by(Transaction.currency, Transaction.date)
    ).all() + list(pending)
    budgets = session.execute(
        select(Budget.currency, Budget.month).where(Budget.user_id == user_id, Budget.currency != currency)
    ).all()
    today = dt.date.today()
    goals = session.scalars(
        select(Goal.currency).where(Goal.user_id == user_id, Goal.currency != currency, Goal.is_archived.is_(False))
    ).all()
    balances = session.scalars(
        select(Account.currency).where(Account.user_id == user_id, Account.currency != currency,
                                       Account.opening_balance_minor != 0)
    ).all()
    conv.prepare([(c, d) for c, d, _ in tx] + [(c, m) for c, m in budgets] + [(c, today) for c in (*goals, *balances)])
    counts: dict[str, int] = {}
    for c, d, n in tx:
        if conv.factor(c, d) is None:
            counts[f"{c} transaction"] = counts.get(f"{c} transaction", 0) + int(n)
    for label, items in (("budget", [(c, m) for c, m in budgets]), ("goal", [(c, today) for c in goals]),
                         ("account opening balance", [(c, today) for c in balances])):
        n = sum(1 for c, d in items if conv.factor(c, d) is None)
        if n:
            counts[label] = n
    return tuple(sorted(counts.items(), key=lambda kv: -kv[1]))


def _message(currency: str, base: str, rows: int, total: int, unconverted: int,
             need: tuple[tuple[str, int], ...], locale: str, *, stored: bool = True) -> str:
    """The advice in words; ``stored=False`` (a dry run): of the rows it *would* import."""
    def num(n: int) -> str:
        return format_decimal(n, locale=locale)

    imported, leave = ("you imported", "leave") if stored else ("you would import", "would leave")
    if total == 1:  # "it", not "them" (session 23: "The transaction you imported … leave them out")
        share = f"The transaction {imported} is in {currency}"
        lacking = "it has no" if stored else "it would have no"
    else:
        every = "Both" if total == 2 else f"All {num(rows)}"  # not "All 2 transactions" (session 23)
        share = (f"{every} transactions" if rows == total
                 else f"{num(rows)} of the {num(total)} transactions") + f" {imported} {'are' if stored else 'would be'} in {currency}"
        none = "neither of them" if rows == 2 else "none of them"
        lacking = (f"{none} has a" if stored else f"{none} would have a") if unconverted == rows else (
            f"{num(unconverted)} of them {'have' if stored else 'would have'} no")
    head = (f"{share}, but your currency is {base} and {lacking} {currency} → {base} rate, so your totals, "
            f"budgets and reports {leave} {'it' if rows == 1 else 'them'} out.")
    if not need:
        return (f"{head} If {currency} is the currency you live in, make {currency} your currency: "
                f"nothing else you have would then need a rate.")
    parts = [plural(n, w, locale=locale) for w, n in need]
    what = parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " and " + parts[-1]
    return (f"{head} Add {currency} → {base} exchange rates: making {currency} your currency instead would leave "
            f"{what} without a rate.")
