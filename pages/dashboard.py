"""Dashboard: KPIs for a period with change vs the previous one, charts, budgets, recent
transactions and alerts; a friendly start for an empty account."""

import datetime as dt

import streamlit as st

from budgetwise.dates import add_months
from budgetwise.money import minor_digits
from budgetwise.services import budgets as B
from budgetwise.services import demo, rates
from budgetwise.services import reports as R
from budgetwise.services import transactions as tx
from budgetwise.services.budgets import budget_warnings
from budgetwise.ui import charts, read_session, require_user
from budgetwise.ui.actions import load, run_action
from budgetwise.ui.currency import converted_note, in_base_column, missing_rates_warning
from budgetwise.ui.dashboard.outlook import outlook_card
from budgetwise.ui.format import money
from budgetwise.ui.navigation import PAGES_DIR
from budgetwise.ui.reporting import Loader, change_text, period_picker, points_change_text
from budgetwise.ui.widgets import date_column_format, md, money_metric, transactions_frame

principal = require_user()

today = dt.date.today()
data = Loader(principal)


def _page_link(file: str, label: str, icon: str) -> None:
    """A link to another page when it exists and is registered; plain text otherwise."""
    if (PAGES_DIR / file).exists():
        try:
            st.page_link(f"pages/{file}", label=label, icon=icon)
            return
        except Exception:  # noqa: BLE001 - page not registered in this run (e.g. run on its own)
            pass
    st.markdown(f"{label} (in the menu)")


st.title("Dashboard")

# ---------------------------------------------------------------- empty account: a friendly start
if not data.call(R.has_transactions):
    st.subheader(f"Welcome, {md(principal.name)} 👋")
    st.write(
        "Your dashboard fills up as soon as there is some money to show: income, spending by category, "
        "budgets and alerts. Three ways to start:"
    )
    c1, c2, c3 = st.columns(3)
    with c1.container(border=True):
        st.markdown("**Add a transaction**")
        st.caption("Type in a purchase or a payslip by hand.")
        _page_link("transactions.py", "Go to Transactions", ":material/receipt_long:")
    with c2.container(border=True):
        st.markdown("**Import a file**")
        st.caption("Bring in a CSV, Excel or OFX export from your bank.")
        _page_link("import_data.py", "Go to Import", ":material/upload_file:")
    with c3.container(border=True):
        st.markdown("**Load demo data**")
        st.caption("Two years of realistic sample transactions, to explore every feature.")
        if st.button("Load demo data", key="dash_demo", type="primary", icon=":material/auto_awesome:"):
            currency = principal.currency if minor_digits(principal.currency) == 2 else "USD"
            with st.spinner("Creating two years of sample transactions…"):
                run_action(
                    lambda s: demo.seed_transactions(s, user_id=principal.user_id, rows=demo.generate(), currency=currency),
                    toast=lambda count: f"Loaded {count:,} demo transactions", icon="✅",
                )
    st.stop()

# ---------------------------------------------------------------- period & KPIs
top_left, top_right = st.columns([1, 3], vertical_alignment="bottom")
with top_left:
    date_from, date_to, period_label = period_picker("dash", user_id=principal.user_id, default="this_month", today=today)
flt = R.ReportFilter(date_from=date_from, date_to=date_to)
prev_from, prev_to = R.previous_period(date_from, date_to)
top_right.caption(
    f"{date_from.isoformat()} – {date_to.isoformat()}, compared with {prev_from.isoformat()} – {prev_to.isoformat()}. "
    "Transfers between your own accounts are not counted."
)

k = load(lambda: data.call(R.kpis, filters=flt), stop=True)
cur, prev = k.current, k.previous


def _delta(metric: str) -> str | None:
    if prev.count == 0:
        return None
    return change_text(principal, k.change(metric), k.change_pct(metric), base_minor=int(getattr(prev, metric)))


chart_from = min(date_from, add_months(date_to, -11))
months = data.call(R.by_period, filters=R.ReportFilter(chart_from, date_to), freq="month")
spark_n = 6
scale = 10 ** minor_digits(principal.currency)  # sparklines only: floats for drawing
c1, c2, c3, c4 = st.columns(4)
money_metric(
    c1, "Income", principal, cur.income_minor, delta=_delta("income_minor"),
    chart_data=[v / scale for v in months["income_minor"].tail(spark_n)], chart_type="bar",
)
money_metric(
    c2, "Expenses", principal, cur.expense_minor, delta=_delta("expense_minor"), delta_color="inverse",
    chart_data=[v / scale for v in months["expense_minor"].tail(spark_n)], chart_type="bar",
)
money_metric(
    c3, "Net savings", principal, cur.net_minor, delta=_delta("net_minor"),
    chart_data=[v / scale for v in months["net_minor"].tail(spark_n)], chart_type="area",
)
rate = cur.savings_rate
rate_change = k.savings_rate_change
c4.metric(
    "Savings rate",
    "—" if rate is None else "< −100%" if rate < -100 else f"{rate:.1f}%",
    points_change_text(rate_change),
    border=True,
    help="Net savings as a share of income. pp = percentage points vs the previous period.",
)
if cur.other_currencies:
    st.caption(f"Amounts are in {principal.currency}; {converted_note(principal, cur.other_currencies)}.")
missing_rates_warning(principal, cur.missing_rates, what=f"the figures for {period_label.lower()}")
if not cur.missing_rates and (prev.missing_rates or months.attrs.get("missing_rates")):
    st.caption(
        f"Some amounts in the previous period or the monthly charts have no exchange rate to {principal.currency} "
        "and are left out there (see Profile → Exchange rates)."
    )

