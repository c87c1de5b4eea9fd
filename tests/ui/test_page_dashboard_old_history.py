"""Dashboard (AppTest), trial28: a history that ended before this month opens on its latest months, not on an
empty "This month" (Ana's 2,286 Portuguese transactions of 2019-11 … 2021-12-03 read 0,00 € on every card and
two empty charts until she found "Show the span of your data")."""

from __future__ import annotations

import datetime as dt

from tests.helpers_reports import add_rows

PAGE = "pages/dashboard.py"


def test_an_old_history_opens_on_its_latest_six_months(app_env):
    alice = app_env.create_user()
    with app_env.scope() as s:
        add_rows(s, alice.user_id, [(dt.date(2021, 5, 4), 1000, "expense", "Old shop", "Groceries"),
                                    (dt.date(2021, 11, 30), 250000, "income", "Pay", "Salary"),
                                    (dt.date(2021, 12, 3), 4000, "expense", "Market", "Groceries")])
    at = app_env.page(PAGE, user=alice)
    at.run()
    assert not at.exception
    assert at.selectbox(key="dash_w_period").value == "data_latest_6_months"
    assert [m.value for m in at.metric[:2]] == ["$2,500.00", "$40.00"]  # July–3 December 2021: May is before it
    assert not any("no transactions in this period" in i.value for i in at.info)
    # the user's own choice stays: "This month" then says where the data ends and offers its span
    at.selectbox(key="dash_w_period").set_value("this_month").run()
    assert not at.exception and at.metric[1].value == "$0.00"
    assert any("no transactions in this period" in i.value for i in at.info)
    at.run()
    assert at.selectbox(key="dash_w_period").value == "this_month"

