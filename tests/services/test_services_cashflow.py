"""Cash-flow forecast (issue #19): the pure projection, what-if checks, and the database path."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

import pandas as pd
import pytest

from budgetwise.errors import NotFoundError, ValidationError
from budgetwise.services import accounts, cashflow
from budgetwise.services import transactions as tx
from budgetwise.services.cashflow import KnownItem, VariableMonth

START = dt.date(2026, 1, 15)


def test_known_items_land_on_their_dates_and_the_answers_follow():
    p = cashflow.project(
        currency="USD", start=START, start_balance_minor=100_000, horizon_months=2,
        known=[KnownItem(dt.date(2026, 2, 1), -120_000, "rent", "monthly"),
               KnownItem(dt.date(2026, 1, 30), 250_000, "salary", "monthly")],
    )
    bal = {d.date: d.balance_minor for d in p.days}
    assert p.days[0].date == dt.date(2026, 1, 16) and p.days[-1].date == dt.date(2026, 3, 15)
    assert bal[dt.date(2026, 1, 29)] == 100_000 and bal[dt.date(2026, 1, 30)] == 350_000
    assert bal[dt.date(2026, 2, 1)] == 230_000 and bal[dt.date(2026, 3, 1)] == 360_000
    assert p.lowest_minor == 100_000 and p.lowest_date == dt.date(2026, 1, 16)
    assert p.next_income_date == dt.date(2026, 1, 30)
    assert p.chance_below == 0.0
    assert p.safe_per_day_minor == 100_000 // 14  # 14 days until payday, no band: all of it
    assert "Lowest projected balance" in p.summary(lambda m: f"{m / 100:.2f}")


def test_variable_spending_is_spread_over_days_with_a_band_and_a_chance():
    p = cashflow.project(
        currency="USD", start=dt.date(2026, 1, 31), start_balance_minor=31_000, horizon_months=1,
        variable=[VariableMonth(dt.date(2026, 2, 1), 28_000, 14_000, 42_000)], threshold_minor=0,
    )
    assert p.days[0].balance_minor == 30_000 and p.days[27].balance_minor == 3_000  # 1,000 a day over 28 days
    assert p.days[27].lower_minor == 3_000 - 14_000 and p.days[27].upper_minor == 3_000 + 14_000
    assert 0.3 < p.chance_below < 0.5  # the balance sits near zero at the end of the month
    assert p.next_income_date is None


def test_today_is_the_lowest_point_when_every_projected_day_is_higher():
    # Session 16 (newuser): "Lowest projected balance -$4,783.29 ... (today -$4,792.38)".
    p = cashflow.project(currency="USD", start=START, start_balance_minor=-479_238, horizon_months=1,
                         known=[KnownItem(dt.date(2026, 1, 16), 909, "refund", "monthly")])
    assert (p.lowest_minor, p.lowest_date) == (-479_238, START)


def test_bad_input_gets_specific_messages():
    with pytest.raises(ValidationError, match="horizon must be 1 to 12 months"):
        cashflow.project(currency="USD", start=START, start_balance_minor=0, horizon_months=13)
    with pytest.raises(ValidationError, match="implausibly large"):
        cashflow.what_if_item(amount="5000000000000", kind="expense", date=START + dt.timedelta(days=3),
                              currency="USD", today=START)
    with pytest.raises(ValidationError, match="not in the future"):
        cashflow.what_if_item(amount="50", kind="expense", date=START, currency="USD", today=START)
    with pytest.raises(ValidationError, match="more than zero"):
        cashflow.what_if_item(amount="0", kind="expense", date=START + dt.timedelta(days=3), currency="USD", today=START)
    with pytest.raises(ValidationError, match=r"after the projection's last day \(2026-03-31\), so it would change"):
        cashflow.what_if_item(amount="50", kind="expense", date=dt.date(2026, 4, 1), currency="USD", today=START,
                              until=dt.date(2026, 3, 31))
    assert cashflow.what_if_item(amount="50", kind="expense", date=dt.date(2026, 3, 31), currency="USD", today=START,
                                 until=dt.date(2026, 3, 31)).amount_minor == -5000


def test_a_what_if_changes_the_projection_and_nothing_is_saved(session, alice):
    today = dt.date.today()
    accounts.create_account(session, user_id=alice.user_id, name="Checking", opening_balance="2000")
    base = cashflow.cashflow_user(session, user_id=alice.user_id, horizon_months=2, today=today)
    assert base.start_balance_minor == 200_000 and any("variable-spending" in n for n in base.notes)
    extra = cashflow.what_if_item(amount="500", kind="expense", date=today + dt.timedelta(days=5),
                                  currency=alice.currency, today=today)
    with_it = cashflow.cashflow_user(session, user_id=alice.user_id, horizon_months=2, today=today, what_if=[extra])
    assert with_it.lowest_minor == base.lowest_minor - 50_000
    assert tx.count_transactions(session, user_id=alice.user_id) == 0


def test_a_demo_history_gets_income_bills_variable_spending_and_a_band(session, db):
    from budgetwise.services import demo

    principal, _ = demo.create_demo_account(session, settings=db.settings, months=24)
    today = dt.date.today()
    p = cashflow.cashflow_user(session, user_id=principal.user_id, horizon_months=3, today=today)
    assert p.days[0].date == today + dt.timedelta(days=1) and len(p.days) >= 89
    assert any(i.amount_minor > 0 for i in p.items) and any(i.amount_minor < 0 for i in p.items)
    assert all(d.lower_minor <= d.balance_minor <= d.upper_minor for d in p.days)
    assert p.days[-1].upper_minor - p.days[-1].lower_minor > p.days[0].upper_minor - p.days[0].lower_minor
    assert p.next_income_date is not None and 0.0 <= p.chance_below <= 1.0
    cancelled = cashflow.cashflow_user(session, user_id=principal.user_id, horizon_months=3, today=today,
                                       cancel=[next(i.label for i in p.items if i.amount_minor < 0)])
    assert cancelled.days[-1].balance_minor > p.days[-1].balance_minor


def test_scheduled_items_by_hand(session, alice):
    today = dt.date.today()
    accounts.create_account(session, user_id=alice.user_id, name="Checking", opening_balance="3000")
    first = (today.replace(day=1) + dt.timedelta(days=32)).replace(day=1)
    rent = cashflow.add_scheduled(session, user_id=alice.user_id, name="Rent", amount="1,200", kind="expense",
                                  next_date=first, cadence="monthly", today=today)
    assert rent.amount_minor == 120_000 and rent.cadence == "monthly"
    with pytest.raises(ValidationError, match="is in the past"):
        cashflow.add_scheduled(session, user_id=alice.user_id, name="Old", amount="5", kind="expense",
                               next_date=today - dt.timedelta(days=1), today=today)
    with pytest.raises(ValidationError, match="Give the scheduled item a name"):
        cashflow.add_scheduled(session, user_id=alice.user_id, name=" ", amount="5", kind="expense", next_date=today)
    # the page's picker accepts any date, so the refusal names the limits
    earliest, latest = cashflow.scheduled_date_limits(today)
    assert earliest == today
    with pytest.raises(ValidationError, match=f"up to {latest.isoformat()}"):
        cashflow.add_scheduled(session, user_id=alice.user_id, name="Old", amount="5", kind="expense",
                               next_date=dt.date(1990, 1, 1), today=today)
    with pytest.raises(ValidationError, match=f"the latest is {latest.isoformat()}"):
        cashflow.add_scheduled(session, user_id=alice.user_id, name="Far", amount="5", kind="expense",
                               next_date=latest + dt.timedelta(days=1), today=today)
    assert [i.name for i in cashflow.list_scheduled(session, user_id=alice.user_id)] == ["Rent"]
    p = cashflow.cashflow_user(session, user_id=alice.user_id, horizon_months=3, today=today)
    rents = [i for i in p.items if i.label == "Rent"]
    assert rents and rents[0].date == first and all(i.amount_minor == -120_000 for i in rents)
    assert {d.date: d.balance_minor for d in p.days}[first] == 300_000 - 120_000
    cashflow.delete_scheduled(session, user_id=alice.user_id, item_id=rent.id)
    assert cashflow.list_scheduled(session, user_id=alice.user_id) == []


def test_one_account_is_projected_from_its_own_rows(session, db):
    """``account_id``: that account's balance, its own recurring items; scheduled items (no account) left out."""
    from budgetwise.services import demo

    principal, _ = demo.create_demo_account(session, settings=db.settings, months=24)
    uid, today = principal.user_id, dt.date.today()
    snapshot = accounts.balances(session, user_id=uid, as_of=today)
    busiest = max(snapshot.accounts, key=lambda b: b.transactions)
    spare = accounts.create_account(session, user_id=uid, name="Spare", kind="savings", opening_balance="75")
    cashflow.add_scheduled(session, user_id=uid, name="Roof repair", amount="900", kind="expense",
                           next_date=today + dt.timedelta(days=3), today=today)
    whole = cashflow.cashflow_user(session, user_id=uid, horizon_months=2, today=today, scope="all")
    one = cashflow.cashflow_user(session, user_id=uid, horizon_months=2, today=today, account_id=busiest.account.id)
    quiet = cashflow.cashflow_user(session, user_id=uid, horizon_months=2, today=today, account_id=spare.id)
    assert one.start_balance_minor == busiest.base_minor and whole.start_balance_minor == snapshot.total_minor + 7500
    assert any(i.label == "Roof repair" for i in whole.items) and not any(i.label == "Roof repair" for i in one.items)
    assert any(i.amount_minor > 0 for i in one.items) and any("Only" in n for n in one.notes)
    # an account without rows stays where it is, and says why there is no spending forecast
    assert quiet.start_balance_minor == 7500 and {d.balance_minor for d in quiet.days} == {7500}
    assert any("variable-spending" in n for n in quiet.notes)
    with pytest.raises(NotFoundError):
        cashflow.cashflow_user(session, user_id=uid, horizon_months=2, today=today, account_id=999_999)


