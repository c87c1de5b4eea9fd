"""Household histories for the forecast evaluation (benchmarks only; nothing here ships).

Every loader returns the plain frame ``forecast.parse_transactions`` reads (date, amount,
category, type, description), so the evaluation goes through exactly the CLI's CSV path.
Real histories come from ``../shared/data`` (skipped when absent); generated ones have a
known structure (trend, yearly season, level shift, outliers, a short history).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parent.parent
SHARED = next(
    (p / "shared" / "data" for p in ROOT.parents if (p / "shared" / "data").is_dir()),
    ROOT.parent / "shared" / "data",
)  # ../shared/data from the checkout (also from a worktree one level deeper)


def _plain(date, amount, category, kind, description) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "date": pd.to_datetime(pd.Series(date)).dt.strftime("%Y-%m-%d").to_numpy(),
            "amount": np.round(np.abs(np.asarray(amount, dtype=float)), 2).astype(str),
            "category": np.asarray(category, dtype=object),
            "type": np.asarray(kind, dtype=object),
            "description": np.asarray(description, dtype=object),
        }
    )


def kaggle() -> pd.DataFrame:
    raw = pd.read_csv(SHARED / "labeled" / "kaggle_personal_transactions.csv", dtype=str)
    cat = raw["Category"].str.strip()
    kind = np.where(cat.str.lower() == "credit card payment", "transfer",
                    np.where(raw["Transaction Type"].str.strip().str.lower() == "debit", "expense", "income"))
    return _plain(pd.to_datetime(raw["Date"], format="%m/%d/%Y"), raw["Amount"].astype(float), cat, kind,
                  raw["Description"])


def jerbouma() -> pd.DataFrame:
    """Dutch current account, signed EUR; moves to own savings/investment accounts are transfers."""
    import yaml as _yaml

    base = SHARED / "histories" / "JerBouma__PersonalFinance__cashflow_example"
    raw = pd.read_csv(str(base) + ".csv")
    with open(str(base) + ".yaml", encoding="utf-8") as fh:
        conf = _yaml.safe_load(fh)
    cats = conf.get("categories", {})
    text = (raw["name"].fillna("") + " " + raw["description"].fillna("")).str.lower()
    category = pd.Series("Other", index=raw.index, dtype=object)
    for name, words in cats.items():
        for w in words or []:
            hit = text.str.contains(str(w).lower(), regex=False) & (category == "Other")
            category[hit] = name
    value = raw["value"].astype(float)
    kind = np.where(category.isin(["Exclusions", "Investing"]), "transfer", np.where(value < 0, "expense", "income"))
    return _plain(raw["date"], value, category, kind, raw["name"])


def vermillion() -> pd.DataFrame:
    raw = pd.read_excel(SHARED / "histories" / "Vermillion-Chen__SpendingAnalysis__Final.xlsx")
    out_ = raw["AmountOut"].fillna(0).astype(float)
    in_ = raw["AmountIn"].fillna(0).astype(float)
    amount = np.where(out_ > 0, out_, in_)
    transfer = raw["Category"].isin(["Transfers", "Investments"])
    kind = np.where(transfer, "transfer", np.where(out_ > 0, "expense", "income"))
    keep = amount > 0
    return _plain(raw["Date"][keep], amount[keep], raw["Category"][keep], kind[keep], raw["Category"][keep])


def fabio() -> pd.DataFrame:
    raw = pd.read_csv(SHARED / "histories" / "fabiodesteves__expenses__transactions.csv")
    t = raw["Type"].str.lower()
    transfer = ~t.isin(["expense", "income"]) | (raw["Category Group Name"] == "Investments")
    kind = np.where(transfer, "transfer", t)
    return _plain(pd.to_datetime(raw["Date"]).dt.normalize(), raw["Amount"].astype(float),
                  raw["Category Group Name"], kind, raw["Title"])


def mpesa() -> pd.DataFrame:
    raw = pd.read_csv(SHARED / "labeled" / "mwendemichelle4-dev__Personal-Finance-Trackers-__statement3.csv", dtype=str)

    def num(s):
        return pd.to_numeric(s.fillna("0").str.replace(",", "", regex=False), errors="coerce").fillna(0.0)

    paid_in, withdrawn = num(raw["Paid In"]), num(raw["Withdrawn"]).abs()
    cat = raw["category"].fillna("Other")
    transfer = cat.isin(["Savings", "Bank Transfer", "Reversal", "Cash Deposit"])
    amount = np.where(withdrawn > 0, withdrawn, paid_in)
    kind = np.where(transfer, "transfer", np.where(withdrawn > 0, "expense", "income"))
    date = pd.to_datetime(raw["Completion Time"], format="%m/%d/%Y %H:%M").dt.normalize()
    keep = (amount > 0) & (raw["Transaction Status"].fillna("Completed") == "Completed")
    return _plain(date[keep], amount[keep], cat[keep], kind[keep], raw["description_clean"][keep])


def demo(seed: int = 42, months: int = 30) -> pd.DataFrame:
    from budgetwise.services import demo as D

    f = D.to_frame(D.generate(months=months, seed=seed, end=dt.date(2026, 6, 30)))
    f = f.rename(columns={c: c.lower() for c in f.columns})
    return f[[c for c in ("date", "amount", "category", "type", "description") if c in f.columns]]


def synthetic(seed: int, months: int, *, trend: float = 0.0, season: float = 0.0, shift_at: float | None = None,
              shift: float = 0.0, outliers: int = 0, noise: float = 0.25, income: str = "salary") -> pd.DataFrame:
    """A household with known structure: rent, groceries, dining, occasional travel.

    ``trend``: growth per year of the variable spending; ``season``: amplitude of a yearly
    cycle (December high); ``shift_at``: share of the history after which spending jumps by
    ``shift``; ``outliers``: one-off purchases of 5-10x a month's variable spending.
    ``income`` (session 27, issue #19's lumpy income; drawn from a second generator, so the spending of a seed is
    the same whatever the income): "salary" (3,500.00 on the 1st, as before), or :func:`_lumpy_income`'s
    "freelance" or "lumpy".
    """
    rng = np.random.default_rng(seed)
    end = dt.date(2026, 6, 30)
    start = (pd.Timestamp(end) - pd.DateOffset(months=months) + pd.Timedelta(days=1)).date()
    days = pd.date_range(start, end)
    rows = []
    n = len(days)
    for i, d in enumerate(days):
        frac = i / n
        level = (1 + trend * i / 365.0) * (1 + season * np.cos(2 * np.pi * (d.day_of_year - 350) / 365.25))
        if shift_at is not None and frac >= shift_at:
            level *= 1 + shift
        if d.day == 1:
            rows.append((d, 1200.0 * (1 + (shift if shift_at is not None and frac >= shift_at else 0) / 2), "Rent", "expense", "Landlord"))
            if income == "salary":
                rows.append((d, 3500.0, "Salary", "income", "Employer"))
        if rng.random() < 0.35:
            rows.append((d, level * rng.gamma(4, 20) * (1 + noise * rng.standard_normal() / 2), "Groceries", "expense", "Market"))
        if rng.random() < 0.2:
            rows.append((d, level * rng.gamma(2, 15), "Dining", "expense", "Cafe"))
        if rng.random() < 0.01:
            rows.append((d, level * rng.gamma(3, 150), "Travel", "expense", "Airline"))
    for _ in range(outliers):
        d = days[rng.integers(len(days) // 4, len(days))]
        rows.append((d, float(rng.uniform(5, 10) * 900), "Home", "expense", "Renovation"))
    if income != "salary":
        rows += _lumpy_income(np.random.default_rng([seed, 27]), days, income)
    f = pd.DataFrame(rows, columns=["date", "amount", "category", "type", "description"])
    f["amount"] = f["amount"].abs()
    return _plain(f["date"], f["amount"], f["category"], f["type"], f["description"])


def _lumpy_income(rng: np.random.Generator, days: pd.DatetimeIndex, income: str) -> list[tuple]:
    """Income that is not a monthly salary (session 27), for :func:`synthetic`. The household's drift (mean monthly
    net) is drawn in -300 .. +900, so the balance may barely move on average while the months swing (the spending
    of the generator is about 2,370 a month with rent).

    "freelance": no salary; invoices paid on random days, a Poisson number a month (mean 0.6-1.5, drawn), each
    lognormal (sd of the log 0.5) with the mean that gives the drift. "lumpy": a monthly pay on the 25th that
    varies (+-25%) and stops for 2-5 months once or twice, plus large irregular deposits (a loan, a bonus, a
    reimbursement: 12-25% of months, 2,000-9,000 each); the pay's size is what gives the drift."""
    spend, drift = 2370.0, float(rng.uniform(-300, 900))
    months = pd.period_range(days[0], days[-1], freq="M")
    rows: list[tuple] = []
    if income == "freelance":
        rate = float(rng.uniform(0.6, 1.5))
        mean = (spend + drift) / rate
        for m in months:
            for _ in range(int(rng.poisson(rate))):
                d = m.start_time + pd.Timedelta(days=int(rng.integers(0, m.days_in_month)))
                size = mean * float(rng.lognormal(-0.125, 0.5))
                if days[0] <= d <= days[-1]:
                    rows.append((d, size, "Income", "income", f"Client {int(rng.integers(1, 6))}"))
        return rows
    if income != "lumpy":
        raise ValueError(income)
    p_lump, lump = float(rng.uniform(0.12, 0.25)), 5500.0
    stops = set()
    for _ in range(int(rng.integers(1, 3))):
        at, length = int(rng.integers(0, len(months))), int(rng.integers(2, 6))
        stops.update(range(at, at + length))
    paid = (len(months) - len(stops & set(range(len(months))))) / len(months)
    pay = max(500.0, (spend + drift - p_lump * lump) / max(paid, 0.3))
    for i, m in enumerate(months):
        d = m.start_time + pd.Timedelta(days=min(24, m.days_in_month - 1))
        if i not in stops and days[0] <= d <= days[-1]:
            rows.append((d, pay * float(rng.uniform(0.75, 1.25)), "Salary", "income", "Employer"))
        if rng.random() < p_lump:
            d = m.start_time + pd.Timedelta(days=int(rng.integers(0, m.days_in_month)))
            if days[0] <= d <= days[-1]:
                rows.append((d, float(rng.uniform(2000, 9000)), "Other income", "income",
                             ("Loan", "Bonus", "Reimbursement")[int(rng.integers(0, 3))]))
    return rows


