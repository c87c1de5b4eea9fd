"""Transfers between own accounts (issue #19): offered, confirmed, excluded from reports, undone;
never paired across users."""

from __future__ import annotations

import datetime as dt

import pytest

from budgetwise.errors import NotFoundError, ValidationError
from budgetwise.services import accounts, reports, transfers
from budgetwise.services import transactions as tx

D = dt.date(2025, 3, 10)


def _add(session, user, account_id, amount, kind, day, desc="x", **kw):
    return tx.add_transaction(session, user_id=user.user_id, date=day, amount=amount, kind=kind, description=desc,
                              account_id=account_id, auto_categorize=False, **kw)


@pytest.fixture
def two_accounts(session, alice):
    chk = accounts.create_account(session, user_id=alice.user_id, name="Checking")
    card = accounts.create_account(session, user_id=alice.user_id, name="Card", kind="credit_card")
    return chk, card


def test_a_card_payment_is_offered_confirmed_excluded_and_undone(session, alice, two_accounts):
    chk, card = two_accounts
    out = _add(session, alice, chk.id, "450.00", "expense", D, "CARD PAYMENT")
    inn = _add(session, alice, card.id, "450.00", "income", D + dt.timedelta(days=2), "PAYMENT THANK YOU")
    _add(session, alice, chk.id, "450.00", "income", D, "same account: not a transfer")
    _add(session, alice, card.id, "450.00", "income", D + dt.timedelta(days=9), "too late")
    groceries = _add(session, alice, chk.id, "50.00", "expense", D, "Grocer")
    (cand,) = transfers.find_candidates(session, user_id=alice.user_id)
    assert (cand.out_transaction_id, cand.in_transaction_id) == (out.id, inn.id)
    assert (cand.out_account, cand.in_account, cand.amount_minor) == ("Checking", "Card", 45000)

    flt = reports.ReportFilter(date_from=D - dt.timedelta(days=5), date_to=D + dt.timedelta(days=30))
    before = reports.summary(session, user_id=alice.user_id, filters=flt)
    link = transfers.confirm_transfer(session, user_id=alice.user_id, out_transaction_id=out.id,
                                      in_transaction_id=inn.id)
    after = reports.summary(session, user_id=alice.user_id, filters=flt)
    assert before.expense_minor - after.expense_minor == 45000
    assert before.income_minor - after.income_minor == 45000
    assert transfers.find_candidates(session, user_id=alice.user_id) == []
    # balances still move: money left checking and paid the card
    assert [t.id for t in transfers.list_transfers(session, user_id=alice.user_id)] == [link.id]

    transfers.undo_transfer(session, user_id=alice.user_id, transfer_id=link.id)
    assert tx.get_transaction(session, user_id=alice.user_id, transaction_id=out.id).category_id is None
    assert reports.summary(session, user_id=alice.user_id, filters=flt) == before
    assert len(transfers.find_candidates(session, user_id=alice.user_id)) == 1
    assert groceries.id not in {c.out_transaction_id for c in transfers.find_candidates(session, user_id=alice.user_id)}


def test_never_pairs_across_users(session, alice, bob, two_accounts):
    chk, _ = two_accounts
    bobs = accounts.create_account(session, user_id=bob.user_id, name="Bob checking")
    out = _add(session, alice, chk.id, "99.00", "expense", D)
    theirs = _add(session, bob, bobs.id, "99.00", "income", D)
    # the strongest evidence there is (transfer words naming the other's account, a round repeat) changes nothing
    for month in range(3):
        _add(session, alice, chk.id, "500.00", "expense", D.replace(month=month + 1), "TRANSFER TO BOB CHECKING")
        _add(session, bob, bobs.id, "500.00", "income", D.replace(month=month + 1), "TRANSFER FROM CHECKING")
    assert transfers.find_candidates(session, user_id=alice.user_id) == []
    assert transfers.find_candidates(session, user_id=bob.user_id) == []
    with pytest.raises(NotFoundError):
        transfers.confirm_transfer(session, user_id=alice.user_id, out_transaction_id=out.id,
                                   in_transaction_id=theirs.id)


def test_bad_pairs_get_specific_messages(session, alice, two_accounts):
    chk, card = two_accounts
    a = _add(session, alice, chk.id, "10.00", "expense", D)
    b = _add(session, alice, card.id, "11.00", "income", D)
    c = _add(session, alice, chk.id, "10.00", "income", D)
    with pytest.raises(ValidationError, match=r"amounts differ \(\$10.00 out, \$11.00 in\)"):
        transfers.confirm_transfer(session, user_id=alice.user_id, out_transaction_id=a.id, in_transaction_id=b.id)
    with pytest.raises(ValidationError, match=r"both rows are in one account \(Checking\)"):
        transfers.confirm_transfer(session, user_id=alice.user_id, out_transaction_id=a.id, in_transaction_id=c.id)


