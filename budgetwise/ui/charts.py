"""Plotly figure builders for the dashboard, reports and budgets pages.

Readable in the light and the dark theme: transparent backgrounds, no fixed
text colours (Streamlit's theme supplies fonts and text colours when shown with
``st.plotly_chart(fig, theme="streamlit")``, the default), mid-tone series colours
that keep their contrast on white and on near-black, and translucent grid lines.
Legends sit above the plot so narrow screens keep the full width for data.

Builders take the DataFrames the report services return (integer ``*_minor``
columns) and convert to major units as floats for plotting only; hover labels
show the exact amounts formatted by :func:`budgetwise.money.format_money`.
"""

from __future__ import annotations

import datetime as dt
import html
import re
from collections.abc import Sequence

import pandas as pd
import plotly.graph_objects as go

from budgetwise.dates import day_text, month_name, month_short_text, month_text
from budgetwise.money import format_money, locale_separators, minor_digits, number_grouping
from budgetwise.ratios import percent_text

INCOME = "#2e9e6b"
EXPENSE = "#e5534b"
NET = "#4c78dd"
BUDGET = "#8c8c8c"
OK = "#2e9e6b"
WARN = "#e0a31f"
OVER = "#e5534b"
GRID = "rgba(128,128,128,0.22)"
TRANSPARENT = "rgba(0,0,0,0)"
OTHER_COLOR = "#b9ad9a"  # "Other categories": a warm stone, not the grey of "Uncategorized" (#9e9e9e)
# if a shown category already has OTHER_COLOR, the first of these it does not have
_OTHER_ALTERNATES = ("#7d8fa3", "#a3927d", "#8f7da3", "#c2b280")
EMPTY_MESSAGE = "No income or spending in these months yet."


def other_color(used: Sequence[str]) -> str:
    """The colour of the "Other categories" slice/area: one no shown category has."""
    taken = {str(c).lower() for c in used}
    for color in (OTHER_COLOR, *_OTHER_ALTERNATES):
        if color.lower() not in taken:
            return color
    return OTHER_COLOR


def _all_zero(frame: pd.DataFrame, columns: Sequence[str]) -> bool:
    """Nothing to draw: no rows, or every value zero/missing (an empty chart shows ticks like 1, 1, 1, 0, 0)."""
    if frame is None or frame.empty:
        return True
    values = pd.concat([pd.to_numeric(frame[c], errors="coerce") for c in columns if c in frame.columns])
    return bool(values.fillna(0).eq(0).all())


def _label(value: object) -> str:
    """User text (category names) for Plotly, which renders <b>, <a href>, <span style> in
    labels, legends and hovers: HTML-escaped so it shows literally (tests/security/test_inputs.py)."""
    return html.escape(str(value), quote=False)


def _missing(value: object) -> bool:
    return value is None or value != value  # None or NaN (a missing amount in a frame)


def _major(values: Sequence[int | None] | pd.Series, currency: str) -> list[float | None]:
    """Minor units as major-unit floats for plotting only (None stays a gap)."""
    scale = 10 ** minor_digits(currency)
    return [None if _missing(v) else int(v) / scale for v in values]  # type: ignore[arg-type]


def _fmt(values: Sequence[int | None] | pd.Series, currency: str, locale: str) -> list[str]:
    """Hover texts of minor-unit amounts, as the tables write them ("—" for a missing one)."""
    return ["—" if _missing(v) else format_money(int(v), currency, locale) for v in values]  # type: ignore[arg-type]


def estimate_texts(values: Sequence[float | None] | pd.Series, currency: str, locale: str) -> list[str]:
    """Hover texts of a chart of estimates in major units (a forecast's floats, a projection's band): each
    as :func:`budgetwise.ui.format.estimate_text` writes it in the tables ("3 610,73 €" in fr_FR), "—"
    for a missing value; never Plotly's own ``%{y:,.2f}``, which wrote "3 610,73" with no currency."""
    from budgetwise.ui.format import estimate_text

    return ["—" if v is None or v != v else estimate_text(float(v), currency, locale) for v in values]


