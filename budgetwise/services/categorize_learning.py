"""Learning from a user's own categorized history (pure: no Session, no database).

Two layers, both fitted on the user's categorized rows (set by hand, accepted suggestions,
an imported file's own category column):

* :class:`MerchantMemory`: "same merchant, same category". Every row is remembered under
  its merchant *stems*: the learning key with place/terminal/country suffixes dropped
  (:func:`merchant_stems`), then its shorter word prefixes. A lookup takes the longest
  stem the user has history for, provided that history agrees (one category holds most
  of it). "pak n save kilbirnie kilbirnie" corrected once also answers for
  "PAK N SAVE PETONE NZ" and "PAK N SAVE 1234", through the stem "pak save".
* :class:`TextModel`: a per-user linear model over the description's word and character
  n-grams, the amount (log bucket), the direction, the day of the month and the account.

Both return a *calibrated* confidence: the raw score (the memory's agreement and
evidence, the model's probability) goes through a fixed monotone map measured on
held-out data sets in ``benchmarks/categorize_eval.py`` (see docs/categorization.md), so
that 0.8 means right about 80% of the time on rows the user has not labelled.
"""

from __future__ import annotations

import bisect
import math
import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

SOURCE_HISTORY = "history"  # the merchant memory (category_source is String(10))

# --------------------------------------------------------------------------- merchant stems
# Suffix tokens that name where or through what terminal a card was used, never who was
# paid: ISO 3166 country codes (alpha-2 and common alpha-3), US states / Canadian provinces /
# Australian states, and the words banks append for them. Dropped only at the END of a key
# (after the merchant's own words), so "in n out" or "co op" keep their words.
_COUNTRY_CODES = frozenset("""
ad ae af ag al am ao ar at au aw az ba bb bd be bf bg bh bi bj bn bo br bs bt bw by bz ca cd ch ci cl cm cn
cr cu cv cy cz dk dm do dz ec ee eg es et fi fj fr ga gb gd ge gh gm gr gt gy hk hn hr ht hu id ie il im
iq ir is it jm jo jp ke kg kh kr kw kz la lb lc lk lr ls lt lu lv ly ma mc md me mg mk ml mm mn mo mt mu
mv mw mx my mz na ne ng ni nl np nz om pa pe pg ph pk pl pr pt py qa ro rs ru rw sa sc sd se sg si sk sl
sn so sr sv sy sz tg th tj tn tr tt tw tz ua ug uk us uy uz ve vn ye za zm zw
usa gbr aus nzl can ind deu fra esp ita nld bel che aut irl prt swe nor dnk fin pol zaf bra mex jpn chn
sgp hkg are ken nga
""".split())
_REGION_CODES = frozenset("""
al ak az ar ca co ct dc de fl ga hi ia id il in ks ky la ma md me mi mn mo ms mt nc nd ne nh nj nm nv ny oh
ok or pa ri sc sd tn tx ut va vt wa wi wv wy
ab bc mb nb nl ns nt nu on pe qc sk yt
nsw vic qld tas act wa sa nt
""".split())
_PLACE_WORDS = frozenset({
    "branch", "store", "shop", "outlet", "terminal", "term", "tid", "mid", "loc", "location", "city", "town",
    "centre", "center", "mall", "plaza", "station", "airport", "intl", "domestic", "north", "south", "east",
    "west", "central", "upper", "lower", "st", "rd", "ave", "street", "road", "avenue",
})
MIN_SINGLE_STEM = 4  # a one-word stem must be at least this long ("uber", not "new")


def _suffix_token(word: str, seen: set[str]) -> bool:
    return word in _COUNTRY_CODES or word in _REGION_CODES or word in _PLACE_WORDS or word in seen


def core_words(key: str) -> list[str]:
    """The learning key's words with place-like suffix tokens dropped from the end.

    Dropped from the end while more than one word is left: country, state and province
    codes ("nz", "usa", "nsw", "co"), branch/terminal words ("store", "branch", "mall", ...)
    and a word that already occurred earlier in the key ("kilbirnie kilbirnie": banks
    print the branch and then the city, which are often the same name).
    """
    words = key.split()
    while len(words) > 1:
        last = words[-1]
        if _suffix_token(last, set(words[:-1])):
            words.pop()
            continue
        break
    return words


def merchant_stems(key: str) -> tuple[str, ...]:
    """Stems of a learning key, most specific first: the full key, its core words, then
    shorter prefixes of the core down to one word (a one-word stem only when that word has
    at least MIN_SINGLE_STEM letters). "pak save kilbirnie kilbirnie" ->
    ("pak save kilbirnie kilbirnie", "pak save kilbirnie", "pak save")."""
    if not key:
        return ()
    out = [key]
    words = core_words(key)
    for n in range(len(words), 0, -1):
        if n == 1 and len(words[0]) < MIN_SINGLE_STEM:
            break
        stem = " ".join(words[:n])
        if stem not in out:
            out.append(stem)
    return tuple(out)


