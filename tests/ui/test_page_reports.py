"""Reports page (AppTest): filters, tables, downloads, recurring payments, PDF."""

from __future__ import annotations

import datetime as dt

from budgetwise.dates import add_months
from budgetwise.services import demo
from budgetwise.ui.format import unbroken_dates as shown  # dates as displayed (no line break inside)
from tests.helpers_reports import add_rows, category_id

PAGE = "pages/reports.py"


def _downloads(at):
    return at.get("download_button")


def test_guard_reveals_nothing_without_a_session(app_env):
    at = app_env.page(PAGE)
    at.run()
    assert not at.exception and "Please sign in" in at.warning[0].value
    assert not at.metric and not at.dataframe


def test_empty_account_gets_a_hint_not_an_error(app_env):
    alice = app_env.create_user()
    at = app_env.page(PAGE, user=alice)
    at.run()
    assert not at.exception and not at.error
    assert "No transactions yet" in at.info[0].value


def test_reports_with_filters_tables_and_downloads(app_env):
    alice = app_env.create_user()
    today = dt.date.today()
    this_month = today.replace(day=1)
    with app_env.scope() as s:
        add_rows(
            s,
            alice.user_id,
            [
                (this_month, 30000, "income", "PAYROLL", "Salary"),
                (this_month, 12000, "expense", "=cmd|' /C calc'!A0", "Groceries"),
                (this_month, 3000, "expense", "CINEMA", "Entertainment"),
                (add_months(this_month, -1), 5000, "expense", "MARKET", "Groceries"),
                (this_month, 99999, "expense", "TO SAVINGS", "Transfers"),
            ],
        )
        groceries = category_id(s, alice.user_id, "Groceries")
    at = app_env.page(PAGE, user=alice)
    at.run()
    assert not at.exception and not at.error
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Income"] == "$300.00" and metrics["Expenses"] == "$200.00" and metrics["Net savings"] == "$100.00"
    assert metrics["Savings rate"] == "33.3%"
    assert any("4 transactions" in c.value for c in at.caption)
    # every table comes with CSV and Excel downloads
    labels = [d.proto.label for d in _downloads(at)]
    assert labels.count("CSV") == labels.count("Excel") >= 6
    # category table
    tables = [d.value for d in at.dataframe]
    by_cat = next(t for t in tables if "Per transaction" in t.columns)
    assert list(by_cat["Category"]) == ["Groceries", "Entertainment"]
    assert list(by_cat["Total"]) == ["$170.00", "$30.00"]
    # filter to one category
    at.multiselect(key="rep_w_cats").set_value([groceries]).run()
    assert not at.exception
    assert {m.label: m.value for m in at.metric}["Expenses"] == "$170.00"
    assert at.session_state["rep_cats"] == [groceries]
    # text filter
    at.multiselect(key="rep_w_cats").set_value([]).run()
    at.text_input(key="rep_w_text").input("cinema").run()
    assert {m.label: m.value for m in at.metric}["Expenses"] == "$30.00"
    at.text_input(key="rep_w_text").input("no such thing").run()
    assert any("Nothing matches" in i.value for i in at.info)


def test_exported_csv_and_excel_are_formula_safe(app_env, monkeypatch):
    from budgetwise.ui import reporting

    files: dict[str, tuple] = {}  # stem -> (csv, excel) as the download buttons got them
    real = reporting.export_files

    def recorded(df, *, stem, currency):
        files[stem] = real(df, stem=stem, currency=currency)
        return files[stem]

    monkeypatch.setattr(reporting, "export_files", recorded)
    alice = app_env.create_user()
    today = dt.date.today()
    with app_env.scope() as s:
        add_rows(s, alice.user_id, [(today, 12000, "expense", '=HYPERLINK("http://evil")', "Groceries")])
    at = app_env.page(PAGE, user=alice)
    at.run()
    assert not at.exception
    csv_file, excel_file = files["top-merchants"]
    merchants = csv_file().decode()
    assert merchants.startswith("merchant,")
    assert "'=HYPERLINK" in merchants and "\n=HYPERLINK" not in merchants
    assert "120.00" in merchants  # exact decimal amount, not minor units
    assert excel_file()[:2] == b"PK"  # an xlsx (zip) workbook