def test_nothing_to_project_is_said_not_drawn_as_zeros(session, alice):
    """A new user (no transactions, no opening balance, nothing scheduled) gets a clear message,
    not a flat line of zeros with "safe to spend $0.00 a day" (found by trying the app)."""
    with pytest.raises(cashflow.NothingToProject, match="Nothing to project yet"):
        cashflow.cashflow_user(session, user_id=alice.user_id, horizon_months=2)


def test_nothing_to_project_for_want_of_a_rate_names_the_rate(session, alice):
    """Balances in a currency with no rate to the user's: the missing rate is named, not "import your
    transactions" (session 16, newuser: a switch to EUR with 2,837 rows stored said so)."""
    accounts.create_account(session, user_id=alice.user_id, name="Euro", currency="EUR", opening_balance="500")
    with pytest.raises(cashflow.NothingToProject, match=r"Nothing can be projected in USD yet: .*EUR.*Exchange rates") as err:
        cashflow.cashflow_user(session, user_id=alice.user_id, horizon_months=2)
    # session 19: a member whose imported file was in EUR never changed her currency ("set your currency back")
    assert "make EUR your currency under Profile → Preferences" in str(err.value)
    assert "back" not in str(err.value)


def test_the_notes_on_amounts_left_out_for_want_of_a_rate_are_picked_out(session, alice):
    """Session 18 (newuser): after a switch of currency the dashboard's card said "Lowest projected balance €0.00
    (today €0.00)" and nothing else: the note that the balances were left out for want of a rate was only on the
    Cash flow page. ``rate_notes`` picks the notes the card shows."""
    today = dt.date.today()
    accounts.create_account(session, user_id=alice.user_id, name="Euro", currency="EUR", opening_balance="500")
    cashflow.add_scheduled(session, user_id=alice.user_id, name="Rent", amount="900", kind="expense",
                           next_date=today + dt.timedelta(days=3), cadence="monthly", today=today)
    cashflow.add_scheduled(session, user_id=alice.user_id, name="Gym", amount="30", kind="expense",
                           next_date=today + dt.timedelta(days=3), cadence="monthly", currency="EUR", today=today)
    p = cashflow.cashflow_user(session, user_id=alice.user_id, horizon_months=2, today=today)
    assert p.start_balance_minor == 0 and len(p.rate_notes) == 2
    assert p.rate_notes[0].startswith("No EUR → USD rate for") and "an account balance of €500.00" in p.rate_notes[0]
    assert p.rate_notes[1] == "No EUR → USD rate: the scheduled item “Gym” is left out."
    assert all(n in p.notes for n in p.rate_notes) and not any("rate" in n for n in p.notes if n not in p.rate_notes)


