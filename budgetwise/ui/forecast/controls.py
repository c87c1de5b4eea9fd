"""The Forecast page's controls: the data (the user's transactions or an uploaded CSV) and the
forecast's series, horizon, interval and periods; their values live in non-widget keys."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

import streamlit as st

from budgetwise.principal import Principal
from budgetwise.services import auth
from budgetwise.services import forecast as F
from budgetwise.ui.actions import load
from budgetwise.ui.context import get_settings, read_session
from budgetwise.ui.forecast import cache
from budgetwise.ui.format import percent
from budgetwise.ui.forms import keep, persist

SOURCES = {"db": "My transactions", "file": "A categorized CSV file"}
FREQ_LABELS = {"month": "Monthly", "week": "Weekly"}


@dataclass(frozen=True)
class Controls:
    """What the rest of the page forecasts."""

    principal: Principal
    source: str  # "db" / "file"
    data: bytes | None  # the uploaded file (source "file")
    digest: str  # its SHA-256 ("" for the database)
    version: str  # the user's cache version (account id + data version)
    labels: dict[str, str]  # series -> label
    series: str
    months: int
    interval: float
    freq: str
    horizon: int  # in periods of ``freq``

    @property
    def unit(self) -> str:
        return "month" if self.freq == "month" else "week"

    @property
    def label(self) -> str:
        return self.labels[self.series]

    @property
    def as_of_key(self) -> str:
        """Where "forecast from the older history" keeps its cut-off date, per data source."""
        return f"fc_as_of_{self.source}" + (f"_{self.digest}" if self.source == "file" else "")


def _source() -> tuple[str, bytes | None, str]:
    """The data source and, for a file, its bytes and digest (the page stops until a file is chosen)."""
    persist("fc_w_source", "fc_source", "db")
    source = st.segmented_control(
        "Data", list(SOURCES), format_func=lambda s: SOURCES[s], key="fc_w_source", on_change=keep,
        args=("fc_w_source", "fc_source"),
    ) or "db"
    if source != "file":
        return source, None, ""
    upload = st.file_uploader(
        "Categorized CSV: columns date, amount, category; optional type (income/expense; rows without it are "
        "expenses) and description",
        type=["csv"],
        key="fc_w_upload",
        max_upload_size=get_settings().max_upload_mb,
    )
    if upload is None:
        st.info("Choose a CSV file to forecast it. Nothing is stored: the file is only used for this forecast.")
        st.stop()
    data = upload.getvalue()
    return source, data, hashlib.sha256(data).hexdigest()


def render(principal: Principal) -> Controls:
    source, data, digest = _source()
    with read_session() as s:
        version = auth.cache_version(s, user_id=principal.user_id)  # account id + data version (issue 13)
    cache.workers_started()
    options = load(
        lambda: cache.user_series(principal.user_id, version) if data is None
        else cache.file_series(principal.user_id, version, digest, data, principal.currency),
        stop=True,
    )
    labels = dict(options or [])
    c1, c2, c3, c4 = st.columns([3, 2, 2, 2])
    persist("fc_w_series", "fc_series", F.SERIES_EXPENSES)
    if st.session_state["fc_w_series"] not in labels:
        st.session_state["fc_w_series"] = F.SERIES_EXPENSES
    series = c1.selectbox("Series", list(labels), format_func=lambda s: labels[s], key="fc_w_series", on_change=keep,
                          args=("fc_w_series", "fc_series"))
    # The value comes from the canonical key as the widget's own value (not pre-set in session
    # state): a slider that was not drawn on the previous run (no file chosen yet) would otherwise
    # show its minimum in the browser while the forecast used the remembered value (issue #14 item 5).
    months = c2.slider("Horizon (months)", 1, 24, value=st.session_state.get("fc_horizon", 6), key="fc_w_horizon",
                       on_change=keep, args=("fc_w_horizon", "fc_horizon"))
    interval = c3.select_slider(
        "Interval", options=[0.5, 0.6, 0.7, 0.8, 0.9, 0.95],
        value=st.session_state.get("fc_interval", F.DEFAULT_INTERVAL),
        format_func=lambda v: percent(principal, 100 * v), key="fc_w_interval", on_change=keep, args=("fc_w_interval", "fc_interval"),
        help="How sure the shaded range should be: an 80% range should contain the actual value about 8 times in 10.",
    )
    persist("fc_w_freq", "fc_freq", "month")
    freq = c4.radio("Periods", list(FREQ_LABELS), format_func=lambda f: FREQ_LABELS[f], key="fc_w_freq",
                    horizontal=True, on_change=keep, args=("fc_w_freq", "fc_freq"))
    freq = freq or "month"
    return Controls(principal, source, data, digest, version, labels, str(series), int(months), float(interval), freq,
                    F.horizon_in_periods(months, freq))
