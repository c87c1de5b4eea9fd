"""Importing bank files: preview, duplicate detection, one-transaction commit, history, undo,
and saved column mappings.

Parsing lives in :mod:`budgetwise.importing` (no database). This module adds what
needs the user's data:

* duplicates: a row whose fingerprint (date, amount, direction, currency,
  normalized description; :func:`budgetwise.text.fingerprint`) is already among the
  user's transactions is skipped by default. Counting, not set membership: a file
  with k identical rows where the database holds m of them imports k - m, so two
  real coffees on one day both arrive and re-importing a file changes nothing;
* categories: the rules/learned habits/model of :mod:`budgetwise.services.categorize`,
  or the file's own category labels mapped to BudgetWise categories;
* the commit: every accepted row in one database transaction as one ImportBatch,
  inserted in chunks with one ``executemany`` each; any failure leaves the database
  as it was. Undo deletes exactly the rows the batch added.
"""

from __future__ import annotations

import datetime as dt
import gc
import hashlib
import itertools
import json
import threading
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np
import pandas as pd
from babel.numbers import get_currency_symbol
from sqlalchemy import delete, func, insert, select, update
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session

from budgetwise.config import configured_max_upload_bytes
from budgetwise.errors import ImportFileError, NotFoundError, ValidationError
from budgetwise.importing import CURRENCY_SIGNS, ColumnMapping, ImportOptions, ParsedFile, Rejection, parse_file
from budgetwise.importing.labels import group_labels
from budgetwise.models import ImportBatch, ImportMapping, Transaction, User, utcnow
from budgetwise.money import validate_currency
from budgetwise.services import accounts as accounts_service
from budgetwise.services import categories as categories_service
from budgetwise.services import categorize as categorize_service
from budgetwise.services.versions import touch_data
from budgetwise.text import clean_text, fold, merchant_keys

PREVIEW_ROWS = 50
INSERT_CHUNK = 10_000  # rows categorized and inserted per step (bounded memory, progress)
# SQLite page cache while an import writes (KiB; the default is 2 MB): the five indexes of a
# large import fit, so pages are not written out and read back mid-way. Restored afterwards.
SQLITE_IMPORT_CACHE_KIB = 16_384
MODEL_MIN_CONFIDENCE = 0.6  # a model guess below this is left for review instead of being stored
MAX_MAPPING_NAME = 100

Progress = Callable[[float, str], None]


# =========================================================================== data types
@dataclass(frozen=True)
class PreviewRow:
    row: int
    date: dt.date
    amount_minor: int
    currency: str
    kind: str
    description: str
    account: str
    label: str
    category_id: int | None
    category_name: str | None
    category_source: str | None
    duplicate: bool


@dataclass(frozen=True)
class LabelMapping:
    """One of the file's own category labels, how often it occurs, and where it goes."""

    label: str
    count: int
    suggested_id: int | None
    category_id: int | None
    group: str = ""  # the spelling that stands for this label's group ("Food" for "FOOD", "Fod", "Foods")


@dataclass(frozen=True)
class LabelGroup:
    """Spellings of one label (``Food``, ``FOOD``, ``Fod``...) mapped together on the page."""

    label: str  # the representative spelling
    spellings: tuple[str, ...]  # every spelling in the file, the representative first
    count: int  # rows of all spellings
    category_id: int | None  # the representative's category (the members follow it)


def label_groups(labels: tuple[LabelMapping, ...]) -> tuple[LabelGroup, ...]:
    """The file's labels grouped by spelling, most rows first (one row per group on the page)."""
    groups: dict[str, list[LabelMapping]] = {}
    for m in labels:
        groups.setdefault(m.group or m.label, []).append(m)
    out = []
    for rep, members in groups.items():
        head = next((m for m in members if m.label == rep), members[0])
        spellings = (head.label, *[m.label for m in members if m is not head])
        out.append(LabelGroup(label=rep, spellings=spellings, count=sum(m.count for m in members),
                              category_id=head.category_id))
    return tuple(sorted(out, key=lambda g: (-g.count, g.label)))


def group_choices(groups: tuple[LabelGroup, ...], chosen: dict[str, int | None]) -> tuple[tuple[str, int | None], ...]:
    """A category chosen per group (by representative) as a choice for every spelling (``category_map``)."""
    return tuple((spelling, chosen.get(g.label, g.category_id)) for g in groups for spelling in g.spellings)


@dataclass(frozen=True)
class MappingView:
    id: int
    name: str
    header_signature: str
    columns: dict
    date_order: str | None
    decimal: str | None
    sign: str
    updated_at: dt.datetime
    account_id: int | None = None  # the account this layout's rows go to (issue #19)


