"""Demo mode: every "Explore the demo" click gets a private, temporary account of its own."""

import dataclasses
import datetime as dt

import pytest
from sqlalchemy import func, select

from budgetwise.errors import ConflictError, ValidationError
from budgetwise.models import Base, Transaction, User
from budgetwise.services import auth, demo, profile
from tests.conftest import STRONG_PASSWORD, create_user


def _demo_settings(db, **changes):
    return dataclasses.replace(db.settings, demo=True, **changes)


def _rows(session, user_id: int) -> int:
    return session.scalar(select(func.count()).select_from(Transaction).where(Transaction.user_id == user_id)) or 0


def _seeded() -> int:
    """The rows of a demo account: the generated history (its interest in Savings) and the Savings credits."""
    rows = demo.generate()
    return len(demo.checking_rows(rows)) + len(demo.savings_rows(rows, end=dt.date.today()))


def _age(session, user_id: int, hours: float, *, idle: bool = False) -> None:
    """Made ``hours`` ago; ``idle``: also last used then (else in use now: the flush sets ``updated_at``)."""
    user = session.get(User, user_id)
    user.created_at = dt.datetime.now(dt.UTC) - dt.timedelta(hours=hours)
    session.flush()
    if idle:
        user.updated_at = user.created_at
        session.flush()


def test_a_visitor_gets_an_own_seeded_account_that_is_never_admin_nor_the_first(db, session):
    visitor = demo.create_visitor_account(session, settings=_demo_settings(db))
    assert visitor.email.endswith("@" + auth.DEMO_DOMAIN) and visitor.role == "user"
    assert _rows(session, visitor.user_id) == _seeded()  # the same ~2 years as `budgetwise demo`
    host = create_user(session, db.settings, "host@example.com", "Host")
    assert host.role == "admin"  # demo accounts never count as the first account


def test_two_visitors_never_see_each_other(db, session):
    settings = _demo_settings(db)
    first = demo.create_visitor_account(session, settings=settings)
    second = demo.create_visitor_account(session, settings=settings)
    assert first.user_id != second.user_id and first.email != second.email
    session.execute(Transaction.__table__.delete().where(Transaction.user_id == first.user_id))  # visitor 1 deletes all
    assert _rows(session, first.user_id) == 0
    assert _rows(session, second.user_id) == _seeded()


def test_expired_demo_accounts_are_deleted_with_everything_they_own(db, session):
    settings = _demo_settings(db, demo_hours=24)
    alice = create_user(session, db.settings)
    old = demo.create_visitor_account(session, settings=settings)
    fresh = demo.create_visitor_account(session, settings=settings)
    _age(session, old.user_id, 25)
    _age(session, alice.user_id, 1000)  # a real account is never touched, however old
    cleanup = demo.purge_demo_accounts(session, settings=settings)
    assert cleanup == demo.DemoCleanup(expired=1, over_cap=0)
    assert session.get(User, old.user_id) is None
    for table in Base.metadata.sorted_tables:  # nothing of the expired visitor is left anywhere
        if "user_id" in table.c:
            left = session.scalar(select(func.count()).select_from(table).where(table.c.user_id == old.user_id))
            assert left == 0, table.name
    assert session.get(User, fresh.user_id) is not None and session.get(User, alice.user_id) is not None


def test_the_cap_removes_the_least_recently_used_idle_demo_accounts(db, session):
    settings = _demo_settings(db, demo_max_accounts=2)
    made = []
    for hours in (3, 1, 2):  # made 3, 1 and 2 hours ago; each last used then (session 27: in use, none is deleted)
        made.append(demo.create_visitor_account(session, settings=settings, seed=1))
        _age(session, made[-1].user_id, hours, idle=True)
    newest = demo.create_visitor_account(session, settings=settings, seed=1)
    alive = {uid for (uid,) in session.execute(select(User.id).where(User.email.like("%@" + auth.DEMO_DOMAIN)))}
    assert alive == {made[1].user_id, newest.user_id}


