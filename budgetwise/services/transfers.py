"""Transfers between a user's own accounts (issue #19).

A money-out row in one account and a money-in row of the same amount and currency in another of
the same user's accounts, within a few days, are *offered* as one transfer. Confirming puts both
rows in the user's ``transfer`` category (the one mechanism reports, budgets and forecasts already
use to leave transfers out) and records a :class:`TransferLink` with the category state they had
(category, by-hand flag, source, confidence, rule, signal), so an undo restores it exactly.
Candidates are matched from the user's own rows in the user's own accounts (read once per side, paired
by amount, currency and date in Python): a pair never spans two users.
"""

from __future__ import annotations

import bisect
import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import delete, func, insert, or_, select
from sqlalchemy.orm import Session, aliased

from budgetwise.dates import add_months
from budgetwise.db import IN_LIST_CHUNK, chunked
from budgetwise.errors import NotFoundError, ValidationError
from budgetwise.models import (
    KIND_EXPENSE,
    KIND_INCOME,
    Account,
    Category,
    Rule,
    Transaction,
    TransferLink,
)
from budgetwise.money import format_money
from budgetwise.paging import page_count
from budgetwise.services import transfer_evidence as evidence
from budgetwise.services.categories import visible_categories_clause
from budgetwise.services.versions import lock_user_for_import, touch_data

# (TransferLink's {side}_prev_ field, the Transaction column): a row's whole category state
_PREV_STATE = (("category_id", "category_id"), ("manual", "category_manual"), ("source", "category_source"),
               ("confidence", "category_confidence"), ("rule_id", "rule_id"), ("signal", "category_signal"))
DEFAULT_WINDOW_DAYS = 4
MAX_WINDOW_DAYS = 14
MAX_CANDIDATES = 500


@dataclass(frozen=True)
class TransferCandidate:
    out_transaction_id: int
    in_transaction_id: int
    out_date: dt.date
    in_date: dt.date
    amount_minor: int
    currency: str
    out_account: str
    in_account: str
    out_description: str
    in_description: str
    level: str = "likely"  # "likely": offered; "maybe": the separate list of weak pairs (transfer_evidence)
    points: float = 0.0  # the evidence (transfer_evidence.score); shown as the confidence
    reasons: tuple[str, ...] = ()
    # a row of the pair could pair with another row as well (the same amount and currency in another account
    # within the window: transfer_evidence's "rivals"); never confirmed by "Confirm all likely"
    ambiguous: bool = False
    # both rows already in a transfer category (the file's, a rule's): they count as neither income nor spending
    # already; linking only tells each account's cash flow where the money went (session 29: not "to check")
    filed: bool = False


@dataclass(frozen=True)
class TransferView:
    id: int
    out_transaction_id: int
    in_transaction_id: int
    date: dt.date  # the money-out row's
    amount_minor: int
    currency: str
    out_account: str
    in_account: str
    in_date: dt.date | None = None
    out_description: str = ""
    in_description: str = ""


@dataclass(frozen=True)
class TransferPage:
    """One page of the user's confirmed transfers (:func:`transfer_page`), newest date first."""

    rows: tuple[TransferView, ...]
    total: int  # the transfers matching the filter, all pages
    page: int  # the page shown (the one asked for, kept within 1..pages)
    pages: int
    page_size: int
    months: tuple[dt.date, ...]  # the first days of the months with a transfer under the account filter, newest first


def _transfer_category_ids(session: Session, user_id: int) -> list[int]:
    return list(session.scalars(
        select(Category.id).where(visible_categories_clause(user_id), Category.kind == "transfer").order_by(
            Category.user_id.is_(None), Category.id)
    ))


def transfer_category_names(session: Session, *, user_id: int) -> frozenset[str]:
    """The names of the user's categories of the type 'transfer' (the cash flow marks a recurring transfer of one
    account's projection by its category: moved money, never "your next income")."""
    return frozenset(session.scalars(select(Category.name).where(visible_categories_clause(user_id),
                                                                 Category.kind == "transfer")))


def _transfer_category(session: Session, user_id: int) -> int:
    ids = _transfer_category_ids(session, user_id)
    if not ids:
        raise ValidationError("You have no category of the type 'transfer'; add one (e.g. 'Transfers') first.",
                              field="category")
    return ids[0]


