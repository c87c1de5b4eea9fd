"""Helpers shared by the security and data-safety batteries.

``populate(session, settings, principal)`` gives a user at least one row in every table
a user can own (through the services where one exists), so export, deletion, backup and
isolation tests see every kind of data.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import shutil
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import MetaData, Table, func, inspect, select
from sqlalchemy.engine import Connection
from sqlalchemy.orm import Session

from budgetwise.config import Settings
from budgetwise.db import upgrade_database
from budgetwise.errors import AuthenticationError
from budgetwise.importing import ImportOptions
from budgetwise.models import Base, Goal, GoalContribution, PasswordResetToken
from budgetwise.principal import Principal
from budgetwise.security import hash_one_time_token, new_one_time_token
from budgetwise.services import (
    accounts,
    auth,
    budgets,
    cashflow,
    categories,
    categorize,
    importing,
    rates,
    totp,
    transfers,
)
from budgetwise.services import transactions as tx
from tests.conftest import STRONG_PASSWORD

TODAY = dt.date.today()


def bank_csv(rows: int, *, seed: int = 0, prefix: str = "Shop") -> bytes:
    """A simple bank export with ``rows`` distinct rows (date, description, amount)."""
    lines = ["Date,Description,Amount"]
    start = dt.date(2023, 1, 1)
    for i in range(rows):
        day = start + dt.timedelta(days=(i * 7 + seed) % 700)
        amount = -((i * 37 + seed * 11) % 20000 + 101) / 100
        if i % 9 == 0:
            amount = -amount
        lines.append(f"{day.isoformat()},{prefix} {seed}-{i} purchase,{amount:.2f}")
    return ("\n".join(lines) + "\n").encode()


@dataclass(frozen=True)
class Owned:
    """Ids of one user's objects (for the isolation matrix)."""

    transaction_id: int
    other_transaction_id: int
    category_id: int
    rule_id: int
    budget_category_id: int
    goal_id: int
    contribution_id: int
    batch_id: int
    mapping_id: int
    marker: str
    account_id: int | None = None
    transfer_id: int | None = None
    scheduled_id: int | None = None