def test_demo_accounts_need_demo_mode_and_cannot_change_email_or_password(db, session):
    with pytest.raises(ConflictError):
        demo.create_visitor_account(session, settings=db.settings)
    visitor = demo.create_visitor_account(session, settings=_demo_settings(db))
    with pytest.raises(ValidationError, match="demo account cannot"):
        profile.change_password(session, user_id=visitor.user_id, current_password="x", new_password=STRONG_PASSWORD,
                                settings=db.settings)
    with pytest.raises(ValidationError, match="reserved for demo"):
        create_user(session, db.settings, "me@" + auth.DEMO_DOMAIN, "Me")


def test_a_visitor_who_logs_out_takes_the_account_and_its_data_along(db, session):
    settings = _demo_settings(db)
    alice = create_user(session, db.settings)
    visitor = demo.create_visitor_account(session, settings=settings)
    other = demo.create_visitor_account(session, settings=settings)
    assert not demo.end_visit(session, principal=alice)  # a person's account: nothing happens
    assert demo.end_visit(session, principal=visitor)
    assert session.get(User, visitor.user_id) is None and _rows(session, visitor.user_id) == 0
    assert _rows(session, other.user_id) == _seeded()  # another visitor's stays
    assert session.get(User, alice.user_id) is not None


def test_admin_lists_and_counts_visitors_apart_from_real_users(db, session):
    """Up to 200 visitor accounts must not bury the household's own ones on the admin's Users page."""
    from budgetwise.services import admin

    settings = _demo_settings(db)
    host = create_user(session, db.settings, "host@example.com", "Host")
    demo.create_demo_account(session, settings=settings, email="demo@budgetwise.app", months=1)
    for _ in range(2):
        demo.create_demo_account(session, settings=settings, email=f"visitor-{_}@{auth.DEMO_DOMAIN}", months=1)
    listed = admin.list_users(session, principal=host)
    assert [r.email for r in listed.rows] == ["demo@budgetwise.app", "host@example.com"] and listed.total == 2
    assert admin.list_users(session, principal=host, search="visitor").total == 0
    assert admin.list_users(session, principal=host, include_visitors=True).total == 4
    assert admin.list_users(session, principal=host, search="visitor", include_visitors=True).total == 2
    assert admin.visitor_count(session, principal=host) == 2
    totals = admin.system_totals(session, principal=host)
    assert (totals.users, totals.active_users, totals.demo_accounts) == (2, 2, 2)


def test_demo_income_lands_in_income_categories_seeded_and_imported(db, session):
    """Session 13 check (reported: the demo's investment income ended up under Transfers): every generated
    category names a default category of the row's kind (income rows an income category: Salary,
    Investment Income, Refunds; only the transfer to savings in Transfers), when seeded (`budgetwise demo`,
    the dashboard's "Load demo data") and when its CSV (`budgetwise demo --csv`) is imported with its labels."""
    from budgetwise.importing import ImportOptions
    from budgetwise.models import Category
    from budgetwise.services import exports
    from budgetwise.services import importing as svc

    rows = demo.generate(months=24, end=dt.date(2026, 11, 30))
    defaults = dict(session.execute(select(Category.name, Category.kind).where(Category.user_id.is_(None))).all())
    assert {r.category for r in rows} <= set(defaults)  # no name that finds no category (left uncategorized)
    for r in rows:
        assert defaults[r.category] == ("transfer" if r.description == "TRANSFER TO SAVINGS ACCOUNT" else r.kind), r

    def income(user_id: int) -> dict[str, set[tuple[str, str]]]:
        found: dict[str, set[tuple[str, str]]] = {}
        for desc, name, kind in session.execute(
            select(Transaction.description, Category.name, Category.kind)
            .join(Category, Category.id == Transaction.category_id, isouter=True)
            .where(Transaction.user_id == user_id, Transaction.kind == "income")
        ):
            found.setdefault(desc, set()).add((name, kind))
        return found

    expected: dict[str, set[tuple[str, str]]] = {}
    for r in rows:
        if r.kind == "income":
            expected.setdefault(r.description, set()).add((r.category, "income"))
    assert expected["INTEREST PAYMENT SAVINGS"] == {("Investment Income", "income")}
    assert expected["ACME CORP PAYROLL SALARY"] == {("Salary", "income")}
    seeded = create_user(session, db.settings, "seeded@example.com", "Seeded")
    demo.seed_transactions(session, user_id=seeded.user_id, rows=rows)
    assert income(seeded.user_id) == expected
    imported = create_user(session, db.settings, "imported@example.com", "Imported")
    data = exports.to_csv_bytes(demo.to_frame(rows))
    svc.commit_import(session, user_id=imported.user_id, data=data, filename="demo_transactions.csv",
                      options=ImportOptions(learn_from_labels=True))
    assert income(imported.user_id) == expected


