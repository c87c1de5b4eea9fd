"""Importing: the commit, every accepted row in one database transaction as one ImportBatch."""

from __future__ import annotations

import itertools
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass

import numpy as np
import pandas as pd
from sqlalchemy import event, func, insert, select
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session

from budgetwise.db import chunked
from budgetwise.errors import ImportFileError
from budgetwise.importing import ImportOptions, limits
from budgetwise.importing.banktype import row_bank_types
from budgetwise.importing.labels import described_by_label
from budgetwise.importing.opening import opening_rows
from budgetwise.importing.words import CHOOSE_COLUMNS
from budgetwise.models import Account, ImportBatch, Transaction, utcnow
from budgetwise.services import accounts as accounts_service
from budgetwise.services import categorize as categorize_service
from budgetwise.services import versions
from budgetwise.services.account_numbers import file_name, row_text, row_texts
from budgetwise.services.importing import ask, new_account_kinds, opening_balance, routing
from budgetwise.services.importing.categorizing import (
    _Categories,
    _categorize,
    _check_category_ids,
    _History,
    label_ids,
    learns_checked,
)
from budgetwise.services.importing.chosen_number import keep_chosen_number
from budgetwise.services.importing.duplicates import _duplicate_mask, _gc_paused, lock_user_for_import
from budgetwise.services.importing.file_currency import file_currency
from budgetwise.services.importing.preview import _analyse, _Analysis, _analysis_key
from budgetwise.services.importing.types import ImportPreview, ImportResult, Progress
from budgetwise.services.versions import touch_data
from budgetwise.textforms import merchant_keys

