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
    at = AppTest.from_function(_action_app, default_timeout=30).run()
    at.button(key="fail").click().run()
    assert [e.value for e in at.error] == ["The amount must be positive (row 3)."] and not at.success
    at.button(key="work").click().run()
    assert at.session_state["calls"] == 1 and at.session_state["kept"] == 42
    assert [s.value for s in at.success] == [r"Done\: 42 \*items\*"]  # user text shown literally
    at.run()
    assert not at.success  # a flash is shown once


def _load_app():
    import streamlit as st

    from budgetwise.errors import ValidationError
    from budgetwise.ui.actions import load, run_action, show_flash

    show_flash()

    def bad():
        raise ValidationError("The file has no date column.")

    st.session_state["read"] = load(lambda: 7)
    st.session_state["failed"] = load(bad)
    st.session_state["custom"] = load(bad, on_error=lambda exc: st.warning(f"Handled: {exc.message}"))
    if st.button("step", key="step"):  # an action that opens no unit of work (e.g. signing in)
        run_action(lambda: "signed in", lambda r: f"Step: {r}", unit_of_work=False)
    if st.button("stop", key="stop"):
        load(bad, stop=True)
        st.session_state["after_stop"] = True


def test_load_shows_the_error_and_returns_none_or_stops(app_env):
    at = AppTest.from_function(_load_app, default_timeout=30).run()
    assert at.session_state["read"] == 7 and at.session_state["failed"] is None and at.session_state["custom"] is None
    assert [e.value for e in at.error] == ["The file has no date column."]
    assert [w.value for w in at.warning] == ["Handled: The file has no date column."]
    at.button(key="step").click().run()
    assert [s.value for s in at.success] == [r"Step\: signed in"]
    at.button(key="stop").click().run()
    assert "after_stop" not in at.session_state and len(at.error) == 2


def test_confirm_waits_for_the_second_click(app_env):
    at = AppTest.from_function(_action_app, default_timeout=30).run()
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
    # an HTML entity a user typed stays text: "&lt;" must not show as "<" (the sidebar name, session 14)
    assert fmt.md("AT&T &lt;b&gt;") == r"AT\&T \&lt;b\&gt;"
    assert fmt.money(p, 123456) == fmt.money(p, 123456, "EUR") and "1,234.56" in fmt.money(p, 123456)
    assert fmt.money_or_dash(p, None) == "—"
    assert fmt.money_estimate(p, 1234.56) == fmt.money(p, 123456) and fmt.money_estimate(p, 12.3, "JPY") == fmt.money(p, 12, "JPY")
    assert fmt.date_column_format(p) == "DD MMM YYYY" and fmt.date_input_format(p) == "DD/MM/YYYY"


def test_the_report_loader_takes_functions_not_names(app_env):
    import pytest

    from budgetwise.services import budgets, reports
    from budgetwise.services import transactions as tx
    from budgetwise.ui.context import read_session
    from budgetwise.ui.reporting import Loader

    user = app_env.create_user("loader@example.com")
    data = Loader(user)
    assert data.call(reports.has_transactions) is False
    with read_session() as session:  # the cached call answers what the service answers
        direct = reports.has_transactions(session, user_id=user.user_id), reports.data_range(session, user_id=user.user_id)
    assert (data.call(reports.has_transactions), data.call(reports.data_range)) == direct  # one cache entry per function
    assert not hasattr(data, "reports") and not hasattr(data, "budgets")  # no by-name wrappers
    month = dt.date(2025, 3, 1)
    assert data.call(budgets.budget_history, months=2, today=month) is not None
    with pytest.raises(ValueError, match="is not a public function of the reports or budgets service"):
        data.call(tx.add_transaction)


def test_counts_and_editable_amounts_follow_the_users_number_format():
    """QA: a German user read "2,286 rows" and an input showing "0.00"."""
    from budgetwise.principal import Principal
    from budgetwise.ui.format import amount_input, count_text, plural

    de = Principal(user_id=1, email="a@example.com", name="A", role="user", currency="EUR", locale="de_DE")
    us = Principal(user_id=1, email="a@example.com", name="A", role="user", currency="USD")
    assert count_text(de, 2286) == "2.286" and count_text(us, 2286) == "2,286" and count_text(de, 7) == "7"
    assert plural(2286, "row", locale="de_DE") == "2.286 rows" and plural(1200, "rule") == "1,200 rules"
    assert amount_input(de, 0) == "0,00" and amount_input(de, 123456) == "1234,56"
    assert amount_input(us, 123456) == "1234.56" and amount_input(us, 5, "JPY") == "5"


def test_points_in_words_for_a_cards_delta():
    """A change of a chance in percentage points: "+69 points" on a card (QA session 13), "pp" in tables."""
    from budgetwise.principal import Principal
    from budgetwise.ui.format import points

    p = Principal(user_id=1, email="a@example.com", name="A", role="user", locale="de_DE")
    assert points(p, 69.4, digits=0, words=True) == "+69 points"
    assert points(p, -1.2, digits=0, words=True) == "-1 point"
    assert points(p, 2.5) == "+2,5 pp"


def _lock_timeout_app():
    import streamlit as st
    from sqlalchemy.exc import OperationalError

    from budgetwise.models import LoginAttempt
    from budgetwise.ui.actions import run_action

    class Orig(Exception):
        sqlstate = "55P03"  # PostgreSQL's lock_not_available: what a write behind a stuck request gets (session 28)

    def waits_too_long(session):
        session.add(LoginAttempt(user_id=None, email="half@example.com", success=False, reason="x"))
        session.flush()  # written, then the next statement waits past BUDGETWISE_LOCK_TIMEOUT_SECONDS
        raise OperationalError("UPDATE users SET data_version=...", {}, Orig("canceling statement due to lock timeout"))

    if st.button("save", key="save"):
        run_action(waits_too_long, "never shown")


def test_a_lock_timeout_is_shown_as_words_where_refusals_are_and_nothing_is_kept(app_env):
    from sqlalchemy import func, select

    from budgetwise.db import LOCK_TIMEOUT_MESSAGE
    from budgetwise.models import LoginAttempt
    from budgetwise.ui.format import md_message

    at = AppTest.from_function(_lock_timeout_app, default_timeout=30).run()
    at.button(key="save").click().run()
    assert not at.exception  # no traceback
    assert [e.value for e in at.error] == [md_message(LOCK_TIMEOUT_MESSAGE)] and not at.success
    with app_env.factory() as s:
        assert s.scalar(select(func.count()).select_from(LoginAttempt).where(
            LoginAttempt.email == "half@example.com")) == 0
