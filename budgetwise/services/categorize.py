"""Categorization: the rule engine, learning from corrections, and per-user suggestions.

How a transaction gets its category (first match wins):

1. the user's own rules (written by hand, or *learned* from corrections), by priority
   (lower first), then by id;
2. the global default rules (seeded by migration 0002, managed by admins), by priority;
3. nothing matched: a per-user model (scikit-learn, trained on the user's own
   hand-categorized history) may *suggest* a category with a confidence. Suggestions
   are never written by :func:`apply_rules_to_transactions`; the Categorize page shows
   them and the user accepts them (then they are stored with ``category_source='model'``
   and ``category_manual=True``).

A category set by hand (``category_manual``) is never overwritten.

Matching is case-, accent- and punctuation-insensitive: conditions on the description
are checked against ``fold(description)``, against the merchant key
(:func:`budgetwise.text.merchant_key`: dates, numbers, card and reference fragments
removed) and, for ``exact``, against the *learning key* (:func:`learn_key`: the merchant
key without payment boilerplate such as "POS purchase", "card payment" or month names).
Regular expressions run on the folded description only.

Speed: rules are compiled once per rule set (memoized); a single trie-shaped regular
expression finds, for each distinct description, every literal that some rule needs,
so only those few rules are checked; rows with the same description share the work.
"""

from __future__ import annotations

import datetime as dt
import functools
import itertools
import re
import threading
import unicodedata
from collections import OrderedDict, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace

from sqlalchemy import and_, func, or_, select, update
from sqlalchemy.orm import Session

from budgetwise.errors import NotFoundError, PermissionDenied, ValidationError
from budgetwise.models import CATEGORY_KINDS, TRANSACTION_KINDS, Category, Rule, Transaction, utcnow
from budgetwise.principal import Principal, require_admin
from budgetwise.services import categories as categories_service
from budgetwise.services import regex_engine
from budgetwise.services.auth import touch_data
from budgetwise.services.default_rules import FALLBACK_PRIORITY as _DEFAULT_FALLBACK_PRIORITY
from budgetwise.text import clean_text, fold, zero_digits

try:  # Python 3.11+: the parser moved; the old name still works with a warning
    import re._constants as _sre_c  # type: ignore[import-not-found]
    import re._parser as _sre_p  # type: ignore[import-not-found]
except ImportError:  # pragma: no cover
    import sre_constants as _sre_c  # type: ignore[no-redef]
    import sre_parse as _sre_p  # type: ignore[no-redef]

MATCH_TYPES = ("contains", "starts_with", "exact", "regex")
RULE_ORIGINS = ("default", "user", "learned")
SOURCE_RULE = "rule"
SOURCE_LEARNED = "learned"
SOURCE_MODEL = "model"

MAX_PATTERN_LENGTH = 200  # user rules; global rules may use the full column (500)
MAX_GLOBAL_PATTERN_LENGTH = 500
MAX_RULE_NAME = 100
MAX_TEXT = 500  # descriptions are at most 500 characters (transactions.MAX_DESCRIPTION)
REGEX_TIME_BUDGET_S = 0.05  # no longer used: rule regexes run on RE2 (linear time), no timed trial
MAX_UNBOUNDED_REPEATS = 1  # kept from the backtracking days: the same rules are accepted as before
DEFAULT_USER_PRIORITY = 100
LEARNED_PRIORITY = 10  # a correction for one merchant beats broader rules of the user
MAX_RULES_PER_USER = 5_000
MAX_ITEMS = 1_000_000

# The per-user model
MODEL_MIN_EXAMPLES = 20  # hand-categorized transactions needed before suggesting
MODEL_MIN_CATEGORIES = 2
MODEL_MAX_EXAMPLES = 20_000  # most recent hand-categorized rows used for training
MODEL_MIN_CONFIDENCE = 0.30  # below this a guess is not worth showing
MODEL_MIN_SIMILARITY = 0.5  # cosine similarity to the closest hand-categorized example
LOW_CONFIDENCE = 0.80  # the Categorize page lists suggestions under this first

# Fallback rules: global default rules at this priority or above are tried last and only
# say what kind of payment it is ("POS purchase" at a merchant no rule knows -> Shopping).
# Their category is stored as a guess with this confidence, so such rows are listed for
# review right after the uncategorized ones.
FALLBACK_PRIORITY = _DEFAULT_FALLBACK_PRIORITY  # 9000
FALLBACK_CONFIDENCE = 0.30
MODEL_OVER_FALLBACK = 0.80  # a model suggestion at least this confident replaces a fallback guess


# =========================================================================== data types
@dataclass(frozen=True)
class CategorizeItem:
    description: str
    amount_minor: int
    kind: str
    account: str | None = None


@dataclass(frozen=True)
class CategoryGuess:
    category_id: int | None
    category_name: str | None
    source: str | None  # 'rule' | 'learned' | 'model' | None
    confidence: float | None
    rule_id: int | None


NO_GUESS = CategoryGuess(None, None, None, None, None)


@dataclass(frozen=True)
class RuleSpec:
    """What a person enters for a rule (validated by :func:`validate_rule_spec`)."""

    category_id: int
    pattern: str
    match_type: str = "contains"
    name: str = ""
    priority: int = DEFAULT_USER_PRIORITY
    min_amount_minor: int | None = None
    max_amount_minor: int | None = None
    kind: str | None = None
    account: str | None = None
    is_active: bool = True


@dataclass(frozen=True)
class RuleView:
    id: int
    is_global: bool
    category_id: int
    category_name: str
    name: str
    priority: int
    match_type: str
    pattern: str
    min_amount_minor: int | None
    max_amount_minor: int | None
    kind: str | None
    account: str | None
    origin: str
    is_active: bool

    def spec(self) -> RuleSpec:
        return RuleSpec(
            category_id=self.category_id, pattern=self.pattern, match_type=self.match_type, name=self.name,
            priority=self.priority, min_amount_minor=self.min_amount_minor, max_amount_minor=self.max_amount_minor,
            kind=self.kind, account=self.account, is_active=self.is_active,
        )


@dataclass(frozen=True)
class RulePreview:
    """What saving a rule would do: how many transactions it decides, how many it changes."""

    matches: int  # non-manual transactions this rule would categorize (first match)
    would_change: int  # ... of which the category would change
    manual_skipped: int  # hand-categorized transactions it matches but never touches
    # (id, date, description, current category, category after saving) of some of the rows that change
    sample: tuple[tuple[int, dt.date, str, str | None, str | None], ...]


@dataclass(frozen=True)
class LearnOffer:
    """Offered after a user recategorizes a transaction by hand."""

    transaction_id: int
    merchant: str  # the learning key (normalized merchant) the rule is keyed on
    category_id: int
    category_name: str
    rule_name: str
    rule_match_type: str  # always 'exact' (on the learning key)
    rule_pattern: str
    existing_rule_id: int | None  # a learned rule for this merchant already exists
    matching_past: int  # other non-manual transactions that would change
    matching_manual: int  # other hand-categorized ones with this merchant (left alone)

    @property
    def worthwhile(self) -> bool:
        return bool(self.merchant)


@dataclass(frozen=True)
class Suggestion:
    transaction_id: int
    category_id: int
    category_name: str
    confidence: float


# =========================================================================== text forms
_MONTHS = {
    # en, de, fr, es, it, nl, pt (abbreviations and full names, folded)
    "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec",
    "january", "february", "march", "april", "june", "july", "august", "september", "october",
    "november", "december", "januar", "februar", "marz", "mai", "juni", "juli", "okt", "dez",
    "oktober", "dezember", "janv", "fevr", "fev", "mars", "avr", "juil", "aout", "janvier", "fevrier",
    "avril", "juin", "juillet", "septembre", "octobre", "novembre", "decembre", "ene", "abr", "ago",
    "dic", "enero", "febrero", "marzo", "abril", "mayo", "junio", "julio", "agosto", "septiembre",
    "octubre", "noviembre", "diciembre", "gen", "mag", "giu", "lug", "set", "ott", "gennaio",
    "febbraio", "aprile", "maggio", "giugno", "luglio", "settembre", "ottobre", "dicembre", "mrt",
    "mei", "januari", "februari", "maart", "augustus", "fev", "out", "dez",
}
# Payment boilerplate that says how, not to whom (folded words, any language).
_BOILERPLATE = {
    "pos", "purchase", "purchases", "card", "debit", "credit", "visa", "mastercard", "maestro", "contactless",
    "recurring", "payment", "pmt", "pymt", "paymt", "effec", "no", "nr", "ref", "to", "from", "at", "the",
    "transaction", "txn", "online", "overseas", "international", "sepa", "direct", "dd", "so", "standing",
    "order", "lastschrift", "kartenzahlung", "karte", "zahlung", "folgenr", "verfalld", "girocard", "ec",
    "paiement", "carte", "cb", "prlv", "prelevement", "achat", "compra", "pago", "tarjeta", "recibo",
    "pagamento", "carta", "acquisto", "betaling", "betaalautomaat", "bea", "gea", "pas", "pin", "apple",
    "pay", "google", "gpay", "applepay", "magtape", "naedo", "debicheck", "eft", "fuel", "www", "com", "inc",
    "ltd", "llc", "pty", "gmbh", "sa", "sarl", "bv", "srl", "ag", "co", "plc", "de", "du", "la", "le",
    "el", "und", "and", "of", "on",
    # card-acceptance services in front of the merchant's name ("SQ *BLUE CAFE", "SUMUP *...", "PAYPAL *...")
    "sq", "sumup", "zettle", "izettle", "paypal", "pp", "tst", "stripe", "yoco", "zapper", "snapscan", "payfast",
    "ikhokha", "ikh",
}
_TOKEN = re.compile(r"[^\W_]+|&")
_HAS_DIGIT = re.compile(r"\d")


def fast_fold(value: str) -> str:
    """:func:`budgetwise.text.fold`, with a fast path for plain ASCII text."""
    if value.isascii():
        return " ".join(value.casefold().split())
    return fold(value)