def test_the_rate_notes_are_marked_where_they_are_written_not_read_from_their_wording(session, alice, monkeypatch):
    """Session 19: ``rate_notes`` was a regular expression over the notes' text ("No EUR → USD rate"); a reworded
    MissingRate text would have dropped the dashboard's note without a word. Now the rates' own notes are kept as
    such whatever they say, and a scheduled item named like a rate note is not one."""
    from budgetwise.services.rates.types import MissingRate

    monkeypatch.setattr(MissingRate, "describe", lambda self, *a, **k: f"Kein Kurs {self.currency}/{self.target}.")
    today = dt.date.today()
    accounts.create_account(session, user_id=alice.user_id, name="Euro", currency="EUR", opening_balance="500")
    accounts.create_account(session, user_id=alice.user_id, name="No EUR → USD rate", opening_balance="10")
    p = cashflow.cashflow_user(session, user_id=alice.user_id, horizon_months=2, today=today, scope="all")
    assert p.rate_notes == ("Kein Kurs EUR/USD.",) and p.rate_notes[0] in p.notes
    one = cashflow.cashflow_user(session, user_id=alice.user_id, horizon_months=2, today=today,
                                 account_id=accounts.find_account(session, user_id=alice.user_id,
                                                                  name="No EUR → USD rate").id)
    assert one.notes[0].startswith("Only “No EUR → USD rate”") and one.rate_notes == ()