def test_a_rerun_builds_no_download_file_until_one_is_asked_for(app_env, monkeypatch):
    """Session 13 (pagespeed): nine tables wrote nine Excel workbooks and nine CSVs on every rerun;
    the buttons now get callables that Streamlit runs on a click."""
    from budgetwise.services import exports

    built: list[str] = []
    monkeypatch.setattr(exports, "to_csv_bytes", lambda df: built.append("csv") or b"")
    monkeypatch.setattr(exports, "to_excel_bytes", lambda df, sheet_name="": built.append("xlsx") or b"")
    alice = app_env.create_user()
    with app_env.scope() as s:
        demo.seed_transactions(s, user_id=alice.user_id, rows=demo.generate(months=3))
    at = app_env.page(PAGE, user=alice)
    at.run()
    at.run()
    assert not at.exception and not at.error
    labels = [d.proto.label for d in _downloads(at)]
    assert labels.count("CSV") == labels.count("Excel") >= 6
    assert built == []


def test_recurring_and_pdf_tabs_with_demo_data(app_env):
    alice = app_env.create_user()
    with app_env.scope() as s:
        demo.seed_transactions(s, user_id=alice.user_id, rows=demo.generate(months=14))
    at = app_env.page(PAGE, user=alice)
    at.run()
    at.selectbox(key="rep_w_period").set_value("last_12_months").run()
    assert not at.exception and not at.error
    metrics = {m.label: m.value for m in at.metric}
    assert int(metrics["Recurring expenses"]) >= 8
    recurring = next(d.value for d in at.dataframe if "Cadence" in d.value.columns)
    # the card counts what it names, the expense rows of the table (session 22: "Recurring payments 2" above 3 rows)
    assert int(metrics["Recurring expenses"]) == int((recurring["Kind"] == "expense").sum()) < len(recurring)
    card = next(m for m in at.metric if m.label == "Recurring expenses")
    assert "income row" in str(card.help) and "not counted" in str(card.help)
    assert "NETFLIX.COM" in set(recurring["Description"])
    assert not [d for d in _downloads(at) if d.proto.label.startswith("Download the")]
    at.button(key="rep_pdf_make").click().run()
    assert not at.exception
    pdf = [d for d in _downloads(at) if d.proto.label.startswith("Download the")]
    assert len(pdf) == 1 and "(PDF)" in pdf[0].proto.label


def test_headline_figures_are_shown_exact_never_shortened(app_env):
    """Issue #14 item 6: "NZ$203,8…" cut off in the metric cards at a 1400 px window; the compact "$203.9K"
    that followed dropped the cents. Session 14: the exact amount, drawn smaller in a long row (widgets.CARD_CSS;
    tests/e2e/test_cards.py measures it in Chromium)."""
    alice = app_env.create_user()
    this_month = dt.date.today().replace(day=1)
    with app_env.scope() as s:
        add_rows(s, alice.user_id, [(this_month, 20387645, "income", "PROPERTY SALE", "Salary"),
                                    (this_month, 191794, "expense", "MARKET", "Groceries")])
    at = app_env.page(PAGE, user=alice)
    at.run()
    assert not at.exception
    metrics = {m.label: m for m in at.metric}
    assert metrics["Income"].value == "$203,876.45" and not metrics["Income"].help
    assert metrics["Expenses"].value == "$1,917.94" and not metrics["Expenses"].help
    assert metrics["Net savings"].value == "$201,958.51" and not metrics["Net savings"].help
    # the custom date range has a row of its own, wide enough for both dates
    at.selectbox(key="rep_w_period").set_value("custom").run()
    assert not at.exception and at.date_input(key="rep_w_custom")


def test_recurring_tab_states_the_detectors_rule_and_lists_no_yearly_payment_seen_twice(app_env):
    """Issue #14 item 8: two yearly payments were listed while the page said three were needed."""
    from budgetwise.analysis import recurring as rec

    alice = app_env.create_user()
    today = dt.date.today()
    with app_env.scope() as s:
        add_rows(s, alice.user_id, [
            (add_months(today, -13), 9900, "expense", "DOMAIN RENEWAL", "Subscriptions"),
            (add_months(today, -1), 9900, "expense", "DOMAIN RENEWAL", "Subscriptions"),
            (today - dt.timedelta(days=3), 100, "expense", "MARKET", "Groceries"),
        ])
    at = app_env.page(PAGE, user=alice)
    at.run()
    assert not at.exception
    captions = [c.value for c in at.caption]
    assert any(c.startswith("No recurring payments found") and rec.RULE_TEXT in c for c in captions)
    assert "at least 3 regular payments" in rec.RULE_TEXT