def drawn_structure(rng: np.random.Generator) -> tuple[dict, str]:
    """Keywords for :func:`synthetic` drawn from ``rng`` (noise always; trend, season, a level shift and outliers
    each with chance 0.4) and a short label ("trend +0.12, 2 outl." or "flat"); the one drawing the generated
    seed blocks of the benchmarks share."""
    kw: dict = {"noise": float(rng.uniform(0.1, 0.9))}
    parts = []
    if rng.random() < 0.4:
        kw["trend"] = float(rng.uniform(-0.15, 0.3))
        parts.append(f"trend {kw['trend']:+.2f}")
    if rng.random() < 0.4:
        kw["season"] = float(rng.uniform(0.1, 0.4))
        parts.append(f"season {kw['season']:.2f}")
    if rng.random() < 0.4:
        kw["shift_at"], kw["shift"] = float(rng.uniform(0.4, 0.8)), float(rng.uniform(-0.3, 0.6))
        parts.append(f"shift {kw['shift']:+.2f}")
    if rng.random() < 0.4:
        kw["outliers"] = int(rng.integers(1, 4))
        parts.append(f"{kw['outliers']} outl.")
    return kw, ", ".join(parts) or "flat"


def naive_wapes(t: pd.DataFrame) -> list[float]:
    """The WAPE of each naive guess of a backtest table ("mean3", "last_year") over the rows where that guess
    exists; a guess with no row, or whose rows' actuals sum to zero, is left out. The one scoring of the naive
    baselines the forecast benchmarks share."""
    a = t["actual"].to_numpy(float)
    base = []
    for col in ("mean3", "last_year"):
        ok = np.isfinite(t[col].to_numpy(float))
        if ok.any() and np.abs(a[ok]).sum() > 0:
            base.append(np.abs(a[ok] - t[col].to_numpy(float)[ok]).sum() / np.abs(a[ok]).sum())
    return base