# --------------------------------------------------------------------------- calibration
@dataclass(frozen=True)
class Calibration:
    """A monotone map raw score -> probability (piecewise linear between knots)."""

    knots: tuple[tuple[float, float], ...]

    def __call__(self, raw: float) -> float:
        xs = [x for x, _ in self.knots]
        i = bisect.bisect_right(xs, raw)
        if i == 0:
            return self.knots[0][1]
        if i >= len(self.knots):
            return self.knots[-1][1]
        (x0, y0), (x1, y1) = self.knots[i - 1], self.knots[i]
        return y0 + (y1 - y0) * (raw - x0) / (x1 - x0) if x1 > x0 else y1


# Measured with benchmarks/categorize_eval.py --calibration on the tuning data sets
# (kaggle, za, br, ke): observed accuracy per band of the raw score on later rows.
MEMORY_CALIBRATION = Calibration(((0.0, 0.30), (0.5, 0.50), (0.67, 0.70), (0.8, 0.80), (0.9, 0.88), (1.0, 0.95)))
MODEL_CALIBRATION = Calibration(((0.0, 0.10), (0.3, 0.35), (0.5, 0.55), (0.7, 0.72), (0.9, 0.86), (1.0, 0.93)))


# --------------------------------------------------------------------------- the memory
@dataclass(frozen=True)
class MemoryHit:
    category: int
    confidence: float  # calibrated
    stem: str
    support: int  # rows of the user's history behind this stem


MIN_AGREEMENT = 0.75  # a shorter stem is used only where the user's history under it agrees


class MerchantMemory:
    """The user's categorized history by merchant stem and direction."""

    def __init__(self, examples: Iterable[tuple[str, str, int]]) -> None:
        """examples: (learning key, kind, category id)."""
        table: dict[tuple[str, str], Counter] = defaultdict(Counter)
        for key, kind, cat in examples:
            for stem in merchant_stems(key):
                table[(stem, kind)][cat] += 1
        self._table: dict[tuple[str, str], tuple[int, int, int]] = {}
        for k, counts in table.items():
            (cat, top), = counts.most_common(1)
            self._table[k] = (cat, top, sum(counts.values()))
        self._cache: dict[tuple[str, str], MemoryHit | None] = {}

    def __len__(self) -> int:
        return len(self._table)

    @staticmethod
    def raw_score(top: int, total: int, exact: bool) -> float:
        """Agreement shrunk towards 1/2 by little evidence; a prefix stem counts a little less."""
        score = (top + 0.5) / (total + 1.0)
        return score if exact else score * 0.95

    def lookup(self, key: str, kind: str) -> MemoryHit | None:
        ck = (key, kind)
        if ck in self._cache:
            return self._cache[ck]
        hit = None
        for i, stem in enumerate(merchant_stems(key)):
            entry = self._table.get((stem, kind))
            if entry is None:
                continue
            cat, top, total = entry
            if i > 0 and top / total < MIN_AGREEMENT:
                break  # the merchants under this stem disagree: a shorter one would too
            raw = self.raw_score(top, total, exact=(i == 0))
            hit = MemoryHit(cat, round(MEMORY_CALIBRATION(raw), 4), stem, total)
            break
        if len(self._cache) < 200_000:
            self._cache[ck] = hit
        return hit


# --------------------------------------------------------------------------- the model
def amount_bucket(amount_minor: int) -> int:
    return int(math.log2(max(1, abs(int(amount_minor))) / 100 + 1) * 2)


def _day_bucket(day: int | None) -> str:
    if not day:
        return "na"
    return "start" if day <= 5 else ("end" if day >= 25 else "mid")


_WORD = re.compile(r"[^\W\d_]{2,}")


def model_text(key: str, folded: str, kind: str, amount_minor: int, day: int | None, account: str | None) -> str:
    """One feature string: the words of the description plus tagged structural tokens."""
    words = " ".join(_WORD.findall(folded))
    acct = re.sub(r"\W+", "_", account.casefold()) if account else "none"
    return (f"{words} zzdir{'in' if kind == 'income' else 'out'} zzamt{amount_bucket(amount_minor)}"
            f" zzday{_day_bucket(day)} zzacct{acct} zzdiramt{kind[:1]}{amount_bucket(amount_minor)}")


MODEL_MIN_EXAMPLES = 10
MODEL_MIN_SIMILARITY = 0.35  # cosine similarity (char n-grams) to the closest labelled row