def test_confirming_refuses_a_pair_that_would_at_once_be_undone_as_broken(session, alice, two_accounts):
    """One owner (``pair_mismatch``): a pair confirm accepts is one ``undo_if_broken`` keeps, and each
    refusal names what does not match (session 13, tidytwo). Dates 15 days apart were confirmed, then
    undone by the next edit of either row."""
    chk, card = two_accounts
    out = _add(session, alice, chk.id, "30.00", "expense", D, "OUT")
    cases = {
        "the dates are 15 days apart (more than 14)": _add(session, alice, card.id, "30.00", "income",
                                                           D + dt.timedelta(days=15), "LATE"),
        "the currencies differ (USD out, EUR in)": _add(session, alice, card.id, "30.00", "income", D, "EUR",
                                                        currency="EUR"),
        "these are money out and money out": _add(session, alice, card.id, "30.00", "expense", D, "ALSO OUT"),
    }
    for reason, other in cases.items():
        with pytest.raises(ValidationError, match="not one transfer") as err:
            transfers.confirm_transfer(session, user_id=alice.user_id, out_transaction_id=out.id,
                                       in_transaction_id=other.id)
        assert reason in str(err.value)
    assert transfers.list_transfers(session, user_id=alice.user_id) == []
    # 14 days apart: confirmed, and an edit that keeps it so keeps the link
    ok = _add(session, alice, card.id, "30.00", "income", D + dt.timedelta(days=14), "IN TIME")
    transfers.confirm_transfer(session, user_id=alice.user_id, out_transaction_id=out.id, in_transaction_id=ok.id)
    assert tx.update_transaction(session, user_id=alice.user_id, transaction_id=ok.id, notes="n").notice is None
    assert len(transfers.list_transfers(session, user_id=alice.user_id)) == 1


def test_choosing_another_category_for_one_half_undoes_the_transfer_and_says_so(session, alice, two_accounts):
    """Session 13 (tidytwo): a category away from the transfer ones on one half kept the link (one row
    "Groceries", the other still "Transfers", counted nowhere). An explicit category change says "not a
    transfer": the link is undone for both halves (the other gets its own category state back) and the edit
    says so; the same category sent again (the form sends every field), or another transfer category, keeps it.
    The bulk "Set the category of the selected" does the same."""
    from budgetwise.services import categories

    chk, card = two_accounts
    cats = categories.list_categories(session, user_id=alice.user_id)
    groceries = next(c for c in cats if c.kind == "expense")
    salary = next(c.id for c in cats if c.kind == "income")
    transfer_cat = next(c.id for c in cats if c.kind == "transfer")
    out = _add(session, alice, chk.id, "40.00", "expense", D, "TO CARD")
    inn = _add(session, alice, card.id, "40.00", "income", D, "FROM CHECKING", category_id=salary)
    transfers.confirm_transfer(session, user_id=alice.user_id, out_transaction_id=out.id, in_transaction_id=inn.id)
    same = tx.update_transaction(session, user_id=alice.user_id, transaction_id=out.id, category_id=transfer_cat,
                                 notes="again")
    assert same.notice is None and len(transfers.list_transfers(session, user_id=alice.user_id)) == 1

    view = tx.update_transaction(session, user_id=alice.user_id, transaction_id=out.id, category_id=groceries.id)
    assert f"you put this one in “{groceries.name}” (not a transfer category), so the transfer is undone" in (
        view.notice or "")
    assert view.category_id == groceries.id and transfers.list_transfers(session, user_id=alice.user_id) == []
    assert tx.get_transaction(session, user_id=alice.user_id, transaction_id=inn.id).category_id == salary

    # uncategorized is "not a transfer" too
    transfers.confirm_transfer(session, user_id=alice.user_id, out_transaction_id=out.id, in_transaction_id=inn.id)
    view = tx.update_transaction(session, user_id=alice.user_id, transaction_id=inn.id, category_id=None)
    assert "took this one out of its category" in (view.notice or "") and view.category_id is None
    assert transfers.list_transfers(session, user_id=alice.user_id) == []

    # bulk: a transfer category keeps the link, any other undoes it
    transfers.confirm_transfer(session, user_id=alice.user_id, out_transaction_id=out.id, in_transaction_id=inn.id)
    tx.set_category_bulk(session, user_id=alice.user_id, transaction_ids=[out.id], category_id=transfer_cat)
    assert len(transfers.list_transfers(session, user_id=alice.user_id)) == 1
    tx.set_category_bulk(session, user_id=alice.user_id, transaction_ids=[out.id], category_id=groceries.id)
    assert transfers.list_transfers(session, user_id=alice.user_id) == []
    assert tx.get_transaction(session, user_id=alice.user_id, transaction_id=out.id).category_id == groceries.id
    assert tx.get_transaction(session, user_id=alice.user_id, transaction_id=inn.id).category_id is None


