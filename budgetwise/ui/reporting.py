"""Streamlit helpers shared by the dashboard, reports and budgets pages.

* :class:`Loader` calls report/budget services through ``st.cache_data`` keyed by
  the user id, the account's random identifier and the user's data version (bumped on
  every write; see auth.cache_version), so a rerun
  that changes nothing costs one tiny query, and other users never share entries.
* Period and filter widgets whose canonical values live in non-widget
  ``st.session_state`` keys (widget values vanish when a page is left).
* Display formatting (money columns) and CSV/Excel download buttons.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable
from types import FunctionType, ModuleType
from typing import TYPE_CHECKING, Any, TypeVar

import pandas as pd
import streamlit as st

from budgetwise.dates import day_text, transaction_date_limits
from budgetwise.money import format_money
from budgetwise.periods import period
from budgetwise.principal import Principal
from budgetwise.services import auth, budgets, categories, exports, reports
from budgetwise.ui.context import read_session
from budgetwise.ui.format import date_input_format, day, money, month_short_label, percent, points, rate_text
from budgetwise.ui.forms import keep, persist

if TYPE_CHECKING:
    import plotly.graph_objects as go

T = TypeVar("T")


_SERVICES: tuple[ModuleType, ...] = (reports, budgets)  # whose public functions the Loader may cache


def _cacheable(fn: Callable[..., Any]) -> Callable[..., Any]:
    """``fn`` if it is a public function of the reports or budgets service; anything else is refused."""
    if fn.__name__.startswith("_") or not any(vars(m).get(fn.__name__) is fn for m in _SERVICES):
        raise ValueError(f"{fn.__module__}.{fn.__name__} is not a public function of the reports or budgets service.")
    return fn


def _function_key(fn: FunctionType) -> str:
    """The cache key of a service function (st.cache_data cannot hash a function itself)."""
    return f"{fn.__module__}.{fn.__qualname__}"


@st.cache_data(ttl=600, max_entries=1024, show_spinner=False, hash_funcs={FunctionType: _function_key})
def _cached_call(fn: Callable[..., Any], user_id: int, version: str, kwargs: tuple) -> Any:
    with read_session() as session:
        return fn(session, user_id=user_id, **dict(kwargs))


_CHART_MODULES = ("budgetwise.ui.charts", "budgetwise.ui.plan_charts")  # whose public builders Loader.chart caches


def _chart_builder(fn: Callable[..., Any]) -> Callable[..., Any]:
    """``fn`` if it is a public figure builder of :mod:`budgetwise.ui.charts` or :mod:`budgetwise.ui.plan_charts`;
    anything else is refused."""
    import importlib

    name = getattr(fn, "__name__", "")
    if name.startswith("_") or not any(vars(importlib.import_module(m)).get(name) is fn for m in _CHART_MODULES):
        raise ValueError(f"{fn.__module__}.{name} is not a chart builder of {' or '.join(_CHART_MODULES)}.")
    return fn


@st.cache_data(ttl=600, max_entries=256, show_spinner=False, hash_funcs={FunctionType: _function_key})
def _cached_chart(build: Callable[..., Any], user_id: int, version: str, kwargs: tuple) -> dict:
    return build(**dict(kwargs)).to_dict()


@st.cache_data(ttl=600, max_entries=64, show_spinner=False)
def _cached_pdf(user_id: int, version: str, month: dt.date, today: dt.date) -> bytes:
    from budgetwise.services import report_pdf

    with read_session() as session:
        return report_pdf.monthly_report_pdf(session, user_id=user_id, month=month, today=today)


class Loader:
    """Cached service calls for one signed-in user (one data-version read per rerun)."""

    def __init__(self, principal: Principal, version: str | None = None) -> None:
        """``version``: the user's ``auth.cache_version`` when the page has read it already this rerun."""
        self.principal = principal
        if version is None:
            with read_session() as session:
                version = auth.cache_version(session, user_id=principal.user_id)
        self.version = version

    def call(self, fn: Callable[..., T], **kwargs: Any) -> T:
        """``fn(session, user_id=..., **kwargs)`` through the cache, for a public function of the
        reports or budgets service (e.g. ``data.call(reports.summary, filters=flt)``): pages pass
        the function itself, so a renamed service function is an import error, not a typo at run time."""
        return _cached_call(_cacheable(fn), self.principal.user_id, self.version, tuple(sorted(kwargs.items())))

    def chart(self, build: Callable[..., Any], **kwargs: Any) -> go.Figure:
        """``build(**kwargs)``, a figure builder of :mod:`budgetwise.ui.charts` (or ``plan_charts``), made once per user, data
        version and arguments (session 14: building and validating the Plotly figures was most of a warm
        rerun of Reports and the dashboard). The cache keeps the figure's dict, and
        :func:`budgetwise.ui.charts.from_spec` makes it a figure again without a second validation
        (unpickling a ``go.Figure`` validates it again: session 13)."""
        from budgetwise.ui.charts import from_spec

        spec = _cached_chart(_chart_builder(build), self.principal.user_id, self.version, tuple(sorted(kwargs.items())))
        return from_spec(spec)

    def pdf(self, month: dt.date, today: dt.date) -> bytes:
        return _cached_pdf(self.principal.user_id, self.version, month, today)


