"""The monthly report as a PDF: summary tables and static Seaborn/Matplotlib charts.

Built with matplotlib's object API (``Figure`` + ``PdfPages``, no pyplot, so no
global figure state and no GUI backend: safe inside Streamlit's threads) and
seaborn drawing on those axes. Matplotlib and seaborn are imported lazily: they
are slow to import and only this export needs them. Mathtext is switched off so
"$" in amounts and descriptions is printed literally.
"""

from __future__ import annotations

import datetime as dt
import io
import math
import sys
import textwrap
from dataclasses import dataclass
from typing import Any

import pandas as pd
from sqlalchemy import select
from sqlalchemy.orm import Session

from budgetwise.dates import ISO_DATE, add_months, day_text, month_end, month_start, month_text
from budgetwise.errors import NotFoundError
from budgetwise.models import User
from budgetwise.money import babel_number, format_money, minor_digits
from budgetwise.ratios import percent_text
from budgetwise.services import budgets as budgets_service
from budgetwise.services import reports as R

A4 = (8.27, 11.69)
INCOME = "#2e9e6b"
EXPENSE = "#e5534b"
NET = "#4c78dd"


def _pct(value: float | None, locale: str = "en_US") -> str:
    """A change in percent to one decimal in the locale's pattern ("+12.5%", "+12,5 %"), "—" when there is none."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "—"
    return percent_text(0.0 if abs(value) < 0.05 else value, locale, digits=1, signed=True)


def _clip(text: str, width: int) -> str:
    text = text or ""
    return text if len(text) <= width else text[: width - 1] + "…"


CATEGORY_TABLE_TOP = 0.68  # page 1: the "Spending by category" table hangs from here (fraction of A4 height)
ROW_HEIGHT = 0.0195  # one table row at 9 pt, scaled 1.35, as a fraction of the A4 height (measured)
MIN_CHART_HEIGHT = 0.18


def page_one_chart_box(category_rows: int) -> tuple[float, float, float, float] | None:
    """Where the "Income vs expenses" chart goes on page 1, under a category table of
    ``category_rows`` rows; None when the table leaves no room (the chart stays on page 2).

    With a dozen categories the table used to end half-way down page 1 and leave the rest
    of the page empty (issue #14 item 18).
    """
    table_bottom = CATEGORY_TABLE_TOP - ROW_HEIGHT * (max(category_rows, 1) + 1)
    top, bottom = table_bottom - 0.08, 0.08  # room for the chart's title; the month labels below
    if top - bottom < MIN_CHART_HEIGHT:
        return None
    return (0.1, bottom, 0.84, top - bottom)


@dataclass(frozen=True)
class _ReportData:
    """Everything the report shows, read before drawing starts."""

    title: str
    name: str
    currency: str
    locale: str
    date_format: str
    first: dt.date
    today: dt.date
    summary: Any
    changes: pd.DataFrame
    by_cat: pd.DataFrame
    months: pd.DataFrame
    merchants: pd.DataFrame
    recurring: list
    unusual: list
    budget: Any

    def money(self, minor: int) -> str:
        return format_money(int(minor), self.currency, self.locale)

    def change(self, value: float | None) -> str:
        """A change in percent ("+12,5 %" in de_DE), by :func:`budgetwise.ratios.percent_text`."""
        return _pct(value, self.locale)

    def share(self, value: float) -> str:
        """A share in percent to one decimal ("12,5 %" in de_DE)."""
        return percent_text(value, self.locale, digits=1)

    def rate(self, value: float | None) -> str:
        """A savings rate as the pages write it ("12,5 %", "< −100 %" below −100%, "—" when there is none)."""
        if value is None or not math.isfinite(float(value)):
            return "—"
        if value < -100:
            return "< " + percent_text(-100, self.locale, digits=0).replace("-", "−", 1)
        return percent_text(value, self.locale, digits=1)

    def count(self, n: int) -> str:
        return babel_number(int(n), self.locale)

    def day(self, value: dt.date) -> str:
        """A date in the user's date format and locale (:func:`budgetwise.dates.day_text`)."""
        return day_text(value, self.date_format, self.locale)

    def month(self, value: dt.date) -> str:
        """A month as the locale writes it ("März 2026": :func:`budgetwise.dates.month_text`)."""
        return month_text(value, self.locale)

    @property
    def scale(self) -> int:
        return 10 ** minor_digits(self.currency)

    @property
    def through(self) -> Any:
        return self.changes.attrs.get("through_day")

    @property
    def month_labels(self) -> list[str]:
        """The chart's months as the locale writes them ("März 2026"; the frame's own labels are "2026-03")."""
        return [f"{label} (so far)" if so_far else label
                for label, so_far in zip((self.month(pd.Timestamp(p).date()) for p in self.months["period"]),
                                         self.months["so_far"])]


def _report_data(session: Session, user_id: int, month: dt.date, today: dt.date) -> _ReportData:
    user = session.execute(
        select(User.name, User.currency, User.locale, User.date_format).where(User.id == user_id)).first()
    if user is None:
        raise NotFoundError("This account no longer exists.")
    name, currency, locale, date_format = user
    locale, date_format = locale or "en_US", date_format or ISO_DATE
    first = month_start(month)
    last = month_end(first)
    flt = R.ReportFilter(first, last)
    return _ReportData(
        title=f"BudgetWise monthly report · {month_text(first, locale)}",
        name=name, currency=currency, locale=locale, date_format=date_format, first=first, today=today,
        summary=R.summary(session, user_id=user_id, filters=flt),
        changes=R.changes(session, user_id=user_id, month=first, today=today),
        by_cat=R.by_category(session, user_id=user_id, filters=flt),
        months=R.by_period(session, user_id=user_id, filters=R.ReportFilter(add_months(first, -11), last),
                           freq="month", today=today),
        merchants=R.top_merchants(session, user_id=user_id, filters=flt, limit=8),
        recurring=[r for r in R.detect_recurring(session, user_id=user_id, as_of=min(last, today))
                   if r.kind == "expense"][:10],
        unusual=R.unusual_transactions(session, user_id=user_id, filters=flt, today=today, limit=8),
        budget=budgets_service.budget_report(session, user_id=user_id, month=first, today=today),
    )


def monthly_report_pdf(session: Session, *, user_id: int, month: dt.date, today: dt.date | None = None) -> bytes:
    """A 3-page A4 PDF for one month: summary, charts, budgets and notable items."""
    import matplotlib

    if "matplotlib.pyplot" not in sys.modules:
        matplotlib.use("Agg")  # no display; the Figure API below never needs pyplot
    import seaborn as sns
    from matplotlib.backends.backend_pdf import PdfPages

    data = _report_data(session, user_id, month, today or dt.date.today())
    buffer = io.BytesIO()
    rc = {"text.parse_math": False, "font.size": 9, "axes.titlesize": 11, "axes.titleweight": "bold", "pdf.fonttype": 42}
    with matplotlib.rc_context(rc), sns.axes_style("whitegrid"), PdfPages(buffer) as pdf:
        meta = pdf.infodict()
        meta["Title"] = data.title
        meta["Author"] = "BudgetWise"
        _summary_and_chart_pages(pdf, data)
        _lists_pages(pdf, data)
    return buffer.getvalue()


def _new_page(title: str):
    """A blank A4 page with the report's title as its running head."""
    from matplotlib.figure import Figure

    fig = Figure(figsize=A4)
    fig.text(0.06, 0.965, title, fontsize=12, weight="bold")
    return fig


# ---------------------------------------------------------------- pages 1 and 2: summary and charts
def _summary_and_chart_pages(pdf, data: _ReportData) -> None:
    """Page 1 (summary, categories, the monthly chart when it fits) and page 2 (the other charts)."""
    from matplotlib.figure import Figure

    fig = Figure(figsize=A4)
    fig.text(0.06, 0.955, data.title, fontsize=16, weight="bold")
    fig.text(
        0.06, 0.935,
        f"{_clip(data.name, 60)} · amounts in {data.currency} · transfers excluded · generated {data.day(data.today)}",
        fontsize=9, color="#555555",
    )
    _summary_table(fig, data)
    _category_table(fig, data)
    box = page_one_chart_box(0 if data.by_cat.empty else min(len(data.by_cat), 22))
    if box is not None:  # fill page 1: the monthly chart under a short category table
        ax1 = fig.add_axes(list(box))
    else:
        pdf.savefig(fig)
        fig = _new_page(data.title)
        ax1 = fig.add_axes([0.1, 0.69, 0.84, 0.24])
    _income_expense_chart(ax1, data)
    if box is not None:
        pdf.savefig(fig)
        fig = _new_page(data.title)
    _net_chart(fig.add_axes([0.1, 0.6, 0.84, 0.3] if box is not None else [0.1, 0.38, 0.84, 0.24]), data)
    _top_categories_chart(fig.add_axes([0.3, 0.08, 0.64, 0.42] if box is not None else [0.3, 0.05, 0.64, 0.26]), data)
    pdf.savefig(fig)


def _summary_table(fig, data: _ReportData) -> None:
    """Income, expenses, net savings against last month and last year; savings rate; count."""
    money, summary, through = data.money, data.summary, data.through
    rows = data.changes.set_index("item")
    table_rows = []
    for item in ("Income", "Expenses", "Net savings"):
        r = rows.loc[item]
        table_rows.append(
            [item, money(r["this_month_minor"]), money(r["previous_month_minor"]), data.change(r["mom_change_pct"]),
             money(r["last_year_minor"]), data.change(r["yoy_change_pct"])]
        )
    rate = summary.savings_rate
    table_rows.append(["Savings rate", data.rate(rate), "", "", "", ""])
    table_rows.append(["Transactions", data.count(summary.count), "", "", "", ""])
    ax = fig.add_axes([0.06, 0.76, 0.88, 0.15])
    ax.axis("off")
    ax.set_title("Summary", loc="left")
    days = f"\n(1–{through})" if through else ""  # the days compared on a line of their own (trial28: overlapped)
    tbl = ax.table(
        cellText=table_rows,
        colLabels=["", data.month(data.first) + days, "Previous month" + days, "MoM", "A year before" + days, "YoY"],
        loc="upper left", cellLoc="right", colLoc="right", colWidths=[0.18, 0.2, 0.19, 0.12, 0.19, 0.12],
    )
    tbl.auto_set_font_size(False)
    tbl.set_fontsize(9)
    tbl.scale(1, 1.4)
    for (row, col), cell in tbl.get_celld().items():
        if row == 0 and days:
            cell.set_height(cell.get_height() * 1.8)
        if col == 0:
            cell.set_text_props(ha="left")
            cell.PAD = 0.03
    top = 0.733  # the notes under the table, one below the other
    if summary.missing_rates:
        text = "Not included (no exchange rate): " + " ".join(m.describe(data.locale, data.date_format) for m in summary.missing_rates)
        fig.text(0.06, 0.725, _clip(text, 160), fontsize=8, color="#b00020")
        top = 0.718
    elif summary.other_currencies:
        fig.text(0.06, 0.725, f"Converted to {data.currency} at each day's rate: {', '.join(summary.other_currencies)}",
                 fontsize=8, color="#555555")
        top = 0.718
    if missing := data.changes.attrs.get("missing_months"):  # the Changes tab's words (session 27, words27)
        fig.text(0.06, top, textwrap.fill(R.missing_note(missing, data.locale), 125), fontsize=8, color="#555555",
                 va="top", linespacing=1.2)


def _category_table(fig, data: _ReportData) -> None:
    """Spending by category (the top 22) with its share and changes."""
    ax = fig.add_axes([0.06, 0.06, 0.88, CATEGORY_TABLE_TOP - 0.06])
    ax.axis("off")
    ax.set_title("Spending by category", loc="left")
    if data.by_cat.empty:
        ax.text(0, 0.95, "No spending this month.", fontsize=10)
        return
    cat_changes = {row["item"]: row for _, row in data.changes.iterrows()}
    cells = []
    for _, r in data.by_cat.head(22).iterrows():
        ch = cat_changes.get(r["category"])
        cells.append(
            [_clip(r["category"], 30), data.money(r["amount_minor"]), data.share(r["share"]), data.count(r["count"]),
             data.change(ch["mom_change_pct"]) if ch is not None else "—",
             data.change(ch["yoy_change_pct"]) if ch is not None else "—"]
        )
    tbl = ax.table(cellText=cells, colLabels=["Category", "Spent", "Share", "Count", "MoM", "YoY"],
                   loc="upper left", cellLoc="right", colLoc="right",
                   colWidths=[0.3, 0.18, 0.12, 0.1, 0.15, 0.15])
    for (_row, col), cell in tbl.get_celld().items():
        if col == 0:
            cell.set_text_props(ha="left")
            cell.PAD = 0.03
    tbl.auto_set_font_size(False)
    tbl.set_fontsize(9)
    tbl.scale(1, 1.35)


def _income_expense_chart(ax, data: _ReportData) -> None:
    """Income vs expenses per month, the last 12 months."""
    import seaborn as sns

    months, scale = data.months, data.scale
    long = pd.DataFrame(
        {
            "month": data.month_labels * 2,
            "amount": [v / scale for v in months["income_minor"]] + [v / scale for v in months["expense_minor"]],
            "series": ["Income"] * len(months) + ["Expenses"] * len(months),
        }
    )
    sns.barplot(data=long, x="month", y="amount", hue="series", palette=[INCOME, EXPENSE], ax=ax)
    ax.set_title("Income vs expenses, last 12 months", loc="left")
    ax.set_xlabel("")
    ax.set_ylabel(data.currency)
    ax.tick_params(axis="x", rotation=45, labelsize=7)
    ax.legend(title="", loc="upper left", fontsize=8)


def _net_chart(ax, data: _ReportData) -> None:
    """Net savings per month, the last 12 months."""
    import seaborn as sns

    net = pd.DataFrame({"month": data.month_labels, "net": [v / data.scale for v in data.months["net_minor"]]})
    sns.lineplot(data=net, x="month", y="net", marker="o", color=NET, ax=ax, sort=False)
    ax.axhline(0, color="#999999", linewidth=0.8)
    ax.set_title("Net savings per month", loc="left")
    ax.set_xlabel("")
    ax.set_ylabel(data.currency)
    ax.tick_params(axis="x", rotation=45, labelsize=7)


def _top_categories_chart(ax, data: _ReportData) -> None:
    """The month's ten largest spending categories."""
    import seaborn as sns

    if data.by_cat.empty:
        ax.axis("off")
        ax.text(0, 0.5, "No spending this month.")
    else:
        top = data.by_cat.head(10)
        cats = pd.DataFrame({"category": [_clip(c, 24) for c in top["category"]],
                             "amount": [v / data.scale for v in top["amount_minor"]]})
        sns.barplot(data=cats, y="category", x="amount", hue="category", palette=list(top["color"]), legend=False, ax=ax)
        ax.set_xlabel(data.currency)
        ax.set_ylabel("")
    ax.set_title(f"Top categories, {data.month(data.first)}", loc="left")


# ---------------------------------------------------------------- page 3: budgets & notable items
class _SectionPages:
    """Tables one under another, continued on a new page when the next one does not fit."""

    def __init__(self, pdf, title: str):
        self.pdf = pdf
        self.title = title
        self.fig = _new_page(title)
        self.y = 0.93

    def section(self, heading: str, header: list[str], cells: list[list[str]], empty: str, widths: list[float],
                numbers: tuple[int, ...] = ()) -> None:
        """``numbers``: the columns of amounts, counts and percents, aligned right (trial28: every column was
        aligned left, its text a tenth of the column's width in, so "Merchant" started a quarter-inch in)."""
        height = 0.04 + 0.0215 * (len(cells) + 1) if cells else 0.06
        if self.y - height < 0.03:  # does not fit: continue on a new page
            self.pdf.savefig(self.fig)
            self.fig = _new_page(self.title)
            self.y = 0.93
        ax = self.fig.add_axes([0.06, self.y - height, 0.88, height])
        ax.axis("off")
        ax.set_title(heading, loc="left")
        if not cells:
            ax.text(0, 0.8, empty, fontsize=9, color="#555555")
        else:
            t = ax.table(cellText=cells, colLabels=header, loc="upper left", cellLoc="left", colLoc="left", colWidths=widths)
            for (_row, col), cell in t.get_celld().items():
                cell.PAD = 0.008 / widths[col]  # the same small gap (≈ 6 px at 100 dpi) in every column (PAD is a share of the width)
                if col in numbers:
                    cell.set_text_props(ha="right")
            t.auto_set_font_size(False)
            t.set_fontsize(8)
            t.scale(1, 1.3)
        self.y -= height + 0.03

    def close(self) -> None:
        self.pdf.savefig(self.fig)


def _lists_pages(pdf, data: _ReportData) -> None:
    """Budget vs actual, top merchants, recurring payments and unusual transactions."""
    money, budget = data.money, data.budget
    pages = _SectionPages(pdf, data.title)
    lines = ([budget.overall] if budget.overall else []) + list(budget.lines)
    pages.section(
        "Budget vs actual",
        ["Category", "Budget", "Spent", "Remaining", "Variance", "Status"],
        [
            [_clip(b.category_name, 28), money(b.available_minor), money(b.spent_minor), money(b.remaining_minor),
             data.change(b.variance_pct), "OVER" if b.over_budget else ("at risk" if b.projected_over else "ok")]
            for b in lines[:12]
        ],
        "No budgets set for this month.",
        [0.28, 0.15, 0.15, 0.15, 0.13, 0.14], numbers=(1, 2, 3, 4),
    )
    pages.section(
        "Top merchants",
        ["Merchant", "Count", "Spent", "Share"],
        [[_clip(r["merchant"], 48), data.count(r["count"]), money(r["amount_minor"]), data.share(r["share"])]
         for _, r in data.merchants.iterrows()],
        "No spending this month.",
        [0.52, 0.12, 0.2, 0.16], numbers=(1, 2, 3),
    )
    pages.section(
        "Recurring payments",
        ["Payment", "Cadence", "Typical", "Next", "Per year"],
        [[_clip(r.description, 40) + (" ↑" if r.price_increase else ""), r.cadence, money(r.typical_amount_minor),
          data.day(r.next_date), money(r.yearly_cost_minor)] for r in data.recurring],
        "No recurring payments detected.",
        [0.4, 0.12, 0.16, 0.15, 0.17], numbers=(2, 4),
    )
    pages.section(
        "Unusual transactions",
        ["Date", "Description", "Category", "Amount", "Typical"],
        [[data.day(u.date), _clip(u.description, 30), _clip(u.category_name, 18), money(u.amount_minor),
          money(u.typical_minor)] for u in data.unusual],
        "Nothing unusual this month.",
        [0.14, 0.36, 0.18, 0.16, 0.16], numbers=(3, 4),
    )
    pages.close()