def tokens_form(folded: str) -> str:
    """Punctuation-insensitive form: the words of a folded text joined by single spaces."""
    return " ".join(_TOKEN.findall(folded))


def _key_from_tokens(tokens: str) -> str:
    words = tokens.split()
    kept = [w for w in words if len(w) > 1 and w not in _MONTHS and w not in _BOILERPLATE and not _HAS_DIGIT.search(w)]
    key = " ".join(kept)
    if len(key) >= 3:
        return key[:200]
    plain = " ".join(w for w in words if not _HAS_DIGIT.search(w))
    return (plain or tokens)[:200]


def learn_key(description: str) -> str:
    """The merchant a correction is remembered for: the description's words minus boilerplate.

    Dates, numbers and any word containing a digit (card, reference fragments), month
    names, single letters and payment boilerplate ("POS purchase", "card payment",
    "Lastschrift", ...) are dropped: "POS Purchase 4th Avenue Coffee R  * 24 Oct" and
    "POS Purchase 4th Avenue Coffee R * 01 Nov" both give "avenue coffee". When nothing specific is
    left, the words without digits (or all words) are used.
    """
    return _key_from_tokens(tokens_form(fast_fold(clean_text(description)[:MAX_TEXT])))


def _fold_pattern(pattern: str) -> str:
    return fold(clean_text(pattern))


def _strip_accents(value: str) -> str:
    if value.isascii():
        return value
    decomposed = unicodedata.normalize("NFKD", value)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


# =========================================================================== regex safety
class _Unsafe(Exception):
    pass


def _walk_regex(items, *, in_repeat: bool, in_unbounded: bool = False) -> int:
    """Refuse constructs that can make a regex take exponential time; count unbounded repeats."""
    unbounded = 0
    repeats = {_sre_c.MAX_REPEAT, _sre_c.MIN_REPEAT, getattr(_sre_c, "POSSESSIVE_REPEAT", _sre_c.MAX_REPEAT)}
    for op, av in items:
        if op in repeats:
            low, high, body = av
            many = high is _sre_c.MAXREPEAT or high > 1
            big = high is _sre_c.MAXREPEAT or high > 50
            if in_repeat and many:
                raise _Unsafe("nested")
            unbounded += int(big)
            unbounded += _walk_regex(body, in_repeat=in_repeat or many, in_unbounded=in_unbounded or big)
        elif op == _sre_c.SUBPATTERN:
            unbounded += _walk_regex(av[-1], in_repeat=in_repeat, in_unbounded=in_unbounded)
        elif op == _sre_c.BRANCH:
            if in_unbounded:
                raise _Unsafe("branch")
            for branch in av[1]:
                unbounded += _walk_regex(branch, in_repeat=in_repeat, in_unbounded=in_unbounded)
        elif op in (_sre_c.ASSERT, _sre_c.ASSERT_NOT):
            unbounded += _walk_regex(av[1], in_repeat=in_repeat, in_unbounded=in_unbounded)
        elif op in (_sre_c.GROUPREF, _sre_c.GROUPREF_EXISTS, getattr(_sre_c, "GROUPREF_IGNORE", _sre_c.GROUPREF)):
            raise _Unsafe("backref")
        elif op == getattr(_sre_c, "ATOMIC_GROUP", None):
            unbounded += _walk_regex(av, in_repeat=in_repeat, in_unbounded=in_unbounded)
    return unbounded


def compile_regex(pattern: str, *, max_length: int = MAX_PATTERN_LENGTH) -> regex_engine.RulePattern:
    """Validate and compile a rule's regular expression (case-insensitive, accents removed).

    The pattern is written in Python's syntax and run by RE2 (:mod:`budgetwise.services.regex_engine`),
    whose matching time is linear in the text whatever the pattern. The structural checks stay
    (a length limit, no nested or alternated repetition such as ``(a+)+`` or ``(a|aa)*``, no
    back-references, at most one unbounded repeat) so the messages and the rules accepted are
    those of before; what RE2 cannot run (lookarounds other than a final ``(?![a-z])``-style
    check, possessive repeats, repeats above 1000) is refused with the reason.
    """
    source, _ = _checked_structure(pattern, max_length)
    try:
        return regex_engine.compile_rule_regex(source)
    except regex_engine.UnsupportedRegex as exc:
        raise ValidationError(f"The regular expression is refused: {exc}.", field="pattern") from None


def _checked_structure(pattern: str, max_length: int) -> tuple[str, list]:
    """The checks of :func:`compile_regex` that need no timing: (accent-free source, its parse).

    A stored rule passed the timed trial when it was saved; loading a rule set checks its
    structure again (cheap, and the same on a busy machine) but not the timing.
    """
    raw = (pattern or "").strip()
    if not raw:
        raise ValidationError("Enter a pattern.", field="pattern")
    if len(raw) > max_length:
        raise ValidationError(
            f"The regular expression is too long ({len(raw)} characters; at most {max_length}).", field="pattern"
        )
    source = _strip_accents(raw)
    try:
        parsed = _sre_p.parse(source, re.IGNORECASE)
    except (re.error, OverflowError, RecursionError) as exc:
        raise ValidationError(f"The regular expression is not valid: {exc}.", field="pattern") from exc
    try:
        parsed = list(parsed)
        unbounded = _walk_regex(parsed, in_repeat=False)
    except _Unsafe as exc:
        reason = {
            "nested": "it repeats a group that itself repeats (like (a+)+), which can take forever to match",
            "branch": "it repeats a group of alternatives (like (a|ab)*), which can take forever to match",
            "backref": "back-references (\\1) are not supported",
        }[str(exc)]
        raise ValidationError(f"The regular expression is refused: {reason}.", field="pattern") from None
    if unbounded > MAX_UNBOUNDED_REPEATS:
        raise ValidationError(
            "The regular expression is refused: it has more than one unbounded repeat (*, + or {n,}), "
            "which can make matching very slow. Use a bounded repeat such as .{0,30} instead.",
            field="pattern",
        )
    return source, parsed


# A plain word or phrase, optionally between \b anchors: nearly every alternative of the
# default rules. Its literal is read off the text; anything else goes through the parser.
_PLAIN_ALTERNATIVE = re.compile(r"(?:\\b)?((?:[^\\\[\](){}|*+?.^$]|\\[.\-&/ '#])+)(?:\\b)?")
_ESCAPED = re.compile(r"\\(.)")


def _required_literals(pattern: str) -> list[str] | None:
    """Literals one of which must occur for the regex to match (for the prefilter), or None."""
    plain = _PLAIN_ALTERNATIVE.fullmatch(pattern)
    if plain is not None:
        lit = _ESCAPED.sub(r"\1", plain.group(1))
        low = lit.casefold()
        return [low] if low and low == lit.lower() and low.isascii() else None
    try:
        parsed = list(_sre_p.parse(_strip_accents(pattern), re.IGNORECASE))
    except (re.error, OverflowError, RecursionError):
        return None
    options = _seq_literals(parsed)
    if not options:
        return None
    cleaned = []
    for lit in options:
        low = lit.casefold()
        if not low or low != lit.lower() or not low.isascii():
            return None
        cleaned.append(low)
    return cleaned


def _seq_literals(items) -> list[str] | None:
    """The best 'one of these literals is required' set for a sequence of regex ops."""
    best: list[str] | None = None
    run: list[str] = []

    def consider(option: list[str] | None) -> None:
        nonlocal best
        if option and all(option) and (best is None or min(map(len, option)) > min(map(len, best))):
            best = option

    for op, av in items:
        if op == _sre_c.LITERAL:
            run.append(chr(av))
            continue
        if run:
            consider(["".join(run)])
            run = []
        if op == _sre_c.BRANCH:
            alts = []
            for branch in av[1]:
                lits = _seq_literals(branch)
                if not lits:
                    alts = None
                    break
                alts.extend(lits)
            consider(alts)
        elif op == _sre_c.SUBPATTERN:
            consider(_seq_literals(av[-1]))
        elif op in (_sre_c.MAX_REPEAT, _sre_c.MIN_REPEAT) and av[0] >= 1:
            consider(_seq_literals(av[2]))
    if run:
        consider(["".join(run)])
    return best


# =========================================================================== compiled rule set
@dataclass(frozen=True)
class _RuleRow:
    """The parts of a Rule row the engine needs (hashable: the memo key of a compiled set)."""

    id: int
    category_id: int
    match_type: str
    pattern: str
    min_amount_minor: int | None
    max_amount_minor: int | None
    kind: str | None
    account: str | None
    origin: str
    is_global: bool
    confidence: float = 1.0  # FALLBACK_CONFIDENCE for global fallback rules


@dataclass
class _Compiled:
    row: _RuleRow
    order: int
    text: str  # folded pattern (non-regex)
    norm: str  # its words joined by single spaces
    regex: _LazyRegex | None
    account: str | None
    uniform: bool = True  # the text condition treats every ASCII digit alike (see _digit_uniform)

    @property
    def source(self) -> str:
        return SOURCE_LEARNED if self.row.origin == "learned" else SOURCE_RULE

    @property
    def is_fallback(self) -> bool:
        return self.row.confidence < 1.0

    def text_ok(self, f: str, t: str, k: str) -> bool:
        """f: folded description, t: its words joined by spaces, k: the learning key."""
        mt = self.row.match_type
        if mt == "contains":
            return self.norm in t or self.text in f
        if mt == "starts_with":
            return t.startswith(self.norm) or f.startswith(self.text)
        if mt == "exact":
            return self.norm == t or self.norm == k or self.text == f
        return self.regex is not None and self.regex.search(f) is not None

    def row_ok(self, amount: int, kind: str, account: str | None) -> bool:
        r = self.row
        if r.kind is not None and r.kind != kind:
            return False
        if r.min_amount_minor is not None and amount < r.min_amount_minor:
            return False
        if r.max_amount_minor is not None and amount > r.max_amount_minor:
            return False
        if self.account is not None and (account is None or fold(account) != self.account):
            return False
        return True


# ASCII digits -> "0", position for position. A text condition that treats every ASCII digit
# alike (no digit in the pattern, regex classes holding all of 0-9 or none) gives the same
# answer for "REWE 1234 REF 98-7" and "rewe 0000 ref 00-0": the work is shared between them.
_ASCII_DIGITS = frozenset(range(ord("0"), ord("9") + 1))


