"""Rerun time of the chart pages (Budgets, Forecast, Cash flow, Accounts, Goals): what a click on a widget
that changes no chart costs (session 15: their Plotly figures were built again on every rerun; now they are
built once per user, data version and inputs through ``Loader.chart``).

    .venv/bin/python benchmarks/chart_rerun_bench.py [--root DIR] [--dir DIR] [--repeat 7] [--rounds 1]

``--root``: the checkout whose pages and package are run (default: this one), so the same script times
another branch, e.g. a worktree of main: ``--root /tmp/charts-base``. Alternate the two (``--rounds`` runs
the whole set again in the same process; run the script for each root in turn, several times) and read the
load average printed with the figures.

The data: one user with the demo history (24 months, ~860 transactions), 26 more accounts (the Accounts
page's many-accounts case), budgets, and a goal; a SQLite database built once in ``--dir`` (default
``/tmp/budgetwise-chart-bench``) and reused. Per page it runs the page once (caches filled), then
``--repeat`` reruns, each after a change of a widget that changes no chart (the text of a form field that
is not submitted; a page without one reruns as it is), and prints the median wall and CPU time of a rerun.
Figures are printed, never asserted.

Session 16 (pagespeed): the Dashboard and Reports on "Span of your data" (every figure over the whole
history) are timed too, with a "cold CPU ms" column: the run after ``st.cache_data.clear()`` in the same
process (imports done, the Loader's caches empty: what the first visit after an import or an edit costs;
process-wide memos such as ``money.format_money``'s stay warm, as they do in a server). ``--import FILE``
(repeatable) brings bank files into the user when the database is built (``budgetwise import``), e.g. the
new user's ~2,800 rows::

    .venv/bin/python benchmarks/chart_rerun_bench.py --dir /tmp/pagespeed-bench \
        --import /work/shared/data/labeled/kaggle_personal_transactions.csv \
        --import /work/shared/data/histories/Vermillion-Chen__SpendingAnalysis__Final.xlsx \
        --import /work/shared/data/bank_formats/ofx/ofxparse_checking_usd.ofx
"""

from __future__ import annotations

import argparse
import datetime as dt
import logging
import os
import statistics
import sys
import time
from pathlib import Path

PAGES = {  # page: (widget kind, key) of an input that changes no chart, or None
    "dashboard.py": None,
    "reports.py": None,
    "budgets.py": None,
    "forecast.py": None,
    "cashflow.py": ("text_input", "cf_wi_amount"),
    "accounts.py": ("text_input", "acct_new_name"),
    "goals.py": ("text_input", "goal_c_note_{goal}"),
}
PRESETS = {"dashboard.py": {"dash_period": "data_span"}, "reports.py": {"rep_period": "data_span"}}  # whole history
SECRET = "chart-bench-secret-" + "x" * 40
EMAIL = "charts@example.com"