def find_candidates(
    session: Session, *, user_id: int, window_days: int = DEFAULT_WINDOW_DAYS, since: dt.date | None = None
) -> list[TransferCandidate]:
    """Unconfirmed pairs (money out of one account, the same amount into another within ``window_days``),
    each row in at most one pair (best evidence, then closest dates, first). Rows already in a transfer category
    (a rule's, an imported file's) are offered as well: that is evidence for the pair, not a confirmed link."""
    if not 0 <= int(window_days) <= MAX_WINDOW_DAYS:
        raise ValidationError(f"The window must be 0 to {MAX_WINDOW_DAYS} days.", field="window_days")
    transfer_ids = set(_transfer_category_ids(session, user_id))
    linked = select(TransferLink.out_transaction_id).where(TransferLink.user_id == user_id).union(
        select(TransferLink.in_transaction_id).where(TransferLink.user_id == user_id))
    linked_ids = set(session.scalars(linked))
    window = int(window_days)

    # Each side is read once (the user's rows in their own accounts) and the pairs are matched here by
    # (amount, currency) and date: a self-join in SQL visited every pair of the user's rows (SQLite
    # walked the user's index for each row: 14,000 imported rows and a second account kept the Accounts
    # page running for over ten minutes, QA session 12). Account names and descriptions are read only
    # for what is offered; with fewer than two accounts nothing can be a transfer between them.
    accts = {i: (n, k) for i, n, k in session.execute(
        select(Account.id, Account.name, Account.kind).where(Account.user_id == user_id))}
    if len(accts) < 2:
        return []
    category: dict[int, int | None] = {}

    def side(kind: str):
        stmt = select(Transaction.id, Transaction.date, Transaction.amount_minor, Transaction.currency,
                      Transaction.account_id, Transaction.category_id).where(
            Transaction.user_id == user_id, Transaction.kind == kind)
        if kind == KIND_EXPENSE and since is not None:
            stmt = stmt.where(Transaction.date >= since)
        return [r for r in session.execute(stmt) if r[4] in accts and r[0] not in linked_ids]

    incoming: dict[tuple[int, str], list] = {}
    for r in side(KIND_INCOME):
        incoming.setdefault((int(r[2]), r[3]), []).append(r)
        category[r[0]] = r[5]
    for same in incoming.values():
        same.sort(key=lambda r: r[1])
    rows = []
    for out_row in side(KIND_EXPENSE):
        group = incoming.get((int(out_row[2]), out_row[3])) or []
        lo = bisect.bisect_left(group, out_row[1] - dt.timedelta(days=window), key=lambda r: r[1])
        for in_row in group[lo:]:
            gap = (in_row[1] - out_row[1]).days
            if gap > window:
                break
            # rows already in a transfer category (a file's, a rule's) are offered too (``filed``): only a confirmed
            # pair tells one account's cash flow where the money went (session 17, xferimp); being in a transfer
            # category is evidence (transfer_evidence.score), not a reason to leave a pair out
            if in_row[4] == out_row[4]:
                continue
            category[out_row[0]] = out_row[5]
            rows.append((abs(gap), (out_row[0], in_row[0], out_row[1], in_row[1], out_row[2], out_row[3],
                                    out_row[4], in_row[4])))
    per_row: dict[int, int] = {}  # how many same-amount counterparts each row has (more than one: ambiguous)
    for _gap, r in rows:
        per_row[r[0]] = per_row.get(r[0], 0) + 1
        per_row[r[1]] = per_row.get(r[1], 0) + 1
    scored = _scored(session, user_id, rows, accts, filed := {i for i, c in category.items() if c in transfer_ids},
                     per_row)
    scored = _with_channels(session, user_id, scored)
    # best evidence first, then closest dates: each row in at most one pair; a pair below MAYBE is not offered
    scored.sort(key=lambda x: (-x[0], x[1], x[2][2], x[2][0], x[2][1]))
    used: set[int] = set()
    out = []
    for points, _gap, r, reasons, text in scored:
        if r[0] in used or r[1] in used:
            continue
        used.update((r[0], r[1]))
        lvl = evidence.level(points)
        if lvl is None:
            continue
        out.append(TransferCandidate(r[0], r[1], r[2], r[3], int(r[4]), r[5], accts[r[6]][0], accts[r[7]][0],
                                     text[0], text[1], lvl, points, reasons,
                                     per_row[r[0]] > 1 or per_row[r[1]] > 1, r[0] in filed and r[1] in filed))
        if len(out) >= MAX_CANDIDATES:
            break
    out.sort(key=lambda c: (c.level != "likely", -c.out_date.toordinal(), -c.out_transaction_id))
    return out