def test_an_old_history_is_named_and_no_income_means_no_until_then(session, alice):
    """History that stopped long ago: a note names the newest transaction's date; with no income
    expected, the answers cover the horizon in words (not "until then")."""
    today = dt.date.today()
    accounts.create_account(session, user_id=alice.user_id, name="Checking", opening_balance="2000")
    for n in range(3):
        tx.add_transaction(session, user_id=alice.user_id, date=dt.date(2022, 1 + n, 5), amount="40",
                           kind="expense", description=f"Corner shop {n}")
    p = cashflow.cashflow_user(session, user_id=alice.user_id, horizon_months=2, today=today)
    assert p.stale_note is not None and "2022-03-05" in p.stale_note
    assert p.next_income_date is None
    words = p.summary(str)
    assert "until then" not in words and "no regular income is recognised" in words
    recent = SimpleNamespace(daily=pd.DataFrame({"date": pd.to_datetime([today - dt.timedelta(days=3)])}))
    assert cashflow.stale_notes(recent, today) == []


def test_newer_rows_without_a_rate_are_named_beside_the_newest_counted_one(session, alice):
    """Session 14 (newuser): the dashboard said "your newest transaction is from 16.01.2025" and, one card
    below, "Your newest transaction is from 06.01.2024" (the newest it could count in the base currency;
    the later CAD rows had no rate). The cash-flow and forecast notes now name both days and why."""
    from budgetwise.services import forecast

    today = dt.date.today()
    chk = accounts.create_account(session, user_id=alice.user_id, name="Checking", opening_balance="2000")
    cad = accounts.create_account(session, user_id=alice.user_id, name="Canada", currency="CAD")
    for n in range(3):
        tx.add_transaction(session, user_id=alice.user_id, date=dt.date(2022, 1 + n, 5), amount="40",
                           kind="expense", description=f"Corner shop {n}", account_id=chk.id)
    tx.add_transaction(session, user_id=alice.user_id, date=dt.date(2023, 6, 1), amount="12", kind="expense",
                       description="Tim Hortons", currency="CAD", account_id=cad.id)
    p = cashflow.cashflow_user(session, user_id=alice.user_id, horizon_months=2, today=today)
    assert p.stale_note == (
        "Your newest transaction is from 2023-06-01, but the ones after 2022-03-05 are in currencies without an "
        "exchange rate to USD: nothing since 2022-03-05 is counted, so today's balance and the projection are only "
        "as current as that day. Add the rates (Profile → Exchange rates), or import your recent transactions, for "
        "an up-to-date outlook.")
    history = forecast.history_from_db(session, user_id=alice.user_id)
    assert history.uncounted_until == dt.date(2023, 6, 1)
    assert history.notes[0].startswith(
        "Your newest transaction is from 2023-06-01, but the ones after 2022-03-05 are in currencies without an "
        "exchange rate to USD (named below): the forecast starts after 2022-03-05.")


def test_a_callers_list_of_recurring_payments_is_used_not_detected_again(session, db, monkeypatch):
    """The dashboard gives the projection the recurring payments it detected for its upcoming-payments alerts:
    the same projection as detecting them inside, with no second detection."""
    from budgetwise.services import demo
    from budgetwise.services import reports as R

    principal, _ = demo.create_demo_account(session, settings=db.settings, months=18)
    today = dt.date.today()
    found = R.detect_recurring(session, user_id=principal.user_id, as_of=today)
    inside = cashflow.cashflow_user(session, user_id=principal.user_id, horizon_months=3, today=today)

    def refuse(*_a, **_k):
        raise AssertionError("detected again")

    monkeypatch.setattr(R, "detect_recurring", refuse)
    given = cashflow.cashflow_user(session, user_id=principal.user_id, horizon_months=3, today=today, recurring=found)
    assert given == inside and given.items


def test_a_german_users_notes_and_threshold_use_the_german_number_format(session, alice):
    """QA: with German number format, a missing rate read "$59.52" and "1.500" was not 1500."""
    from budgetwise.models import User

    user = session.get(User, alice.user_id)
    user.locale, user.currency = "de_DE", "EUR"
    session.flush()
    accounts.create_account(session, user_id=alice.user_id, name="Girokonto", opening_balance="100")
    accounts.create_account(session, user_id=alice.user_id, name="Dollar", currency="USD", opening_balance="59.52")
    p = cashflow.cashflow_user(session, user_id=alice.user_id, horizon_months=2, today=dt.date.today())
    notes = " ".join(p.notes)
    assert "59,52\xa0$" in notes and "$59.52" not in notes
    assert cashflow.set_threshold(session, user_id=alice.user_id, threshold="1.500") == 150_000
    assert cashflow.set_threshold(session, user_id=alice.user_id, threshold="0,50") == 50
    assert cashflow.parse_threshold("1,500", "USD", decimal_hint=".") == 150_000