def populate(session: Session, settings: Settings, principal: Principal, *, marker: str = "", with_2fa: bool = True) -> Owned:
    """Give ``principal`` rows in every user-owned table. ``marker`` goes into every text."""
    uid = principal.user_id
    mark = marker or f"U{uid}"
    cat = categories.create_category(session, user_id=uid, name=f"{mark} Hobbies", kind="expense", color="#123456")
    t1 = tx.add_transaction(
        session, user_id=uid, date=TODAY - dt.timedelta(days=3), amount="12.34", kind="expense",
        description=f"{mark} model trains", category_id=cat.id, notes=f"{mark} note", account=f"{mark} card",
    )
    t2 = tx.add_transaction(session, user_id=uid, date=TODAY - dt.timedelta(days=2), amount="1500", kind="income",
                            description=f"{mark} salary")
    rule = categorize.create_rule(
        session, user_id=uid, spec=categorize.RuleSpec(category_id=cat.id, pattern=f"{mark} trains", name=f"{mark} rule")
    )
    budgets.set_budget(session, user_id=uid, month=TODAY.replace(day=1), amount="300", category_id=cat.id)
    budgets.set_budget(session, user_id=uid, month=TODAY.replace(day=1), amount="2000", category_id=None)
    goal = Goal(user_id=uid, name=f"{mark} bike", target_minor=150_000, currency=principal.currency,
                target_date=TODAY + dt.timedelta(days=365), initial_saved_minor=1_000)
    session.add(goal)
    session.flush()
    contribution = GoalContribution(goal_id=goal.id, user_id=uid, date=TODAY, amount_minor=2_500, note=f"{mark} first")
    session.add(contribution)
    session.flush()
    data = bank_csv(5, seed=uid, prefix=mark)
    result = importing.commit_import(session, user_id=uid, data=data, filename=f"{mark}.csv", options=ImportOptions())
    preview = importing.preview_import(session, user_id=uid, data=data, filename=f"{mark}.csv")
    mapping = importing.save_mapping(
        session, user_id=uid, name=f"{mark} bank", header_signature=preview.header_signature,
        columns=preview.columns, mapping=preview.mapping,
    )
    session.add(PasswordResetToken(
        user_id=uid, token_hash=hash_one_time_token(new_one_time_token()),
        expires_at=dt.datetime.now(dt.UTC) + dt.timedelta(minutes=30),
    ))
    try:  # a failed and a successful sign-in
        auth.authenticate(session, email=principal.email, password="wrong-password-0", settings=settings)
    except AuthenticationError:
        pass
    rates.add_rate(session, principal=principal, date=dt.date.today(), base="EUR", quote="GBP", rate="1.2345")  # own rate
    if with_2fa:
        setup = totp.begin_setup(session, user_id=uid)
        totp.confirm_setup(session, user_id=uid, code=totp.current_code(setup.secret), password=STRONG_PASSWORD)
    session.flush()
    account = accounts.create_account(
        session, user_id=uid, name=f"{mark} savings", kind="savings", opening_balance="10", external_id=f"{mark}-ACCT"
    )
    # a confirmed transfer: money out of the marker card account into savings
    t_out = tx.add_transaction(session, user_id=uid, date=TODAY - dt.timedelta(days=1), amount="77", kind="expense",
                               description=f"{mark} to savings", auto_categorize=False)
    t_in = tx.add_transaction(session, user_id=uid, date=TODAY - dt.timedelta(days=1), amount="77", kind="income",
                              description=f"{mark} from checking", account_id=account.id, auto_categorize=False)
    link = transfers.confirm_transfer(session, user_id=uid, out_transaction_id=t_out.id, in_transaction_id=t_in.id)
    scheduled = cashflow.add_scheduled(session, user_id=uid, name=f"{mark} rent", amount="1200", kind="expense",
                                       next_date=TODAY + dt.timedelta(days=5), cadence="monthly")
    cashflow.add_scheduled(session, user_id=uid, name=f"{mark} interest", amount="5", kind="income",
                           next_date=TODAY + dt.timedelta(days=6), cadence="monthly", account_id=account.id)
    return Owned(
        scheduled_id=scheduled.id,
        transfer_id=link.id,
        account_id=account.id,
        transaction_id=t1.id, other_transaction_id=t2.id, category_id=cat.id, rule_id=rule.id,
        budget_category_id=cat.id, goal_id=goal.id, contribution_id=contribution.id, batch_id=result.batch_id, mapping_id=mapping.id, marker=mark,
    )


def user_owned_tables() -> dict[str, str]:
    """table name -> the column that ties a row to its user."""
    out = {"users": "id"}
    for table in Base.metadata.sorted_tables:
        if "user_id" in table.c:
            out[table.name] = "user_id"
    return out


def table_snapshot(conn: Connection, *, tables: list[str] | None = None) -> dict[str, list[tuple]]:
    """Every row of every application table, sorted: for comparing two databases."""
    meta = MetaData()
    names = tables or [t.name for t in Base.metadata.sorted_tables]
    out: dict[str, list[tuple]] = {}
    present = set(inspect(conn).get_table_names())
    for name in names:
        if name not in present:
            continue
        table = Table(name, meta, autoload_with=conn)
        cols = sorted(table.c, key=lambda c: c.name)
        rows = conn.execute(select(*cols)).all()
        out[name] = sorted((tuple(_norm(v) for v in r) for r in rows), key=repr)
    return out


def _norm(value: object) -> object:
    if isinstance(value, dt.datetime):
        return value.replace(tzinfo=None).isoformat()
    if isinstance(value, (bytes, bytearray, memoryview)):
        return bytes(value)
    return value


