"""Multi-currency pages (AppTest): the Exchange rates tab of the Profile page, the dashboard,
reports and transactions with a foreign transaction, with and without a rate.

The ECB is a local HTTP server (or an address where nothing listens): no test needs the internet.
"""

from __future__ import annotations

import datetime as dt
import http.server
import socket
import threading
from decimal import Decimal
from pathlib import Path

import pytest

from budgetwise.services import rates
from budgetwise.services.admin import cli_principal
from budgetwise.ui.format import unbroken_dates as shown  # dates as displayed (no line break inside)
from tests.helpers_reports import add_rows

PROFILE = "pages/profile.py"
DASHBOARD = "pages/dashboard.py"
XML = (Path(__file__).resolve().parent.parent / "data" / "ecb" / "eurofxref-hist-90d.xml").read_bytes()
TODAY = dt.date.today()
FIRST = TODAY.replace(day=1)


def _texts(at) -> str:
    parts = [m.value for m in at.markdown] + [c.value for c in at.caption] + [i.value for i in at.info]
    parts += [w.value for w in at.warning] + [e.value for e in at.error] + [s.value for s in at.success]
    return "\n".join(str(p) for p in parts)


def _frames(at) -> list:
    return [d.value for d in at.dataframe]


@pytest.fixture
def traveller(app_env):
    """Alice (USD): a salary and rent in USD, a hotel in EUR this month without any rate stored."""
    alice = app_env.create_user()
    with app_env.scope() as s:
        add_rows(
            s,
            alice.user_id,
            [
                (FIRST, 300000, "income", "ACME PAYROLL", "Salary"),
                (FIRST, 50000, "expense", "RENT", "Rent"),
                (FIRST, 10000, "expense", "HOTEL PARIS", "Travel", "EUR"),
            ],
        )
    return alice


def test_dashboard_names_the_missing_rate_and_does_not_count_it_as_one(app_env, traveller):
    at = app_env.page(DASHBOARD, user=traveller)
    at.run()
    assert not at.exception
    assert at.metric[1].label == "Expenses" and at.metric[1].value == "$500.00"  # not $600.00
    warning = "\n".join(w.value for w in at.warning)
    assert "could not be converted to USD" in warning and "not included" in warning
    assert shown(f"No EUR → USD rate for {FIRST.isoformat()}") in warning.replace("\\", "")
    assert "Profile → Exchange rates" in warning
    # with a rate for that day the hotel counts, converted (100.00 EUR x 1.25)
    with app_env.scope() as s:
        rates.add_rate(s, principal=cli_principal(), date=FIRST, base="EUR", quote="USD", rate="1.25")
    at = app_env.page(DASHBOARD, user=traveller)
    at.run()
    assert not at.exception
    assert at.metric[1].value == "$625.00"
    assert not any("could not be converted" in w.value for w in at.warning)
    assert "converted to USD" in _texts(at)
    latest = _frames(at)[-1]
    assert "In USD" in latest.columns
    hotel = latest[latest["Description"] == "HOTEL PARIS"].iloc[0]
    assert (hotel["Amount"], hotel["In USD"]) == ("-€100.00", "-$125.00")


def test_transactions_page_shows_the_original_amount_and_the_base_amount(app_env, traveller):
    at = app_env.page("pages/transactions.py", user=traveller)
    at.run()
    assert not at.exception
    table = at.dataframe[0].value
    hotel = table[table["Description"] == "HOTEL PARIS"].iloc[0]
    assert hotel["Amount"] == "-€100.00" and hotel["In USD"] == "— no rate"
    assert "no exchange rate to USD" in _texts(at)
    rent = table[table["Description"] == "RENT"].iloc[0]
    assert rent["In USD"] == "-$500.00"


def test_reports_page_warns_and_converts(app_env, traveller):
    at = app_env.page("pages/reports.py", user=traveller)
    at.run()
    assert not at.exception
    assert any("not included" in w.value and "EUR" in w.value for w in at.warning)
    with app_env.scope() as s:
        rates.add_rate(s, principal=cli_principal(), date=FIRST, base="EUR", quote="USD", rate="1.25")
    at = app_env.page("pages/reports.py", user=traveller)
    at.run()
    assert not at.exception
    assert at.metric[1].value == "$625.00"
    assert "amounts in EUR converted to USD" in _texts(at)


