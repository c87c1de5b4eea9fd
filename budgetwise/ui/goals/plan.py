"""Goals: the chosen goal's plan (progress, the savings account it follows, what to save)."""

from __future__ import annotations

import streamlit as st

from budgetwise.principal import Principal
from budgetwise.services import goal_accounts as GA
from budgetwise.ui import read_session
from budgetwise.ui.actions import run_action
from budgetwise.ui.format import day, money_or_dash, percent
from budgetwise.ui.widgets import md, metric_row, money_metric, select_or_none


def render(principal: Principal, goal, fx=None) -> None:
    """``fx``: the goal's :class:`goal_currency.GoalRate` when it is in another currency than the base one."""
    st.subheader(md(goal.name))
    st.progress(goal.progress_percent, text=md(
        f"{money_or_dash(principal, goal.saved_minor, goal.currency)} of "
        f"{money_or_dash(principal, goal.target_minor, goal.currency)} ({percent(principal, goal.progress_percent)})"))
    if goal.account_id is not None:
        st.caption(md(f"Progress follows the balance of your savings account “{goal.account_name}”."))
    if fx is not None:  # a goal made before the base currency changed: its worth now, or the missing rate
        if fx.rate is not None:
            st.caption(md(fx.text))
        else:
            st.warning(md(fx.text), icon=":material/currency_exchange:")
    if goal.account_note:
        st.warning(md(goal.account_note), icon=":material/currency_exchange:")
    with read_session() as s:
        linkable = {a.id: a.name for a in GA.linkable_accounts(s, user_id=principal.user_id)}
    if goal.account_id is not None and goal.account_id not in linkable:
        linkable[goal.account_id] = goal.account_name or "(archived account)"
    with st.form(f"goal_link_{goal.id}", border=False):
        l1, l2 = st.columns([3, 1], vertical_alignment="bottom")
        link_to = select_or_none(l1, "Savings account this goal follows", list(linkable), value=goal.account_id,
                                 none="None: record contributions here", format_func=linkable.__getitem__,
                                 key=f"goal_w_account_{goal.id}",
                               help="Link a savings account and the goal's progress is that account's balance.")
        if l2.form_submit_button("Save link"):
            run_action(lambda s: GA.link_account(s, user_id=principal.user_id, goal_id=goal.id, account_id=link_to),
                       lambda linked: f"“{goal.name}” now follows “{linkable[linked]}”." if linked
                       else f"“{goal.name}” no longer follows an account.")
    if not linkable:  # QA: an imported account called "Savings" is a checking account, and the list offered only "None"
        st.caption("Only a savings account can be followed, and none of your accounts is one: add one on the "
                   "**Accounts** page (type Savings).")
    # two rows of three: five cards in one row at a 1400 px window cut "2192 days" and "$4,006.19" with "…";
    # both rows draw their figures in one size
    # "Reached" without "🎉": a browser without an emoji font drew a box in the card (session 21)
    status = "Reached" if goal.reached else "passed" if goal.overdue else f"{goal.days_left} days"
    amounts = (goal.remaining_minor, goal.per_month_minor, goal.per_week_minor, goal.per_day_minor)
    figures = [money_or_dash(principal, m, goal.currency) for m in amounts] + [status]
    m1, m2, m3 = metric_row(3, figures)
    m4, m5, _ = metric_row(3, figures)
    money_metric(m1, "Remaining", figures[0])
    if goal.reached:
        m2.metric("Status", status, border=True)
    elif goal.overdue:
        m2.metric("Target date", status, border=True, help=f"It was {day(principal, goal.target_date)}: choose a new date below.")
    else:
        m2.metric("Time left", status, border=True,
                  help=f"About {goal.months_left:.1f} months ({goal.whole_months_left} whole months) until "
                       f"{day(principal, goal.target_date)}.")
    money_metric(m3, "Save per month", figures[1],
                 help="Rounded up to the cent: saving this much reaches the target on time.")
    money_metric(m4, "Per week", figures[2])
    money_metric(m5, "Per day", figures[3])