def test_the_bulk_category_says_which_transfers_it_undid(session, alice, two_accounts):
    """Session 14 (newuser): "Set the category of the selected" undid the transfers silently (the toast said
    "Category set on 2 transactions"). Its result counts them and names each: accounts, day, amount, the
    other row when it was not selected, and why; a transfer category undoes nothing and says nothing."""
    from budgetwise.services import categories, profile

    chk, card = two_accounts
    cats = categories.list_categories(session, user_id=alice.user_id)
    groceries = next(c for c in cats if c.kind == "expense")
    transfer_cat = next(c.id for c in cats if c.kind == "transfer")
    profile.update_profile(session, user_id=alice.user_id, date_format="%d.%m.%Y", locale="de_DE")
    out = _add(session, alice, chk.id, "1250.00", "expense", D, "TO CARD")
    inn = _add(session, alice, card.id, "1250.00", "income", D, "FROM CHECKING")
    lone = _add(session, alice, chk.id, "9.00", "expense", D, "Bakery")
    transfers.confirm_transfer(session, user_id=alice.user_id, out_transaction_id=out.id, in_transaction_id=inn.id)

    kept = tx.set_category_bulk(session, user_id=alice.user_id, transaction_ids=[out.id, lone.id],
                                category_id=transfer_cat)
    assert (kept.changed, kept.transfers_undone, kept.notice) == (2, 0, None)
    assert len(transfers.list_transfers(session, user_id=alice.user_id)) == 1

    done = tx.set_category_bulk(session, user_id=alice.user_id, transaction_ids=[out.id, lone.id],
                                category_id=groceries.id)
    assert (done.changed, done.transfers_undone) == (2, 1)
    assert done.notice == (
        "1 of the selected transactions was part of a transfer between your accounts: Checking → Card on "
        "10.03.2025, 1.250,00\xa0$ (the other row: “FROM CHECKING” on 10.03.2025). As you put it in "
        f"“{groceries.name}”, not a transfer category, that transfer is undone: the rows count as spending or "
        "income again (a row not selected gets back the category it had). If they still are transfers, "
        "confirm them again under Accounts → Transfers.")
    assert transfers.list_transfers(session, user_id=alice.user_id) == []

    # both halves selected and made uncategorized: two rows, no "other row"
    transfers.confirm_transfer(session, user_id=alice.user_id, out_transaction_id=out.id, in_transaction_id=inn.id)
    both = tx.set_category_bulk(session, user_id=alice.user_id, transaction_ids=[inn.id, out.id], category_id=None)
    assert both.transfers_undone == 1 and (both.notice or "").startswith(
        "2 of the selected transactions were part of a transfer between your accounts: Checking → Card on 10.03.2025")
    assert "the other row" not in both.notice and "As you took them out of their category" in both.notice
    # a "%d %b %Y" format names the month in the user's language (session 16: "10 Mar 2025" for de_DE)
    profile.update_profile(session, user_id=alice.user_id, date_format="%d %b %Y")
    transfers.confirm_transfer(session, user_id=alice.user_id, out_transaction_id=out.id, in_transaction_id=inn.id)
    named = tx.set_category_bulk(session, user_id=alice.user_id, transaction_ids=[out.id], category_id=None)
    assert "Checking → Card on 10 März 2025, 1.250,00\xa0$ (the other row: “FROM CHECKING” on 10 März 2025)" in (
        named.notice or "")


def test_the_single_row_notice_writes_the_other_rows_day_in_the_users_format(session, alice, two_accounts):
    """Session 15 (uiqa): undoing a transfer by editing one row named the other row's day as ISO
    ("on 2025-03-10") while the bulk notice above writes it in the user's format; both now read
    services.preferences and write it with dates.day_text."""
    from budgetwise.services import categories, profile

    chk, card = two_accounts
    groceries = next(c for c in categories.list_categories(session, user_id=alice.user_id) if c.kind == "expense")
    profile.update_profile(session, user_id=alice.user_id, date_format="%d.%m.%Y", locale="de_DE")
    out = _add(session, alice, chk.id, "40.00", "expense", D, "TO CARD")
    inn = _add(session, alice, card.id, "40.00", "income", D, "FROM CHECKING")
    transfers.confirm_transfer(session, user_id=alice.user_id, out_transaction_id=out.id, in_transaction_id=inn.id)
    view = tx.update_transaction(session, user_id=alice.user_id, transaction_id=out.id, category_id=groceries.id)
    assert "(the other one: “FROM CHECKING” on 10.03.2025)" in (view.notice or ""), view.notice
    assert "2025-03-10" not in (view.notice or "")


def _category_state(session, transaction_id):
    from budgetwise.models import Transaction

    t = session.get(Transaction, transaction_id)
    session.refresh(t)
    return (t.category_id, t.category_manual, t.category_source, t.category_confidence, t.rule_id, t.category_signal)