def _scored(session: Session, user_id: int, rows: list, accts: dict, in_transfer_category: set[int],
            per_row: dict[int, int]) -> list:
    """(points, gap, pair, reasons, (out text, in text)) for every same-amount pair (transfer_evidence.score);
    the texts are read only for the rows in a pair."""
    ids = sorted({x for _gap, r in rows for x in r[:2]})
    text: dict[int, str] = {}
    for part in chunked(ids):
        text.update(session.execute(select(Transaction.id, Transaction.description).where(
            Transaction.user_id == user_id, Transaction.id.in_(part))).all())
    months: dict[tuple, set[tuple[int, int]]] = {}
    for _gap, r in rows:
        months.setdefault((r[6], r[7], r[4], r[5]), set()).add((r[2].year, r[2].month))
    sides = {x: evidence.Side(text[x], accts[a][0], accts[a][1], x in in_transfer_category)
             for _gap, r in rows for x, a in ((r[0], r[6]), (r[1], r[7]))}  # one per row, however many pairs
    scored = []
    for gap, r in rows:
        points, reasons = evidence.score(sides[r[0]], sides[r[1]], amount_minor=int(r[4]), gap_days=gap,
                                         repeats=len(months[(r[6], r[7], r[4], r[5])]) - 1,
                                         rivals=per_row[r[0]] + per_row[r[1]] - 2)
        scored.append((points, gap, r, reasons, (text[r[0]], text[r[1]])))
    return scored


def _with_channels(session: Session, user_id: int, scored: list) -> list:
    """A pair between two accounts that often exchange transfers (confirmed ones, and pairs likely on their
    own evidence, in this direction) gets :func:`transfer_evidence.channel`'s points."""
    out_t, in_t = aliased(Transaction), aliased(Transaction)
    confirmed: dict[tuple[int | None, int | None], int] = {}
    for o, i in session.execute(select(out_t.account_id, in_t.account_id).join_from(
            TransferLink, out_t, (out_t.id == TransferLink.out_transaction_id) & (out_t.user_id == user_id)).join(
            in_t, (in_t.id == TransferLink.in_transaction_id) & (in_t.user_id == user_id)).where(
            TransferLink.user_id == user_id)):
        confirmed[(o, i)] = confirmed.get((o, i), 0) + 1
    # likely pairs overlap (two moves of one amount two days apart are four pairs): they count as at most as many
    # transfers as they have distinct rows on their scarcer side, never this pair's own rows (review15)
    likely: dict[tuple[int, int], tuple[set[int], set[int]]] = {}
    for points, _gap, r, _why, _text in scored:
        if points >= evidence.LIKELY:
            outs, ins = likely.setdefault((r[6], r[7]), (set(), set()))
            outs.add(r[0])
            ins.add(r[1])
    out = []
    for points, gap, r, why, text in scored:
        outs, ins = likely.get((r[6], r[7]), (set(), set()))
        others = confirmed.get((r[6], r[7]), 0) + min(len(outs - {r[0]}), len(ins - {r[1]}))
        points, why = evidence.channel(points, why, others)
        out.append((points, gap, r, why, text))
    return out


def confirm_transfer(
    session: Session, *, user_id: int, out_transaction_id: int, in_transaction_id: int
) -> TransferView:
    """Link the two rows as one transfer and put both in the transfer category."""
    _link_pairs(session, user_id, [(int(out_transaction_id), int(in_transaction_id))])
    touch_data(session, user_id)
    found = _views(session, user_id, _joined(user_id).where(TransferLink.out_transaction_id == int(out_transaction_id)))
    if not found:  # the link's rows are deleted with it (foreign keys): never seen
        raise NotFoundError("This transfer no longer exists.")
    return found[0]