@dataclass(frozen=True)
class ImportPreview:
    filename: str
    file_sha256: str
    size_bytes: int
    file_format: str
    encoding: str | None
    delimiter: str | None
    header_row: int | None
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
    saved_mapping: MappingView | None
    rows_read: int
    rows_valid: int
    rows_duplicate: int
    rows_new: int
    rejections: tuple[Rejection, ...]
    rows: tuple[PreviewRow, ...]  # the first rows as they will be stored
    raw_sample: tuple[tuple[str, ...], ...]
    currencies: tuple[tuple[str, int], ...]
    date_min: dt.date | None
    date_max: dt.date | None
    labels: tuple[LabelMapping, ...]
    previous_import: tuple[int, dt.datetime] | None  # (batch id, when) if this exact file was imported before
    labels_from_app: bool = False  # the labels look like a person's own (a budgeting app's export), not a bank's
    learn_from_labels: bool = False  # what the import will do: the user's choice, else labels_from_app
    # the file's currency as its amounts' sign suggests ("£1,183.23": GBP), for the user to confirm; None when
    # the file names its currency, the user chose one, or the sign means the user's own currency
    suggested_currency: str | None = None
    suggested_from_sign: str | None = None
    # The parsed file behind this preview: commit_import(preview=...) reuses it instead of parsing again
    # (it still recomputes duplicates and category mappings inside the write transaction).
    analysis: object = field(default=None, repr=False, compare=False)

    @property
    def can_commit(self) -> bool:
        return self.mapping.complete if self.file_format != "ofx" else True

    @property
    def rows_to_import(self) -> int:
        return self.rows_new


@dataclass(frozen=True)
class ImportResult:
    batch_id: int
    rows_read: int
    rows_imported: int
    rows_duplicate: int
    rows_rejected: int
    rejections: tuple[Rejection, ...]


@dataclass(frozen=True)
class ImportBatchView:
    id: int
    filename: str
    file_format: str
    account: str | None
    created_at: dt.datetime
    rows_read: int
    rows_imported: int
    rows_duplicate: int
    rows_rejected: int
    status: str
    undone_at: dt.datetime | None
    rows_remaining: int

    @property
    def can_undo(self) -> bool:
        """Committed, not undone yet, and some of its rows are still there to remove."""
        return self.status == "committed" and self.undone_at is None and self.rows_remaining > 0


class ImportAlreadyUndone(ValidationError):
    """The batch was undone before (e.g. a repeated click on its undo button): nothing more is removed."""


# =========================================================================== helpers
_GC_LOCK = threading.Lock()
_GC_PAUSES = 0
_GC_WAS_ENABLED = False


@contextmanager
def _gc_paused() -> Iterator[None]:
    """Pause Python's cyclic garbage collector while a file is parsed and stored.

    A 100,000-row file makes millions of small objects; the collector would walk all of
    them several times (about 0.3 s of a 4 s import) to find no cycles. Reference counting
    still frees everything as usual; collection resumes when the last running import ends.
    """
    global _GC_PAUSES, _GC_WAS_ENABLED
    with _GC_LOCK:
        if _GC_PAUSES == 0:
            _GC_WAS_ENABLED = gc.isenabled()
            gc.disable()
        _GC_PAUSES += 1
    try:
        yield
    finally:
        with _GC_LOCK:
            _GC_PAUSES -= 1
            if _GC_PAUSES == 0 and _GC_WAS_ENABLED:
                gc.enable()


def check_size(data: bytes, max_bytes: int) -> None:
    """Refuse files above the limit with the numbers.

    Every preview and commit checks it: a caller that passes no ``max_bytes`` gets the
    configured limit (BUDGETWISE_MAX_UPLOAD_MB), never "unlimited"; the CLI's
    ``--max-size-mb`` is the explicit override.
    """
    if len(data) > max_bytes:
        raise ImportFileError(
            f"The file is {len(data) / 1024 / 1024:.1f} MB; the limit is {max_bytes / 1024 / 1024:.0f} MB "
            "(BUDGETWISE_MAX_UPLOAD_MB). Split the export into shorter periods."
        )


def _user_currency(session: Session, user_id: int) -> str:
    currency = session.scalar(select(User.currency).where(User.id == user_id))
    if currency is None:
        raise NotFoundError("This account no longer exists.")
    return currency


def _fold(text: str) -> str:
    """budgetwise.text.fold with a fast path for plain ASCII (no accents to strip)."""
    if text.isascii():
        return " ".join(text.lower().split())
    return fold(text)


def fingerprints(rows: pd.DataFrame) -> pd.Series:
    """budgetwise.text.fingerprint for every row (same result; each description folded once)."""
    if rows.empty:
        return pd.Series([], dtype=object)
    folded: dict[str, str] = {}
    for d in rows["description"].tolist():
        if d not in folded:
            folded[d] = _fold(d or "")
    sha = hashlib.sha256
    out = [
        sha(f"{day.isoformat()}|{int(minor)}|{kind}|{currency.upper()}|{folded[d]}".encode()).hexdigest()
        for day, minor, kind, currency, d in zip(
            rows["date"].tolist(), rows["amount_minor"].tolist(), rows["kind"].tolist(), rows["currency"].tolist(),
            rows["description"].tolist(),
        )
    ]
    return pd.Series(out, index=rows.index, dtype=object)


