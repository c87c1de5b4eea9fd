"""Forecast: total expenses, a category, income or net savings for 1-24 months, with an
interval, the backtest against naive guesses, recurring payments as known amounts, a CSV
download, all categories at once, and forecasts of an uploaded categorized CSV."""

import datetime as dt
import hashlib

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from budgetwise.errors import BudgetwiseError
from budgetwise.money import minor_digits
from budgetwise.services import auth, exports
from budgetwise.services import forecast as F
from budgetwise.ui import read_session, require_user
from budgetwise.ui.charts import EXPENSE, GRID, NET, TRANSPARENT, plotly_separators
from budgetwise.ui.format import money_estimate
from budgetwise.ui.widgets import md, money, show_error

principal = require_user()


# --------------------------------------------------------------------------- cached service calls
@st.cache_data(show_spinner=False, max_entries=256, ttl=3600)
def _user_forecast(user_id: int, data_version: str, series: str, horizon: int, freq: str, interval: float,
                   as_of: dt.date | None = None):
    with read_session() as s:
        return F.forecast_user(s, user_id=user_id, series=series, horizon=horizon, freq=freq, interval=interval,
                               as_of=as_of)


@st.cache_data(show_spinner=False, max_entries=64, ttl=3600)
def _user_categories(user_id: int, data_version: str, horizon: int, freq: str, interval: float,
                     as_of: dt.date | None = None):
    with read_session() as s:
        return F.forecast_user_categories(s, user_id=user_id, horizon=horizon, freq=freq, interval=interval, as_of=as_of)


@st.cache_data(show_spinner=False, max_entries=64, ttl=3600)
def _user_series(user_id: int, data_version: str) -> list[tuple[str, str]]:
    with read_session() as s:
        return F.series_options(F.expense_categories(s, user_id=user_id))


@st.cache_data(show_spinner=False, max_entries=16, ttl=3600)
def _file_series(user_id: int, data_version: str, digest: str, _data: bytes, currency: str) -> list[tuple[str, str]]:
    frame = F.read_transactions_csv(_data, currency=currency)
    return F.series_options(F.history_from_frame(frame, currency=currency))


@st.cache_data(show_spinner=False, max_entries=32, ttl=3600)
def _file_forecast(user_id: int, data_version: str, digest: str, _data: bytes, currency: str, series: str, horizon: int, freq: str,
                   interval: float, as_of: dt.date | None = None):
    frame = F.read_transactions_csv(_data, currency=currency)
    return F.forecast_frame(frame, series=series, horizon=horizon, freq=freq, interval=interval, currency=currency,
                            as_of=as_of)


@st.cache_data(show_spinner=False, max_entries=16, ttl=3600)
def _file_categories(user_id: int, data_version: str, digest: str, _data: bytes, currency: str, horizon: int, freq: str,
                     interval: float, as_of: dt.date | None = None):
    history = F.history_from_frame(F.read_transactions_csv(_data, currency=currency), currency=currency, as_of=as_of)
    return F.forecast_history_categories(history, horizon=horizon, freq=freq, interval=interval)


@st.cache_resource(show_spinner=False)
def _workers_started() -> bool:
    """Import the forecast's libraries (statsmodels) once per server process, in the background."""
    F.warm_up_workers(1)  # imports statsmodels in the background; categories run in-process (docs/forecasting.md)
    return True


def _persist(widget: str, canonical: str, default):
    if widget not in st.session_state:
        st.session_state[widget] = st.session_state.get(canonical, default)


def _keep(widget: str, canonical: str) -> None:
    st.session_state[canonical] = st.session_state[widget]


# --------------------------------------------------------------------------- controls
st.title("Forecast")
st.caption(
    "Where your money is heading: recurring payments are projected on their schedule, the rest is modelled "
    "from your history, and every forecast is tested on your own past before you see it."
)