def _class_digits(items) -> set[int] | None:
    """The ASCII digits a character class ``[...]`` matches, or None when unsure."""
    out: set[int] = set()
    negate = False
    for op, av in items:
        if op == _sre_c.NEGATE:
            negate = True
        elif op == _sre_c.LITERAL:
            if av in _ASCII_DIGITS:
                out.add(av)
        elif op == _sre_c.RANGE:
            out |= _ASCII_DIGITS & set(range(av[0], av[1] + 1))
        elif op == _sre_c.CATEGORY:
            if av in (_sre_c.CATEGORY_DIGIT, _sre_c.CATEGORY_WORD, _sre_c.CATEGORY_NOT_SPACE):
                out |= _ASCII_DIGITS
            elif av not in (_sre_c.CATEGORY_NOT_DIGIT, _sre_c.CATEGORY_NOT_WORD, _sre_c.CATEGORY_SPACE):
                return None
        else:
            return None
    return (_ASCII_DIGITS - out) if negate else out


def _uniform_items(items) -> bool:
    for op, av in items:
        if op == _sre_c.LITERAL or op == _sre_c.NOT_LITERAL:
            if av in _ASCII_DIGITS:
                return False
        elif op == _sre_c.IN:
            digits = _class_digits(av)
            if digits is None or digits not in (set(), set(_ASCII_DIGITS)):
                return False
        elif op in (_sre_c.ANY, _sre_c.AT):
            continue
        elif op in (_sre_c.MAX_REPEAT, _sre_c.MIN_REPEAT) or op == getattr(_sre_c, "POSSESSIVE_REPEAT", None):
            if not _uniform_items(av[2]):
                return False
        elif op == _sre_c.SUBPATTERN:
            if not _uniform_items(av[-1]):
                return False
        elif op == getattr(_sre_c, "ATOMIC_GROUP", None):
            if not _uniform_items(av):
                return False
        elif op == _sre_c.BRANCH:
            if not all(_uniform_items(b) for b in av[1]):
                return False
        elif op in (_sre_c.ASSERT, _sre_c.ASSERT_NOT):
            if not _uniform_items(av[1]):
                return False
        else:  # back-references, conditionals, anything new: decide per real text
            return False
    return True


def _digit_uniform(text: str, parsed: list | None = None) -> bool:
    """Whether a rule's text condition gives the same answer on ``t`` and ``zero_digits(t)``.

    ``text``: the folded pattern of a contains/starts_with/exact rule; ``parsed``: a regex's parse.
    """
    if parsed is not None:
        return _uniform_items(parsed)
    return not any(ch in "0123456789" for ch in text)


def _trie_regex(words: Iterable[str]) -> str:
    trie: dict = {}
    for w in words:
        node = trie
        for ch in w:
            node = node.setdefault(ch, {})
        node[""] = {}

    def build(node: dict) -> str:
        keys = sorted(k for k in node if k)
        if not keys:
            return ""
        alts: list[str] = []
        singles: list[str] = []
        for ch in keys:
            sub = build(node[ch])
            if sub == "" and len(node[ch]) == 1:
                singles.append(ch)
            else:
                alts.append(re.escape(ch) + sub)
        if singles:
            alts.append(re.escape(singles[0]) if len(singles) == 1 else "[" + "".join(re.escape(c) for c in singles) + "]")
        body = alts[0] if len(alts) == 1 else "(?:" + "|".join(alts) + ")"
        if "" in node:
            body = "(?:" + body + ")?"
        return body

    return build(trie)


def _split_alternatives(pattern: str) -> list[str] | None:
    """Split ``a|b|P(?:c|d)Q`` into ``[a, b, PcQ, PdQ]`` (same matches), or None if unsure.

    Only a top-level alternation, and one non-capturing group of alternatives with plain
    anchors (``\\b``, ``^``, ``$`` or nothing) around it, are split.
    """

    def top_level(src: str) -> list[str] | None:
        parts, depth, start, i, in_class = [], 0, 0, 0, False
        while i < len(src):
            ch = src[i]
            if ch == "\\":
                i += 2
                continue
            if in_class:
                in_class = ch != "]"
            elif ch == "[":
                in_class = True
                if src[i + 1 : i + 2] == "]" or src[i + 1 : i + 3] == "^]":
                    i += 2 if src[i + 1] == "]" else 3
                    continue
            elif ch == "(":
                depth += 1
            elif ch == ")":
                depth -= 1
                if depth < 0:
                    return None
            elif ch == "|" and depth == 0:
                parts.append(src[start:i])
                start = i + 1
            i += 1
        if depth != 0 or in_class:
            return None
        parts.append(src[start:])
        return parts

    anchors = r"(?:\\b|\^|\\A)?"
    group = re.compile(rf"^({anchors})\(\?:(.*)\)({anchors.replace('^', '$').replace('A', 'Z')})$", re.S)
    out: list[str] = []
    for alt in top_level(pattern) or []:
        m = group.match(alt)
        inner = top_level(m.group(2)) if m else None
        if m and inner is not None and all("(" not in x or "(?:" in x for x in inner):
            out.extend(f"{m.group(1)}{x}{m.group(3)}" for x in inner)
        else:
            out.append(alt)
    return out or None


_NEVER = re.compile(r"(?!)")


class _LazyRegex:
    """One alternative of a rule's regex, compiled the first time its literal is seen.

    Most alternatives of the default rules never meet a matching literal in a given file,
    so most are never compiled. Should an alternative not compile on its own, the whole
    (already validated) regex is used instead: same answer, a little slower.
    """

    __slots__ = ("source", "whole", "compiled")

    def __init__(self, source: str, whole: _LazyRegex | None) -> None:
        self.source = source
        self.whole = whole
        self.compiled = None

    def search(self, text: str):
        compiled = self.compiled
        if compiled is None:
            try:  # RE2 (linear time): never Python's backtracking engine for a rule's pattern
                compiled = regex_engine.compile_rule_regex(self.source)
            except regex_engine.UnsupportedRegex:
                compiled = self.whole if self.whole is not None else _NEVER  # a rule that cannot compile never matches
            self.compiled = compiled
        return compiled.search(text)


class _RuleSet:
    """An ordered, compiled rule set with a literal prefilter.

    * ``exact`` rules: dictionary lookups of the three text forms;
    * ``starts_with``: dictionary lookups of prefixes of each needed length;
    * ``contains`` and regular expressions: one trie-shaped regex finds every literal some
      rule needs; only rules (and regex alternatives) whose literal occurs are verified.
    """

    PREFIX = 40  # literals are truncated to this many characters for the prefilter

    def __init__(self, rows: Sequence[_RuleRow]) -> None:
        self.rules: list[_Compiled] = []
        self.always: list[int] = []  # rules with no usable literal: checked on every text
        self.exact: dict[str, list[int]] = defaultdict(list)
        self.starts: dict[int, dict[str, list[int]]] = defaultdict(lambda: defaultdict(list))
        literal_hits: dict[str, list[tuple[int, _LazyRegex | None]]] = defaultdict(list)
        for row in rows:
            regex = parsed = None
            text = norm = ""
            if row.match_type == "regex":
                try:
                    source, parsed = _checked_structure(row.pattern, MAX_GLOBAL_PATTERN_LENGTH)
                except ValidationError:
                    continue  # a stored bad regex is skipped, never allowed to hang or crash
                regex = _LazyRegex(source, None)
            else:
                text = _fold_pattern(row.pattern)
                norm = tokens_form(text)
                if not text:
                    continue
            order = len(self.rules)
            self.rules.append(
                _Compiled(row=row, order=order, text=text, norm=norm, regex=regex,
                          account=fold(row.account) if row.account else None,
                          uniform=_digit_uniform(text, parsed))
            )
            if row.match_type == "exact":
                for value in {text, norm}:
                    if value:
                        self.exact[value].append(order)
            elif row.match_type == "starts_with":
                for value in {text, norm}:
                    if value:
                        self.starts[len(value)][value].append(order)
            elif row.match_type == "contains":
                for value in {text, norm}:
                    if value:
                        literal_hits[_canon(value[: self.PREFIX])].append((order, None))
            else:
                self._add_regex(order, row.pattern, regex, literal_hits)
        self.literal_hits = dict(literal_hits)
        literals_sorted = sorted(self.literal_hits)
        lit_set = set(literals_sorted)
        # a literal that is a prefix of a longer one is found at the same position: expand
        self.closure: dict[str, tuple[tuple[int, _LazyRegex | None], ...]] = {}
        for lit in literals_sorted:
            hits: list[tuple[int, _LazyRegex | None]] = []
            for i in range(1, len(lit) + 1):
                if lit[:i] in lit_set:
                    hits.extend(self.literal_hits[lit[:i]])
            self.closure[lit] = tuple(hits)
        self.finder = re.compile("(?=(" + _trie_regex(literals_sorted) + "))") if literals_sorted else None
        self.exact = dict(self.exact)
        self.starts = {n: dict(d) for n, d in self.starts.items()}
        # rules outside the digit-uniform class that every text must still be checked against
        self.text_bound_lookup = any(
            not self.rules[o].uniform
            for o in itertools.chain(self.always, *self.exact.values(),
                                     *(o for table in self.starts.values() for o in table.values()))
        )

    def _add_regex(self, order: int, pattern: str, whole: _LazyRegex, literal_hits) -> None:
        source = _strip_accents(pattern)
        parts = _split_alternatives(source) or [source]
        compiled_parts: list[tuple[list[str], _LazyRegex]] = []
        for part in parts:
            literals = _required_literals(part)
            if not literals:
                self.always.append(order)  # some alternative has no literal: check the whole regex
                return
            compiled_parts.append((literals, _LazyRegex(part, whole)))
        for literals, sub in compiled_parts:
            for lit in {_canon(lit[: self.PREFIX]) for lit in literals}:
                literal_hits[lit].append((order, sub))

    def prefilter(self, fc: str, tc: str) -> dict[int, list[_LazyRegex] | None]:
        """Candidate rules for a digit-canonical text (a superset for every real text behind it).

        Value None: check the rule's whole text condition; a list: the regex alternatives
        whose literal occurs.
        """
        found: dict[int, list[_LazyRegex] | None] = {o: None for o in self.always}
        if self.finder is not None:
            hay = fc if fc == tc else f"{fc}\x00{tc}"
            closure = self.closure
            for lit in set(self.finder.findall(hay)):
                for o, sub in closure[lit]:
                    if sub is None:
                        found[o] = None
                    elif o not in found:
                        found[o] = [sub]
                    elif found[o] is not None:
                        found[o].append(sub)
        return found

    def verify(
        self, f: str, t: str | None, k: str, pre: dict[int, list[_LazyRegex] | None],
        uniform: bool | None = None,
    ) -> list[_Compiled]:
        """Rules whose text condition holds for this real text, in order (``t`` computed if needed).

        ``uniform`` True/False: only the digit-uniform rules / only the others; None: all.
        """
        found = dict(pre)
        if self.exact or self.starts or any(v is None for v in found.values()):
            if t is None:
                t = tokens_form(f)
            for value in {f, t, k}:
                for o in self.exact.get(value, ()):
                    found[o] = None
            for n, table in self.starts.items():
                for value in {f[:n], t[:n]}:
                    for o in table.get(value, ()):
                        found[o] = None
        out = []
        for o in sorted(found):
            rule = self.rules[o]
            if uniform is not None and rule.uniform is not uniform:
                continue
            subs = found[o]
            if subs is None:
                ok = rule.text_ok(f, t or tokens_form(f), k)
            else:
                ok = any(sub.search(f) is not None for sub in subs)
            if ok:
                out.append(rule)
        return out

    def candidates(self, f: str, t: str, k: str) -> list[_Compiled]:
        return self.verify(f, t, k, self.prefilter(_canon(f), _canon(t)))


