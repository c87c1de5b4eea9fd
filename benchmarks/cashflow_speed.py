"""Cash-flow and balance speed (issue #19) on SQLite.

    PYTHONPATH=$PWD .venv/bin/python benchmarks/cashflow_speed.py [--dir DIR] [--repeat 3]

1. A 3-year demo user with 5 accounts (the demo's rows spread over them): full AppTest runs of
   ``pages/cashflow.py``, cold (data cache cleared; modules already imported by a warm-up run of
   another user) and cached (a rerun). Targets: under 1.5 s cold, well under 0.3 s cached. The
   dashboard's outlook card is timed the same way (``pages/dashboard.py``, cached rerun).
2. A 100,000-transaction user over three years (``report_bench.build_cli``'s heavy user, spread
   over 5 accounts): ``accounts.balances`` and ``accounts.balance_history(months=36)`` from SQL
   aggregates, against the plain way (load the user's rows with ``pd.read_sql`` and sum in pandas;
   the load included, as a page that worked that way would pay it on every rerun); results are
   checked to agree. Also the whole projection (``cashflow.cashflow_user``) for that user, cold.
3. That user's dashboard (``pages/dashboard.py``, with the outlook card), cold and cached, and how many
   times ``reports.detect_recurring`` ran in a cold run (the outlook and the upcoming payments share one).

``--all-pages`` (session 13) instead profiles every page (``--pages`` to pick some) for the 3-year
demo user and the 100,000-row user with cProfile: wall and CPU of a cold run (data cache cleared,
a new session) and a warm rerun, and the CPU the rerun spends in our code (pages/ and budgetwise/,
the calls into Streamlit's own rendering left out), with the three heaviest of our functions.
``--reuse`` keeps a database built by an earlier run in ``--dir``.

Figures are medians of ``--repeat`` runs (wall and CPU: the machine is shared). No assertions.
"""

from __future__ import annotations

import argparse
import datetime as dt
import logging
import os
import shutil
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

import pandas as pd  # noqa: E402
from sqlalchemy import text  # noqa: E402

from budgetwise.db import make_engine, make_session_factory, upgrade_database  # noqa: E402

SECRET = "cashflow-speed-benchmark-secret-key-0123456789"
KINDS = ("savings", "credit_card", "cash", "investment")


def _spread(session, user_id: int) -> list[int]:
    """Four more accounts; the user's rows spread over all five by id."""
    from budgetwise.services import accounts

    first = accounts.default_account_id(session, user_id=user_id)
    ids = [first] + [accounts.create_account(session, user_id=user_id, name=f"Account {k}", kind=k).id for k in KINDS]
    for n, account_id in enumerate(ids):
        session.execute(text("UPDATE transactions SET account_id = :a WHERE user_id = :u AND id % 5 = :n"),
                        {"a": account_id, "u": user_id, "n": n})
    session.flush()
    return ids


def _timed(fn, repeat: int, *, before=None) -> tuple[float, float, object]:
    wall, cpu, result = [], [], None
    for _ in range(repeat):
        if before is not None:
            before()
        t0, c0 = time.perf_counter(), time.process_time()
        result = fn()
        wall.append(time.perf_counter() - t0)
        cpu.append(time.process_time() - c0)
    return statistics.median(wall), statistics.median(cpu), result


def build(data_dir: Path) -> dict[str, int]:
    from report_bench import build_cli

    from budgetwise.config import Settings
    from budgetwise.services import demo

    shutil.rmtree(data_dir, ignore_errors=True)
    data_dir.mkdir(parents=True)
    path = data_dir / "budgetwise.db"
    counts = build_cli(path)  # light@ (1,000 rows) and heavy@ (100,000 rows) over three years
    upgrade_database(f"sqlite:///{path}")
    settings = Settings.load(environ={"BUDGETWISE_DATA_DIR": str(data_dir), "BUDGETWISE_SECRET_KEY": SECRET,
                                      "BUDGETWISE_BCRYPT_ROUNDS": "4"})
    engine = make_engine(settings.database_url)
    ids = {}
    with make_session_factory(engine)() as s:
        principal, rows = demo.create_demo_account(s, settings=settings, email="three@example.com", months=36)
        counts["three@example.com"] = rows
        for email in ("three@example.com", "heavy@example.com"):
            uid = s.execute(text("SELECT id FROM users WHERE email = :e"), {"e": email}).scalar_one()
            ids[email] = uid
            _spread(s, uid)
        s.commit()
    engine.dispose()
    return counts


