"""After an import mostly in another currency than the user's with no rate for it: the advice
(``rates.import_currency_advice``, session 19): make that currency yours, or add rates."""

from __future__ import annotations

import datetime as dt

from budgetwise.services import budgets, importing, profile, rates
from budgetwise.services import transactions as tx
from tests.services.rates.test_services_rates import put

EUR_FILE = (b"Date,Description,Amount,Currency\n2024-03-01,Backerei,-3.20,EUR\n2024-03-04,Kino,-12.00,EUR\n"
            b"2024-03-05,Gehalt,2500.00,EUR\n")


def _import(session, user, data: bytes = EUR_FILE) -> int:
    result = importing.commit_import(session, user_id=user.user_id, data=data, filename="de.csv")
    assert result.batch_id is not None
    return result.batch_id


def test_a_eur_file_of_a_new_usd_user_without_rates_is_advised_to_make_eur_the_currency(session, alice):
    advice = rates.import_currency_advice(session, user_id=alice.user_id, batch_id=_import(session, alice))
    assert advice is not None and advice.can_switch
    assert (advice.currency, advice.base, advice.rows, advice.rows_total, advice.unconverted) == ("EUR", "USD", 3, 3, 3)
    assert advice.message == (
        "All 3 transactions you imported are in EUR, but your currency is USD and none of them has a EUR → USD "
        "rate, so your totals, budgets and reports leave them out. If EUR is the currency you live in, make EUR "
        "your currency: nothing else you have would then need a rate.")
    # the fix is the preference service's; afterwards there is nothing to say
    batch = advice and _import(session, alice, EUR_FILE.replace(b"Kino", b"Kino 2"))
    profile.update_profile(session, user_id=alice.user_id, currency="EUR")
    assert rates.import_currency_advice(session, user_id=alice.user_id, batch_id=batch) is None


def test_rates_that_cover_the_rows_leave_nothing_to_say(session, alice):
    batch = _import(session, alice)
    put(session, dt.date(2024, 2, 23), "EUR", "USD", "1.08")  # 7 days before 1 March: covers it, not 4 and 5 March
    advice = rates.import_currency_advice(session, user_id=alice.user_id, batch_id=batch)
    assert advice is not None and advice.unconverted == 2  # 2 of 3 still lack a rate: most of them
    assert "2 of them have no EUR → USD rate" in advice.message
    put(session, dt.date(2024, 3, 4), "EUR", "USD", "1.09")
    assert rates.import_currency_advice(session, user_id=alice.user_id, batch_id=batch) is None


def test_a_file_mostly_in_the_users_currency_is_not_advised(session, alice):
    data = EUR_FILE + b"2024-03-06,Diner,-8.00,USD\n2024-03-07,Deli,-4.00,USD\n2024-03-08,Cab,-9.00,USD\n"
    assert rates.import_currency_advice(session, user_id=alice.user_id, batch_id=_import(session, alice, data)) is None


def test_other_currency_data_without_a_rate_points_to_rates_instead_of_switching(session, alice):
    tx.add_transaction(session, user_id=alice.user_id, date="2024-01-02", amount="1.00", kind="expense",
                       description="Coffee")
    tx.add_transaction(session, user_id=alice.user_id, date="2024-01-03", amount="2.00", kind="expense",
                       description="Tea")
    budgets.set_budget(session, user_id=alice.user_id, category_id=None, month=dt.date(2024, 3, 1), amount="500")
    advice = rates.import_currency_advice(session, user_id=alice.user_id, batch_id=_import(session, alice))
    assert advice is not None and not advice.can_switch
    assert advice.would_need_rates == (("USD transaction", 2), ("budget", 1))
    assert advice.message.endswith("Add EUR → USD exchange rates: making EUR your currency instead would leave "
                                   "2 USD transactions and 1 budget without a rate.")


def test_another_users_batch_says_nothing(session, alice, bob):
    batch = _import(session, alice)
    assert rates.import_currency_advice(session, user_id=bob.user_id, batch_id=batch) is None


def test_one_or_two_transactions_are_counted_in_words(session, alice):
    """Session 23 (a browser trial with a one-row Czech file and a two-row Hungarian one): "The transaction you
    imported is in CZK … leave them out" and "All 2 transactions … none of them has" read wrong."""
    one = _import(session, alice, b"Date,Description,Amount,Currency\n2018-05-27,Memo for me,-1.00,CZK\n")
    advice = rates.import_currency_advice(session, user_id=alice.user_id, batch_id=one)
    assert advice is not None and advice.message.startswith(
        "The transaction you imported is in CZK, but your currency is USD and it has no CZK → USD rate, so your "
        "totals, budgets and reports leave it out.")
    two = _import(session, alice, b"Date,Description,Amount,Currency\n2019-04-19,Memo,-350,HUF\n"
                                  b"2019-04-17,Memo,1290,HUF\n")
    advice = rates.import_currency_advice(session, user_id=alice.user_id, batch_id=two)
    assert advice is not None and advice.message.startswith(
        "Both transactions you imported are in HUF, but your currency is USD and neither of them has a HUF → USD "
        "rate, so your totals, budgets and reports leave them out.")
