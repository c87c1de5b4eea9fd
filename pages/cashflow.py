"""Cash flow: the projected daily balance of all accounts, the lowest point, the chance of going
below a threshold before payday, safe to spend per day, and a what-if side by side (issue #19)."""

import datetime as dt

import plotly.graph_objects as go
import streamlit as st

from budgetwise.analysis.recurring import CADENCES
from budgetwise.errors import BudgetwiseError
from budgetwise.money import from_minor
from budgetwise.services import auth
from budgetwise.services import cashflow as C
from budgetwise.ui import db_session, read_session, require_user
from budgetwise.ui.actions import load, run_action, show_flash
from budgetwise.ui.charts import GRID, TRANSPARENT
from budgetwise.ui.dashboard.outlook import OUTLOOK_MONTHS, cached_projection
from budgetwise.ui.widgets import md, money, show_error

principal = require_user()
cur = principal.currency
today = dt.date.today()
WHAT_IF = "cf_what_if"  # canonical state: a tuple of frozen KnownItem / cancelled labels (never saved)


def _fmt(minor: int) -> str:
    return money(principal, minor, cur)


st.title("Cash flow")
show_flash()
st.caption("Will you make it to payday, and what can you still spend? Your accounts' balance, day by day: "
           "recurring income and bills on their dates, your usual spending spread over the days, with an 80% band.")

with read_session() as s:
    version = auth.cache_version(s, user_id=principal.user_id)  # account id + data version (issue 13)
    saved = C.get_threshold(s, user_id=principal.user_id)
c1, c2 = st.columns(2)
horizon = c1.slider("Months ahead", 1, C.MAX_HORIZON_MONTHS, OUTLOOK_MONTHS, key="cf_horizon")
threshold = c2.text_input(f"Warn me below ({cur})", value=str(from_minor(saved, cur)), key="cf_threshold",
                          help="Saved for you: the dashboard's balance outlook warns below it too.")
state = st.session_state.setdefault(WHAT_IF, {"items": (), "cancel": ()})


def _project(saved: int):
    """The saved threshold (a changed "warn me below" is saved; refused: its message) and the
    projections without and with the what-if."""
    if C.parse_threshold(threshold, cur) != saved:
        with db_session() as s:
            saved = C.set_threshold(s, user_id=principal.user_id, threshold=threshold)
    with st.spinner("Projecting…"):
        base = cached_projection(principal.user_id, version, horizon, saved, (), (), today, cur)
        alt = (cached_projection(principal.user_id, version, horizon, saved, state["items"], state["cancel"], today,
                                 cur) if state["items"] or state["cancel"] else None)
    return saved, base, alt


def _scheduled_section(expanded: bool = False) -> None:
    """The items the user schedules by hand (shown even when there is nothing to project yet)."""
    with st.expander("Items you schedule by hand", icon=":material/edit_calendar:", expanded=expanded):
        st.caption("Payments or income the detector cannot know: “rent 1,200 on the 1st”, “insurance 600 every March”.")
        with read_session() as s:
            scheduled = C.list_scheduled(s, user_id=principal.user_id)
        for item in scheduled:
            r1, r2 = st.columns([4, 1])
            r1.markdown(f"**{md(item.name)}**: {money(principal, item.amount_minor, item.currency)} {item.kind}, "
                        f"next on {item.next_date:%Y-%m-%d}, {item.cadence or 'once'}")
            if r2.button("Remove", key=f"cf_sched_del_{item.id}"):
                run_action(lambda s, item=item: C.delete_scheduled(s, user_id=principal.user_id, item_id=item.id),
                           f"Removed “{item.name}” from the schedule.")
        with st.form("cf_sched_form", clear_on_submit=False):
            s1, s2, s3, s4, s5 = st.columns(5)
            s_name = s1.text_input("Name", key="cf_sched_name", placeholder="Rent")
            s_kind = s2.selectbox("Type", ["expense", "income"], key="cf_sched_kind", format_func=str.capitalize)
            s_amount = s3.text_input("Amount", key="cf_sched_amount", placeholder="1,200")
            s_date = s4.date_input("Next date", value=today + dt.timedelta(days=1), key="cf_sched_date")
            s_repeat = s5.selectbox("Repeats", [None, *CADENCES], key="cf_sched_repeat", format_func=lambda c: c or "once")
            if st.form_submit_button("Schedule"):
                run_action(lambda s: C.add_scheduled(s, user_id=principal.user_id, name=s_name, amount=s_amount,
                                                     kind=s_kind, next_date=s_date, cadence=s_repeat),
                           lambda item: f"Scheduled “{item.name}”.")


def _nothing_yet(exc: BudgetwiseError) -> None:
    """No projection to show: an empty state (with the form to schedule items), not a line of zeros."""
    if isinstance(exc, C.NothingToProject):
        st.info(md(exc.message), icon=":material/info:")
        _scheduled_section(expanded=True)
    else:
        show_error(exc)