def from_spec(spec: dict) -> go.Figure:
    """A figure again from ``fig.to_dict()`` of a figure these builders made (a cached chart: ``Loader.chart``),
    without Plotly validating every property a second time (``_validate=False``; ≈ 1 ms where building or
    a validating ``go.Figure(spec)`` takes 12–16 ms a chart). Only for specs a validated figure wrote."""
    return go.Figure(spec, _validate=False)


def plotly_separators(locale: str) -> str:
    """Plotly's axis number format for a locale: decimal then grouping separator (de_DE ",." )."""
    decimal, group = locale_separators(locale)
    # the locale's own character, as the tables write it: fr_FR's narrow no-break space (U+202F), nb_NO's
    # no-break space. Session 15: a plain space here drew "5 000" on fr_FR axes beside "5 000,00 €" in
    # the tables (and a plain space may break a hover line); Plotly draws U+202F as it is (seen in Chromium)
    return decimal + group


_DAY = 86_400_000  # Plotly's dtick for a day, in milliseconds
_CLDR_TO_D3 = {"d": "%-d", "dd": "%d", "M": "%-m", "MM": "%m", "MMM": "%b", "LLL": "%b", "MMMM": "%B", "LLLL": "%B",
               "y": "%Y", "yyyy": "%Y"}


def _d3_pattern(skeleton: str, locale: str, fallback: str) -> str:
    """A CLDR date skeleton ("MMMd": "d. MMM" in de_DE, "MMM d" in en_US) as a d3 time format for Plotly
    ("%-d. %b", "%b %-d"); ``fallback`` for a locale or pattern letter this does not know."""
    from babel.core import Locale, UnknownLocaleError

    try:
        pattern = Locale.parse(locale).datetime_skeletons[skeleton].pattern
    except (UnknownLocaleError, ValueError, TypeError, KeyError):
        return fallback
    out = []
    for match in re.finditer(r"'([^']*)'|(([A-Za-z])\3*)|(.)", pattern):
        quoted, field, _, literal = match.groups()
        if field:
            if field not in _CLDR_TO_D3:
                return fallback
            out.append(_CLDR_TO_D3[field])
        else:
            out.append((quoted if quoted is not None else literal).replace("%", "%%"))
    return "".join(out)


def d3_grouping(grouping: tuple[int, ...]) -> list[int]:
    """CLDR's (primary, repeating) digit groups as d3-format's ``grouping``, which cycles through its whole
    list: (3, 2) becomes [3, 2, 2, …] (a plain [3, 2] would write 12,34,567,89,012); 17 digits are covered,
    more than a float keeps."""
    primary, *rest = grouping
    return [primary] if not rest else [primary] + [rest[-1]] * 8


def plotly_config(locale: str) -> dict:
    """``st.plotly_chart``'s config: no mode bar, and the user's month and day names for Plotly's date axes
    and hovers by the date owner (Babel's CLDR data): Streamlit loads no Plotly.js locale, so without this a
    de_DE user read "Dec 2025" and "Dec 13". Passed inline (``config.locales``), so no script is needed.

    Numbers too (session 13): the locale's separators (a figure's ``separators``, :func:`plotly_separators`,
    still wins) and digit grouping by the money owner (:func:`budgetwise.money.number_grouping`): Plotly's
    d3 locale groups axis ticks and ``%{y:,.0f}`` hovers in threes unless told, so an en_IN user's axis read
    "1,200,000" beside tables that say "₹12,00,000.00". Every chart of the app is shown with this config."""
    tag = locale.replace("_", "-")
    days = [dt.date(2024, 1, d) for d in (7, 1, 2, 3, 4, 5, 6)]  # Sunday first, as d3 wants
    months = [dt.date(2024, m, 1) for m in range(1, 13)]
    fmt = {
        "months": [month_name(m, locale) for m in months],
        "shortMonths": [day_text(m, "%b", locale) for m in months],
        "days": [_weekday(d, "EEEE", locale) for d in days],
        "shortDays": [_weekday(d, "EEE", locale) for d in days],
        "decimal": (separators := plotly_separators(locale))[0],
        "thousands": separators[1],
        "grouping": d3_grouping(number_grouping(locale)),
    }
    return {"displayModeBar": False, "locale": tag, "locales": {tag: {"format": fmt}}}