MAX_CONFIRM_AT_ONCE = 5000


def likely_unambiguous(candidates: Sequence[TransferCandidate]) -> list[TransferCandidate]:
    """The offers "Confirm all likely" confirms at once: level "likely" (transfer_evidence) and not ambiguous
    (neither row could pair with another one); the others wait for a click each."""
    return [c for c in candidates if c.level == "likely" and not c.ambiguous]


def confirm_transfers(session: Session, *, user_id: int, pairs: Sequence[tuple[int, int]]) -> int:
    """:func:`confirm_transfer` for many (money-out id, money-in id) pairs of the user's at once, all or nothing:
    a pair that fails a check (a row not the user's or gone, not one transfer, already in a transfer, a row in
    two of the pairs) leaves the database as it was, and the message names the pair and why. Every read and
    write is chunked (db.chunked); the data version is bumped once. Returns how many were confirmed."""
    wanted = [(int(o), int(i)) for o, i in pairs]
    if not wanted:
        return 0
    if len(wanted) > MAX_CONFIRM_AT_ONCE:
        raise ValidationError(f"At most {MAX_CONFIRM_AT_ONCE:,} transfers can be confirmed at once "
                              f"({len(wanted):,} were asked for).", field="transfer")
    with session.begin_nested():  # a failure in the writes (a concurrent confirm) undoes every link made here
        _link_pairs(session, user_id, wanted)
    touch_data(session, user_id)
    return len(wanted)


def _link_pairs(session: Session, user_id: int, pairs: list[tuple[int, int]]) -> None:
    """The one owner of confirming: every pair checked first (rows read in chunks), then both rows of each put
    in the transfer category with their category state saved on the link (for the undo). Nothing is written
    when a pair fails; with more than one pair the message names the failing pair. Under the user's lock, taken
    before the rows are read (session 28: the one order of ``services/account_lock.py``)."""
    lock_user_for_import(session, user_id)
    ids = sorted({t for pair in pairs for t in pair})
    rows: dict[int, Transaction] = {}
    for part in chunked(ids):
        rows.update((t.id, t) for t in session.scalars(
            select(Transaction).where(Transaction.user_id == user_id, Transaction.id.in_(part))))
    taken = _ids_in(session, TransferLink.out_transaction_id, set(ids)) | _ids_in(
        session, TransferLink.in_transaction_id, set(ids))
    names = _account_names(session, user_id)
    seen: set[int] = set()
    for k, (o, i) in enumerate(pairs, 1):
        out_t, in_t = rows.get(o), rows.get(i)
        if out_t is None or in_t is None:
            raise NotFoundError(_which(session, user_id, pairs, k, None, None) + "This transaction does not exist.")
        reason = pair_mismatch(out_t, in_t, names)
        if reason is not None:
            raise ValidationError(_which(session, user_id, pairs, k, out_t, names)
                                  + f"These two transactions are not one transfer: {reason}.", field="transfer")
        if o in taken or i in taken:
            raise ValidationError(_which(session, user_id, pairs, k, out_t, names)
                                  + "One of these transactions is already part of a transfer.", field="transfer")
        if o in seen or i in seen or o == i:
            raise ValidationError(_which(session, user_id, pairs, k, out_t, names)
                                  + "One of these transactions is in another of the pairs as well.", field="transfer")
        seen.update((o, i))
    category = _transfer_category(session, user_id)
    links = []
    for o, i in pairs:
        link: dict[str, object] = {"user_id": user_id, "out_transaction_id": o, "in_transaction_id": i}
        for side, t in (("out", rows[o]), ("in", rows[i])):
            for field, column in _PREV_STATE:  # the row's whole category state, for the undo
                value = getattr(t, column)
                link[f"{side}_prev_{field}"] = bool(value) if field == "manual" else value
            # the user's decision, like a category set by hand: no rule's or model's answer stays on the row
            t.category_id, t.category_manual, t.category_source = category, True, "transfer"
            t.category_confidence = t.rule_id = t.category_signal = None
        links.append(link)
    session.flush()
    for batch in chunked(links, 500):  # one executemany a part (ORM objects were one INSERT each on SQLite)
        session.execute(insert(TransferLink), list(batch))