def test_rates_tab_shows_money_in_and_out_left_out_apart(app_env, traveller):
    """Session 26: "Amount left out" added a ZAR account's money in and out together (ZAR243,990.08 beside a
    -ZAR206,855.04 balance). In and out are now shown apart, each under a name that says which."""
    with app_env.scope() as s:
        add_rows(s, traveller.user_id, [(FIRST, 25000, "income", "REFUND PARIS", "Travel", "EUR")])
    with app_env.scope() as s:
        (found,) = rates.missing_rates(s, user_id=traveller.user_id)
    assert (found.money_in_minor, found.money_out_minor, found.amount_minor, found.count) == (25000, 10000, 35000, 2)
    at = app_env.page(PROFILE, user=traveller)
    at.run()
    assert not at.exception
    missing = next(f for f in _frames(at) if "Dates without a rate" in f.columns)
    assert "Amount left out" not in missing.columns
    assert list(missing["Money in left out"]) == ["€250.00"]
    assert list(missing["Money out left out"]) == ["€100.00"]


def test_rates_tab_lists_missing_rates_and_takes_a_rate_by_hand(app_env, traveller):
    at = app_env.page(PROFILE, user=traveller)
    at.run()
    assert not at.exception
    assert [t.label for t in at.tabs][2] == "Exchange rates"
    missing = next(f for f in _frames(at) if "Dates without a rate" in f.columns)
    assert list(missing["Currency"]) == ["EUR → USD"]
    assert list(missing["Dates without a rate"]) == [FIRST.isoformat()]
    assert list(missing["Money out left out"]) == ["€100.00"]
    assert list(missing["Money in left out"]) == ["€0.00"]
    # the form is pre-filled with the missing currency and date
    assert at.selectbox(key="fx_m_base").value == "EUR" and at.selectbox(key="fx_m_quote").value == "USD"
    assert at.date_input(key="fx_m_date").value == FIRST
    at.text_input(key="fx_m_rate").input("1,25")
    at.button(key="FormSubmitter:fx_manual_form-Save the rate").click()
    at.run()
    assert "did you mean 1.25?" in "\n".join(e.value for e in at.error)  # read in the user's locale (en_US)
    at.text_input(key="fx_m_rate").input("1.25")
    at.button(key="FormSubmitter:fx_manual_form-Save the rate").click()
    at.run()
    assert not at.exception
    assert shown(f"Saved: 1 EUR = 1.25 USD on {FIRST.isoformat()}.") in _texts(at)
    assert "Every transaction in EUR can be converted to USD." in _texts(at)
    with app_env.scope() as s:
        (row,), _ = rates.list_rates(s, user_id=traveller.user_id)  # the traveller's own rate (issue #13)
    assert (row.base, row.quote, row.rate, row.source) == ("EUR", "USD", Decimal("1.25"), "manual")
    stored = next(f for f in _frames(at) if "Pair" in f.columns)
    assert list(stored["Pair"]) == ["EUR → USD"]


def test_rates_tab_csv_upload_all_or_nothing(app_env, traveller):
    bob = app_env.create_user("bob@example.com", "Bob")  # a regular user (Alice, the first, is the admin)
    at = app_env.page(PROFILE, user=bob)
    at.run()
    assert not at.exception
    assert not at.checkbox  # no "replace" option for a regular user
    bad = b"date,base,quote,rate\n2024-01-05,EUR,USD,1.0921\n2024-01-06,EUR,ABC,1.1\n"
    at.file_uploader(key="fx_upload_file").set_value(("rates.csv", bad, "text/csv"))
    at.button(key="FormSubmitter:fx_upload_form-Import rates").click()
    at.run()
    assert not at.exception
    assert "rates.csv: nothing was imported." in "\n".join(e.value for e in at.error).replace("\\", "")
    assert "Line 3: quote: “ABC” is not an ISO 4217 currency code" in _texts(at).replace("\\", "")
    with app_env.scope() as s:
        assert rates.list_rates(s)[1] == 0
    good = b"date,base,quote,rate\n2024-01-05,EUR,USD,1.0921\n2024-01-04,EUR,USD,1.0953\n"
    at.file_uploader(key="fx_upload_file").set_value(("rates.csv", good, "text/csv"))
    at.button(key="FormSubmitter:fx_upload_form-Import rates").click()
    at.run()
    assert not at.exception
    assert shown("Rates from rates.csv: 2 new for 2024-01-04 to 2024-01-05.") in _texts(at)
    with app_env.scope() as s:
        assert rates.list_rates(s, source="upload", user_id=bob.user_id)[1] == 2  # bob's own (issue #13)
        assert rates.list_rates(s, source="upload")[1] == 0  # nobody else's figures change


class _Ecb(http.server.BaseHTTPRequestHandler):
    def do_GET(self):  # noqa: N802
        self.send_response(200)
        self.send_header("Content-Type", "application/xml")
        self.send_header("Content-Length", str(len(XML)))
        self.end_headers()
        self.wfile.write(XML)

    def log_message(self, *args):
        pass


@pytest.fixture
def local_ecb():
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Ecb)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/eurofxref-hist-90d.xml"
    finally:
        server.shutdown()
        server.server_close()