SOURCES = {"db": "My transactions", "file": "A categorized CSV file"}
_persist("fc_w_source", "fc_source", "db")
source = st.segmented_control(
    "Data", list(SOURCES), format_func=SOURCES.get, key="fc_w_source", on_change=_keep, args=("fc_w_source", "fc_source"),
)
source = source or "db"
upload = None
if source == "file":
    upload = st.file_uploader(
        "Categorized CSV: columns date, amount, category; optional type (income/expense; rows without it are "
        "expenses) and description",
        type=["csv"],
        key="fc_w_upload",
    )
    if upload is None:
        st.info("Choose a CSV file to forecast it. Nothing is stored: the file is only used for this forecast.")
        st.stop()
    data = upload.getvalue()
    digest = hashlib.sha256(data).hexdigest()

with read_session() as s:
    version = auth.cache_version(s, user_id=principal.user_id)  # account id + data version (issue 13)
_workers_started()

try:
    options = (
        _user_series(principal.user_id, version)
        if source == "db"
        else _file_series(principal.user_id, version, digest, data, principal.currency)
    )
except BudgetwiseError as exc:
    show_error(exc)
    st.stop()
labels = dict(options)

c1, c2, c3, c4 = st.columns([3, 2, 2, 2])
_persist("fc_w_series", "fc_series", F.SERIES_EXPENSES)
if st.session_state["fc_w_series"] not in labels:
    st.session_state["fc_w_series"] = F.SERIES_EXPENSES
series = c1.selectbox("Series", list(labels), format_func=labels.get, key="fc_w_series", on_change=_keep,
                      args=("fc_w_series", "fc_series"))
# The value comes from the canonical key as the widget's own value (not pre-set in session
# state): a slider that was not drawn on the previous run (no file chosen yet) would otherwise
# show its minimum in the browser while the forecast used the remembered value (issue #14 item 5).
months = c2.slider("Horizon (months)", 1, 24, value=st.session_state.get("fc_horizon", 6), key="fc_w_horizon",
                   on_change=_keep, args=("fc_w_horizon", "fc_horizon"))
interval = c3.select_slider(
    "Interval", options=[0.5, 0.6, 0.7, 0.8, 0.9, 0.95], value=st.session_state.get("fc_interval", F.DEFAULT_INTERVAL),
    format_func=lambda v: f"{v:.0%}", key="fc_w_interval", on_change=_keep, args=("fc_w_interval", "fc_interval"),
    help="How sure the shaded range should be: an 80% range should contain the actual value about 8 times in 10.",
)
FREQ_LABELS = {"month": "Monthly", "week": "Weekly"}
_persist("fc_w_freq", "fc_freq", "month")
freq = c4.radio("Periods", list(FREQ_LABELS), format_func=FREQ_LABELS.get, key="fc_w_freq", horizontal=True,
                on_change=_keep, args=("fc_w_freq", "fc_freq"))
horizon = F.horizon_in_periods(months, freq)
unit = "month" if freq == "month" else "week"

# --------------------------------------------------------------------------- forecast
# "Forecast from the older history" (offered when recent history after a long gap is too short):
# the cut-off date, per data source, until the user goes back to the recent history.
AS_OF_KEY = f"fc_as_of_{source}" + (f"_{digest}" if source == "file" else "")
as_of = st.session_state.get(AS_OF_KEY)
if as_of is not None:
    st.info(
        f"Forecasting from your history up to {as_of.isoformat()} (before the long gap without transactions): "
        "the forecast starts after that day, not today.", icon=":material/history:",
    )
    if st.button("Use my recent history again", key="fc_recent", icon=":material/undo:"):
        st.session_state.pop(AS_OF_KEY, None)
        st.rerun()
try:
    with st.status(f"Forecasting {labels[series].lower()}…", expanded=False) as status:
        status.write("Reading your history, projecting recurring payments, fitting the model and testing it on your past.")
        try:
            if source == "db":
                result = _user_forecast(principal.user_id, version, series, horizon, freq, interval, as_of)
            else:
                result = _file_forecast(principal.user_id, version, digest, data, principal.currency, series, horizon,
                                        freq, interval, as_of)
        except F.NotEnoughHistory:
            status.update(label=f"Not enough history to forecast {labels[series].lower()}", state="error")
            raise
        except BudgetwiseError:
            status.update(label=f"Could not forecast {labels[series].lower()}", state="error")
            raise
        status.update(label=f"Forecast of {labels[series].lower()} ready", state="complete")
