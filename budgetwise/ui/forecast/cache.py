"""The Forecast page's cached service calls: per user and data version (and file digest), never shared."""

from __future__ import annotations

import datetime as dt

import streamlit as st

from budgetwise.services import forecast as F
from budgetwise.ui.context import get_settings, read_session


@st.cache_data(show_spinner=False, max_entries=256, ttl=3600)
def user_forecast(user_id: int, data_version: str, series: str, horizon: int, freq: str, interval: float,
                  as_of: dt.date | None = None):
    with read_session() as s:
        return F.forecast_user(s, user_id=user_id, series=series, horizon=horizon, freq=freq, interval=interval,
                               as_of=as_of)


@st.cache_data(show_spinner=False, max_entries=64, ttl=3600)
def user_categories(user_id: int, data_version: str, horizon: int, freq: str, interval: float,
                    as_of: dt.date | None = None):
    with read_session() as s:
        return F.forecast_user_categories(s, user_id=user_id, horizon=horizon, freq=freq, interval=interval, as_of=as_of)


@st.cache_data(show_spinner=False, max_entries=64, ttl=3600)
def user_series(user_id: int, data_version: str) -> list[tuple[str, str]]:
    with read_session() as s:
        return F.series_options(F.expense_categories(s, user_id=user_id))


def _read(data: bytes, currency: str):
    """The uploaded file under the configured upload limit (the importer's), refused before parsing."""
    return F.read_transactions_csv(data, currency=currency, max_bytes=get_settings().max_upload_bytes)


@st.cache_data(show_spinner=False, max_entries=16, ttl=3600)
def file_series(user_id: int, data_version: str, digest: str, _data: bytes, currency: str) -> list[tuple[str, str]]:
    frame = _read(_data, currency)
    return F.series_options(F.history_from_frame(frame, currency=currency))


@st.cache_data(show_spinner=False, max_entries=32, ttl=3600)
def file_forecast(user_id: int, data_version: str, digest: str, _data: bytes, currency: str, series: str, horizon: int,
                  freq: str, interval: float, as_of: dt.date | None = None):
    frame = _read(_data, currency)
    return F.forecast_frame(frame, series=series, horizon=horizon, freq=freq, interval=interval, currency=currency,
                            as_of=as_of)


@st.cache_data(show_spinner=False, max_entries=16, ttl=3600)
def file_categories(user_id: int, data_version: str, digest: str, _data: bytes, currency: str, horizon: int, freq: str,
                    interval: float, as_of: dt.date | None = None):
    history = F.history_from_frame(_read(_data, currency), currency=currency, as_of=as_of)
    return F.forecast_history_categories(history, horizon=horizon, freq=freq, interval=interval)


@st.cache_resource(show_spinner=False)
def workers_started() -> bool:
    """Import the forecast's libraries (statsmodels) once per server process, in the background."""
    F.warm_up_workers(1)  # imports statsmodels in the background; categories run in-process (docs/forecasting.md)
    return True
