"""The import preview's rows carry the categories the import stores (issue: the preview categorized
only its first rows on their own, while some answers depend on the rest of the file: the structure
signals of ``categorize/structure.py`` — a regular payment, a refund, a purchase small for this file)."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select

from budgetwise.importing import ImportOptions
from budgetwise.models import Transaction
from budgetwise.services import importing as svc


def _file(newest_first: bool = False) -> bytes:
    """A year of one unknown merchant's monthly fixed payment among daily unknown purchases: the
    series shows only across months, so the first rows alone do not reveal it."""
    lines = []
    day = dt.date(2024, 1, 1)
    for n in range(366):
        d = day + dt.timedelta(days=n)
        if d.day == 3:
            lines.append((d, "ZORBLAT HOLDINGS 4471", "-49.99"))
        lines.append((d, f"QWX SHOP {n % 37:02d}", f"-{(n * 7) % 90 + 5}.{n % 100:02d}"))
    if newest_first:
        lines.reverse()
    return ("Date,Description,Amount\n" + "".join(f"{d},{t},{a}\n" for d, t, a in lines)).encode()


def _stored(session, user_id: int) -> dict[tuple, tuple]:
    rows = session.execute(select(Transaction.date, Transaction.description, Transaction.amount_minor,
                                  Transaction.category_id, Transaction.category_source, Transaction.rule_id)
                           .where(Transaction.user_id == user_id)).all()
    return {(r.date, r.description, r.amount_minor): (r.category_id, r.category_source, r.rule_id) for r in rows}


def _check(session, user, data: bytes, preview_rows: int) -> list:
    p = svc.preview_import(session, user_id=user.user_id, data=data, filename="year.csv", preview_rows=preview_rows)
    svc.commit_import(session, user_id=user.user_id, data=data, filename="year.csv", options=ImportOptions(), preview=p)
    stored = _stored(session, user.user_id)
    shown = [((r.date, r.description, r.amount_minor), (r.category_id, r.category_source, r.rule_id)) for r in p.rows]
    assert len(shown) == min(preview_rows, len(stored))
    return [(k, v, stored[k]) for k, v in shown if stored[k] != v]


def test_the_preview_shows_what_the_import_stores_oldest_first(session, alice):
    assert _check(session, alice, _file(), 50) == []


def test_the_preview_shows_what_the_import_stores_newest_first(session, alice):
    assert _check(session, alice, _file(newest_first=True), 50) == []


def test_the_preview_shows_what_the_import_stores_across_chunks(session, alice, monkeypatch):
    """The commit categorizes 100 rows at a time here: the shown rows (the newest, the file's first)
    are categorized with their own chunk."""
    monkeypatch.setattr(svc.commit, "INSERT_CHUNK", 100)
    assert _check(session, alice, _file(newest_first=True), 50) == []


def test_shown_duplicates_do_not_change_the_new_rows_categories(session, alice):
    """Rows already stored are skipped by the commit: the preview categorizes the new rows among the
    new rows only, as the commit does."""
    data = _file()
    lines = data.decode().splitlines(keepends=True)
    first = "".join(lines[:41]).encode()  # the header and the first 40 rows
    svc.commit_import(session, user_id=alice.user_id, data=first, filename="start.csv", options=ImportOptions())
    p = svc.preview_import(session, user_id=alice.user_id, data=data, filename="year.csv")
    assert [r.duplicate for r in p.rows] == [True] * 40 + [False] * 10
    svc.commit_import(session, user_id=alice.user_id, data=data, filename="year.csv", options=ImportOptions(), preview=p)
    stored = _stored(session, alice.user_id)
    for r in p.rows[40:]:
        assert stored[(r.date, r.description, r.amount_minor)] == (r.category_id, r.category_source, r.rule_id)
