"""Importing: a statement balance is not offered to reset an account the file shares no rows with (session 26).

trial26: a UK bank file with no currency and no account of its own went, by default, to the CAD account that held a
household's 2022–2025 history; its running balance (2018) offered "set the opening balance so that it matches the
statement" (+$1,000.00): ticked, every balance of the Canadian history would have moved. The account was the
import's choice (the default account, or the first in the rows' currency: :mod:`.by_currency`), not the user's nor
the file's, and none of the file's rows were in it. For such an account the preview says why in plain words and
offers no change (``difference_minor`` None); an account the user chose for the file, one the file names (its
account column, OFX account id), an empty one, or one holding the file's rows imported before keeps the offer.
"""

from __future__ import annotations

import dataclasses

import pandas as pd
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from budgetwise.dates import day_text
from budgetwise.importing import ImportOptions, ParsedFile
from budgetwise.models import Transaction
from budgetwise.names import quoted
from budgetwise.services import accounts
from budgetwise.services.importing import routing
from budgetwise.services.importing.duplicates import accounts_holding
from budgetwise.services.importing.reconcile import Reconciliation
from budgetwise.services.profile import user_date_format


def withhold(session: Session, *, user_id: int, parsed: ParsedFile, options: ImportOptions, routes: routing.Routes,
             recon: Reconciliation | None, assumed: bool, fps: pd.Series | None = None) -> Reconciliation | None:
    """``recon`` as the preview shows it: without its offer (and saying why) when the account was the import's choice,
    the rows' currency only ``assumed`` (:class:`.file_currency.FileCurrency` source "default": the file names none)
    while the user keeps accounts in several currencies, and the account holds other rows but none of the file's;
    else ``recon`` unchanged. ``fps``: the rows' fingerprints."""
    if (recon is None or recon.account_id is None or recon.difference_minor in (None, 0) or not assumed
            or not routing.by_currency_applies(parsed, options) or routes.applies):
        return recon
    if len({a.currency for a in accounts.list_accounts(session, user_id=user_id)}) < 2:
        return recon
    account_id = int(recon.account_id)
    if account_id in accounts_holding(session, user_id, parsed.rows, fps).values():
        return recon
    first, last, n = session.execute(
        select(func.min(Transaction.date), func.max(Transaction.date), func.count())
        .where(Transaction.user_id == user_id, Transaction.account_id == account_id)
    ).one()
    if not n:
        return recon
    fmt = user_date_format(session, user_id)
    message = (
        f"The statement's balance on {day_text(recon.statement.date, fmt)} is not compared with {quoted(recon.account_name)}: "
        f"the file names neither its account nor its currency, this import chose that account, none of this file's "
        f"rows is in it, and it holds other rows ({day_text(first, fmt)} to {day_text(last, fmt)}), so setting its "
        "opening balance from this statement would move the balance of every one of them. Choose the file's currency "
        "or the account it belongs to (or “New account…”) to compare the statement with it."
    )
    return dataclasses.replace(recon, computed_minor=None, difference_minor=None, message=message, withheld=True)


def withheld(recon: object) -> bool:
    """Whether the preview's reconciliation is one :func:`withhold` took the offer from (the command line's
    ``--set-opening-balance`` is refused for it, before anything is written)."""
    return isinstance(recon, Reconciliation) and recon.withheld
