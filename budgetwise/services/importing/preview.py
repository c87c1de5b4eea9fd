"""Importing: parse and analyse a file, and the preview shown before the commit."""

from __future__ import annotations

import datetime as dt
import hashlib
import importlib
import logging
import threading
from collections.abc import Sequence
from dataclasses import dataclass, replace

import pandas as pd
from babel.numbers import get_currency_symbol
from sqlalchemy import select
from sqlalchemy.orm import Session

from budgetwise.config import configured_max_upload_bytes
from budgetwise.importing import CURRENCY_SIGNS, ImportOptions, ParsedFile, parse_file
from budgetwise.models import ImportBatch
from budgetwise.money import validate_currency
from budgetwise.services import accounts
from budgetwise.services.account_numbers import row_text
from budgetwise.services.importing import (
    ask,
    by_currency,
    card,
    earlier_currency,
    opening_balance,
    reconcile,
    routing,
    unshared,
)
from budgetwise.services.importing.categorizing import (
    _category_names,
    _label_mappings,
    _learns,
    labels_from_app,
    learning_refusal,
)
from budgetwise.services.importing.chosen_number import keep_chosen_number
from budgetwise.services.importing.duplicates import (
    _duplicate_mask,
    _gc_paused,
    check_size,
    fingerprints,
    lock_user_for_import,
)
from budgetwise.services.importing.file_currency import (
    RowsDefault,
    adopt_account_currencies,
    file_currency,
    rows_default,
    statement_default,
)
from budgetwise.services.importing.mappings import _apply_saved, find_mapping
from budgetwise.services.importing.types import PREVIEW_ROWS, ImportPreview, LabelMapping, MappingView, PreviewRow


# =========================================================================== parse + analyse
@dataclass(frozen=True, eq=False)
class _Analysis:
    parsed: ParsedFile
    options: ImportOptions
    saved: MappingView | None
    fps: pd.Series
    duplicate: pd.Series
    labels: tuple[LabelMapping, ...]
    key: tuple  # what the parse depended on: user, file hash, name, options asked for, default currency
    default: RowsDefault  # the currency of rows the file gives none, and whose it is
    # the accounts the file's account column names, when the parse looked them up (adopting their currencies)
    accounts_found: dict[str, accounts.NamedAccount] | None = None

    @property
    def file_sha256(self) -> str:
        """The file's SHA-256 (hex), worked out once for the key."""
        return self.key[1]


log = logging.getLogger(__name__)

# What a first preview imports lazily (session 16: a first OFX preview took 8.9 s in the browser, most of it
# importing scikit-learn and scipy for the categorizer's history model, and ofxtools): warm_up imports them.
LAZY_MODULES = (
    "ofxtools.Parser", "ofxtools.models.base", "openpyxl",
    "scipy.sparse", "sklearn.feature_extraction.text", "sklearn.svm", "sklearn.linear_model", "sklearn.pipeline",
)


def warm_up(*, wait: bool = False) -> None:
    """Import :data:`LAZY_MODULES` (in a background thread unless ``wait``), so that the first preview of
    a file does not pay for them. The results are the same; a module missing here is imported later."""

    def run() -> None:
        for name in LAZY_MODULES:
            try:
                importlib.import_module(name)
            except Exception:  # noqa: BLE001 - a preview imports it again and says what failed
                log.debug("import warm-up: %s failed", name, exc_info=True)

    if wait:
        run()
    else:
        threading.Thread(target=run, name="import-warm-up", daemon=True).start()


def _analysis_key(
    session: Session, user_id: int, data: bytes, filename: str, options: ImportOptions, max_bytes: int | None,
) -> tuple[ImportOptions, tuple]:
    """The options as the parse takes them (the file's currency checked) and what a parse depends on:
    user, file hash, name, options, the currency of rows without one (the chosen account's, else the
    user's: :func:`.file_currency.rows_default`). Refuses a file over the size limit."""
    check_size(data, configured_max_upload_bytes() if max_bytes is None else max_bytes)
    if options.currency:
        options = replace(options, currency=validate_currency(options.currency))
    default = rows_default(session, user_id, options)
    return options, (user_id, hashlib.sha256(data).hexdigest(), filename, options, default)