def _apptest(page: str, token: str):
    from streamlit.testing.v1 import AppTest

    from budgetwise.ui.state import TOKEN_KEY

    at = AppTest.from_file(str(ROOT / "pages" / page), default_timeout=120)
    at.session_state[TOKEN_KEY] = token
    return at


def _page_users(data_dir: Path) -> tuple[dict[str, str], int]:
    """Point the app at data_dir (quietly) and sign the three users in: their tokens, the 3-year user's accounts."""
    os.environ.update(BUDGETWISE_DATA_DIR=str(data_dir), BUDGETWISE_SECRET_KEY=SECRET,
                      STREAMLIT_LOGGER_LEVEL="error")
    os.environ.pop("BUDGETWISE_DATABASE_URL", None)
    for name in ("streamlit", "streamlit.runtime.caching.cache_data_api",
                 "streamlit.runtime.scriptrunner_utils.script_run_context"):
        logging.getLogger(name).setLevel(logging.ERROR)
    from budgetwise.config import Settings
    from budgetwise.services import auth

    settings = Settings.load()
    engine = make_engine(settings.database_url)
    with make_session_factory(engine)() as s:
        tokens = {e: auth.issue_access_token(s, s.execute(text("SELECT id FROM users WHERE email = :e"), {"e": e})
                                             .scalar_one(), settings)
                  for e in ("light@example.com", "three@example.com", "heavy@example.com")}
        n_accounts = s.execute(text("SELECT count(*) FROM accounts a JOIN users u ON u.id = a.user_id "
                                    "WHERE u.email = 'three@example.com'")).scalar_one()
        s.commit()
    engine.dispose()
    return tokens, n_accounts


def pages(data_dir: Path, repeat: int) -> None:
    tokens, n_accounts = _page_users(data_dir)
    import streamlit as st

    _apptest("cashflow.py", tokens["light@example.com"]).run()  # imports, statement caches: not this user's
    print(f"\n3-year demo user, {n_accounts} accounts: full AppTest runs (median of {repeat}; wall / CPU)")
    for page, label in (("cashflow.py", "Cash flow page"), ("dashboard.py", "Dashboard (with the outlook card)")):
        at = _apptest(page, tokens["three@example.com"])
        wall, cpu, _ = _timed(lambda: at.run(), repeat, before=st.cache_data.clear)  # noqa: B023
        ok = not at.exception and not at.error
        print(f"  {label:36} cold   {wall:6.2f} s / {cpu:5.2f} s CPU {'ok' if ok else 'FAILED'}")
        wall, cpu, _ = _timed(lambda: at.run(), repeat)  # noqa: B023
        print(f"  {label:36} cached {wall:6.2f} s / {cpu:5.2f} s CPU {'ok' if not at.exception else 'FAILED'}")
    heavy_dashboard(tokens["heavy@example.com"], repeat)


def heavy_dashboard(token: str, repeat: int) -> None:
    """The 100,000-transaction user's dashboard: cold (every cache cleared), cached, detect_recurring calls."""
    import functools

    import streamlit as st

    from budgetwise.services import reports
    from budgetwise.services.reports import recurring

    calls = []
    original = recurring.detect_recurring

    @functools.wraps(original)
    def counted(*args, **kwargs):
        calls.append(kwargs.get("as_of"))
        return original(*args, **kwargs)

    reports.detect_recurring = recurring.detect_recurring = counted
    try:
        print(f"\n100,000-transaction user: dashboard with the outlook card (median of {repeat}; wall / CPU)")
        at = _apptest("dashboard.py", token)
        wall, cpu, _ = _timed(lambda: (calls.clear(), at.run()), repeat, before=st.cache_data.clear)
        print(f"  Dashboard (100,000 rows)             cold   {wall:6.2f} s / {cpu:5.2f} s CPU "
              f"{'ok' if not at.exception and not at.error else 'FAILED'}; detect_recurring ran {len(calls)}x")
        wall, cpu, _ = _timed(lambda: at.run(), repeat)
        print(f"  Dashboard (100,000 rows)             cached {wall:6.2f} s / {cpu:5.2f} s CPU")
    finally:
        reports.detect_recurring = recurring.detect_recurring = original


