"""Cash flow: the what-if (a payment or a cancelled bill; nothing is saved)."""

from __future__ import annotations

import datetime as dt

import streamlit as st

from budgetwise.analysis.recurring import CADENCES
from budgetwise.principal import Principal
from budgetwise.services import cashflow as C
from budgetwise.ui.actions import run_action
from budgetwise.ui.cashflow.projection import WHAT_IF, what_if_state
from budgetwise.ui.format import PICKER_MAX, PICKER_MIN, date_input_format, day, decimal_separator
from budgetwise.ui.widgets import md, money


def render(principal: Principal, base, today: dt.date) -> None:
    cur = principal.currency
    state = what_if_state()
    last_day = base.days[-1].date if base.days else None  # the projection's end: a later what-if changes nothing
    st.subheader("What if…")
    st.caption("Try a payment or a cancelled bill and see the projection change. Nothing is saved.")
    with st.form("cf_what_if_form"):
        w1, w2, w3, w4 = st.columns(4)
        kind = w1.selectbox("Type", ["expense", "income"], key="cf_wi_kind", format_func=str.capitalize)
        amount = w2.text_input("Amount", key="cf_wi_amount", placeholder="e.g. 800")
        # every date it can show: one outside its own limits (Streamlit's default, ten years either side) is
        # marked invalid and never sent, so the default would be used without a word; the service refuses it
        when = w3.date_input("Date", value=today + dt.timedelta(days=7), min_value=PICKER_MIN, max_value=PICKER_MAX,
                             key="cf_wi_date", format=date_input_format(principal), help=f"A day after today ({day(principal, today)})"
                             + (f" up to the projection's last day ({day(principal, last_day)})." if last_day else "."))
        repeat = w4.selectbox("Repeats", [C.ONCE, *CADENCES], key="cf_wi_repeat")  # not None: see scheduled.py
        cancel_choices = sorted({i.label for i in base.items if i.amount_minor < 0})
        cancel = st.multiselect("Cancel these bills", cancel_choices, default=list(state["cancel"]), key="cf_wi_cancel")
        add = st.form_submit_button("Show the what-if", type="primary")
    if add and not amount.strip() and not cancel and not state["items"] and not state["cancel"]:
        # an empty form changed nothing, without a word: the button seemed broken (session 20); bills unticked
        # again are a change (the what-if drops them)
        st.info("Nothing to try yet: enter an amount, or choose bills to cancel.")
    elif add:
        def _what_if():
            items = state["items"]
            if amount.strip():
                items = (*items, C.what_if_item(amount=amount, kind=kind, date=when, currency=cur, cadence=repeat,
                                                label=kind.capitalize(), until=last_day,
                                                decimal_hint=decimal_separator(principal),
                                                date_format=principal.date_format, locale=principal.locale,
                                                held=len(items)))
            return {"items": items, "cancel": tuple(cancel)}

        run_action(_what_if, unit_of_work=False, then=lambda wi: st.session_state.__setitem__(WHAT_IF, wi))
    if state["items"] or state["cancel"]:
        st.caption("In the what-if: " + "; ".join(
            [f"{md(i.label)} {md(money(principal, abs(i.amount_minor), cur))} on {day(principal, i.date)}"
             + (f", {i.cadence}" if i.cadence else "")
             + (" (after the projection's last day: more months ahead show it)"
                if last_day and i.date > last_day else "") for i in state["items"]]
            + [f"cancelled {md(c)}" for c in state["cancel"]]))
        if st.button("Clear the what-if", key="cf_wi_clear"):
            st.session_state[WHAT_IF] = {"items": (), "cancel": ()}
            st.rerun()