def test_undo_gives_the_rows_back_their_whole_category_state_and_a_link_keeps_no_stale_answer(
        session, alice, two_accounts):
    """docs/accounts.md: the link records the rows' previous categories and the undo restores them. It
    restored only the category and the by-hand flag: a rule's confidence and rule id stayed on the rows
    while they were transfers (set by hand), and the undo lost where the category came from (source 'rule'
    became no source). Now a link holds the rows' whole category state and the undo puts it back; a
    category or rule deleted meanwhile gives the state of a row never categorized / without that rule."""
    from budgetwise.models import Category, Rule, Transaction, TransferLink
    from budgetwise.services.categorize import rules
    from budgetwise.services.categorize.types import RuleSpec

    chk, card = two_accounts
    groceries = session.query(Category).filter_by(user_id=None, name="Groceries").one().id
    refunds = session.query(Category).filter_by(user_id=None, name="Refunds").one().id
    rule = rules.create_rule(session, user_id=alice.user_id, spec=RuleSpec(
        name="card", pattern="CARD PAYMENT", category_id=groceries))
    out = _add(session, alice, chk.id, "450.00", "expense", D, "CARD PAYMENT")
    inn = _add(session, alice, card.id, "450.00", "income", D, "PAYMENT THANK YOU")
    for tid, state in ((out.id, (groceries, False, "rule", 0.93, rule.id, None)),
                       (inn.id, (refunds, False, "model", 0.41, None, "refund"))):
        t = session.get(Transaction, tid)
        (t.category_id, t.category_manual, t.category_source, t.category_confidence, t.rule_id,
         t.category_signal) = state
    session.flush()
    before = {out.id: _category_state(session, out.id), inn.id: _category_state(session, inn.id)}

    link = transfers.confirm_transfer(session, user_id=alice.user_id, out_transaction_id=out.id,
                                      in_transaction_id=inn.id)
    for tid in (out.id, inn.id):  # a transfer is the user's decision: no rule's or model's answer on it
        assert _category_state(session, tid)[1:] == (True, "transfer", None, None, None)
    transfers.undo_transfer(session, user_id=alice.user_id, transfer_id=link.id)
    assert {tid: _category_state(session, tid) for tid in before} == before

    # gone while linked: the rule (the row keeps its category, no rule id) and the category (never categorized)
    link = transfers.confirm_transfer(session, user_id=alice.user_id, out_transaction_id=out.id,
                                      in_transaction_id=inn.id)
    rules.delete_rule(session, user_id=alice.user_id, rule_id=rule.id)
    session.get(TransferLink, link.id).in_prev_category_id = 10**9  # a category that no longer exists
    session.flush()
    transfers.undo_transfer(session, user_id=alice.user_id, transfer_id=link.id)
    assert _category_state(session, out.id) == (groceries, False, "rule", 0.93, None, None)
    assert _category_state(session, inn.id) == (None, False, None, None, None, None)
    assert session.query(Rule).filter_by(id=rule.id).first() is None
    # "no category", chosen by hand, comes back as that choice
    tx.update_transaction(session, user_id=alice.user_id, transaction_id=inn.id, category_id=None)
    link = transfers.confirm_transfer(session, user_id=alice.user_id, out_transaction_id=out.id,
                                      in_transaction_id=inn.id)
    transfers.undo_transfer(session, user_id=alice.user_id, transfer_id=link.id)
    assert _category_state(session, inn.id) == (None, True, "manual", None, None, None)


def test_a_pair_with_one_row_already_in_the_transfer_category_is_offered(session, alice, two_accounts):
    """QA 2026-12-05: "Move to savings" typed on the Transactions page got the Transfers category from a
    default rule, so the pair was never offered and the money arriving in the savings account counted as
    income. A pair whose two rows are both in a transfer category already is offered too (session 17: left
    unlinked, one account's cash flow never saw the money move; tests/services/test_services_transfers_import.py)."""
    chk, card = two_accounts
    transfer = transfers._transfer_category(session, alice.user_id)
    out = _add(session, alice, chk.id, "500.00", "expense", D, "Move to savings", category_id=transfer)
    inn = _add(session, alice, card.id, "500.00", "income", D, "Money from checking")
    (cand,) = transfers.find_candidates(session, user_id=alice.user_id)
    assert (cand.out_transaction_id, cand.in_transaction_id) == (out.id, inn.id)
    flt = reports.ReportFilter(date_from=D, date_to=D)
    assert reports.summary(session, user_id=alice.user_id, filters=flt).income_minor == 50000
    transfers.confirm_transfer(session, user_id=alice.user_id, out_transaction_id=out.id, in_transaction_id=inn.id)
    assert reports.summary(session, user_id=alice.user_id, filters=flt).income_minor == 0
    assert transfers.find_candidates(session, user_id=alice.user_id) == []

    # both rows already transfers (e.g. a file's own category column): offered as well, with that as evidence
    out2 = _add(session, alice, chk.id, "70.00", "expense", D, "Transfer out", category_id=transfer)
    in2 = _add(session, alice, card.id, "70.00", "income", D, "Transfer in", category_id=transfer)
    (cand,) = transfers.find_candidates(session, user_id=alice.user_id)
    assert (cand.out_transaction_id, cand.in_transaction_id) == (out2.id, in2.id)
    assert "in a transfer category" in cand.reasons