def test_typed_what_if_and_scheduled_amounts_are_read_in_the_users_number_format(session, alice):
    """QA: the scheduled-item and what-if amounts ignored the user's number format ("1.200" by a German
    user was 1.20 in one form and 1,200 in another; "99.999" by an en_US user became 99,999.00)."""
    from budgetwise.services.profile import update_profile

    today = dt.date.today()
    with pytest.raises(ValidationError, match="decimal"):
        cashflow.add_scheduled(session, user_id=alice.user_id, name="Gym", amount="99.999", kind="expense",
                               next_date=today + dt.timedelta(days=3))
    assert cashflow.list_scheduled(session, user_id=alice.user_id) == []
    with pytest.raises(ValidationError, match="decimal"):
        cashflow.what_if_item(amount="99.999", kind="expense", date=START + dt.timedelta(days=3), currency="USD",
                              today=START, decimal_hint=".")
    assert cashflow.what_if_item(amount="1.200", kind="expense", date=START + dt.timedelta(days=3), currency="EUR",
                                 today=START, decimal_hint=",").amount_minor == -120_000
    assert cashflow.what_if_item(amount="12,50", kind="income", date=START + dt.timedelta(days=3), currency="EUR",
                                 today=START, decimal_hint=",").amount_minor == 1_250
    update_profile(session, user_id=alice.user_id, locale="de_DE")
    rent = cashflow.add_scheduled(session, user_id=alice.user_id, name="Miete", amount="1.200", kind="expense",
                                  next_date=today + dt.timedelta(days=3))
    gym = cashflow.add_scheduled(session, user_id=alice.user_id, name="Gym", amount="29,90", kind="expense",
                                 next_date=today + dt.timedelta(days=3))
    assert (rent.amount_minor, gym.amount_minor) == (120_000, 2_990)


def test_a_new_users_safe_to_spend_does_not_claim_to_be_on_top_of_spending_it_has_not_projected(session, alice):
    """QA (browser): a user with a few rows in one month read "Only 0 complete month(s) of history: the usual
    spending is not projected yet" beside "Safe to spend on top of your usual spending: $5,584.29 a day":
    the flat line has no spending in it, so that amount has to cover the usual spending too."""
    today = dt.date.today()
    accounts.create_account(session, user_id=alice.user_id, name="Checking", opening_balance="2000")
    for n, (amount, text) in enumerate([("82.40", "Groceries"), ("4.50", "Coffee"), ("30", "Fuel")]):
        tx.add_transaction(session, user_id=alice.user_id, date=today - dt.timedelta(days=n), amount=amount,
                           kind="expense", description=text)
    p = cashflow.cashflow_user(session, user_id=alice.user_id, horizon_months=2, today=today)
    assert not p.spending_included
    words = p.summary(str)
    assert "on top of your usual spending" not in words and "not in the projection yet" in words
    assert "month(s)" not in " ".join(p.notes)
    assert any("complete month" in n and "your usual spending is not projected yet" in n for n in p.notes)


def test_safe_to_spend_is_on_top_of_the_usual_spending_when_the_projection_has_it():
    with_spending = cashflow.project(
        currency="USD", start=dt.date(2026, 1, 31), start_balance_minor=31_000, horizon_months=1,
        variable=[VariableMonth(dt.date(2026, 2, 1), 28_000, 14_000, 42_000)])
    assert with_spending.spending_included and "on top of your usual spending" in with_spending.summary(str)
    known_only = cashflow.project(currency="USD", start=START, start_balance_minor=100_000, horizon_months=1)
    assert not known_only.spending_included and "day-to-day spending included" in known_only.safe_to_spend(str)


def test_safe_to_spend_has_one_wording_for_the_summary_and_the_figures_help():
    """The summary and the page's help of "safe to spend per day" said what the amount covers in two
    wordings of their own; both now read :attr:`Projection.safe_scope`."""
    with_spending = cashflow.project(
        currency="USD", start=dt.date(2026, 1, 31), start_balance_minor=31_000, horizon_months=1,
        variable=[VariableMonth(dt.date(2026, 2, 1), 28_000, 14_000, 42_000)])
    known_only = cashflow.project(currency="USD", start=START, start_balance_minor=100_000, horizon_months=1)
    for p in (with_spending, known_only):
        assert p.safe_scope in p.summary(str)
        assert p.safe_scope in p.safe_to_spend_help().lower() and p.until in p.safe_to_spend_help()
    assert with_spending.safe_to_spend_help().startswith("On top of your usual spending, ")
    assert known_only.safe_to_spend_help().startswith("For everything, your day-to-day spending included")