def _analyse(
    session: Session, user_id: int, data: bytes, filename: str, options: ImportOptions, max_bytes: int | None,
    *, with_labels: bool = True, for_commit: bool = False, reuse: _Analysis | None = None,
    check_duplicates: bool = True,
) -> _Analysis:
    """Parse (or reuse ``reuse``'s parse of the same file with the same options) and check duplicates."""
    options, key = _analysis_key(session, user_id, data, filename, options, max_bytes)
    default: RowsDefault = key[-1]
    if reuse is not None and reuse.key == key:
        # The same file, options and user as the preview: its parse stands; duplicates and the
        # category mappings depend on the database and are worked out again.
        parsed, options, saved, fps = reuse.parsed, reuse.options, reuse.saved, reuse.fps
        stale = lock_user_for_import(session, user_id) if for_commit else False
        duplicate = _duplicate_mask(session, user_id, parsed.rows, fps, latest=stale)
        labels = _label_mappings(session, user_id, parsed, options) if with_labels else ()
        return _Analysis(parsed, options, saved, fps, duplicate, labels, key, reuse.default, reuse.accounts_found)
    parsed = parse_file(data, filename, options, default_currency=default.currency)
    saved = None
    if options.mapping is None and parsed.header_signature:
        saved = find_mapping(session, user_id=user_id, header_signature=parsed.header_signature)
        if saved is not None:
            with_saved = _apply_saved(saved, parsed, options)
            if with_saved is not None:
                if with_saved.account_id != options.account_id:  # the account remembered with the mapping
                    default = rows_default(session, user_id, with_saved, saved=True)
                options = with_saved
                parsed = parse_file(data, filename, options, default_currency=default.currency)
            else:
                saved = None
    statement = statement_default(session, user_id, parsed, options, data)
    if statement is not None:  # an OFX statement's known account
        if statement.currency != default.currency:
            parsed = parse_file(data, filename, options, default_currency=statement.currency)
        default = statement
    held = earlier_currency.held_default(session, user_id, parsed, options, data, default)
    if held is not None:  # an updated export whose rows were stored before in another currency (session 28)
        parsed = parse_file(data, filename, options, default_currency=held.currency)
        default = held
    parsed, default, found = adopt_account_currencies(session, user_id, parsed, options, data, default)
    fps = fingerprints(parsed.rows)
    if check_duplicates:
        stale = lock_user_for_import(session, user_id) if for_commit else False
        duplicate = _duplicate_mask(session, user_id, parsed.rows, fps, latest=stale)
    else:
        duplicate = pd.Series(False, index=parsed.rows.index, dtype=bool)
    labels = _label_mappings(session, user_id, parsed, options) if with_labels else ()
    return _Analysis(parsed, options, saved, fps, duplicate, labels, key, default, found)


def _previous_import(session: Session, user_id: int, sha: str) -> tuple[int, dt.datetime] | None:
    row = session.execute(
        select(ImportBatch.id, ImportBatch.created_at)
        .where(ImportBatch.user_id == user_id, ImportBatch.file_sha256 == sha, ImportBatch.status == "committed")
        .order_by(ImportBatch.created_at.desc())
        .limit(1)
    ).first()
    return (int(row[0]), row[1]) if row else None


def suggest_currency(symbols: Sequence[str], user_currency: str, *, chosen: str | None = None) -> str | None:
    """The currency a file's amount signs suggest, when it is not the user's own.

    Only one kind of sign, and only when the user has not chosen the file's currency. "$" is
    many currencies: it suggests the US dollar only to a user whose own currency is not a dollar.
    The preview passes the currency the rows would otherwise get as ``user_currency`` (the chosen
    account's since session 13: "£" amounts into a GBP account suggest nothing).
    """
    if chosen or len(symbols) != 1 or symbols[0] not in CURRENCY_SIGNS:
        return None
    sign = symbols[0]
    if sign == "$" and "$" in get_currency_symbol(user_currency, locale="en_US"):
        return None  # "$1,234.00" in an NZD user's file is most likely NZD
    suggestion = CURRENCY_SIGNS[sign]
    return None if suggestion == user_currency.upper() else suggestion


def _preview_rows(session: Session, user_id: int, a: _Analysis, head: pd.DataFrame, learn: bool,
                  goes_to: list[str], duplicate: pd.Series) -> tuple[PreviewRow, ...]:
    """The preview's first rows (``head``) categorized as the commit will (among the rows stored with them), each
    with the name of the account it goes to (``goes_to``) and whether the commit skips it (``duplicate``: stored
    already, or its account's opening balance already)."""
    from budgetwise.services.importing.commit import categories_as_stored  # a lazy import: commit builds on this

    cats = categories_as_stored(session, user_id, a, len(head), learn=learn)
    names = _category_names(session, user_id)
    return tuple(
        PreviewRow(
            row=int(r.row), date=r.date, amount_minor=int(r.amount_minor), currency=r.currency, kind=r.kind,
            description=r.description, account=row_text(r.account), label=r.label,
            category_id=c, category_name=names.get(c) if c is not None else None, category_source=s,
            duplicate=bool(d), category_confidence=conf, rule_id=rid, category_signal=sig, goes_to=to,
        )
        for r, c, s, d, conf, rid, sig, to in zip(
            head.itertuples(index=False), cats.category_id, cats.category_source, duplicate.head(len(head)),
            cats.category_confidence, cats.rule_id, cats.category_signal, goes_to,
        )
    )