def _which(session: Session, user_id: int, pairs: list[tuple[int, int]], k: int, out_t: Transaction | None,
           names: dict[int | None, str] | None) -> str:
    """For a failing pair of several: "Nothing was confirmed: pair k of n (…): " naming it by its money-out row
    (account, day in the user's format, amount, text); empty for a single pair (its message stands alone)."""
    if len(pairs) == 1:
        return ""
    if out_t is None:
        what = f"transactions {pairs[k - 1][0]} and {pairs[k - 1][1]}"
    else:
        from budgetwise.dates import day_text
        from budgetwise.services.preferences import user_formats

        locale, date_format = user_formats(session, user_id)
        what = (f"{format_money(out_t.amount_minor, out_t.currency, locale)} out of "
                f"{(names or {}).get(out_t.account_id, '—')} on {day_text(out_t.date, date_format, locale)}, "
                f"“{out_t.description}”")
    return f"Nothing was confirmed: pair {k} of {len(pairs)} ({what}). "


_OUT, _IN = aliased(Transaction), aliased(Transaction)


def _joined(user_id: int, columns: tuple = ()):
    """The user's links joined to their two rows (both the user's): one query for a list, not two reads a link."""
    cols = columns or (TransferLink.id, _OUT.id, _IN.id, _OUT.date, _OUT.amount_minor, _OUT.currency, _OUT.account_id,
                       _IN.account_id, _IN.date, _OUT.description, _IN.description)
    return (select(*cols).select_from(TransferLink)
            .join(_OUT, _OUT.id == TransferLink.out_transaction_id).join(_IN, _IN.id == TransferLink.in_transaction_id)
            .where(TransferLink.user_id == user_id, _OUT.user_id == user_id, _IN.user_id == user_id))


def _views(session: Session, user_id: int, stmt) -> list[TransferView]:
    names = _account_names(session, user_id)
    return [TransferView(int(lid), int(oid), int(iid), day, int(amount), cur, names.get(oa, "—"), names.get(ia, "—"),
                         in_day, out_desc or "", in_desc or "")
            for lid, oid, iid, day, amount, cur, oa, ia, in_day, out_desc, in_desc in session.execute(stmt)]


def list_transfers(session: Session, *, user_id: int, limit: int = 200) -> list[TransferView]:
    """The newest confirmed transfers (latest confirmation first)."""
    return _views(session, user_id, _joined(user_id).order_by(TransferLink.created_at.desc(), TransferLink.id.desc())
                  .limit(limit))


MAX_PAGE_SIZE = 100


def transfer_page(
    session: Session, *, user_id: int, account_id: int | None = None, month: dt.date | None = None, page: int = 1,
    page_size: int = 10,
) -> TransferPage:
    """The user's confirmed transfers, newest date (the money-out row's) first, one page at a time, for the
    Accounts page's table: those touching ``account_id`` (either side; an id not the user's matches nothing),
    in ``month`` (any day of it) when given. ``page`` is kept within the pages there are."""
    if not 1 <= int(page_size) <= MAX_PAGE_SIZE:
        raise ValidationError(f"The page size must be 1 to {MAX_PAGE_SIZE}.", field="page_size")
    where = [] if account_id is None else [or_(_OUT.account_id == int(account_id), _IN.account_id == int(account_id))]
    days = sorted(session.scalars(_joined(user_id, (_OUT.date,)).where(*where).distinct()), reverse=True)
    months = tuple(dict.fromkeys(d.replace(day=1) for d in days))
    if month is not None:
        first = month.replace(day=1)
        where += [_OUT.date >= first, _OUT.date < add_months(first, 1)]
    total = session.scalar(select(func.count()).select_from(_joined(user_id, (TransferLink.id,)).where(*where)
                                                            .subquery())) or 0
    pages = page_count(total, int(page_size))
    shown = min(max(1, int(page)), pages)
    rows = _views(session, user_id, _joined(user_id).where(*where).order_by(_OUT.date.desc(), TransferLink.id.desc())
                  .limit(int(page_size)).offset((shown - 1) * int(page_size)))
    return TransferPage(tuple(rows), int(total), shown, pages, int(page_size), months)