def test_rates_tab_fetch_from_the_ecb(app_env, traveller, local_ecb, monkeypatch):
    monkeypatch.setattr(rates.ecb, "ECB_90_DAYS_URL", local_ecb)
    monkeypatch.setattr(rates.ecb, "ECB_HISTORY_URL", local_ecb)
    at = app_env.page(PROFILE, user=traveller)
    at.run()
    at.button(key="fx_fetch").click()
    at.run()
    assert not at.exception
    assert shown("ECB reference rates: 20 new for 2024-01-02 to 2024-01-05.") in _texts(at)
    assert shown("Latest ECB rate stored: 2024-01-05.") in _texts(at)


def test_rates_tab_fetch_without_network_says_so_quickly(app_env, traveller, monkeypatch):
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()  # nothing listens there any more
    monkeypatch.setattr(rates.ecb, "ECB_90_DAYS_URL", f"http://127.0.0.1:{port}/eurofxref-hist-90d.xml")
    monkeypatch.setattr(rates.ecb, "ECB_HISTORY_URL", f"http://127.0.0.1:{port}/eurofxref-hist.zip")
    at = app_env.page(PROFILE, user=traveller)
    at.run()
    at.button(key="fx_fetch").click()
    at.run(timeout=20)
    assert not at.exception
    errors = "\n".join(e.value for e in at.error)
    assert "refused the connection" in errors and "Upload a rates CSV or enter the rates by hand instead." in errors


def test_chart_axes_use_the_users_separators():
    import pandas as pd

    from budgetwise.ui import charts

    months = pd.DataFrame({"label": ["2024-01"], "income_minor": [123456789], "expense_minor": [5], "net_minor": [0]})
    assert charts.income_expense_bars(months, currency="EUR", locale="de_DE").layout.separators == ",."
    assert charts.income_expense_bars(months, currency="USD", locale="en_US").layout.separators == ".,"
    assert charts.trend_lines(months, currency="EUR", locale="fr_FR").layout.separators == ",\u202f"  # the locale's own narrow no-break space


def test_import_page_per_file_currency_choice(app_env):
    from sqlalchemy import select

    from budgetwise.models import Transaction

    alice = app_env.create_user()
    at = app_env.page("pages/import_data.py", user=alice)
    at.run()
    data = b"Buchungstag;Verwendungszweck;Betrag\n01.03.2024;Kaffee;-3,50\n02.03.2024;Gehalt;2.500,00\n"
    at.file_uploader(key="imp_upload").set_value(("umsatz.csv", data, "text/csv"))
    at.run()
    assert not at.exception
    choice = next(s for s in at.selectbox if s.label == "Currency of this file")
    assert choice.value == "USD"  # the user's base currency by default
    choice.set_value("EUR")
    at.run()
    assert not at.exception
    preview = next(d.value for d in at.dataframe if "Status" in d.value.columns)
    assert list(preview["Amount"]) == ["-€3.50", "+€2,500.00"]
    next(b for b in at.button if str(b.label).startswith("Import 2")).click()
    at.run()
    assert not at.exception
    with app_env.scope() as s:
        stored = sorted(s.execute(select(Transaction.currency, Transaction.amount_minor)).all())
    assert stored == [("EUR", 350), ("EUR", 250000)]


def test_the_rate_form_follows_a_new_base_currency(app_env, traveller):
    """Issue #14 item 16: after the base currency changed in the same session, the form still
    proposed the old one."""
    from budgetwise.services.profile import update_profile
    from tests.ui.conftest import as_browser_keeps, browser_holds

    at = app_env.page(PROFILE, user=traveller)
    at.run()
    quote = next(s for s in at.selectbox if s.label == "of")
    assert quote.value == "USD"
    held = browser_holds(at)
    with app_env.scope() as s:
        update_profile(s, user_id=traveller.user_id, currency="NZD")
    at.run()
    as_browser_keeps(at, held)
    assert not at.exception
    assert next(s for s in at.selectbox if s.label == "of").value == "NZD"
    base = next(s for s in at.selectbox if s.label == "1 unit of").value
    assert base == "EUR"  # the EUR hotel still needs a rate, now to NZD