def _weekday(value: dt.date, pattern: str, locale: str) -> str:
    from babel.core import UnknownLocaleError
    from babel.dates import format_date

    try:
        return format_date(value, pattern, locale=locale)
    except (UnknownLocaleError, ValueError, TypeError):
        return format_date(value, pattern, locale="en_US")


def date_axis(fig: go.Figure, locale: str, date_format: str | None = None, *, monthly: bool = False) -> go.Figure:
    """The x axis of a date chart as the user reads dates: ticks in the locale's order ("13. Dez." in de_DE,
    "Dec 13" in en_US, as Plotly's own; "Jan. 2026" / "Jan 2026" for months) and the hover's date in the
    user's date format ("13.12.2025"), or month and year for a monthly series. Month names come from
    :func:`plotly_config`, which the chart must be shown with."""
    day = _d3_pattern("MMMd", locale, "%b %-d")
    month = _d3_pattern("yMMM", locale, "%b %Y")
    stops = [  # Plotly takes the first stop whose range holds the tick spacing, both ends included
        dict(dtickrange=[None, _DAY - 1], value="%H:%M"),
        dict(dtickrange=[_DAY, 20 * _DAY], value=day),  # its day spacings: 1, 2, 3, 7 and 14 days
        dict(dtickrange=["M1", "M11"], value=month),
        dict(dtickrange=["M12", None], value="%Y"),
    ]
    hover = month if monthly else (date_format or "%Y-%m-%d")
    fig.update_xaxes(type="date", tickformatstops=stops, hoverformat=hover)
    return fig


def count_axis(fig: go.Figure, largest: float) -> go.Figure:
    """A y axis of counts: whole-number ticks from zero (one sign-in read "0, 0.2, 0.4 … 1": session 13)."""
    fig.update_yaxes(rangemode="tozero", tickformat="d", dtick=1 if largest <= 5 else None)
    return fig


def percent_affixes(locale: str) -> tuple[str, str]:
    """What the locale writes before and after a percent number ("", "%") in en_US, ("", "\u00a0%") in
    de_DE, ("%", "") in tr_TR): Plotly's tickprefix/ticksuffix for a percent axis, from
    :func:`budgetwise.ratios.percent_text`."""
    sample = percent_text(0, locale, digits=0)
    head, _, tail = sample.partition("0")
    return head, tail


def flat_range(values: Sequence[float | None], *, pad_share: float = 0.05, min_pad: float = 10.0) -> list[float] | None:
    """A y range around a line that barely moves (its values within one unit): Plotly's own range
    is then a unit or so wide and ",.0f" prints the same tick label several times ("-370,785"
    twice on a flat net worth, seen in Chromium). None when the values move or there are none."""
    seen = [float(v) for v in values if v is not None and v == v]
    if not seen or max(seen) - min(seen) >= 1:
        return None
    mid = (max(seen) + min(seen)) / 2
    pad = max(abs(mid) * pad_share, min_pad)
    return [mid - pad, mid + pad]


def _layout(
    fig: go.Figure, *, currency: str | None = None, height: int = 340, legend: bool = True, locale: str = "en_US"
) -> go.Figure:
    fig.update_layout(
        height=height,
        margin=dict(l=8, r=8, t=36 if legend else 12, b=8),
        paper_bgcolor=TRANSPARENT,
        plot_bgcolor=TRANSPARENT,
        showlegend=legend,
        legend=dict(orientation="h", yanchor="bottom", y=1.02, xanchor="left", x=0, title_text=""),
        hovermode="x unified",
        separators=plotly_separators(locale),
    )
    fig.update_xaxes(showgrid=False, zeroline=False)
    fig.update_yaxes(
        gridcolor=GRID,
        zerolinecolor=GRID,
        tickformat=",.0f",
        title_text=currency or "",
        rangemode="tozero",
    )
    return fig


def empty_figure(message: str = "Nothing to show for this selection") -> go.Figure:
    """A blank figure with a centred note (used only where a chart slot must stay)."""
    fig = go.Figure()
    fig.add_annotation(text=message, showarrow=False, x=0.5, y=0.5, xref="paper", yref="paper", opacity=0.7)
    fig.update_xaxes(visible=False)
    fig.update_yaxes(visible=False)
    fig.update_layout(height=200, paper_bgcolor=TRANSPARENT, plot_bgcolor=TRANSPARENT, margin=dict(l=0, r=0, t=0, b=0))
    return fig