except F.NotEnoughHistory as exc:
    st.info(exc.message, icon=":material/hourglass_empty:")
    if exc.older_until is not None and as_of is None:
        if st.button(f"Forecast from my history up to {exc.older_until.isoformat()}", key="fc_older",
                     icon=":material/history:", type="primary"):
            st.session_state[AS_OF_KEY] = exc.older_until
            st.rerun()
    st.stop()
except BudgetwiseError as exc:
    show_error(exc)
    st.stop()

cur = result.currency
for note in result.notes:
    st.warning(md(note))

k1, k2, k3 = st.columns(3)
k1.metric(f"Average per {unit} so far", money_estimate(principal, result.mean_history, cur), border=True,
          help=f"Mean of the {len(result.history)} complete {unit}s in your history (transfers excluded).")
delta = result.mean_forecast - result.mean_history
k2.metric(
    f"Projected average per {unit}", money_estimate(principal, result.mean_forecast, cur), border=True,
    delta=(("+" if delta >= 0 else "-") + money_estimate(principal, abs(delta), cur)) if result.mean_history else None,
    delta_color="off" if series in (F.SERIES_INCOME, F.SERIES_NET) else "inverse",
    help=f"Mean of the forecast over the next {len(result.forecast)} {unit}s.",
)
k3.metric("Horizon", f"{months} month{'s' if months != 1 else ''}" + (f" ({horizon} weeks)" if freq == "week" else ""),
          border=True, help=f"Forecast from the day after your latest transaction ({result.as_of.isoformat()}).")

# chart: history and forecast in different colours, shaded interval
hist, fc = result.history, result.forecast
fig = go.Figure()
fig.add_trace(go.Scatter(
    x=list(fc["ds"]) + list(fc["ds"])[::-1], y=list(fc["yhat_upper"]) + list(fc["yhat_lower"])[::-1],
    mode="lines", fill="toself", fillcolor="rgba(229,83,75,0.18)", line=dict(width=0), hoverinfo="skip",
    name=f"{result.interval:.0%} range",
))
fig.add_trace(go.Scatter(
    x=list(hist["ds"]), y=list(hist["y"]), mode="lines+markers", name="History", line=dict(color=NET, width=2),
    hovertemplate="%{x|%b %Y}: %{y:,.2f}<extra>history</extra>",
))
fig.add_trace(go.Scatter(
    x=list(fc["ds"]), y=list(fc["yhat"]), mode="lines+markers", name="Forecast",
    line=dict(color=EXPENSE, width=2, dash="dash"),
    customdata=list(zip(fc["yhat_lower"], fc["yhat_upper"])),
    hovertemplate="%{x|%b %Y}: %{y:,.2f} (range %{customdata[0]:,.2f} – %{customdata[1]:,.2f})<extra>forecast</extra>",
))
fig.update_layout(
    height=380, margin=dict(l=8, r=8, t=36, b=8), paper_bgcolor=TRANSPARENT, plot_bgcolor=TRANSPARENT,
    separators=plotly_separators(principal.locale),
    legend=dict(orientation="h", yanchor="bottom", y=1.02, xanchor="left", x=0), hovermode="x unified",
)
for trace in fig.data:  # hover amounts with the currency's own decimals (JPY 0, KWD 3)
    if trace.hovertemplate:
        trace.hovertemplate = trace.hovertemplate.replace(",.2f", f",.{minor_digits(cur)}f")
fig.update_xaxes(showgrid=False)
fig.update_yaxes(gridcolor=GRID, zerolinecolor=GRID, tickformat=",.0f", title_text=cur,
                 rangemode="normal" if series == F.SERIES_NET else "tozero")
st.plotly_chart(fig, key="fc_chart", config={"displayModeBar": False})

# accuracy in words
bt = result.backtest
st.subheader("How accurate is this?")
if bt is None:
    st.info(
        f"There is not enough history yet to test the forecast on your past: a test needs "
        f"{F.MIN_HISTORY[freq] + 1} complete {unit}s or more."
    )
