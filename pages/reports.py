"""Reports: totals by period and category, trends, merchants, changes, unusual spending,
recurring payments, CSV/Excel downloads of every table and the monthly PDF report."""

import datetime as dt

import streamlit as st

from budgetwise.analysis import recurring as recurring_rule
from budgetwise.dates import month_start
from budgetwise.errors import BudgetwiseError
from budgetwise.services import exports
from budgetwise.services import reports as R
from budgetwise.ui import charts, require_user
from budgetwise.ui.currency import converted_note, missing_rates_warning
from budgetwise.ui.format import money
from budgetwise.ui.reporting import Loader, display_frame, download_buttons, report_filters
from budgetwise.ui.widgets import md, money_metric, show_error

principal = require_user()

today = dt.date.today()
data = Loader(principal)
cur = principal.currency
loc = principal.locale
NO_BAR = {"displayModeBar": False}

st.title("Reports")

if not data.call(R.has_transactions):
    st.info("No transactions yet: add some on the **Transactions** page or bring in a file on the **Import** page.")
    st.stop()

flt, period_label = report_filters(principal, "rep", today=today)

try:
    summary = data.call(R.summary, filters=flt)
except BudgetwiseError as exc:
    show_error(exc)
    st.stop()


c1, c2, c3, c4 = st.columns(4)
money_metric(c1, "Income", principal, summary.income_minor)
money_metric(c2, "Expenses", principal, summary.expense_minor)
money_metric(c3, "Net savings", principal, summary.net_minor)
rate = summary.savings_rate
c4.metric("Savings rate", "—" if rate is None else "< −100%" if rate < -100 else f"{rate:.1f}%", border=True)
notes = [f"{md(period_label)}: {flt.date_from.isoformat()} – {flt.date_to.isoformat()}",
         f"{summary.count:,} transactions", f"amounts in {cur}", "transfers excluded"]
if summary.other_currencies:
    notes.append(converted_note(principal, summary.other_currencies))
st.caption(" · ".join(notes))
missing_rates_warning(principal, summary.missing_rates, what="this report")

if summary.count == 0:
    st.info("Nothing matches these filters. Try a longer period or fewer filters.")
    st.stop()

tabs = st.tabs(
    ["Overview", "Categories", "Trends", "Merchants", "Changes", "Unusual", "Recurring", "Monthly PDF"]
)

# ---------------------------------------------------------------- overview
with tabs[0]:
    freq = st.segmented_control(
        "Group by", ["month", "week", "year"], default="month", key="rep_freq", format_func=str.capitalize,
    ) or "month"
    periods = data.call(R.by_period, filters=flt, freq=freq)
    st.plotly_chart(charts.income_expense_bars(periods, currency=cur, locale=loc), key="rep_bars", config=NO_BAR)
    st.dataframe(
        display_frame(principal, periods.drop(columns=["period"]), rename={"label": freq.capitalize(), "income": "Income", "expense": "Expenses", "net": "Net savings", "count": "Transactions"}),
        hide_index=True, width="stretch",
    )
    download_buttons(periods, stem=f"income-expenses-by-{freq}", currency=cur, key="rep_dl_periods")
    st.markdown("**Summary**")
    summary_table = R.summary_frame(summary)
    st.dataframe(display_frame(principal, summary_table, rename={"amount": "Amount"}), hide_index=True, width="content",
                 column_config={"Amount": st.column_config.TextColumn(width="medium")})  # "NZ$203,876.45" whole
    download_buttons(summary_table, stem="summary", currency=cur, key="rep_dl_summary")