# --------------------------------------------------------------------------- persistent widgets
_persist, _store = persist, keep  # the one pair, budgetwise.ui.forms


def period_picker(
    prefix: str, *, user_id: int, default: str = "this_month", today: dt.date | None = None, label: str = "Period",
    range_container=None, date_format: str | None = None, picker_format: str = "YYYY-MM-DD", locale: str | None = None,
) -> tuple[dt.date, dt.date, str]:
    """A period preset select (plus a date range for "Custom"). Returns (from, to, label).

    ``picker_format``: the range input's format (``ui.format.date_input_format`` of the user; Streamlit's
    own default is "YYYY/MM/DD", which is no user's format).

    ``range_container``: where the "From – to" input goes (default: under the select). A
    narrow filter column cut its start year ("2026-07-…"), so filter rows put it on a row of its own.
    """
    today = today or dt.date.today()
    presets = list(reports.PERIOD_PRESETS)
    _persist(f"{prefix}_w_period", f"{prefix}_period", default)
    preset = st.selectbox(
        label,
        presets,
        format_func=reports.PERIOD_PRESETS.get,
        key=f"{prefix}_w_period",
        on_change=_store,
        args=(f"{prefix}_w_period", f"{prefix}_period"),
    )
    st.session_state[f"{prefix}_period"] = preset
    if preset == "custom":
        earliest, latest = transaction_date_limits(today)
        start_default = st.session_state.get(f"{prefix}_custom", (today.replace(day=1), today))
        _persist(f"{prefix}_w_custom", f"{prefix}_custom", start_default)
        picked = (range_container or st).date_input(
            "From – to", key=f"{prefix}_w_custom", on_change=_store, args=(f"{prefix}_w_custom", f"{prefix}_custom"),
            min_value=earliest, max_value=latest,  # the limits of a transaction date
            format=picker_format,
        )
        if isinstance(picked, (tuple, list)) and len(picked) == 2:
            st.session_state[f"{prefix}_custom"] = tuple(picked)
            start, end = picked
        else:  # the user has picked only the first day so far
            start = picked[0] if isinstance(picked, (tuple, list)) and picked else today
            end = start
        date_from, date_to = reports.preset_range("custom", custom_from=min(start, end), custom_to=max(start, end),
                                                  date_format=date_format, locale=locale)
        return date_from, date_to, reports.period_label("custom", date_from, date_to, date_format=date_format,
                                                        locale=locale)
    with read_session() as session:  # "all time" and "span of your data" depend on the user's transactions
        date_from, date_to = reports.period_range(session, user_id=user_id, preset=preset, today=today,
                                                  date_format=date_format, locale=locale)
    return date_from, date_to, reports.period_label(preset, date_from, date_to, date_format=date_format, locale=locale)