@_gc_paused()  # it parses the whole file (the command line's import parses it here, once)
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
    include_dups = a.options.include_duplicates
    head = rows.head(preview_rows)
    learn = _learns(a.parsed, a.options)
    n_dup = int(a.duplicate.sum())
    currencies = tuple((str(k), int(v)) for k, v in rows["currency"].value_counts().items()) if not rows.empty else ()
    currency = file_currency(parsed, a.options, data, a.default)
    routes = routing.resolve(session, user_id, parsed, a.options, found=a.accounts_found, fps=a.fps)  # once: the target, shares, reconciliation
    target = reconcile.import_target(session, user_id=user_id, parsed=parsed, options=a.options, routes=routes)
    new_rows = ~a.duplicate.astype(bool) | bool(include_dups)
    opening = opening_balance.preview_line(session, user_id, rows, new_rows, lambda picked: routing.row_accounts(
        routes, picked, target.account_id, target.name))
    duplicate = a.duplicate.astype(bool).copy()
    if opening.already:  # a re-import: the accounts' opening balances are these rows already (the commit skips them)
        duplicate.iloc[list(opening.already)], new_rows.iloc[list(opening.already)] = True, False
        n_dup = int(duplicate.sum())
    shares, accounts_note = routing.shares(parsed, routes, new_rows, target.name, target.account_id is None)
    preview_rows_out = _preview_rows(session, user_id, a, head, learn, routing.row_names(routes, head, target.name),
                                     duplicate)
    if not routes.defaults and not routes.applies:  # an account chosen (or the statement's): its currency said
        mismatch = by_currency.mismatch_note(target.name, target.currency, by_currency.currencies_of(rows))
        kept = keep_chosen_number(session, user_id, parsed, a.options, dry_run=True, name=target.name)  # session 28
        accounts_note = " ".join(t for t in (accounts_note, mismatch, kept) if t)
    # a card statement and nothing chosen: the credit-card account it goes to, or the offer of one (session 22)
    header = card.card_header(parsed) if routing.by_currency_applies(parsed, a.options) and not routes.applies else None
    cards = card.card_accounts(session, user_id=user_id) if header else []
    return ImportPreview(
        **opening_balance.layout_without_note(parsed.layout(), opening), filename=filename, file_sha256=a.file_sha256, size_bytes=len(data),
        saved_mapping=a.saved, rows_read=parsed.rows_read,
        rows_valid=int(len(rows)), rows_duplicate=n_dup, rows_new=int(new_rows.sum()),
        rejections=parsed.rejections, rows=preview_rows_out, raw_sample=parsed.sample, currencies=currencies,
        date_min=min(rows["date"]) if not rows.empty else None, date_max=max(rows["date"]) if not rows.empty else None,
        labels=a.labels,
        previous_import=_previous_import(session, user_id, a.file_sha256),
        labels_from_app=labels_from_app(a.parsed), learn_from_labels=learn, analysis=a,
        suggested_currency=(suggested := suggest_currency(
            parsed.amount_symbols, a.default.currency, chosen=a.options.currency)),
        suggested_from_sign=parsed.amount_symbols[0] if suggested else None,
        reconciliation=unshared.withhold(session, user_id=user_id, parsed=parsed, options=a.options, routes=routes,
                                         fps=a.fps, assumed=currency.source == "default", recon=reconcile.for_preview(
            session, user_id=user_id, parsed=parsed, options=a.options, data=data, new_rows=new_rows, routes=routes,
        )) if check_duplicates else None,
        account_name=target.name, account_new=target.account_id is None, account_id=target.account_id,
        accounts=shares, accounts_note=accounts_note, accounts_from_file=routes.applies,
        accounts_by_currency=bool(routes.default_note),
        card_header=header if header and target.account_id in {c.id for c in cards} else "",
        card_note=card.no_card_account_note(header, cards, routes.defaults),
        refusal=learning_refusal(parsed, a.options, a.labels, filename), file_currency=currency,
        account_question=ask.question(session, user_id=user_id, parsed=parsed, options=a.options, currency=currency, fps=a.fps),
        account_suggestion=getattr(ask.suggestion(session, user_id=user_id, parsed=parsed, options=a.options), "id", None),
        opening_line=opening.line, opening_balances=opening.set_count, opening_already=len(opening.already),
    )