_DIGITS = re.compile(r"\d+")


def _canon(text: str) -> str:
    """Digit runs as a single 0: descriptions that differ only in numbers share the prefilter."""
    return _DIGITS.sub("0", text)


@functools.lru_cache(maxsize=16)
def _compiled_rules(rows: tuple[_RuleRow, ...]) -> _RuleSet:
    return _RuleSet(rows)


def _rule_rows(session: Session, user_id: int | None, *, include_user: bool = True) -> tuple[_RuleRow, ...]:
    """Active rules pointing to usable categories: the user's first, then the global ones."""
    visible = categories_service.visible_categories_clause(user_id) if user_id is not None else Category.user_id.is_(None)
    owner = or_(Rule.user_id.is_(None), Rule.user_id == user_id) if (user_id is not None and include_user) else Rule.user_id.is_(None)
    stmt = (
        select(
            Rule.id, Rule.category_id, Rule.match_type, Rule.pattern, Rule.min_amount_minor, Rule.max_amount_minor,
            Rule.kind, Rule.account, Rule.origin, Rule.user_id, Rule.priority,
        )
        .join(Category, Category.id == Rule.category_id)
        .where(owner, Rule.is_active.is_(True), Category.is_archived.is_(False), visible)
    )
    result = sorted(session.execute(stmt), key=lambda r: (r.user_id is None, r.priority, r.id))
    return tuple(
        _RuleRow(
            id=r.id, category_id=r.category_id, match_type=r.match_type, pattern=r.pattern,
            min_amount_minor=r.min_amount_minor, max_amount_minor=r.max_amount_minor, kind=r.kind,
            account=r.account, origin=r.origin, is_global=r.user_id is None,
            confidence=FALLBACK_CONFIDENCE if (r.user_id is None and r.priority >= FALLBACK_PRIORITY) else 1.0,
        )
        for r in result
    )


# =========================================================================== the engine
def _texts(description: str) -> tuple[str, str, str]:
    """(folded description, its words joined by spaces, learning key)."""
    f = fast_fold((description or "")[:MAX_TEXT])
    t = tokens_form(f)
    return f, t, _key_from_tokens(t)


def _match_rows(
    ruleset: _RuleSet, items: Sequence[tuple[str, int, str, str | None]]
) -> list[_Compiled | None]:
    """First matching rule per (description, amount_minor, kind, account).

    Work is shared: the prefilter runs once per digit-canonical description (digit runs as
    one 0), the digit-uniform rules are checked once per zeroed description (every digit a
    0: "card 4711 ref 123" and "card 0815 ref 456" share it), only the few other rules per
    distinct description, and the amount/type/account check per row.
    """
    per_text: dict[str, list[_Compiled]] = {}
    per_zero: dict[str, tuple[list[_Compiled], dict, str]] = {}
    per_canon: dict[str, tuple[dict, str]] = {}
    out: list[_Compiled | None] = []
    for description, amount, kind, account in items:
        cands = per_text.get(description)
        if cands is None:
            f = fast_fold(description[:MAX_TEXT])
            f0 = zero_digits(f)
            entry = per_zero.get(f0)
            if entry is None:
                fc = _canon(f0)
                pre = per_canon.get(fc)
                if pre is None:
                    tc = tokens_form(fc)
                    pre = (ruleset.prefilter(fc, tc), _key_from_tokens(tc))
                    per_canon[fc] = pre
                k0 = pre[1] if "0" not in pre[1] else _key_from_tokens(tokens_form(f0))
                rest = {o: v for o, v in pre[0].items() if not ruleset.rules[o].uniform}
                entry = (ruleset.verify(f0, None, k0, pre[0], uniform=True), rest, k0)
                per_zero[f0] = entry
            cands, rest, k0 = entry
            if rest or ruleset.text_bound_lookup:  # rules that see the real digits: this text's own check
                k = k0 if (f0 == f or "0" not in k0) else _key_from_tokens(tokens_form(f))
                others = ruleset.verify(f, None, k, rest, uniform=False)
                if others:
                    cands = sorted(cands + others, key=lambda r: r.order)
            per_text[description] = cands
        hit = None
        for rule in cands:
            if rule.row_ok(amount, kind, account):
                hit = rule
                break
        out.append(hit)
    return out


def _category_names(session: Session, user_id: int) -> dict[int, str]:
    stmt = select(Category.id, Category.name).where(categories_service.visible_categories_clause(user_id))
    return {cid: name for cid, name in session.execute(stmt)}


def _normalize_item(item: CategorizeItem) -> tuple[str, int, str, str | None]:
    kind = (item.kind or "").strip().lower()
    if kind not in TRANSACTION_KINDS:
        kind = "expense"
    amount = abs(int(item.amount_minor))
    return clean_text(item.description)[:MAX_TEXT], amount, kind, (clean_text(item.account) or None)


def categorize_items(
    session: Session,
    *,
    user_id: int,
    items: Sequence[CategorizeItem],
    with_model: bool = True,
) -> list[CategoryGuess]:
    """Guess a category for each item (read-only): the user's rules, the defaults, then the model.

    Guesses from rules have ``source`` 'rule' (or 'learned' for rules learned from corrections)
    and confidence 1.0, except global fallback rules (priority >= FALLBACK_PRIORITY), whose
    guesses carry FALLBACK_CONFIDENCE. With ``with_model`` (default), items no rule matches get
    the user's model's suggestion (``source`` 'model', confidence < 1) when the model is
    confident enough, and so do fallback guesses when the model is at least
    MODEL_OVER_FALLBACK confident: show it as a suggestion; store it only when the user
    accepts it.
    """
    return categorize_rows(
        session, user_id=user_id, descriptions=[it.description for it in items],
        amounts_minor=[it.amount_minor for it in items], kinds=[it.kind for it in items],
        accounts=[it.account for it in items], with_model=with_model,
    )


def categorize_rows(
    session: Session,
    *,
    user_id: int,
    descriptions: Sequence[str],
    amounts_minor: Sequence[int],
    kinds: Sequence[str],
    accounts: Sequence[str | None],
    with_model: bool = True,
) -> list[CategoryGuess]:
    """:func:`categorize_items` for columns of values (bulk callers such as the importer).

    Each distinct description and account is cleaned once, and rows that get the same
    answer share one (immutable) CategoryGuess.
    """
    n = len(descriptions)
    if not (len(amounts_minor) == len(kinds) == len(accounts) == n):
        raise ValueError("descriptions, amounts_minor, kinds and accounts must have the same length")
    if n > MAX_ITEMS:
        raise ValidationError(f"At most {MAX_ITEMS:,} items can be categorized at once.")
    ruleset = _compiled_rules(_rule_rows(session, user_id))
    names = _category_names(session, user_id)
    cleaned: dict[object, str] = {}
    cleaned_accounts: dict[object, str | None] = {None: None}
    known_kinds = {k: k for k in TRANSACTION_KINDS}
    rows: list[tuple[str, int, str, str | None]] = []
    for d, a, k, acc in zip(descriptions, amounts_minor, kinds, accounts):
        text = cleaned.get(d)
        if text is None:
            text = cleaned[d] = clean_text(d)[:MAX_TEXT]
        if acc in cleaned_accounts:
            account = cleaned_accounts[acc]
        else:
            account = cleaned_accounts[acc] = clean_text(acc) or None
        kind = known_kinds.get(k)
        if kind is None:
            kind = (k or "").strip().lower()
            kind = kind if kind in TRANSACTION_KINDS else "expense"
        rows.append((text, abs(int(a)), kind, account))
    hits = _match_rows(ruleset, rows)
    per_rule: dict[int, CategoryGuess] = {}
    guesses: list[CategoryGuess] = []
    for hit in hits:
        if hit is None:
            guesses.append(NO_GUESS)
            continue
        g = per_rule.get(hit.order)
        if g is None:
            g = per_rule[hit.order] = CategoryGuess(
                hit.row.category_id, names.get(hit.row.category_id), hit.source, hit.row.confidence, hit.row.id
            )
        guesses.append(g)
    if with_model:
        missing = [i for i, hit in enumerate(hits) if hit is None or hit.is_fallback]
        if missing:
            model = _user_model(session, user_id)
            if model is not None:
                # one prediction per distinct (text, direction)
                distinct = list(dict.fromkeys((rows[i][0], rows[i][2]) for i in missing))
                preds = dict(zip(distinct, model.predict([t for t, _ in distinct], [k for _, k in distinct])))
                for i in missing:
                    cat_id, p = preds[(rows[i][0], rows[i][2])]
                    floor = MODEL_MIN_CONFIDENCE if hits[i] is None else MODEL_OVER_FALLBACK
                    if cat_id is not None and p >= floor and cat_id in names:
                        guesses[i] = CategoryGuess(cat_id, names[cat_id], SOURCE_MODEL, round(float(p), 4), None)
    return guesses


