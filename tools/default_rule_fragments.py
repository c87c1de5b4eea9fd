"""Where a default rule's word fragment catches another word: the systematic audit of the default rules' prefixes.

    .venv/bin/python tools/default_rule_fragments.py [--data ../shared/data] [--min 1] [--set shipped|twelfth|...]
        [--words /usr/share/dict/american-english,/usr/share/dict/ngerman,...]

Every default rule's regex is read as its ``\\b(?:a|b|...)`` blocks. A block with no right anchor is a set of word
fragments (a keyword longer than four letters is a prefix unless written ``word$``; see
``default_rule_patterns._alternative``). For every such fragment ending in a letter, the audit lists the
descriptions in DATA (the labelled tuning sets with their labels, the household histories, the seed data set and
every text cell of the bank export samples; never the held-out us/in/ca rows) where the fragment matches inside a
longer word ("comed" in "COMEDOR"), in the rule's direction, with the longer words and their counts per fragment.

A second list: whole-word hits of a rule that is not a transfer rule in a person-to-person context (the description
also names a person-to-person channel: Bizum, Tikkie, Zelle, Venmo, UPI, PayPal, "transfer to/from" ...) where the
word is the last or last-but-one word, which is how a person's name is written ("BIZUM A LUZ GARCIA",
"TIKKIE DAAN").

Counts only where the rule's direction applies (labelled rows their own direction, sample cells both).

``--words`` (session 21): the same fragments over word lists of the supported languages (one word a line, e.g. the
Debian packages wamerican, wbritish, wngerman, wfrench, wspanish, witalian, wportuguese, wbrazilian, wdutch): every
word a fragment begins other than the fragment with a common ending ("-s", "-es", "-e", "-a", "-o", "-ing", ...),
most first. Most are the intended compounds ("koffie" -> "koffieautomaat"); a brand there is a finding ("barcelo"
-> "barcelona", "accor" -> "accord"). Data the machine does not have is not needed: no word list, no such section.
"""

from __future__ import annotations

import argparse
import bisect
import re
import sys
from collections import Counter, defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tools"))

from default_rule_words import DATA, FROZEN, Entry, _text_cells, shipped_set  # noqa: E402

from budgetwise.text import fold  # noqa: E402

_BLOCK = re.compile(r"(\\b)?\(\?:((?:[^()\\]|\\.)*)\)(\\b|\(\?!\[a-z\]\))?")
P2P = re.compile(r"\b(?:bizum|tikkie|zelle|venmo|upi|paypal|cash app|swish|vipps|mobilepay|twint|blik|lydia|"
                 r"paylib|satispay|mb ?way|interac|e-?transfer|transfer (?:to|from)|payment (?:to|from)|"
                 r"sent to|received from|imps|neft)\b")


def fragments(entries: tuple[Entry, ...]) -> list[tuple[Entry, str]]:
    """(rule, literal) for every fragment of a rule that has no right anchor and ends in a letter."""
    out = []
    for entry in entries:
        for m in _BLOCK.finditer(entry[5]):
            if m.group(3) or m.group(1) is None:  # a right anchor, or a hand-written piece: not a plain prefix
                continue
            rest = entry[5][m.end():]
            if rest and not rest.startswith("|"):
                continue
            for lit in m.group(2).split("|"):
                word = lit.replace("\\", "")
                if word and word[-1].isalpha():
                    out.append((entry, word))
    return out


def whole_words(entries: tuple[Entry, ...]) -> list[tuple[Entry, str]]:
    """(rule, literal) for every ``\\b``-bounded single word of a non-transfer rule."""
    out = []
    for entry in entries:
        if entry[1] in ("Transfers", "Other"):
            continue
        for m in _BLOCK.finditer(entry[5]):
            if m.group(3) != "\\b" or m.group(1) is None:
                continue
            for lit in m.group(2).split("|"):
                word = lit.replace("\\", "")
                if word.isalpha():
                    out.append((entry, word))
    return out


def descriptions(data: Path) -> list[tuple[str, str, str, str | None]]:
    """(source, folded text, direction, label) of every tuning description in DATA."""
    sys.path.insert(0, str(ROOT / "benchmarks"))
    import benchmarks.categorize_eval as ev

    ev.MAPPINGS = data / "mappings.json"
    out = []
    for name, rows in ev.load_all(data / "labeled").items():
        if name in ev.HELD_OUT:
            continue
        out += [(name, fold(r.description), r.kind, r.truth) for r in rows]
    held = {"vishnuprksh__ai-wallet__records.csv",
            "Vermillion-Chen__SpendingAnalysis__June2020-December2021BinnedSpending.csv"}
    for folder in ("histories", "seed_dataset", "bank_formats/csv", "bank_formats/ofx"):
        for path in sorted((data / folder).glob("*")):
            if path.suffix.lower() in (".csv", ".ofx") and path.name not in held:
                out += [(f"{folder}/{path.name}", fold(c), k, None)
                        for c in sorted(_text_cells(path)) for k in ("income", "expense")]
    return out


