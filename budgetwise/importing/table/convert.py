"""From the mapped columns to candidate transactions: every column kind converted at once
(column-at-a-time pandas), every row that cannot be imported rejected with its reason."""

from __future__ import annotations

from typing import Any

import pandas as pd

from budgetwise.errors import ImportFileError
from budgetwise.importing import balance as bal
from budgetwise.importing.labels import or_label
from budgetwise.importing.model import CURRENCY_SIGNS, ColumnMapping, ImportOptions, ParsedFile
from budgetwise.importing.opening import opening_note, opening_rows
from budgetwise.importing.table import checks, money, text_columns
from budgetwise.importing.table.context import Table, first_per_row
from budgetwise.importing.table.date_column import read_dates, reject_bad_dates
from budgetwise.importing.table.frame import column_text
from budgetwise.importing.table.profile import ColumnProfile
from budgetwise.importing.table.roles import transaction_id_column
from budgetwise.importing.table.running_balance import check_balance


def _continuation_lines(
    frame: pd.DataFrame, mapping: ColumnMapping, id_col: int | None
) -> tuple[pd.DataFrame, pd.Series | None]:
    """(the rows that are transactions, the text of the continuation lines below each, or None).

    A continuation line has no date, no amount and some text: it belongs to the row above's
    description. A row with its own transaction id is a transaction.
    """
    money_cols = [c for c in (mapping.amount, mapping.debit, mapping.credit) if c is not None]
    money_empty = pd.concat([column_text(frame, c) == "" for c in money_cols], axis=1).all(axis=1)
    continuation = (column_text(frame, mapping.date) == "") & money_empty
    if id_col is not None:
        continuation &= column_text(frame, id_col) == ""
    if not continuation.any() or continuation.iloc[0]:
        return frame, None
    group = (~continuation).astype("int64").cumsum()
    cont = frame[continuation]
    cont_text = cont.apply(lambda r: " ".join(v for v in r if v), axis=1)
    extra_text = cont_text.groupby(group[continuation]).agg(" ".join)
    return frame[~continuation], group[~continuation].map(extra_text).fillna("")


def convert(
    frame: pd.DataFrame, mapping: ColumnMapping, profiles: list[ColumnProfile], options: ImportOptions,
    default_currency: str, warnings: list[str], base: dict[str, Any],
) -> ParsedFile:
    """The ParsedFile of a table whose mapping is complete (``base``: what was found before)."""
    columns: tuple[str, ...] = base["columns"]
    has_header = base["header_row"] is not None
    id_col = transaction_id_column(profiles, has_header)
    frame, extra = _continuation_lines(frame, mapping, id_col)
    rows_read = int(len(frame))
    if rows_read == 0:
        raise ImportFileError("The file has a header row but no transactions below it.")
    t = Table(frame, columns, has_header, mapping, profiles, options, warnings)
    money_cols = [c for c in (mapping.amount, mapping.debit, mapping.credit) if c is not None]
    currencies = money.row_currencies(t, money_cols, default_currency)
    amounts = money.read_amounts(t, currencies.per_row)
    dates = read_dates(t, t.text(mapping.date), amounts.raw_text, currencies.in_file, amounts.decimal)

    ok = pd.Series(True, index=t.index) & ~currencies.bad
    ok &= reject_bad_dates(t, dates)
    ok = checks.reject_bad_amounts(t, amounts, ok)
    if id_col is not None:
        ok = checks.reject_repeated_rows(t, id_col, ok)
    ok = checks.reject_placeholders(t, amounts, ok)
    if has_header:
        check_balance(t, amounts.kind, amounts.raw_text, amounts.decimal, ok)

    if not currencies.in_file and len(t.index):
        checks.warn_mixed_currency_signs(t, amounts.raw_text, ok, str(currencies.per_row.iloc[0]))
    rows = _rows(t, ok, dates.dates, amounts, currencies.per_row, extra)
    if said := opening_note(rows, opening_rows(rows)):  # an app's "Starting Balance" rows (session 28)
        warnings.append(said)
    amount_symbols = () if currencies.in_file else tuple(
        sorted(set("".join(amounts.raw_text[ok].head(5000).astype(str))) & set(CURRENCY_SIGNS))
    )
    return ParsedFile(
        amount_symbols=amount_symbols,
        statement_balance=bal.from_columns(t.frame, profiles, mapping, rows, t.index[ok], options.decimal),
        date_order=dates.shown_order, date_order_reason=dates.reason, decimal=amounts.decimal, sign=amounts.sign,
        warnings=tuple(warnings), rows=rows, rejections=first_per_row(t.rejections), rows_read=rows_read,
        currency_missing=int(((t.text(mapping.currency).str.strip() == "") & ok).sum()) if mapping.currency is not None else 0,
        **base,
    )


def _rows(
    t: Table, ok: pd.Series, dates: pd.Series, amounts: money.Amounts, currency: pd.Series, extra: pd.Series | None
) -> pd.DataFrame:
    """The accepted rows as the importer's row frame (plain Python values, object columns)."""

    def text(series: pd.Series) -> pd.Series:
        # Plain Python strings (object dtype): the service iterates them row by row.
        return pd.Series(series[ok].astype(object).where(series[ok].notna(), "").to_numpy(dtype=object), dtype=object)

    label = text_columns.clean_cells(text(text_columns.labels(t)))
    return pd.DataFrame(
        {
            "row": t.index[ok].to_numpy(dtype="int64"),
            "date": pd.Series(dates[ok].dt.date.to_numpy(dtype=object), dtype=object),
            "amount_minor": amounts.magnitude[ok].astype("int64").to_numpy(),
            "kind": text(amounts.kind),
            "description": or_label(text(text_columns.descriptions(t, extra)), label),  # nothing the file said is lost
            "currency": text(currency),
            "account": text_columns.clean_cells(text(text_columns.accounts(t))),
            "label": label,
            "bank_type": text(text_columns.bank_types(t)),
        }
    )
