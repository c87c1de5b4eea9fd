"""Goals: savings goals with a plan (per day/week/month), progress, contributions, and the
forecast of reaching them from the net-savings forecast (probability in words, chart)."""

import datetime as dt

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from budgetwise.money import from_minor
from budgetwise.services import auth
from budgetwise.services import forecast as F
from budgetwise.services import goal_accounts as GA
from budgetwise.services import goals as G
from budgetwise.ui import db_session, read_session, require_user
from budgetwise.ui.actions import flash, run_action, show_flash
from budgetwise.ui.charts import GRID, NET, OK, TRANSPARENT, WARN
from budgetwise.ui.format import money_or_dash
from budgetwise.ui.forms import form_key, reset_form
from budgetwise.ui.widgets import md, money, money_metric

principal = require_user()
today = dt.date.today()
cur = principal.currency


@st.cache_data(show_spinner=False, max_entries=128, ttl=3600)
def _net_forecast(user_id: int, data_version: str):
    """The 24-month net-savings forecast (None with too little history: the reason is returned instead)."""
    with read_session() as s:
        try:
            return F.forecast_user(s, user_id=user_id, series=F.SERIES_NET, horizon=24, freq="month"), ""
        except F.NotEnoughHistory as exc:
            return None, exc.message


st.title("Goals")
st.caption("Save towards what matters: see what it takes per day, week and month, and how likely you are to make it.")
show_flash()

with read_session() as s:
    version = auth.cache_version(s, user_id=principal.user_id)  # account id + data version (issue 13)
    goals = G.list_goals(s, user_id=principal.user_id, today=today)

# --------------------------------------------------------------------------- new goal
nk = form_key("goal_new")  # a new, empty form after a goal was created (kept as typed after an error)
with st.expander("New goal", expanded=not goals, icon=":material/add:"):
    with st.form(nk, clear_on_submit=False):
        c1, c2 = st.columns(2)
        name = c1.text_input("Name", placeholder="Emergency fund", key=f"{nk}_name", max_chars=G.MAX_NAME)
        target = c2.text_input(f"Target amount ({cur})", placeholder="5,000.00", key=f"{nk}_target")
        c3, c4 = st.columns(2)
        target_date = c3.date_input("Target date", value=today.replace(year=today.year + 1) if not (
            today.month == 2 and today.day == 29) else today + dt.timedelta(days=365),
            max_value=G.latest_target_date(today), key=f"{nk}_date")
        saved = c4.text_input(f"Already saved ({cur})", value="0", key=f"{nk}_saved")
        submitted = st.form_submit_button("Create goal", type="primary")
    if submitted:
        def _created(goal) -> None:
            st.session_state["goal_selected"] = goal.id
            reset_form("goal_new")

        run_action(
            lambda s: G.create_goal(s, user_id=principal.user_id, name=name, target=target,
                                    target_date=target_date, already_saved=saved, today=today),
            lambda created: f"Goal “{created.name}” created.",
            then=_created,
        )

if not goals:
    st.info("No goals yet: create one above. Each goal gets a saving plan and, with six months of history, "
            "a forecast of reaching it.")
    st.stop()

net, net_reason = _net_forecast(principal.user_id, version)
shares = G.default_shares(goals)

# --------------------------------------------------------------------------- overview
outlooks = {}
for g in goals:
    share = st.session_state.get(f"goal_share_{g.id}", shares.get(g.id, 1.0))
    outlooks[g.id] = G.project_goal(g, net, share=share)
st.dataframe(
    pd.DataFrame({
        "Goal": [g.name for g in goals],
        "Saved": [money_or_dash(principal, g.saved_minor, g.currency) for g in goals],
        "Target": [money_or_dash(principal, g.target_minor, g.currency) for g in goals],
        "Progress": [g.progress for g in goals],
        "Target date": [g.target_date.isoformat() for g in goals],
        "Per month needed": [money_or_dash(principal, g.per_month_minor, g.currency) if not g.reached else "reached" for g in goals],
        "Outlook": [outlooks[g.id].words for g in goals],
    }),
    column_config={"Progress": st.column_config.ProgressColumn("Progress", min_value=0.0, max_value=1.0, format="percent")},
    hide_index=True, key="goal_overview",
)

ids = [g.id for g in goals]
if st.session_state.get("goal_selected") not in ids:
    st.session_state["goal_selected"] = ids[0]
if st.session_state.get("goal_w_selected") not in ids:
    st.session_state["goal_w_selected"] = st.session_state["goal_selected"]
by_id = {g.id: g for g in goals}
selected = st.selectbox("Goal", ids, format_func=lambda i: by_id[i].name, key="goal_w_selected",
                        on_change=lambda: st.session_state.update(goal_selected=st.session_state["goal_w_selected"]))
goal = by_id[selected]

# --------------------------------------------------------------------------- plan
st.subheader(md(goal.name))
st.progress(goal.progress, text=md(f"{money_or_dash(principal, goal.saved_minor, goal.currency)} of {money_or_dash(principal, goal.target_minor, goal.currency)} ({goal.progress:.0%})"))
if goal.account_id is not None:
    st.caption(md(f"Progress follows the balance of your savings account “{goal.account_name}”."))