def expense_series(hist) -> list[str]:
    """The series keys of a history's expense categories: the product's own choice (``History.categories``, what
    ``series_options`` offers and the pool draws from). A category with expense rows whose rows are mostly income
    is forecast as income (``category_kinds``), so it is not one of them. The one owner of this choice for the
    benchmarks that score expense categories."""
    from budgetwise.services import forecast as F

    return [F.category_series(c) for c in hist.categories("expense")]


def expense_runs(hist, horizon: int = 3) -> dict:
    """The monthly model runs of a history (before any rule chooses methods): ``ctx``, the total expenses' run
    ``total`` and ``cats``, a (run, series) per :func:`expense_series` category with a backtest. Raises
    ``NotEnoughHistory`` / ``ValueError`` when the history is too short for the total."""
    from budgetwise.services import forecast as F

    ctx, _ = F._prepare(hist, "month", horizon)
    flows = F._frame_flow_provider(hist)(F.flow_dates(hist, freq="month", horizon=horizon))
    total = F._run_series(ctx, F._selection(hist, F.SERIES_EXPENSES), flows, horizon)
    cats = []
    for s in expense_series(hist):
        try:
            run = F._run_series(ctx, F._selection(hist, s), flows, horizon)
        except (F.NotEnoughHistory, ValueError):
            continue
        if len(run.records):
            cats.append((run, s))
    return {"ctx": ctx, "total": total, "cats": cats}