def test_a_history_older_than_the_period_names_its_newest_day_and_offers_its_span(app_env):
    """QA: a new user's imported history (all older than the default period) showed only zeros and
    "Try a longer period"."""
    from budgetwise.services import transactions as tx

    alice = app_env.create_user()
    with app_env.scope() as s:
        for day in (dt.date(2021, 3, 5), dt.date(2021, 4, 7)):
            tx.add_transaction(s, user_id=alice.user_id, date=day, amount="40", kind="expense",
                               description="Corner shop")
    at = app_env.page(PAGE, user=alice)
    at.run()
    at.selectbox(key="rep_w_period").set_value("last_6_months").run()
    assert not at.exception
    assert any(shown("your newest transaction is from 2021-04-07") in i.value for i in at.info)
    at.button(key="rep_show_data_span").click()
    at.run()
    assert not at.exception
    assert not any("no transactions in this period" in i.value for i in at.info)
    assert at.selectbox(key="rep_w_period").value == "data_span"


def test_an_old_history_opens_on_its_latest_months_with_the_tabs_and_the_pdf(app_env):
    """New-user trial, session 21: data that ends two years ago opened Reports on an empty "Last 6 months",
    without its tabs (the Monthly PDF among them). It opens on the latest 6 months of the data, labelled so."""
    from budgetwise.services import transactions as tx

    alice = app_env.create_user()
    last = add_months(dt.date.today(), -24)
    with app_env.scope() as s:
        for day in (add_months(last, -9), add_months(last, -1), last):
            tx.add_transaction(s, user_id=alice.user_id, date=day, amount="40", kind="expense",
                               description="Corner shop")
    at = app_env.page(PAGE, user=alice)
    at.run()
    assert not at.exception
    assert at.selectbox(key="rep_w_period").value == "data_latest_6_months"
    assert not any("no transactions in this period" in i.value for i in at.info)
    caption = " ".join(c.value for c in at.caption)
    assert "Latest 6 months of data" in caption and "2 transactions" in caption
    period = next(c.value for c in at.caption if "Latest 6 months of data" in c.value)
    assert period.count(shown(last.isoformat())) == 1  # its dates once (they read twice: "(…): …")
    # (the Changes tab names the last day too: the data ends inside that month, session 27)
    assert at.selectbox(key="rep_pdf_pick").value == last
    at.selectbox(key="rep_w_period").set_value("this_month").run()  # a choice of the user's own stays
    at.run()
    assert at.selectbox(key="rep_w_period").value == "this_month"


def test_dates_in_captions_follow_the_users_date_format(app_env):
    """QA 2026-12-05: with DD.MM.YYYY the summary caption ("Last 6 months: 2026-07-01 – 2026-12-05"),
    "All time"'s label and the recurring tab's "up to" date were still ISO."""
    import re

    from budgetwise.services.profile import update_profile

    alice = app_env.create_user()
    with app_env.scope() as s:
        update_profile(s, user_id=alice.user_id, date_format="%d.%m.%Y")
        demo.seed_transactions(s, user_id=alice.user_id, rows=demo.generate(months=8))
    at = app_env.page(PAGE, user=alice)
    at.run()
    at.selectbox(key="rep_w_period").set_value("all_time").run()
    assert not at.exception
    captions = "\n".join(str(c.value) for c in at.caption).replace("\\", "")  # markdown escapes
    # the label names its dates once (they were repeated after a colon)
    assert re.search(r"^All time \(\d{2}\.\d{2}\.\d{4} – \d{2}\.\d{2}\.\d{4}\) · \d+ transactions", captions), captions
    assert re.search(r"days up to \d{2}\.\d{2}\.\d{4}; next dates", captions), captions
    assert not re.search(r"\b\d{4}-\d{2}-\d{2}\b", captions), captions