def _rules_say(hit: _Compiled | None, current_source: str | None) -> tuple | None:
    """(category_id, source, confidence, rule_id) the rules give a row now; None: leave it as it is.

    No rule matches: a category a rule had set is cleared, any other (an import's, a model
    suggestion the user accepted) stays.
    """
    if hit is not None:
        return (hit.row.category_id, hit.source, hit.row.confidence, hit.row.id)
    if current_source in (SOURCE_RULE, SOURCE_LEARNED):
        return (None, None, None, None)
    return None


def apply_rules_to_transactions(
    session: Session,
    *,
    user_id: int,
    transaction_ids: Sequence[int] | None = None,
    only_uncategorized: bool = False,
    date_from: dt.date | None = None,
    date_to: dt.date | None = None,
) -> int:
    """Run the rules over the user's transactions that were not categorized by hand.

    Returns how many transactions changed category (rows where only the rule that decided,
    its source or confidence changed are updated too, but not counted: the user reads the
    figure as "recategorized"). A hand-set category is never touched; a
    category the rules set earlier is withdrawn when no rule matches any more; any other
    category (a stored model suggestion, one from an imported file) is only replaced by a
    matching rule. Model suggestions are not written here (see :func:`suggest_for_transactions`).
    """
    stmt = select(
        Transaction.id, Transaction.description, Transaction.amount_minor, Transaction.kind, Transaction.account,
        Transaction.category_id, Transaction.category_source, Transaction.category_confidence, Transaction.rule_id,
    ).where(Transaction.user_id == user_id, Transaction.category_manual.is_(False))
    if only_uncategorized:
        stmt = stmt.where(Transaction.category_id.is_(None))
    if date_from is not None:
        stmt = stmt.where(Transaction.date >= date_from)
    if date_to is not None:
        stmt = stmt.where(Transaction.date <= date_to)
    if transaction_ids is not None:
        ids = sorted({int(i) for i in transaction_ids})
        if not ids:
            return 0
        rows = []
        for start in range(0, len(ids), 900):
            rows.extend(session.execute(stmt.where(Transaction.id.in_(ids[start : start + 900]))).all())
    else:
        rows = session.execute(stmt).all()
    if not rows:
        return 0
    ruleset = _compiled_rules(_rule_rows(session, user_id))
    hits = _match_rows(ruleset, [(r.description, r.amount_minor, r.kind, r.account) for r in rows])
    changes = []
    recategorized = 0
    for r, hit in zip(rows, hits):
        new = _rules_say(hit, r.category_source)
        if new is None:
            continue
        if (r.category_id, r.category_source, r.category_confidence, r.rule_id) != new:
            recategorized += r.category_id != new[0]
            changes.append(
                {"id": r.id, "category_id": new[0], "category_source": new[1], "category_confidence": new[2],
                 "rule_id": new[3], "updated_at": utcnow()}
            )
    if changes:
        for start in range(0, len(changes), 1000):
            session.execute(update(Transaction), changes[start : start + 1000])
        touch_data(session, user_id)
    return recategorized


# =========================================================================== rules: read
def _rule_view(rule: Rule, category_name: str) -> RuleView:
    return RuleView(
        id=rule.id, is_global=rule.user_id is None, category_id=rule.category_id, category_name=category_name,
        name=rule.name, priority=rule.priority, match_type=rule.match_type, pattern=rule.pattern,
        min_amount_minor=rule.min_amount_minor, max_amount_minor=rule.max_amount_minor, kind=rule.kind,
        account=rule.account, origin=rule.origin, is_active=rule.is_active,
    )


def list_rules(
    session: Session, *, user_id: int, include_global: bool = True, origin: str | None = None
) -> list[RuleView]:
    """The user's rules (then the global defaults), in the order they are tried."""
    owner = or_(Rule.user_id == user_id, Rule.user_id.is_(None)) if include_global else Rule.user_id == user_id
    stmt = select(Rule, Category.name).join(Category, Category.id == Rule.category_id).where(owner)
    if origin is not None:
        stmt = stmt.where(Rule.origin == origin)
    rows = [_rule_view(rule, name) for rule, name in session.execute(stmt)]
    rows.sort(key=lambda r: (r.is_global, r.priority, r.id))
    return rows


def get_rule(session: Session, *, user_id: int, rule_id: int) -> RuleView:
    row = session.execute(
        select(Rule, Category.name).join(Category, Category.id == Rule.category_id)
        .where(Rule.id == rule_id, or_(Rule.user_id == user_id, Rule.user_id.is_(None)))
    ).first()
    if row is None:
        raise NotFoundError(f"Rule {rule_id} does not exist.", field="rule")
    return _rule_view(*row)


def count_rules(session: Session, *, user_id: int) -> int:
    return int(session.scalar(select(func.count(Rule.id)).where(Rule.user_id == user_id)) or 0)


# =========================================================================== rules: write
def validate_rule_spec(session: Session, *, user_id: int | None, spec: RuleSpec, is_global: bool = False) -> RuleSpec:
    """Check every field of a rule; return it cleaned. Raises ValidationError naming the field."""
    match_type = (spec.match_type or "").strip().lower().replace(" ", "_")
    if match_type not in MATCH_TYPES:
        raise ValidationError("The match type must be contains, starts with, exact or regex.", field="match_type")
    pattern = clean_text(spec.pattern)
    limit = MAX_GLOBAL_PATTERN_LENGTH if is_global else MAX_PATTERN_LENGTH
    if match_type == "regex":
        compile_regex(pattern, max_length=limit)
    else:
        if not _fold_pattern(pattern):
            raise ValidationError("Enter the text the description should match.", field="pattern")
        if len(pattern) > limit:
            raise ValidationError(f"The pattern is too long ({limit} characters at most).", field="pattern")
    name = clean_text(spec.name, max_length=None)
    if len(name) > MAX_RULE_NAME:
        raise ValidationError(f"The rule name is too long ({MAX_RULE_NAME} characters at most).", field="name")
    try:
        priority = int(spec.priority)
    except (TypeError, ValueError):
        raise ValidationError("The priority must be a whole number.", field="priority") from None
    if not -1_000_000 <= priority <= 1_000_000:
        raise ValidationError("The priority must be between -1,000,000 and 1,000,000.", field="priority")
    lo, hi = spec.min_amount_minor, spec.max_amount_minor
    for value, fld in ((lo, "min_amount"), (hi, "max_amount")):
        if value is not None and (isinstance(value, bool) or not isinstance(value, int) or value < 0):
            raise ValidationError("Amounts in a rule must be zero or more.", field=fld)
    if lo is not None and hi is not None and lo > hi:
        raise ValidationError("The minimum amount is larger than the maximum amount.", field="min_amount")
    kind = (spec.kind or "").strip().lower() or None
    if kind is not None and kind not in TRANSACTION_KINDS:
        raise ValidationError("The type must be income, expense or any.", field="kind")
    account = clean_text(spec.account, max_length=None) or None
    if account is not None and len(account) > 100:
        raise ValidationError("The account is too long (100 characters at most).", field="account")
    if is_global:
        cat = session.scalar(select(Category).where(Category.id == spec.category_id, Category.user_id.is_(None)))
        if cat is None:
            raise NotFoundError("Global rules can only use the default categories.", field="category")
    else:
        categories_service.get_category(session, user_id=user_id, category_id=int(spec.category_id))
    return RuleSpec(
        category_id=int(spec.category_id), pattern=pattern, match_type=match_type, name=name, priority=priority,
        min_amount_minor=lo, max_amount_minor=hi, kind=kind, account=account, is_active=bool(spec.is_active),
    )


def _default_rule_name(spec: RuleSpec) -> str:
    label = {"contains": "contains", "starts_with": "starts with", "exact": "is", "regex": "matches"}[spec.match_type]
    return f"Description {label} “{spec.pattern[:60]}”"[:MAX_RULE_NAME]


def create_rule(session: Session, *, user_id: int, spec: RuleSpec, origin: str = "user") -> RuleView:
    """Add a rule of the user's own ("user", or "learned" from a correction)."""
    if origin not in ("user", "learned"):
        raise ValidationError("A user's rule is written by hand or learned.", field="origin")
    clean = validate_rule_spec(session, user_id=user_id, spec=spec)
    if count_rules(session, user_id=user_id) >= MAX_RULES_PER_USER:
        raise ValidationError(f"You already have {MAX_RULES_PER_USER:,} rules; delete some first.")
    rule = Rule(
        user_id=user_id, category_id=clean.category_id, name=clean.name or _default_rule_name(clean),
        priority=clean.priority, match_type=clean.match_type, pattern=clean.pattern,
        min_amount_minor=clean.min_amount_minor, max_amount_minor=clean.max_amount_minor, kind=clean.kind,
        account=clean.account, origin=origin, is_active=clean.is_active,
    )
    session.add(rule)
    session.flush()
    touch_data(session, user_id)
    return get_rule(session, user_id=user_id, rule_id=rule.id)


def _own_rule(session: Session, user_id: int, rule_id: int) -> Rule:
    rule = session.get(Rule, int(rule_id))
    if rule is None or (rule.user_id is not None and rule.user_id != user_id):
        raise NotFoundError(f"Rule {rule_id} does not exist.", field="rule")
    if rule.user_id is None:
        raise PermissionDenied("Default rules are managed by an administrator; create your own rule instead.")
    return rule