outlook_card(principal, today=today)  # lowest projected balance; an alert below the threshold (issue #19)

# ---------------------------------------------------------------- alerts
report = data.call(B.budget_report, month=today.replace(day=1), today=today)

# (icon, headline, detail): icons are Material symbols in theme colours (no emoji font needed)
OVER, RISK, UNUSUAL, DUPLICATE, UPCOMING = (
    ":red[:material/error:]", ":orange[:material/warning:]", ":violet[:material/troubleshoot:]",
    ":orange[:material/content_copy:]", ":blue[:material/event_upcoming:]",
)
alerts: list[tuple[str, str, str]] = []
for text in budget_warnings(report, money=lambda minor: money(principal, minor)):
    over = "over budget" in text
    alerts.append((OVER if over else RISK, "Over budget" if over else "Budget at risk", text))
recent_window = R.ReportFilter(today - dt.timedelta(days=29), today)
for u in data.call(R.unusual_transactions, filters=recent_window, today=today, limit=5):
    alerts.append((UNUSUAL, "Unusual", f"{u.date.isoformat()} {u.description or '(no description)'}. {u.reason}"))
for g in data.call(R.likely_duplicates, filters=recent_window, today=today, limit=3):
    alerts.append((DUPLICATE, "Possible duplicate", f"{g.description or '(no description)'}. {g.reason}"))
for r in data.call(R.upcoming_recurring, as_of=today, days=14):
    when = "due now" if r.next_date <= today else f"expected {r.next_date.isoformat()}"
    extra = (
        f" (up from {money(principal, r.previous_amount_minor, r.currency)})"
        if r.price_increase and r.previous_amount_minor else ""
    )
    alerts.append(
        (UPCOMING, "Upcoming",
         f"{r.description} · {money(principal, r.typical_amount_minor, r.currency)}{extra} · {r.cadence}, {when}.")
    )

if alerts:
    with st.expander(f"Alerts ({len(alerts)})", expanded=True, icon=":material/notifications:"):
        for icon, headline, text in alerts:
            st.markdown(f"{icon} **{headline}:** {md(text)}")

# ---------------------------------------------------------------- charts
by_cat = data.call(R.by_category, filters=flt)
left, right = st.columns(2)
with left.container(border=True):
    st.markdown(f"**Spending by category** · {md(period_label)}")
    if by_cat.empty:
        st.info("No spending in this period.")
    else:
        st.plotly_chart(charts.spending_donut(by_cat, currency=principal.currency, locale=principal.locale),
                        key="dash_donut", config={"displayModeBar": False})
with right.container(border=True):
    st.markdown("**Income vs expenses per month**")
    st.plotly_chart(charts.income_expense_bars(months, currency=principal.currency, locale=principal.locale),
                    key="dash_bars", config={"displayModeBar": False})

left, right = st.columns(2)
with left.container(border=True):
    st.markdown("**Income, expenses and savings**")
    st.plotly_chart(charts.trend_lines(months, currency=principal.currency, locale=principal.locale),
                    key="dash_trend", config={"displayModeBar": False})
with right.container(border=True):
    st.markdown(f"**Budgets** · {today.strftime('%B %Y')}")
    if report.is_empty:
        st.caption("No budgets yet. Set a monthly budget to see your progress here.")
        _page_link("budgets.py", "Set budgets", ":material/savings:")
    else:
        items = ([report.overall] if report.overall else []) + list(report.lines)
        # Coloured bars (green / orange on course to exceed / red over budget) against the 100% line:
        # st.progress cannot show an overspent budget as anything but a full bar in the theme colour.
        st.plotly_chart(charts.budget_progress(items[:7], currency=principal.currency, locale=principal.locale),
                        key="dash_budget_progress", config={"displayModeBar": False})
        for line in items[:7]:
            used = line.used_pct
            text = md(
                f"{line.category_name}: {money(principal, line.spent_minor)} of {money(principal, line.available_minor)}"
                + ("" if used is None or used == float("inf") else f" ({used:.0f}%)")
            )
            if line.over_budget:
                st.markdown(f"{OVER} {text} · :red[over budget]")
            elif line.projected_over:
                st.markdown(f"{RISK} {text} · :orange[on course to exceed]")
        if len(items) > 7:
            st.caption(f"…and {len(items) - 7} more on the Budgets page.")

# ---------------------------------------------------------------- recent transactions
with st.container(border=True):
    st.markdown("**Latest transactions**")
    with read_session() as s:
        recent = tx.recent_transactions(s, user_id=principal.user_id, limit=8)
        converted = rates.convert_each(
            s, user_id=principal.user_id, items=[(r.currency, r.date, r.amount_minor) for r in recent]
        )
    frame = transactions_frame(principal, recent)
    columns = ["Date", "Amount", "Description", "Category"]  # the amount stays visible on a narrow screen
    if any(r.currency != principal.currency for r in recent):
        frame[f"In {principal.currency}"] = in_base_column(principal, recent, converted)
        columns.append(f"In {principal.currency}")
    st.dataframe(
        frame[columns],
        hide_index=True,
        width="stretch",
        column_config={"Date": st.column_config.DateColumn("Date", format=date_column_format(principal))},
    )
    _page_link("transactions.py", "All transactions", ":material/receipt_long:")