else:
    st.markdown(md(bt.verdict))
    rows = [
        {"Method": m.label, "Average error": money_estimate(principal, m.mae, cur) if m.points else "—",
         "Average error %": f"{m.mape:.1f}%" if m.mape is not None else "—", "Forecasts compared": m.points}
        for m in bt.methods
    ]
    st.dataframe(pd.DataFrame(rows), hide_index=True, key="fc_methods")
    with st.expander("Every backtest forecast"):
        table = bt.table.copy()
        table["ds"] = [d.strftime("%Y-%m-%d") for d in table["ds"]]
        table["origin"] = [d.isoformat() for d in table["origin"]]
        st.dataframe(
            table.rename(columns={"origin": "Made on", "ds": "Period", "step": f"{unit.capitalize()}s ahead",
                                  "actual": "Actual", "forecast": "Forecast", "lower": "Low", "upper": "High",
                                  "mean3": "Mean of last 3 months", "last_year": "Same period last year"}),
            hide_index=True, key="fc_backtest",
        )

with st.expander("How this forecast was made"):
    st.markdown(md(f"Method: {result.method}."))
    if result.known_flows:
        st.markdown("Recurring payments projected as known amounts:")
        st.dataframe(
            pd.DataFrame(
                [{"Payment": f.description or f.key, "Category": f.category, "Every": f.cadence,
                  "Amount": money(principal, f.amount_minor, cur), "Next expected": f.next_date.isoformat()}
                 for f in result.known_flows]
            ),
            hide_index=True, key="fc_flows",
        )
    st.caption(
        "The range is calibrated on your own backtest errors (what the forecast actually missed by in the past); "
        "spending is never forecast below zero. Details: docs/forecasting.md."
    )

# table + download
st.subheader("The numbers")
label_fmt = "%B %Y" if freq == "month" else "Week of %Y-%m-%d"
shown = pd.DataFrame({
    "Period": [d.strftime(label_fmt) for d in fc["ds"]],
    "Forecast": [money_estimate(principal, v, cur) for v in fc["yhat"]],
    "Low": [money_estimate(principal, v, cur) for v in fc["yhat_lower"]],
    "High": [money_estimate(principal, v, cur) for v in fc["yhat_upper"]],
    "Of which recurring": [money_estimate(principal, v, cur) for v in fc["known"]],
    "Already spent": [money_estimate(principal, v, cur) if v else "" for v in fc["observed"]],
})
st.dataframe(shown, hide_index=True, key="fc_table")
stem = "forecast-" + ("".join(ch if ch.isalnum() else "-" for ch in labels[series].lower())).strip("-")
st.download_button(
    "Download CSV", data=exports.to_csv_bytes(F.export_frame(result)), file_name=exports.timestamped_name(stem, "csv"),
    mime="text/csv", key="fc_download", icon=":material/download:", on_click="ignore",
)

# all categories
st.subheader("All categories")
st.caption(f"Every expense category forecast separately (fitted on two processes), over the same {months} months.")
if st.toggle("Forecast every category", key="fc_w_all", value=st.session_state.get("fc_all", False),
             on_change=_keep, args=("fc_w_all", "fc_all")):
    try:
        with st.status("Forecasting every category…", expanded=False) as status:
            if source == "db":
                cats = _user_categories(principal.user_id, version, horizon, freq, interval, as_of)
            else:
                cats = _file_categories(principal.user_id, version, digest, data, principal.currency, horizon, freq, interval,
                                        as_of)
            status.update(label=f"{len(cats.results)} categories forecast", state="complete")
    except BudgetwiseError as exc:
        show_error(exc)
    else:
        t = cats.table()
        st.dataframe(
            pd.DataFrame({
                "Category": t["category"],
                f"Average per {unit} so far": [money_estimate(principal, v, cur) for v in t["history_mean"]],
                f"Projected per {unit}": [money_estimate(principal, v, cur) for v in t["forecast_mean"]],
                "Projected total": [money_estimate(principal, v, cur) for v in t["forecast_total"]],
                "Change": ["—" if pd.isna(v) else ("0%" if abs(v) < 0.5 else f"{v:+.0f}%") for v in t["change_pct"]],
                "Beats naive guesses": ["—" if v is None else ("yes" if v else "no") for v in t["beats_baselines"]],
            }),
            hide_index=True, key="fc_categories",
        )
        for name, reason in cats.skipped:
            st.caption(md(f"{name}: {reason}"))