def update_rule(session: Session, *, user_id: int, rule_id: int, spec: RuleSpec) -> RuleView:
    """Change one of the user's rules (a learned rule edited by hand stays 'learned')."""
    rule = _own_rule(session, user_id, rule_id)
    clean = validate_rule_spec(session, user_id=user_id, spec=spec)
    _assign(rule, clean)
    session.flush()
    touch_data(session, user_id)
    return get_rule(session, user_id=user_id, rule_id=rule.id)


def _assign(rule: Rule, clean: RuleSpec) -> None:
    rule.category_id = clean.category_id
    rule.name = clean.name or _default_rule_name(clean)
    rule.priority = clean.priority
    rule.match_type = clean.match_type
    rule.pattern = clean.pattern
    rule.min_amount_minor = clean.min_amount_minor
    rule.max_amount_minor = clean.max_amount_minor
    rule.kind = clean.kind
    rule.account = clean.account
    rule.is_active = clean.is_active
    rule.updated_at = utcnow()


def delete_rule(session: Session, *, user_id: int, rule_id: int) -> None:
    """Delete one of the user's rules. Categories it set stay until rules are re-applied."""
    rule = _own_rule(session, user_id, rule_id)
    session.delete(rule)
    session.flush()
    touch_data(session, user_id)


# --------------------------------------------------------------------------- global rules (admins)
def admin_create_rule(session: Session, *, principal: Principal, spec: RuleSpec) -> RuleView:
    require_admin(principal)
    clean = validate_rule_spec(session, user_id=None, spec=spec, is_global=True)
    rule = Rule(
        user_id=None, category_id=clean.category_id, name=clean.name or _default_rule_name(clean),
        priority=clean.priority, match_type=clean.match_type, pattern=clean.pattern,
        min_amount_minor=clean.min_amount_minor, max_amount_minor=clean.max_amount_minor, kind=clean.kind,
        account=clean.account, origin="default", is_active=clean.is_active,
    )
    session.add(rule)
    session.flush()
    return get_rule(session, user_id=principal.user_id, rule_id=rule.id)


def admin_update_rule(session: Session, *, principal: Principal, rule_id: int, spec: RuleSpec) -> RuleView:
    require_admin(principal)
    rule = session.scalar(select(Rule).where(Rule.id == rule_id, Rule.user_id.is_(None)))
    if rule is None:
        raise NotFoundError(f"Default rule {rule_id} does not exist.", field="rule")
    _assign(rule, validate_rule_spec(session, user_id=None, spec=spec, is_global=True))
    session.flush()
    return get_rule(session, user_id=principal.user_id, rule_id=rule.id)


def admin_delete_rule(session: Session, *, principal: Principal, rule_id: int) -> None:
    require_admin(principal)
    rule = session.scalar(select(Rule).where(Rule.id == rule_id, Rule.user_id.is_(None)))
    if rule is None:
        raise NotFoundError(f"Default rule {rule_id} does not exist.", field="rule")
    session.delete(rule)
    session.flush()


# =========================================================================== test a rule
def _candidate_rule_row(spec: RuleSpec, rule_id: int | None, is_global: bool) -> _RuleRow:
    return _RuleRow(
        id=rule_id if rule_id is not None else -1, category_id=spec.category_id, match_type=spec.match_type,
        pattern=spec.pattern, min_amount_minor=spec.min_amount_minor, max_amount_minor=spec.max_amount_minor,
        kind=spec.kind, account=spec.account, origin="user", is_global=is_global,
    )


@dataclass(frozen=True)
class _RuleEffect:
    clean: RuleSpec
    matches: int
    manual: int
    # (transaction id, date, description, current category id, new (category_id, source, confidence, rule_id)),
    # the rule id being None where the rule under test decides (its id is known only once saved)
    changes: tuple[tuple[int, dt.date, str, int | None, tuple], ...]


def _rule_effect(session: Session, *, user_id: int, spec: RuleSpec, rule_id: int | None) -> _RuleEffect:
    """What saving this rule (new, or replacing ``rule_id``) does to existing transactions.

    The single source of both :func:`preview_rule` and :func:`save_rule_and_apply`, so that
    saving changes exactly what the test showed. A non-manual transaction changes when

    * the rule becomes its first match and gives it another category, or
    * (editing) the rule decided it before, no longer does, and the rules now in force give
      another category (none at all when no rule matches, as re-applying would).

    Nothing else is touched: other rules are not re-applied to every row here (that is the
    "Re-apply rules" action), so a category set by the import or the demo stays.
    """
    clean = validate_rule_spec(session, user_id=user_id, spec=spec)
    origin = "user"
    if rule_id is not None:
        origin = _own_rule(session, user_id, rule_id).origin
    current = list(_rule_rows(session, user_id))
    others = [r for r in current if r.id != rule_id]
    candidate = replace(_candidate_rule_row(clean, rule_id, is_global=False), origin=origin)
    # place it like list order does: user rules by (priority, id); a new rule goes after equal priorities
    prio = _priorities(session, user_id)
    prio[candidate.id] = clean.priority
    user_rules = [r for r in others if not r.is_global] + ([candidate] if clean.is_active else [])
    user_rules.sort(key=lambda r: (prio.get(r.id, DEFAULT_USER_PRIORITY), r.id if r.id >= 0 else 1 << 62))
    rows_new = tuple(user_rules + [r for r in others if r.is_global])
    only = _compiled_rules((candidate,))
    ruleset = _compiled_rules(rows_new)
    stmt = select(
        Transaction.id, Transaction.date, Transaction.description, Transaction.amount_minor, Transaction.kind,
        Transaction.account, Transaction.category_id, Transaction.category_manual, Transaction.category_source,
        Transaction.rule_id,
    ).where(Transaction.user_id == user_id)
    rows = session.execute(stmt).all()
    quick = _match_rows(only, [(r.description, r.amount_minor, r.kind, r.account) for r in rows]) if clean.is_active \
        else [None] * len(rows)
    picked = [(r, q is not None) for r, q in zip(rows, quick)
              if q is not None or (rule_id is not None and r.rule_id == rule_id)]
    decided = _match_rows(ruleset, [(r.description, r.amount_minor, r.kind, r.account) for r, _ in picked])
    matches = manual = 0
    changes = []
    for (r, matched), hit in zip(picked, decided):
        mine = hit is not None and hit.row.id == candidate.id
        if r.category_manual:
            manual += matched
            continue
        if mine:
            matches += 1
            if r.category_id != clean.category_id:
                changes.append((r.id, r.date, r.description, r.category_id,
                                (clean.category_id, hit.source, hit.row.confidence, None)))
        elif r.rule_id == rule_id and rule_id is not None:  # the edited rule lets go of it
            new = _rules_say(hit, r.category_source)
            if new is None:
                continue
            if new[0] != r.category_id:
                changes.append((r.id, r.date, r.description, r.category_id, new))
    return _RuleEffect(clean=clean, matches=matches, manual=manual, changes=tuple(changes))


def preview_rule(
    session: Session, *, user_id: int, spec: RuleSpec, rule_id: int | None = None, sample_size: int = 20
) -> RulePreview:
    """What saving this rule (new, or replacing ``rule_id``) would do to existing transactions.

    Counts the user's non-manual transactions the rule would decide (it is the first match)
    and how many transactions would change category ("this rule would change 37
    transactions"): exactly what :func:`save_rule_and_apply` then changes.
    """
    effect = _rule_effect(session, user_id=user_id, spec=spec, rule_id=rule_id)
    names = _category_names(session, user_id)
    sample = tuple(
        (tid, day, description, names.get(old) if old else None, names.get(new[0]) if new[0] else None)
        for tid, day, description, old, new in effect.changes[:sample_size]
    )
    return RulePreview(matches=effect.matches, would_change=len(effect.changes), manual_skipped=effect.manual,
                       sample=sample)


def _priorities(session: Session, user_id: int) -> dict[int, int]:
    return {rid: p for rid, p in session.execute(select(Rule.id, Rule.priority).where(Rule.user_id == user_id))}


def save_rule_and_apply(
    session: Session, *, user_id: int, spec: RuleSpec, rule_id: int | None = None, apply: bool = True
) -> tuple[RuleView, int]:
    """Create (or update) a rule; with ``apply``, make exactly the changes :func:`preview_rule` reports.

    Returns the rule and how many transactions changed category. Other rules are not
    re-applied (see :func:`_rule_effect`); hand-set categories are never touched.
    """
    effect = _rule_effect(session, user_id=user_id, spec=spec, rule_id=rule_id) if apply else None
    view = (
        update_rule(session, user_id=user_id, rule_id=rule_id, spec=spec)
        if rule_id is not None
        else create_rule(session, user_id=user_id, spec=spec)
    )
    if not effect or not effect.changes:
        return view, 0
    now = utcnow()
    updates = [
        {"id": tid, "category_id": new[0], "category_source": new[1], "category_confidence": new[2],
         "rule_id": view.id if (new[0] is not None and new[3] is None) else new[3], "updated_at": now}
        for tid, _, _, _, new in effect.changes
    ]
    for start in range(0, len(updates), 1000):
        session.execute(update(Transaction), updates[start : start + 1000])
    touch_data(session, user_id)
    return view, len(updates)


# =========================================================================== learning
def _learned_rule_for(session: Session, user_id: int, key: str) -> Rule | None:
    return session.scalar(
        select(Rule).where(
            Rule.user_id == user_id, Rule.origin == "learned", Rule.match_type == "exact", Rule.pattern == key
        )
    )


def _learned_spec(key: str, category_id: int, category_name: str) -> RuleSpec:
    return RuleSpec(
        category_id=category_id, pattern=key, match_type="exact", name=f"Learned: {key[:70]} → {category_name}"[:MAX_RULE_NAME],
        priority=LEARNED_PRIORITY,
    )