if goal.account_note:
    st.warning(md(goal.account_note), icon=":material/currency_exchange:")
with read_session() as s:
    linkable = {a.id: a.name for a in GA.linkable_accounts(s, user_id=principal.user_id)}
if goal.account_id is not None and goal.account_id not in linkable:
    linkable[goal.account_id] = goal.account_name or "(archived account)"
with st.form(f"goal_link_{goal.id}", border=False):
    l1, l2 = st.columns([3, 1], vertical_alignment="bottom")
    choices = [None, *linkable]
    link_to = l1.selectbox("Savings account this goal follows", choices, index=choices.index(goal.account_id),
                           format_func=lambda i: "None: record contributions here" if i is None else linkable[i],
                           key=f"goal_w_account_{goal.id}",
                           help="Link a savings account and the goal's progress is that account's balance.")
    if l2.form_submit_button("Save link"):
        run_action(lambda s: GA.link_account(s, user_id=principal.user_id, goal_id=goal.id, account_id=link_to),
                   lambda linked: f"“{goal.name}” now follows “{linkable[linked]}”." if linked
                   else f"“{goal.name}” no longer follows an account.")
# two rows of three: five cards in one row at a 1400 px window cut "2192 days" and "$4,006.19" with "…"
m1, m2, m3 = st.columns(3)
m4, m5, _ = st.columns(3)
money_metric(m1, "Remaining", principal, goal.remaining_minor, goal.currency, columns=3)
if goal.reached:
    m2.metric("Status", "Reached 🎉", border=True)
elif goal.overdue:
    m2.metric("Target date", "passed", border=True, help=f"It was {goal.target_date.isoformat()}: choose a new date below.")
else:
    m2.metric("Time left", f"{goal.days_left} days", border=True,
              help=f"About {goal.months_left:.1f} months ({goal.whole_months_left} whole months) until "
                   f"{goal.target_date.isoformat()}.")
money_metric(m3, "Save per month", principal, goal.per_month_minor, goal.currency, columns=3,
             help="Rounded up to the cent: saving this much reaches the target on time.")
money_metric(m4, "Per week", principal, goal.per_week_minor, goal.currency, columns=3)
money_metric(m5, "Per day", principal, goal.per_day_minor, goal.currency, columns=3)

# --------------------------------------------------------------------------- forecast of achievement
st.markdown("**Will I make it?**")
if goal.reached:
    st.success("Goal reached: well done!")
elif net is None:
    st.info(md(net_reason) + "  \nMeanwhile, the plan above shows what to save.")
else:
    open_goals = [g for g in goals if not g.reached]
    if len(open_goals) > 1:
        key = f"goal_share_{goal.id}"
        if f"goal_w_share_{goal.id}" not in st.session_state:
            st.session_state[f"goal_w_share_{goal.id}"] = int(round(100 * st.session_state.get(key, shares.get(goal.id, 1.0))))
        pct = st.slider("Share of your future net savings going to this goal (%)", 0, 100, key=f"goal_w_share_{goal.id}")
        st.session_state[key] = pct / 100
    projection = G.project_goal(goal, net, share=st.session_state.get(f"goal_share_{goal.id}", shares.get(goal.id, 1.0)))
    words = projection.words
    colour = {"very likely": "green", "likely": "green", "uncertain": "orange", "at risk": "red", "unlikely": "red"}.get(
        words, "gray")
    head = f":{colour}-badge[{words.capitalize()}]"
    if projection.probability is not None and not goal.overdue:
        head += f" **{G.chance_text(projection.probability)}** chance by {goal.target_date.isoformat()}"
    if projection.projected_date:
        head += f" · expected around **{projection.projected_date.isoformat()}**"
    st.markdown(head)
    st.caption(md(projection.explanation))
    chart = projection.chart
    if not chart.empty:
        fig = go.Figure()
        fig.add_trace(go.Scatter(
            x=list(chart["ds"]) + list(chart["ds"])[::-1], y=list(chart["upper"]) + list(chart["lower"])[::-1],
            mode="lines", fill="toself", fillcolor="rgba(76,120,221,0.18)", line=dict(width=0), hoverinfo="skip",
            name=f"{net.interval:.0%} range",
        ))
        fig.add_trace(go.Scatter(x=list(chart["ds"]), y=list(chart["expected"]), mode="lines", name="Projected savings",
                                 line=dict(color=NET, width=2)))
        fig.add_trace(go.Scatter(x=[chart["ds"].iloc[0], chart["ds"].iloc[-1]], y=[chart["target"].iloc[0]] * 2,
                                 mode="lines", name="Target", line=dict(color=OK, dash="dash")))
        fig.add_vline(x=goal.target_date.isoformat(), line=dict(color=WARN, dash="dot"))
        fig.add_annotation(x=goal.target_date.isoformat(), y=1, yref="paper", text="target date", showarrow=False,
                           yanchor="bottom")
        fig.update_layout(height=340, margin=dict(l=8, r=8, t=36, b=8), paper_bgcolor=TRANSPARENT,
                          plot_bgcolor=TRANSPARENT, hovermode="x unified",
                          legend=dict(orientation="h", yanchor="bottom", y=1.02, xanchor="left", x=0))
        fig.update_xaxes(showgrid=False)
        fig.update_yaxes(gridcolor=GRID, zerolinecolor=GRID, tickformat=",.0f", title_text=cur)
        st.plotly_chart(fig, key="goal_chart", config={"displayModeBar": False})