def lock_user_for_import(session: Session, user_id: int) -> bool:
    """Serialize duplicate detection per user: take the user's row lock in this transaction.

    Two imports of one file for one user, started together, must not both find "nothing
    stored yet" and both insert (issue #13). Called before the duplicate check of a commit,
    in the transaction that inserts; the lock is held until that transaction ends, so the
    second import waits and then counts the first one's rows as duplicates.

    * PostgreSQL / MariaDB: ``SELECT ... FOR UPDATE`` on the user's row (no new table);
    * SQLite: one writer at a time; a no-op write takes the database's write lock now (it is
      already held when the session began with BEGIN IMMEDIATE, the default for writers).

    Returns True when this transaction's snapshot is older than the lock (MariaDB's
    REPEATABLE READ fixes it at the transaction's first plain read, e.g. a preview in the same
    session, and someone wrote the user's data since): the duplicate check must then read
    the latest rows with a locking read. PostgreSQL (READ COMMITTED) and SQLite never need it.
    """
    conn = session.connection()
    if conn.dialect.name == "sqlite":
        conn.execute(update(User).where(User.id == user_id).values(id=User.id, updated_at=User.updated_at))
        return False
    latest = conn.execute(select(User.data_version).where(User.id == user_id).with_for_update()).scalar()
    if conn.dialect.name not in ("mysql", "mariadb"):
        return False
    seen = conn.execute(select(User.data_version).where(User.id == user_id)).scalar()  # the snapshot's
    return seen != latest


def _duplicate_mask(
    session: Session, user_id: int, rows: pd.DataFrame, fps: pd.Series, *, latest: bool = False
) -> pd.Series:
    """True for rows already in the user's data (count-based: k in file, m stored -> k - m new).

    ``latest``: read the newest committed rows even inside an older snapshot (MariaDB's
    REPEATABLE READ keeps the snapshot of the transaction's first read; a locking read does
    not). Only when :func:`lock_user_for_import` says so: its shared range locks can deadlock
    with other users' inserts next to the range.
    """
    if rows.empty:
        return pd.Series([], dtype=bool)
    lo, hi = min(rows["date"]), max(rows["date"])
    stmt = (
        select(Transaction.fingerprint, func.count())
        .where(Transaction.user_id == user_id, Transaction.date >= lo, Transaction.date <= hi)
        .group_by(Transaction.fingerprint)
    )
    if latest:
        stmt = stmt.with_for_update(read=True)
    # Core rows, not ORM rows: a 100,000-row history costs a third of the memory.
    existing = {fp: int(n) for fp, n in session.connection().execute(stmt)}
    if not existing:
        return pd.Series(False, index=rows.index)
    seen: dict[str, int] = {}
    mask = []
    for fp in fps.tolist():
        nth = seen.get(fp, 0)
        seen[fp] = nth + 1
        mask.append(nth < existing.get(fp, 0))
    return pd.Series(mask, index=rows.index, dtype=bool)


def _label_mappings(session: Session, user_id: int, parsed: ParsedFile, options: ImportOptions) -> tuple[LabelMapping, ...]:
    if parsed.rows.empty:
        return ()
    counts = parsed.rows["label"].replace("", np.nan).dropna().value_counts()
    if counts.empty:
        return ()
    labels = [str(x) for x in counts.index]
    suggested = categorize_service.map_external_categories(session, user_id=user_id, labels=labels)
    chosen = dict(options.category_map) if options.category_map is not None else {}
    # Spellings of one label ("Food", "FOOD", "Fod", "Foods") take the group's suggestion and choice.
    group = group_labels((label, int(counts[label])) for label in labels)
    by_group: dict[str, int | None] = {}
    for label in labels:  # most rows first: the representative's suggestion, else the most used member's
        rep = group[label]
        if by_group.get(rep) is None:
            by_group[rep] = suggested.get(rep) if suggested.get(rep) is not None else suggested.get(label)
    out = []
    for label in labels:
        rep = group[label]
        sid = by_group.get(rep)
        cid = chosen[label] if label in chosen else chosen.get(rep, sid)
        out.append(LabelMapping(label=label, count=int(counts[label]), suggested_id=sid, category_id=cid, group=rep))
    return tuple(out)


# Headers only budgeting apps write next to their category column: Mint ("Original Description",
# "Labels"), Outbank ("Tags"), YNAB ("Category Group"). A bank's export (Monzo, Capital One, ING,
# N26) carries the bank's own generic categories instead, which are not the user's habits.
_APP_EXPORT_HEADERS = frozenset({"original description", "labels", "tags", "category group", "category group/category"})


def labels_from_app(parsed: ParsedFile) -> bool:
    """Whether the file's category labels are a person's own (exported from a budgeting app)."""
    return any(" ".join(str(c).lower().split()) in _APP_EXPORT_HEADERS for c in parsed.columns)


def _learns(parsed: ParsedFile, options: ImportOptions) -> bool:
    return options.learn_from_labels if options.learn_from_labels is not None else labels_from_app(parsed)


def _check_category_ids(session: Session, user_id: int, ids: set[int]) -> None:
    for cid in ids:
        categories_service.get_category(session, user_id=user_id, category_id=cid)


@dataclass(frozen=True)
class _Categories:
    """Per row, in the order of the rows given: plain Python values (None where unset)."""

    category_id: list[int | None]
    category_source: list[str | None]
    category_confidence: list[float | None]
    rule_id: list[int | None]
    category_manual: list[bool]

    @staticmethod
    def empty() -> _Categories:
        return _Categories([], [], [], [], [])


