"""Time and peak memory of refusing the hostile uploads of issue #13 (each in a fresh process).

    PYTHONPATH=$PWD .venv/bin/python benchmarks/hostile_uploads.py

Prints one line per file: its size, what the reader answered, the wall time and the process's
peak resident memory (ru_maxrss, which includes the ~150 MB of the interpreter, pandas and
openpyxl already loaded). Figures, no assertions (docs/reliability.md).

The last line reads a plain 20 MB categorized CSV (date, amount, category: 760,352 rows) with the
forecast's reader (page upload and ``budgetwise forecast --input``), with its CPU time: before
session 19 it parsed every amount with money.parse_decimal (6.2 s CPU, 11-18 s wall at load 8-9);
now once per distinct text, with a direct path for plain "-12.50" (1.8 s CPU).
"""

from __future__ import annotations

import json
import subprocess
import sys

CASES = {
    "xlsx zip bomb (250,000 x 33 cells)": "hostile_xlsx(rows=250_000, cols=33)",
    "xlsx with one 200 MB shared string": "hostile_xlsx(shared_string_mb=200)",
    "csv with 200,000 columns": "wide_csv(200_000)",
    "csv with a 2 MB field": "b'Date,Description,Amount\\n2024-01-02,\"' + b'x' * 2_000_000 + b'\",-1.00\\n'",
}

CHILD = """
import json, resource, sys, time
from tests.security.helpers import hostile_xlsx, wide_csv
from budgetwise.importing import parse_file
import budgetwise.importing.xlsx, openpyxl, pandas  # loaded before the clock starts
data = {expr}
base = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
t = time.perf_counter()
try:
    parse_file(data, {name!r}); answer = "read"
except Exception as exc:
    answer = f"{{type(exc).__name__}}: {{exc}}"
print(json.dumps({{"size": len(data), "seconds": time.perf_counter() - t, "answer": answer,
                  "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
                  "before_mb": base / 1024}}))
"""


FORECAST_CHILD = """
import json, os, random, resource, time
from budgetwise.services.forecast.csv_input import read_transactions_csv
random.seed(2)
cats = ["Groceries", "Rent", "Dining", "Transport", "Utilities", "Fun", "Health", "Household supplies"]
lines, size, i = ["date,amount,category"], 0, 0
while size < 19.5 * 1024 * 1024:
    day = f"{2020 + i % 1800 // 365}-{i % 12 + 1:02d}-{i % 28 + 1:02d}"
    lines.append(f"{day},{random.randint(100, 99999) / 100:.2f},{cats[i % 8]}"); size += len(lines[-1]) + 1; i += 1
data = ("\\n".join(lines) + "\\n").encode()
cpu, t = time.process_time(), time.perf_counter()
rows = len(read_transactions_csv(data, max_bytes=len(data)))
print(json.dumps({"size": len(data), "rows": rows, "cpu": time.process_time() - cpu,
                  "seconds": time.perf_counter() - t, "load": os.getloadavg()[0],
                  "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
"""


def main() -> None:
    for label, expr in CASES.items():
        name = "x.xlsx" if label.startswith("xlsx") else "x.csv"
        out = subprocess.run([sys.executable, "-c", CHILD.format(expr=expr, name=name)], capture_output=True,
                             text=True, check=True).stdout
        r = json.loads(out.strip().splitlines()[-1])
        print(f"{label}: {r['size'] / 1024:,.0f} KB -> {r['seconds']:.2f} s, peak {r['peak_mb']:,.0f} MB "
              f"(before parsing {r['before_mb']:,.0f} MB)\n    {r['answer'][:160]}")
    out = subprocess.run([sys.executable, "-c", FORECAST_CHILD], capture_output=True, text=True, check=True).stdout
    r = json.loads(out.strip().splitlines()[-1])
    print(f"forecast csv upload ({r['rows']:,} rows): {r['size'] / 1024:,.0f} KB -> {r['cpu']:.2f} s CPU, "
          f"{r['seconds']:.2f} s wall (load {r['load']:.1f}), peak {r['peak_mb']:,.0f} MB")


if __name__ == "__main__":
    main()
