"""Importing: an updated export whose rows were stored before in another currency than the one assumed (session 28).

A file naming neither its account nor its currency is stored in the user's currency, unless an account is chosen for
it (its rows then take that account's: :func:`.file_currency.rows_default`). A fingerprint includes the currency
(:func:`.duplicates.fingerprints`), so the next, longer export of that file, imported without choosing the account
again, was read in the user's currency: none of its rows matched the ones stored before (in the chosen account's
currency), the preview asked for its account again (imp27's question: "its rows would only be guessed") and, answered
with the currency shown, would have stored every earlier row a second time.

Here the rows stored before decide, as they decide the account (:func:`.duplicates.accounts_holding`): when the
file's rows (a sample), read in another currency of the user's accounts, match more of the user's stored rows than in
the assumed one, they are read in that currency, the account holding them named (:class:`.file_currency.RowsDefault`,
"the currency of the account “Girokonto”"). Then the duplicate check sees the earlier rows, the new ones go where they
are, and nothing is asked. Only the user's own rows are read; a currency chosen (or any the file names) comes first.
"""

from __future__ import annotations

import pandas as pd
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from budgetwise.db import chunked
from budgetwise.importing import ImportOptions, ParsedFile
from budgetwise.models import Account, Transaction
from budgetwise.money import minor_digits
from budgetwise.services import accounts
from budgetwise.services.importing.duplicates import HOLDING_SAMPLE, fingerprints
from budgetwise.services.importing.file_currency import RowsDefault, file_currency


def _holding(session: Session, user_id: int, sample: pd.DataFrame, currency: str) -> tuple[int, str]:
    """(rows of ``sample`` read in ``currency`` the user has stored, the name of the open account holding most)."""
    prints = sorted(set(fingerprints(sample.assign(currency=currency)).tolist()))
    counts: dict[str, int] = {}
    for part in chunked(prints):
        for name, n in session.execute(
            select(Account.name, func.count()).select_from(Transaction).join(Account, Account.id == Transaction.account_id)
            .where(Transaction.user_id == user_id, Transaction.fingerprint.in_(part),
                   Transaction.currency == currency, Account.is_archived.is_(False))
            .group_by(Account.name)
        ):
            counts[str(name)] = counts.get(str(name), 0) + int(n)
    if not counts:
        return 0, ""
    name = max(sorted(counts), key=lambda k: counts[k])
    return sum(counts.values()), name


def held_default(session: Session, user_id: int, parsed: ParsedFile, options: ImportOptions, data: bytes,
                 default: RowsDefault) -> RowsDefault | None:
    """The currency (and account) of the rows stored before that this file's rows are, when it is not ``default``'s
    and the file's currency is only assumed (see the module's docstring); None otherwise."""
    from budgetwise.services.importing import routing  # routing reads accounts and by_currency only

    rows = parsed.rows
    if (rows.empty or parsed.file_format == "ofx" or options.account_id is not None or options.currency
            or parsed.statement_account or routing.applies(parsed, options)
            or file_currency(parsed, options, data, default).source != "default"):
        return None
    digits = minor_digits(default.currency)
    others = sorted({a.currency for a in accounts.list_accounts(session, user_id=user_id)
                     if a.currency != default.currency and minor_digits(a.currency) == digits})
    if not others:
        return None
    sample = rows.iloc[::max(1, -(-len(rows) // HOLDING_SAMPLE))]
    best, found = _holding(session, user_id, sample, default.currency)[0], None
    for code in others:
        n, name = _holding(session, user_id, sample, code)
        if n > best:
            best, found = n, RowsDefault(code, name)
    return found