def undo_transfer(session: Session, *, user_id: int, transfer_id: int) -> None:
    """Unlink: both rows get back the category state they had before the confirmation (docs/accounts.md):
    category, by-hand flag, source, confidence, rule and signal. A category deleted meanwhile gives the
    state of a row never categorized; a rule deleted meanwhile leaves the category without a rule id. Under the
    user's lock, taken first (session 28)."""
    lock_user_for_import(session, user_id)
    link = session.scalar(select(TransferLink).where(TransferLink.id == transfer_id, TransferLink.user_id == user_id))
    if link is None:
        raise NotFoundError("This transfer does not exist.")
    _restore_and_unlink(session, user_id, [link])
    touch_data(session, user_id)


def _ids_in(session: Session, column, values: set[int], *where) -> set[int]:
    """Which of ``values`` ``column`` holds (in rows matching ``where``), one statement per :func:`chunked` part."""
    found: set[int] = set()
    for part in chunked(sorted(values)):
        found.update(session.scalars(select(column).where(column.in_(part), *where)))
    return found


def _restore_and_unlink(session: Session, user_id: int, links: list[TransferLink]) -> None:
    """:func:`undo_transfer` for each of the user's ``links``, in their order, with every read done in chunks
    (setting a category on 2,000 rows undid 1,000 transfers one by one: ~8 statements each)."""
    ids = {tid for link in links for tid in (link.out_transaction_id, link.in_transaction_id)}
    rows: dict[int, Transaction] = {}
    for part in chunked(sorted(ids)):
        rows.update((t.id, t) for t in session.scalars(
            select(Transaction).where(Transaction.id.in_(part), Transaction.user_id == user_id)))
    prev_of = [(link, side, {field: getattr(link, f"{side}_prev_{field}") for field, _column in _PREV_STATE})
               for link in links for side in ("out", "in")]
    visible = _ids_in(session, Category.id, {p["category_id"] for *_, p in prev_of} - {None},
                      visible_categories_clause(user_id))
    rules = _ids_in(session, Rule.id, {p["rule_id"] for *_, p in prev_of} - {None})
    for link, side, prev in prev_of:
        t = rows.get(link.out_transaction_id if side == "out" else link.in_transaction_id)
        if t is None:
            continue
        cat = prev["category_id"]
        if cat is not None and cat not in visible:
            prev = dict.fromkeys(prev) | {"manual": False}  # category gone: as a row never categorized
        elif prev["rule_id"] is not None and prev["rule_id"] not in rules:
            prev["rule_id"] = None  # as the foreign key does for a rule deleted while the row was unlinked
        if prev["source"] is None and prev["manual"]:  # a link from before migration 0015
            prev["source"] = "manual"
        for field, column in _PREV_STATE:
            setattr(t, column, bool(prev[field]) if field == "manual" else prev[field])
    for part in chunked([link.id for link in links]):
        session.execute(delete(TransferLink).where(TransferLink.id.in_(part)))
    session.flush()


def _account_names(session: Session, user_id: int) -> dict[int | None, str]:
    return dict(session.execute(select(Account.id, Account.name).where(Account.user_id == user_id)).all())


def pair_mismatch(out_t: Transaction, in_t: Transaction, names: dict[int | None, str] | None = None) -> str | None:
    """The one owner of "these two rows are one transfer" (None when they are; else what does not match,
    as a clause): money out and money in, the same amount and currency, two different accounts, dates at
    most :data:`MAX_WINDOW_DAYS` apart (the widest window a pair is ever offered at). ``confirm_transfer``
    refuses a pair that fails it; ``undo_if_broken`` undoes a confirmed pair an edit made fail it."""
    names = names or {}
    if out_t.kind != KIND_EXPENSE or in_t.kind != KIND_INCOME:
        return "a transfer is one money-out row and one money-in row, and these are " \
               f"{_kind_word(out_t.kind)} and {_kind_word(in_t.kind)}"
    if out_t.currency != in_t.currency:
        return f"the currencies differ ({out_t.currency} out, {in_t.currency} in)"
    if out_t.amount_minor != in_t.amount_minor:
        return (f"the amounts differ ({format_money(out_t.amount_minor, out_t.currency)} out, "
                f"{format_money(in_t.amount_minor, in_t.currency)} in)")
    if out_t.account_id is None or in_t.account_id is None:
        return "a row has no account (a transfer goes between two of your accounts)"
    if out_t.account_id == in_t.account_id:
        return f"both rows are in one account ({names.get(out_t.account_id, '—')})"
    gap = abs((in_t.date - out_t.date).days)
    if gap > MAX_WINDOW_DAYS:
        return f"the dates are {gap} days apart (more than {MAX_WINDOW_DAYS})"
    return None