def _merchant_transactions(session: Session, user_id: int, key: str, exclude_id: int | None = None):
    """The user's transactions whose learning key is ``key`` (keys computed per distinct description)."""
    descriptions = [
        d for (d,) in session.execute(select(Transaction.description).where(Transaction.user_id == user_id).distinct())
    ]
    wanted = [d for d in descriptions if learn_key(d) == key]
    rows = []
    for start in range(0, len(wanted), 500):
        stmt = select(
            Transaction.id, Transaction.description, Transaction.category_id, Transaction.category_manual,
        ).where(Transaction.user_id == user_id, Transaction.description.in_(wanted[start : start + 500]))
        rows.extend(session.execute(stmt).all())
    return [r for r in rows if r.id != exclude_id]


def learn_from_correction(
    session: Session, *, user_id: int, transaction_id: int, category_id: int
) -> LearnOffer:
    """After a user recategorizes a transaction: the rule BudgetWise offers to learn.

    Read-only. The offer names the merchant (learning key), the rule it would create (or
    the learned rule it would update) and how many other past transactions it would change.
    Call :func:`accept_learn_offer` when the user agrees.
    """
    txn = session.scalar(select(Transaction).where(Transaction.id == transaction_id, Transaction.user_id == user_id))
    if txn is None:
        raise NotFoundError(f"Transaction {transaction_id} does not exist.")
    cat = categories_service.get_category(session, user_id=user_id, category_id=int(category_id))
    key = learn_key(txn.description)
    spec = _learned_spec(key, cat.id, cat.name)
    existing = _learned_rule_for(session, user_id, key) if key else None
    past = manual = 0
    if key:
        for r in _merchant_transactions(session, user_id, key, exclude_id=txn.id):
            if r.category_manual:
                manual += 1
            elif r.category_id != cat.id:
                past += 1
    return LearnOffer(
        transaction_id=txn.id, merchant=key, category_id=cat.id, category_name=cat.name, rule_name=spec.name,
        rule_match_type="exact", rule_pattern=key, existing_rule_id=existing.id if existing else None,
        matching_past=past, matching_manual=manual,
    )


def accept_learn_offer(session: Session, *, user_id: int, offer: LearnOffer, apply_to_past: bool = True) -> int:
    """Create (or update) the learned rule of an offer; apply it to past non-manual transactions.

    Future transactions of this merchant follow the rule automatically. Returns how many
    past transactions changed.
    """
    if not offer.merchant:
        return 0
    _upsert_learned_rule(session, user_id, offer.merchant, offer.category_id)
    touch_data(session, user_id)
    if not apply_to_past:
        return 0
    ids = [r.id for r in _merchant_transactions(session, user_id, offer.merchant) if not r.category_manual]
    return apply_rules_to_transactions(session, user_id=user_id, transaction_ids=ids) if ids else 0


def _upsert_learned_rule(session: Session, user_id: int, key: str, category_id: int) -> Rule:
    cat = categories_service.get_category(session, user_id=user_id, category_id=int(category_id))
    spec = _learned_spec(key, cat.id, cat.name)
    existing = _learned_rule_for(session, user_id, key)
    if existing is not None:
        existing.category_id = cat.id
        existing.name = spec.name
        existing.is_active = True
        existing.updated_at = utcnow()
        session.flush()
        return existing
    if count_rules(session, user_id=user_id) >= MAX_RULES_PER_USER:
        raise ValidationError(f"You already have {MAX_RULES_PER_USER:,} rules; delete some first.")
    rule = Rule(
        user_id=user_id, category_id=cat.id, name=spec.name, priority=LEARNED_PRIORITY, match_type="exact",
        pattern=key, origin="learned", is_active=True,
    )
    session.add(rule)
    session.flush()
    return rule


def learn_and_apply(
    session: Session, *, user_id: int, transaction_id: int, category_id: int, apply_to_past: bool = True
) -> tuple[LearnOffer, int]:
    """One call for callers that do not ask: offer + accept. Returns (offer, past changed)."""
    offer = learn_from_correction(session, user_id=user_id, transaction_id=transaction_id, category_id=category_id)
    return offer, accept_learn_offer(session, user_id=user_id, offer=offer, apply_to_past=apply_to_past)


def learn_from_labeled(session: Session, *, user_id: int, rows: Sequence[tuple[str, int]]) -> int:
    """Learn merchant habits from (description, category_id) pairs, as if each were corrected by hand.

    For each merchant (learning key) the most frequent category wins. A learned rule is
    created (or updated) where the user's current rules would not already give that
    category. Returns how many learned rules were created or changed. Does not touch
    transactions (call :func:`apply_rules_to_transactions` for that).
    """
    votes: dict[str, dict[int, int]] = defaultdict(lambda: defaultdict(int))
    checked: set[int] = set()
    for description, category_id in rows:
        if category_id is None:
            continue
        cid = int(category_id)
        if cid not in checked:
            categories_service.get_category(session, user_id=user_id, category_id=cid)
            checked.add(cid)
        key = learn_key(clean_text(description)[:MAX_TEXT])
        if key:
            votes[key][cid] += 1
    if not votes:
        return 0
    ruleset = _compiled_rules(_rule_rows(session, user_id))
    changed = 0
    for key, counts in votes.items():
        cid = max(counts.items(), key=lambda kv: (kv[1], -kv[0]))[0]
        existing = _learned_rule_for(session, user_id, key)
        if existing is not None:
            if existing.category_id != cid:
                _upsert_learned_rule(session, user_id, key, cid)
                changed += 1
            continue
        # would the current rules already say so for this merchant (either direction)?
        hits = _match_rows(ruleset, [(key, 1, "expense", None), (key, 1, "income", None)])
        if any(h is not None and not h.is_fallback and h.row.category_id == cid for h in hits):
            continue
        _upsert_learned_rule(session, user_id, key, cid)
        changed += 1
    if changed:
        touch_data(session, user_id)
    return changed


# =========================================================================== external labels
# Labels that say nothing about where money went (banks' catch-alls and their translations):
# mapped to no category, so the rows go through the rules instead (folded, punctuation as spaces).
VAGUE_LABELS = frozenset({
    "general", "other", "others", "misc", "miscellaneous", "misc expenses", "miscellaneous expenses",
    "uncategorized", "uncategorised", "unknown", "none", "n a", "na", "other expenses", "other expense",
    "not categorized", "not categorised", "no category", "general purchases", "general merchandise",
    "sonstiges", "sonstige", "allgemein", "divers", "autres", "autre", "otros", "otro", "varios", "varie",
    "altro", "altri", "overig", "overige", "diversen", "outros", "outro", "geen categorie", "sin categoria",
    "sans categorie", "ohne kategorie", "nicht kategorisiert",
})


def map_external_categories(session: Session, *, user_id: int, labels: Sequence[str]) -> dict[str, int | None]:
    """Suggest a BudgetWise category for each of another app's category labels (None = no idea).

    A vague label ("general", "other", "misc", "uncategorized", ... see :data:`VAGUE_LABELS`)
    maps to nothing, unless the user has a category of their own by that name: the rows then
    go through the rules. Otherwise the user's own category of the same name wins, then a
    default of that name, then the synonym table in :mod:`budgetwise.services.default_rules` (Mint-style labels in several
    languages), then the default rules run on the label itself.
    """
    from budgetwise.services.default_rules import EXTERNAL_CATEGORY_SYNONYMS

    cats = categories_service.list_categories(session, user_id=user_id)
    by_name: dict[str, int] = {}
    for c in sorted(cats, key=lambda c: c.is_global, reverse=True):
        by_name[fold(c.name)] = c.id  # the user's own (non-global) category overrides
    own = {fold(c.name) for c in cats if not c.is_global}
    synonyms = {fold(k): v for k, v in EXTERNAL_CATEGORY_SYNONYMS.items()}
    ruleset = _compiled_rules(_rule_rows(session, user_id, include_user=False))
    out: dict[str, int | None] = {}
    for label in labels:
        if label in out:
            continue
        key = fold(clean_text(label))
        key_simple = re.sub(r"[^a-z0-9&]+", " ", key).strip()
        target: int | None = None
        if not key_simple:
            out[label] = None
            continue
        if key_simple in VAGUE_LABELS and key not in own:
            out[label] = None  # "general", "other", "misc": says nothing about the merchant
            continue
        if key in by_name:
            target = by_name[key]
        else:
            for candidate in (key, key_simple, key_simple.replace(" and ", " & ")):
                name = synonyms.get(candidate)
                if name is not None:
                    target = by_name.get(fold(name))
                    break
            if target is None:
                # "Food & Dining: Restaurants" / "Auto & Transport > Gas": the most specific part first
                parts = [p.strip() for p in re.split(r"[:>/|]", key) if p.strip()]
                for part in reversed(parts if len(parts) > 1 else []):
                    name = synonyms.get(part) or synonyms.get(re.sub(r"[^a-z0-9&]+", " ", part).strip())
                    if name is None and fold(part) in by_name:
                        target = by_name[fold(part)]
                        break
                    if name is not None:
                        target = by_name.get(fold(name))
                        break
            if target is None:
                hits = _match_rows(ruleset, [(key, 1, "expense", None)])
                if hits[0] is not None and not hits[0].is_fallback:
                    target = hits[0].row.category_id
        out[label] = target
    return out


# =========================================================================== the per-user model
class _Model:
    """TF-IDF character n-grams of the learning key + logistic regression.

    A suggestion also needs support: the text must resemble (cosine similarity of the
    TF-IDF vectors) at least one transaction the user categorized by hand. Without it,
    an unseen merchant would just get the user's most common category.
    """

    def __init__(self, pipeline, train_matrix, classes: list[int]):
        self.pipeline = pipeline
        self.train_matrix = train_matrix
        self.classes = classes

    @staticmethod
    def features(description: str, kind: str) -> str:
        return f"{'+' if kind == 'income' else '-'} {learn_key(description)}"

    def predict(self, descriptions: Sequence[str], kinds: Sequence[str]) -> list[tuple[int | None, float]]:
        feats = [self.features(d, k) for d, k in zip(descriptions, kinds)]
        unique = list(dict.fromkeys(feats))
        vectorizer = self.pipeline.named_steps["tfidfvectorizer"]
        clf = self.pipeline.named_steps["logisticregression"]
        matrix = vectorizer.transform(unique)
        similarity = (matrix @ self.train_matrix.T).max(axis=1).toarray().ravel()
        proba = clf.predict_proba(matrix)
        best = proba.argmax(axis=1)
        by_feat = {}
        for i, f in enumerate(unique):
            if similarity[i] < MODEL_MIN_SIMILARITY:
                by_feat[f] = (None, 0.0)
            else:
                by_feat[f] = (int(clf.classes_[best[i]]), float(proba[i, best[i]]))
        return [by_feat[f] for f in feats]


