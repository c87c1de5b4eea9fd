"""Load test: the real app (``streamlit run app.py``) under N concurrent simulated users.

Each simulated user speaks Streamlit's own websocket protocol (what the browser sends:
``BackMsg.rerun_script`` with widget states; what it gets: ``ForwardMsg`` deltas until
``script_finished``), so it exercises exactly the server work a browser causes, without
the cost of one Chromium per user on the measuring machine. Each user:

1. opens a session (the sign-in page renders),
2. signs in through the sign-in form (bcrypt at the configured cost),
3. views the dashboard, the transactions page, adds a transaction through the form,
   views the dashboard again, for ``--rounds`` rounds,

and keeps the session open until the level is measured. Reported per level (5, 20, 50
concurrent users by default): sessions held, median and 95th percentile page times
(sign-in, dashboard, transactions page, add), errors (exceptions on a page, an error
message where none is expected, timeouts, dropped connections), and the server's
resident memory with the sessions open (and per session).

``--two-processes`` then shows two app processes on one machine sharing one PostgreSQL
(BUDGETWISE_DATABASE_URL) and one secret: an account registered and a transaction added
through process A are seen through process B, and a "stay signed in" token issued by A
is accepted by B.

Run (takes a few minutes)::

    .venv/bin/python benchmarks/load_test.py                      # 5, 20, 50 users
    .venv/bin/python benchmarks/load_test.py --levels 5 --rounds 1 # quick look
    .venv/bin/python benchmarks/load_test.py --levels 0 --two-processes \\
        --postgres postgresql+psycopg://postgres@127.0.0.1:5432/test

Prints a table (and ``--json FILE`` writes the figures). Not a test: no timed assertions.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import json
import os
import shutil
import statistics
import subprocess
import sys
import time
import urllib.request
import uuid
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import websockets  # noqa: E402
from streamlit.proto.BackMsg_pb2 import BackMsg  # noqa: E402
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg  # noqa: E402
from streamlit.proto.WidgetStates_pb2 import WidgetState  # noqa: E402

PASSWORD = "violet-harbor-lantern-42"
SECRET = "load-test-secret-" + "z" * 48
FINISHED = ForwardMsg.ScriptFinishedStatus.Value("FINISHED_SUCCESSFULLY")
RERUN = ForwardMsg.ScriptFinishedStatus.Value("FINISHED_EARLY_FOR_RERUN")
WIDGETS = ("text_input", "text_area", "button", "checkbox", "selectbox", "radio", "date_input", "number_input")


# =========================================================================== protocol client
@dataclass
class Page:
    """What one script run rendered (the parts a simulated user needs)."""

    widgets: dict[str, tuple[str, object]] = field(default_factory=dict)  # id -> (type, proto)
    texts: list[str] = field(default_factory=list)  # markdown, alerts, headings, captions
    errors: list[str] = field(default_factory=list)  # st.error bodies
    exceptions: list[str] = field(default_factory=list)
    dataframes: list[bytes] = field(default_factory=list)
    pages: dict[str, str] = field(default_factory=dict)  # url path -> page script hash
    current: str = ""

    def widget(self, suffix: str) -> str:
        for wid in self.widgets:
            if wid.endswith(suffix):
                return wid
        raise KeyError(f"no widget {suffix!r} on the page ({list(self.widgets)[:12]})")

    def submit(self, form: str) -> str:
        for wid, (kind, proto) in self.widgets.items():
            if kind == "button" and proto.is_form_submitter and proto.form_id == form:
                return wid
        raise KeyError(f"no submit button of form {form!r}")

    def shows(self, text: str) -> bool:
        return any(text in t for t in self.texts) or any(text.encode() in d for d in self.dataframes)


class Session:
    """One browser tab: a websocket to /_stcore/stream speaking BackMsg / ForwardMsg."""

    def __init__(self, base: str, *, cookie: str | None = None, timeout: float = 120) -> None:
        self.base, self.cookie, self.timeout = base, cookie, timeout
        self.ws = None
        self.page_hash = ""
        self.pages: dict[str, str] = {}
        self.stale_finishes = 0

    async def __aenter__(self) -> Session:
        headers = {"Cookie": self.cookie} if self.cookie else None
        self.ws = await websockets.connect(
            self.base.replace("http", "ws") + "/_stcore/stream", subprotocols=["streamlit"],
            additional_headers=headers, max_size=2**26, open_timeout=self.timeout, ping_interval=None,
        )
        return self

    async def __aexit__(self, *exc) -> None:
        await self.ws.close()

    async def run(self, *, page: str | None = None, states: list[WidgetState] = ()) -> tuple[Page, float]:
        """Rerun the script (on ``page``, by url path) with these widget states; wait for the
        final successful finish (following st.rerun()s). Returns the page and seconds taken."""
        msg = BackMsg()
        msg.rerun_script.query_string = ""
        msg.rerun_script.page_script_hash = self.pages.get(page, "") if page is not None else self.page_hash
        msg.rerun_script.widget_states.widgets.extend(states)
        started = time.perf_counter()
        await self.ws.send(msg.SerializeToString())
        out = Page()
        ours = False  # a script run started after our request (ignore a late finish of an earlier one)
        deadline = started + self.timeout
        while True:
            raw = await asyncio.wait_for(self.ws.recv(), timeout=max(0.1, deadline - time.perf_counter()))
            fwd = ForwardMsg()
            fwd.ParseFromString(raw)
            kind = fwd.WhichOneof("type")
            if kind == "new_session":
                ours = True
                out = Page(pages=out.pages, current=out.current)  # a new run (after st.rerun) replaces the page
            elif kind == "navigation":
                # the default page may come with an empty url path: key by page name too
                out.pages = {p.page_name.lower(): p.page_script_hash for p in fwd.navigation.app_pages}
                out.pages.update({p.url_pathname: p.page_script_hash for p in fwd.navigation.app_pages if p.url_pathname})
                out.current = fwd.navigation.page_script_hash
                self.pages = dict(out.pages)
                self.page_hash = out.current
            elif kind == "delta" and fwd.delta.WhichOneof("type") == "new_element":
                self._collect(out, fwd.delta.new_element)
            elif kind == "script_finished":
                if not ours:
                    self.stale_finishes += 1
                    continue
                if fwd.script_finished == FINISHED:
                    return out, time.perf_counter() - started
                if fwd.script_finished != RERUN:
                    raise RuntimeError(f"script finished with status {fwd.script_finished}")

    @staticmethod
    def _collect(out: Page, element) -> None:
        kind = element.WhichOneof("type")
        if kind in WIDGETS:
            proto = getattr(element, kind)
            out.widgets[proto.id] = (kind, proto)
            out.texts.append(proto.label)
        elif kind == "markdown":
            out.texts.append(element.markdown.body)
        elif kind == "heading":
            out.texts.append(element.heading.body)
        elif kind == "alert":
            out.texts.append(element.alert.body)
            if element.alert.format == element.alert.ERROR:
                out.errors.append(element.alert.body)
        elif kind == "exception":
            out.exceptions.append(f"{element.exception.type}: {element.exception.message}")
        elif kind == "dataframe":
            out.dataframes.append(element.dataframe.arrow_data.data)


def text_state(wid: str, value: str) -> WidgetState:
    s = WidgetState(id=wid)
    s.string_value = value
    return s


def bool_state(wid: str, value: bool) -> WidgetState:
    s = WidgetState(id=wid)
    s.bool_value = value
    return s


def trigger(wid: str) -> WidgetState:
    s = WidgetState(id=wid)
    s.trigger_value = True
    return s


# =========================================================================== one simulated user
@dataclass
class Stats:
    times: dict[str, list[float]] = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)
    held: int = 0

    def add(self, step: str, seconds: float) -> None:
        self.times.setdefault(step, []).append(seconds)


def _check(page: Page, step: str, stats: Stats, *, expect_error: bool = False) -> None:
    for e in page.exceptions:
        stats.errors.append(f"{step}: exception {e[:200]}")
    if page.errors and not expect_error:
        stats.errors.append(f"{step}: error shown: {page.errors[0][:200]}")


async def sign_in(session: Session, email: str, stats: Stats | None = None) -> Page:
    page, seconds = await session.run()
    if stats:
        stats.add("open", seconds)
    states = [
        text_state(page.widget("login_email"), email),
        text_state(page.widget("login_password"), PASSWORD),
        bool_state(page.widget("stay_signed_in") if any(w.endswith("stay_signed_in") for w in page.widgets) else
                   next(w for w, (k, _) in page.widgets.items() if k == "checkbox"), False),
        trigger(page.submit("login_form")),
    ]
    page, seconds = await session.run(states=states)
    if stats:
        stats.add("sign-in", seconds)
    if "logout" not in session.pages:
        raise RuntimeError(f"sign-in failed (stale finishes {session.stale_finishes}): {page.errors or page.texts[:4]}")
    return page


async def add_transaction(session: Session, description: str, amount: str = "12.34") -> tuple[Page, float]:
    page, _ = await session.run(page="transactions")
    states = [
        text_state(page.widget("tx_add_amount"), amount),
        text_state(page.widget("tx_add_description"), description),
        trigger(page.submit("tx_add_form")),
    ]
    return await session.run(page="transactions", states=states)


async def simulated_user(base: str, email: str, rounds: int, stats: Stats, hold: asyncio.Event, ready: asyncio.Queue) -> None:
    try:
        async with Session(base) as session:
            try:
                await sign_in(session, email, stats)
                for r in range(rounds):
                    for step, target in (("dashboard", "dashboard"), ("transactions", "transactions")):
                        page, seconds = await session.run(page=target)
                        stats.add(step, seconds)
                        _check(page, step, stats)
                    page, seconds = await add_transaction(session, f"load test {email} #{r}")
                    stats.add("add transaction", seconds)
                    _check(page, "add transaction", stats)
                stats.held += 1
            except Exception as exc:  # noqa: BLE001 - every failure is a counted error
                stats.errors.append(f"{email}: {type(exc).__name__}: {str(exc)[:200]}")
            await ready.put(email)
            await hold.wait()  # keep the session open until memory is measured
    except Exception as exc:  # noqa: BLE001
        stats.errors.append(f"{email}: connection: {type(exc).__name__}: {str(exc)[:200]}")
        await ready.put(email)


# =========================================================================== server
class Server:
    def __init__(self, port: int, data_dir: Path, env: dict[str, str], log: Path) -> None:
        self.port, self.data_dir, self.log = port, data_dir, log
        self.base = f"http://127.0.0.1:{port}"
        full = {k: v for k, v in os.environ.items() if not k.startswith("BUDGETWISE_")}
        full.update(env, BUDGETWISE_DATA_DIR=str(data_dir), BUDGETWISE_SECRET_KEY=SECRET, PYTHONUNBUFFERED="1")
        self.process = subprocess.Popen(
            [sys.executable, "-m", "streamlit", "run", str(ROOT / "app.py"), "--server.port", str(port),
             "--server.address", "127.0.0.1", "--server.headless", "true", "--server.fileWatcherType", "none",
             "--browser.gatherUsageStats", "false"],
            cwd=ROOT, env=full, stdout=log.open("w"), stderr=subprocess.STDOUT,
        )
        deadline = time.time() + 120
        while time.time() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"streamlit exited:\n{log.read_text()[-3000:]}")
            try:
                with urllib.request.urlopen(self.base + "/_stcore/health", timeout=2) as r:
                    if r.status == 200:
                        return
            except OSError:
                time.sleep(0.5)
        self.stop()
        raise RuntimeError("streamlit did not become healthy")

    def rss_mb(self) -> float:
        for line in Path(f"/proc/{self.process.pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
        return float("nan")

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


def prepare(data_dir: Path, users: int, *, url: str | None = None, history: int = 300) -> list[str]:
    """Create ``users`` accounts, each with ``history`` demo transactions (bcrypt cost as configured)."""
    from sqlalchemy.orm import sessionmaker

    from budgetwise.config import Settings
    from budgetwise.db import make_engine, session_scope, upgrade_database
    from budgetwise.services import auth, demo

    env = {"BUDGETWISE_DATA_DIR": str(data_dir), "BUDGETWISE_SECRET_KEY": SECRET}
    if url:
        env["BUDGETWISE_DATABASE_URL"] = url
    settings = Settings.load(environ=env)
    upgrade_database(settings.database_url, data_dir=settings.data_dir)
    engine = make_engine(settings.database_url)
    factory = sessionmaker(bind=engine, expire_on_commit=False)
    emails = []
    rows = demo.generate(months=12, seed=1)[:history]
    password_hash = None
    from budgetwise.models import User

    with session_scope(factory) as s:
        existing = {e for (e,) in s.query(User.email)}
    for n in range(users):
        email = f"load{n}@example.com"
        emails.append(email)
        if email in existing:
            continue
        with session_scope(factory) as s:
            p = auth.register(s, name=f"Load {n}", email=email, password=PASSWORD, settings=settings)
            user = s.get(User, p.user_id)
            password_hash = password_hash or user.password_hash  # one bcrypt hash, reused: faster setup
            user.password_hash = password_hash
            demo.seed_transactions(s, user_id=p.user_id, rows=rows)
    engine.dispose()
    return emails


def pct(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, int(round(q * (len(ordered) - 1)))))]


def count_added(data_dir: Path) -> int:
    """Transactions the simulated users added (verified in the database, not on screen)."""
    from sqlalchemy import func, select

    from budgetwise.config import Settings
    from budgetwise.db import make_engine
    from budgetwise.models import Transaction

    settings = Settings.load(environ={"BUDGETWISE_DATA_DIR": str(data_dir), "BUDGETWISE_SECRET_KEY": SECRET})
    engine = make_engine(settings.database_url)
    try:
        with engine.connect() as conn:
            return int(conn.execute(
                select(func.count()).select_from(Transaction).where(Transaction.description.like("load test %"))
            ).scalar())
    finally:
        engine.dispose()


async def warm_up(server: Server, email: str) -> None:
    """One user through every step first: the server imports its modules and fills its caches,
    so the levels measure sessions, not start-up."""
    stats = Stats()
    hold = asyncio.Event()
    hold.set()
    await simulated_user(server.base, email, 1, stats, hold, asyncio.Queue())
    if stats.errors:
        raise RuntimeError(f"warm-up failed: {stats.errors}")
    await asyncio.sleep(3)


async def run_level(server: Server, emails: list[str], n: int, rounds: int) -> dict:
    stats = Stats()
    hold = asyncio.Event()
    ready: asyncio.Queue = asyncio.Queue()
    added_start = count_added(server.data_dir)
    before = server.rss_mb()
    t0 = time.perf_counter()
    tasks = [asyncio.create_task(simulated_user(server.base, emails[i], rounds, stats, hold, ready)) for i in range(n)]
    for _ in range(n):
        await ready.get()
    elapsed = time.perf_counter() - t0
    await asyncio.sleep(2)
    during = server.rss_mb()
    hold.set()
    await asyncio.gather(*tasks)
    added = count_added(server.data_dir) - added_start
    result = {
        "load_average_1min": round(os.getloadavg()[0], 2),
        "users": n, "held": stats.held, "errors": len(stats.errors), "error_samples": stats.errors[:5],
        "transactions_added": added, "transactions_expected": n * rounds,
        "seconds": round(elapsed, 1), "rss_before_mb": round(before, 1), "rss_mb": round(during, 1),
        "mb_per_session": round((during - before) / max(1, stats.held), 2),
        "steps": {
            step: {"n": len(v), "median_s": round(statistics.median(v), 3), "p95_s": round(pct(v, 0.95), 3)}
            for step, v in stats.times.items()
        },
    }
    await asyncio.sleep(3)  # let the server drop the closed sessions
    return result


def print_level(r: dict) -> None:
    print(f"\n{r['users']} concurrent users: {r['held']} sessions held, {r['errors']} errors, "
          f"{r['transactions_added']}/{r['transactions_expected']} transactions stored, "
          f"{r['seconds']} s; server RSS {r['rss_before_mb']:.0f} -> {r['rss_mb']:.0f} MB "
          f"({r['mb_per_session']:.1f} MB per session); machine load average {r['load_average_1min']}")
    print(f"  {'step':<16}{'n':>6}{'median s':>11}{'p95 s':>9}")
    for step, s in r["steps"].items():
        print(f"  {step:<16}{s['n']:>6}{s['median_s']:>11.3f}{s['p95_s']:>9.3f}")
    for e in r["error_samples"]:
        print(f"  error: {e}")


# =========================================================================== two processes, one PostgreSQL
async def two_processes(pg_url: str, port: int, workdir: Path) -> dict:
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    from budgetwise.config import Settings
    from budgetwise.db import make_engine, make_session_factory, session_scope
    from budgetwise.services import auth

    base = make_url(pg_url)
    name = f"bw_load_{uuid.uuid4().hex[:8]}"
    admin = create_engine(base, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f"CREATE DATABASE {name}"))
    url = base.set(database=name).render_as_string(hide_password=False)
    servers: list[Server] = []
    out: dict = {"database": f"{base.get_backend_name()} (scratch database {name})"}
    try:
        env = {"BUDGETWISE_DATABASE_URL": url}
        for i, p in enumerate((port, port + 1)):
            d = workdir / f"proc{i}"
            d.mkdir(parents=True, exist_ok=True)
            servers.append(Server(p, d, env, workdir / f"proc{i}.log"))
        a, b = servers
        email = f"shared-{uuid.uuid4().hex[:6]}@example.com"
        marker = f"Added through process A {uuid.uuid4().hex[:6]}"
        async with Session(a.base) as sa:  # register through A (the register page), then add a transaction
            await sa.run()  # the sign-in page; learns the page list
            page, _ = await sa.run(page="register")
            states = [
                text_state(page.widget("register_name"), "Shared User"),
                text_state(page.widget("register_email"), email),
                text_state(page.widget("register_password"), PASSWORD),
                text_state(page.widget("register_confirm"), PASSWORD),
                trigger(next(w for w, (k, p) in page.widgets.items() if k == "button" and p.is_form_submitter)),
            ]
            page, _ = await sa.run(page="register", states=states)
            if "logout" not in sa.pages:
                raise RuntimeError(f"registration through A failed: {page.errors or page.texts[:4]}")
            page, _ = await add_transaction(sa, marker)
            out["registered_and_added_via_A"] = not page.errors and not page.exceptions
        async with Session(b.base) as sb:  # sign in through B: the account and the transaction are there
            await sign_in(sb, email)
            page, _ = await sb.run(page="transactions")
            out["signed_in_via_B"] = True
            out["transaction_visible_via_B"] = page.shows(marker)
        # a "stay signed in" token issued by A's process is accepted by B (one shared secret)
        settings = Settings.load(environ={"BUDGETWISE_DATA_DIR": str(workdir / "proc0"), "BUDGETWISE_SECRET_KEY": SECRET,
                                          "BUDGETWISE_DATABASE_URL": url})
        engine = make_engine(url)
        with session_scope(make_session_factory(engine)) as s:
            user = auth.get_user_by_email(s, email)
            remember = auth.issue_remember_token(s, user.id, settings)
        engine.dispose()
        async with Session(b.base, cookie=f"{settings.cookie_name}={remember}") as sc:
            page, _ = await sc.run()
            out["cookie_from_A_accepted_by_B"] = "logout" in sc.pages
        out["rss_mb"] = [round(s.rss_mb(), 1) for s in servers]
    finally:
        for s in servers:
            s.stop()
        with admin.connect() as conn:
            conn.execute(text(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
        admin.dispose()
    return out


# =========================================================================== main
def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--levels", default="5,20,50", help="concurrent users per level (comma-separated; 0 = none)")
    ap.add_argument("--rounds", type=int, default=2, help="dashboard/transactions/add rounds per user")
    ap.add_argument("--port", type=int, default=8616)
    ap.add_argument("--data-dir", default="/tmp/safety-load")
    ap.add_argument("--history", type=int, default=300, help="transactions per simulated user")
    ap.add_argument("--bcrypt-rounds", type=int, default=12)
    ap.add_argument("--two-processes", action="store_true", help="also show two app processes sharing PostgreSQL")
    ap.add_argument("--postgres", default=os.environ.get("BUDGETWISE_TEST_POSTGRES_URL",
                                                         "postgresql+psycopg://postgres@127.0.0.1:5432/test"))
    ap.add_argument("--json", metavar="FILE", help="write the figures as JSON")
    args = ap.parse_args()
    levels = [int(x) for x in args.levels.split(",") if int(x) > 0]
    os.environ["BUDGETWISE_BCRYPT_ROUNDS"] = str(args.bcrypt_rounds)
    report: dict = {"when": dt.datetime.now().isoformat(timespec="seconds"), "cpus": os.cpu_count(),
                    "bcrypt_rounds": args.bcrypt_rounds, "levels": []}
    if levels:
        data_dir = Path(args.data_dir)
        shutil.rmtree(data_dir, ignore_errors=True)
        data_dir.mkdir(parents=True)
        print(f"preparing {max(levels)} users with {args.history} transactions each in {data_dir} ...", flush=True)
        emails = prepare(data_dir, max(levels), history=args.history)
        server = Server(args.port, data_dir, {"BUDGETWISE_BCRYPT_ROUNDS": str(args.bcrypt_rounds)}, data_dir / "streamlit.log")
        try:
            report["rss_cold_mb"] = round(server.rss_mb(), 1)
            asyncio.run(warm_up(server, emails[-1]))
            report["rss_idle_mb"] = round(server.rss_mb(), 1)
            print(f"server pid {server.process.pid}: RSS {report['rss_cold_mb']} MB cold, "
                  f"{report['rss_idle_mb']} MB warm and idle", flush=True)
            for n in levels:
                result = asyncio.run(run_level(server, emails, n, args.rounds))
                report["levels"].append(result)
                print_level(result)
        finally:
            server.stop()
    if args.two_processes:
        workdir = Path(args.data_dir + "-two")
        shutil.rmtree(workdir, ignore_errors=True)
        workdir.mkdir(parents=True)
        result = asyncio.run(two_processes(args.postgres, args.port + 10, workdir))
        report["two_processes"] = result
        print("\ntwo app processes, one PostgreSQL:")
        for k, v in result.items():
            print(f"  {k}: {v}")
    if args.json:
        Path(args.json).write_text(json.dumps(report, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