def test_a_rate_date_out_of_limits_is_refused_not_dropped(app_env, traveller):
    """The picker had the service's limits: a date typed outside them (2099) was marked invalid and
    never sent, so the default date's rate was stored without a word. It now reaches the service."""
    from budgetwise.ui.format import PICKER_MAX, PICKER_MIN

    at = app_env.page(PROFILE, user=traveller)
    at.run()
    earliest, latest = rates.rate_date_limits()
    picker = next(d for d in at.date_input if d.label == "Date")
    assert (picker.proto.min, picker.proto.max) == (PICKER_MIN.isoformat(), PICKER_MAX.isoformat())
    assert shown(earliest.isoformat()) in picker.help and shown(latest.isoformat()) in picker.help
    picker.set_value(dt.date(2099, 1, 5))
    next(t for t in at.text_input if t.label == "equals").set_value("1.09")
    next(b for b in at.button if b.label == "Save the rate").click()
    at.run()
    assert not at.exception
    assert any(shown(f"from {earliest.isoformat()} to {latest.isoformat()}") in e.value for e in at.error)
    with app_env.scope() as s:
        assert rates.list_rates(s, source="manual", user_id=traveller.user_id)[0] == []


def test_a_rate_far_off_the_known_one_is_refused_until_confirmed(app_env, traveller):
    """Session 18 (a new user): 1 EUR = 1,000,000 USD was saved without a word. It is refused with the known rate,
    and a box "The rate is right: save it anyway" appears; ticked, the rate is saved."""
    with app_env.scope() as s:
        rates.add_rate(s, principal=traveller, date=FIRST - dt.timedelta(days=3), base="EUR", quote="USD", rate="1.09")
    at = app_env.page(PROFILE, user=traveller)
    at.run()
    assert "fx_manual_unusual_ok" not in [c.key for c in at.checkbox]
    at.text_input(key="fx_m_rate").input("1000000")
    at.button(key="FormSubmitter:fx_manual_form-Save the rate").click()
    at.run()
    assert not at.exception
    assert "more than 10 times the known rate of EUR/USD (1.09" in "\n".join(e.value for e in at.error)
    at.checkbox(key="fx_manual_unusual_ok").check()
    at.run()
    at.button(key="FormSubmitter:fx_manual_form-Save the rate").click()
    at.run()
    assert not at.exception
    assert "Saved: 1 EUR = 1000000 USD on" in _texts(at)
    assert "fx_manual_unusual_ok" not in [c.key for c in at.checkbox]  # gone with the saved rate


def test_a_rates_file_far_off_the_known_rates_is_refused_until_imported_anyway(app_env, traveller):
    """Session 19: an uploaded rate more than ten times off the known rate of its pair is named (line, pair, value,
    the rate it was compared with); nothing is stored until "The rates are right: import them anyway"."""
    with app_env.scope() as s:
        rates.add_rate(s, principal=traveller, date=dt.date(2024, 1, 5), base="EUR", quote="USD", rate="1.09")
    at = app_env.page(PROFILE, user=traveller)
    at.run()
    assert "fx_upload_confirm" not in [b.key for b in at.button]
    data = b"date,base,quote,rate\n2024-01-04,EUR,USD,1.0953\n2024-01-08,EUR,USD,109.3\n"
    at.file_uploader(key="fx_upload_file").set_value(("rates.csv", data, "text/csv"))
    at.button(key="FormSubmitter:fx_upload_form-Import rates").click()
    at.run()
    assert not at.exception
    text = _texts(at).replace("\\", "")
    assert "more than 10 times off the known rate of their pair" in text
    assert shown("Line 3: 1 EUR = 109.3 USD is more than 10 times the known rate of EUR/USD (1.09 on 2024-01-05).") in text
    with app_env.scope() as s:
        assert rates.list_rates(s, source="upload", user_id=traveller.user_id)[1] == 0  # nothing half-written
    at.button(key="fx_upload_confirm").click()
    at.run()
    assert not at.exception
    assert shown("Rates from rates.csv: 2 new for 2024-01-04 to 2024-01-08.") in _texts(at)
    assert "fx_upload_confirm" not in [b.key for b in at.button]
    with app_env.scope() as s:
        assert rates.list_rates(s, source="upload", user_id=traveller.user_id)[1] == 2


def test_the_rates_of_a_pair_with_one_rate_draw_no_empty_rows(app_env, traveller, monkeypatch):
    """Session 18 (a new user): the table of a pair's rates had a fixed height, about six empty rows under one
    rate. It is as tall as its rows (up to a scrolling limit)."""
    with app_env.scope() as s:
        rates.add_rate(s, principal=traveller, date=FIRST, base="EUR", quote="USD", rate="1.09")
    import streamlit as st

    heights: dict[tuple, object] = {}  # the height each table is drawn with, by its columns (AppTest keeps none)
    draw = st.dataframe

    def _dataframe(data=None, *args, **kwargs):
        heights[tuple(getattr(data, "columns", ()))] = kwargs.get("height")
        return draw(data, *args, **kwargs)

    monkeypatch.setattr(st, "dataframe", _dataframe)
    at = app_env.page(PROFILE, user=traveller)
    at.run()
    assert not at.exception
    assert heights[("Date", "Rate", "Source", "Whose")] == 38 + 35  # the header and one row