DATE_RANGE_WIDTH = 320  # "2026-07-01 – 2026-12-04" with the input's padding and calendar icon
KIND_OPTIONS = {"all": "Income and expenses", "expense": "Expenses", "income": "Income"}
# Period, Categories, Type, Text: at 1280 px (820 px of content beside the sidebar) the Type column is
# ≈ 205 px, room for "Income and expenses" and the arrow (it read "Income and expen" at 1.0 of 4.9; session 16);
# the Period ≈ 213 px for "Latest 6 months of data", the default after importing an old history (it read "Latest 6
# months of da" at 1.1; session 26's trial), taken from Categories ("All categories" needs ≈ 130 px)
FILTER_COLUMNS = (1.35, 1.1, 1.3, 1.15)


def report_filters(principal: Principal, prefix: str, *, today: dt.date | None = None) -> tuple[reports.ReportFilter, str]:
    """Period, categories, type and text filters in one row. Returns (filter, period label)."""
    with read_session() as session:
        cats = categories.list_categories(session, user_id=principal.user_id)
    cat_options = [c.id for c in cats if c.kind != "transfer"] + [0]
    names = {c.id: c.name for c in cats}
    names[0] = reports.UNCATEGORIZED
    c1, c2, c3, c4 = st.columns(list(FILTER_COLUMNS))
    # the custom range on its own row, wide enough for both full dates (DATE_RANGE_WIDTH px)
    below = st.container(width=DATE_RANGE_WIDTH)
    default = "last_6_months"
    if f"{prefix}_period" not in st.session_state:  # first visit: a period with data (reports.default_period)
        with read_session() as session:
            default = reports.default_period(session, user_id=principal.user_id, preferred=default, today=today)
    with c1:
        date_from, date_to, label = period_picker(prefix, user_id=principal.user_id, default=default,
                                                  today=today, range_container=below, date_format=principal.date_format,
                                                  picker_format=date_input_format(principal), locale=principal.locale)
    with c2:
        _persist(f"{prefix}_w_cats", f"{prefix}_cats", [])
        chosen = st.multiselect(
            "Categories", cat_options, format_func=lambda i: names.get(i, str(i)), key=f"{prefix}_w_cats",
            placeholder="All categories", on_change=_store, args=(f"{prefix}_w_cats", f"{prefix}_cats"),
        )
        st.session_state[f"{prefix}_cats"] = list(chosen)
    with c3:
        _persist(f"{prefix}_w_kind", f"{prefix}_kind", "all")
        kind = st.selectbox(
            "Type", list(KIND_OPTIONS), format_func=KIND_OPTIONS.get, key=f"{prefix}_w_kind",
            on_change=_store, args=(f"{prefix}_w_kind", f"{prefix}_kind"),
        )
        st.session_state[f"{prefix}_kind"] = kind
    with c4:
        _persist(f"{prefix}_w_text", f"{prefix}_text", "")
        text = st.text_input(
            "Text", key=f"{prefix}_w_text", placeholder="Description or merchant", max_chars=100,
            on_change=_store, args=(f"{prefix}_w_text", f"{prefix}_text"),
        )
        st.session_state[f"{prefix}_text"] = text
    flt = reports.ReportFilter(
        date_from=date_from,
        date_to=date_to,
        category_ids=tuple(sorted(i for i in chosen if i != 0)),
        uncategorized=0 in chosen,
        kind=None if kind == "all" else kind,
        text=text or "",
    )
    return flt, label


def _show_preset(prefix: str, preset: str) -> None:
    st.session_state[f"{prefix}_w_period"] = st.session_state[f"{prefix}_period"] = preset


