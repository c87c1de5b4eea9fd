"""Worst-case match time of hostile rule regexes: Python's ``re`` (before) vs RE2 (after, issue #13).

    PYTHONPATH=. .venv/bin/python benchmarks/regex_bench.py [--timeout 5] [--patterns 12]

Patterns: the reported attack ``z.{0,40}z.{0,40}...z[!?]`` with k = 2..6 sequential bounded
repeats, plus variants (classes, other letters); each one passes the structural safety check. Each is
matched against 500-character hostile descriptions. ``re`` runs in a subprocess killed after
``--timeout`` seconds (printed as ">= timeout"); RE2 runs in this process through
budgetwise.services.regex_engine (what the categorizer uses). Prints figures, asserts nothing.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import time

from budgetwise.services import categorize as cz
from budgetwise.services import regex_engine

TEXTS = ("z" * 499 + "x", "z " * 250, ("z" + "a" * 39) * 12 + "z" * 20)


def patterns() -> list[str]:
    out = [("z.{0,40}" * k) + "z[!?]" for k in range(2, 7)]
    out += [r"z\w{0,40}" * 4 + "z!", r"z[a-z ]{0,45}" * 5 + "z[!?]", "a.{0,50}b.{0,50}c.{0,50}d!", ".{0,40}z" * 5 + "!"]
    return out


def time_re(pattern: str, timeout: float) -> float | None:
    code = (
        "import re, sys, time\n"
        f"p = re.compile({pattern!r}, re.IGNORECASE)\n"
        "t = time.perf_counter()\n"
        f"for s in {TEXTS!r}: p.search(s)\n"
        "print(time.perf_counter() - t)\n"
    )
    try:
        done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=timeout)
    except subprocess.TimeoutExpired:
        return None
    return float(done.stdout.strip())


def time_re2(pattern: str) -> float:
    compiled = cz.compile_regex(pattern, max_length=cz.MAX_GLOBAL_PATTERN_LENGTH)
    assert regex_engine.is_linear(compiled)
    best = float("inf")
    for _ in range(5):
        t = time.perf_counter()
        for s in TEXTS:
            compiled.search(s)
        best = min(best, time.perf_counter() - t)
    return best


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--timeout", type=float, default=5.0)
    ap.add_argument("--patterns", type=int, default=100)
    args = ap.parse_args()
    worst_re, worst_re2, timed_out = 0.0, 0.0, 0
    print(f"{'pattern':<48} {'re (before)':>14} {'RE2 (after)':>12}")
    for pattern in patterns()[: args.patterns]:
        before = time_re(pattern, args.timeout)
        after = time_re2(pattern)
        worst_re2 = max(worst_re2, after)
        if before is None:
            timed_out += 1
            worst_re = max(worst_re, args.timeout)
            shown = f">= {args.timeout:g} s"
        else:
            worst_re = max(worst_re, before)
            shown = f"{before * 1000:.1f} ms"
        print(f"{pattern[:48]:<48} {shown:>14} {after * 1000:>9.3f} ms")
    print(f"\nworst case over {len(patterns()[: args.patterns])} patterns x {len(TEXTS)} texts of 500 characters: "
          f"re {'>= ' if timed_out else ''}{worst_re:.2f} s ({timed_out} stopped at the {args.timeout:g} s timeout), "
          f"RE2 {worst_re2 * 1000:.3f} ms")


if __name__ == "__main__":
    main()
