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
from budgetwise.ui.format import (
    PICKER_MAX,
    PICKER_MIN,
    amount_example,
    amount_input,
    count_text,
    date_input_format,
    day,
)
from budgetwise.ui.forms import form_key, reset_form
from budgetwise.ui.widgets import md, money, select_or_none, show_error

NO_ACCOUNT = "No particular account"  # the schedule form's default choice


EDITING = "cf_sched_editing"  # canonical: the id of the item whose edit form is open (one at a time), else None


def render(principal: Principal, today: dt.date, *, expanded: bool = False) -> None:
    with st.expander("Items you schedule by hand", icon=":material/edit_calendar:", expanded=expanded):
        st.caption(f"Payments or income the detector cannot know: “rent {count_text(principal, 1200)} on the 1st”, “insurance 600 every March”.")
        with read_session() as s:
            scheduled = C.list_scheduled(s, user_id=principal.user_id)
            open_accounts = {a.id: a.name for a in A.list_accounts(s, user_id=principal.user_id)}
        editing = st.session_state.get(EDITING)
        for item in scheduled:
            # wide enough for whole buttons at a 910 px window (session 19: "E.", "R…")
            r1, r2, r3 = st.columns([3, 1, 1.2], vertical_alignment="center")
            r1.markdown(f"**{md(item.name)}**: {money(principal, item.amount_minor, item.currency)} {item.kind}, "
                        f"next on {day(principal, item.next_date)}, {item.cadence or 'once'} · {_account_text(item)}")
            if item.id == editing:
                _edit_form(principal, today, item, open_accounts)
                continue
            if r2.button("Edit", key=f"cf_sched_edit_{item.id}"):
                st.session_state[EDITING] = item.id
                st.rerun()
            if r3.button("Remove", key=f"cf_sched_del_{item.id}"):
                run_action(lambda s, item=item: C.delete_scheduled(s, user_id=principal.user_id, item_id=item.id),
                           f"Removed “{item.name}” from the schedule.")
        # new, empty widgets after an item was scheduled: the form kept it as typed and a second press
        # scheduled it twice (QA session 13); kept as typed after an error
        fk = form_key("cf_sched")
        with st.form(f"{fk}_form", clear_on_submit=False):
            f = _fields(principal, today, fk, open_accounts)
            if st.form_submit_button("Schedule"):
                run_action(lambda s: C.add_scheduled(s, user_id=principal.user_id, **f),
                           lambda item: f"Scheduled “{item.name}”.", then=lambda _item: reset_form("cf_sched"))


def _edit_form(principal: Principal, today: dt.date, item: C.ScheduledView, open_accounts: dict[int, str]) -> None:
    """An item's fields as they are, to change any of them (session 19: it was remove and schedule again); the
    service checks them as it checks a new item's, and writes nothing on a refusal."""
    name = f"cf_sched_edit_{item.id}"
    fk = form_key(name)
    with st.form(f"{fk}_form", clear_on_submit=False, border=True):
        f = _fields(principal, today, fk, open_accounts, item)
        b1, b2, _ = st.columns([1.6, 1, 1.4])
        save = b1.form_submit_button("Save changes", type="primary")
        cancel = b2.form_submit_button("Cancel")
    if cancel:
        st.session_state[EDITING] = None
        reset_form(name)
        st.rerun()
    if save:
        def _done(_item) -> None:
            st.session_state[EDITING] = None
            reset_form(name)

        run_action(lambda s: C.update_scheduled(s, user_id=principal.user_id, item_id=item.id, **f),
                   lambda edited: f"Saved “{edited.name}”.", then=_done)


def _fields(principal: Principal, today: dt.date, fk: str, open_accounts: dict[int, str],
            item: C.ScheduledView | None = None) -> dict:
    """The fields of a scheduled item, the same for a new item and an edited one (``item``: its values to start
    from), as the keywords of ``cashflow.add_scheduled`` / ``update_scheduled``."""
    # two rows of three: five columns in a row left ~60 px a field at a 910 px window (session 19)
    s1, s2, s3 = st.columns([1.7, 1.2, 1.3])
    name = s1.text_input("Name", value=item.name if item else "", key=f"{fk}_name", placeholder="Rent")
    kinds = ["expense", "income"]
    kind = s2.selectbox("Type", kinds, index=kinds.index(item.kind) if item else 0, key=f"{fk}_kind",
                        format_func=str.capitalize)
    amount = s3.text_input("Amount", value=amount_input(principal, item.amount_minor, item.currency) if item else "",
                           key=f"{fk}_amount", placeholder=amount_example(principal))
    # every date it can show: one outside its own limits (Streamlit's default, ten years either side) is
    # marked invalid and never sent, so the default would be used without a word; the service refuses it
    first_day, last_day = C.scheduled_date_limits(today)
    s4, s5, a1 = st.columns([1.6, 1, 1.6])
    when = s4.date_input("Next date", value=item.next_date if item else today + dt.timedelta(days=1),
                         min_value=PICKER_MIN, max_value=PICKER_MAX, key=f"{fk}_date",
                         format=date_input_format(principal),
                         help=f"From today ({day(principal, first_day)}) to {day(principal, last_day)}.")
    # "once" as an option of its own: a None option showed as "Choose an option" after a submit (QA session 13)
    repeats = [C.ONCE, *CADENCES]
    repeat = s5.selectbox("Repeats", repeats, index=repeats.index(item.cadence or C.ONCE) if item else 0,
                          key=f"{fk}_repeat")
    # an edited item's archived account is shown as it is (saving it there is refused, with the reason)
    names = dict(open_accounts)
    if item and item.account_id is not None and item.account_id not in names:
        names[item.account_id] = f"{item.account} (archived)"
    account = select_or_none(
        a1, "Account", list(names), none=NO_ACCOUNT, value=item.account_id if item else None,
        format_func=names.__getitem__, key=f"{fk}_account",
        help="The account it is paid from or into: that account's projection counts it, "
        "and so do the spending or all accounts' when they count that account. An item of no particular "
        "account is in the spending and all-accounts projections, in no single account's.")
    return {"name": name, "amount": amount, "kind": kind, "next_date": when, "cadence": repeat, "account_id": account}


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
            show_error(exc, kind="info", icon=":material/info:")
            render(principal, today, expanded=True)
        else:
            show_error(exc)
    return show