def test_the_month_an_imported_history_ends_in_is_compared_like_for_like(app_env):
    """trial27 (session 27): a Dutch history ending on 13 September 2023 opened the Changes tab on September,
    1-13 September against all of August ("Income -98.9%"). Its first 13 days are compared, and the caption
    says the data ends there."""
    alice = app_env.create_user()
    with app_env.scope() as s:
        add_rows(s, alice.user_id, [
            (dt.date(2023, 8, 5), 3000, "expense", "FOOD", "Groceries"),
            (dt.date(2023, 8, 28), 9000, "expense", "FOOD", "Groceries"),
            (dt.date(2023, 9, 13), 4000, "expense", "FOOD", "Groceries"),
        ])
    at = app_env.page(PAGE, user=alice)
    at.run()
    assert not at.exception
    assert at.selectbox(key="rep_change_month").value == dt.date(2023, 9, 1)
    assert any(c.value.startswith(f"Your data ends on {shown('2023-09-13')}, inside this month: its first 13 days")
               for c in at.caption)
    # trial28: the table's own headings say which days they hold, as the PDF's do ("Previous month (1–13)"
    # read as all of August to a user who skipped the caption)
    table = next(d.value for d in at.dataframe if "Previous month (1–13)" in d.value.columns).set_index("")
    assert list(table.columns[:3]) == ["This month (1–13)", "Previous month (1–13)", "MoM change"]
    assert (table.loc["Expenses", "This month (1–13)"], table.loc["Expenses", "Previous month (1–13)"]) == ("$40.00", "$30.00")
    assert "A year before (1–13)" in table.columns


def test_no_recurring_payment_says_up_to_which_day_and_how_to_see_an_older_historys(app_env):
    """trial27 (session 27): a 21-month history with a monthly mortgage (2018-2019), then three rows of 2022,
    read "No recurring payments found" on every period ending after 2022: the tab looks back from the period's
    end and lists only payments still running then, which it did not say. It names that day, and how to see
    payments that stopped earlier; a period ending in 2019 lists the mortgage."""
    from budgetwise.dates import add_months as months_after

    alice = app_env.create_user()
    with app_env.scope() as s:
        add_rows(s, alice.user_id, [
            *((months_after(dt.date(2018, 1, 2), i), 124744, "expense", "Mortgage Payment", "Rent") for i in range(21)),
            (dt.date(2022, 8, 17), 2000, "income", "Deposit Mobile Banking", None),
        ])
    at = app_env.page(PAGE, user=alice)
    at.run()
    assert not at.exception
    caption = next(c.value for c in at.caption if c.value.startswith("No recurring payments found"))
    assert f"still running on {shown('2022-08-17')}" in caption
    assert "choose a period that ends while they still ran" in caption
    at.selectbox(key="rep_w_period").set_value("custom").run()
    at.date_input(key="rep_w_custom").set_value((dt.date(2019, 1, 1), dt.date(2019, 9, 30))).run()
    assert not at.exception
    assert any("Mortgage Payment" in list(d.value.get("Description", [])) for d in at.dataframe)


def test_the_changes_tab_says_a_compared_month_without_any_transaction_is_missing_not_zero(app_env):
    """trial27 (session 27): August 2022, after a history that ended in 2019, read "Previous month $0.00" and
    "A year before $0.00" with no word that neither month is in the data."""
    alice = app_env.create_user()
    with app_env.scope() as s:
        add_rows(s, alice.user_id, [
            (dt.date(2019, 9, 2), 124744, "expense", "MORTGAGE", "Rent"),
            (dt.date(2022, 8, 9), 7500, "expense", "CHECK PAID", None),
            (dt.date(2022, 8, 31), 10300, "expense", "BMO HARRIS BANK", "Other"),
        ])
    at = app_env.page(PAGE, user=alice)
    at.run()
    assert not at.exception
    assert at.selectbox(key="rep_change_month").value == dt.date(2022, 8, 1)
    assert any(c.value.startswith("July 2022 and August 2021 have no transaction at all in your data")
               and "the zeros in their columns are nothing recorded, not nothing spent" in c.value for c in at.caption)


def test_the_overview_says_which_months_hold_no_transaction(app_env):
    """trial27 (session 27): "Latest 6 months of data" listed March - July 2022 as $0.00 rows with no word that not
    a single transaction of those months is in the data."""
    alice = app_env.create_user()
    with app_env.scope() as s:
        add_rows(s, alice.user_id, [
            (dt.date(2019, 9, 2), 124744, "expense", "MORTGAGE", "Rent"),
            (dt.date(2022, 4, 9), 7500, "expense", "CHECK PAID", None),
            (dt.date(2022, 8, 17), 2000, "income", "DEPOSIT", None),
        ])
    at = app_env.page(PAGE, user=alice)
    at.run()
    assert not at.exception
    assert any(c.value.startswith("4 of these 6 months have no transaction at all in your data")
               and "their zeros are nothing recorded, not nothing spent" in c.value for c in at.caption)