def households() -> list[tuple[str, str, Callable[[], pd.DataFrame]]]:
    """(name, kind, loader): kind is 'real' or 'generated'."""
    out: list[tuple[str, str, Callable[[], pd.DataFrame]]] = []
    real = [
        ("kaggle US 21m", SHARED / "labeled" / "kaggle_personal_transactions.csv", kaggle),
        ("JerBouma NL", SHARED / "histories" / "JerBouma__PersonalFinance__cashflow_example.csv", jerbouma),
        ("Vermillion CA", SHARED / "histories" / "Vermillion-Chen__SpendingAnalysis__Final.xlsx", vermillion),
        ("fabio PT", SHARED / "histories" / "fabiodesteves__expenses__transactions.csv", fabio),
        ("M-Pesa KE", SHARED / "labeled" / "mwendemichelle4-dev__Personal-Finance-Trackers-__statement3.csv", mpesa),
    ]
    for name, path, fn in real:
        if path.exists():
            out.append((name, "real", fn))
    out += [
        ("demo seed 42 30m", "generated", lambda: demo(42, 30)),
        ("demo seed 7 36m", "generated", lambda: demo(7, 36)),
        ("gen trend +15%/y 36m", "generated", lambda: synthetic(1, 36, trend=0.15)),
        ("gen season 40% 36m", "generated", lambda: synthetic(2, 36, season=0.4)),
        ("gen level shift 30m", "generated", lambda: synthetic(3, 30, shift_at=0.6, shift=0.5)),
        ("gen outliers 30m", "generated", lambda: synthetic(4, 30, outliers=3)),
        ("gen short 16m", "generated", lambda: synthetic(5, 16, season=0.2)),
        ("gen noisy flat 24m", "generated", lambda: synthetic(6, 24, noise=0.8)),
    ]
    return out
