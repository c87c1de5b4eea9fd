"""What an import changed in its account's balance, and putting it back on undo (issue #19, session 25, known25).

An import whose file states a balance can change its account beyond the rows: it confirms the account's balance on
the statement's day when the account reconciles with it (``reconcile.after_import``: ``accounts.balance_confirmed_on``),
or sets the account's opening balance so that it does (``reconcile.set_opening_from_statement``: the Import page's box,
``budgetwise import --set-opening-balance``; the confirmed day with it). Before session 25 undoing the import deleted
the rows and left both: a confirmed day for a balance that, without the rows, no longer matched anything, and the
Cash flow page current on the strength of it. Now each such change records on the import batch
(``import_batches.balance_undo_json``, migration 0040) the account's (opening balance, opening date, confirmed day)
before the import's first change and after its last, and :func:`restore` puts "before" back when the import is undone,
so the account is as it was before the import (the previous confirmed day, if any; the opening balance it had).

Only while the account still holds what the import left ("after"): a balance the user set since, or a later import
that reconciled the account again, is a newer fact and stays (the undo's message says so). The statement's account
is one (a file whose rows go to several accounts is not reconciled at all), but the opening-balance rows of a file
of several accounts set each account's opening balance (``opening_balance``, session 29): the record holds one entry
per account, ``[{"account_id", "before", "after"}, ...]``; a record of sessions 25-28 is one such entry as a plain
object, read as a list of one (no migration: the column is text and holds either).
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Collection
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from budgetwise.dates import day_text
from budgetwise.errors import NotFoundError
from budgetwise.models import Account, ImportBatch
from budgetwise.money import format_money
from budgetwise.names import quoted
from budgetwise.services import accounts
from budgetwise.services.account_lock import lock_accounts
from budgetwise.services.accounts import _owned
from budgetwise.services.preferences import user_formats
from budgetwise.services.versions import touch_data

State = tuple[int, dt.date | None, dt.date | None]  # (opening balance in minor units, opening date, confirmed day)


def state(session: Session, *, user_id: int, account_id: int) -> State:
    """The account's balance state now; NotFoundError for an account that is not the user's."""
    return _of(_owned(session, user_id, account_id))


def _of(row: Account) -> State:
    return int(row.opening_balance_minor), row.opening_date, row.balance_confirmed_on


def _dump(value: State) -> list[Any]:
    return [value[0], *(None if d is None else d.isoformat() for d in value[1:])]


def _load(value: list[Any]) -> State:
    return int(value[0]), *(None if d is None else dt.date.fromisoformat(d) for d in value[1:])  # type: ignore[return-value]


def batch_of(session: Session, *, user_id: int, batch_id: int) -> ImportBatch:
    """The user's import ``batch_id`` (NotFoundError otherwise, as for one that does not exist): checked before an
    import's balance change is written, so another user's batch id changes nothing."""
    batch = session.scalar(select(ImportBatch).where(ImportBatch.id == batch_id, ImportBatch.user_id == user_id))
    if batch is None:
        raise NotFoundError(f"Import {batch_id} does not exist.")
    return batch


def remember(session: Session, *, user_id: int, batch_id: int, account_id: int, before: State) -> None:
    """Record that import ``batch_id`` changed the account from ``before`` to its state now (nothing when it did not
    change), beside the other accounts it changed. A second change of the same account by the same import keeps the
    first "before". NotFoundError for another user's batch or account."""
    batch = batch_of(session, user_id=user_id, batch_id=batch_id)
    after = state(session, user_id=user_id, account_id=account_id)
    if after == before:
        return
    got = records(batch)
    got[account_id] = (got[account_id][0] if account_id in got else before, after)
    _save(batch, got)
    session.flush()


Records = dict[int, tuple[State, State]]  # {account id: (before the import, after it)}


def records(batch: ImportBatch) -> Records:
    """What import ``batch`` changed, per account ({} for nothing); a record of sessions 25-28 (one account's entry as
    a plain object) read as one entry."""
    if not batch.balance_undo_json:
        return {}
    got = json.loads(batch.balance_undo_json)
    return {int(e["account_id"]): (_load(e["before"]), _load(e["after"]))
            for e in (got if isinstance(got, list) else [got])}


def _save(batch: ImportBatch, got: Records) -> None:
    batch.balance_undo_json = json.dumps(
        [{"account_id": k, "before": _dump(b), "after": _dump(a)} for k, (b, a) in got.items()]) if got else None


Snapshot = dict[int, tuple[State, int | None]]  # {account id: (its state, its balance at the end of its confirmed day)}


def _balance_on(session: Session, user_id: int, account_id: int, day: dt.date) -> int:
    """The account's balance at the end of ``day`` (:func:`accounts.balances`: other currencies converted as there)."""
    found = accounts.balances(session, user_id=user_id, as_of=day)
    return next((b.balance_minor for b in found.accounts if b.account.id == account_id), 0)


def snapshot(session: Session, *, user_id: int, batch: ImportBatch, held: Collection[int]) -> Snapshot:
    """Taken before the undo deletes the rows: each account the undo can change (``held``: those holding the import's
    rows; and the one whose balance it changed) with its state and its balance at the end of its confirmed day."""
    ids = set(held) | set(records(batch))
    out: Snapshot = {}
    # locked in the one order (the user's lock, then the rows by id), the latest rows: a balance another tab set
    # meanwhile is read as a newer fact, not overwritten (session 26, sec26)
    for row in lock_accounts(session, user_id=user_id, account_ids=ids):
        now = _of(row)
        out[row.id] = (now, None if now[2] is None else _balance_on(session, user_id, row.id, now[2]))
    return out