# ---------------------------------------------------------------- categories
with tabs[1]:
    kind = "income" if flt.kind == "income" else "expense"
    by_cat = data.call(R.by_category, filters=flt, kind=kind)
    if by_cat.empty:
        st.info(f"No {kind} in this selection.")
    else:
        left, right = st.columns([2, 3])
        with left:
            st.plotly_chart(charts.spending_donut(by_cat, currency=cur, locale=loc), key="rep_donut", config=NO_BAR)
        with right:
            st.markdown(f"**{'Income' if kind == 'income' else 'Spending'} by category**")
            st.dataframe(
                display_frame(principal, by_cat, rename={"amount": "Total", "average": "Per transaction"}),
                hide_index=True, width="stretch",
            )
            download_buttons(by_cat, stem=f"{kind}-by-category", currency=cur, key="rep_dl_cat")
        avg = data.call(R.average_monthly_by_category, filters=flt, kind=kind)
        st.markdown("**Average per month** (months without any count as zero)")
        st.dataframe(
            display_frame(principal, avg, rename={"total": "Total", "average": "Monthly average"}),
            hide_index=True, width="stretch",
        )
        download_buttons(avg, stem=f"{kind}-average-monthly", currency=cur, key="rep_dl_avg")

# ---------------------------------------------------------------- trends
with tabs[2]:
    trend = data.call(R.category_trend, filters=flt, kind="income" if flt.kind == "income" else "expense")
    months = data.call(R.by_period, filters=flt, freq="month")
    style = st.segmented_control("Chart", ["Area", "Bars"], default="Area", key="rep_trend_style") or "Area"
    st.markdown("**By category over time**")
    if trend.empty:
        st.info("Nothing to show for this selection.")
    else:
        st.plotly_chart(
            charts.category_area(trend, currency=cur, locale=loc, bars=style == "Bars",
                                 running_month=month_start(today) if flt.date_to >= today else None),
            key="rep_area", config=NO_BAR,
        )
        download_buttons(R.trend_wide(trend), stem="category-trend", currency=cur, key="rep_dl_trend")
    left, right = st.columns(2)
    with left:
        st.markdown("**Income, expenses and net savings**")
        st.plotly_chart(charts.trend_lines(months, currency=cur, locale=loc), key="rep_lines", config=NO_BAR)
    with right:
        st.markdown("**Savings rate**")
        st.plotly_chart(charts.savings_rate_line(months), key="rep_rate", config=NO_BAR)

# ---------------------------------------------------------------- merchants
with tabs[3]:
    top_n = st.slider("How many", 5, 50, 15, step=5, key="rep_top_n")
    merchants = data.call(R.top_merchants, filters=flt, kind="income" if flt.kind == "income" else "expense", limit=top_n)
    st.dataframe(
        display_frame(principal, merchants, rename={"amount": "Total", "average": "Average", "example": "Example description"}),
        hide_index=True, width="stretch",
    )
    download_buttons(merchants, stem="top-merchants", currency=cur, key="rep_dl_merchants")

# ---------------------------------------------------------------- changes
with tabs[4]:
    month_choices = R.months_between(flt.date_from, flt.date_to)[::-1]
    month = st.selectbox(
        "Month", month_choices, format_func=lambda m: m.strftime("%B %Y"), key="rep_change_month",
        help="Compared with the month before (MoM) and the same month a year earlier (YoY).",
    )
    changes = data.call(R.changes, month=month or month_start(flt.date_to), filters=flt, today=today)
    through = changes.attrs.get("through_day")
    if through:
        st.caption(f"This month is not over: its first {through} days are compared with the first {through} days "
                   "of the month before and of the same month a year earlier.")
    st.dataframe(
        display_frame(
            principal, changes,
            rename={"item": "", "this_month": "This month", "previous_month": "Previous month", "last_year": "A year before"},
        ),
        hide_index=True, width="stretch",
    )
    download_buttons(changes, stem="month-over-month", currency=cur, key="rep_dl_changes")

# ---------------------------------------------------------------- unusual
with tabs[5]:
    st.markdown("**Unusual transactions** — far above what is typical for their category")
    flagged = [
        (None, R.unusual_frame(data.call(R.unusual_transactions, filters=flt, today=today)), {"typical": "Typical"},
         "Nothing unusual in this period (a category needs at least 8 earlier expenses to be judged).",
         "unusual-transactions", "rep_dl_unusual", None),
        ("**Spending spikes** — months far above the months before",
         R.spikes_frame(data.call(R.spending_spikes, filters=flt, today=today)), {"typical": "Usual month"},
         "No spikes in this period (at least 6 earlier months are needed).", "spending-spikes", "rep_dl_spikes", None),
        ("**Possible duplicates** — same merchant and amount within a few days",
         R.duplicates_frame(data.call(R.likely_duplicates, filters=flt, today=today)), None,
         "No likely duplicates in this period.", "possible-duplicates", "rep_dl_dups",
         "Check them on the Transactions page and delete the extra copy if it really is one."),
    ]
    for heading, frame, rename, empty_text, stem, key, note in flagged:
        if heading:
            st.markdown(heading)
        if frame.empty:
            st.caption(empty_text)
            continue
        st.dataframe(display_frame(principal, frame, rename=rename), hide_index=True, width="stretch",
                     column_config={"Reason": st.column_config.TextColumn(width="large")})
        download_buttons(frame, stem=stem, currency=cur, key=key)
        if note:
            st.caption(note)

