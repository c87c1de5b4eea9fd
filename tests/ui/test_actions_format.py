"""budgetwise.ui.actions (run_action, confirm, one flash) and budgetwise.ui.format, alone."""

from __future__ import annotations

import datetime as dt

from streamlit.testing.v1 import AppTest

from budgetwise.principal import Principal
from budgetwise.ui import format as fmt


def _action_app():
    import streamlit as st

    from budgetwise.errors import ValidationError
    from budgetwise.ui.actions import ask, confirm, run_action, show_flash

    show_flash()
    st.session_state.setdefault("calls", 0)

    def fails(_session):
        raise ValidationError("The amount must be positive (row 3).")

    def works(_session):
        st.session_state["calls"] += 1
        return 42

    if st.button("fail", key="fail"):
        run_action(fails, "never shown")
    if st.button("work", key="work"):
        run_action(works, lambda n: f"Done: {n} *items*", then=lambda n: st.session_state.__setitem__("kept", n))
    if st.button("delete", key="delete"):
        ask("pending", ("delete", 7))
    if confirm("pending", ("delete", 7), "Delete #7?", yes="Yes", yes_key="yes", no_key="no"):
        st.session_state["deleted"] = True


def test_run_action_shows_the_error_and_flashes_success_once(app_env):
    at = AppTest.from_function(_action_app).run()
    at.button(key="fail").click().run()
    assert [e.value for e in at.error] == ["The amount must be positive (row 3)."] and not at.success
    at.button(key="work").click().run()
    assert at.session_state["calls"] == 1 and at.session_state["kept"] == 42
    assert [s.value for s in at.success] == [r"Done\: 42 \*items\*"]  # user text shown literally
    at.run()
    assert not at.success  # a flash is shown once


def test_confirm_waits_for_the_second_click(app_env):
    at = AppTest.from_function(_action_app).run()
    at.button(key="delete").click().run()
    assert [w.value for w in at.warning] == ["Delete #7?"]
    at.button(key="no").click().run()
    assert not at.warning and "deleted" not in at.session_state
    at.button(key="delete").click().run()
    at.button(key="yes").click().run()
    assert at.session_state["deleted"] is True and "pending" not in at.session_state


def test_format_helpers():
    p = Principal(user_id=1, email="a@example.com", name="A", role="user", currency="EUR", locale="en_US",
                  date_format="%d %b %Y")
    assert fmt.plural(1, "rule") == "1 rule" and fmt.plural(2, "rule") == "2 rules"
    assert fmt.plural(3, "entry", "entries") == "3 entries" and fmt.plural(0, "user") == "0 users"
    assert fmt.when(None) == "—" and fmt.when(dt.datetime(2025, 3, 5, 14, 7, 59)) == "2025-03-05 14:07"
    assert fmt.md("a*b_[c]") == r"a\*b\_\[c\]"
    assert fmt.money(p, 123456) == fmt.money(p, 123456, "EUR") and "1,234.56" in fmt.money(p, 123456)
    assert fmt.money_or_dash(p, None) == "—"
    assert fmt.money_estimate(p, 1234.56) == fmt.money(p, 123456) and fmt.money_estimate(p, 12.3, "JPY") == fmt.money(p, 12, "JPY")
    assert fmt.date_column_format(p) == "DD MMM YYYY" and fmt.date_input_format(p) == "DD/MM/YYYY"


def test_the_report_loader_takes_functions_not_names(app_env):
    import pytest

    from budgetwise.services import budgets, reports
    from budgetwise.services import transactions as tx
    from budgetwise.ui.reporting import Loader

    user = app_env.create_user("loader@example.com")
    data = Loader(user)
    assert data.call(reports.has_transactions) is False
    assert data.call(reports.has_transactions) == data.reports("has_transactions")
    month = dt.date(2025, 3, 1)
    assert data.call(budgets.budget_history, months=2, today=month) is not None
    with pytest.raises(ValueError, match="is not a public function of the reports or budgets service"):
        data.call(tx.add_transaction)