def test_candidates_read_each_row_a_bounded_number_of_times(session, alice, two_accounts):
    """QA session 12: the seed data set (14,000 rows) and a second account kept the Accounts page
    running for over ten minutes: the candidates' SQL self-join visited every pair of the user's
    rows. Counted in SQLite virtual-machine steps (deterministic, no timing): 3,000 rows on each
    side took 180 million steps before, 138 thousand now; reading each side once costs a small multiple of the rows."""
    from sqlalchemy import insert

    from budgetwise.models import Transaction

    chk, card = two_accounts
    if session.get_bind().dialect.name != "sqlite":
        pytest.skip("counts SQLite virtual-machine steps")
    n = 3_000
    rows = [dict(user_id=alice.user_id, date=D + dt.timedelta(days=k % 300), amount_minor=100_000 + k, currency="USD",
                 kind="expense", description=f"shop {k}", account_id=chk.id, fingerprint=f"o{k}") for k in range(n)]
    rows += [dict(user_id=alice.user_id, date=D + dt.timedelta(days=k % 300), amount_minor=900_000 + k, currency="USD",
                  kind="income", description=f"pay {k}", account_id=card.id, fingerprint=f"i{k}") for k in range(n)]
    rows.append(dict(user_id=alice.user_id, date=D, amount_minor=100_000, currency="USD", kind="income",
                     description="card payment", account_id=card.id, fingerprint="pair"))
    session.execute(insert(Transaction), rows)
    session.flush()
    raw = session.connection().connection.driver_connection
    steps = [0]

    def count() -> int:
        steps[0] += 1
        return 0

    raw.set_progress_handler(count, 1_000)
    try:
        found = transfers.find_candidates(session, user_id=alice.user_id)
    finally:
        raw.set_progress_handler(None, 1_000)
    assert [(c.amount_minor, c.out_description, c.in_description) for c in found] == [(100_000, "shop 0", "card payment")]
    assert steps[0] * 1_000 < 200 * (2 * n)  # under 200 steps a row (about 23 now; the self-join took about 30,000 a row)


def test_deleting_one_row_of_a_transfer_gives_the_other_its_own_category_back(session, alice, two_accounts):
    """Browser QA session 13: the foreign key deleted the link with the row, and the row left behind stayed
    a "transfer" without its pair, counted as neither income nor spending. Deleting both rows is fine."""
    from budgetwise.services import categories

    chk, card = two_accounts
    other_income = next(c.id for c in categories.list_categories(session, user_id=alice.user_id)
                        if c.kind == "income")
    out = _add(session, alice, chk.id, "75.00", "expense", D, "MOVE MONEY")
    inn = _add(session, alice, card.id, "75.00", "income", D, "DEPOSIT", category_id=other_income)
    transfers.confirm_transfer(session, user_id=alice.user_id, out_transaction_id=out.id, in_transaction_id=inn.id)
    flt = reports.ReportFilter(date_from=D, date_to=D)
    assert reports.summary(session, user_id=alice.user_id, filters=flt).income_minor == 0
    tx.delete_transactions(session, user_id=alice.user_id, transaction_ids=[out.id])
    left = tx.get_transaction(session, user_id=alice.user_id, transaction_id=inn.id)
    assert left.category_id == other_income
    assert reports.summary(session, user_id=alice.user_id, filters=flt).income_minor == 7500
    assert transfers.list_transfers(session, user_id=alice.user_id) == []
    # both rows of a transfer at once: nothing left behind, no error
    a = _add(session, alice, chk.id, "20.00", "expense", D, "A")
    b = _add(session, alice, card.id, "20.00", "income", D, "B")
    transfers.confirm_transfer(session, user_id=alice.user_id, out_transaction_id=a.id, in_transaction_id=b.id)
    assert tx.delete_transactions(session, user_id=alice.user_id, transaction_ids=[a.id, b.id]) == 2
    assert transfers.list_transfers(session, user_id=alice.user_id) == []


