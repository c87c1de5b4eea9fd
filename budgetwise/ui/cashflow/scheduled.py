"""Cash flow: the items the user schedules by hand (shown even when there is nothing to project yet)."""

from __future__ import annotations

import datetime as dt

import streamlit as st

from budgetwise.analysis.recurring import CADENCES
from budgetwise.errors import BudgetwiseError
from budgetwise.principal import Principal
from budgetwise.services import accounts as A
from budgetwise.services import cashflow as C
from budgetwise.ui.actions import run_action
from budgetwise.ui.context import read_session
from budgetwise.ui.format import PICKER_MAX, PICKER_MIN, amount_example, count_text, date_input_format, day
from budgetwise.ui.forms import form_key, reset_form
from budgetwise.ui.widgets import md, money, show_error

NO_ACCOUNT = "No particular account"  # the schedule form's default choice


def render(principal: Principal, today: dt.date, *, expanded: bool = False) -> None:
    with st.expander("Items you schedule by hand", icon=":material/edit_calendar:", expanded=expanded):
        st.caption(f"Payments or income the detector cannot know: “rent {count_text(principal, 1200)} on the 1st”, “insurance 600 every March”.")
        with read_session() as s:
            scheduled = C.list_scheduled(s, user_id=principal.user_id)
            open_accounts = {a.id: a.name for a in A.list_accounts(s, user_id=principal.user_id)}
        for item in scheduled:
            r1, r2 = st.columns([4, 1])
            r1.markdown(f"**{md(item.name)}**: {money(principal, item.amount_minor, item.currency)} {item.kind}, "
                        f"next on {day(principal, item.next_date)}, {item.cadence or 'once'} · {_account_text(item)}")
            if r2.button("Remove", key=f"cf_sched_del_{item.id}"):
                run_action(lambda s, item=item: C.delete_scheduled(s, user_id=principal.user_id, item_id=item.id),
                           f"Removed “{item.name}” from the schedule.")
        # new, empty widgets after an item was scheduled: the form kept it as typed and a second press
        # scheduled it twice (QA session 13); kept as typed after an error
        fk = form_key("cf_sched")
        with st.form(f"{fk}_form", clear_on_submit=False):
            s1, s2, s3, s4, s5 = st.columns(5)
            s_name = s1.text_input("Name", key=f"{fk}_name", placeholder="Rent")
            s_kind = s2.selectbox("Type", ["expense", "income"], key=f"{fk}_kind", format_func=str.capitalize)
            s_amount = s3.text_input("Amount", key=f"{fk}_amount", placeholder=amount_example(principal))
            # every date it can show: one outside its own limits (Streamlit's default, ten years either side) is
            # marked invalid and never sent, so the default would be used without a word; the service refuses it
            first_day, last_day = C.scheduled_date_limits(today)
            s_date = s4.date_input("Next date", value=today + dt.timedelta(days=1), min_value=PICKER_MIN,
                                   max_value=PICKER_MAX, key=f"{fk}_date", format=date_input_format(principal),
                                   help=f"From today ({day(principal, first_day)}) to {day(principal, last_day)}.")
            # "once" as an option of its own: a None option showed as "Choose an option" after a submit (QA session 13)
            s_repeat = s5.selectbox("Repeats", [C.ONCE, *CADENCES], key=f"{fk}_repeat")
            a1, _ = st.columns([2, 3])
            s_account = a1.selectbox(
                "Account", [None, *open_accounts], format_func=lambda i: open_accounts[i] if i else NO_ACCOUNT,
                key=f"{fk}_account", help="The account it is paid from or into: that account's projection counts it, "
                "and so do the spending or all accounts' when they count that account. An item of no particular "
                "account is in the spending and all-accounts projections, in no single account's.")
            if st.form_submit_button("Schedule"):
                run_action(lambda s: C.add_scheduled(s, user_id=principal.user_id, name=s_name, amount=s_amount,
                                                     kind=s_kind, next_date=s_date, cadence=s_repeat,
                                                     account_id=s_account),
                           lambda item: f"Scheduled “{item.name}”.", then=lambda _item: reset_form("cf_sched"))


def _account_text(item: C.ScheduledView) -> str:
    """The account an item belongs to, in the list (an archived account's item is said not to be projected)."""
    if item.account_id is None:
        return NO_ACCOUNT.lower()
    return md(item.account) + (" (archived: not projected)" if item.account_archived else "")


def nothing_yet(principal: Principal, today: dt.date):
    """What :func:`budgetwise.ui.actions.load` shows when there is no projection: an empty state (with
    the form to schedule items), not a line of zeros; any other error as usual."""
    def show(exc: BudgetwiseError) -> None:
        if isinstance(exc, C.NothingToProject):
            st.info(md(exc.message), icon=":material/info:")
            render(principal, today, expanded=True)
        else:
            show_error(exc)
    return show