DAY = dt.date(2026, 12, 5)


def test_generate_stays_bit_identical():
    """Benchmarks use generate()'s histories: the Savings account is added when seeding, never here
    (the digest is main's before session 15's demoacct change)."""
    import hashlib

    digest = hashlib.sha256()
    for seed in (1, 42):
        for months in (3, 24, 36):
            digest.update(repr(demo.generate(end=DAY, months=months, seed=seed)).encode())
    assert digest.hexdigest() == "c517c4cf45823815e09d652cf1c0da9a88308e0a88ad414e6682300f20617e18"


def test_the_demo_has_a_savings_account_fed_by_confirmed_transfers_and_one_offer(db, session):
    from budgetwise.services import accounts, transfers

    principal, count = demo.create_demo_account(session, settings=db.settings, today=DAY)
    uid = principal.user_id
    rows = demo.generate(end=DAY)
    credits = [r for r in demo.savings_rows(rows, end=DAY) if r.description == demo.TRANSFER_IN]
    outs = [r for r in rows if r.description == demo.TRANSFER_OUT]
    interest = [r for r in rows if r.description == demo.INTEREST]
    assert len(credits) == len(outs) == len(interest) == 23 and count == len(rows) + 23
    assert all(c.date == o.date + dt.timedelta(days=1) and c.amount == o.amount for c, o in zip(credits, outs, strict=True))
    views = {a.name: a for a in accounts.list_accounts(session, user_id=uid)}
    assert {n: a.kind for n, a in views.items()} == {"Checking": "checking", "Savings": "savings"}
    assert (views["Savings"].opening_balance_minor, views["Savings"].opening_date) == (250000, rows[0].date)
    snapshot = accounts.balances(session, user_id=uid, as_of=DAY)
    balance = {b.account.name: b.balance_minor for b in snapshot.accounts}
    # session 16: the savings interest (23 payments, 113.25 in all) is in Savings, no longer in Checking
    assert sum(int(r.amount * 100) for r in interest) == 11325
    assert balance == {"Checking": 461970, "Savings": 250000 + 23 * 50000 + 11325}
    assert snapshot.total_minor == 1873295  # net worth as before the interest moved (473,295 + 1,400,000)
    assert len(transfers.list_transfers(session, user_id=uid)) == 22
    offers = transfers.find_candidates(session, user_id=uid)  # the interest is paired with nothing in Checking
    assert [(c.out_date, c.in_date, c.out_account, c.in_account, c.amount_minor, c.level) for c in offers] == [
        (dt.date(2026, 11, 26), dt.date(2026, 11, 27), "Checking", "Savings", 50000, "likely")]


def test_the_savings_interest_is_paid_into_savings_and_still_counts_as_investment_income(db, session):
    """Session 16: "INTEREST PAYMENT SAVINGS" was seeded in Checking; the savings account pays it. It stays
    income in "Investment Income" (the same total), and generate() keeps its rows (benchmarks)."""
    from budgetwise.models import Account, Category

    principal, _count = demo.create_demo_account(session, settings=db.settings, today=DAY)
    found = session.execute(
        select(Account.name, Category.name, func.count(), func.sum(Transaction.amount_minor))
        .join(Account, Account.id == Transaction.account_id).join(Category, Category.id == Transaction.category_id)
        .where(Transaction.user_id == principal.user_id, Transaction.description == demo.INTEREST,
               Transaction.kind == "income")
        .group_by(Account.name, Category.name)).all()
    assert [tuple(r) for r in found] == [("Savings", "Investment Income", 23, 11325)]
    assert [r.account for r in demo.generate(end=DAY) if r.description == demo.INTEREST] == ["Checking"] * 23