# --------------------------------------------------------------------------- contributions
st.markdown("**Contributions**")
with read_session() as s:
    contributions = G.list_contributions(s, user_id=principal.user_id, goal_id=goal.id)
if goal.account_id is not None:
    st.caption("This goal follows a savings account: put money in the account; amounts recorded here do not count "
               "while it is linked.")
else:
    with st.form(f"goal_contribute_{goal.id}", clear_on_submit=True):
        c1, c2, c3 = st.columns([2, 2, 3])
        amount = c1.text_input(f"Amount ({cur}); negative to withdraw", key=f"goal_c_amount_{goal.id}")
        first_day, last_day = G.contribution_date_limits(today)
        day = c2.date_input("Date", value=today, min_value=first_day, max_value=last_day, key=f"goal_c_date_{goal.id}")
        note = c3.text_input("Note", max_chars=G.MAX_NOTE, key=f"goal_c_note_{goal.id}")
        add = st.form_submit_button("Add contribution")
    if add:
        run_action(
            lambda s: G.add_contribution(s, user_id=principal.user_id, goal_id=goal.id, amount=amount, date=day, note=note,
                                         today=today),
            lambda c: (f"{'Added' if c.amount_minor > 0 else 'Withdrew'} {money(principal, abs(c.amount_minor), goal.currency)} "
                       f"{'to' if c.amount_minor > 0 else 'from'} “{goal.name}”."),
        )
if contributions:
    st.dataframe(
        pd.DataFrame({
            "Date": [c.date.isoformat() for c in contributions],
            "Amount": [money(principal, c.amount_minor, goal.currency, signed=True) for c in contributions],
            "Note": [c.note for c in contributions],
        }),
        hide_index=True, key=f"goal_contributions_{goal.id}",
    )
    labels = {c.id: f"{c.date.isoformat()} · {money(principal, c.amount_minor, goal.currency, signed=True)}"
              for c in contributions}
    d1, d2 = st.columns([3, 1])
    doomed = d1.selectbox("Remove a contribution", list(labels), format_func=labels.get, index=None,
                          placeholder="Choose one to remove", key=f"{form_key('goal_w_remove')}_{goal.id}")
    if d2.button("Remove", key=f"goal_remove_{goal.id}", disabled=doomed is None):
        run_action(
            lambda s: G.delete_contribution(s, user_id=principal.user_id, contribution_id=doomed),
            "Contribution removed.",
            then=lambda _: reset_form("goal_w_remove"),  # nothing stays chosen for the next removal
        )
else:
    st.caption("No contributions recorded yet.")

# --------------------------------------------------------------------------- edit / delete
with st.expander("Edit or delete this goal", icon=":material/edit:"):
    with st.form(f"goal_edit_{goal.id}"):
        e1, e2 = st.columns(2)
        new_name = e1.text_input("Name", value=goal.name, key=f"goal_e_name_{goal.id}", max_chars=G.MAX_NAME)
        new_target = e2.text_input(f"Target amount ({cur})", value=str(from_minor(goal.target_minor, goal.currency)),
                                   key=f"goal_e_target_{goal.id}")
        e3, e4 = st.columns(2)
        new_date = e3.date_input("Target date", value=goal.target_date, max_value=G.latest_target_date(today),
                                 key=f"goal_e_date_{goal.id}")
        new_saved = e4.text_input(f"Saved before the first contribution ({cur})",
                                  value=str(from_minor(goal.initial_saved_minor, goal.currency)),
                                  key=f"goal_e_saved_{goal.id}")
        archive = st.checkbox("Archive (hide from this page)", value=goal.is_archived, key=f"goal_e_archive_{goal.id}")
        save = st.form_submit_button("Save changes")
    if save:
        run_action(
            lambda s: G.update_goal(s, user_id=principal.user_id, goal_id=goal.id, name=new_name, target=new_target,
                                    target_date=new_date, already_saved=new_saved, archived=archive, today=today),
            "Goal saved.",
        )
    confirm = st.checkbox(md(f"Yes, delete “{goal.name}” and its contributions"), key=f"goal_w_confirm_{goal.id}")
    if st.button("Delete goal", type="secondary", disabled=not confirm, key=f"goal_delete_{goal.id}"):
        with db_session() as s:
            G.delete_goal(s, user_id=principal.user_id, goal_id=goal.id)
        st.session_state.pop("goal_selected", None)
        flash(f"Goal “{goal.name}” deleted.")
        st.rerun()