def build(data_dir: Path, imports: list[Path]) -> None:
    from budgetwise.config import Settings
    from budgetwise.db import make_engine, make_session_factory, session_scope, upgrade_database
    from budgetwise.services import accounts, auth, demo, goals
    from budgetwise.services import budgets as B

    settings = Settings.load()
    upgrade_database(settings.database_url)
    engine = make_engine(settings.database_url)
    today = dt.date.today()
    with session_scope(make_session_factory(engine)) as s:
        user = auth.register(s, name="Charts", email=EMAIL, password="violet-harbor-lantern-42", settings=settings)
        demo.seed_transactions(s, user_id=user.user_id, rows=demo.generate(months=24))
        for i in range(26):
            accounts.create_account(s, user_id=user.user_id, name=f"Account {i + 1:02d}", kind="savings",
                                    opening_balance=str(500 * (i + 1)), opening_date=today - dt.timedelta(days=700 - 20 * i))
        B.set_budget(s, user_id=user.user_id, month=today.replace(day=1) - dt.timedelta(days=200), amount="3500")
        goals.create_goal(s, user_id=user.user_id, name="Car", target="15000", target_date=today + dt.timedelta(days=500),
                          already_saved="2000")
    engine.dispose()
    import subprocess

    for path in imports:  # the CLI, as a user would: mapping detection, accounts, categorization and all
        subprocess.run([sys.executable, "-m", "budgetwise", "import", str(path), "--user", EMAIL], check=True,
                       stdout=subprocess.DEVNULL)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--root", type=Path, default=Path(__file__).resolve().parent.parent)
    parser.add_argument("--dir", type=Path, default=Path("/tmp/budgetwise-chart-bench"))
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--rounds", type=int, default=1)
    parser.add_argument("--import", dest="imports", type=Path, action="append", default=[],
                        help="a bank file imported into the user when the database is built (repeatable)")
    args = parser.parse_args()
    root = args.root.resolve()
    sys.path.insert(0, str(root))
    os.environ.update(BUDGETWISE_DATA_DIR=str(args.dir), BUDGETWISE_SECRET_KEY=SECRET, BUDGETWISE_BCRYPT_ROUNDS="4",
                      STREAMLIT_LOGGER_LEVEL="error")
    os.environ.pop("BUDGETWISE_DATABASE_URL", None)
    os.environ.pop("BUDGETWISE_DEMO", None)
    for name in ("streamlit", "streamlit.runtime.caching.cache_data_api",
                 "streamlit.runtime.scriptrunner_utils.script_run_context"):
        logging.getLogger(name).setLevel(logging.ERROR)
    args.dir.mkdir(parents=True, exist_ok=True)
    if not (args.dir / "budgetwise.db").exists():
        build(args.dir, args.imports)

    import streamlit as st
    from sqlalchemy import select
    from streamlit.testing.v1 import AppTest

    from budgetwise.config import Settings
    from budgetwise.db import make_engine, make_session_factory
    from budgetwise.models import Goal, User
    from budgetwise.services import auth
    from budgetwise.ui.state import TOKEN_KEY

    assert Path(sys.modules["budgetwise"].__file__ or "").resolve().is_relative_to(root), "budgetwise not from --root"
    settings = Settings.load()
    engine = make_engine(settings.database_url)
    with make_session_factory(engine)() as s:
        user_id = s.scalar(select(User.id).where(User.email == EMAIL))
        goal_id = s.scalar(select(Goal.id).where(Goal.user_id == user_id))
        token = auth.issue_access_token(s, user_id, settings)
        s.commit()
    engine.dispose()

    print(f"root {root}; load average {os.getloadavg()[0]:.2f} {os.getloadavg()[1]:.2f}; median of {args.repeat} reruns")
    print(f"{'page':<14}{'first run ms':>14}{'cold wall ms':>14}{'cold CPU ms':>13}{'rerun wall ms':>15}"
          f"{'rerun CPU ms':>14}{'charts':>8}  change")
    for _ in range(args.rounds):
        st.cache_data.clear()
        for page, widget in PAGES.items():
            at = AppTest.from_file(str(root / "pages" / page), default_timeout=300)
            at.session_state[TOKEN_KEY] = token
            for key, value in PRESETS.get(page, {}).items():
                at.session_state[key] = value
            t0 = time.perf_counter()
            at.run()
            first = (time.perf_counter() - t0) * 1000
            st.cache_data.clear()  # the Loader's caches empty, imports done: a first visit after a write
            t0, c0 = time.perf_counter(), time.process_time()
            at.run()
            cold_wall, cold_cpu = (time.perf_counter() - t0) * 1000, (time.process_time() - c0) * 1000
            walls, cpus = [], []
            for i in range(args.repeat):
                if widget is not None:
                    kind, key = widget
                    getattr(at, kind)(key=key.format(goal=goal_id)).input(f"note {i}")
                t0, c0 = time.perf_counter(), time.process_time()
                at.run()
                walls.append((time.perf_counter() - t0) * 1000)
                cpus.append((time.process_time() - c0) * 1000)
            bad = f" EXCEPTION {at.exception[0].message[:200]}" if at.exception else ""
            print(f"{page:<14}{first:>14.0f}{cold_wall:>14.0f}{cold_cpu:>13.0f}{statistics.median(walls):>15.0f}{statistics.median(cpus):>14.0f}"
                  f"{len(at.get('plotly_chart')):>8}  {widget[1] if widget else 'none (plain rerun)'}{bad}")
    print(f"load average after {os.getloadavg()[0]:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