def test_the_answers_write_dates_in_the_users_date_format(session, alice):
    """The summary's "lowest balance on …", "before your next income on …" and the stale-history note
    were ISO whatever date format the user chose (users.date_format)."""
    from budgetwise.services.profile import update_profile

    p = cashflow.project(currency="USD", start=START, start_balance_minor=100_000, horizon_months=1,
                         known=[KnownItem(dt.date(2026, 1, 30), 250_000, "salary", "monthly")])
    assert "on 2026-01-16" in p.summary(str) and "on 2026-01-30" in p.until  # pure: ISO by default
    update_profile(session, user_id=alice.user_id, date_format="%d.%m.%Y")
    today = dt.date.today()
    accounts.create_account(session, user_id=alice.user_id, name="Checking", opening_balance="2000")
    tx.add_transaction(session, user_id=alice.user_id, date=today - dt.timedelta(days=60), amount="12",
                       kind="expense", description="Coffee")
    p = cashflow.cashflow_user(session, user_id=alice.user_id, horizon_months=2, today=today)
    assert p.date_format == "%d.%m.%Y"
    assert f"on {p.lowest_date:%d.%m.%Y}." in p.summary(str) and f"{p.days[-1].date:%d.%m.%Y}" in p.until
    assert p.stale_note and f"{today - dt.timedelta(days=60):%d.%m.%Y}" in p.stale_note
    assert "-" not in p.day(today)
    with pytest.raises(ValidationError, match=f"{today - dt.timedelta(days=1):%d.%m.%Y}"):
        cashflow.add_scheduled(session, user_id=alice.user_id, name="Gym", amount="30", kind="expense",
                               next_date=today - dt.timedelta(days=1))


def test_the_answers_follow_the_users_locale_month_names_and_percent(session, alice):
    """Session 10 QA: with the "31 Dec 2025" format a de_DE user read "24 Dec 2026" (Projection.day and
    until ignored the locale) and "about 0%" (an f-string, not the locale's percent)."""
    from budgetwise.services.profile import update_profile

    p = cashflow.project(currency="EUR", start=START, start_balance_minor=100_000, horizon_months=1,
                         known=[KnownItem(dt.date(2026, 1, 30), 250_000, "salary", "monthly")])
    assert "about 0%." in p.summary(str) and p.chance_text == "0%"  # pure: en_US by default
    update_profile(session, user_id=alice.user_id, locale="de_DE", currency="EUR", date_format="%d %b %Y")
    today = dt.date.today()
    accounts.create_account(session, user_id=alice.user_id, name="Girokonto", opening_balance="2000")
    p = cashflow.cashflow_user(session, user_id=alice.user_id, horizon_months=2, today=today)
    assert (p.locale, p.date_format) == ("de_DE", "%d %b %Y")
    assert p.day(dt.date(2026, 12, 24)) == "24 Dez. 2026" and p.day(dt.date(2026, 3, 2)) == "02 März 2026"
    end = p.days[-1].date
    assert f"up to {p.day(end)}" in p.until and end.strftime("%b") not in p.until.replace(p.day(end), "")
    assert "about 0\xa0%." in p.summary(str) and p.chance_text == "0\xa0%"
    with pytest.raises(ValidationError, match="24 Dez. 2026 is after the projection's last day"):
        cashflow.what_if_item(amount="100", kind="expense", date=dt.date(2026, 12, 24), currency="EUR",
                              today=dt.date(2026, 1, 1), until=dt.date(2026, 2, 1), date_format="%d %b %Y",
                              locale="de_DE")
    with pytest.raises(ValidationError, match="is in the past"):
        cashflow.add_scheduled(session, user_id=alice.user_id, name="Miete", amount="30", kind="expense",
                               next_date=dt.date(2020, 12, 1))
    try:
        cashflow.add_scheduled(session, user_id=alice.user_id, name="Miete", amount="30", kind="expense",
                               next_date=dt.date(2020, 12, 1))
    except ValidationError as exc:
        assert "01 Dez. 2020" in exc.message, exc.message


def test_the_history_note_counts_months_in_words():
    note = lambda n: cashflow.model_notes(SimpleNamespace(months=n, how="conformal", errors=20))  # noqa: E731
    assert note(0) == ["No complete month of history: your usual spending is not projected yet (it needs 3 complete months)."]
    assert note(1)[0].startswith("Only 1 complete month of history:")
    assert note(2)[0].startswith("Only 2 complete months of history:")
    gap = SimpleNamespace(older_first=dt.date(2009, 1, 2), older_last=dt.date(2012, 5, 6), start=dt.date(2022, 1, 15),
                          months=116, older_active_months=1)
    assert "there is no complete month. Your older history (2009-01-02 to 2012-05-06, with transactions in 1 month)" \
        in cashflow.model_notes(SimpleNamespace(months=0, how="conformal", errors=0), gap)[0]