def _live_records(session: Session, user_id: int, batch_id: int) -> list[tuple[ImportBatch, Records]]:
    """The user's other imports not undone that changed a balance, with their records."""
    found = session.scalars(select(ImportBatch).where(
        ImportBatch.user_id == user_id, ImportBatch.id != batch_id, ImportBatch.status != "undone",
        ImportBatch.balance_undo_json.is_not(None)).order_by(ImportBatch.id))
    return [(b, records(b)) for b in found]


def restore(session: Session, *, user_id: int, batch: ImportBatch, snap: Snapshot) -> tuple[tuple[str, str], ...]:
    """After the undo deleted import ``batch``'s rows: the balance each account of ``snap`` is left with, by two rules,
    and (account name, what was done in words) for the undo's message.

    * **The figures** (opening balance and date) the import set go back to what they were before it, while the account
      still holds them; a figure set since (by hand, or from a later import's statement) stays as set.
    * **A confirmed day** ("this balance matched the bank's") stays only while it still holds: the import's own goes
      (the one before it comes back when the figures are those from before it: it held without the import's rows); one
      set since (by hand, by a later import) stays when the undo did not change the balance at the end of that day,
      else it is no longer marked (the page says the figures: what was confirmed, what the account holds now), never
      made to hold by moving the opening balance (a re-import of the same file would then count its rows twice).

    Later imports' records are kept true: one that started from what this import left now starts from what was
    before it, and one whose result the undo changed records the new state, so undoing it later still puts its
    account back (two imports undone in either order leave the account as it was before both)."""
    ours_all = records(batch)
    locale, fmt = user_formats(session, user_id)
    others = _live_records(session, user_id, batch.id)
    notes: list[tuple[str, str]] = []
    for account_id, (was, said) in snap.items():
        row = session.scalar(select(Account).where(Account.id == account_id, Account.user_id == user_id))
        if row is None:
            continue
        ours = account_id in ours_all
        before, after = ours_all.get(account_id, (was, was))
        figures = before[:2] if ours and was[:2] == after[:2] else was[:2]
        row.opening_balance_minor, row.opening_date = figures
        session.flush()
        own = ours and was == after  # the confirmed day is the import's own
        balance_now = None if was[2] is None or own else _balance_on(session, user_id, account_id, was[2])
        held_day = was[2] if balance_now is not None and balance_now == said else None
        earlier = before[2] if ours and figures == before[:2] else None
        confirmed = max((d for d in (held_day, earlier) if d is not None), default=None)
        row.balance_confirmed_on = confirmed
        session.flush()
        now = _of(row)
        by = next((f"import #{b.id} ({b.filename})" for b, got in others
                   if account_id in got and got[account_id][1] == was), "you")
        for b, got in others:  # keep later imports' records true
            if account_id not in got:
                continue
            theirs = got[account_id]
            if ours and after != before and theirs[0] == after:
                theirs = (before, theirs[1])
            if now != was and theirs[1] == was:
                theirs = (theirs[0], now)
            if theirs != got[account_id]:
                got[account_id] = theirs
                _save(b, got)
        if now != was:
            touch_data(session, user_id)
        text = _words(row, was, said, now, before=before if ours else None, own=own, by=by,
                      balance_now=None if held_day is not None else balance_now, locale=locale, fmt=fmt)
        if text:
            notes.append((row.name, text))
    session.flush()
    return tuple(notes)


def _words(row: Account, was: State, said: int | None, now: State, *, before: State | None, own: bool, by: str,
           balance_now: int | None, locale: str, fmt: str) -> str:
    """What the undo did to one account's balance, in words ("" when nothing changed and nothing needs saying)."""
    name = quoted(row.name)

    def money(minor: int) -> str:
        return format_money(minor, row.currency, locale)

    def day(d: dt.date) -> str:
        return day_text(d, fmt, locale)

    if own:  # the account held what the import left: all of it is put back (nothing to say when that is no change)
        if now == was:
            return ""
        if before is not None and before[2] == was[2]:  # the import set the opening balance only (its opening row)
            return f"{name} has its opening balance from before this import again ({money(now[0])})."
        return (f"{name} has its opening balance and its last confirmed balance from before this import again (the "
                "statement's balance it matched no longer holds without the rows).")
    parts = []
    if before is not None and now[:2] == before[:2] != was[:2]:
        parts.append(f"{name} has its opening balance from before this import again ({money(now[0])}).")
    elif before is not None and was[:2] != before[:2]:
        parts.append(f"{name}'s opening balance was set after this import (by {by}): it stays {money(was[0])}.")
    if was[2] is not None and now[2] != was[2] and said is not None and balance_now is not None:
        parts.append(
            f"The balance of {money(said)} confirmed for {day(was[2])} (by {by}) counted this import's rows: without "
            f"them {name} holds {money(balance_now)} on that day, so it is no longer marked as matching your bank's. "
            f"If {money(said)} is right, set it again on the Accounts page (Set a balance).")
        if now[2] is not None:
            parts.append(f"Its confirmed balance for {day(now[2])} holds again.")
    return " ".join(parts)