def test_editing_one_row_of_a_transfer_so_the_two_no_longer_match_undoes_it_and_says_so(session, alice, two_accounts):
    """Browser QA session 13: a new amount on one half kept the link with unequal amounts. An edit that
    leaves the two rows one transfer (notes, a date a day later, the same amount typed again) keeps it; one
    that breaks it (amount, date far away, one account) undoes it first, as deleting a half does, and says so."""
    from budgetwise.services import categories

    chk, card = two_accounts
    other_income = next(c.id for c in categories.list_categories(session, user_id=alice.user_id) if c.kind == "income")
    out = _add(session, alice, chk.id, "75.00", "expense", D, "MOVE MONEY")
    inn = _add(session, alice, card.id, "75.00", "income", D, "DEPOSIT", category_id=other_income)
    transfers.confirm_transfer(session, user_id=alice.user_id, out_transaction_id=out.id, in_transaction_id=inn.id)
    kept = tx.update_transaction(session, user_id=alice.user_id, transaction_id=out.id, amount="75.00",
                                 date=D + dt.timedelta(days=1), notes="to savings")
    assert kept.notice is None and len(transfers.list_transfers(session, user_id=alice.user_id)) == 1

    edited = tx.update_transaction(session, user_id=alice.user_id, transaction_id=out.id, amount="80.00")
    assert edited.amount_minor == 8000
    assert "the amounts differ ($80.00 out, $75.00 in), so the transfer is undone" in (edited.notice or "")
    assert "“DEPOSIT”" in (edited.notice or "") and "Checking → Card" in (edited.notice or "")
    assert transfers.list_transfers(session, user_id=alice.user_id) == []
    assert tx.get_transaction(session, user_id=alice.user_id, transaction_id=inn.id).category_id == other_income

    # the date and the account, each on its own; a category chosen in the same edit is the one kept
    groceries = next(c.id for c in categories.list_categories(session, user_id=alice.user_id) if c.kind == "expense")
    for change, reason in ((dict(date=D + dt.timedelta(days=30)), "30 days apart (more than 14)"),
                           (dict(account_id=card.id, category_id=groceries), "both rows are in one account (Card)")):
        a = _add(session, alice, chk.id, "20.00", "expense", D, "A")
        b = _add(session, alice, card.id, "20.00", "income", D, "B")
        transfers.confirm_transfer(session, user_id=alice.user_id, out_transaction_id=a.id, in_transaction_id=b.id)
        view = tx.update_transaction(session, user_id=alice.user_id, transaction_id=a.id, **change)
        assert reason in (view.notice or "") and transfers.list_transfers(session, user_id=alice.user_id) == []
    assert view.account_id == card.id and view.category_id == groceries


def test_moving_a_row_to_another_account_stays_within_the_users_open_accounts(session, alice, bob, two_accounts):
    """The edit's account: one of the user's own open accounts (another user's reads as missing); the row
    keeps its currency; the account filter never shows another user's rows."""
    from budgetwise.services import accounts as acc

    chk, card = two_accounts
    row = _add(session, alice, chk.id, "9.00", "expense", D, "EUR lunch", currency="EUR")
    bobs = acc.create_account(session, user_id=bob.user_id, name="Bob's")
    _add(session, bob, bobs.id, "1.00", "expense", D, "bob's row")
    with pytest.raises(NotFoundError):
        tx.update_transaction(session, user_id=alice.user_id, transaction_id=row.id, account_id=bobs.id)
    moved = tx.update_transaction(session, user_id=alice.user_id, transaction_id=row.id, account_id=card.id)
    assert (moved.account_id, moved.currency, moved.amount_minor, moved.notice) == (card.id, "EUR", 900, None)
    flt = tx.TransactionFilter(account_ids=(card.id, bobs.id))
    assert [r.id for r in tx.list_transactions(session, user_id=alice.user_id, filters=flt).rows] == [row.id]
    assert tx.list_transactions(session, user_id=alice.user_id, filters=tx.TransactionFilter(account_ids=(chk.id,))).rows == []
    acc.archive_account(session, user_id=alice.user_id, account_id=chk.id)
    with pytest.raises(ValidationError, match="archived"):
        tx.update_transaction(session, user_id=alice.user_id, transaction_id=row.id, account_id=chk.id)


def _accounts3(session, alice):
    chk = accounts.create_account(session, user_id=alice.user_id, name="Checking")
    sav = accounts.create_account(session, user_id=alice.user_id, name="Savings", kind="savings")
    card = accounts.create_account(session, user_id=alice.user_id, name="Visa", kind="credit_card")
    return chk, sav, card