_MODEL_CACHE: OrderedDict[tuple, _Model | None] = OrderedDict()
_MODEL_LOCK = threading.Lock()
_MODEL_CACHE_SIZE = 8


def _training_rows(session: Session, user_id: int) -> list[tuple[str, str, int]]:
    stmt = (
        select(Transaction.description, Transaction.kind, Transaction.category_id)
        .join(Category, Category.id == Transaction.category_id)
        .where(
            Transaction.user_id == user_id,
            Transaction.category_manual.is_(True),
            Transaction.category_id.is_not(None),
            Category.is_archived.is_(False),
        )
        .order_by(Transaction.date.desc(), Transaction.id.desc())
        .limit(MODEL_MAX_EXAMPLES)
    )
    return [(d, k, c) for d, k, c in session.execute(stmt)]


def _fit_model(examples: tuple[tuple[str, int, int], ...]) -> _Model | None:
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import make_pipeline

    texts = [t for t, _, _ in examples]
    labels = [c for _, c, _ in examples]
    weights = [min(w, 5) for _, _, w in examples]  # a merchant seen 50 times should not drown the rest
    pipeline = make_pipeline(
        TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 4), sublinear_tf=True, min_df=1, max_features=50_000),
        LogisticRegression(C=20.0, max_iter=2000, class_weight="balanced"),
    )
    pipeline.fit(texts, labels, logisticregression__sample_weight=weights)
    train_matrix = pipeline.named_steps["tfidfvectorizer"].transform(texts)
    return _Model(pipeline, train_matrix, sorted(set(labels)))


def _user_model(session: Session, user_id: int) -> _Model | None:
    """The user's model, trained on their hand-categorized transactions (None: not enough data).

    Fitted models are memoized by the exact training set, so a model is refitted only when
    the user's labels change.
    """
    rows = _training_rows(session, user_id)
    if len(rows) < MODEL_MIN_EXAMPLES:
        return None
    counts: dict[tuple[str, int], int] = defaultdict(int)
    for description, kind, category_id in rows:
        counts[(_Model.features(description, kind), int(category_id))] += 1
    if len({c for _, c in counts}) < MODEL_MIN_CATEGORIES:
        return None
    examples = tuple(sorted((t, c, n) for (t, c), n in counts.items()))
    key = (hash(examples), len(examples))
    with _MODEL_LOCK:
        if key in _MODEL_CACHE:
            _MODEL_CACHE.move_to_end(key)
            return _MODEL_CACHE[key]
    model = _fit_model(examples)
    with _MODEL_LOCK:
        _MODEL_CACHE[key] = model
        while len(_MODEL_CACHE) > _MODEL_CACHE_SIZE:
            _MODEL_CACHE.popitem(last=False)
    return model


def model_status(session: Session, *, user_id: int) -> tuple[bool, int]:
    """(whether suggestions are available, how many hand-categorized transactions exist)."""
    n = len(_training_rows(session, user_id))
    return (_user_model(session, user_id) is not None, n)


def suggest_for_transactions(
    session: Session, *, user_id: int, transaction_ids: Sequence[int]
) -> dict[int, Suggestion]:
    """Model suggestions for these (uncategorized or not) transactions of the user."""
    ids = sorted({int(i) for i in transaction_ids})
    if not ids:
        return {}
    model = _user_model(session, user_id)
    if model is None:
        return {}
    names = _category_names(session, user_id)
    rows = []
    for start in range(0, len(ids), 900):
        rows.extend(
            session.execute(
                select(Transaction.id, Transaction.description, Transaction.kind).where(
                    Transaction.user_id == user_id, Transaction.id.in_(ids[start : start + 900])
                )
            ).all()
        )
    preds = model.predict([r.description for r in rows], [r.kind for r in rows])
    out = {}
    for r, (cid, p) in zip(rows, preds):
        if cid is not None and cid in names and p >= MODEL_MIN_CONFIDENCE:
            out[r.id] = Suggestion(r.id, cid, names[cid], round(float(p), 4))
    return out


def accept_suggestions(session: Session, *, user_id: int, accepted: Sequence[tuple[int, int, float]]) -> int:
    """Store accepted suggestions (transaction_id, category_id, confidence): they now stick like manual ones."""
    if not accepted:
        return 0
    ids = sorted({int(t) for t, _, _ in accepted})
    owned = set()
    for start in range(0, len(ids), 900):
        owned.update(
            session.scalars(
                select(Transaction.id).where(Transaction.user_id == user_id, Transaction.id.in_(ids[start : start + 900]))
            )
        )
    missing = [i for i in ids if i not in owned]
    if missing:
        raise NotFoundError(f"Transaction {missing[0]} does not exist; nothing was changed.")
    for cid in {int(c) for _, c, _ in accepted}:
        categories_service.get_category(session, user_id=user_id, category_id=cid)
    changes = [
        {"id": int(t), "category_id": int(c), "category_manual": True, "category_source": SOURCE_MODEL,
         "category_confidence": float(p), "rule_id": None, "updated_at": utcnow()}
        for t, c, p in accepted
    ]
    for start in range(0, len(changes), 1000):
        session.execute(update(Transaction), changes[start : start + 1000])
    touch_data(session, user_id)
    return len(changes)


# =========================================================================== the review queue
@dataclass(frozen=True)
class ReviewRow:
    id: int
    date: dt.date
    description: str
    amount_minor: int
    currency: str
    kind: str
    account: str | None
    category_id: int | None
    category_name: str | None
    category_source: str | None
    confidence: float | None
    suggestion: Suggestion | None = None


def review_queue(
    session: Session, *, user_id: int, limit: int = 200, include_confident: bool = False,
    date_from: dt.date | None = None, date_to: dt.date | None = None, text: str = "",
) -> tuple[list[ReviewRow], int]:
    """Transactions to look at first: uncategorized, then low-confidence, newest first.

    Returns (rows, total waiting). Uncategorized rows, and rows holding only a guess of a
    fallback rule, carry the model's suggestion if any. With ``include_confident`` every
    non-manual transaction is listed after those.
    """
    limit = max(1, min(int(limit), 1000))
    low = or_(Transaction.category_id.is_(None), and_(
        Transaction.category_manual.is_(False), Transaction.category_confidence < LOW_CONFIDENCE
    ))
    base = (
        select(Transaction, Category.name)
        .outerjoin(Category, Category.id == Transaction.category_id)
        .where(Transaction.user_id == user_id)
    )
    if not include_confident:
        base = base.where(low)
    else:
        base = base.where(or_(low, Transaction.category_manual.is_(False)))
    if date_from is not None:
        base = base.where(Transaction.date >= date_from)
    if date_to is not None:
        base = base.where(Transaction.date <= date_to)
    needle = clean_text(text)[:100]
    if needle:
        escaped = needle.lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        base = base.where(func.lower(Transaction.description).like(f"%{escaped}%", escape="\\"))
    total = int(session.scalar(select(func.count()).select_from(base.subquery())) or 0)
    stmt = base.order_by(
        Transaction.category_id.is_not(None),  # uncategorized (False) first
        func.coalesce(Transaction.category_confidence, 0.0),
        Transaction.date.desc(),
        Transaction.id.desc(),
    ).limit(limit)
    result = session.execute(stmt).all()
    rows = [
        ReviewRow(
            id=t.id, date=t.date, description=t.description, amount_minor=t.amount_minor, currency=t.currency,
            kind=t.kind, account=t.account, category_id=t.category_id, category_name=name,
            category_source=t.category_source, confidence=t.category_confidence,
        )
        for t, name in result
    ]
    need = {r.id for r in rows if _wants_suggestion(r)}
    if need:
        sugg = suggest_for_transactions(session, user_id=user_id, transaction_ids=sorted(need))
        rows = [replace(r, suggestion=sugg.get(r.id)) if r.id in need else r for r in rows]
    return rows, total


def _wants_suggestion(r: ReviewRow) -> bool:
    if r.category_id is None:
        return True
    return r.category_source == SOURCE_RULE and r.confidence is not None and r.confidence < LOW_CONFIDENCE


def categorization_stats(session: Session, *, user_id: int) -> dict[str, int]:
    """How the user's transactions got their categories (counts by source; 'none' = uncategorized,
    'guess' = a fallback rule's low-confidence guess)."""
    guess = func.coalesce(Transaction.category_confidence, 1.0) < 1.0
    stmt = (
        select(Transaction.category_source, Transaction.category_id.is_(None), guess, func.count(Transaction.id))
        .where(Transaction.user_id == user_id)
        .group_by(Transaction.category_source, Transaction.category_id.is_(None), guess)
    )
    out: dict[str, int] = defaultdict(int)
    for source, is_none, is_guess, n in session.execute(stmt):
        if is_none:
            out["none"] += int(n)
        elif source == SOURCE_RULE and is_guess:
            out["guess"] += int(n)
        else:
            out[source or "other"] += int(n)
    return dict(out)


__all__ = [
    "CategorizeItem", "CategoryGuess", "LearnOffer", "RulePreview", "RuleSpec", "RuleView", "Suggestion",
    "ReviewRow", "categorize_items", "categorize_rows", "apply_rules_to_transactions", "map_external_categories",
    "learn_from_labeled", "learn_from_correction", "accept_learn_offer", "learn_and_apply", "learn_key",
    "list_rules", "get_rule", "create_rule", "update_rule", "delete_rule", "preview_rule", "save_rule_and_apply",
    "admin_create_rule", "admin_update_rule", "admin_delete_rule", "compile_regex", "validate_rule_spec",
    "suggest_for_transactions", "accept_suggestions", "review_queue", "model_status", "categorization_stats",
    "CATEGORY_KINDS", "MATCH_TYPES",
]