def count_rows(session: Session, model, **where) -> int:
    stmt = select(func.count()).select_from(model)
    for key, value in where.items():
        stmt = stmt.where(getattr(model, key) == value)
    return int(session.scalar(stmt) or 0)


# --------------------------------------------------------------------------- scratch server databases
BACKEND_ENV = {"postgresql": "BUDGETWISE_TEST_POSTGRES_URL", "mysql": "BUDGETWISE_TEST_MYSQL_URL"}


def server_url(backend: str) -> str | None:
    import os

    return os.environ.get(BACKEND_ENV[backend]) or None


def scratch_database(backend: str, *, beside: bool = False):
    """A context manager: a brand-new, empty database on the server of BUDGETWISE_TEST_*_URL
    (dropped afterwards), for tests that need real commits from several processes. ``beside``: named after the
    configured database (``<its name>_scratch_<hex>``) rather than ``bw_safety_<hex>``."""
    import contextlib
    import uuid

    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    @contextlib.contextmanager
    def manage():
        base = server_url(backend)
        if base is None:
            import pytest

            pytest.skip(f"{backend}: set {BACKEND_ENV[backend]} to run this test on {backend}")
        url = make_url(base)
        name = f"{url.database}_scratch_{uuid.uuid4().hex[:8]}" if beside else f"bw_safety_{uuid.uuid4().hex[:10]}"
        admin = create_engine(url, isolation_level="AUTOCOMMIT")
        try:
            with admin.connect() as conn:
                conn.execute(text(f"CREATE DATABASE {name}"))
            try:
                yield url.set(database=name).render_as_string(hide_password=False)
            finally:
                with admin.connect() as conn:
                    if backend == "postgresql":
                        conn.execute(text(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
                    else:
                        conn.execute(text(f"DROP DATABASE IF EXISTS {name}"))
        finally:
            admin.dispose()

    return manage()


@contextlib.contextmanager
def shared_database(backend: str, tmp_path: Path, sqlite_template: Path, filename: str = "shared.db") -> Iterator[str]:
    """The URL of a migrated database that several processes can open: a copy of the SQLite
    template in ``tmp_path``, or a scratch database on the server (skipped when not configured)."""
    if backend == "sqlite":
        db = tmp_path / filename
        shutil.copyfile(sqlite_template, db)
        yield f"sqlite:///{db}"
        return
    with scratch_database(backend) as url:
        upgrade_database(url)
        yield url


# ------------------------------------------------------------------- worker processes (workers.py)
REPO_ROOT = Path(__file__).resolve().parents[2]


def start_worker(*args: str) -> subprocess.Popen:
    """``python -m tests.security.workers *args`` from the repository root, its output piped."""
    return subprocess.Popen(
        [sys.executable, "-m", "tests.security.workers", *args],
        cwd=REPO_ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )


def run_together(procs: list[subprocess.Popen], start: Path) -> tuple[list[dict], float]:
    """Wait until every worker has said "ready", touch ``start`` so that they all go at once, and
    return each one's last output line (JSON) and the seconds until the last one finished. A worker
    that fails fails the test with the end of its stderr; none is left running."""
    try:
        for p in procs:  # all set up and connected: start together
            line = p.stdout.readline()
            assert line.strip() == "ready", p.stderr.read()[-3000:]
        t0 = time.perf_counter()
        start.touch()
        results = []
        for p in procs:
            out, err = p.communicate(timeout=600)
            assert p.returncode == 0, err[-3000:]
            results.append(json.loads(out.strip().splitlines()[-1]))
        return results, time.perf_counter() - t0
    finally:
        for p in procs:
            if p.poll() is None:
                p.kill()


# ----------------------------------------------------------------------------- hostile uploads
_XLSX_PARTS = {
    "[Content_Types].xml": (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        '<Override PartName="/xl/workbook.xml" '
        'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
        '<Override PartName="/xl/worksheets/sheet1.xml" '
        'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
        '<Override PartName="/xl/sharedStrings.xml" '
        'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>'
        "</Types>"
    ),
    "_rels/.rels": (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" '
        'Target="xl/workbook.xml"/></Relationships>'
    ),
    "xl/workbook.xml": (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
        'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
        '<sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>'
    ),
    "xl/_rels/workbook.xml.rels": (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" '
        'Target="worksheets/sheet1.xml"/>'
        '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" '
        'Target="sharedStrings.xml"/></Relationships>'
    ),
}


def hostile_xlsx(*, rows: int = 2, cols: int = 3, shared_string_mb: float = 0.0) -> bytes:
    """A minimal valid workbook written part by part (nothing big is held in memory).

    ``rows`` x ``cols`` numeric cells (the zip-bomb shape of issue #13: 250,000 x 33 cells in
    ~0.5 MB), and optionally one shared string of ``shared_string_mb`` MB referenced by A1.
    """
    import io
    import zipfile

    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as zf:
        for name, text in _XLSX_PARTS.items():
            zf.writestr(name, text)
        with zf.open("xl/sharedStrings.xml", "w", force_zip64=True) as f:
            f.write(b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
                    b'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="1" uniqueCount="1"><si><t>')
            remaining = int(shared_string_mb * 1024 * 1024) or 4
            block = b"A" * (1024 * 1024)
            while remaining > 0:
                f.write(block[: min(remaining, len(block))])
                remaining -= len(block)
            f.write(b"</t></si></sst>")
        with zf.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as f:
            f.write(b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
                    b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>')
            # cells without r= attributes (allowed; readers count them): every row is the same bytes
            f.write(b'<row><c t="s"><v>0</v></c>' + b"<c><v>1</v></c>" * (cols - 1) + b"</row>")
            same = b"<row>" + b"<c><v>1</v></c>" * cols + b"</row>"
            for _ in range(rows - 1):
                f.write(same)
            f.write(b"</sheetData></worksheet>")
    return buf.getvalue()


def wide_csv(columns: int = 200_000) -> bytes:
    """A CSV whose header has ``columns`` columns (1.8 MB at 200,000; issue #13)."""
    header = ",".join(f"c{i}" for i in range(columns))
    row = ",".join("1" for _ in range(columns))
    return f"{header}\n{row}\n".encode()


def run_two(request) -> None:
    """Run ``request(0)`` and ``request(1)`` in two threads at once and wait for both (the race tests: each
    request holds at its flush on a shared barrier, so both have checked before either writes)."""
    threads = [threading.Thread(target=request, args=(n,)) for n in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)


def race_factory(stack: contextlib.ExitStack, url: str):
    """A session factory on a new engine of ``url``, disposed when ``stack`` closes (the race tests)."""
    from sqlalchemy.orm import sessionmaker

    from budgetwise.db import make_engine

    engine = make_engine(url)
    stack.callback(engine.dispose)
    return sessionmaker(bind=engine, expire_on_commit=False)


def hold_after_first_lock(engine, barrier: threading.Barrier, *, before: bool = False) -> threading.local:
    """Make each thread's request hold once, after its first statement matching ``local.pattern`` (a compiled
    regex the thread sets; None: not armed), on ``barrier`` (3 s at most), so two requests have each taken their
    first lock before either goes on (the lock-order tests, sessions 27–28). Returns the thread-local to arm.

    ``before``: hold just *before* that statement instead, so both requests have read and checked what they read
    before either takes a lock (the check-then-write races of session 29: a withdrawal, a one-time code)."""
    from sqlalchemy import event

    local = threading.local()

    def hold(_conn, _cursor, statement, *_args) -> None:
        pattern = getattr(local, "pattern", None)
        if pattern is not None and pattern.search(statement):
            local.pattern = None
            try:
                barrier.wait(timeout=3)
            except threading.BrokenBarrierError:
                pass

    event.listen(engine, "before_cursor_execute" if before else "after_cursor_execute", hold)
    return local
