"""The cold path's confusion on the TUNING data sets only (issue #16, session 16).

    .venv/bin/python tools/cold_confusion.py [--data DIR] [--only kaggle,za] [--examples N]

What a new user's import stores without any history (the benchmark's *cold*: certain default rules, then built-in
brands on expenses, then the answers from structure on what is left; a fallback guess is shown as such), compared
with each row's mapped label: per data set the share right and the share that gets **no answer at all**, then per
true category what was said instead (uncategorized included), and with ``--examples`` the most frequent wrong
(description, answer) pairs of each data set; with ``--kinds`` the same rows by the kind of text they are
(:func:`text_kind`: a person-to-person or bank transfer, a bill payment or debit order, a bank's own charge or tax
line, a card line with a payment facilitator's "*" code, another card line, a plain name) and direction, each with
its share right, unanswered and answered wrong (session 23). The held-out data sets (us, in, ca) are refused: their rows and
per-row errors are never read (docs/categorization.md, "How to measure").
"""

from __future__ import annotations

import argparse
import re
import sys
from collections import Counter, defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


# The kinds of bank text (general forms of many countries' statements, not any data set's rows), first match wins.
TEXT_KINDS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("transfer", re.compile(
        r"\b(?:pix|ted|doc|transf\w*|transfer\w*|funds received|customer transfer|zelle|venmo|upi|neft|imps|rtgs|"
        r"e-?transfer|interac|rtc pmt|sepa|tikkie|bizum|ueberweisung|virement|giro|remittance|send money)\b", re.I)),
    ("bill or debit order", re.compile(
        r"\b(?:boleto|pay ?bill|debit order|debicheck|magtape|naedo|direct debit|autopay|auto pay|standing order|"
        r"pagamento|pgto|billpay|bill payment|dd)\b", re.I)),
    ("bank charge or tax", re.compile(
        r"\b(?:iof|tarifa\w*|charges?|fees?|tributos?|imposto|tax|interest|juros|commission)\b|charge\b", re.I)),
    ("card, facilitator code", re.compile(r"^[^*]{1,12}\*")),
    ("card line", re.compile(r"\b(?:pos|purchase|compra|card|debit card|visa|mastercard|contactless)\b", re.I)),
)


def text_kind(text: str) -> str:
    """The kind of bank text a description is (``TEXT_KINDS``), "plain name" when none fits."""
    for kind, pattern in TEXT_KINDS:
        if pattern.search(text):
            return kind
    return "plain name"


def cold_answers(data: list) -> list[tuple[str | None, str]]:
    """(category or None, source) per row as the cold path answers it, with each data set as one import (the
    same order as ``tools/calibrate_default_rules.rule_hits``); source is "rule:<group>", "brand",
    "struct:<signal>", "fallback:<category>" (a guess, not counted as an answer) or "none"."""
    from benchmarks.categorize_eval import minor
    from budgetwise.services import default_rules
    from budgetwise.services.categorize import structure as st
    from budgetwise.services.categorize.brands import brand_index
    from budgetwise.services.categorize.ruleset import _match_rows
    from budgetwise.text import clean_text
    from tools.calibrate_default_rules import default_ruleset, group_of

    rules, ruleset = default_ruleset()
    index = brand_index()
    items = [(clean_text(r.description)[:500], minor(r.amount), r.kind, None) for r in data]
    out: list[tuple[str | None, str]] = [(None, "none")] * len(data)
    left = []
    for i, (r, item, hit) in enumerate(zip(data, items, _match_rows(ruleset, items))):
        rule = rules[hit.row.id] if hit is not None else None
        if rule is not None and rule.priority < default_rules.FALLBACK_PRIORITY:
            out[i] = (rule.category, "rule:" + group_of(rule.name))
        elif r.kind == "expense" and (category := index.category(item[0])) is not None:
            out[i] = (category, "brand")
        else:
            left.append(i)
            if rule is not None:
                out[i] = (None, "fallback:" + rule.category)
    for i, signal in st.structural_signals(items, [r.date.date() for r in data], left).items():
        out[i] = (st.SIGNALS[signal], "struct:" + signal)
    return out