saved, base, alt = load(lambda: _project(saved), stop=True, on_error=_nothing_yet)

# --------------------------------------------------------------------------- the answers
st.info(md(base.summary(_fmt)), icon=":material/insights:")
m1, m2, m3 = st.columns(3)
m1.metric("Lowest balance", _fmt(base.lowest_minor), help=f"On {base.lowest_date:%Y-%m-%d}.",
          delta=None if alt is None else _fmt(alt.lowest_minor - base.lowest_minor) + " with the what-if")
m2.metric("Chance of going below", f"{base.chance_below:.0%}",
          delta=None if alt is None else f"{alt.chance_below - base.chance_below:+.0%} with the what-if",
          delta_color="inverse")
m3.metric("Safe to spend per day", _fmt(base.safe_per_day_minor),
          help=f"On top of your usual spending, {base.until}, without going below the threshold.")
if base.lowest_minor < base.threshold_minor:
    st.error(f"The projection goes below {_fmt(base.threshold_minor)}: lowest {_fmt(base.lowest_minor)} on "
             f"{base.lowest_date:%Y-%m-%d}.")
for note in base.notes:
    st.caption(md(note))

# --------------------------------------------------------------------------- chart
dates = [d.date for d in base.days]


def _y(points, attr):
    return [float(from_minor(getattr(p, attr), cur)) for p in points]


fig = go.Figure()
fig.add_trace(go.Scatter(x=dates + dates[::-1], y=_y(base.days, "upper_minor") + _y(base.days, "lower_minor")[::-1],
                         fill="toself", fillcolor="rgba(99,110,250,0.15)", line={"width": 0}, name="80% band",
                         hoverinfo="skip"))
fig.add_trace(go.Scatter(x=dates, y=_y(base.days, "balance_minor"), name="Projected balance", mode="lines"))
if alt is not None:
    fig.add_trace(go.Scatter(x=dates, y=_y(alt.days, "balance_minor"), name="With the what-if", mode="lines",
                             line={"dash": "dash"}))
fig.add_hline(y=float(from_minor(base.threshold_minor, cur)), line={"dash": "dot", "color": "crimson"})
fig.update_layout(height=360, margin={"l": 10, "r": 10, "t": 10, "b": 10}, paper_bgcolor=TRANSPARENT,
                  plot_bgcolor=TRANSPARENT, yaxis={"title": cur, "gridcolor": GRID}, legend={"orientation": "h"})
st.plotly_chart(fig, width="stretch", config={"displayModeBar": False})

with st.expander("Known items in the projection", icon=":material/event:"):
    st.dataframe([{"Date": i.date, "Item": i.label, "Amount": _fmt(i.amount_minor), "Repeats": i.cadence or "once"}
                  for i in base.items], hide_index=True, width="stretch")

# --------------------------------------------------------------------------- scheduled by hand
_scheduled_section()

# --------------------------------------------------------------------------- what-if (nothing saved)
st.subheader("What if…")
st.caption("Try a payment or a cancelled bill and see the projection change. Nothing is saved.")
with st.form("cf_what_if_form"):
    w1, w2, w3, w4 = st.columns(4)
    kind = w1.selectbox("Type", ["expense", "income"], key="cf_wi_kind", format_func=str.capitalize)
    amount = w2.text_input("Amount", key="cf_wi_amount", placeholder="e.g. 800")
    when = w3.date_input("Date", value=today + dt.timedelta(days=7), key="cf_wi_date")
    repeat = w4.selectbox("Repeats", [None, *CADENCES], key="cf_wi_repeat", format_func=lambda c: c or "once")
    cancel_choices = sorted({i.label for i in base.items if i.amount_minor < 0})
    cancel = st.multiselect("Cancel these bills", cancel_choices, default=list(state["cancel"]), key="cf_wi_cancel")
    add = st.form_submit_button("Show the what-if", type="primary")
if add:
    def _what_if():
        items = state["items"]
        if amount.strip():
            items = (*items, C.what_if_item(amount=amount, kind=kind, date=when, currency=cur, cadence=repeat,
                                            label=kind.capitalize()))
        return {"items": items, "cancel": tuple(cancel)}

    run_action(_what_if, unit_of_work=False, then=lambda wi: st.session_state.__setitem__(WHAT_IF, wi))
if state["items"] or state["cancel"]:
    st.caption("In the what-if: " + "; ".join([f"{md(i.label)} {md(_fmt(abs(i.amount_minor)))} on {i.date:%Y-%m-%d}"
                                               + (f", {i.cadence}" if i.cadence else "") for i in state["items"]]
                                              + [f"cancelled {md(c)}" for c in state["cancel"]]))
    if st.button("Clear the what-if", key="cf_wi_clear"):
        st.session_state[WHAT_IF] = {"items": (), "cancel": ()}
        st.rerun()