def _kind_word(kind: str) -> str:
    words: dict[str, str] = {KIND_EXPENSE: "money out", KIND_INCOME: "money in"}
    return words.get(kind, kind)


_KEEP = object()


def undo_if_broken(session: Session, *, user_id: int, transaction_id: int, category_id: object = _KEEP) -> str | None:
    """After an edit of one of the user's rows: when the row is half of a confirmed transfer and the two
    rows no longer make one (:func:`pair_mismatch`: amount, currency, type, account or date changed), or
    ``category_id`` (the category the same edit is about to set, when it sets one) moves the row out of the
    transfer categories (the user says it is not a transfer), undo the transfer (both rows get their own
    category state back, as when one half is deleted) and return the sentence that says so; None when the
    row is in no transfer or the transfer still holds (browser QA, session 13)."""
    link = session.scalar(select(TransferLink).where(TransferLink.user_id == user_id, or_(
        TransferLink.out_transaction_id == transaction_id, TransferLink.in_transaction_id == transaction_id)))
    if link is None:
        return None
    out_t = session.scalar(select(Transaction).where(Transaction.id == link.out_transaction_id,
                                                     Transaction.user_id == user_id))
    in_t = session.scalar(select(Transaction).where(Transaction.id == link.in_transaction_id,
                                                    Transaction.user_id == user_id))
    if out_t is None or in_t is None:  # never seen: the link's rows are deleted with it
        return None
    names = _account_names(session, user_id)
    reason = pair_mismatch(out_t, in_t, names)
    if reason is None and category_id is not _KEEP:
        new = None if category_id is None else int(str(category_id))
        if new not in _transfer_category_ids(session, user_id):
            label = _category_label(session, user_id, new)
            reason = (f"you put this one in “{label}”" if label else "you took this one out of its category") + \
                " (not a transfer category)"
    if reason is None:
        return None
    from budgetwise.dates import day_text
    from budgetwise.services.preferences import user_date_format

    other = in_t if out_t.id == transaction_id else out_t
    undo_transfer(session, user_id=user_id, transfer_id=link.id)
    # the other row's day in the user's date format, as the bulk notice (undo_for_category) writes it (session 15:
    # this one said 2026-03-14 to a user who reads 14/03/2026)
    return (f"This transaction was half of a transfer ({names.get(out_t.account_id, '—')} → "
            f"{names.get(in_t.account_id, '—')}); {reason}, so the transfer is undone and both rows count as "
            f"spending or income again (the other one: “{other.description}” on "
            f"{day_text(other.date, user_date_format(session, user_id))}). "
            "If they still are one transfer, make them match and confirm it again under Accounts → Transfers.")


MAX_NAMED_IN_NOTICE = 5  # transfers a bulk undo names one by one; the rest are counted


