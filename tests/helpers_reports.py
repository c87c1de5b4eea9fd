"""Small data builders for the report and budget tests (bulk inserts with exact minor units)."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import insert
from sqlalchemy.orm import Session

from budgetwise.models import Category, Transaction, utcnow
from budgetwise.services import categories as categories_service
from budgetwise.services.categorize.textforms import merchant_key
from budgetwise.text import fingerprint


def category_id(session: Session, user_id: int, name: str) -> int:
    cat = categories_service.find_category_by_name(session, user_id=user_id, name=name)
    assert cat is not None, name
    return cat.id


def add_rows(session: Session, user_id: int, rows: list[tuple]) -> None:
    """rows: (date, amount_minor, kind, description, category name or None[, currency])."""
    names = {n for r in rows for n in [r[4]] if n}
    ids = {n: category_id(session, user_id, n) for n in names}
    now = utcnow()
    payload = []
    for i, row in enumerate(rows):
        day, minor, kind, desc, cat = row[:5]
        currency = row[5] if len(row) > 5 else "USD"
        payload.append(
            {
                "user_id": user_id, "date": day, "amount_minor": minor, "currency": currency, "kind": kind,
                "description": desc, "merchant": merchant_key(desc), "notes": "", "account": None,
                "category_id": ids.get(cat) if cat else None, "category_manual": True, "source": "manual",
                "fingerprint": fingerprint(day.isoformat(), minor, kind, desc, currency),
                "created_at": now, "updated_at": now,
            }
        )
    if payload:
        session.execute(insert(Transaction), payload)
    session.flush()


def monthly(first: dt.date, months: int, day: int = 1) -> list[dt.date]:
    out = []
    y, m = first.year, first.month
    for _ in range(months):
        out.append(dt.date(y, m, day))
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    return out


def own_category(session: Session, user_id: int, name: str, kind: str = "expense") -> int:
    cat = Category(user_id=user_id, name=name, kind=kind, color="#123456")
    session.add(cat)
    session.flush()
    return cat.id