def _categorize(
    session: Session, user_id: int, rows: pd.DataFrame, labels: tuple[LabelMapping, ...], *, labels_manual: bool
) -> _Categories:
    """category_id, category_source, category_confidence, rule_id, category_manual per row.

    Rows whose label is mapped get that category (source 'import'); they count as set by
    hand only when the user adopts the file's categories as theirs (``labels_manual``),
    otherwise the user's rules may still refine them later. Every other row goes through
    the rules.
    """
    n = len(rows)
    values: list[tuple] = [(None, None, None, None, False)] * n
    if n == 0:
        return _Categories([], [], [], [], [])
    todo = list(range(n))
    label_to_id = {m.label: m.category_id for m in labels if m.category_id is not None}
    if label_to_id:
        _check_category_ids(session, user_id, set(label_to_id.values()))
        by_label = (int(label_to_id[x]) if x in label_to_id else None for x in rows["label"].tolist())
        todo = []
        for i, cid in enumerate(by_label):
            if cid is None:
                todo.append(i)
            else:
                values[i] = (cid, "import", None, None, bool(labels_manual))
    if todo:
        sub = rows.iloc[todo] if len(todo) < n else rows
        guesses = categorize_service.categorize_rows(
            session, user_id=user_id, descriptions=sub["description"].tolist(),
            amounts_minor=sub["amount_minor"].tolist(), kinds=sub["kind"].tolist(),
            accounts=[acc or None for acc in sub["account"].tolist()], dates=sub["date"].tolist(),
            history_over_rules=True,
        )
        # guesses are shared objects (one per rule): work each one out once
        per_guess: dict[int, tuple] = {}
        for i, g in zip(todo, guesses):
            v = per_guess.get(id(g))
            if v is None:
                keep = g.category_id is not None and (
                    g.source != "model" or (g.confidence or 0) >= MODEL_MIN_CONFIDENCE
                )
                v = per_guess[id(g)] = (
                    (int(g.category_id), g.source, None if g.confidence is None else float(g.confidence),
                     None if g.rule_id is None else int(g.rule_id), False)
                    if keep else (None, None, None, None, False)
                )
            values[i] = v
    return _Categories(*(list(col) for col in zip(*values)))


def _category_names(session: Session, user_id: int) -> dict[int, str]:
    return {c.id: c.name for c in categories_service.list_categories(session, user_id=user_id, include_archived=True)}


# =========================================================================== saved mappings
def _mapping_view(m: ImportMapping) -> MappingView:
    data = json.loads(m.mapping_json)
    return MappingView(
        id=m.id, name=m.name, header_signature=m.header_signature, columns=data.get("columns", {}),
        date_order=data.get("date_order"), decimal=data.get("decimal"), sign=data.get("sign", "auto"),
        updated_at=m.updated_at, account_id=data.get("account_id"),
    )


def find_mapping(session: Session, *, user_id: int, header_signature: str) -> MappingView | None:
    if not header_signature:
        return None
    m = session.scalar(
        select(ImportMapping).where(ImportMapping.user_id == user_id, ImportMapping.header_signature == header_signature)
    )
    return _mapping_view(m) if m else None


def list_mappings(session: Session, *, user_id: int) -> list[MappingView]:
    stmt = select(ImportMapping).where(ImportMapping.user_id == user_id).order_by(ImportMapping.name)
    return [_mapping_view(m) for m in session.scalars(stmt)]


def save_mapping(
    session: Session,
    *,
    user_id: int,
    name: str,
    header_signature: str,
    columns: tuple[str, ...],
    mapping: ColumnMapping,
    date_order: str | None = None,
    decimal: str | None = None,
    sign: str = "auto",
    account_id: int | None = None,
) -> MappingView:
    """Remember a column mapping for files with this header layout (one per layout; replaces),
    and the account its rows go to when ``account_id`` is given."""
    clean = clean_text(name)[:MAX_MAPPING_NAME]
    if not clean:
        raise ValidationError("Give the mapping a name (for example the bank's name).", field="name")
    if not header_signature:
        raise ValidationError("This file has no column layout to remember.", field="mapping")
    if not mapping.complete:
        raise ValidationError("Choose at least the date and the amount columns before saving.", field="mapping")
    fields: dict[str, Any] = {"columns": mapping.to_names(columns), "date_order": date_order, "decimal": decimal,
                              "sign": sign}
    if account_id is not None:
        fields["account_id"] = accounts_service.get_account(session, user_id=user_id, account_id=account_id).id
    payload = json.dumps(fields, ensure_ascii=False)
    m = session.scalar(
        select(ImportMapping).where(ImportMapping.user_id == user_id, ImportMapping.header_signature == header_signature)
    )
    if m is None:
        m = ImportMapping(user_id=user_id, name=clean, header_signature=header_signature, mapping_json=payload)
        session.add(m)
    else:
        m.name, m.mapping_json, m.updated_at = clean, payload, utcnow()
    session.flush()
    return _mapping_view(m)