def test_the_savings_account_changes_no_spending_and_confirming_the_offer_restores_every_total(db, session):
    """Transfers never count: while the newest pair is offered its credit counts as income (+500.00 that
    month, what confirming it is for); once confirmed, every total equals the old demo's, all in Checking
    (the generated history seeded as it is: what "Load demo data" did before session 16)."""
    from budgetwise.services import reports, transfers

    old = create_user(session, db.settings, "old@example.com", "Old")
    demo.seed_transactions(session, user_id=old.user_id, rows=demo.generate(end=DAY))
    new, _ = demo.create_demo_account(session, settings=db.settings, email="new@example.com", today=DAY)

    def figures(uid: int):
        s = reports.summary(session, user_id=uid)
        return (s.income_minor, s.expense_minor, reports.monthly_totals(session, user_id=uid).to_dict("records"),
                reports.monthly_totals(session, user_id=uid, kind="income").to_dict("records"))

    before, pending = figures(old.user_id), figures(new.user_id)
    assert pending[1:3] == before[1:3]  # spending: identical
    assert pending[0] == before[0] + 50000
    (offer,) = transfers.find_candidates(session, user_id=new.user_id)
    transfers.confirm_transfer(session, user_id=new.user_id, out_transaction_id=offer.out_transaction_id,
                               in_transaction_id=offer.in_transaction_id)
    assert figures(new.user_id) == before


def _demo_state(session, user_id: int) -> dict:
    """What a demo user has, by name (ids differ between users): accounts, balances, transfers, offers, goals."""
    from budgetwise.services import accounts, goals, transfers

    snap = accounts.balances(session, user_id=user_id, as_of=DAY)
    return {
        "accounts": [(b.account.name, b.account.kind, b.account.currency, b.account.opening_balance_minor,
                      b.account.opening_date, b.balance_minor, b.transactions) for b in snap.accounts],
        "net worth": snap.total_minor,
        "transfers": sorted((t.date, t.out_account, t.in_account, t.amount_minor)
                            for t in transfers.list_transfers(session, user_id=user_id, limit=1000)),
        "offers": [(c.out_date, c.out_account, c.in_account, c.amount_minor, c.level)
                   for c in transfers.find_candidates(session, user_id=user_id)],
        "goals": [(g.name, g.target_minor, g.target_date, g.account_name, g.saved_minor)
                  for g in goals.list_goals(session, user_id=user_id, today=DAY)],
    }


def test_load_demo_data_gives_a_registered_user_the_cli_demo(db, session, alice):
    """Session 16: the dashboard's "Load demo data" seeded Checking only (it called seed_transactions itself);
    it now goes through seed_demo like `budgetwise demo`: the same accounts, balances, transfers, offer and
    savings goal linked to Savings."""
    cli, _count = demo.create_demo_account(session, settings=db.settings, today=DAY)
    seeded = demo.load_demo_data(session, user_id=alice.user_id, today=DAY)
    assert seeded == demo.DemoSeed(884, ("Checking", "Savings"), 22, 1, seeded.goal_id) and seeded.goal_id
    state = _demo_state(session, alice.user_id)
    assert state == _demo_state(session, cli.user_id)
    assert state["goals"] == [("Emergency fund", 2000000, dt.date(2027, 12, 1), "Savings", 1411325)]
    assert [a[0] for a in state["accounts"]] == ["Checking", "Savings"]  # the starter "Main account" made way


