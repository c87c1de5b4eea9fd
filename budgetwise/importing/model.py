"""The importer's data: options a person can set, the column mapping, the parsed result."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field, fields, replace
from typing import Any

import pandas as pd

from budgetwise.errors import ValidationError
from budgetwise.importing.words import Hint, for_page
from budgetwise.names import quoted

DATE_ORDERS = ("dmy", "mdy")
SIGN_CONVENTIONS = ("auto", "negative_is_expense", "positive_is_expense")
# a currency sign written in amounts and the currency it most often means ("$" alone: the US dollar)
CURRENCY_SIGNS = {"£": "GBP", "€": "EUR", "¥": "JPY", "₹": "INR", "₩": "KRW", "₪": "ILS", "₱": "PHP", "₺": "TRY",
                  "$": "USD"}
SIGN_LABELS = {  # how the "Amount signs" choice reads on the import page (and in the importer's warnings)
    "auto": "Detect",
    "negative_is_expense": "Negative amounts are spending",
    "positive_is_expense": "Positive amounts are spending (card statements)",
}
SINGLE_ROLES = (
    "date", "amount", "debit", "credit", "direction", "currency", "category", "subcategory", "account", "bank_type",
)
MAPPING_KEYS = (*SINGLE_ROLES, "description")

ROLE_LABELS = {
    "date": "Date",
    "amount": "Amount (signed)",
    "debit": "Debit / withdrawal (money out)",
    "credit": "Credit / deposit (money in)",
    "direction": "Debit/credit indicator",
    "description": "Description",
    "currency": "Currency",
    "category": "Category (the file's own)",
    "subcategory": "Subcategory (the file's own)",
    "account": "Account",
    "bank_type": "Bank's transaction type",
}


@dataclass(frozen=True)
class ColumnMapping:
    """Which column (0-based index into the file's columns) holds what.

    Either ``amount`` (signed, optionally with a ``direction`` indicator column) or
    ``debit``/``credit`` (separate money-out / money-in columns) is needed, plus ``date``.
    ``description`` may combine several columns, in order.
    """

    date: int | None = None
    amount: int | None = None
    debit: int | None = None
    credit: int | None = None
    direction: int | None = None
    description: tuple[int, ...] = ()
    currency: int | None = None
    category: int | None = None
    subcategory: int | None = None
    account: int | None = None
    # the bank's own type of each row ("ATM", "FEE", "DD"): kept with the row, read by the categorizer;
    # may be the direction column (or a description column) too: it takes nothing from another role
    bank_type: int | None = None

    @property
    def has_amount(self) -> bool:
        return self.amount is not None or self.debit is not None or self.credit is not None

    @property
    def complete(self) -> bool:
        return self.date is not None and self.has_amount

    def used(self) -> set[int]:
        cols = {getattr(self, role) for role in SINGLE_ROLES} | set(self.description)
        cols.discard(None)
        return cols  # type: ignore[return-value]

    def missing(self) -> list[str]:
        out = []
        if self.date is None:
            out.append("date")
        if not self.has_amount:
            out.append("amount (or debit/credit)")
        return out

    def validate(self, width: int) -> ColumnMapping:
        for role in SINGLE_ROLES:
            value = getattr(self, role)
            if value is not None and not 0 <= value < width:
                raise ValidationError(f"The {role} column {value + 1} does not exist (the file has {width} columns).", field=role)
        for value in self.description:
            if not 0 <= value < width:
                raise ValidationError(f"The description column {value + 1} does not exist (the file has {width} columns).", field="description")
        return self

    def to_names(self, columns: tuple[str, ...] | list[str]) -> dict:
        """JSON-friendly form by column name (index when the name is not unique/known)."""

        def ref(i: int | None):
            if i is None:
                return None
            name = columns[i] if i < len(columns) else None
            return name if name and list(columns).count(name) == 1 and not name.startswith("Column ") else i

        out = {role: ref(getattr(self, role)) for role in SINGLE_ROLES}
        out["description"] = [ref(i) for i in self.description]
        return out

    @classmethod
    def from_names(cls, data: dict, columns: tuple[str, ...] | list[str]) -> ColumnMapping:
        """Resolve names (case-insensitive) or 0-based indexes; ValidationError for unknown names."""
        lookup = {str(c).strip().casefold(): i for i, c in reversed(list(enumerate(columns)))}

        def resolve(role: str, value) -> int | None:
            if value is None or value == "":
                return None
            if isinstance(value, int) or (isinstance(value, str) and value.strip().isdigit()):
                index = int(value)
                if not 0 <= index < len(columns):
                    raise ValidationError(
                        f"Column {index} for {role} does not exist (columns are numbered 0 to {len(columns) - 1}).",
                        field=role,
                    )
                return index
            key = str(value).strip().casefold()
            if key not in lookup:
                raise ValidationError(
                    f"The file has no column named {quoted(value)} (for {role}). Its columns are: "
                    + ", ".join(quoted(c) for c in columns[:30]),
                    field=role,
                )
            return lookup[key]

        kwargs: dict = {}
        for role in SINGLE_ROLES:
            if role in data:
                kwargs[role] = resolve(role, data[role])
        if "description" in data:
            desc = data["description"]
            if desc is None:
                desc = []
            if isinstance(desc, (str, int)):
                desc = [desc]
            kwargs["description"] = tuple(i for i in (resolve("description", d) for d in desc) if i is not None)
        unknown = set(data) - set(MAPPING_KEYS)
        if unknown:
            raise ValidationError(
                f"Unknown mapping key(s): {', '.join(sorted(unknown))}. Use: {', '.join(MAPPING_KEYS)}.", field="mapping"
            )
        return cls(**kwargs)


def parse_mapping_spec(spec: str) -> dict:
    """The command-line form ``date=0,amount=3,description=2+4`` (names or 0-based indexes).

    ``+`` joins several description columns. A name containing ``,`` or ``=`` can be
    given in the JSON form instead: ``{"date": "Buchungstag", "description": ["A", "B"]}``.
    """
    text = (spec or "").strip()
    if not text:
        return {}
    if text.startswith("{"):
        try:
            data = json.loads(text)
        except json.JSONDecodeError as exc:
            raise ValidationError(f"The mapping is not valid JSON: {exc}.", field="mapping") from None
        if not isinstance(data, dict):
            raise ValidationError("The JSON mapping must be an object like {\"date\": 0}.", field="mapping")
        return data
    data: dict = {}
    for part in text.split(","):
        part = part.strip()
        if not part:
            continue
        if "=" not in part:
            raise ValidationError(
                f"{quoted(part)} is not ROLE=COLUMN (for example date=0,amount=3,description=2).", field="mapping"
            )
        key, _, value = part.partition("=")
        key = key.strip().lower()
        value = value.strip()
        if key == "description":
            data[key] = [v.strip() for v in value.split("+") if v.strip()]
        else:
            data[key] = value
    return data


@dataclass(frozen=True)
class ImportOptions:
    """What a person chose in the preview (or on the command line). ``None`` = detect."""

    mapping: ColumnMapping | None = None
    date_order: str | None = None  # 'dmy' / 'mdy'
    decimal: str | None = None  # '.' / ','
    sign: str = "auto"  # see SIGN_CONVENTIONS
    sheet: str | None = None
    encoding: str | None = None
    delimiter: str | None = None
    header_row: int | None = None  # 1-based row of the header; 0 = the file has no header
    currency: str | None = None  # for rows without a currency of their own
    category_map: tuple[tuple[str, int | None], ...] | None = None  # the file's labels -> category ids
    # learn merchant habits from the file's mapped labels (and keep those rows as set by hand);
    # None = the file's default: on for budgeting-app exports (Mint, Outbank, YNAB), off for banks'
    learn_from_labels: bool | None = None
    include_duplicates: bool = False
    # the account the rows go to (issue #19); None = the OFX account id's account, else the default account
    account_id: int | None = None

    def __post_init__(self) -> None:
        if self.date_order not in (None, *DATE_ORDERS):
            raise ValidationError("The date order must be dmy (day first) or mdy (month first).", field="date_order")
        if self.decimal not in (None, ".", ","):
            raise ValidationError("The decimal separator must be '.' or ','.", field="decimal")
        if self.sign not in SIGN_CONVENTIONS:
            raise ValidationError(f"The sign convention must be one of {', '.join(SIGN_CONVENTIONS)}.", field="sign")
        if self.delimiter is not None and len(self.delimiter) != 1:
            raise ValidationError("The delimiter must be one character.", field="delimiter")
        if self.header_row is not None and self.header_row < 0:
            raise ValidationError("The header row must be 0 (no header) or a row number.", field="header_row")

    def with_(self, **changes) -> ImportOptions:
        return replace(self, **changes)

    def with_layout(
        self,
        *,
        detected_header_row: int | None,
        detected_sheet: str | None,
        several_sheets: bool,
        header_row: int,
        sheet: str | None,
        mapping: ColumnMapping,
        date_order: str | None,
        decimal: str | None,
        sign: str,
    ) -> ImportOptions:
        """The options after a person applied the "Columns and format" choices of a preview.

        A header row (``header_row``; 0 = none) other than the one the preview used, or another
        sheet, means other columns: the column ``mapping`` is dropped so that it is detected
        again. Another sheet also drops a chosen header row (the new sheet's is detected). A
        header row is kept only once a person changed it (or had chosen one before); the sheet
        only when the workbook has more than one. The whole preview is parsed again either way.
        """
        header_changed = header_row != (detected_header_row or 0)
        sheet_changed = sheet != detected_sheet
        return self.with_(
            mapping=None if (header_changed or sheet_changed) else mapping,
            date_order=date_order, decimal=decimal, sign=sign,
            sheet=sheet if several_sheets else None,
            header_row=None if sheet_changed else (
                header_row if (header_changed or self.header_row is not None) else None),
        )

    def rows_to_commit(self, *, rows_new: int, rows_valid: int) -> int:
        """How many rows an import with these options stores, of a preview's ``rows_new`` new and
        ``rows_valid`` readable rows: the new ones, or every readable row when duplicates are included."""
        return rows_valid if self.include_duplicates else rows_new

    def parse_key(self) -> tuple:
        """The options that change how the file is parsed (not what is done with it)."""
        return tuple(getattr(self, f.name) for f in fields(self) if f.name not in {"category_map", "include_duplicates", "learn_from_labels"})


@dataclass(frozen=True)
class Rejection:
    row: int  # the row in the file (1-based, counting preamble and header rows)
    field: str
    reason: str
    value: str = ""


@dataclass(frozen=True)
class StatementBalance:
    """The balance a statement itself states (issue #19): OFX ``LEDGERBAL``, or a CSV's running
    balance after its newest row. ``amount_minor`` is signed (negative: overdrawn / owed) and holds
    at the end of ``date``."""

    amount_minor: int
    currency: str
    date: dt.date
    source: str  # where it was read, for the preview: "the statement's ledger balance (LEDGERBAL)", ...


@dataclass(frozen=True)
class RepeatedHeader:
    """A date or money role the importer left unmapped because the column it detected shares its
    header name with another column (``date,amount,amount,description``): the person names the
    column (the page's column pickers, the command line's ``--mapping``). The structured form of
    the note in ``FileLayout.warnings``; :attr:`note` is the one owner of that text."""

    role: str
    name: str  # the repeated header name
    columns: tuple[int, ...]  # 0-based positions of the columns called ``name``

    @property
    def hint(self) -> Hint:
        """How the person names the column: the command line's ``--mapping`` with its numbers, the page's box."""
        numbers = ", ".join(str(c) for c in self.columns[:-1]) + f" or {self.columns[-1]}"
        return Hint(
            cli=f"Choose the column (in the app), or name it by number with --mapping (command line, 0-based: "
                f"{self.role}={numbers}).",
            # session 22, newuser22b: a web user was told of ``--mapping``
            page=f"Choose it in “Columns and format” below, in the “{ROLE_LABELS.get(self.role, self.role)}” box (the "
                 "sample there shows each column's values).",
        )

    @property
    def note(self) -> str:
        cols = self.columns
        positions = ", ".join(str(c + 1) for c in cols[:-1]) + f" and {cols[-1] + 1}"
        return (f'Columns {positions} are {"both" if len(cols) == 2 else "all"} called "{self.name}": BudgetWise will '
                f"not guess which one holds the {self.role}. " + self.hint.cli)


@dataclass(frozen=True, eq=False)
class FileLayout:
    """How a file was read: its format and dialect, header, columns and their mapping, the date,
    decimal and sign conventions, and the warnings about them. The one owner of these fields:
    :class:`ParsedFile` and the import preview (``budgetwise.services.importing.ImportPreview``)
    both carry them."""

    file_format: str  # csv / tsv / xlsx / ofx
    encoding: str | None
    delimiter: str | None
    header_row: int | None  # 1-based; None when the file has no header row
    columns: tuple[str, ...]
    mapping: ColumnMapping
    mapping_confident: bool
    date_order: str | None
    date_order_reason: str
    decimal: str | None
    sign: str
    sheet_names: tuple[str, ...]
    sheet: str | None
    warnings: tuple[str, ...]
    header_signature: str
    # the roles a repeated header name left unmapped (their notes are in ``warnings``): the command
    # line repeats those notes when it asks for --mapping (keyword-only with a default: a layout
    # built without it, e.g. by a test, has none)
    repeated_headers: tuple[RepeatedHeader, ...] = field(default=(), kw_only=True)

    @property
    def page_warnings(self) -> tuple[str, ...]:
        """:attr:`warnings` as the Import page shows them (:func:`.words.for_page`, with the repeated headers' own
        sentences); the command line prints :attr:`warnings` as they are."""
        hints = tuple(r.hint for r in self.repeated_headers)
        return tuple(for_page(w, *hints) for w in self.warnings)

    def layout(self) -> dict[str, Any]:
        """This layout's fields by name (to make another FileLayout with the same layout)."""
        return {f.name: getattr(self, f.name) for f in fields(FileLayout)}


@dataclass(frozen=True, eq=False)
class ParsedFile(FileLayout):
    """A file turned into candidate transactions plus everything the preview explains."""

    rows: pd.DataFrame  # row, date, amount_minor, kind, description, currency, account, label, bank_type
    rejections: tuple[Rejection, ...]
    rows_read: int
    sample: tuple[tuple[str, ...], ...] = field(default=())  # the first raw data rows, as in the file
    account: str | None = None
    account_type: str | None = None  # an OFX statement's account type (CHECKING, SAVINGS, CREDITLINE…)
    # currency signs written in the amounts ("£1,183.23") of a file that names no currency of its own
    amount_symbols: tuple[str, ...] = ()
    # the closing balance the file states (a running balance column); OFX reads LEDGERBAL from the raw file
    statement_balance: StatementBalance | None = None
    # the account a CSV/XLSX preamble names, as written (importing/preamble.py; session 23)
    statement_account: str | None = None
    # accepted rows whose currency cell is empty (a currency column mapped; 0 without one): they take the fallback
    currency_missing: int = 0

    @property
    def labels(self) -> tuple[str, ...]:
        """The file's own category labels, most frequent first."""
        if self.rows.empty or "label" not in self.rows:
            return ()
        counts = self.rows["label"].replace("", pd.NA).dropna().value_counts()
        return tuple(str(x) for x in counts.index)


ROW_COLUMNS = ["row", "date", "amount_minor", "kind", "description", "currency", "account", "label", "bank_type"]


def empty_rows() -> pd.DataFrame:
    return pd.DataFrame({c: pd.Series(dtype="object") for c in ROW_COLUMNS})


def merge_mapping(detected: ColumnMapping, given: dict, columns: tuple[str, ...] | list[str]) -> ColumnMapping:
    """The detected mapping with the roles a person named replaced (names or 0-based indexes).

    Naming ``amount`` drops a detected debit/credit pair and naming ``debit``/``credit``
    drops a detected single amount column, so the two styles never mix by accident.
    """
    override = ColumnMapping.from_names(given, columns)
    changes = {key: getattr(override, key) for key in given if key in MAPPING_KEYS}
    if "amount" in given and not ({"debit", "credit"} & set(given)):
        changes.update(debit=None, credit=None)
    if {"debit", "credit"} & set(given) and "amount" not in given:
        changes.update(amount=None, direction=changes.get("direction"))
    return replace(detected, **changes).validate(len(columns))