def delete_mapping(session: Session, *, user_id: int, mapping_id: int) -> None:
    result = session.execute(
        delete(ImportMapping).where(ImportMapping.id == mapping_id, ImportMapping.user_id == user_id)
    )
    if not result.rowcount:
        raise NotFoundError("That saved mapping does not exist.")


def _apply_saved(saved: MappingView, parsed: ParsedFile, options: ImportOptions) -> ImportOptions | None:
    try:
        mapping = ColumnMapping.from_names(saved.columns, parsed.columns).validate(len(parsed.columns))
    except ValidationError:
        return None
    return replace(
        options,
        mapping=mapping,
        date_order=options.date_order or saved.date_order,
        decimal=options.decimal or saved.decimal,
        sign=saved.sign if options.sign == "auto" else options.sign,
        account_id=options.account_id if options.account_id is not None else saved.account_id,
    )


# =========================================================================== parse + analyse
@dataclass(frozen=True, eq=False)
class _Analysis:
    parsed: ParsedFile
    options: ImportOptions
    saved: MappingView | None
    fps: pd.Series
    duplicate: pd.Series
    labels: tuple[LabelMapping, ...]
    key: tuple = ()  # what the parse depended on: user, file hash, name, options asked for, default currency


def _analyse(
    session: Session, user_id: int, data: bytes, filename: str, options: ImportOptions, max_bytes: int | None,
    *, with_labels: bool = True, for_commit: bool = False, reuse: _Analysis | None = None,
    check_duplicates: bool = True,
) -> _Analysis:
    """Parse (or reuse ``reuse``'s parse of the same file with the same options) and check duplicates."""
    check_size(data, configured_max_upload_bytes() if max_bytes is None else max_bytes)
    if options.currency:
        options = replace(options, currency=validate_currency(options.currency))
    default_currency = _user_currency(session, user_id)
    key = (user_id, hashlib.sha256(data).hexdigest(), filename, options, default_currency)
    if reuse is not None and reuse.key == key:
        # The same file, options and user as the preview: its parse stands; duplicates and the
        # category mappings depend on the database and are worked out again.
        parsed, options, saved, fps = reuse.parsed, reuse.options, reuse.saved, reuse.fps
        stale = lock_user_for_import(session, user_id) if for_commit else False
        duplicate = _duplicate_mask(session, user_id, parsed.rows, fps, latest=stale)
        labels = _label_mappings(session, user_id, parsed, options) if with_labels else ()
        return _Analysis(parsed, options, saved, fps, duplicate, labels, key)
    parsed = parse_file(data, filename, options, default_currency=default_currency)
    saved = None
    if options.mapping is None and parsed.header_signature:
        saved = find_mapping(session, user_id=user_id, header_signature=parsed.header_signature)
        if saved is not None:
            with_saved = _apply_saved(saved, parsed, options)
            if with_saved is not None:
                options = with_saved
                parsed = parse_file(data, filename, options, default_currency=default_currency)
            else:
                saved = None
    fps = fingerprints(parsed.rows)
    if check_duplicates:
        stale = lock_user_for_import(session, user_id) if for_commit else False
        duplicate = _duplicate_mask(session, user_id, parsed.rows, fps, latest=stale)
    else:
        duplicate = pd.Series(False, index=parsed.rows.index, dtype=bool)
    labels = _label_mappings(session, user_id, parsed, options) if with_labels else ()
    return _Analysis(parsed, options, saved, fps, duplicate, labels, key)


def _previous_import(session: Session, user_id: int, sha: str) -> tuple[int, dt.datetime] | None:
    row = session.execute(
        select(ImportBatch.id, ImportBatch.created_at)
        .where(ImportBatch.user_id == user_id, ImportBatch.file_sha256 == sha, ImportBatch.status == "committed")
        .order_by(ImportBatch.created_at.desc())
        .limit(1)
    ).first()
    return (int(row[0]), row[1]) if row else None


@_gc_paused()
def suggest_currency(symbols: Sequence[str], user_currency: str, *, chosen: str | None = None) -> str | None:
    """The currency a file's amount signs suggest, when it is not the user's own.

    Only one kind of sign, and only when the user has not chosen the file's currency. "$" is
    many currencies: it suggests the US dollar only to a user whose own currency is not a dollar.
    """
    if chosen or len(symbols) != 1 or symbols[0] not in CURRENCY_SIGNS:
        return None
    sign = symbols[0]
    if sign == "$" and "$" in get_currency_symbol(user_currency, locale="en_US"):
        return None  # "$1,234.00" in an NZD user's file is most likely NZD
    suggestion = CURRENCY_SIGNS[sign]
    return None if suggestion == user_currency.upper() else suggestion