def test_load_demo_data_twice_or_beside_clashing_names_is_refused_and_writes_nothing(db, session, alice, bob):
    from budgetwise.services import accounts, goals

    demo.load_demo_data(session, user_id=alice.user_id, today=DAY)
    before = _demo_state(session, alice.user_id)
    with pytest.raises(ConflictError, match="You already have transactions"):
        demo.load_demo_data(session, user_id=alice.user_id, today=DAY)
    assert _demo_state(session, alice.user_id) == before and _rows(session, alice.user_id) == 884
    accounts.create_account(session, user_id=bob.user_id, name="savings", kind="savings")
    with pytest.raises(ConflictError, match="you already have “savings”: rename it on the Accounts page"):
        demo.load_demo_data(session, user_id=bob.user_id, today=DAY)
    accounts.rename_account(session, user_id=bob.user_id, account_id=accounts.find_account(
        session, user_id=bob.user_id, name="savings").id, name="Rainy day")
    goals.create_goal(session, user_id=bob.user_id, name="EMERGENCY FUND", target="100", target_date=DAY.replace(year=2027),
                      today=DAY)
    with pytest.raises(ConflictError, match="the goal “Emergency fund”, and you already have one"):
        demo.load_demo_data(session, user_id=bob.user_id, today=DAY)
    assert _rows(session, bob.user_id) == 0
    # a savings account added by hand stays beside the starter (session 24), which the refusals leave as it was
    assert [a.name for a in accounts.list_accounts(session, user_id=bob.user_id)] == ["Main account", "Rainy day"]


def test_load_demo_data_is_all_or_nothing(db, session, alice, monkeypatch):
    """A failure half-way (here the goal's link, the last step) leaves nothing of the demo behind, even for a
    caller that goes on with the session: the seeding runs in a savepoint."""
    from budgetwise.errors import BudgetwiseError
    from budgetwise.models import Goal, TransferLink
    from budgetwise.services import accounts, goal_accounts

    def fail(*_a, **_k):
        raise BudgetwiseError("broken on purpose")

    monkeypatch.setattr(goal_accounts, "link_account", fail)
    with pytest.raises(BudgetwiseError, match="broken on purpose"):
        demo.load_demo_data(session, user_id=alice.user_id, today=DAY)
    assert _rows(session, alice.user_id) == 0
    assert [a.name for a in accounts.list_accounts(session, user_id=alice.user_id)] == ["Main account"]
    for model in (Goal, TransferLink):
        assert session.scalar(select(func.count(model.id)).where(model.user_id == alice.user_id)) == 0
    monkeypatch.undo()
    assert demo.load_demo_data(session, user_id=alice.user_id, today=DAY).transactions == 884  # session still usable


def test_load_demo_data_follows_the_users_currency_when_it_has_cents(db, session, alice, bob):
    from budgetwise.models import User
    from budgetwise.services import accounts

    session.get(User, alice.user_id).currency = "EUR"
    session.get(User, bob.user_id).currency = "JPY"  # no cents: the demo's amounts are in USD, as before
    session.flush()
    euro = demo.load_demo_data(session, user_id=alice.user_id, today=DAY)
    yen = demo.load_demo_data(session, user_id=bob.user_id, today=DAY)
    assert {a.currency for a in accounts.list_accounts(session, user_id=alice.user_id)} == {"EUR"} and euro.goal_id
    assert {a.currency for a in accounts.list_accounts(session, user_id=bob.user_id)} == {"USD"}
    assert yen.goal_id is None and yen.transfers == 22  # a JPY goal would follow a USD account through a rate


def test_the_demo_csv_holds_the_rows_of_both_accounts_as_seeded(db, session, tmp_path, capsys):
    """`budgetwise demo --csv` wrote generate()'s single-account rows (the interest in Checking, no Savings credit)
    while `budgetwise demo` seeds Checking and Savings: the file now has the seeded rows, each in its account
    (session 17, cfacct); what a CSV cannot carry (the opening balance, the confirmed transfers) is said."""
    import pandas as pd

    from budgetwise.cli import main
    from budgetwise.models import Account

    path = tmp_path / "demo.csv"
    assert main(["demo", "--csv", str(path), "--months", "6", "--seed", "7"]) == 0
    said = capsys.readouterr().out
    frame = pd.read_csv(path, dtype=str, keep_default_na=False)
    user = create_user(session, db.settings, "seeded@example.com", "Seeded")
    seeded = demo.seed_demo(session, user_id=user.user_id, today=dt.date.today(), months=6, seed=7)
    stored = session.execute(select(Transaction.date, Transaction.description, Transaction.amount_minor,
                                    Transaction.kind, Account.name)
                             .join(Account, Account.id == Transaction.account_id)
                             .where(Transaction.user_id == user.user_id)).all()
    written = [(dt.date.fromisoformat(r.date), r.description, int(r.amount.replace(".", "")), r.type, r.account)
               for r in frame.itertuples()]
    assert sorted(written) == sorted(tuple(r) for r in stored) and len(frame) == seeded.transactions
    assert set(frame["account"]) == {"Checking", "Savings"}
    assert set(frame.loc[frame["description"] == demo.INTEREST, "account"]) == {"Savings"}
    assert set(frame.loc[frame["description"] == demo.TRANSFER_IN, "account"]) == {"Savings"}
    assert f"Wrote {len(frame)} generated transactions (Checking and Savings) to {path}." in said
    assert "no opening balance" in said and "no confirmed transfer pair" in said


