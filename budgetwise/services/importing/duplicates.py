"""Importing: the garbage-collector pause, the size check, fingerprints, the per-user import lock and duplicate detection."""

from __future__ import annotations

import hashlib

import pandas as pd
from sqlalchemy import func, select
from sqlalchemy.orm import Session

# the collector pause is shared with the reports; its old names stay importable from here
from budgetwise.db import chunked
from budgetwise.gc_pause import _GC_LOCK, _GC_PAUSES, _GC_WAS_ENABLED  # noqa: F401
from budgetwise.gc_pause import gc_paused as _gc_paused  # noqa: F401
from budgetwise.importing.labels import described_by_label
from budgetwise.importing.limits import check_upload_size
from budgetwise.models import Transaction
from budgetwise.services.versions import count_under_user_lock, lock_user_for_import  # noqa: F401 - its old home
from budgetwise.text import fold


# =========================================================================== helpers
def check_size(data: bytes, max_bytes: int) -> None:
    """Refuse files above the limit with the numbers.

    Every preview and commit checks it: a caller that passes no ``max_bytes`` gets the
    configured limit (BUDGETWISE_MAX_UPLOAD_MB), never "unlimited"; the CLI's
    ``--max-size-mb`` is the explicit override.
    """
    check_upload_size(len(data), max_bytes)


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
    # a file has a few thousand distinct days and a currency or two: each is written out once
    days = {day: day.isoformat() for day in set(rows["date"].tolist())}
    codes = {c: c.upper() for c in set(rows["currency"].tolist())}
    sha = hashlib.sha256
    out = [
        sha(f"{days[day]}|{int(minor)}|{kind}|{codes[currency]}|{folded[d]}".encode()).hexdigest()
        for day, minor, kind, currency, d in zip(
            rows["date"].tolist(), rows["amount_minor"].tolist(), rows["kind"].tolist(), rows["currency"].tolist(),
            rows["description"].tolist(),
        )
    ]
    return pd.Series(out, index=rows.index, dtype=object)


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
    # a row whose description is its label was stored without one before session 21 (description ""): that
    # fingerprint counts too, so a file imported before is not imported twice
    by_label = described_by_label(rows)
    # likewise a file whose description is one text on every row (read as a description since session 22;
    # its rows were stored with "" before): ≥ 3 rows, as the column profile's ``constant``
    texts = rows["description"].astype(object)
    if len(texts) >= 3 and texts.iloc[0] and texts.nunique(dropna=False) == 1:
        by_label = pd.Series(True, index=rows.index, dtype=bool)
    legacy = (fingerprints(rows.assign(description=rows["description"].where(~by_label, ""))).where(by_label, None)
              if by_label.any() else pd.Series(None, index=rows.index, dtype=object))
    left = dict(existing)
    mask = []
    for fp, old in zip(fps.tolist(), legacy.tolist()):
        hit = fp if left.get(fp, 0) > 0 else old if old is not None and left.get(old, 0) > 0 else None
        if hit is not None:
            left[hit] -= 1
        mask.append(hit is not None)
    return pd.Series(mask, index=rows.index, dtype=bool)


HOLDING_SAMPLE = 1000  # rows of a file looked up to see which account holds its rows stored before


def accounts_holding(session: Session, user_id: int, rows: pd.DataFrame, fps: pd.Series | None = None
                     ) -> dict[str, int]:
    """{currency: account id}: per currency, the account that holds most of ``rows`` already stored (the same
    fingerprint), for the rows nothing else places (:mod:`.by_currency`; session 25: a household's updated export,
    without an account column, sent its new rows to the first account in the currency while the rows imported
    before sat in another). At most :data:`HOLDING_SAMPLE` rows, evenly spread, are looked up (the user's
    fingerprint index); ``fps``: the rows' fingerprints when the caller has them (:func:`fingerprints`)."""
    if rows.empty:
        return {}
    step = max(1, -(-len(rows) // HOLDING_SAMPLE))
    sample = rows.iloc[::step]
    prints = fps.loc[sample.index] if fps is not None else fingerprints(sample)
    counts: dict[tuple[str, int], int] = {}
    for part in chunked(sorted(set(prints.tolist()))):
        for currency, account_id, n in session.execute(
            select(Transaction.currency, Transaction.account_id, func.count())
            .where(Transaction.user_id == user_id, Transaction.fingerprint.in_(part))
            .group_by(Transaction.currency, Transaction.account_id)
        ):
            if account_id is not None:
                counts[(str(currency), int(account_id))] = counts.get((str(currency), int(account_id)), 0) + int(n)
    best: dict[str, tuple[int, int]] = {}
    for (currency, account_id), n in sorted(counts.items()):
        if n > best.get(currency, (0, 0))[1]:
            best[currency] = (account_id, n)
    return {currency: account_id for currency, (account_id, _) in best.items()}