def empty_period(principal: Principal, data: Loader, prefix: str, flt: reports.ReportFilter, *,
                 generic: bool = True) -> None:
    """Say why a period shows nothing: when all the user's transactions are outside it, when the
    newest (or oldest) one is, with a button that shows the span of their data; else (``generic``)
    suggest other filters."""
    first, last = data.call(reports.data_range)
    start, end = flt.date_from, flt.date_to
    if first is None or last is None or start is None or end is None or (start <= last and first <= end):
        if generic:
            st.info("Nothing matches these filters. Try a longer period or fewer filters.")
        return
    when = (f"your newest transaction is from {day(principal, last)}" if last < start
            else f"your oldest transaction is from {day(principal, first)}")
    st.info(f"You have no transactions in this period: {when}.")
    st.button("Show the span of your data", key=f"{prefix}_show_data_span", on_click=_show_preset,
              args=(prefix, "data_span"), icon=":material/date_range:")


# --------------------------------------------------------------------------- display & downloads
money_text = money  # the UI's one money formatter (budgetwise.ui.format.money), under its older name


def change_text(
    principal: Principal, change_minor: int, pct: float | None = None, *, base_minor: int | None = None,
) -> str | None:
    """The change badge under a figure ("+$12.50 (+3.1%)"), or None when nothing changed:
    st.metric draws any delta as a coloured arrow, and a green "↑ $0.00" reads as a gain.

    ``pct`` comes from :func:`budgetwise.ratios.percent_change`, None against a base of zero or
    less: the change is then shown in money only, "(from a deficit)" when ``base_minor`` < 0."""
    if int(change_minor) == 0:
        return None
    note = f" ({percent(principal, pct, digits=1, signed=True)})" if pct is not None else " (from a deficit)" if base_minor is not None and base_minor < 0 else ""
    return money_text(principal, change_minor, signed=True) + note


def points_change_text(principal: Principal, change: float | None) -> str | None:
    """A change in percentage points ("+2.5 pp", "+2,5 pp" in de_DE), or None when there is none to show
    (rounds to 0.0)."""
    if change is None or round(float(change), 1) == 0:
        return None
    return points(principal, change)


def period_frame(principal: Principal, frame: pd.DataFrame, freq: str, *, short: bool = False) -> pd.DataFrame:
    """``reports.by_period``'s frame with its ``label`` as the user reads it ("Juli 2026", "Week of 06.07.2026":
    :meth:`budgetwise.periods.Period.text`) for the page's tables and charts; the CSV downloads keep the
    machine-readable labels ("2026-07") of the frame itself. ``short``: months as a table writes them
    ("Jul 2026": :func:`budgetwise.ui.format.month_short_label`) and weeks as their first day ("2026-11-30", under
    :func:`period_heading`'s "Week of")."""
    if frame.empty or "period" not in frame.columns:
        return frame
    p = period(freq)
    out = frame.copy()
    days = [pd.Timestamp(v).date() for v in frame["period"]]
    if short and freq == "month":
        out["label"] = [month_short_label(principal, d) for d in days]
    elif short and freq == "week":  # under a "Week of" heading (:func:`period_heading`): "Week of 2026-11-30" in
        # each cell cut a phone's amounts; the week not over yet reads "Week of | 2026-11-30 so far" (19 characters
        # with "(so far)" took 138 px, Net savings ended 9 px past a phone's edge)
        flags = out.pop("so_far") if "so_far" in out.columns else [False] * len(days)
        out["label"] = [day_text(d, principal.date_format, principal.locale) + (" so far" if flag else "")
                        for d, flag in zip(days, flags)]
    else:
        out["label"] = [p.text(d, principal.date_format, principal.locale) for d in days]
    return out


def period_heading(freq: str) -> str:
    """The heading of a table's period column: "Week of" over short week labels ("2026-11-30", :func:`period_frame`
    with ``short``; trial29: "Week of 2026-11-30 (so far)" in every cell pushed Net savings past a phone's edge),
    else "Month", "Year"."""
    return "Week of" if freq == "week" else freq.capitalize()