class TextModel:
    """Word (1-2) and character (2-4, within words) n-grams of the description, plus amount,
    direction, day of month and account tokens; a multinomial logistic regression."""

    def __init__(self, word_vec, char_vec, clf, train_chars) -> None:
        self.word_vec = word_vec
        self.char_vec = char_vec
        self.clf = clf
        self.train_chars = train_chars

    @classmethod
    def fit(cls, texts: Sequence[str], keys: Sequence[str], labels: Sequence[int],
            weights: Sequence[float] | None = None) -> TextModel | None:
        if len(texts) < MODEL_MIN_EXAMPLES or len(set(labels)) < 2:
            return None
        from scipy.sparse import hstack
        from sklearn.feature_extraction.text import TfidfVectorizer
        from sklearn.linear_model import LogisticRegression

        word_vec = TfidfVectorizer(analyzer="word", ngram_range=(1, 2), sublinear_tf=True, token_pattern=r"\S+",
                                   max_features=30_000, dtype=float)
        char_vec = TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 4), sublinear_tf=True, max_features=40_000,
                                   dtype=float)
        xw = word_vec.fit_transform(texts)
        xc = char_vec.fit_transform(keys)
        x = hstack([xw, xc]).tocsr()
        clf = LogisticRegression(C=10.0, max_iter=300, class_weight="balanced", solver="lbfgs")
        clf.fit(x, list(labels), sample_weight=None if weights is None else list(weights))
        return cls(word_vec, char_vec, clf, xc)

    def predict(self, texts: Sequence[str], keys: Sequence[str]) -> list[tuple[int | None, float]]:
        """(category id, calibrated confidence) per row; (None, 0.0) without support."""
        if not texts:
            return []
        from scipy.sparse import hstack

        xc = self.char_vec.transform(keys)
        x = hstack([self.word_vec.transform(texts), xc]).tocsr()
        proba = self.clf.predict_proba(x)
        best = proba.argmax(axis=1)
        sim = (xc @ self.train_chars.T).max(axis=1).toarray().ravel()
        out = []
        for i in range(len(texts)):
            if sim[i] < MODEL_MIN_SIMILARITY:
                out.append((None, 0.0))
            else:
                out.append((int(self.clf.classes_[best[i]]), round(MODEL_CALIBRATION(float(proba[i, best[i]])), 4)))
        return out


# --------------------------------------------------------------------------- both together
@dataclass(frozen=True)
class HistoryRow:
    """One categorized row of the user's history (already cleaned)."""

    key: str  # learning key
    folded: str  # folded description
    kind: str
    amount_minor: int
    day: int | None
    account: str | None
    category: int


class UserKnowledge:
    """The memory and the model of one user's history (fit once per training set)."""

    MAX_PER_TEXT = 5  # a merchant seen 50 times should not drown the rest of the model

    def __init__(self, rows: Sequence[HistoryRow]) -> None:
        self.memory = MerchantMemory((r.key, r.kind, r.category) for r in rows)
        grouped: dict[tuple, int] = Counter()
        for r in rows:
            grouped[(model_text(r.key, r.folded, r.kind, r.amount_minor, r.day, r.account), r.key, r.category)] += 1
        texts = [t for t, _, _ in grouped]
        keys = [k for _, k, _ in grouped]
        labels = [c for _, _, c in grouped]
        weights = [min(n, self.MAX_PER_TEXT) for n in grouped.values()]
        self.model = TextModel.fit(texts, keys, labels, weights)
        self.size = len(rows)


# --------------------------------------------------------------------------- the decision
MEMORY_OVER_RULES = 0.5  # the user's own history for this merchant beats a default rule from here
REVIEW_BELOW = 0.80  # a stored category under this confidence is listed for review
MODEL_MIN_STORE = 0.30  # a model answer under this is not worth storing (the row stays uncategorized)


@dataclass(frozen=True)
class Decision:
    category: int | None
    source: str | None  # 'rule' | 'learned' | 'history' | 'model' | None
    confidence: float | None
    rule_id: int | None


NO_DECISION = Decision(None, None, None, None)


def decide(
    rule: Decision | None, *, user_rule: bool, memory: MemoryHit | None, model: tuple[int | None, float] | None,
) -> Decision:
    """What a row gets, first match wins:

    1. the user's own rules (written or learned from a correction): ``user_rule`` True;
    2. the merchant memory of the user's history, where it is at least MEMORY_OVER_RULES sure;
    3. the default rules (certain ones: confidence 1.0);
    4. the per-user model, where it is more confident than a fallback guess;
    5. a fallback rule's guess; 6. nothing.
    """
    if rule is not None and rule.category is not None and user_rule:
        return rule
    if memory is not None and memory.confidence >= MEMORY_OVER_RULES:
        return Decision(memory.category, SOURCE_HISTORY, memory.confidence, None)
    certain_rule = rule is not None and rule.category is not None and (rule.confidence or 1.0) >= 1.0
    if certain_rule:
        return rule
    floor = MODEL_MIN_STORE
    if rule is not None and rule.category is not None:
        floor = max(floor, rule.confidence or 0.0)
    if model is not None and model[0] is not None and model[1] >= floor:
        return Decision(model[0], "model", model[1], None)
    if memory is not None:  # weak history still beats nothing
        return Decision(memory.category, SOURCE_HISTORY, memory.confidence, None)
    if rule is not None and rule.category is not None:
        return rule
    return NO_DECISION