def test_chance_below_has_heavier_tails_than_a_normal_through_the_lower_edge():
    """Session 10 (cftail): the chance is a Student's t (4 degrees of freedom) whose 10% point is the band's
    lower edge: 10% there, 50% at the point, within 0-100% and non-decreasing in the threshold; beyond the
    lower edge it falls more slowly than the normal did (real errors have heavier tails)."""
    point, lower = 50_000, 30_000
    assert cashflow.chance_below(lower, point, lower) == pytest.approx(0.10, abs=1e-6)
    assert cashflow.chance_below(point, point, lower) == pytest.approx(0.5)
    chances = [cashflow.chance_below(t, point, lower) for t in range(-10_000_000, 10_000_001, 5_000)]
    assert all(0.0 <= c <= 1.0 for c in chances) and chances[0] < 1e-3 and chances[-1] > 1 - 1e-3
    assert all(a <= b for a, b in zip(chances, chances[1:]))
    normal_5 = point - 1.6448536269514722 / 1.2815515655446004 * (point - lower)  # the normal's 5% point
    assert 0.06 < cashflow.chance_below(int(normal_5), point, lower) < 0.07
    assert cashflow.chance_below(int(point - 1.3904500799 * (point - lower)), point, lower) == pytest.approx(0.05, abs=1e-4)
    assert (cashflow.chance_below(10, 5, 5), cashflow.chance_below(5, 5, 5), cashflow.chance_below(0, 5, 5)) == (1.0, 0.0, 0.0)


def test_the_projection_takes_the_largest_chance_before_the_next_income():
    band = ((-20_000, 20_000), (-28_000, 28_000))
    kwargs = dict(currency="USD", start=dt.date(2026, 1, 31), start_balance_minor=30_000, horizon_months=2,
                  known=[KnownItem(dt.date(2026, 3, 20), 250_000, "salary", "monthly")], band=band)
    p = cashflow.project(threshold_minor=0, **kwargs)
    expected = max(cashflow.chance_below(0, d.balance_minor, d.lower_minor) for d in p.days if d.date < dt.date(2026, 3, 20))
    assert p.chance_below == round(expected, 4) and 0.05 < p.chance_below < 0.15
    higher = cashflow.project(threshold_minor=10_000, **kwargs)
    assert higher.chance_below > p.chance_below and higher.chance_text.endswith("%")