def preview_import(
    session: Session,
    *,
    user_id: int,
    data: bytes,
    filename: str,
    options: ImportOptions | None = None,
    max_bytes: int | None = None,
    preview_rows: int = PREVIEW_ROWS,
    check_duplicates: bool = True,
) -> ImportPreview:
    """What importing this file would do, without writing anything.

    Raises ImportFileError when the file cannot be read at all; every row that cannot be
    imported is listed in ``rejections`` with its row number, field and reason.
    ``check_duplicates=False`` (a caller that commits right away: the commit counts them in
    its transaction) leaves the duplicate counts at zero; ``preview_rows=0`` skips the
    categorized sample rows.
    """
    options = options or ImportOptions()
    a = _analyse(session, user_id, data, filename, options, max_bytes, check_duplicates=check_duplicates)
    parsed, rows = a.parsed, a.parsed.rows
    sha = hashlib.sha256(data).hexdigest()
    include_dups = a.options.include_duplicates
    head = rows.head(preview_rows)
    learn = _learns(a.parsed, a.options)
    cats = (_categorize(session, user_id, head, a.labels, labels_manual=learn) if len(head)
            else _Categories.empty())
    names = _category_names(session, user_id)
    preview_rows_out = tuple(
        PreviewRow(
            row=int(r.row), date=r.date, amount_minor=int(r.amount_minor), currency=r.currency, kind=r.kind,
            description=r.description, account=r.account, label=r.label,
            category_id=c, category_name=names.get(c) if c is not None else None, category_source=s,
            duplicate=bool(d),
        )
        for r, c, s, d in zip(
            head.itertuples(index=False), cats.category_id, cats.category_source, a.duplicate.head(preview_rows)
        )
    )
    n_dup = int(a.duplicate.sum())
    currencies = tuple((str(k), int(v)) for k, v in rows["currency"].value_counts().items()) if not rows.empty else ()
    return ImportPreview(
        filename=filename, file_sha256=sha, size_bytes=len(data), file_format=parsed.file_format,
        encoding=parsed.encoding, delimiter=parsed.delimiter, header_row=parsed.header_row, columns=parsed.columns,
        mapping=parsed.mapping, mapping_confident=parsed.mapping_confident, date_order=parsed.date_order,
        date_order_reason=parsed.date_order_reason, decimal=parsed.decimal, sign=parsed.sign,
        sheet_names=parsed.sheet_names, sheet=parsed.sheet, warnings=parsed.warnings,
        header_signature=parsed.header_signature, saved_mapping=a.saved, rows_read=parsed.rows_read,
        rows_valid=int(len(rows)), rows_duplicate=n_dup, rows_new=int(len(rows)) - (0 if include_dups else n_dup),
        rejections=parsed.rejections, rows=preview_rows_out, raw_sample=parsed.sample, currencies=currencies,
        date_min=min(rows["date"]) if not rows.empty else None, date_max=max(rows["date"]) if not rows.empty else None,
        labels=a.labels,
        previous_import=_previous_import(session, user_id, sha),
        labels_from_app=labels_from_app(a.parsed), learn_from_labels=learn, analysis=a,
        suggested_currency=(suggested := suggest_currency(
            parsed.amount_symbols, _user_currency(session, user_id), chosen=a.options.currency)),
        suggested_from_sign=parsed.amount_symbols[0] if suggested else None,
    )


# =========================================================================== commit
_INSERT_COLUMNS = (
    "user_id", "date", "amount_minor", "currency", "kind", "description", "merchant", "notes", "account",
    "category_id", "category_manual", "category_source", "category_confidence", "rule_id", "source",
    "import_batch_id", "fingerprint", "created_at", "updated_at",
)


class _Inserter:
    """INSERT rows with one DB-API ``executemany`` per chunk.

    Values go through each column's SQLAlchemy bind processor (dates, UTC timestamps,
    booleans, floats) once per distinct value, then straight to the driver: the same
    values SQLAlchemy would send, without its per-row bookkeeping. The statement is
    compiled for the session's dialect, so this works on SQLite, PostgreSQL and MariaDB.
    """

    def __init__(self, session: Session) -> None:
        self.conn = session.connection()
        dialect = self.conn.dialect
        table = Transaction.__table__
        compiled = insert(table).inline().compile(dialect=dialect, column_keys=list(_INSERT_COLUMNS))
        self.sql = compiled.string
        self.positional = bool(compiled.positional)
        self.order = list(compiled.positiontup) if self.positional else list(_INSERT_COLUMNS)
        unknown = [k for k in self.order if k not in _INSERT_COLUMNS]
        if unknown:  # pragma: no cover - a schema change would show here first
            raise RuntimeError(f"unexpected insert parameters: {unknown}")
        # dialect_impl: the dialect's own type (SQLite's DATE/DATETIME give strings), so the
        # driver gets exactly what the ORM would send and never falls back to its own adapters.
        self.processors = {k: table.c[k].type.dialect_impl(dialect).bind_processor(dialect) for k in _INSERT_COLUMNS}
        self.caches: dict[str, dict] = {k: {} for k in _INSERT_COLUMNS}
        self.saved_cache_size: int | None = None

    def __enter__(self) -> _Inserter:
        if self.conn.dialect.name == "sqlite":
            self.saved_cache_size = int(self.conn.exec_driver_sql("PRAGMA cache_size").scalar())
            self.conn.exec_driver_sql(f"PRAGMA cache_size=-{SQLITE_IMPORT_CACHE_KIB}")
        return self

    def __exit__(self, *exc_info) -> None:
        if self.saved_cache_size is not None:
            try:
                self.conn.exec_driver_sql(f"PRAGMA cache_size={self.saved_cache_size}")
            except DBAPIError:  # pragma: no cover - the connection is gone; the pool discards it
                pass

    def _process(self, key: str, values: list) -> list:
        proc = self.processors[key]
        if proc is None:
            return values
        cache = self.caches[key]
        out = []
        for v in values:
            if v is None:
                out.append(None)
                continue
            try:
                out.append(cache[v])
            except KeyError:
                cache[v] = done = proc(v)
                out.append(done)
        return out

    def insert(self, columns: dict[str, list], constants: dict[str, object], size: int) -> None:
        """Insert ``size`` rows: per-row values in ``columns``, the same value for all in ``constants``."""
        ordered = []
        for k in self.order:
            if k in constants:
                value = constants[k]
                proc = self.processors[k]
                ordered.append(itertools.repeat(proc(value) if (proc is not None and value is not None) else value, size))
            else:
                ordered.append(self._process(k, columns[k]))
        if self.positional:
            params = list(zip(*ordered))
        else:
            params = [dict(zip(self.order, vals)) for vals in zip(*ordered)]
        if params:
            self.conn.exec_driver_sql(self.sql, params)


