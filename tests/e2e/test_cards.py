"""Session 14: the money cards show the exact amount with cents, never shortened and never cut with "…",
in one font size per row, measured in Chromium at 1280 px, 1400 px and a phone's 420 px."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy.orm import sessionmaker

from budgetwise.dates import add_months
from budgetwise.db import make_engine, session_scope, upgrade_database
from budgetwise.money import format_money
from budgetwise.services import auth
from tests.conftest import make_settings
from tests.e2e.test_main_flow import PASSWORD, _nav, _settle, _wait_text
from tests.helpers_reports import add_rows

pytestmark = pytest.mark.e2e

# every card of the main column: its figure, the figure's font size, and whether any part of the figure or
# its delta is wider than its box (cut: Streamlit's own style ends such a text with "…")
_CARDS = """() => [...document.querySelectorAll('[data-testid="stMain"] [data-testid="stMetric"]')].map(m => {
  const value = m.querySelector('[data-testid="stMetricValue"]');
  const delta = m.querySelector('[data-testid="stMetricDelta"]');
  const cut = el => !!el && [el, ...el.querySelectorAll('*')].some(e => e.scrollWidth > e.clientWidth + 1);
  const card = m.getBoundingClientRect(), text = document.createRange();
  text.selectNodeContents(value.querySelector('p') || value);
  return {label: m.querySelector('[data-testid="stMetricLabel"]').innerText, value: value.innerText, top: Math.round(card.top),
          delta: delta ? delta.innerText : null, font: parseFloat(getComputedStyle(value.firstElementChild).fontSize),
          cut: cut(value) || cut(delta) || text.getBoundingClientRect().right > card.right};
})"""


def test_long_amounts_are_exact_and_whole_at_every_width(server, page):
    settings = make_settings(server.data_dir)
    upgrade_database(settings.database_url)
    engine = make_engine(settings.database_url)
    today = dt.date.today()
    amounts = {"Income": 987654321012, "Expenses": 1917094}  # $9,876,543,210.12 and $19,170.94 this month
    before = {"Income": 12345, "Expenses": 20000}  # last month (the Reports' default period shows both)
    try:
        with session_scope(sessionmaker(bind=engine)) as s:
            lou = auth.register(s, name="Lou", email="lou@example.com", password=PASSWORD, settings=settings)
            add_rows(s, lou.user_id, [(today, amounts["Income"], "income", "SALE", "Salary"),
                                      (today, amounts["Expenses"], "expense", "MARKET", "Groceries"),
                                      (add_months(today, -1).replace(day=1), before["Income"], "income", "REFUND", "Salary"),
                                      (add_months(today, -1).replace(day=1), before["Expenses"], "expense", "MARKET", "Groceries")])
    finally:
        engine.dispose()

    def expected(income: int, expenses: int) -> dict[str, str]:
        return {"Income": format_money(income, "USD"), "Expenses": format_money(expenses, "USD"),
                "Net savings": format_money(income - expenses, "USD")}

    page.goto(server.url)
    _wait_text(page, "Sign in")
    page.get_by_label("Email").fill("lou@example.com")
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    _wait_text(page, "Signed in as", timeout=60_000)
    pages = (("Dashboard", expected(amounts["Income"], amounts["Expenses"])),
             ("Reports", expected(amounts["Income"] + before["Income"], amounts["Expenses"] + before["Expenses"])))
    for where, figures in pages:
        if where != "Dashboard":
            page.get_by_test_id("stSidebarNavItems").wait_for(state="visible")  # unfolds again after 420 px
            _nav(page, where, "Savings rate")
            # the Dashboard shows "Savings rate" too: wait for the page's own title, not the shared card
            page.get_by_test_id("stMain").get_by_role("heading", name=where, exact=True).first.wait_for(
                state="visible", timeout=60_000)
        _wait_text(page, "Savings rate", timeout=60_000)
        for width in (1280, 1400, 420):
            page.set_viewport_size({"width": width, "height": 900})
            page.wait_for_timeout(500)
            _settle(page)
            cards = page.evaluate(_CARDS)[:4]
            shown = {c["label"]: c["value"] for c in cards}
            assert {k: shown.get(k) for k in figures} == figures, (where, width, shown)
            assert not [c for c in cards if c["cut"]], (where, width, cards)
            assert len({c["font"] for c in cards}) == 1, (where, width, cards)  # one size for the row
            if width == 420:  # session 19: a phone shows the row two cards a line, not one a screen
                assert cards[0]["top"] == cards[1]["top"] < cards[2]["top"] == cards[3]["top"], (where, cards)
            if width == 1280:  # 17 characters in a quarter of the main column: smaller than the theme's 36 px
                assert cards[0]["font"] < 36, (where, cards)
            if where == "Dashboard":  # "+$9,876,543,086.67 (+80,000,…%)": a long change wraps, whole
                assert cards[0]["delta"] and cards[0]["delta"].startswith("+$9,876,543,"), cards
            page.set_viewport_size({"width": 1280, "height": 900})