def main(argv: list[str] | None = None) -> int:
    import benchmarks.categorize_eval as ev

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=ev.DATA)
    parser.add_argument("--only", default=",".join(ev.TUNING))
    parser.add_argument("--examples", type=int, default=0, help="most frequent wrong answers per data set")
    parser.add_argument("--kinds", action="store_true", help="right / unanswered / wrong by kind of text and direction")
    args = parser.parse_args(argv)
    wanted = [n for n in args.only.split(",") if n]
    refused = [n for n in wanted if n not in ev.TUNING]
    if refused:
        print(f"refused: {', '.join(refused)} (held-out data sets are scored by totals only)")
        return 2
    if not args.data.is_dir():
        print(f"No labelled data at {args.data}; nothing to measure.")
        return 0
    ev.MAPPINGS = args.data.parent / "mappings.json"
    files = {k: v for k, v in ev.load_all(args.data).items() if k in wanted}
    confusion: dict[str, Counter] = defaultdict(Counter)
    per_set: dict[str, Counter] = defaultdict(Counter)
    kinds: dict[tuple[str, str], Counter] = defaultdict(Counter)
    for name, data in files.items():
        answers = cold_answers(data)
        for (answer, _), r in zip(answers, data):
            kinds[(text_kind(r.description), r.kind)][
                "right" if answer == r.truth else "none" if answer is None else "wrong"] += 1
            kinds[(text_kind(r.description), r.kind)][name] += 1
        right = sum(a == r.truth for (a, _), r in zip(answers, data))
        none = sum(s == "none" for _, s in answers)
        guess = sum(s.startswith("fallback:") for _, s in answers)
        print(f"{name:<7} {len(data):>6} rows: right {right / len(data):6.1%}, no answer at all {none / len(data):6.1%}"
              f", only a fallback guess {guess / len(data):6.1%}")
        wrong: Counter = Counter()
        for (answer, source), r in zip(answers, data):
            said = answer or ("(guess " + source.split(":", 1)[1] + ")" if source != "none" else "(none)")
            confusion[r.truth][said] += 1
            per_set[r.truth][name] += 1
            if answer != r.truth:
                wrong[(r.truth, r.kind, said, source, r.description[:60])] += 1
        for (truth, kind, said, source, text), n in wrong.most_common(args.examples):
            print(f"    {n:>4}  {truth:<18} {kind:<7} said {said:<18} ({source}) {text}")
    if args.kinds:
        print()
        total = sum(len(d) for d in files.values())
        print(f"{'kind of text':<24} {'dir':<8} {'rows':>6} {'right':>7} {'no answer':>10} {'wrong':>7} {'of all':>7}"
              "  by data set")
        for (kind, direction), c in sorted(kinds.items(), key=lambda kv: -(kv[1]["none"] + kv[1]["wrong"])):
            n = c["right"] + c["none"] + c["wrong"]
            sets = ", ".join(f"{k} {c[k]}" for k in files if c[k])
            print(f"{kind:<24} {direction:<8} {n:>6} {c['right'] / n:7.1%} {c['none'] / n:10.1%} {c['wrong'] / n:7.1%}"
                  f" {(c['none'] + c['wrong']) / total:7.1%}  [{sets}]")
    print()
    print(f"{'true category':<18} {'rows':>6} {'right':>7}  by data set; what was said instead")
    for truth in sorted(confusion, key=lambda t: -sum(confusion[t].values())):
        said = confusion[truth]
        n = sum(said.values())
        sets = ", ".join(f"{k} {v}" for k, v in per_set[truth].items())
        instead = ", ".join(f"{k} {v}" for k, v in said.most_common() if k != truth)
        print(f"{truth:<18} {n:>6} {said[truth] / n:7.1%}  [{sets}] {instead or '-'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