def _chronological(dates: pd.Series) -> np.ndarray:
    """Positions that put rows oldest first, keeping the file's order within a day.

    A newest-first statement is read backwards first, so same-day rows keep their real
    order too. Rows then get ids in date order, and SQLite appends to its date indexes
    instead of inserting in the middle (a 100,000-row import is noticeably faster).
    """
    n = len(dates)
    pos = np.arange(n)
    if n < 2:
        return pos
    values = dates.to_numpy(dtype=object)
    if values[0] > values[-1]:
        pos = pos[::-1]
    codes, uniques = pd.factorize(values[pos], sort=True)
    return pos[np.argsort(codes, kind="stable")]


@_gc_paused()
def commit_import(
    session: Session,
    *,
    user_id: int,
    data: bytes,
    filename: str,
    options: ImportOptions | None = None,
    max_bytes: int | None = None,
    progress: Progress | None = None,
    preview: ImportPreview | None = None,
) -> ImportResult:
    """Import the file's accepted rows as one ImportBatch, all in one database transaction.

    The file is parsed again here unless ``preview`` is the preview of exactly this file and
    these options; duplicates are recomputed inside the transaction, under the user's row lock
    (:func:`lock_user_for_import`): two imports of one file at once store it once. Rows are categorized and inserted chunk by chunk
    (bounded memory, a progress report per chunk). Any exception rolls back everything
    this call wrote (a savepoint), and the caller's session_scope rolls back the rest.

    ``preview``: the preview of this same file; its parse is reused when the file's bytes, name,
    options, user and default currency are the same (otherwise the file is parsed again).
    Duplicates and category mappings are always recomputed here.
    """
    options = options or ImportOptions()
    if progress:
        progress(0.0, "Reading the file")
    if session.get_bind().dialect.name in ("mysql", "mariadb"):
        # lock before this transaction's first plain read, so its snapshot is not older than the lock
        lock_user_for_import(session, user_id)
    reuse = preview.analysis if preview is not None and isinstance(preview.analysis, _Analysis) else None
    a = _analyse(session, user_id, data, filename, options, max_bytes, for_commit=True, reuse=reuse)
    parsed = a.parsed
    if parsed.file_format != "ofx" and not parsed.mapping.complete:
        raise ImportFileError(
            "Cannot import: no column was found for the " + " and ".join(parsed.mapping.missing())
            + ". Choose the columns (in the app) or pass --mapping (command line)."
        )
    rows = parsed.rows
    keep = ~a.duplicate if not a.options.include_duplicates else pd.Series(True, index=rows.index)
    order = _chronological(rows["date"][keep])
    new = rows[keep].iloc[order].reset_index(drop=True)
    fps = a.fps[keep].iloc[order].tolist()
    n = int(len(new))
    n_dup = int(a.duplicate.sum()) if not a.options.include_duplicates else 0
    label_ids = {m.label: m.category_id for m in a.labels if m.category_id is not None}
    _check_category_ids(session, user_id, set(label_ids.values()))
    accounts = {x for x in rows["account"].unique() if x} if not rows.empty else set()
    learn = _learns(parsed, a.options)
    # issue #19: the chosen account (refused if not the user's or archived), else the OFX account id's
    target_account = accounts_service.account_for_import(
        session, user_id=user_id, account_id=a.options.account_id,
        external_id=parsed.account if parsed.file_format == "ofx" else None,
        currency=(lambda cs: cs[0] if len(cs) == 1 else options.currency)(
            [] if rows.empty else list(rows["currency"].unique())
        ),
    )
    with session.begin_nested():
        batch = ImportBatch(
            user_id=user_id,
            filename=(clean_text(filename) or "upload")[:255],
            file_sha256=hashlib.sha256(data).hexdigest(),
            file_format=parsed.file_format,
            account=((parsed.account or (next(iter(accounts)) if len(accounts) == 1 else None)) or None),
            rows_read=parsed.rows_read,
            rows_imported=n,
            rows_duplicate=n_dup,
            rows_rejected=len(parsed.rejections),
            status="committed",
        )
        if batch.account:
            batch.account = batch.account[:100]
        session.add(batch)
        session.flush()
        learned: list[tuple[str, int]] = []
        if n:
            now = utcnow()
            with _Inserter(session) as inserter:
                for start in range(0, n, INSERT_CHUNK):
                    stop = min(start + INSERT_CHUNK, n)
                    part = new.iloc[start:stop]
                    if progress:
                        progress(0.05 + 0.9 * start / n, f"Categorizing and saving rows {start + 1:,}–{stop:,} of {n:,}")
                    cats = _categorize(session, user_id, part, a.labels, labels_manual=learn)
                    desc = part["description"].tolist()
                    size = stop - start
                    cat_ids, sources = cats.category_id, cats.category_source
                    inserter.insert(
                        {
                            "date": part["date"].tolist(),
                            "amount_minor": part["amount_minor"].tolist(),
                            "currency": part["currency"].tolist(),
                            "kind": part["kind"].tolist(),
                            "description": desc,
                            "merchant": merchant_keys(desc),
                            "account": [x or None for x in part["account"].tolist()],
                            "category_id": cat_ids,
                            "category_manual": cats.category_manual,
                            "category_source": sources,
                            "category_confidence": cats.category_confidence,
                            "rule_id": cats.rule_id,
                            "fingerprint": fps[start:stop],
                        },
                        {"user_id": user_id, "notes": "", "source": "import", "import_batch_id": batch.id,
                         "created_at": now, "updated_at": now},
                        size,
                    )
                    learned.extend((d, c) for d, c, s_ in zip(desc, cat_ids, sources) if s_ == "import" and c is not None)
            if learn and learned:
                if progress:
                    progress(0.97, "Learning from the file's categories")
                categorize_service.learn_from_labeled(session, user_id=user_id, rows=learned)
            accounts_service.assign_batch(session, user_id=user_id, batch_id=batch.id, account_id=target_account)
        touch_data(session, user_id)
    if progress:
        progress(1.0, "Done")
    return ImportResult(
        batch_id=batch.id,
        rows_read=parsed.rows_read,
        rows_imported=n,
        rows_duplicate=n_dup,
        rows_rejected=len(parsed.rejections),
        rejections=parsed.rejections,
    )