def spending_donut(
    by_category: pd.DataFrame, *, currency: str, locale: str = "en_US", top_n: int = 8, total_minor: int | None = None,
    kind: str = "expense",
) -> go.Figure:
    """Share of spending (or, ``kind="income"``, of income) per category (largest ``top_n``, the rest as
    "Other categories").

    ``total_minor``: the figure in the middle, the period's total as its card states it (``by_category``'s
    ``attrs["total_minor"]``); converted amounts rounded per category may add up to a cent more or less.
    It is "spent", or "received" for income (the Reports' Type "Income" said "€469,319.68 spent", session 20).
    """
    df = by_category[by_category["amount_minor"] > 0].sort_values("amount_minor", ascending=False)
    if len(df) > top_n:
        head, tail = df.iloc[: top_n - 1], df.iloc[top_n - 1 :]
        rest = pd.DataFrame(
            [{"category": f"Other categories ({len(tail)})", "color": other_color(list(head["color"])),
              "amount_minor": int(tail["amount_minor"].sum())}]
        )
        df = pd.concat([head[["category", "color", "amount_minor"]], rest], ignore_index=True)
    total = int(df["amount_minor"].sum()) if len(df) else 0
    shares = [int(v) / total * 100 if total else 0.0 for v in df["amount_minor"]]  # the locale's percent, not Plotly's
    fig = go.Figure(
        go.Pie(
            labels=[_label(c) for c in df["category"]],
            values=_major(df["amount_minor"], currency),
            # one text per slice: Plotly.js joins a pie's per-slice list into "$13,658.48,7.0%" for
            # %{customdata[0]} and shows "-" for %{customdata[1]} (seen in Chromium, session 16)
            customdata=[f"{money} · {percent_text(share, locale)}"
                        for money, share in zip(_fmt(df["amount_minor"], currency, locale), shares)],
            text=[percent_text(share, locale, digits=0) for share in shares],
            marker=dict(colors=list(df["color"]), line=dict(color=TRANSPARENT, width=0)),
            hole=0.58,
            sort=False,
            direction="clockwise",
            texttemplate="%{text}",
            textposition="inside",
            insidetextorientation="horizontal",
            hovertemplate="<b>%{label}</b><br>%{customdata}<extra></extra>",
        )
    )
    fig.add_annotation(
        text=f"<b>{format_money(total if total_minor is None else int(total_minor), currency, locale)}</b><br>"
             f"{'received' if kind == 'income' else 'spent'}",
        showarrow=False, x=0.5, y=0.5,
        xref="paper", yref="paper", font=dict(size=14),
    )
    fig.update_layout(
        height=340, margin=dict(l=8, r=8, t=12, b=8), paper_bgcolor=TRANSPARENT, plot_bgcolor=TRANSPARENT,
        legend=dict(orientation="h", yanchor="top", y=-0.02, xanchor="center", x=0.5),
        uniformtext=dict(minsize=10, mode="hide"),
    )
    return fig


SO_FAR = "(so far)"  # as the period tables write it (``ui.reporting``): "Dec 2026 (so far)"
SO_FAR_TICK = f' <span style="color:{BUDGET}">{SO_FAR}</span>'


def _mark_so_far(fig: go.Figure, by_period: pd.DataFrame, locale: str = "en_US") -> go.Figure:
    """Period labels as categories, and an unobtrusive "(so far)" on the period that is not
    over yet (its totals are partial): in its tick's own line and in its hovers.

    As categories the axis holds every period, labelled as in the table (ticked: at most
    :data:`MAX_TICKS` of them, :func:`_every_nth`): read as dates
    ("2026-11"), Streamlit's chart theme left the last month out of the range. Months are ticked
    short ("Dec 2026"; the hover keeps "December 2026"): on a 390 px phone twelve "September 2026"
    stood on end under the bars and the last was cut at the chart's edge (session 19).
    """
    fig.update_xaxes(type="category")
    ticks = _month_ticks(by_period, locale)
    if "so_far" in by_period.columns and len(by_period) and bool(by_period["so_far"].iloc[-1]):
        # In the tick's own line, not a second one: ticks turned on end (a 390 px phone, a half-width chart) put
        # a second line beside the first, between the last two months, where it read as the earlier month's
        # (session 20). Not over the plot either: there it ran into the legend's last entry (session 19).
        ticks = list(ticks or map(_label, by_period["label"]))
        ticks[-1] += SO_FAR_TICK
        _hover_so_far(fig, _label(by_period["label"].iloc[-1]))
    if ticks:
        keep = _every_nth(len(ticks))
        labels = list(by_period["label"])
        fig.update_xaxes(tickmode="array", tickvals=[labels[i] for i in keep], ticktext=[ticks[i] for i in keep])
    return fig