INSERT_CHUNK = 10_000  # rows categorized and inserted per step (bounded memory, progress)
# SQLite page cache while an import writes (KiB; the default is 2 MB): the five indexes of a
# large import fit, so pages are not written out and read back mid-way. Restored afterwards.
SQLITE_IMPORT_CACHE_KIB = 16_384
# =========================================================================== commit
_INSERT_COLUMNS = (
    "user_id", "date", "amount_minor", "currency", "kind", "description", "merchant", "notes", "account",
    "category_id", "category_manual", "category_source", "category_confidence", "rule_id", "category_signal", "source",
    "import_batch_id", "fingerprint", "created_at", "updated_at", "account_id", "bank_type",
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


def _stored_positions(a: _Analysis) -> np.ndarray:
    """Positions (in ``a.parsed.rows``) of the rows the commit stores, in the order it stores them:
    duplicates left out unless asked for, oldest first (:func:`_chronological`)."""
    rows = a.parsed.rows
    keep = np.ones(len(rows), dtype=bool) if a.options.include_duplicates else ~a.duplicate.to_numpy(dtype=bool)
    kept = np.flatnonzero(keep)
    return kept[_chronological(rows["date"].iloc[kept])]


def rows_to_store(preview: ImportPreview) -> tuple[tuple[str, object, int], ...]:
    """The rows committing this preview would store (duplicates left out unless asked for; counted only
    when the preview checked them), as (currency, date, count): what ``rates.currency_advice`` decides
    on before anything is written (``budgetwise import --dry-run``)."""
    a = preview.analysis
    if not isinstance(a, _Analysis) or a.parsed.rows.empty:
        return ()
    rows = a.parsed.rows.iloc[_stored_positions(a)]
    counts = rows.groupby(["currency", "date"], sort=True).size()
    return tuple((str(c), d, int(n)) for (c, d), n in counts.items())


def with_openings(rows: pd.DataFrame) -> pd.DataFrame:
    """The file's rows with their ``opening`` flag (:func:`opening_rows`, over the whole file: "the first row of its
    account"), which the categorizing reads (:func:`categorizing._openings`)."""
    return rows.assign(opening=opening_rows(rows).to_numpy(dtype=bool)) if not rows.empty else rows


def categories_as_stored(session: Session, user_id: int, a: _Analysis, shown: int, *, learn: bool) -> _Categories:
    """The categories of the file's first ``shown`` rows (the preview's) as the commit stores them.

    The commit categorizes the new rows oldest first, INSERT_CHUNK at a time, and an answer can
    depend on the rows beside it (the batch's structure, ``categorize/structure.py``: a regular
    payment, a refund, a purchase small for this file). So the chunks that hold the shown rows are
    categorized whole, in the commit's order; shown rows the commit skips (duplicates) are
    categorized among themselves. Exact for a file of up to INSERT_CHUNK new rows; in a later chunk
    the history is read as it stands, where the commit reads it again once an earlier chunk stored
    rows with the file's own categories (:class:`_History`).
    """
    rows = with_openings(a.parsed.rows)
    n = min(int(shown), len(rows))
    if n <= 0:
        return _Categories.empty()
    positions = _stored_positions(a)
    rank = np.full(len(rows), -1, dtype=np.int64)
    rank[positions] = np.arange(len(positions))
    values: list[tuple | None] = [None] * n
    history = _History(session, user_id)

    def fill(at: np.ndarray | list[int]) -> None:
        cats = _categorize(session, user_id, rows.iloc[at], a.labels, labels_manual=learn, history=history)
        columns = (cats.category_id, cats.category_source, cats.category_confidence, cats.rule_id, cats.category_manual,
                   cats.category_signal)
        for p, v in zip(at, zip(*columns)):
            if p < n:
                values[int(p)] = v

    for chunk in sorted({int(rank[i]) // INSERT_CHUNK for i in range(n) if rank[i] >= 0}):
        fill(positions[chunk * INSERT_CHUNK:(chunk + 1) * INSERT_CHUNK])
    skipped = [i for i in range(n) if values[i] is None]
    if skipped:
        fill(skipped)
    return _Categories(*(list(col) for col in zip(*values)))


@dataclass(frozen=True)
class _Plan:
    """What the commit writes: the new rows oldest first with their fingerprints, and the counts."""

    analysis: _Analysis
    new: pd.DataFrame
    fps: list[str]
    duplicates: int
    learn: bool

    @property
    def size(self) -> int:
        return int(len(self.new))


def _plan(session: Session, user_id: int, a: _Analysis, filename: str) -> _Plan:
    """The rows to insert (duplicates left out unless asked for), in date order; refuses a file
    whose date or amount column is unknown, category ids that are not the user's, and a labelled
    file to learn from that fails the labelled-file checks (a refused file stores nothing)."""
    parsed = a.parsed
    if parsed.file_format != "ofx" and not parsed.mapping.complete:
        raise ImportFileError(
            "Cannot import: no column was found for the " + " and ".join(parsed.mapping.missing())
            + ". " + CHOOSE_COLUMNS.cli
        )
    rows = with_openings(parsed.rows)
    positions = _stored_positions(a)
    ids = label_ids(a.labels)
    _check_category_ids(session, user_id, set(ids.values()))
    return _Plan(
        analysis=a,
        new=rows.iloc[positions].reset_index(drop=True),
        fps=a.fps.iloc[positions].tolist(),
        duplicates=int(a.duplicate.sum()) if not a.options.include_duplicates else 0,
        learn=learns_checked(parsed, a.options, ids, filename),
    )


def _file_accounts(rows: pd.DataFrame) -> set[str]:
    """The account names the file's rows carry."""
    return {x for x in rows["account"].unique() if x} if not rows.empty else set()


def _target_account(session: Session, user_id: int, a: _Analysis, options: ImportOptions) -> int | None:
    """The account the rows go to (issue #19): the chosen one (refused if not the user's or
    archived), else the OFX account id's, else the default account."""
    parsed, rows = a.parsed, a.parsed.rows
    currencies = [] if rows.empty else list(rows["currency"].unique())
    return accounts_service.account_for_import(
        session, user_id=user_id, account_id=a.options.account_id,
        external_id=parsed.account if parsed.file_format == "ofx" else None,
        currency=currencies[0] if len(currencies) == 1 else options.currency,
        account_type=parsed.account_type if parsed.file_format == "ofx" else None,
    )


def _add_batch(session: Session, user_id: int, filename: str, plan: _Plan) -> ImportBatch:
    """The ImportBatch row that records this import (and that undo removes by); a chosen account keeps the file's
    number (:func:`.chosen_number.keep_chosen_number`), recorded so that undoing the import takes it off again."""
    gave = keep_chosen_number(session, user_id, plan.analysis.parsed, plan.analysis.options)
    parsed = plan.analysis.parsed
    accounts = _file_accounts(parsed.rows)
    batch = ImportBatch(
        user_id=user_id,
        filename=(file_name(filename) or "upload")[:255],  # no account number (sec28)
        file_sha256=plan.analysis.file_sha256,
        file_format=parsed.file_format,
        account=row_text(parsed.account or (next(iter(accounts)) if len(accounts) == 1 else None)),
        rows_read=parsed.rows_read,
        rows_imported=plan.size,
        rows_duplicate=plan.duplicates,
        rows_rejected=len(parsed.rejections),
        status="committed",
        gave_number_to=int(plan.analysis.options.account_id) if gave and plan.analysis.options.account_id else None,
    )
    if batch.account:
        batch.account = batch.account[:100]
    session.add(batch)
    session.flush()
    return batch


@dataclass(frozen=True, eq=False)
class PreparedImport:
    """An import worked out before its write transaction (:func:`prepare_import`): the file's
    analysis, the rows to insert oldest first with their categories and merchant keys, and the
    user's data version it was read at. :func:`commit_import` writes it as it is when the user's
    data has not changed since (and the duplicate check, redone under the lock, agrees)."""

    analysis: _Analysis
    plan: _Plan
    categories: _Categories
    merchants: list[str]
    data_version: int


def _categorize_plan(session: Session, user_id: int, plan: _Plan, progress: Progress | None,
                     start_at: float = 0.05, span: float = 0.55) -> tuple[_Categories, list[str]]:
    """Every new row's category, chunk by chunk as the commit stores them (an answer can depend on the
    rows beside it; a chunk sees the earlier chunks' rows that join the history, :class:`_History`),
    and every row's merchant key. Reads only."""
    n, new, labels = plan.size, plan.new, plan.analysis.labels
    history = _History(session, user_id)
    columns: list[list] = [[], [], [], [], [], []]
    for start in range(0, n, INSERT_CHUNK):
        stop = min(start + INSERT_CHUNK, n)
        part = new.iloc[start:stop]
        if progress:
            progress(start_at + span * start / n, f"Categorizing rows {start + 1:,}–{stop:,} of {n:,}")
        cats = _categorize(session, user_id, part, labels, labels_manual=plan.learn, history=history)
        for col, values in zip(columns, (cats.category_id, cats.category_source, cats.category_confidence,
                                         cats.rule_id, cats.category_manual, cats.category_signal)):
            col.extend(values)
        history.stored(cats, part)
    return _Categories(*columns), merchant_keys(new["description"].tolist()) if n else []


def _prepare(session: Session, user_id: int, a: _Analysis, filename: str, version: int,
             progress: Progress | None) -> PreparedImport:
    # a file naming neither its account nor its currency, for a user with accounts in several: refused until chosen
    ask.refuse(ask.question(session, user_id=user_id, parsed=a.parsed, options=a.options, fps=a.fps,
                            currency=file_currency(a.parsed, a.options, b"", a.default)))
    plan = _plan(session, user_id, a, filename)
    cats, merchants = _categorize_plan(session, user_id, plan, progress)
    return PreparedImport(a, plan, cats, merchants, version)


@_gc_paused()
def prepare_import(
    session: Session, *, user_id: int, data: bytes, filename: str, options: ImportOptions | None = None,
    max_bytes: int | None = None, progress: Progress | None = None, preview: ImportPreview | None = None,
) -> PreparedImport:
    """Everything an import works out before it writes: the parse (``preview``'s when it is of this
    file and options), the duplicates as the data stands, the checks that refuse a file, every row's
    category and merchant key. It only reads, so a caller runs it in a read-only session (on SQLite no
    write lock is held while a large file is parsed and categorized) and then passes the result to
    :func:`commit_import`, whose write transaction is then short. Refusals are raised here already."""
    options = options or ImportOptions()
    if progress:
        progress(0.0, "Reading the file")
    version = versions.data_version(session, user_id=user_id)  # before reading anything else it depends on
    if options.account_id is not None:  # the user's and open, or refused now (the commit checks it again)
        accounts_service.resolve_account_id(session, user_id=user_id, account_id=options.account_id)
    reuse = preview.analysis if preview is not None and isinstance(preview.analysis, _Analysis) else None
    a = _analyse(session, user_id, data, filename, options, max_bytes, reuse=reuse)
    return _prepare(session, user_id, a, filename, version, progress)


def _still_valid(session: Session, user_id: int, prepared: PreparedImport | None, key: tuple) -> bool:
    """Inside the write transaction, under the user's lock: whether ``prepared`` can be written as it
    is: the same file and options, the user's data unchanged since (no row, rule, category or account
    of theirs written meanwhile), and the duplicate check, done again now, agrees."""
    if prepared is None or prepared.analysis.key != key:
        return False
    stale = lock_user_for_import(session, user_id)
    if stale or versions.data_version(session, user_id=user_id) != prepared.data_version:
        return False
    a = prepared.analysis
    again = _duplicate_mask(session, user_id, a.parsed.rows, a.fps)
    return bool(np.array_equal(again.to_numpy(dtype=bool), a.duplicate.to_numpy(dtype=bool)))


def _insert_rows(
    session: Session, user_id: int, prepared: PreparedImport, batch_id: int, account_id: int | None | list[int | None],
    progress: Progress | None,
) -> list[tuple[str, int, str]]:
    """Insert the prepared rows chunk by chunk (categories worked out before); the (description,
    category) pairs that came from the file's own labels, to learn from. ``account_id``: one for
    every row, or one per row (the file's account column, :mod:`.routing`)."""
    plan, cats = prepared.plan, prepared.categories
    n, new, fps = plan.size, plan.new, plan.fps
    learned: list[tuple[str, int, str]] = []  # (description, category, kind): a rule learns the row's direction
    now = utcnow()
    constants = {"user_id": user_id, "notes": "", "source": "import", "import_batch_id": batch_id,
                 "created_at": now, "updated_at": now}
    if not isinstance(account_id, list):
        constants["account_id"] = account_id
    with _Inserter(session) as inserter:
        for start in range(0, n, INSERT_CHUNK):
            stop = min(start + INSERT_CHUNK, n)
            part = new.iloc[start:stop]
            if progress:
                progress(0.6 + 0.35 * start / n, f"Saving rows {start + 1:,}–{stop:,} of {n:,}")
            desc = part["description"].tolist()
            cat_ids, sources = cats.category_id[start:stop], cats.category_source[start:stop]
            inserter.insert(
                {
                    "date": part["date"].tolist(),
                    "amount_minor": part["amount_minor"].tolist(),
                    "currency": part["currency"].tolist(),
                    "kind": part["kind"].tolist(),
                    "description": desc,
                    "merchant": prepared.merchants[start:stop],
                    "account": row_texts(part["account"].tolist()),  # numbers masked (session 27)
                    "bank_type": row_bank_types(part),
                    "category_id": cat_ids,
                    "category_manual": cats.category_manual[start:stop],
                    "category_source": sources,
                    "category_confidence": cats.category_confidence[start:stop],
                    "rule_id": cats.rule_id[start:stop],
                    "category_signal": cats.category_signal[start:stop],
                    "fingerprint": fps[start:stop],
                    **({"account_id": account_id[start:stop]} if isinstance(account_id, list) else {}),
                },
                constants,
                stop - start,
            )
            own = (~described_by_label(part)).tolist()  # a label kept as the description names no merchant to learn
            if "opening" in part:  # nor an opening-balance row kept as a transfer row (its title: the account's name)
                own = [o and not op for o, op in zip(own, part["opening"].tolist())]
            learned.extend((d, c, k) for d, c, s_, k, o in zip(desc, cat_ids, sources, part["kind"].tolist(), own)
                           if s_ == "import" and c is not None and o)
    return learned


def _stored_by(session: Session, user_id: int, fps: list[str]) -> tuple[tuple[int, str], ...]:
    """The user's imports (id, file name), newest first, that hold rows with these fingerprints: who stored a
    file that has nothing new (:func:`.types.nothing_new_message`)."""
    found: dict[int, str] = {}
    unique = sorted(set(fps))
    for part in chunked(unique):
        found.update(session.execute(
            select(ImportBatch.id, ImportBatch.filename).join(Transaction, Transaction.import_batch_id == ImportBatch.id)
            .where(ImportBatch.user_id == user_id, Transaction.user_id == user_id,
                   Transaction.fingerprint.in_(part)).distinct()).all())
    return tuple(sorted(found.items(), reverse=True))


@contextmanager
def _accounts_inserted(session: Session, user_id: int) -> Iterator[list[Account]]:
    """The accounts this session inserts for the user inside the block: the ones the import itself creates
    (:func:`.routing.assign`: the file's account column, the OFX account id, an account per currency, "Main
    account"). A starter account it takes over existed before (an update, not an insert), and an account another
    session adds meanwhile (the user in another tab) is not this session's: neither is the import's to undo."""
    created: list[Account] = []

    def collect(_session: Session, obj: object) -> None:
        if isinstance(obj, Account) and obj.user_id == user_id:
            created.append(obj)

    event.listen(session, "pending_to_persistent", collect)
    try:
        yield created
        session.flush()  # one still pending is seen too (accounts.create_account flushes each already)
    finally:
        event.remove(session, "pending_to_persistent", collect)


def _nothing_new(session: Session, user_id: int, ready: PreparedImport, opening: str = "") -> ImportResult:
    parsed = ready.analysis.parsed
    return ImportResult(batch_id=None, rows_read=parsed.rows_read, rows_imported=0,
                        rows_duplicate=ready.plan.duplicates, rows_rejected=len(parsed.rejections),
                        rejections=parsed.rejections, opening=opening,
                        stored_by=_stored_by(session, user_id, ready.analysis.fps.tolist()))


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
    prepared: PreparedImport | None = None,
    account_kinds: Mapping[str, str] | None = None,
) -> ImportResult:
    """Import the file's accepted rows as one ImportBatch, all in one database transaction.
    ``account_kinds``: {account name: type} for new accounts the file's account column names, the user's
    choice in place of the guess from the name (:mod:`.new_account_kinds`; an unknown type is refused first).

    ``prepared``: :func:`prepare_import`'s result for this file and options, worked out in a read-only
    session before this one: then this transaction only checks that it still holds (under the user's
    lock: the user's data version unchanged and the duplicate check, done again, agreeing) and writes.
    Otherwise (no ``prepared``, or the user's data changed meanwhile: another tab imported or edited)
    everything is worked out here, under the lock, as before: the file is parsed again unless
    ``preview`` is the preview of exactly this file and these options, duplicates and category mappings
    are recomputed. Either way two imports of one file at once store it once
    (:func:`lock_user_for_import`), and any exception rolls back everything this call wrote (a
    savepoint); the caller's session_scope rolls back the rest.

    The write: inside a savepoint the rows' accounts (the target account, or per row the accounts the
    file's account column names, created when new: :func:`.routing.assign`), the batch row
    (:func:`_add_batch`), the rows (:func:`_insert_rows`), learning from the file's labels, and the
    user's data-version bump.
    """
    options = options or ImportOptions()
    kinds = new_account_kinds.checked(account_kinds)  # refused before anything is written
    if session.get_bind().dialect.name in ("mysql", "mariadb"):
        # lock before this transaction's first plain read, so its snapshot is not older than the lock
        lock_user_for_import(session, user_id)
    key = _analysis_key(session, user_id, data, filename, options, max_bytes)[1]
    if prepared is not None and _still_valid(session, user_id, prepared, key):
        ready = prepared
    else:
        if progress:
            progress(0.0, "Reading the file")
        reuse = (prepared.analysis if prepared is not None else
                 preview.analysis if preview is not None and isinstance(preview.analysis, _Analysis) else None)
        a = _analyse(session, user_id, data, filename, options, max_bytes, for_commit=True, reuse=reuse)
        ready = _prepare(session, user_id, a, filename, versions.data_version(session, user_id=user_id), progress)
    a, plan, parsed = ready.analysis, ready.plan, ready.analysis.parsed
    if not plan.size:  # every row is already stored (or none was valid): no empty batch to "undo"
        if progress:
            progress(1.0, "Nothing new to import")
        return ImportResult(batch_id=None, rows_read=parsed.rows_read, rows_imported=0, rows_duplicate=plan.duplicates,
                            rows_rejected=len(parsed.rejections), rejections=parsed.rejections,
                            stored_by=_stored_by(session, user_id, a.fps.tolist()),
                            meanwhile=preview is not None and preview.rows_to_import + preview.balances_to_set > 0)
    held = session.scalar(select(func.count()).select_from(Transaction).where(Transaction.user_id == user_id)) or 0
    limits.check_room(held, plan.size, "import")  # under the user's import lock: two imports at once cannot pass it
    with session.begin_nested():  # accounts the file names are created in here: a failure removes them too
        with _accounts_inserted(session, user_id) as created:
            target_account = routing.assign(session, user_id, a.parsed, a.options, plan.new,
                                            lambda: _target_account(session, user_id, a, options), kinds)
        original = plan.new  # an opening row becomes the account's opening balance, or is one already (open28)
        ready, target_account, taken = opening_balance.decide(session, user_id, ready, target_account)
        if not (plan := ready.plan).size and not taken.set_on:  # a re-import: the opening balances are the rows
            return _nothing_new(session, user_id, ready, taken.said)
        batch = _add_batch(session, user_id, filename, plan)
        opening_balance.apply(session, user_id, batch.id, original, taken)
        for account in created:  # its undo removes them again while empty and unreferenced (history.undo_import)
            account.created_by_import_id = batch.id
        learned = _insert_rows(session, user_id, ready, batch.id, target_account, progress)
        if plan.learn and learned:
            if progress:
                progress(0.97, "Learning from the file's categories")
            categorize_service.learn_from_labeled(session, user_id=user_id, rows=learned)
        touch_data(session, user_id)
    if progress:
        progress(1.0, "Done")
    return ImportResult(batch_id=batch.id, rows_read=parsed.rows_read, rows_imported=plan.size,
                        rows_duplicate=plan.duplicates, rows_rejected=len(parsed.rejections),
                        rejections=parsed.rejections, opening=taken.said, opening_set=len(taken.set_on))