def test_a_short_stretch_after_a_long_gap_is_not_called_the_whole_history(session, alice):
    """Session 11 QA: a file of 2009-2022 with long silences read "Only 1 complete month of history": the
    model sees only what follows the last gap (as the spending forecast does). The note says that, how many
    months the older history has transactions in, and its dates in the user's format; the figures stay."""
    from tests.helpers_reports import add_rows

    older = [dt.date(2009 + k // 12, k % 12 + 1, 10) for k in range(0, 48, 3)]  # 16 months with data, 2009-2012
    older += [dt.date(2016, 5, 3), dt.date(2016, 6, 3)]  # an earlier gap: still older history
    recent = [dt.date(2022, 1, 15), dt.date(2022, 2, 10), dt.date(2022, 2, 20), dt.date(2022, 3, 10)]
    add_rows(session, alice.user_id, [(d, 4_000, "expense", f"SHOP {i}", None) for i, d in enumerate(older + recent)])
    before = cashflow.cashflow_user(session, user_id=alice.user_id, today=dt.date(2026, 12, 5))
    note = next(n for n in before.notes if "not projected yet" in n)
    assert "of history" not in note, note
    assert "since your transactions resumed on 2022-01-15 there is only 1 complete month" in note, note
    assert "(2009-01-10 to 2016-06-03, with transactions in 18 months)" in note, note
    from budgetwise.services import profile

    profile.update_profile(session, user_id=alice.user_id, locale="de_DE", date_format="%d %b %Y")
    after = cashflow.cashflow_user(session, user_id=alice.user_id, today=dt.date(2026, 12, 5))
    assert "resumed on 15 Jan. 2022" in " ".join(after.notes) and "10 März 2022" in " ".join(after.notes)  # stale note too
    assert [d.balance_minor for d in after.days] == [d.balance_minor for d in before.days]


@pytest.mark.parametrize("choice", [cashflow.ONCE, "", None])
def test_once_means_no_cadence_for_what_ifs_and_scheduled_items_alike(session, alice, choice):
    """Session 14: one reading of the "Repeats" choice (cashflow.cadence_choice) for both kinds of item."""
    today = dt.date.today()
    later = today + dt.timedelta(days=10)
    assert cashflow.cadence_choice(choice) is None and cashflow.cadence_choice("monthly") == "monthly"
    assert cashflow.what_if_item(amount="50", kind="expense", date=later, currency="USD", today=today,
                                 cadence=choice).cadence is None
    item = cashflow.add_scheduled(session, user_id=alice.user_id, name="Once", amount="5", kind="expense",
                                  next_date=later, cadence=choice, today=today)
    assert item.cadence is None
    for refused in (lambda: cashflow.what_if_item(amount="50", kind="expense", date=later, currency="USD",
                                                  today=today, cadence="daily"),
                    lambda: cashflow.add_scheduled(session, user_id=alice.user_id, name="Daily", amount="5",
                                                   kind="expense", next_date=later, cadence="daily", today=today)):
        with pytest.raises(ValidationError, match="Repeat it weekly, biweekly, monthly, quarterly, yearly, or once"):
            refused()
    assert [s.name for s in cashflow.list_scheduled(session, user_id=alice.user_id)] == ["Once"]


STEADY = [(1, "1200", "expense", "Rent Landlord"), (10, "40", "expense", "Phone Co"), (15, "80", "expense", "City Power"),
          (25, "3000", "income", "ACME Payroll")]


def _steady_user(session, user_id: int, months: int, rows=STEADY) -> dt.date:
    """``months`` complete months of the same salary, rent and bills (nothing else) before today's month."""
    today = dt.date.today()
    accounts.create_account(session, user_id=user_id, name="Checking", opening_balance="1500")
    for n in range(months, 0, -1):
        y, m = divmod(today.year * 12 + today.month - 1 - n, 12)
        for day, amount, kind, text in rows:
            tx.add_transaction(session, user_id=user_id, date=dt.date(y, m + 1, day), amount=amount, kind=kind,
                               description=text)
    return today


def test_a_long_history_of_known_items_alone_is_not_called_too_little_history(session, alice):
    """Session 21 (zfword): 29 months of salary, rent and bills and no other spending read "Safe to spend for
    everything ... (it is not in the projection yet: too little history)": whether the spending is in went by the
    variable forecast being non-zero, not by the months of history (cashflow.spending_projected)."""
    from budgetwise.services.cashflow_model import MIN_LEVEL_MONTHS

    today = _steady_user(session, alice.user_id, 29)
    p = cashflow.cashflow_user(session, user_id=alice.user_id, horizon_months=3, today=today, threshold="1000")
    assert p.spending_included and not p.beyond_known
    assert {i.label for i in p.items} >= {"Rent Landlord", "ACME Payroll"}
    for words in (p.summary(str), p.safe_to_spend_help()):
        assert "too little history" not in words and "usual spending" not in words
        assert "on top of the known items (your history has no spending beyond them)" in words.lower()
    assert not any("complete month" in n for n in p.notes)
    assert cashflow.spending_projected(SimpleNamespace(months=MIN_LEVEL_MONTHS))
    assert not cashflow.spending_projected(SimpleNamespace(months=MIN_LEVEL_MONTHS - 1))
    assert not cashflow.spending_projected(None)


def test_known_items_alone_with_too_little_history_still_say_so(session, alice):
    """The same bills over fewer complete months than the level needs: the spending is not in, and the words say
    it is for too little history (the rule's one owner, cashflow_model.MIN_LEVEL_MONTHS)."""
    from budgetwise.services.cashflow_model import MIN_LEVEL_MONTHS

    today = _steady_user(session, alice.user_id, MIN_LEVEL_MONTHS - 1)
    p = cashflow.cashflow_user(session, user_id=alice.user_id, horizon_months=2, today=today)
    assert not p.spending_included and "too little history" in p.summary(str)
    assert any(f"it needs {MIN_LEVEL_MONTHS} complete months" in n for n in p.notes)


def test_a_history_without_income_says_the_balance_is_below_the_threshold_already(session, alice):
    """A history of bills and no income (29 months: the balance is far below zero today): the alert said "The
    projection goes below $0" as if it were still above; no income is promised."""
    today = _steady_user(session, alice.user_id, 29, [r for r in STEADY if r[2] == "expense"])
    p = cashflow.cashflow_user(session, user_id=alice.user_id, horizon_months=3, today=today)
    assert p.start_balance_minor < 0 and p.next_income_date is None and p.spending_included and not p.beyond_known
    alert = p.below_threshold(lambda minor: f"{minor / 100:.2f}")
    assert alert is not None and alert.startswith(f"Your balance is already below 0.00 today: "
                                                  f"{p.start_balance_minor / 100:.2f}; the projection's lowest is ")
    assert "no regular income is recognised" in p.until and "too little history" not in p.summary(str)
    assert "Chance of being below 0 up to " in p.summary(str) and "Chance of going below" not in p.summary(str)
    # a balance below the threshold today and lowest today: the alert says so, no second date
    flat = cashflow.project(currency="USD", start=START, start_balance_minor=-100, horizon_months=1,
                            known=[KnownItem(START + dt.timedelta(days=3), 500, "refund")])
    assert flat.below_threshold(str) == "Your balance is already below 0 today: -100."


def test_a_what_if_holds_at_most_so_many_payments():
    """Session 21 (sec21): the page added each what-if payment to the ones before without limit, and every rerun
    projected them all (52 dates a year for a weekly one) in the process every user shares."""
    day = START + dt.timedelta(days=3)
    assert cashflow.what_if_item(amount="50", kind="expense", date=day, currency="USD", today=START,
                                 held=cashflow.MAX_WHAT_IFS - 1).amount_minor == -5000
    with pytest.raises(ValidationError, match=rf"A what-if holds at most {cashflow.MAX_WHAT_IFS} payments"):
        cashflow.what_if_item(amount="50", kind="expense", date=day, currency="USD", today=START,
                              held=cashflow.MAX_WHAT_IFS)