def undo_for_category(session: Session, *, user_id: int, transaction_ids: list[int],
                      category_id: int | None) -> tuple[int, str | None]:
    """Before ``category_id`` is set on these rows at once (bulk): when it is no transfer category, the
    confirmed transfers the rows are half of are undone (the user says they are not transfers; as
    :func:`undo_if_broken` for one row). Returns how many were undone and the sentence that says which
    (accounts, day, amount, the other row) and why (None when none was) (session 14: the bulk toast said only
    "Category set on 2 transactions" while the transfers were gone)."""
    if category_id is not None and int(category_id) in _transfer_category_ids(session, user_id):
        return 0, None
    lock_user_for_import(session, user_id)  # before the links are read (session 28: the one lock order)
    links = _links_of(session, user_id, transaction_ids)
    if not links:
        return 0, None
    from budgetwise.dates import day_text
    from budgetwise.services.preferences import user_formats

    locale, date_format = user_formats(session, user_id)
    names = _account_names(session, user_id)
    chosen = set(transaction_ids)
    pairs = [pair for chunk in chunked(sorted(links)) for pair in session.execute(
        select(TransferLink.out_transaction_id, TransferLink.in_transaction_id).where(TransferLink.id.in_(chunk)))]
    halves = sum((o in chosen) + (i in chosen) for o, i in pairs)
    named: list[str] = []
    for link_id in sorted(links)[:MAX_NAMED_IN_NOTICE]:
        link = session.get(TransferLink, link_id)
        out_t = session.get(Transaction, link.out_transaction_id) if link is not None else None
        in_t = session.get(Transaction, link.in_transaction_id) if link is not None else None
        if out_t is None or in_t is None:  # never seen: the link's rows are deleted with it
            continue
        other = None if {out_t.id, in_t.id} <= chosen else (in_t if out_t.id in chosen else out_t)
        named.append(
            f"{names.get(out_t.account_id, '—')} → {names.get(in_t.account_id, '—')} on "
            f"{day_text(out_t.date, date_format, locale)}, {format_money(out_t.amount_minor, out_t.currency, locale)}"
            + (f" (the other row: “{other.description}” on {day_text(other.date, date_format, locale)})"
               if other else "")
        )
    more = len(links) - len(named)
    label = _category_label(session, user_id, None if category_id is None else int(category_id))
    n, (it, its) = len(links), (("it", "its") if halves == 1 else ("them", "their"))
    why = f"you put {it} in “{label}”, not a transfer category" if label else f"you took {it} out of {its} category"
    _undo_all(session, user_id, links)
    return n, (f"{halves} of the selected transactions {'was' if halves == 1 else 'were'} part of "
            f"{'a transfer' if n == 1 else f'{n} transfers'} between your accounts: " + "; ".join(named)
            + (f"; and {more} more" if more > 0 else "") + f". As {why}, "
            f"{'that transfer is' if n == 1 else 'those transfers are'} undone: the rows count as spending or "
            "income again (a row not selected gets back the category it had). If they still are transfers, "
            "confirm them again under Accounts → Transfers.")


def _links_of(session: Session, user_id: int, transaction_ids: list[int]) -> set[int]:
    links: set[int] = set()
    for chunk in chunked(transaction_ids, IN_LIST_CHUNK // 2):  # each id is bound twice: both sides of a link
        links.update(session.scalars(select(TransferLink.id).where(TransferLink.user_id == user_id, or_(
            TransferLink.out_transaction_id.in_(chunk), TransferLink.in_transaction_id.in_(chunk)))))
    return links


def undo_links_of(session: Session, *, user_id: int, transaction_ids: list[int]) -> int:
    """Undo every confirmed transfer one of these rows of the user's is half of; how many. Under the user's lock,
    taken before the links are read (session 28)."""
    lock_user_for_import(session, user_id)
    links = _links_of(session, user_id, transaction_ids)
    _undo_all(session, user_id, links)
    return len(links)


def _undo_all(session: Session, user_id: int, links: set[int]) -> None:
    """Undo these confirmed transfers of the user's (:func:`undo_transfer` for each, in id order, read in chunks)."""
    if not links:
        return
    rows: list[TransferLink] = []
    for part in chunked(sorted(links)):
        rows += session.scalars(select(TransferLink).where(TransferLink.id.in_(part), TransferLink.user_id == user_id))
    missing = set(links) - {link.id for link in rows}
    if missing:
        raise NotFoundError("This transfer does not exist.")
    _restore_and_unlink(session, user_id, sorted(rows, key=lambda link: link.id))
    touch_data(session, user_id)


def _category_label(session: Session, user_id: int, category_id: int | None) -> str | None:
    """The name of one of the categories the user sees (None for none, or one not theirs)."""
    if category_id is None:
        return None
    return session.scalar(select(Category.name).where(Category.id == category_id, visible_categories_clause(user_id)))
