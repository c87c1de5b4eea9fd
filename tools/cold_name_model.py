"""A built-in name model for the cold path, measured — session 20, not adopted (issue #16, cold).

    .venv/bin/python tools/cold_name_model.py [--tarball PATH] [--data DIR] [--held-out-totals]

The question: can a small model trained only on licensed public data place the rows a new user's import leaves
open? Training data: the names of the OpenStreetMap name-suggestion-index (the pinned npm package of
``tools/build_brands.py``, BSD-3-Clause, sha256 checked) with the category of their tag path as the brand table
maps it (``build_brands.category_of``; an unmapped path is a class of its own, "abstain"), *without* the table's
ambiguity filters: character 3–5-grams of each name's words (TF-IDF) and a linear SVM, so "Drogaria …",
"… Pizzeria", "Auto Posto …" teach words the exact-key table cannot. It is asked for the rows the cold path
(``tools/cold_confusion.cold_answers``) leaves open — no answer, or only a fallback guess — on the description's
learning key, and answers where its best class is not "abstain" and its margin is at least a threshold.

Printed, on the TUNING sets only (each row's cold+fb answer, a fallback guess counted as an answer, against the
model's): per threshold and set the answers, how many are right and the net rows; then leave one data set out
(the threshold chosen on the other three sets' net rows, read on the fourth). ``--held-out-totals`` adds, once,
the held-out sets' cold+fb accuracy with and without the model at the threshold chosen on all four tuning sets:
totals only, no row.
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

ABSTAIN = "(not a BudgetWise category)"
THRESHOLDS = (-0.5, -0.25, 0.0, 0.25, 0.5, 0.75, 1.0)
NEVER = 99.0  # a threshold no margin reaches: the model answers nothing


def nsi_names(nsi: dict) -> list[tuple[str, str]]:
    """(name, category) for every NSI name whose items agree on one category by 2/3 (ABSTAIN for a tag path the
    brand table does not map); the table's ambiguity filters are not applied (the model weighs the words)."""
    from tools import build_brands as bb

    votes: dict[str, Counter] = {}
    for path, entry in nsi.items():
        category = bb.category_of(path)
        if category is None:
            continue
        tree = path.partition("/")[0]
        for item in entry.get("items", []):
            for name in bb.item_names(item, tree):
                votes.setdefault(name, Counter())[category.replace(bb.OTHER, ABSTAIN)] += 1
    out = []
    for name, counter in sorted(votes.items()):
        category, n = counter.most_common(1)[0]
        if n >= bb.MAJORITY * sum(counter.values()):
            out.append((name, category))
    return out


def train(pairs: list[tuple[str, str]]):
    """(vectorizer, classifier) over the names' character n-grams."""
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.svm import LinearSVC

    vec = TfidfVectorizer(analyzer="char_wb", ngram_range=(3, 5), min_df=2, sublinear_tf=True, strip_accents="unicode")
    clf = LinearSVC(C=0.5)
    clf.fit(vec.fit_transform([n for n, _ in pairs]), [c for _, c in pairs])
    return vec, clf


def cold_rows(data: list) -> list[tuple[str, str | None, bool, str]]:
    """(truth, cold+fb answer, open?, learning key) per row: open = no answer or only a fallback guess."""
    from budgetwise.textforms import learn_key
    from tools.cold_confusion import cold_answers

    out = []
    for (answer, source), r in zip(cold_answers(data), data):
        is_open = source == "none" or source.startswith("fallback:")
        stored = answer if not source.startswith("fallback:") else source.split(":", 1)[1]
        out.append((r.truth, stored, is_open and r.kind == "expense", learn_key(r.description) or r.description))
    return out


def predictions(model, keys: list[str]) -> list[tuple[str, float]]:
    """(best class, its margin) per key."""
    if not keys:
        return []
    vec, clf = model
    scores = clf.decision_function(vec.transform(keys))
    return [(str(clf.classes_[row.argmax()]), float(row.max())) for row in scores]


def answered(rows, preds, threshold: float) -> list[str | None]:
    """What is stored with the model: its class on an open row where it does not abstain and its margin reaches
    ``threshold``, the cold+fb answer elsewhere."""
    out = []
    for (_, stored, is_open, _), (category, margin) in zip(rows, preds):
        use = is_open and category != ABSTAIN and margin >= threshold
        out.append(category if use else stored)
    return out


def net(rows, preds, threshold: float) -> tuple[int, int, int]:
    """(model answers, right ones, net rows right over the cold+fb answers)."""
    n = right = gain = 0
    for (truth, stored, is_open, _), (category, margin) in zip(rows, preds):
        if is_open and category != ABSTAIN and margin >= threshold:
            n += 1
            right += category == truth
            gain += (category == truth) - (stored == truth)
    return n, right, gain


def loo_choice(nets: dict[str, dict[float, int]], left_out: str) -> float:
    """The threshold with the most net rows on the other sets (the higher one on a tie; NEVER when none gains)."""
    others = [s for s in nets if s != left_out]
    candidates = sorted({th for s in others for th in nets[s]} | {NEVER})
    return max(candidates, key=lambda th: (sum(nets[s].get(th, 0) for s in others), th))


