"""budgetwise.db.chunked: the one place that splits an ``IN (...)`` list into statements of at most
900 values (SQLite's bound-parameter limit), and the services that use it with 2,000 ids on every
backend. On SQLite the connection's limit is set to 999 (SQLite's default before 3.32), so a
statement that still put all 2,000 ids in one ``IN`` list fails with "too many SQL variables"."""

from __future__ import annotations

import datetime as dt
import sqlite3

import pytest
from sqlalchemy import func, insert, select

from budgetwise.db import IN_LIST_CHUNK, chunked
from budgetwise.errors import NotFoundError
from budgetwise.models import ImportBatch, Transaction
from budgetwise.services import accounts, categories, transactions, transfers
from budgetwise.services.categorize import engine, review, suggestions
from budgetwise.services.categorize.learning import _merchant_transactions
from budgetwise.services.importing.commit import _stored_by

D = dt.date(2025, 3, 1)
N = 2_000


@pytest.mark.parametrize(("n", "sizes"), [(0, []), (1, [1]), (900, [900]), (901, [900, 1]), (2000, [900, 900, 200])])
def test_chunks_of_900_in_order(n, sizes):
    values = list(range(n))
    parts = list(chunked(values))
    assert [len(p) for p in parts] == sizes
    assert [v for p in parts for v in p] == values
    assert IN_LIST_CHUNK == 900


def test_other_sizes_and_sequences():
    assert [list(p) for p in chunked(["a", "b", "c"], 2)] == [["a", "b"], ["c"]]
    assert list(chunked((1, 2, 3, 4), 2)) == [(1, 2), (3, 4)]  # slices of the sequence given
    assert list(chunked([], 1)) == []
    with pytest.raises(ValueError, match="at least 1"):
        list(chunked([1], 0))


def _rows(user_id: int, n: int, account_id: int | None = None, kind: str = "expense", prefix: str = "shop",
          batch: int | None = None) -> list[dict]:
    return [dict(user_id=user_id, date=D + dt.timedelta(days=k % 300), amount_minor=10_000 + k, currency="USD",
                 kind=kind, description=f"{prefix} {k}", account_id=account_id, fingerprint=f"{prefix}{k}",
                 import_batch_id=batch, source="import" if batch else "manual") for k in range(n)]


def _ids(session, user_id: int) -> list[int]:
    return list(session.scalars(select(Transaction.id).where(Transaction.user_id == user_id).order_by(Transaction.id)))


def _sqlite_limit_999(session) -> None:
    """As SQLite before 3.32 (and builds that keep its old default): at most 999 bound parameters."""
    if session.get_bind().dialect.name == "sqlite":
        raw = session.connection().connection.driver_connection
        raw.setlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER, 999)
        with pytest.raises(sqlite3.OperationalError, match="too many SQL variables"):
            raw.execute(f"select 1 where 1 in ({','.join('?' * 1000)})", list(range(1000)))


def test_bulk_delete_and_its_checks_take_2000_ids(session, alice, bob):
    session.execute(insert(Transaction), _rows(alice.user_id, N) + _rows(bob.user_id, 1, prefix="bob"))
    session.flush()
    _sqlite_limit_999(session)
    ids = _ids(session, alice.user_id)
    (bobs,) = _ids(session, bob.user_id)
    with pytest.raises(NotFoundError, match=f"Transaction {bobs} does not exist; nothing was changed"):
        transactions.delete_transactions(session, user_id=alice.user_id, transaction_ids=[*ids, bobs])
    assert len(_ids(session, alice.user_id)) == N
    assert transfers.undo_links_of(session, user_id=alice.user_id, transaction_ids=ids) == 0
    assert transactions.delete_transactions(session, user_id=alice.user_id, transaction_ids=ids) == N
    assert _ids(session, alice.user_id) == [] and _ids(session, bob.user_id) == [bobs]


