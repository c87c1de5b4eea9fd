"""Confirming many offered transfers at once (transfers.confirm_transfers, the Accounts page's "Confirm all likely"):
each pair as :func:`transfers.confirm_transfer` would, all or nothing (a failing pair named, the database as it
was), the data version bumped once, chunked reads past db.IN_LIST_CHUNK ids; only likely, unambiguous offers
are taken (transfers.likely_unambiguous)."""

from __future__ import annotations

import datetime as dt

import pytest

from budgetwise.db import IN_LIST_CHUNK
from budgetwise.errors import NotFoundError, ValidationError
from budgetwise.models import Transaction, TransferLink
from budgetwise.services import accounts, transfers
from budgetwise.services import transactions as tx
from budgetwise.services.versions import data_version

D = dt.date(2025, 3, 3)


def _state(session, tid: int) -> tuple:
    t = session.get(Transaction, tid)
    session.refresh(t)
    return (t.category_id, t.category_manual, t.category_source, t.category_confidence, t.rule_id, t.category_signal)


def _accounts(session, user):
    chk = accounts.create_account(session, user_id=user.user_id, name="Checking")
    card = accounts.create_account(session, user_id=user.user_id, name="Card", kind="credit_card")
    return chk, card


def _pairs(session, user, n: int, accts=None) -> list[tuple[int, int]]:
    chk, card = accts or _accounts(session, user)
    out = []
    for k in range(n):
        o, i = (tx.add_transaction(session, user_id=user.user_id, date=D + dt.timedelta(days=7 * k),
                                   amount=f"{10 + k}.00", kind=kind, description=f"{desc} {k}", account_id=acc.id,
                                   auto_categorize=False)
                for kind, desc, acc in (("expense", "CARD PAYMENT", chk), ("income", "THANK YOU", card)))
        out.append((o.id, i.id))
    return out


def test_many_pairs_are_confirmed_as_one_by_one_and_undo_restores_each(session, alice):
    pairs = _pairs(session, alice, 4)
    t = session.get(Transaction, pairs[1][0])
    t.category_id, t.category_manual, t.category_source, t.category_confidence = None, False, "model", 0.4
    session.flush()
    before = {tid: _state(session, tid) for p in pairs for tid in p}
    version = data_version(session, user_id=alice.user_id)

    assert transfers.confirm_transfers(session, user_id=alice.user_id, pairs=pairs) == 4
    assert data_version(session, user_id=alice.user_id) == version + 1  # once, not once a pair
    links = {(v.out_transaction_id, v.in_transaction_id): v.id for v in transfers.list_transfers(
        session, user_id=alice.user_id)}
    assert set(links) == set(pairs)
    assert {_state(session, tid)[1:3] for p in pairs for tid in p} == {(True, "transfer")}
    for p in pairs:
        transfers.undo_transfer(session, user_id=alice.user_id, transfer_id=links[p])
    assert {tid: _state(session, tid) for p in pairs for tid in p} == before
    assert transfers.confirm_transfers(session, user_id=alice.user_id, pairs=[]) == 0


def _nothing_changed(session, user_id, pairs, before, version):
    assert session.query(TransferLink).filter_by(user_id=user_id).count() == 0
    assert {tid: _state(session, tid) for p in pairs for tid in p} == before
    assert data_version(session, user_id=user_id) == version


def test_one_failing_pair_leaves_everything_as_it_was_and_is_named(session, alice, bob):
    pairs = _pairs(session, alice, 4)
    bad_out = tx.add_transaction(session, user_id=alice.user_id, date=D, amount="99.00", kind="expense",
                                 description="rent", account_id=session.get(Transaction, pairs[0][0]).account_id,
                                 auto_categorize=False)
    (bob_pair,) = _pairs(session, bob, 1)
    before = {tid: _state(session, tid) for p in pairs for tid in p}
    version = data_version(session, user_id=alice.user_id)
    cases = [
        # pair 3 of 4 does not make one transfer: the amounts differ
        ([pairs[0], pairs[1], (bad_out.id, pairs[2][1]), pairs[3]], ValidationError,
         ["Nothing was confirmed: pair 3 of 4", "$99.00 out of Checking", "rent", "the amounts differ"]),
        # a row in two of the pairs
        ([pairs[0], pairs[1], pairs[0]], ValidationError,
         ["pair 3 of 3", "in another of the pairs"]),
        # another user's rows: refused as rows that do not exist, the pair named by its ids
        ([pairs[0], bob_pair], NotFoundError, [f"pair 2 of 2 (transactions {bob_pair[0]} and {bob_pair[1]})",
                                               "does not exist"]),
    ]
    for wanted, error, words in cases:
        with pytest.raises(error) as exc:
            transfers.confirm_transfers(session, user_id=alice.user_id, pairs=wanted)
        assert all(w in str(exc.value) for w in words), str(exc.value)
        _nothing_changed(session, alice.user_id, pairs, before, version)
    assert _state(session, bob_pair[0])[2] != "transfer"
    # a pair already confirmed (by another click meanwhile): the rest are not confirmed either
    transfers.confirm_transfer(session, user_id=alice.user_id, out_transaction_id=pairs[2][0],
                               in_transaction_id=pairs[2][1])
    with pytest.raises(ValidationError, match="pair 3 of 4 .*already part of a transfer"):
        transfers.confirm_transfers(session, user_id=alice.user_id, pairs=pairs)
    assert session.query(TransferLink).filter_by(user_id=alice.user_id).count() == 1