def test_coincidences_of_the_same_amount_are_not_offered_as_transfers(session, alice):
    """Session 14's new user saw 45 candidates, mostly same-amount coincidences. A grocery spend and a salary
    part, a card purchase and a refund, two unrelated 20.00 rows: none is offered; the real moves are."""
    chk, sav, card = _accounts3(session, alice)
    _add(session, alice, chk.id, "63.17", "expense", D, "GROCER 12")
    _add(session, alice, sav.id, "63.17", "income", D + dt.timedelta(days=1), "ACME PAYROLL PART 2")
    _add(session, alice, card.id, "41.90", "expense", D, "THAI BASIL")
    _add(session, alice, chk.id, "41.90", "income", D, "EBAY SALE")
    _add(session, alice, chk.id, "20.00", "expense", D, "BIRTHDAY GIFT")
    gift_back = _add(session, alice, sav.id, "20.00", "income", D + dt.timedelta(days=1), "DEPOSIT")
    out = _add(session, alice, chk.id, "500.00", "expense", D, "TRANSFER TO SAVINGS ACCOUNT")
    inn = _add(session, alice, sav.id, "500.00", "income", D, "TRANSFER FROM CHECKING")
    pay = _add(session, alice, chk.id, "812.44", "expense", D, "ONLINE PAYMENT VISA")
    paid = _add(session, alice, card.id, "812.44", "income", D + dt.timedelta(days=2), "PAYMENT THANK YOU")
    found = transfers.find_candidates(session, user_id=alice.user_id)
    likely = {(c.out_transaction_id, c.in_transaction_id) for c in found if c.level == "likely"}
    assert likely == {(out.id, inn.id), (pay.id, paid.id)}
    # the 20.00 with no evidence either way is only a "maybe"; the refund-like and card-purchase pairs not at all
    assert [c.in_transaction_id for c in found if c.level == "maybe"] == [gift_back.id]
    assert all(c.points >= transfers.evidence.LIKELY and c.reasons for c in found if c.level == "likely")


def test_each_row_goes_to_its_best_pair_not_the_closest(session, alice):
    """One-to-one matching, best evidence first: the 300.00 arriving in savings two days later with transfer
    words wins over a same-day 300.00 refund on the card."""
    chk, sav, card = _accounts3(session, alice)
    out = _add(session, alice, chk.id, "300.00", "expense", D, "TRANSFER TO SAVINGS")
    _add(session, alice, card.id, "300.00", "income", D, "MERCHANT REFUND")
    inn = _add(session, alice, sav.id, "300.00", "income", D + dt.timedelta(days=2), "TRANSFER FROM CHECKING")
    (cand,) = transfers.find_candidates(session, user_id=alice.user_id)
    assert (cand.out_transaction_id, cand.in_transaction_id, cand.level) == (out.id, inn.id, "likely")


def test_two_rows_of_one_card_never_and_card_spending_is_not_a_transfer_out(session, alice):
    chk, _sav, card = _accounts3(session, alice)
    _add(session, alice, card.id, "75.10", "expense", D, "AIRLINE")
    _add(session, alice, card.id, "75.10", "income", D, "AIRLINE REFUND")  # one account: never a pair
    _add(session, alice, card.id, "33.00", "expense", D, "BOOKSHOP")
    _add(session, alice, chk.id, "33.00", "income", D, "DEPOSIT")  # out of a card: a purchase
    assert transfers.find_candidates(session, user_id=alice.user_id) == []


def test_transfers_confirmed_between_two_accounts_make_a_plain_pair_between_them_likely(session, alice):
    """A channel: after three confirmed moves Checking → Savings, a fourth with neutral texts (but an exact
    large amount) is offered as likely; the same pair the other way round stays a "maybe"."""
    chk, sav, _card = _accounts3(session, alice)
    for k in range(3):
        o = _add(session, alice, chk.id, f"2{k}3.45", "expense", D.replace(month=k + 1), f"ONLINE BANKING {k}")
        i = _add(session, alice, sav.id, f"2{k}3.45", "income", D.replace(month=k + 1), "CREDIT")
        (c,) = transfers.find_candidates(session, user_id=alice.user_id)
        assert c.level == "maybe"
        transfers.confirm_transfer(session, user_id=alice.user_id, out_transaction_id=o.id, in_transaction_id=i.id)
    out = _add(session, alice, chk.id, "317.20", "expense", D.replace(month=5), "ONLINE BANKING 9")
    _add(session, alice, sav.id, "317.20", "income", D.replace(month=5), "CREDIT")
    back = _add(session, alice, sav.id, "288.10", "expense", D.replace(month=6), "ONLINE BANKING 7")
    _add(session, alice, chk.id, "288.10", "income", D.replace(month=6), "CREDIT")
    found = {c.out_transaction_id: c for c in transfers.find_candidates(session, user_id=alice.user_id)}
    assert found[out.id].level == "likely" and "these accounts often exchange transfers" in found[out.id].reasons
    assert found[back.id].level == "maybe"