def run(entries: tuple[Entry, ...], data: Path, minimum: int) -> None:
    descs = descriptions(data)
    by_text: dict[str, list[tuple[str, str, str | None]]] = defaultdict(list)
    for source, text, kind, label in descs:
        by_text[text].append((source, kind, label))
    texts = list(by_text)
    joined = "\n".join(texts)
    print(f"{len(descs)} descriptions ({len(texts)} distinct folded texts)\n")
    print("== fragments matching inside a longer word (rule, fragment: hits; the longer words) ==")
    rows = []
    for entry, lit in fragments(entries):
        if lit not in joined:
            continue
        rx = re.compile(r"\b" + re.escape(lit) + r"([a-z]+)")
        words: Counter[str] = Counter()
        agree = labelled = 0
        for text in texts:
            if lit not in text:
                continue
            found = rx.findall(text)
            if not found:
                continue
            for _source, kind, label in by_text[text]:
                if entry[2] is not None and kind != entry[2]:
                    continue
                for tail in found:
                    words[lit + tail] += 1
                agree += label == entry[1]
                labelled += label is not None
        if sum(words.values()) >= minimum:
            rows.append((entry[0], lit, sum(words.values()), f"{agree}/{labelled}", words))
    for name, lit, n, agree, words in sorted(rows, key=lambda r: -r[2]):
        top = ", ".join(f"{w} {c}" for w, c in words.most_common(6))
        print(f"{name:<45} {lit!r:<18} {n:>5} (labelled rows right {agree:>7})  {top}")
    print(f"\n{len(rows)} fragments match inside a longer word")
    print("\n== whole words of a non-transfer rule at a person-to-person line's end (rule, word: hits; lines) ==")
    p2p = [t for t in texts if P2P.search(t)]
    count = 0
    for entry, lit in whole_words(entries):
        rx = re.compile(r"\b" + re.escape(lit) + r"\b")
        hits = []
        for text in p2p:
            if lit in text and rx.search(text):
                tokens = re.findall(r"[a-z]+", text)
                if lit in tokens[-2:]:
                    hits += [(text, s) for s, kind, _ in by_text[text] if entry[2] in (None, kind)]
        if len(hits) >= minimum:
            count += 1
            print(f"{entry[0]:<45} {lit!r:<14} {len(hits):>4}  " + " | ".join(sorted({t[:50] for t, _ in hits})[:4]))
    print(f"\n{count} whole words at a person-to-person line's end")


# endings that make a fragment's own inflections, not another word ("grocer" -> "grocery")
ENDINGS = frozenset([
    "s", "es", "e", "en", "er", "ers", "a", "o", "as", "os", "ing", "ings", "ed", "d", "n", "r", "re", "i", "is",
    "ia", "ie", "ies", "y", "x", "t", "te", "ten", "ar", "ic", "ica", "ico", "ist", "ists", "ista", "istas", "ment",
    "ments", "ery", "eria", "erie", "eries",
])


def dictionary_words(entries: tuple[Entry, ...], paths: list[Path]) -> list[tuple[str, str, list[str]]]:
    """(rule, fragment, the other words it begins) for every fragment that begins a word of the lists at ``paths``
    other than its own inflections, the fragments with most such words first."""
    words: set[str] = set()
    for path in paths:
        for line in path.read_text(encoding="utf-8", errors="replace").splitlines():
            word = fold(line.split("/")[0].strip())
            if word.isalpha():
                words.add(word)
    ordered = sorted(words)
    out = []
    for entry, lit in dict.fromkeys(fragments(entries)):
        i = bisect.bisect_left(ordered, lit)
        other = []
        while i < len(ordered) and ordered[i].startswith(lit):
            if ordered[i][len(lit):] and ordered[i][len(lit):] not in ENDINGS:
                other.append(ordered[i])
            i += 1
        if other:
            out.append((entry[0], lit, other))
    return sorted(out, key=lambda r: -len(r[2]))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DATA)
    parser.add_argument("--min", type=int, default=1, help="list a fragment with at least this many hits")
    parser.add_argument("--set", choices=("shipped", *FROZEN), default="shipped")
    parser.add_argument("--words", default="", help="comma-separated word lists (one word a line) to read too")
    args = parser.parse_args(argv)
    entries = shipped_set() if args.set == "shipped" else FROZEN[args.set][1]()
    if args.data.is_dir():
        run(entries, args.data, args.min)
    else:
        print(f"No data at {args.data}.")
    paths = [Path(p) for p in args.words.split(",") if p and Path(p).is_file()]
    if paths:
        found = dictionary_words(entries, paths)
        print(f"\n== fragments beginning other words of {len(paths)} word lists (rule, fragment: count; words) ==")
        for name, lit, other in found:
            print(f"{name:<45} {lit!r:<18} {len(other):>5}  {' '.join(other[:8])}")
        print(f"\n{len(found)} fragments begin other words")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