def _hover_so_far(fig: go.Figure, last: str) -> None:
    """Each trace's hover text at the running period ``last`` ends in "(so far)"."""
    for trace in fig.data:
        xs, texts = list(trace.x or ()), list(trace.customdata if trace.customdata is not None else ())
        if len(texts) == len(xs) and xs and xs[-1] == last and isinstance(texts[-1], str):
            texts[-1] = f"{texts[-1]} {SO_FAR}"
            trace.customdata = texts


MAX_TICKS = 12  # an axis ticked by its own list is not thinned by Plotly: 134 months stood on one another (session 20)
_TICK_STEPS = (1, 2, 3, 4, 6, 12, 24, 60, 120)  # months: every quarter, half year, year, … (weeks and years alike)


def _every_nth(count: int) -> list[int]:
    """Which of ``count`` periods are ticked: at most :data:`MAX_TICKS`, every n-th counted back from the
    last, so the running period ("so far") keeps its tick and a year's steps land on its month each year."""
    step = next((s for s in _TICK_STEPS if -(-count // s) <= MAX_TICKS), -(-count // MAX_TICKS))
    return list(range(count - 1, -1, -step))[::-1]


def _month_ticks(by_period: pd.DataFrame, locale: str) -> list[str] | None:
    """Short tick texts when the labels are months as :func:`budgetwise.dates.month_text` writes them
    (``ui.reporting.period_frame``'s), else None (weeks, years, "2026-07": left as they are)."""
    if by_period.empty or "period" not in by_period.columns:
        return None
    days = [pd.Timestamp(v).date() for v in by_period["period"]]
    if any(str(label) != month_text(day, locale) for label, day in zip(by_period["label"], days)):
        return None
    return [month_short_text(day, locale) for day in days]


def income_expense_bars(by_period: pd.DataFrame, *, currency: str, locale: str = "en_US") -> go.Figure:
    """Income vs expenses per period as grouped bars (an empty-state note when all are zero)."""
    if _all_zero(by_period, ["income_minor", "expense_minor"]):
        return empty_figure(EMPTY_MESSAGE)
    labels = list(by_period["label"])
    fig = go.Figure()
    fig.add_bar(
        name="Income", x=labels, y=_major(by_period["income_minor"], currency), marker_color=INCOME,
        customdata=_fmt(by_period["income_minor"], currency, locale), hovertemplate="%{customdata}",
    )
    fig.add_bar(
        name="Expenses", x=labels, y=_major(by_period["expense_minor"], currency), marker_color=EXPENSE,
        customdata=_fmt(by_period["expense_minor"], currency, locale), hovertemplate="%{customdata}",
    )
    fig.update_layout(barmode="group", bargap=0.25, bargroupgap=0.05)
    return _mark_so_far(_layout(fig, currency=currency, locale=locale), by_period, locale)


def trend_lines(by_period: pd.DataFrame, *, currency: str, locale: str = "en_US") -> go.Figure:
    """Income, expenses and net savings per period as lines (an empty-state note when all are zero)."""
    if _all_zero(by_period, ["income_minor", "expense_minor"]):
        return empty_figure(EMPTY_MESSAGE)
    labels = list(by_period["label"])
    fig = go.Figure()
    for name, column, color, dash in (
        ("Income", "income_minor", INCOME, "solid"),
        ("Expenses", "expense_minor", EXPENSE, "solid"),
        ("Net savings", "net_minor", NET, "dot"),
    ):
        fig.add_scatter(
            name=name, x=labels, y=_major(by_period[column], currency), mode="lines+markers",
            line=dict(color=color, width=2.5, dash=dash), marker=dict(size=6),
            customdata=_fmt(by_period[column], currency, locale), hovertemplate="%{customdata}",
        )
    fig = _mark_so_far(_layout(fig, currency=currency, locale=locale), by_period, locale)
    fig.update_yaxes(rangemode="normal")
    fig.add_hline(y=0, line_width=1, line_color=GRID)
    return fig


RATE_LIMIT = 100.0  # savings rates beyond ±100% are drawn at the edge (marked), not off the chart


def savings_rate_line(by_period: pd.DataFrame, *, locale: str = "en_US") -> go.Figure:
    """Savings rate (percent of income) per period.

    A month with almost no income (e.g. the current one before payday) has a rate such as
    −900%: drawn to scale it squashes every other month, and a range cut at −100% hid it
    (its line ran off the chart). So values beyond ±100% are drawn at the edge with a
    triangle marker, and the hover shows the real rate.
    """
    raw = [float(v) if v is not None and v == v else None for v in by_period["savings_rate"]]
    if all(v is None for v in raw):
        return empty_figure("No income in these months: no savings rate to show.")
    drawn = [None if v is None else max(-RATE_LIMIT, min(RATE_LIMIT, v)) for v in raw]
    beyond = [v is not None and abs(v) > RATE_LIMIT for v in raw]
    fig = go.Figure(
        go.Scatter(
            x=list(by_period["label"]), y=drawn, mode="lines+markers", name="Savings rate",
            line=dict(color=NET, width=2.5), connectgaps=False,
            marker=dict(size=[10 if b else 6 for b in beyond],
                        symbol=["triangle-down" if b and v < 0 else "triangle-up" if b else "circle"
                                for b, v in zip(beyond, [v or 0.0 for v in raw])]),
            customdata=[("—" if v is None else percent_text(v, locale) + (" (beyond the chart's ±100%)" if b else ""))
                        for v, b in zip(raw, beyond)],
            hovertemplate="%{customdata}<extra></extra>",
        )
    )
    fig = _layout(fig, legend=False, height=260, locale=locale)
    head, tail = percent_affixes(locale)
    fig.update_yaxes(tickprefix=head, ticksuffix=tail, title_text="", rangemode="normal", tickformat=".0f")
    shown = [v for v in drawn if v is not None]
    if any(beyond):
        fig.update_yaxes(range=[min(min(shown), 0) - 8, max(max(shown), 0) + 8])
    return _mark_so_far(fig, by_period, locale)


def category_area(
    trend: pd.DataFrame, *, currency: str, locale: str = "en_US", top_n: int = 8, bars: bool = False,
    running_month: dt.date | None = None,
) -> go.Figure:
    """Spending per category per month, stacked (area, or bars with ``bars=True``).

    ``running_month``: the month that is not over yet; it is marked "so far" so its lower total is
    not read as a drop: under its tick, by :func:`_mark_so_far` as on the other period charts (the note
    over the plot crowded the legend's right end, and the date axis left the last month's tick out).
    """
    if _all_zero(trend, ["amount_minor"]):
        return empty_figure("No spending in these months yet.")
    order = list(dict.fromkeys(trend["category"]))  # the service sorts largest first
    keep = order[: top_n - 1] if len(order) > top_n else order
    df = trend.copy()
    if len(order) > top_n:
        df.loc[~df["category"].isin(keep), "color"] = other_color(list(df.loc[df["category"].isin(keep), "color"]))
        df.loc[~df["category"].isin(keep), "category"] = "Other categories"
        df = df.groupby(["month", "category", "color"], as_index=False, sort=False)["amount_minor"].sum()
        keep = keep + ["Other categories"]
    fig = go.Figure()
    for name in keep:
        part = df[df["category"] == name].sort_values("month")
        if part.empty:
            continue
        x = [month_text(m, locale) for m in part["month"]]
        y = _major(part["amount_minor"], currency)
        color = part["color"].iloc[0]
        text = _fmt(part["amount_minor"], currency, locale)
        if bars:
            fig.add_bar(name=_label(name), x=x, y=y, marker_color=color, customdata=text, hovertemplate="%{customdata}")
        else:
            fig.add_scatter(
                name=_label(name), x=x, y=y, mode="lines", stackgroup="spend", line=dict(width=0.8, color=color),
                fillcolor=color, opacity=0.85, customdata=text, hovertemplate="%{customdata}",
            )
    if bars:
        fig.update_layout(barmode="stack")
    months = sorted(set(df["month"]))
    periods = pd.DataFrame({"label": [month_text(m, locale) for m in months], "period": months,
                            "so_far": [m == running_month for m in months]})
    fig = _mark_so_far(_layout(fig, currency=currency, height=380, locale=locale), periods, locale)
    # in month order whatever month the first (largest) category starts in
    return fig.update_xaxes(categoryorder="array", categoryarray=list(periods["label"]))


def budget_progress(lines: Sequence, *, currency: str, locale: str = "en_US") -> go.Figure:
    """Horizontal bars: share of the available budget used per category (100% = the budget)."""
    items = list(lines)
    names, used, colors, text, shown = [], [], [], [], []
    for line in items:
        pct = line.used_pct
        value = 0.0 if pct is None else min(float(pct), 150.0)
        # the hover names the real share: a bar is cut at 150%, the figure is not
        shown.append("" if pct is None or pct == float("inf") else f" ({percent_text(float(pct), locale, digits=0)})")
        names.append(_label(line.category_name))
        used.append(value)
        colors.append(OVER if line.over_budget else WARN if line.projected_over else OK)
        text.append(
            f"{format_money(line.spent_minor, currency, locale)} of {format_money(line.available_minor, currency, locale)}"
        )
    fig = go.Figure(
        go.Bar(
            x=used, y=names, orientation="h", marker_color=colors, text=text, textposition="auto", customdata=shown,
            hovertemplate="%{y}: %{text}%{customdata}<extra></extra>", cliponaxis=False,
        )
    )
    fig.add_vline(x=100, line_width=2, line_dash="dash", line_color=BUDGET)
    fig = _layout(fig, legend=False, height=max(160, 44 * len(items) + 40), locale=locale)
    fig.update_layout(hovermode="closest")
    head, tail = percent_affixes(locale)
    fig.update_xaxes(range=[0, 150], tickprefix=head, ticksuffix=tail, showgrid=True, gridcolor=GRID, tickformat=".0f")
    fig.update_yaxes(autorange="reversed", title_text="", showgrid=False, tickformat=None)
    return fig


def budget_history_bars(history: pd.DataFrame, *, currency: str, locale: str = "en_US") -> go.Figure:
    """Monthly spending against the budget (a dashed line)."""
    x = [m.strftime("%Y-%m") for m in history["month"]]
    over = [int(s) > int(b) > 0 for s, b in zip(history["spent_minor"], history["budget_minor"])]
    spent = _major(history["spent_minor"], currency)
    text = _fmt(history["spent_minor"], currency, locale)
    fig = go.Figure()
    # one trace per colour, so each legend entry has the colour of its bars (one trace with a
    # colour per bar showed a legend colour that matched none of them)
    for name, color, pick in (("Spent", NET, False), ("Spent, over budget", OVER, True)):
        if pick and not any(over):
            continue
        fig.add_bar(
            name=name, x=x, y=[v if o == pick else None for v, o in zip(spent, over)], marker_color=color,
            customdata=text, hovertemplate="%{customdata}",
        )
    fig.update_layout(barmode="overlay")
    # a month without a budget (0: budgets are never zero) is a gap in the line, not a budget of nothing
    budgeted = [int(b) > 0 for b in history["budget_minor"]]
    fig.add_scatter(
        name="Budget", x=x, y=[v if b else None for v, b in zip(_major(history["budget_minor"], currency), budgeted)],
        mode="lines+markers", line=dict(color=BUDGET, dash="dash", width=2),
        customdata=[t if b else "no budget" for t, b in zip(_fmt(history["budget_minor"], currency, locale), budgeted)],
        hovertemplate="%{customdata}",
    )
    return date_axis(_layout(fig, currency=currency, height=300, locale=locale), locale, monthly=True)