# ---------------------------------------------------------------- recurring
with tabs[6]:
    as_of = min(flt.date_to, today)
    recurring = data.call(R.detect_recurring, as_of=as_of, filters=flt.with_dates(None, None))
    if not recurring:
        st.caption(f"No recurring payments found: a payment is listed after {recurring_rule.RULE_TEXT}.")
    else:
        expenses = [r for r in recurring if r.kind == "expense"]
        yearly = [r.yearly_cost_base_minor for r in expenses if r.yearly_cost_base_minor is not None]
        m1, m2, m3 = st.columns(3)
        m1.metric("Recurring payments", f"{len(expenses)}", border=True)
        m2.metric("Per year", money(principal, sum(yearly)), border=True,
                  help=f"In {cur}; payments in other currencies at the rate of their last payment.")
        m3.metric("Price increases", f"{sum(r.price_increase for r in expenses)}", border=True)
        if len(yearly) < len(expenses):
            unpriced = sorted({r.currency for r in expenses if r.yearly_cost_base_minor is None})
            st.caption(f"Not in the yearly total: payments in {', '.join(unpriced)} without an exchange rate to {cur}.")
        frame = R.recurring_frame(recurring)
        shown = display_frame(
            principal, frame,
            rename={"typical_amount": "Typical amount", "yearly_cost": "Per year", "previous_amount": "Before the increase",
                    "price_increase": "Price went up"},
        )
        st.dataframe(
            shown, hide_index=True, width="stretch",
            column_order=["Description", "Category", "Kind", "Cadence", "Typical amount", "Next date", "Per year",
                          "Price went up", "Before the increase", "Occurrences", "Last date"],
        )
        download_buttons(frame, stem="recurring-payments", currency=cur, key="rep_dl_recurring")
        st.caption(f"A payment is listed after {recurring_rule.RULE_TEXT}, looking back "
                   f"{recurring_rule.LOOKBACK_DAYS:,} days up to {as_of.isoformat()}; next dates are estimates.")

# ---------------------------------------------------------------- monthly PDF
with tabs[7]:
    st.markdown("A printable monthly report: summary and category tables, charts, budgets, merchants, "
                "recurring and unusual payments.")
    first_data, last_data = data.call(R.data_range)
    pdf_months = R.months_between(first_data, min(max(last_data, first_data), today))[::-1] if first_data else []
    pdf_month = st.selectbox("Month", pdf_months, format_func=lambda m: m.strftime("%B %Y"), key="rep_pdf_pick")
    if st.button("Prepare PDF", key="rep_pdf_make", icon=":material/picture_as_pdf:") and pdf_month:
        st.session_state["rep_pdf_month"] = pdf_month.isoformat()
    wanted = st.session_state.get("rep_pdf_month")
    if wanted and pdf_month and wanted == pdf_month.isoformat():
        with st.spinner("Drawing the charts…"):
            try:
                pdf_bytes = data.pdf(pdf_month, today)
            except BudgetwiseError as exc:
                show_error(exc)
                pdf_bytes = None
        if pdf_bytes:
            st.download_button(
                f"Download the {pdf_month.strftime('%B %Y')} report (PDF)", data=pdf_bytes,
                file_name=exports.timestamped_name(f"budgetwise-report-{pdf_month.strftime('%Y-%m')}", "pdf"),
                mime="application/pdf", key="rep_pdf_download", type="primary", icon=":material/download:",
                on_click="ignore",
            )