# =========================================================================== history & undo
def _batch_view(b: ImportBatch, remaining: int) -> ImportBatchView:
    return ImportBatchView(
        id=b.id, filename=b.filename, file_format=b.file_format, account=b.account, created_at=b.created_at,
        rows_read=b.rows_read, rows_imported=b.rows_imported, rows_duplicate=b.rows_duplicate,
        rows_rejected=b.rows_rejected, status=b.status, undone_at=b.undone_at, rows_remaining=remaining,
    )


def list_import_batches(session: Session, *, user_id: int, limit: int = 50) -> list[ImportBatchView]:
    """The user's imports, newest first, with how many of each batch's rows still exist."""
    batches = list(
        session.scalars(
            select(ImportBatch)
            .where(ImportBatch.user_id == user_id)
            .order_by(ImportBatch.created_at.desc(), ImportBatch.id.desc())
            .limit(max(1, min(int(limit), 500)))
        )
    )
    if not batches:
        return []
    ids = [b.id for b in batches]
    counts = dict(
        session.execute(
            select(Transaction.import_batch_id, func.count())
            .where(Transaction.user_id == user_id, Transaction.import_batch_id.in_(ids))
            .group_by(Transaction.import_batch_id)
        ).all()
    )
    return [_batch_view(b, int(counts.get(b.id, 0))) for b in batches]


def get_import_batch(session: Session, *, user_id: int, batch_id: int) -> ImportBatchView:
    b = session.scalar(select(ImportBatch).where(ImportBatch.id == batch_id, ImportBatch.user_id == user_id))
    if b is None:
        raise NotFoundError(f"Import {batch_id} does not exist.")
    remaining = session.scalar(
        select(func.count()).where(Transaction.user_id == user_id, Transaction.import_batch_id == batch_id)
    )
    return _batch_view(b, int(remaining or 0))


def undo_import(session: Session, *, user_id: int, batch_id: int) -> int:
    """Delete exactly the transactions this batch added (those still there); mark it undone."""
    b = session.scalar(select(ImportBatch).where(ImportBatch.id == batch_id, ImportBatch.user_id == user_id))
    if b is None:
        raise NotFoundError(f"Import {batch_id} does not exist.")
    if b.status == "undone":
        raise ImportAlreadyUndone(
            f"Import #{batch_id} ({b.filename}) was already undone; nothing else was removed.", field="batch"
        )
    result = session.execute(
        delete(Transaction).where(Transaction.user_id == user_id, Transaction.import_batch_id == batch_id)
    )
    session.execute(
        update(ImportBatch)
        .where(ImportBatch.id == batch_id, ImportBatch.user_id == user_id)
        .values(status="undone", undone_at=utcnow())
    )
    touch_data(session, user_id)
    session.expire(b)
    return int(result.rowcount or 0)