def floor_categories(per_set: dict[str, list[tuple[str, str | None, str]]], left_out: str, floor: float,
                     pseudo: float = 5.0) -> set[str]:
    """The model's categories whose precision on the other sets' answers, shrunk towards their pooled precision
    with ``pseudo`` rows, reaches ``floor`` (the app stores no guess under MODEL_MIN_STORE, session 16); the
    answers are (truth, cold+fb answer, model's category) per set."""
    n: Counter = Counter()
    right: Counter = Counter()
    for name, answers in per_set.items():
        if name != left_out:
            for truth, _, category in answers:
                n[category] += 1
                right[category] += category == truth
    prior = sum(right.values()) / max(sum(n.values()), 1)
    return {c for c in n if (right[c] + pseudo * prior) / (n[c] + pseudo) >= floor}


def main(argv: list[str] | None = None) -> int:
    import benchmarks.categorize_eval as ev
    from tools import build_brands as bb

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tarball", type=Path, help=f"a local copy of {bb.PACKAGE}-{bb.VERSION}.tgz (else downloaded)")
    parser.add_argument("--data", type=Path, default=ev.DATA)
    parser.add_argument("--held-out-totals", action="store_true", help="read the held-out totals once (no rows)")
    args = parser.parse_args(argv)
    if not args.data.is_dir():
        print(f"No labelled data at {args.data}; nothing to measure.")
        return 0
    nsi, _ = bb.read_package(bb.fetch(args.tarball))
    pairs = nsi_names(nsi)
    print(f"NSI {bb.VERSION}: {len(pairs)} names; " + ", ".join(f"{c} {n}" for c, n in
                                                               Counter(c for _, c in pairs).most_common()))
    model = train(pairs)
    ev.MAPPINGS = args.data.parent / "mappings.json"
    files = ev.load_all(args.data)
    nets: dict[str, dict[float, int]] = {}
    cached = {}
    for name in ev.TUNING:
        rows = cold_rows(files[name])
        preds = predictions(model, [r[3] for r in rows])
        cached[name] = (rows, preds)
        nets[name] = {}
        print(f"{name:<7} {len(rows):>5} rows, open expenses {sum(r[2] for r in rows)}")
        for th in THRESHOLDS:
            n, right, gain = net(rows, preds, th) if preds else (0, 0, 0)
            nets[name][th] = gain
            print(f"    margin >= {th:+.2f}: answers {n:>4}, right {right:>4} ({right / max(n, 1):4.0%}), net {gain:+d}")
    total = 0
    for name in ev.TUNING:
        th = loo_choice(nets, name)
        rows, preds = cached[name]
        gain = net(rows, preds, th)[2] if preds and th != NEVER else 0
        total += gain
        print(f"leave {name} out: threshold {th:+.2f} chosen on the others, {name} net {gain:+d} rows")
    pooled = sum(len(cached[n][0]) for n in ev.TUNING)
    print(f"leave-one-out, pooled tuning: net {total:+d} rows of {pooled} ({total / pooled:+.2%})")
    from budgetwise.services.categorize.history import MODEL_MIN_STORE

    for th in THRESHOLDS[:3]:
        per_set = {name: [(r[0], r[1], c) for r, (c, mg) in zip(*cached[name])
                          if r[2] and c != ABSTAIN and mg >= th] for name in ev.TUNING}
        parts, total = [], 0
        for name in ev.TUNING:
            keep = floor_categories(per_set, name, MODEL_MIN_STORE)
            kept = [a for a in per_set[name] if a[2] in keep]
            gain = sum((c == t) - (s == t) for t, s, c in kept)
            total += gain
            parts.append(f"{name} {gain:+d} ({len(kept)} answers; {', '.join(sorted(keep)) or 'none'})")
        print(f"with the store floor {MODEL_MIN_STORE} per category (fitted without the set), margin >= {th:+.2f}:"
              f" net {total:+d} rows; " + "; ".join(parts))
    if args.held_out_totals:
        th = max([*THRESHOLDS, NEVER], key=lambda t: (sum(nets[s].get(t, 0) for s in ev.TUNING), t))
        base = model_right = n_rows = 0
        for name in ev.HELD_OUT:
            rows = cold_rows(files[name])
            preds = predictions(model, [r[3] for r in rows])
            with_model = answered(rows, preds, th) if preds else [r[1] for r in rows]
            b = sum(r[1] == r[0] for r in rows)
            m = sum(a == r[0] for a, r in zip(with_model, rows))
            base, model_right, n_rows = base + b, model_right + m, n_rows + len(rows)
            print(f"held out {name}: cold+fb {b / len(rows):.1%} -> with the model {m / len(rows):.1%}")
        print(f"held out pooled (threshold {th:+.2f}): {base / n_rows:.1%} -> {model_right / n_rows:.1%}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