def balances(data_dir: Path, repeat: int) -> None:
    from budgetwise.services import accounts, cashflow

    url = f"sqlite:///{data_dir / 'budgetwise.db'}"
    engine = make_engine(url)
    today = dt.date.today()
    with make_session_factory(engine)() as s:
        uid = s.execute(text("SELECT id FROM users WHERE email = 'heavy@example.com'")).scalar_one()
        n = s.execute(text("SELECT count(*) FROM transactions WHERE user_id = :u"), {"u": uid}).scalar_one()
        print(f"\n{n:,}-transaction user over 3 years, 5 accounts (median of {repeat}; wall / CPU)")
        wall, cpu, now = _timed(lambda: accounts.balances(s, user_id=uid, as_of=today), repeat)
        print(f"  accounts.balances (SQL aggregates)            {wall * 1000:7.1f} ms / {cpu * 1000:6.1f} ms")
        wall_h, cpu_h, (points, _missing) = _timed(
            lambda: accounts.balance_history(s, user_id=uid, months=36, today=today), repeat)
        print(f"  accounts.balance_history(months=36) (SQL)     {wall_h * 1000:7.1f} ms / {cpu_h * 1000:6.1f} ms")

        def plain():
            rows = pd.read_sql(text("SELECT account_id, date, kind, amount_minor, currency FROM transactions "
                                    "WHERE user_id = :u AND date <= :d"), s.connection(), params={"u": uid, "d": today})
            rows = rows[rows["currency"] == "USD"]  # each account's own currency (the 1% in EUR convert by rate)
            signed = rows["amount_minor"].where(rows["kind"] != "expense", -rows["amount_minor"])
            month = pd.to_datetime(rows["date"]).dt.to_period("M")
            table = signed.groupby([rows["account_id"], month]).sum().unstack(fill_value=0).cumsum(axis=1)
            return table

        wall_p, cpu_p, table = _timed(plain, repeat)
        print(f"  the plain way (read_sql + pandas cumsum)      {wall_p * 1000:7.1f} ms / {cpu_p * 1000:6.1f} ms"
              f"  -> SQL is {wall_p / wall_h:.1f}x faster")
        last = {p.account_id: p.balance_minor for p in points if p.month_end == today}
        plain_last = {int(a): int(v) for a, v in table.iloc[:, -1].items()}
        agree = last == {a: plain_last.get(a, 0) for a in last}
        print(f"  results agree (today's balance per account, own-currency rows): {'yes' if agree else 'NO'}; "
              f"{sum(b.base_minor is None for b in now.accounts)} account(s) left out of net worth for a missing rate "
              f"({'; '.join(m.describe() for m in now.missing_rates)[:160]})")
        t0, c0 = time.perf_counter(), time.process_time()
        p = cashflow.cashflow_user(s, user_id=uid, horizon_months=3, today=today)
        print(f"  cashflow.cashflow_user(3 months), cold        {time.perf_counter() - t0:7.2f} s  / "
              f"{time.process_time() - c0:5.2f} s CPU ({len(p.days)} days, {len(p.items)} known items)")
    engine.dispose()


PAGES = ("dashboard.py", "transactions.py", "categorize.py", "budgets.py", "goals.py", "reports.py",
         "forecast.py", "cashflow.py", "accounts.py", "import_data.py", "profile.py")