def test_categorizing_and_suggestions_take_2000_ids(session, alice, bob):
    session.execute(insert(Transaction), _rows(alice.user_id, N) + _rows(bob.user_id, 1, prefix="bob"))
    session.flush()
    _sqlite_limit_999(session)
    ids = _ids(session, alice.user_id)
    (bobs,) = _ids(session, bob.user_id)
    # "shop …" is a default rule's word: every one of Alice's rows is categorized, Bob's is not hers to touch
    assert engine.apply_rules_to_transactions(session, user_id=alice.user_id, transaction_ids=[*ids, bobs]) == N
    assert session.scalar(select(Transaction.category_id).where(Transaction.id == bobs)) is None
    assert suggestions.suggest_for_transactions(session, user_id=alice.user_id, transaction_ids=ids) == {}
    assert set(review._states(session, alice.user_id, [*ids, bobs])) == set(ids)
    groceries = categories.find_category_by_name(session, user_id=alice.user_id, name="Groceries")
    assert groceries is not None
    with pytest.raises(NotFoundError, match=f"Transaction {bobs} does not exist"):
        suggestions.accept_suggestions(session, user_id=alice.user_id,
                                       accepted=[(i, groceries.id, 0.9) for i in [*ids, bobs]])
    assert suggestions.accept_suggestions(session, user_id=alice.user_id,
                                          accepted=[(i, groceries.id, 0.9) for i in ids]) == N


def test_a_learned_rule_reads_2000_descriptions(session, alice):
    session.execute(insert(Transaction), _rows(alice.user_id, N, prefix="corner shop"))
    session.flush()
    _sqlite_limit_999(session)
    found = _merchant_transactions(session, alice.user_id, "corner shop", match_type="starts_with")
    assert len(found) == N


def test_transfer_offers_read_the_texts_of_2000_rows(session, alice):
    chk = accounts.create_account(session, user_id=alice.user_id, name="Checking")
    card = accounts.create_account(session, user_id=alice.user_id, name="Card", kind="credit_card")
    n = N // 2
    session.execute(insert(Transaction), _rows(alice.user_id, n, chk.id, "expense", "pay card")
                    + _rows(alice.user_id, n, card.id, "income", "thank you"))
    session.flush()
    _sqlite_limit_999(session)
    found = transfers.find_candidates(session, user_id=alice.user_id)
    assert found and all(c.out_description.startswith("pay card") and c.in_description.startswith("thank you")
                         for c in found)


def test_a_file_with_nothing_new_names_its_import_among_2000_fingerprints(session, alice, bob):
    batch = ImportBatch(user_id=alice.user_id, filename="march.csv", file_sha256="0" * 64, file_format="csv")
    theirs = ImportBatch(user_id=bob.user_id, filename="bob.csv", file_sha256="1" * 64, file_format="csv")
    session.add_all([batch, theirs])
    session.flush()
    session.execute(insert(Transaction), _rows(alice.user_id, N, batch=batch.id)
                    + _rows(bob.user_id, N, batch=theirs.id))
    session.flush()
    _sqlite_limit_999(session)
    fps = [f"shop{k}" for k in range(N)]
    assert _stored_by(session, alice.user_id, fps) == ((batch.id, "march.csv"),)
    assert _stored_by(session, alice.user_id, fps[1500:] + ["nowhere"]) == ((batch.id, "march.csv"),)
    assert _stored_by(session, alice.user_id, ["nowhere"] * 1000) == ()


def test_a_category_set_on_2000_rows_undoes_their_1000_transfers(session, alice):
    """Two IN lists the first pass missed (session 16): set_category_bulk read its rows with all the ids in one
    statement (up to 10,000), and the notice of the undone transfers read all their links in one. The 1,000 undos
    are read and written in chunks too (session 17: one by one they took ~20 s on SQLite, minutes on a server)."""
    from budgetwise.models import TransferLink, utcnow

    chk = accounts.create_account(session, user_id=alice.user_id, name="Checking")
    card = accounts.create_account(session, user_id=alice.user_id, name="Card", kind="credit_card")
    n = N // 2
    session.execute(insert(Transaction), _rows(alice.user_id, n, chk.id, "expense", "pay card")
                    + _rows(alice.user_id, n, card.id, "income", "thank you"))
    session.flush()
    ids = _ids(session, alice.user_id)
    now = utcnow()
    session.execute(insert(TransferLink), [dict(user_id=alice.user_id, out_transaction_id=o, in_transaction_id=i,
                                                created_at=now) for o, i in zip(ids[:n], ids[n:])])
    session.flush()
    _sqlite_limit_999(session)
    groceries = categories.find_category_by_name(session, user_id=alice.user_id, name="Groceries")
    assert groceries is not None
    done = transactions.set_category_bulk(session, user_id=alice.user_id, transaction_ids=ids, category_id=groceries.id)
    assert (done.changed, done.transfers_undone) == (N, n) and done.notice
    assert session.scalar(select(func.count()).select_from(TransferLink)) == 0
    assert set(session.scalars(select(Transaction.category_id).where(Transaction.user_id == alice.user_id))) == {
        groceries.id}
