"""Import speed and memory: the full importer vs plain pandas.read_csv + one bulk insert.

    .venv/bin/python benchmarks/import_bench.py [--rows 100000] [--repeat 3]

Generates a realistic bank CSV (semicolon, DD.MM.YYYY, decimal comma with thousands
dots, payee + purpose text with references, a balance column), then measures, each
in a fresh child process so peak memory is per run:

* baseline: ``pandas.read_csv`` (told the separator, decimal and thousands marks) and
  one ``executemany`` of the same rows into an identical, freshly migrated
  ``transactions`` table (same columns, constraints and indexes) on SQLite;
* import: :func:`budgetwise.services.importing.commit_import` on a fresh database:
  sniffing, column/date/amount detection, validation, categorization, duplicate
  detection, fingerprints, merchants and the commit;
* re-import: the same file again into that database (every row is a duplicate).

Then the same three as *whole processes*, timed from the outside (interpreter start,
imports, migrations check, parse, commit): the baseline child, and the real command line
``budgetwise import FILE --user EMAIL`` twice (first import, re-import), each with its
peak RSS from ``wait4``. That is what a person running the command waits for.

The best of ``--repeat`` runs is reported (the machine is shared), with the peak
resident memory of each run (ru_maxrss: interpreter and libraries included).
Targets: import within 2x the baseline, under 400 MB, re-import no slower than import.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import random
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

MERCHANTS = [
    ("REWE SAGT DANKE {n4}//Hamburg", (4, 120)), ("EDEKA CENTER {n4}", (3, 90)), ("LIDL DIENSTL {n4}", (2, 60)),
    ("ALDI NORD {n4} HAMBURG", (2, 70)), ("DM DROGERIE MARKT {n4}", (2, 40)), ("ROSSMANN {n4}", (2, 35)),
    ("AMAZON EU S.A R.L. {ref}", (5, 200)), ("PAYPAL *SPOTIFY {n8}", (9.99, 9.99)), ("NETFLIX.COM {n8}", (12.99, 17.99)),
    ("SHELL {n4} HAMBURG", (20, 90)), ("ARAL STATION {n4}", (20, 95)), ("DB VERTRIEB GMBH {ref}", (5, 140)),
    ("HVV HAMBURGER VERKEHRSVERBUND", (2.6, 3.6)), ("STARBUCKS {n4} BERLIN", (3, 9)), ("MCDONALDS {n4}", (4, 18)),
    ("LIEFERANDO.DE {ref}", (12, 45)), ("IKEA DEUTSCHLAND {n4}", (10, 400)), ("APOTHEKE AM MARKT", (3, 60)),
    ("VODAFONE GMBH {ref}", (29.99, 49.99)), ("TELEKOM DEUTSCHLAND {ref}", (19.95, 59.95)),
    ("VATTENFALL EUROPE {ref}", (45, 120)), ("ALLIANZ VERSICHERUNG {ref}", (30, 150)), ("FITNESS FIRST {n8}", (29, 49)),
    ("KINO CINEMAXX {n4}", (9, 30)), ("BACKEREI SCHMIDT", (1.2, 12)), ("ZARA {n4}", (15, 120)), ("H&M {n4}", (10, 90)),
    ("MEDIAMARKT {n4}", (20, 900)), ("OTTO GMBH {ref}", (15, 300)), ("BARGELDAUSZAHLUNG GA {n8}", (20, 300)),
]
INCOME = [("GEHALT ACME GMBH {month}", (2800, 3400)), ("ERSTATTUNG {ref}", (5, 80)), ("ZINSEN", (0.01, 5))]


def generate(path: Path, rows: int, seed: int = 7) -> None:
    """A realistic export: newest first, a running balance, references that vary per payment."""
    rnd = random.Random(seed)
    start = dt.date(2015, 1, 1)
    days = max(1, rows // 25)
    records = []
    for i in range(rows):
        day = start + dt.timedelta(days=int(i * days / rows))
        if rnd.random() < 0.06:
            tmpl, (lo, hi) = rnd.choice(INCOME)
            sign = 1
        else:
            tmpl, (lo, hi) = rnd.choice(MERCHANTS)
            sign = -1
        text = tmpl.format(n4=rnd.randint(1000, 9999), n8=rnd.randint(10**7, 10**8 - 1),
                           ref=f"{rnd.randint(100, 999)}-{rnd.randint(10**6, 10**7 - 1)}", month=day.strftime("%m/%Y"))
        amount = round(rnd.uniform(lo, hi), 2) * sign
        records.append((day, text, amount))
    # A few real duplicates: two coffees, same day, same price.
    for i in range(0, rows, 997):
        records[i] = records[i - 1] if i else records[i]
    balance = 10_000.0
    with path.open("w", encoding="utf-8", newline="") as fh:
        fh.write("Booking Date;Value Date;Payee;Purpose;Amount;Currency;Balance\n")
        for day, text, amount in reversed(records):
            balance += amount
            payee, _, purpose = text.partition(" ")
            d = day.strftime("%d.%m.%Y")

            def de(x: float) -> str:
                return f"{x:,.2f}".replace(",", "X").replace(".", ",").replace("X", ".")

            fh.write(f'{d};{d};"{payee}";"{text}";{de(amount)};EUR;{de(balance)}\n')


# --------------------------------------------------------------------------- children
def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux: KiB


def child_baseline(csv_path: str, db_path: str) -> dict:
    import sqlite3

    import numpy as np
    import pandas as pd

    t0 = time.perf_counter()
    df = pd.read_csv(csv_path, sep=";", decimal=",", thousands=".", dtype={"Booking Date": str, "Value Date": str})
    now = dt.datetime.now(dt.UTC).replace(tzinfo=None).isoformat(sep=" ")
    dates = pd.to_datetime(df["Booking Date"], format="%d.%m.%Y").dt.strftime("%Y-%m-%d")
    minor = (df["Amount"].abs() * 100).round().astype("int64")
    kind = np.where(df["Amount"] < 0, "expense", "income")
    rows = list(zip([1] * len(df), dates, minor.tolist(), df["Currency"], kind, df["Purpose"], df["Payee"],
                    df["Purpose"], [now] * len(df), [now] * len(df)))
    con = sqlite3.connect(db_path)
    con.execute("PRAGMA journal_mode=WAL")
    con.execute("PRAGMA synchronous=NORMAL")
    con.execute("PRAGMA foreign_keys=ON")
    con.executemany(
        "INSERT INTO transactions (user_id, date, amount_minor, currency, kind, description, merchant, notes, "
        "category_manual, source, fingerprint, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, '', 0, 'import', ?, ?, ?)",
        rows,
    )
    con.commit()
    con.close()
    return {"seconds": time.perf_counter() - t0, "peak_mb": _peak_mb(), "rows": len(rows)}


def child_import(csv_path: str, db_path: str, user_id: int, runs: int) -> dict:
    from budgetwise.db import make_engine, make_session_factory, session_scope
    from budgetwise.services import importing

    data = Path(csv_path).read_bytes()
    engine = make_engine(f"sqlite:///{db_path}")
    factory = make_session_factory(engine)
    out = []
    for _ in range(runs):
        t0 = time.perf_counter()
        with session_scope(factory) as s:
            result = importing.commit_import(s, user_id=user_id, data=data, filename=Path(csv_path).name)
        out.append({"seconds": time.perf_counter() - t0, "imported": result.rows_imported,
                    "duplicates": result.rows_duplicate, "rejected": result.rows_rejected, "peak_mb": _peak_mb()})
    engine.dispose()
    return {"runs": out}


def _whole(cmd: list[str], env: dict | None = None) -> dict:
    """Wall time and peak RSS of one whole child process (interpreter start included)."""
    t0 = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(proc.pid, 0)
    seconds = time.perf_counter() - t0
    proc.returncode = os.waitstatus_to_exitcode(status)
    err = proc.stderr.read().decode() if proc.stderr else ""
    if proc.returncode:
        raise SystemExit(f"{' '.join(cmd)} failed: {err}")
    return {"seconds": seconds, "peak_mb": usage.ru_maxrss / 1024, "cpu": usage.ru_utime + usage.ru_stime}


def _child(args: list[str]) -> dict:
    proc = subprocess.run([sys.executable, __file__, "--child", *args], capture_output=True, text=True, cwd=ROOT)
    if proc.returncode:
        raise SystemExit(f"child failed: {proc.stderr}")
    return json.loads(proc.stdout.strip().splitlines()[-1])


# --------------------------------------------------------------------------- driver
def prepare_db(template: Path, target: Path) -> None:
    for suffix in ("", "-wal", "-shm"):
        p = Path(str(target) + suffix)
        if p.exists():
            p.unlink()
    shutil.copyfile(template, target)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--rows", type=int, default=100_000)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--keep", action="store_true", help="keep the temporary directory")
    ap.add_argument("--child", nargs="+", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.child:
        kind, *rest = args.child
        if kind == "baseline":
            print(json.dumps(child_baseline(rest[0], rest[1])))
        else:
            print(json.dumps(child_import(rest[0], rest[1], int(rest[2]), int(rest[3]))))
        return

    from budgetwise.config import Settings
    from budgetwise.db import make_engine, make_session_factory, session_scope, upgrade_database
    from budgetwise.services import auth

    tmp = Path(tempfile.mkdtemp(prefix="bw-import-bench-"))
    try:
        csv_path = tmp / "bank_export.csv"
        generate(csv_path, args.rows)
        size_mb = csv_path.stat().st_size / 1024 / 1024
        template = tmp / "template.db"
        upgrade_database(f"sqlite:///{template}")
        settings = Settings.load(environ={"BUDGETWISE_DATA_DIR": str(tmp / "data"), "BUDGETWISE_SECRET_KEY": "import-bench-" + "b" * 48,
                                          "BUDGETWISE_BCRYPT_ROUNDS": "4"})
        engine = make_engine(f"sqlite:///{template}")
        with session_scope(make_session_factory(engine)) as s:
            user_id = auth.register(s, name="Bench", email="bench@example.com", password="violet-harbor-lantern-42",
                                    settings=settings).user_id
        engine.dispose()

        cli_env = dict(os.environ, PYTHONPATH=str(ROOT), BUDGETWISE_DATA_DIR=str(tmp / "data"),
                       BUDGETWISE_SECRET_KEY=__import__("secrets").token_urlsafe(48), BUDGETWISE_MAX_UPLOAD_MB="200")
        baseline, first, again = [], [], []
        w_base, w_first, w_again = [], [], []
        for i in range(args.repeat):
            db = tmp / f"base{i}.db"
            prepare_db(template, db)
            baseline.append(_child(["baseline", str(csv_path), str(db)]))
            db = tmp / f"imp{i}.db"
            prepare_db(template, db)
            first.append(_child(["import", str(csv_path), str(db), str(user_id), "1"])["runs"][0])
            again.append(_child(["import", str(csv_path), str(db), str(user_id), "1"])["runs"][0])
            # whole processes: the baseline child and the real command line
            db = tmp / f"wbase{i}.db"
            prepare_db(template, db)
            w_base.append(_whole([sys.executable, __file__, "--child", "baseline", str(csv_path), str(db)]))
            db = tmp / f"wimp{i}.db"
            prepare_db(template, db)
            env = dict(cli_env, BUDGETWISE_DATABASE_URL=f"sqlite:///{db}")
            cmd = [sys.executable, "-m", "budgetwise", "import", str(csv_path), "--user", "bench@example.com"]
            w_first.append(_whole(cmd, env))
            w_again.append(_whole(cmd, env))
        b = min(baseline, key=lambda r: r["seconds"])
        f = min(first, key=lambda r: r["seconds"])
        a = min(again, key=lambda r: r["seconds"])
        ratio = f["seconds"] / b["seconds"]
        print(f"rows: {args.rows:,} ({size_mb:.1f} MB CSV), best of {args.repeat} runs, each in a fresh process")
        print(f"baseline  read_csv + one bulk insert : {b['seconds']:7.2f} s   peak RSS {b['peak_mb']:6.0f} MB")
        print(f"import    full pipeline + commit     : {f['seconds']:7.2f} s   peak RSS {f['peak_mb']:6.0f} MB   "
              f"(imported {f['imported']:,}, duplicates {f['duplicates']:,}, rejected {f['rejected']:,})")
        print(f"re-import same file (all duplicates) : {a['seconds']:7.2f} s   peak RSS {a['peak_mb']:6.0f} MB   "
              f"(imported {a['imported']:,}, duplicates {a['duplicates']:,})")
        print(f"ratio import / baseline              : {ratio:7.2f}x  (target <= 2.0x) {'OK' if ratio <= 2 else 'MISSED'}")
        print(f"peak memory of the import            : {f['peak_mb']:7.0f} MB (target < 400 MB) "
              f"{'OK' if f['peak_mb'] < 400 else 'MISSED'}")
        print(f"re-import vs first import            : {a['seconds'] / f['seconds']:7.2f}x (target <= 1.0x) "
              f"{'OK' if a['seconds'] <= f['seconds'] else 'MISSED'}")
        print("all runs (s): baseline", [round(r["seconds"], 2) for r in baseline], "import",
              [round(r["seconds"], 2) for r in first], "re-import", [round(r["seconds"], 2) for r in again])
        wb = min(w_base, key=lambda r: r["seconds"])
        wf = min(w_first, key=lambda r: r["seconds"])
        wa = min(w_again, key=lambda r: r["seconds"])
        wratio = wf["seconds"] / wb["seconds"]
        print("whole processes (interpreter start, imports and all; the command line as a person runs it):")
        print(f"baseline  python child               : {wb['seconds']:7.2f} s   peak RSS {wb['peak_mb']:6.0f} MB")
        print(f"budgetwise import FILE --user EMAIL  : {wf['seconds']:7.2f} s   peak RSS {wf['peak_mb']:6.0f} MB")
        print(f"budgetwise import (again, duplicates): {wa['seconds']:7.2f} s   peak RSS {wa['peak_mb']:6.0f} MB")
        print(f"ratio CLI import / baseline          : {wratio:7.2f}x  (target <= 2.0x) {'OK' if wratio <= 2 else 'MISSED'}")
        cb, cf = min(r["cpu"] for r in w_base), min(r["cpu"] for r in w_first)
        print(f"CPU time (user + system), best       : baseline {cb:.2f} s, import {cf:.2f} s, ratio {cf / cb:.2f}x "
              f"(a busy machine distorts it least); load average now "
              f"{', '.join(f'{x:.1f}' for x in os.getloadavg())} on {os.cpu_count()} cores")
        print(f"CLI peak memory                      : {max(wf['peak_mb'], wa['peak_mb']):7.0f} MB (target < 400 MB) "
              f"{'OK' if max(wf['peak_mb'], wa['peak_mb']) < 400 else 'MISSED'}")
        print(f"CLI re-import vs first import        : {wa['seconds'] / wf['seconds']:7.2f}x (target <= 1.0x) "
              f"{'OK' if wa['seconds'] <= wf['seconds'] else 'MISSED'}")
        print("whole-process runs (s): baseline", [round(r["seconds"], 2) for r in w_base], "CLI import",
              [round(r["seconds"], 2) for r in w_first], "CLI re-import", [round(r["seconds"], 2) for r in w_again])
        if args.keep:
            print(f"kept {tmp}")
    finally:
        if not args.keep:
            shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    os.environ.setdefault("PYTHONHASHSEED", "0")
    main()