def test_one_client_clicking_in_a_loop_replaces_its_own_demo_accounts_not_everyone_elses(db, session, monkeypatch):
    """Session 20 (sec2): at the cap every new visitor account evicted the oldest, so one client's ~200 clicks
    emptied the demo of every other visitor. Now one address holds at most ``demo.client_share`` live accounts and
    its next click recycles its own idle ones first (session 27: never one in use); other visitors keep theirs, and
    the cap holds."""
    monkeypatch.setattr(demo, "DEMOS_PER_CLIENT", 2)
    settings = _demo_settings(db, demo_max_accounts=4)
    honest = [demo.create_visitor_account(session, settings=settings, client=f"192.0.2.{n}") for n in (1, 2)]
    for p in honest:
        _age(session, p.user_id, 2, idle=True)  # idle: still not the looping client's to recycle
    mine = []
    for _ in range(6):
        mine.append(demo.create_visitor_account(session, settings=settings, client="203.0.113.66"))
        _age(session, mine[-1].user_id, 1, idle=True)  # a script that never uses them
    alive = {uid for (uid,) in session.execute(select(User.id).where(User.email.like("%@" + auth.DEMO_DOMAIN)))}
    assert {p.user_id for p in honest} <= alive  # the honest visitors' accounts survive
    assert alive == {p.user_id for p in honest} | {mine[-2].user_id, mine[-1].user_id}  # the client's newest two
    # without an address (command line): only the cap applies, as before (an idle account makes room)
    demo.create_visitor_account(session, settings=settings)
    assert session.scalar(select(func.count()).select_from(User).where(User.email.like("%@" + auth.DEMO_DOMAIN))) == 4


def test_one_client_makes_at_most_so_many_demo_accounts_an_hour(db, session, monkeypatch):
    """Session 21 (sec21): the live cap per client recycled a looping client's accounts, but every click still made
    one (about a quarter of a second of CPU each) without limit. One address (an IPv6 /64) now makes at most
    ``demo.DEMOS_PER_CLIENT_PER_HOUR``, counted from rows that outlive the recycled accounts; another address is not
    affected, and an hour later the client may again."""
    from budgetwise.errors import AccountLocked

    monkeypatch.setattr(demo, "DEMOS_PER_CLIENT", 2)
    monkeypatch.setattr(demo, "DEMOS_PER_CLIENT_PER_HOUR", 3)
    settings = _demo_settings(db, demo_max_accounts=10)
    for n in range(3):
        demo.create_visitor_account(session, settings=settings, client=f"2001:db8:5:5::{n + 1}")
    with pytest.raises(AccountLocked, match=r"Too many demo accounts from your network: at most 3 an hour\. "
                                            r"Try again in \d+ minutes?\."):
        demo.create_visitor_account(session, settings=settings, client="2001:db8:5:5::99")
    demo.create_visitor_account(session, settings=settings, client="192.0.2.7")  # another client
    later = auth.utcnow() + dt.timedelta(hours=1, minutes=1)
    monkeypatch.setattr(demo, "utcnow", lambda: later)
    demo.create_visitor_account(session, settings=settings, client="2001:db8:5:5::99")