def display_frame(principal: Principal, df: pd.DataFrame, *, rename: dict[str, str] | None = None, currency: str | None = None) -> pd.DataFrame:
    """For st.dataframe: ``*_minor`` columns as formatted money text, percentages rounded,
    internal columns (ids, colours) hidden, readable column names."""
    out = pd.DataFrame(index=df.index)
    for column in df.columns:
        if column in ("category_id", "color", "transaction_id", "transaction_ids", "so_far"):
            continue
        if column == "label" and "so_far" in df.columns:  # the period that is not over yet
            out[column] = [f"{v} (so far)" if flag else v for v, flag in zip(df[column], df["so_far"])]
            continue
        series = df[column]
        if column.endswith("_minor"):
            cur = df["currency"] if "currency" in df.columns else None
            out[column] = [
                "" if pd.isna(v) else format_money(int(v), cur.iloc[i] if cur is not None else (currency or principal.currency), principal.locale)
                for i, v in enumerate(series.tolist())
            ]
        elif column == "savings_rate":
            # a month with almost no income (before payday) gives rates like -12,522%: as on the cards
            out[column] = ["—" if v is None or pd.isna(v) else rate_text(principal, float(v)) for v in series.tolist()]
        elif column == "share" or column.endswith("_pct"):
            out[column] = [
                "—" if v is None or pd.isna(v) or not math.isfinite(float(v)) else percent(principal, float(v), digits=1)
                for v in series.tolist()
            ]
        else:
            out[column] = series
    rename = rename or {}
    names = {}
    for c in out.columns:
        base = c[: -len("_minor")] if c.endswith("_minor") else c
        names[c] = rename.get(c, rename.get(base, _nice(c)))
    return out.rename(columns=names).reset_index(drop=True)


def _nice(column: str) -> str:
    base = column[: -len("_minor")] if column.endswith("_minor") else column
    base = base.replace("_pct", " %").replace("_", " ")
    special = {"mom change %": "MoM %", "yoy change %": "YoY %", "mom change": "MoM change", "yoy change": "YoY change",
               "share": "Share", "savings rate": "Savings rate"}
    return special.get(base, base[:1].upper() + base[1:])


def export_files(df: pd.DataFrame, *, stem: str, currency: str) -> tuple[Callable[[], bytes], Callable[[], bytes]]:
    """The CSV and the Excel file of a report table, each built only when it is called (exact decimal
    amounts, formula-safe)."""
    frame = df.copy()  # as shown now, whatever the caller does with ``df`` after
    return (lambda: exports.to_csv_bytes(reports.for_export(frame, currency)),
            lambda: exports.to_excel_bytes(reports.for_export(frame, currency), sheet_name=stem))


def download_buttons(df: pd.DataFrame, *, stem: str, currency: str, key: str) -> None:
    """CSV and Excel downloads of a report table (exact decimal amounts, formula-safe).

    The files are built when a button is clicked (Streamlit's deferred download), not on every rerun:
    session 13 (pagespeed) measured the Reports page's nine tables writing nine Excel workbooks
    (openpyxl) and nine CSVs on each rerun, ≈ 1.0 s of its 2.4 s warm-rerun CPU for the demo user."""
    csv_file, excel_file = export_files(df, stem=stem, currency=currency)
    # side by side at their own width: in columns of a sixth each, beside the Reports' donut, they read "C…", "E…"
    with st.container(horizontal=True, key=f"{key}_buttons"):
        st.download_button(
            "CSV", data=csv_file, file_name=exports.timestamped_name(stem, "csv"),
            mime="text/csv", key=f"{key}_csv", icon=":material/download:", width="content", on_click="ignore",
        )
        st.download_button(
            "Excel", data=excel_file,
            file_name=exports.timestamped_name(stem, "xlsx"),
            mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", key=f"{key}_xlsx",
            icon=":material/download:", width="content", on_click="ignore",
        )


def month_options(*, today: dt.date | None = None, back: int = 24, forward: int = 3) -> list[dt.date]:
    """First days of months from ``back`` months ago to ``forward`` months ahead, newest first."""
    from budgetwise.dates import add_months

    today = today or dt.date.today()
    current = today.replace(day=1)
    return [add_months(current, k) for k in range(forward, -back - 1, -1)]
