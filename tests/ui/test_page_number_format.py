"""A user whose number format is German (de_DE) reads counts as "2.286" and money as "1.234,56 €"
on every kind of page, goal texts included (AppTest); en_US stays "2,286" / "$1,234.56"."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from budgetwise.principal import Principal
from budgetwise.services import demo, profile
from budgetwise.services import goals as G
from budgetwise.services.demo import DemoRow

N = 2286


def _german(app_env, email: str = "alice@example.com", name: str = "Alice", *, rows: int = N) -> Principal:
    """A de_DE/EUR user with ``rows`` expenses dated today."""
    user = app_env.create_user(email, name)
    today = dt.date.today()
    with app_env.scope() as s:
        german = profile.update_profile(s, user_id=user.user_id, locale="de_DE", currency="EUR")
        demo.seed_transactions(s, user_id=user.user_id, currency="EUR", rows=[
            DemoRow(today, Decimal("1.00"), "expense", f"SHOP {i}", "Groceries", "Checking") for i in range(rows)])
    return german


def _texts(at) -> str:
    parts = []
    for kind in ("markdown", "caption", "info", "warning", "error", "success", "subheader"):
        parts += [str(getattr(e, "value", "")) for e in getattr(at, kind)]
    return "\n".join(parts)


def _run(app_env, page: str, user: Principal, timeout: float = 60):
    at = app_env.page(page, user=user, timeout=timeout)
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def test_transactions_page_counts_in_german(app_env):
    at = _run(app_env, "pages/transactions.py", _german(app_env))
    assert any(f"of {N:,} transactions".replace(",", ".") in c.value for c in at.caption), [c.value for c in at.caption]


def test_categorize_page_counts_in_german(app_env):
    at = _run(app_env, "pages/categorize.py", _german(app_env))
    assert {m.label: m.value for m in at.metric}["Transactions"] == "2.286"


def test_reports_page_counts_in_german(app_env):
    at = _run(app_env, "pages/reports.py", _german(app_env))
    assert any("2.286 transactions" in c.value for c in at.caption), [c.value for c in at.caption]


def test_admin_system_counts_in_german(app_env):
    admin = _german(app_env, "admin@example.com", "Admin")  # the first user is the admin
    at = app_env.page("pages/admin.py", user=admin, timeout=60)
    at.session_state["adm_tab"] = "System"
    at.run()
    assert not at.exception
    assert {m.label: m.value for m in at.metric}["Transactions"] == "2.286"


def test_admin_users_table_counts_like_its_caption(app_env):
    """Session 14 (privacy): the users table showed "2286" while the caption under it said "2.286"."""
    admin = _german(app_env, "admin@example.com", "Admin")
    bob = _german(app_env, "bob@example.com", "Bob", rows=1200)
    at = app_env.page("pages/admin.py", user=admin, timeout=60)
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    frame = next(d.value for d in at.dataframe if "Last login (UTC)" in d.value.columns)
    assert list(frame["Transactions"]) == ["2.286", "1.200"]
    assert "2.286 transactions" in _texts(at)  # the picked user's caption, the same number
    at.selectbox(key="adm_user_pick").set_value(bob.user_id).run()
    assert "1.200 transactions" in _texts(at)
    assert "1.200 transactions, 0 imports" in _texts(at)  # the delete preview too
    at.session_state["adm_tab"] = "Transactions"
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    assert "· 3.486 transactions" in _texts(at)  # the pager's total


def test_goals_page_writes_the_services_amounts_in_german(app_env):
    alice = _german(app_env, rows=0)
    with app_env.scope() as s:
        goal = G.create_goal(s, user_id=alice.user_id, name="Auto", target="5000", already_saved="1234,56",
                             target_date=dt.date.today() + dt.timedelta(days=365))
    at = _run(app_env, "pages/goals.py", alice)
    at.text_input(key=f"goal_c_amount_{goal.id}").set_value("-2000")
    next(b for b in at.button if b.label == "Add contribution").click()
    at.run()
    assert "at most 1.234,56\xa0€" in at.error[0].value
    # the past-date refusal's alternatives ("… € a month")
    at.text_input(key="goal_new_name").set_value("Reise")
    at.text_input(key="goal_new_target").set_value("2469,12")
    at.date_input(key="goal_new_date").set_value(dt.date.today())
    at.text_input(key="goal_new_saved").set_value("0")
    next(b for b in at.button if b.label == "Create goal").click()
    at.run()
    assert "411,52\xa0€ a month" in _texts(at)


def test_an_english_user_keeps_the_us_format(app_env):
    user = app_env.create_user()
    today = dt.date.today()
    with app_env.scope() as s:
        demo.seed_transactions(s, user_id=user.user_id, rows=[
            DemoRow(today, Decimal("1.00"), "expense", f"SHOP {i}", "Groceries", "Checking") for i in range(N)])
    at = _run(app_env, "pages/categorize.py", user)
    assert {m.label: m.value for m in at.metric}["Transactions"] == "2,286"


def test_import_page_counts_in_german(app_env):
    alice = _german(app_env, rows=0)
    bad = b"".join(b"03.03.2024;Kaputt %d;12abc\n" % i for i in range(1200))
    data = b"Buchungstag;Verwendungszweck;Betrag\n01.03.2024;Kaffee;-3,50\n02.03.2024;Gehalt;2.500,00\n" + bad
    at = _run(app_env, "pages/import_data.py", alice)
    at.file_uploader(key="imp_upload").set_value(("umsatz.csv", data, "text/csv"))
    at.run()
    assert not at.exception
    assert "Rows that cannot be imported (1.200)" in [str(h.value) for h in at.subheader]


def test_rates_tab_counts_in_german(app_env):
    alice = _german(app_env, rows=0)
    first = dt.date(2020, 1, 1)
    data = b"date,base,quote,rate\n" + b"".join(
        f"{first + dt.timedelta(days=i)},EUR,USD,1.1\n".encode() for i in range(1200))
    at = _run(app_env, "pages/profile.py", alice)
    at.file_uploader(key="fx_upload_file").set_value(("rates.csv", data, "text/csv"))
    at.button(key="FormSubmitter:fx_upload_form-Import rates").click()
    at.run()
    assert not at.exception
    assert "Rates from rates.csv: 1.200 new" in _texts(at)


def test_dashboard_demo_load_still_counts_for_a_german_user(app_env):
    alice = _german(app_env, rows=0)
    at = _run(app_env, "pages/dashboard.py", alice, timeout=120)
    at.button(key="dash_demo").click()
    at.run()
    assert not at.exception
    assert any(str(t.value).startswith("Loaded ") for t in at.toast)


def test_rule_amounts_are_read_and_shown_with_the_users_decimal_separator(app_env):
    """A rule's bounds typed on the Categorize page follow the user's number format: an en_US user's
    "12.500" is 12.50 (it had been read as 12,500), a de_DE user's "12,5" is 12,50 and is shown back as "12,50"."""
    from budgetwise.services import categorize

    for email, locale, currency, typed, shown in (("us@example.com", "en_US", "USD", "12.500", "12.50"),
                                                  ("de@example.com", "de_DE", "EUR", "12,5", "12,50")):
        user = app_env.create_user(email, "User")
        with app_env.scope() as s:
            user = profile.update_profile(s, user_id=user.user_id, locale=locale, currency=currency)
        at = _run(app_env, "pages/categorize.py", user)
        at.text_input(key="cat_r_pattern_None").input("zork")
        at.text_input(key="cat_r_min_None").input(typed)
        at.button(key="FormSubmitter:cat_rule_form_None-Save the rule").click()
        at.run()
        assert not at.exception, [e.value for e in at.exception]
        with app_env.scope() as s:
            [rule] = categorize.list_rules(s, user_id=user.user_id, include_global=False)
        assert rule.min_amount_minor == 1250, (locale, rule.min_amount_minor)
        # the form now shows the rule saved, its bound written as the user writes numbers
        assert [t.value for t in at.text_input if t.label == "Minimum amount"] == [shown]