def test_a_failed_write_rolls_back_the_links_already_made(session, alice, monkeypatch):
    """The checks pass, a write fails (here: the data-version bump after the links): the caller's unit of work
    rolls back and the links made are gone with it (as the page's run_action does)."""
    pairs = _pairs(session, alice, 3)
    session.commit()
    before = {tid: _state(session, tid) for p in pairs for tid in p}

    def boom(*_a, **_k):
        raise RuntimeError("disk full")

    monkeypatch.setattr(transfers, "touch_data", boom)
    with pytest.raises(RuntimeError):
        transfers.confirm_transfers(session, user_id=alice.user_id, pairs=pairs)
    session.rollback()
    assert session.query(TransferLink).filter_by(user_id=alice.user_id).count() == 0
    assert {tid: _state(session, tid) for p in pairs for tid in p} == before


def test_more_pairs_than_one_chunk_of_ids(session, alice):
    """IN_LIST_CHUNK // 2 + 50 pairs: more row ids than one IN list takes (SQLite's variable limit)."""
    n = IN_LIST_CHUNK // 2 + 50
    chk, card = _accounts(session, alice)
    rows = [Transaction(user_id=alice.user_id, date=D + dt.timedelta(days=k % 300), amount_minor=1000 + k,
                        currency="USD", kind=kind, description=f"move {k}", account_id=acc.id,
                        fingerprint=f"confirm-many-{k}-{kind}")
            for k in range(n) for kind, acc in (("expense", chk), ("income", card))]
    session.add_all(rows)
    session.flush()
    pairs = [(rows[2 * k].id, rows[2 * k + 1].id) for k in range(n)]
    assert transfers.confirm_transfers(session, user_id=alice.user_id, pairs=pairs) == n
    assert session.query(TransferLink).filter_by(user_id=alice.user_id).count() == n


def test_only_likely_unambiguous_offers_are_confirmed_at_once(session, alice):
    chk, card = _accounts(session, alice)
    savings = accounts.create_account(session, user_id=alice.user_id, name="Savings", kind="savings")

    def add(amount, kind, desc, acc, day=D):
        return tx.add_transaction(session, user_id=alice.user_id, date=day, amount=amount, kind=kind,
                                  description=desc, account_id=acc.id, auto_categorize=False).id

    clear = (add("412.37", "expense", "CREDIT CARD PAYMENT", chk), add("412.37", "income", "PAYMENT THANK YOU", card))
    # 250.00 out of checking, and 250.00 into the card and into savings the same days: either could be its half
    torn = add("250.00", "expense", "TRANSFER", chk, D + dt.timedelta(days=20))
    into_card = add("250.00", "income", "PAYMENT THANK YOU", card, D + dt.timedelta(days=20))
    into_savings = add("250.00", "income", "TRANSFER", savings, D + dt.timedelta(days=21))
    weak = (add("20.00", "expense", "coffee", chk, D + dt.timedelta(days=40)),
            add("20.00", "income", "gift", savings, D + dt.timedelta(days=40)))

    offers = {(c.out_transaction_id, c.in_transaction_id): c for c in transfers.find_candidates(
        session, user_id=alice.user_id)}
    assert not offers[clear].ambiguous and offers[clear].level == "likely"
    (torn_pair,) = [p for p in offers if p[0] == torn]
    assert torn_pair[1] in {into_card, into_savings}
    assert offers[torn_pair].ambiguous and offers[torn_pair].level == "likely"  # offered, but not at once
    assert weak not in offers or offers[weak].level != "likely"
    chosen = transfers.likely_unambiguous(list(offers.values()))
    assert [(c.out_transaction_id, c.in_transaction_id) for c in chosen] == [clear]
    assert transfers.confirm_transfers(session, user_id=alice.user_id, pairs=[clear]) == 1


def test_too_many_pairs_at_once_are_refused(session, alice):
    with pytest.raises(ValidationError, match="At most 5,000"):
        transfers.confirm_transfers(session, user_id=alice.user_id, pairs=[(1, 2)] * 5001)