def _ours(stats) -> tuple[float, list[tuple[float, str]]]:
    """CPU in our code (pages/ and budgetwise/ minus what they spent inside Streamlit) and the heaviest
    of our functions (cumulative), from a cProfile run timed with process_time."""
    root = str(ROOT)
    mine = {f for f in stats.stats if f[0].startswith(root) and "/.venv/" not in f[0]}
    in_streamlit = 0.0  # time our functions spent in calls into streamlit (rendering)
    own = 0.0
    top = []
    for f in mine:
        _cc, _nc, tt, ct, _callers = stats.stats[f]
        own += tt
        top.append((ct, f"{Path(f[0]).relative_to(root)}:{f[2]}"))
    for f, (_cc, _nc, tt, ct, callers) in stats.stats.items():
        if f in mine:
            continue
        for caller, (_c2, _n2, _t2, cum) in callers.items():
            if caller in mine:
                in_streamlit += cum if "streamlit" in f[0] else 0.0
                own += 0.0 if "streamlit" in f[0] else cum
    return own, sorted(top, reverse=True)[:3]


def all_pages(data_dir: Path, names: tuple[str, ...]) -> None:
    """cProfile of every page, cold and warm, for the demo user and the 100,000-row user."""
    import cProfile
    import pstats

    tokens, _ = _page_users(data_dir)
    import streamlit as st
    from streamlit.testing.v1.local_script_runner import LocalScriptRunner

    profiler: list[cProfile.Profile | None] = [None]  # the script runs in its own thread: profile that one
    script_thread = LocalScriptRunner._run_script_thread

    def profiled(self) -> None:
        if profiler[0] is None:
            return script_thread(self)
        profiler[0].enable()
        try:
            return script_thread(self)
        finally:
            profiler[0].disable()

    LocalScriptRunner._run_script_thread = profiled  # type: ignore[method-assign]
    for page in names:  # imports and statement caches: not a measured user's
        _apptest(page, tokens["light@example.com"]).run()
    print(f"Machine: {os.cpu_count()} cores, load average {', '.join(f'{x:.2f}' for x in os.getloadavg())}")
    print(f"{'page':16} {'user':6} {'cold wall':>9} {'cold cpu':>8} {'warm wall':>9} {'warm cpu':>8} {'warm ours':>9}  "
          "heaviest of ours in the warm rerun (cumulative CPU s)")
    for page in names:
        for email, label in (("three@example.com", "demo"), ("heavy@example.com", "100k")):
            st.cache_data.clear()
            at = _apptest(page, tokens[email])
            figures = []
            for _run in ("cold", "warm"):
                prof = profiler[0] = cProfile.Profile(time.process_time)
                t0, c0 = time.perf_counter(), time.process_time()
                at.run()
                figures.append((time.perf_counter() - t0, time.process_time() - c0))
            ours, top = _ours(pstats.Stats(prof))
            ok = "" if not at.exception else "  EXCEPTION " + str(at.exception[0].message)[:60]
            print(f"{page:16} {label:6} {figures[0][0]:9.2f} {figures[0][1]:8.2f} {figures[1][0]:9.2f} "
                  f"{figures[1][1]:8.2f} {ours:9.2f}  " + "; ".join(f"{n} {t:.2f}" for t, n in top) + ok, flush=True)
    print(f"Load average at the end: {', '.join(f'{x:.2f}' for x in os.getloadavg())}")


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--dir", default="/tmp/budgetwise-cashflow-speed", type=Path)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--all-pages", action="store_true", help="cProfile every page, cold and warm (session 13)")
    ap.add_argument("--pages", default=",".join(PAGES), help="with --all-pages: which pages (comma-separated)")
    ap.add_argument("--reuse", action="store_true", help="keep the database an earlier run built in --dir")
    args = ap.parse_args(argv)
    t0 = time.perf_counter()
    if args.all_pages:
        if not (args.reuse and (args.dir / "budgetwise.db").exists()):
            build(args.dir)
        all_pages(args.dir, tuple(p.strip() for p in args.pages.split(",") if p.strip()))
        return 0
    counts = build(args.dir)
    print(f"Built {args.dir} in {time.perf_counter() - t0:.1f} s: " + ", ".join(f"{e} {n:,}" for e, n in counts.items()))
    balances(args.dir, args.repeat)
    pages(args.dir, args.repeat)
    return 0


if __name__ == "__main__":
    sys.exit(main())