def test_a_channel_counts_transfers_not_overlapping_pairs_of_the_same_rows(session, alice):
    """The channel is "at least three *other* transfers between the two accounts" (docs/accounts.md). Two real
    moves of 500.00 two days apart make four same-amount pairs (each out row with each in row), all likely on
    their own words; they are two transfers, not four, so a plain pair between the same accounts gets no channel
    points and stays a "maybe" (review15: each overlapping pair was counted as a transfer)."""
    chk, sav, _card = _accounts3(session, alice)
    for day in (D, D + dt.timedelta(days=2)):
        _add(session, alice, chk.id, "500.00", "expense", day, "TRANSFER TO SAVINGS")
        _add(session, alice, sav.id, "500.00", "income", day, "TRANSFER FROM CHECKING")
    out = _add(session, alice, chk.id, "317.20", "expense", D.replace(month=5), "ONLINE BANKING 9")
    _add(session, alice, sav.id, "317.20", "income", D.replace(month=5), "CREDIT")
    found = {c.out_transaction_id: c for c in transfers.find_candidates(session, user_id=alice.user_id)}
    assert sum(c.level == "likely" for c in found.values()) == 2
    assert found[out.id].level == "maybe"
    assert "these accounts often exchange transfers" not in found[out.id].reasons


def _confirm_pairs(session, alice, pairs):
    """Confirm one transfer per (out account, in account, amount, day); returns the links, in that order."""
    links = []
    for out_acc, in_acc, amount, day in pairs:
        out = _add(session, alice, out_acc.id, amount, "expense", day, "TRANSFER OUT")
        inn = _add(session, alice, in_acc.id, amount, "income", day + dt.timedelta(days=1), "TRANSFER IN")
        links.append(transfers.confirm_transfer(session, user_id=alice.user_id, out_transaction_id=out.id,
                                                in_transaction_id=inn.id))
    return links


def test_a_page_of_confirmed_transfers_filtered_by_account_and_month(session, alice, two_accounts):
    """Session 16 (demoacct): the Accounts page listed the 20 newest transfers, each a line with its Undo. The
    table reads one page at a time, newest date first, filtered by account (either side) and month."""
    chk, card = two_accounts
    sav = accounts.create_account(session, user_id=alice.user_id, name="Savings", kind="savings")
    days = [dt.date(2025, 1, 5) + dt.timedelta(days=20 * i) for i in range(12)]  # Jan 5 .. Aug 13, 2025
    links = _confirm_pairs(session, alice, [(chk, card if i % 3 == 0 else sav, f"{100 + i}.00", d)
                                            for i, d in enumerate(days)])
    first = transfers.transfer_page(session, user_id=alice.user_id, page_size=5)
    assert (first.total, first.pages, first.page) == (12, 3, 1)
    assert [t.id for t in first.rows] == [link.id for link in reversed(links)][:5]
    newest = first.rows[0]
    assert (newest.date, newest.in_date, newest.out_account, newest.in_account, newest.amount_minor) == (
        days[-1], days[-1] + dt.timedelta(days=1), "Checking", "Savings", 11100)
    assert (newest.out_description, newest.in_description) == ("TRANSFER OUT", "TRANSFER IN")
    assert first.months == tuple(dt.date(2025, m, 1) for m in (8, 7, 6, 5, 4, 3, 2, 1))
    last = transfers.transfer_page(session, user_id=alice.user_id, page=99, page_size=5)  # kept within the pages
    assert (last.page, [t.date for t in last.rows]) == (3, days[1::-1])
    to_card = transfers.transfer_page(session, user_id=alice.user_id, account_id=card.id)
    assert [t.date for t in to_card.rows] == [days[9], days[6], days[3], days[0]] and to_card.total == 4
    assert to_card.months == (dt.date(2025, 7, 1), dt.date(2025, 5, 1), dt.date(2025, 3, 1), dt.date(2025, 1, 1))
    march = transfers.transfer_page(session, user_id=alice.user_id, month=dt.date(2025, 3, 17))
    assert [t.date for t in march.rows] == [dt.date(2025, 3, 26), dt.date(2025, 3, 6)] and march.total == 2
    empty = transfers.transfer_page(session, user_id=alice.user_id, account_id=card.id, month=dt.date(2025, 2, 1))
    assert (empty.rows, empty.total, empty.pages, empty.page) == ((), 0, 1, 1)
    with pytest.raises(ValidationError, match="page size must be 1 to 100"):
        transfers.transfer_page(session, user_id=alice.user_id, page_size=0)
    # the links in the order they were confirmed, as before (the newest confirmation first)
    assert [t.id for t in transfers.list_transfers(session, user_id=alice.user_id, limit=3)] == [
        link.id for link in links[::-1][:3]]


def test_a_page_of_transfers_never_shows_another_users(session, alice, bob, two_accounts):
    chk, card = two_accounts
    _confirm_pairs(session, alice, [(chk, card, "300.00", D)])
    bobs = [accounts.create_account(session, user_id=bob.user_id, name=n) for n in ("Bob checking", "Bob card")]
    other = transfers.transfer_page(session, user_id=bob.user_id, account_id=chk.id)  # alice's account id
    assert (other.rows, other.total, other.months) == ((), 0, ())
    assert transfers.transfer_page(session, user_id=bob.user_id).total == 0
    assert bobs and transfers.transfer_page(session, user_id=alice.user_id, account_id=chk.id).total == 1