def test_add_form_example_amount_is_written_as_the_user_writes_numbers(app_env):
    """QA 2026-12-05: a de_DE user was shown "e.g. 12.50 or 1,234.56" above the field that reads her typing
    with a decimal comma."""
    at = _run(app_env, "pages/transactions.py", _german(app_env, rows=1))
    [amount] = [t for t in at.text_input if t.label == "Amount"]
    assert amount.placeholder == "e.g. 12,50 or 1.234,56"


def test_admin_manage_user_counts_transactions_in_german(app_env):
    """QA 2026-12-05: the user picker's facts read "2827 transactions" (no grouping, any locale)."""
    admin = _german(app_env, "admin@example.com", "Admin")
    at = app_env.page("pages/admin.py", user=admin, timeout=60)
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    assert any("2.286 transactions" in c.value for c in at.caption), [c.value for c in at.caption]


def test_charts_group_digits_as_the_users_tables_do_en_in(app_env):
    """Session 13: an en_IN user's chart axes read "1,200,000" where the tables say "₹12,00,000.00":
    every chart on the dashboard is shown with the locale's d3 grouping (lakh, crore), the hover texts
    are the money owner's."""
    import json

    from budgetwise.ui import charts

    assert charts.d3_grouping((3, 2)) == [3, 2, 2, 2, 2, 2, 2, 2, 2]  # d3 cycles its list: [3, 2] would be wrong
    assert charts.d3_grouping((3,)) == [3]
    indian = charts.plotly_config("en_IN")["locales"]["en-IN"]["format"]
    assert (indian["decimal"], indian["thousands"], indian["grouping"][:3]) == (".", ",", [3, 2, 2])
    assert charts.plotly_config("de_DE")["locales"]["de-DE"]["format"]["grouping"] == [3]

    user = app_env.create_user()
    today = dt.date.today()
    with app_env.scope() as s:
        indian_user = profile.update_profile(s, user_id=user.user_id, locale="en_IN", currency="INR")
        demo.seed_transactions(s, user_id=user.user_id, currency="INR", rows=[
            DemoRow(today, Decimal("1200000.00"), "income", "ACME SALARY", "Salary", "Checking"),
            DemoRow(today, Decimal("345678.00"), "expense", "RENT", "Rent", "Checking")])
    at = _run(app_env, "pages/dashboard.py", indian_user)
    shown = at.get("plotly_chart")
    assert len(shown) >= 3
    for chart in shown:
        config = json.loads(chart.proto.config)
        assert config["locale"] == "en-IN" and config["locales"]["en-IN"]["format"]["grouping"][:2] == [3, 2]
    bars = next(json.loads(c.proto.spec) for c in shown if '"Income"' in c.proto.spec and '"bar"' in c.proto.spec)
    income = next(t for t in bars["data"] if t.get("name") == "Income")
    assert income["customdata"][-1] == f"₹12,00,000.00 {charts.SO_FAR}"  # this month's hover says "(so far)" (session 20)
