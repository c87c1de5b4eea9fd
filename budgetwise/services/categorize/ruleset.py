"""The compiled rule set and the first-match search over many rows (pure: no Session).

A ``_RuleSet`` is built once per tuple of ``_RuleRow`` (memoized by :func:`_compiled_rules`);
one trie-shaped regex finds, per distinct description, the literals some rule needs, so only
those rules are verified. :func:`_match_rows` shares the work between rows whose
descriptions differ only in digits. Tested without a database.
"""

from __future__ import annotations

import functools
import itertools
import re
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field

from budgetwise.errors import ValidationError
from budgetwise.services import regex_engine
from budgetwise.services.categorize.regex_safety import _checked_structure, _required_literals
from budgetwise.services.categorize.types import (
    MAX_GLOBAL_PATTERN_LENGTH,
    MAX_TEXT,
    SOURCE_LEARNED,
    SOURCE_RULE,
)
from budgetwise.text import fold, plain_letters, zero_digits
from budgetwise.textforms import (
    _fold_pattern,
    _key_from_tokens,
    _strip_accents,
    fast_fold,
    payee_key,
    tokens_form,
)

try:  # Python 3.11+: the parser moved; the old name still works with a warning
    import re._constants as _sre_c  # type: ignore[import-not-found]
    import re._parser as _sre_p  # type: ignore[import-not-found]
except ImportError:  # pragma: no cover
    import sre_constants as _sre_c  # type: ignore[no-redef]
    import sre_parse as _sre_p  # type: ignore[no-redef]


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
    confidence: float = 1.0  # calibrated for shipped default rules, FALLBACK_CONFIDENCE for fallback rules
    fallback: bool = False  # a global fallback rule (priority >= FALLBACK_PRIORITY): its answer is a guess
    group: str | None = None  # a shipped default rule's group (default_rules.rule_group): its calibration group


@dataclass
class _Compiled:
    row: _RuleRow
    order: int
    text: str  # folded pattern (non-regex)
    norm: str  # its words joined by single spaces
    regex: _LazyRegex | None
    account: str | None
    uniform: bool = True  # the text condition treats every ASCII digit alike (see _digit_uniform)
    plain: tuple[str, str] | None = None  # (text, norm) in plain letters (text.plain_letters), where they differ
    # worked out once from ``row`` (read for every row a rule matches):
    source: str = field(init=False)  # the guess's source: 'learned' for a rule learned from corrections, else 'rule'
    is_fallback: bool = field(init=False)  # a global fallback rule: its answer is a guess
    kind_only: bool = field(init=False)  # row_ok checks the kind only (no amount bounds, no account)

    def __post_init__(self) -> None:
        r = self.row
        self.source = SOURCE_LEARNED if r.origin == "learned" else SOURCE_RULE
        self.is_fallback = r.fallback
        self.kind_only = r.min_amount_minor is None and r.max_amount_minor is None and self.account is None

    def text_ok(self, f: str, t: str, k: str) -> bool:
        """f: folded description, t: its words joined by spaces, k: the learning key. A pattern with a letter fold keeps
        whole ("tandlæge") holds in plain letters too ("tandlaege")."""
        mt = self.row.match_type
        if mt == "regex":
            return self.regex is not None and self.regex.search(f) is not None
        return _text_holds(mt, self.text, self.norm, f, t, k) or (
            self.plain is not None and _text_holds(mt, self.plain[0], self.plain[1], f, t, k))

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


def _text_holds(match_type: str, text: str, norm: str, f: str, t: str, k: str) -> bool:
    """A contains / starts-with / exact pattern (folded ``text``, its words ``norm``) on a description (``f``, ``t``,
    ``k`` as :meth:`_Compiled.text_ok`)."""
    if match_type == "contains":
        return norm in t or text in f
    if match_type == "starts_with":  # ... or the merchant (learning key) starts with its words
        return t.startswith(norm) or f.startswith(text) or k == norm or k.startswith(norm + " ")
    return norm == t or norm == k or text == f  # exact


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

    escaped: dict[str, str] = {}

    def esc(ch: str) -> str:
        out = escaped.get(ch)
        if out is None:
            out = escaped[ch] = re.escape(ch)
        return out

    def build(node: dict) -> str:
        if len(node) == 1:  # most nodes: a leaf, or one letter of a longer word (same text as below)
            ch, child = next(iter(node.items()))
            return esc(ch) + build(child) if ch else ""
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
                alts.append(esc(ch) + sub)
        if singles:
            alts.append(esc(singles[0]) if len(singles) == 1 else "[" + "".join(esc(c) for c in singles) + "]")
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


def _never(data: bytes) -> bool:
    return False


class _LazyRegex:
    """One alternative of a rule's regex, compiled the first time its literal is seen.

    Most alternatives of the default rules never meet a matching literal in a given file,
    so most are never compiled. Should an alternative not compile on its own, the whole
    (already validated) regex is used instead: same answer, a little slower.
    """

    __slots__ = ("source", "whole", "compiled", "uniform", "matcher", "own")

    def __init__(self, source: str, whole: _LazyRegex | None) -> None:
        self.source = source
        self.whole = whole
        self.compiled = None
        self.uniform: bool | None = None
        self.matcher: Callable[[bytes], bool] | None = None
        self.own: bool | None = None  # compiled on its own (None: not known yet)

    def _compile(self):
        compiled = self.compiled
        if compiled is None:
            try:  # RE2 (linear time): never Python's backtracking engine for a rule's pattern
                compiled = regex_engine.compile_rule_regex(self.source)
            except regex_engine.UnsupportedRegex:
                compiled = self.whole if self.whole is not None else _NEVER  # a rule that cannot compile never matches
            self.compiled = compiled
        return compiled

    def search(self, text: str):
        return self._compile().search(text)

    def found(self, data: bytes) -> bool:
        """``search(text) is not None`` for the text's UTF-8 bytes (see regex_engine.compile_rule_matcher)."""
        matcher = self.matcher
        if matcher is None:
            matcher = self._matcher()
        return matcher(data)

    def _matcher(self) -> Callable[[bytes], bool]:
        """The match-only function, compiled once (no ``search`` object: an alternative that compiles
        as a matcher compiles as a regex, and the other way round)."""
        if self.compiled is not None:  # ``search`` compiled it already: same outcome
            compiled = self.compiled
            if compiled is self.whole and self.whole is not None:
                matcher = self.whole.found
            elif compiled is _NEVER:
                matcher = _never
            else:
                matcher = regex_engine.compile_rule_matcher(self.source)
        else:
            try:
                matcher = regex_engine.compile_rule_matcher(self.source)
                self.own = True
            except regex_engine.UnsupportedRegex:  # as _compile: the whole regex, or never
                self.own = False
                matcher = self.whole.found if self.whole is not None else _never
        self.matcher = matcher
        return matcher

    def compiles_alone(self) -> bool:
        """Whether this alternative runs on its own (not through the whole regex)."""
        if self.own is None:
            if self.compiled is not None:
                self.own = self.compiled is not self.whole
            else:
                self._matcher()
        return bool(self.own) or self.whole is None

    def is_uniform(self) -> bool:
        """Whether this alternative gives the same answer on a text and its zeroed digits
        (see :func:`_digit_uniform`); never when it falls back to the whole regex."""
        uniform = self.uniform
        if uniform is None:
            try:
                uniform = self.compiles_alone() and _uniform_items(list(_sre_p.parse(self.source, re.IGNORECASE)))
            except (re.error, OverflowError, RecursionError):
                uniform = False
            self.uniform = uniform
        return uniform


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
            regex = parsed = plain = None
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
                if plain_letters(text) != text:
                    plain = (plain_letters(text), tokens_form(plain_letters(text)))
            order = len(self.rules)
            self.rules.append(
                _Compiled(row=row, order=order, text=text, norm=norm, regex=regex,
                          account=fold(row.account) if row.account else None,
                          uniform=_digit_uniform(text, parsed), plain=plain)
            )
            values = {text, norm, *(plain or ())} - {""}
            if row.match_type == "exact":
                for value in values:
                    self.exact[value].append(order)
            elif row.match_type == "starts_with":
                for value in values:
                    self.starts[len(value)][value].append(order)
            elif row.match_type == "contains":
                for value in {_canon(v[: self.PREFIX]) for v in values}:
                    literal_hits[value].append((order, None))
            else:
                self._add_regex(order, row.pattern, regex, literal_hits)
        self.literal_hits = dict(literal_hits)
        self.literals = tuple(sorted(self.literal_hits))
        self._hits_of = tuple(tuple(self.literal_hits[lit]) for lit in self.literals)
        # every literal in a text in one pass (an RE2 set); the trie regex below where that cannot run
        self._literal_set = regex_engine.literal_finder(self.literals)
        self._trie: tuple[re.Pattern, dict] | None = None
        self.exact = dict(self.exact)
        self.starts = {n: dict(d) for n, d in self.starts.items()}
        # rules outside the digit-uniform class (a prefilter without any needs no split: most texts)
        self.not_uniform = frozenset(o for o, rule in enumerate(self.rules) if not rule.uniform)
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

    def _trie_finder(self) -> tuple[re.Pattern, dict[str, tuple[tuple[int, _LazyRegex | None], ...]]]:
        """The literal finder without RE2's set: one trie-shaped regex giving the longest literal at
        each position, and each literal's hits with those of the literals that are its prefixes
        (found at the same position). Built the first time it is needed."""
        if self._trie is None:
            lit_set = set(self.literals)
            closure: dict[str, tuple[tuple[int, _LazyRegex | None], ...]] = {}
            for lit in self.literals:
                hits: list[tuple[int, _LazyRegex | None]] = []
                for i in range(1, len(lit) + 1):
                    if lit[:i] in lit_set:
                        hits.extend(self.literal_hits[lit[:i]])
                closure[lit] = tuple(hits)
            self._trie = (re.compile("(?=(" + _trie_regex(self.literals) + "))"), closure)
        return self._trie

    def literal_hits_in(self, hay: str) -> list[tuple[tuple[int, _LazyRegex | None], ...]]:
        """The hits (rule order, regex alternative or None) of every literal occurring in ``hay``,
        grouped by literal (a rule or alternative may come more than once)."""
        if not self.literals:
            return []
        if self._literal_set is not None:
            try:
                data = hay.encode("utf-8")
            except UnicodeEncodeError:  # a lone surrogate: not UTF-8, the trie regex reads it
                pass
            else:
                hits_of = self._hits_of
                return [hits_of[i] for i in self._literal_set(data)]
        finder, closure = self._trie_finder()
        return [closure[lit] for lit in set(finder.findall(hay))]

    def prefilter(self, fc: str, tc: str) -> dict[int, list[_LazyRegex] | None]:
        """Candidate rules for a digit-canonical text (a superset for every real text behind it).

        Value None: check the rule's whole text condition; a list: the regex alternatives
        whose literal occurs.
        """
        found: dict[int, list[_LazyRegex] | None] = {o: None for o in self.always}
        for hits in self.literal_hits_in(fc if fc == tc else f"{fc}\x00{tc}"):
            for o, sub in hits:
                if sub is None:
                    found[o] = None
                elif o not in found:
                    found[o] = [sub]
                else:
                    subs = found[o]
                    if subs is not None:
                        subs.append(sub)
        return found

    def verify(
        self, f: str, t: str | None, k: str, pre: dict[int, list[_LazyRegex] | None],
        uniform: bool | None = None, also: frozenset[int] | set[int] = frozenset(),
    ) -> list[_Compiled]:
        """Rules whose text condition holds for this real text, in order (``t`` computed if needed).

        ``uniform`` True/False: only the digit-uniform rules / only the others; None: all.
        ``also``: rules checked whatever their class (regex rules whose found alternatives
        are all digit-uniform, checked on the zeroed text).
        """
        found = pre
        if self.exact or self.starts or None in pre.values():
            if t is None:
                t = tokens_form(f)
            if self.exact or self.starts:
                found = dict(pre)
                for value in {f, t, k}:
                    for o in self.exact.get(value, ()):
                        found[o] = None
                for n, table in self.starts.items():
                    for value in {f[:n], t[:n], k[:n]}:
                        for o in table.get(value, ()):
                            found[o] = None
        out = []
        data: bytes | None = None  # f's UTF-8, encoded for the first regex
        for o in sorted(found):
            rule = self.rules[o]
            if uniform is not None and rule.uniform is not uniform and o not in also:
                continue
            subs = found[o]
            if subs is None:
                ok = rule.text_ok(f, t or tokens_form(f), k)
            else:
                if data is None:
                    data = f.encode("utf-8")  # strict, as the RE2 binding encodes a str
                ok = False
                for sub in subs:
                    if sub.found(data):
                        ok = True
                        break
            if ok:
                out.append(rule)
        return out

    def candidates(self, f: str, t: str, k: str) -> list[_Compiled]:
        return self.verify(f, t, k, self.prefilter(_canon(f), _canon(t)))


_DIGITS = re.compile(r"\d+")
# ASCII letters lowered (casefold on ASCII) and digits zeroed (zero_digits), in one bytes.translate
_LOWER_ZERO = bytes.maketrans(b"ABCDEFGHIJKLMNOPQRSTUVWXYZ123456789", b"abcdefghijklmnopqrstuvwxyz000000000")


_UTR_HINT = re.compile(r"[a-z]{4}[nr]0")  # a digit-canonical word that may be a NEFT / RTGS reference (textforms._UTR)


Shared = frozenset[str]  # the words the user's and the batch's descriptions share (knowledge.shared_text)


def _key(tokens: str, folded: str, shared: Shared) -> str:
    """The learning key of a text's tokens form (:func:`textforms.learn_key`, with the shared words' fallback)."""
    key = _key_from_tokens(tokens, folded=folded)
    return payee_key(key, tokens, shared) if shared else key


def utr_key(text: str, shared: Shared = frozenset()) -> str:
    """The learning key of a text that may hold an Indian NEFT / RTGS reference (:data:`_UTR_HINT` on its
    digit-canonical form), read on its digit-zeroed form: the reference's digit count decides that it is one
    ("NEFT-HDFCN30102597745-SMITHS-PUNE" -> "smiths pune", as :func:`textforms.learn_key`; the digit-canonical
    "hdfcn0" would read as a name glued to a number: "hdfcn smiths pune", a key every NEFT line from that bank
    starts with). The merchant memory's key of such rows, learning and asking alike (since session 15)."""
    zeroed = zero_digits(fast_fold(text[:MAX_TEXT]))
    return _key(tokens_form(zeroed), zeroed, shared)


def _canon(text: str) -> str:
    """Digit runs as a single 0: descriptions that differ only in numbers share the prefilter."""
    return _DIGITS.sub("0", text)


@functools.lru_cache(maxsize=16)
def _compiled_rules(rows: tuple[_RuleRow, ...]) -> _RuleSet:
    return _RuleSet(rows)


def _texts(description: str, shared: Shared = frozenset()) -> tuple[str, str, str]:
    """(folded description, its words joined by spaces, learning key)."""
    f = fast_fold((description or "")[:MAX_TEXT])
    t = tokens_form(f)
    return f, t, _key(t, f, shared)


def _split_by_digits(ruleset: _RuleSet, pre: dict[int, list[_LazyRegex] | None]) -> tuple[dict, set[int]]:
    """Of a prefilter's candidates outside the digit-uniform class: (those each real text must
    be checked against, the regex rules whose found alternatives are all digit-uniform)."""
    rest: dict[int, list[_LazyRegex] | None] = {}
    alike: set[int] = set()
    if ruleset.not_uniform.isdisjoint(pre):
        return rest, alike
    for o, subs in pre.items():
        if ruleset.rules[o].uniform:
            continue
        if subs is not None and all(sub.is_uniform() for sub in subs):
            alike.add(o)
        else:
            rest[o] = subs
    return rest, alike


class _ZeroedWork:
    """:func:`_match_rows`' work per digit-zeroed and per digit-canonical text (one batch)."""

    def __init__(self, ruleset: _RuleSet, key_out: dict[str, str] | None, shared: Shared = frozenset()) -> None:
        self.ruleset = ruleset
        self.shared = shared
        self.key_out = key_out
        self.per_zero: dict[str, tuple[list[_Compiled], dict, str, str]] = {}
        self.per_canon: dict[str, tuple[dict, str, tuple[dict, set[int]]]] = {}
        self.by_key = bool(ruleset.exact or ruleset.starts)  # only exact and starts-with rules read the learning key
        self.with_key = self.by_key or key_out is not None

    def fill(self, zeroed: Sequence[str]) -> dict[str, tuple[list[_Compiled], dict, str, str]]:
        """Every digit-zeroed text's entry (rules whose text condition holds on it, rules to check per real text,
        learning key, canonical text), worked out stage by stage over the batch's distinct texts: each stage is one
        tight loop (the per-text work interleaved with the per-row work ran ~1.5x slower on a busy machine; session
        22). Texts are taken in the order given: the first digit-zeroed text of a canonical text reads its NEFT key."""
        ruleset, shared, per_zero, per_canon = self.ruleset, self.shared, self.per_zero, self.per_canon
        new = [f0 for f0 in dict.fromkeys(zeroed) if f0 not in per_zero]
        canon = [_canon(f0) for f0 in new]
        first: dict[str, str] = {}  # each new canonical text -> its first digit-zeroed text
        for f0, fc in zip(new, canon):
            if fc not in per_canon and fc not in first:
                first[fc] = f0
        fcs = list(first)
        tcs = [tokens_form(fc) for fc in fcs]
        found = [ruleset.prefilter(fc, tc) for fc, tc in zip(fcs, tcs)]
        keys = [_key(tc, fc, shared) for fc, tc in zip(fcs, tcs)] if self.with_key else [""] * len(fcs)
        for fc, cands, key in zip(fcs, found, keys):  # (candidates, learning key, candidates split by digit class)
            per_canon[fc] = (cands, key, _split_by_digits(ruleset, cands))
        if self.key_out is not None:  # the memory's key: an NEFT / RTGS reference read with its digit count
            key_out, hint = self.key_out, _UTR_HINT.search
            for fc, key in zip(fcs, keys):
                key_out[fc] = utr_key(first[fc], shared) if hint(fc) else key
        by_key, verify = self.by_key, ruleset.verify
        for f0, fc in zip(new, canon):
            pre = per_canon[fc]
            # the key of the digit-canonical text is f0's, except where a digit run's length decides: a word with a
            # digit kept, or an Indian NEFT / RTGS reference (nine digits or more after four letters and N / R:
            # "utibn0" of "UTIBN81930364262" read as a name glued to a number gave "utibn metro via pune" where
            # learn_key, and so the offer that counted the rows, gives "metro via pune"; session 14)
            k0 = pre[1] if (not by_key or ("0" not in pre[1] and not _UTR_HINT.search(fc))) \
                else _key(tokens_form(f0), f0, shared)
            rest, alike = pre[2]
            per_zero[f0] = (verify(f0, None, k0, pre[0], uniform=True, also=alike), rest, k0, fc)
        return per_zero


def _match_rows(
    ruleset: _RuleSet, items: Sequence[tuple[str, int, str, str | None]],
    canon_out: dict[str, str] | None = None,
    key_out: dict[str, str] | None = None,
    shared: Shared = frozenset(),
) -> list[_Compiled | None]:
    """First matching rule per (description, amount_minor, kind, account).

    Work is shared: the prefilter runs once per digit-canonical description (digit runs as
    one 0), the digit-uniform rules are checked once per zeroed description (every digit a
    0: "card 4711 ref 123" and "card 0815 ref 456" share it), only the few other rules per
    distinct description, and the amount/type/account check per row. An ASCII description is
    lowered and zeroed in one ``bytes.translate`` before its spaces are folded, so descriptions
    differing only in case and digits reach their zeroed text without folding each. ``canon_out``
    (if given) receives each description's digit-canonical folded text, ``key_out`` the learning
    key of each such text (for the history layer; worked out only when asked for or when an
    exact or starts-with rule reads it); ``shared``: the words the user's and the batch's descriptions share
    (a key of those only falls back to the payee's words, :func:`textforms.payee_key`). A description with a letter
    fold keeps whole ("LØNN", "WYPŁATA") is read a second time in plain letters (:func:`_plain_reading`).
    """
    # 1. each distinct description's digit-zeroed text: an ASCII description lowercased and digit-zeroed in one
    # bytes.translate before its spaces are folded (descriptions differing only in digits and case share it)
    descriptions = list(dict.fromkeys([item[0] for item in items]))
    zeroed: list[str] = []
    per_raw: dict[bytes, str] = {}
    lower_zero = _LOWER_ZERO
    for description in descriptions:
        d = description[:MAX_TEXT]
        if d.isascii():  # fast_fold then zero_digits, for ASCII text: lower, zero, join the words
            raw = d.encode("ascii").translate(lower_zero)
            f0 = per_raw.get(raw)
            if f0 is None:
                f0 = per_raw[raw] = " ".join(raw.decode("ascii").split())
        else:
            f0 = zero_digits(fast_fold(d))
        zeroed.append(f0)
    # 2. each distinct digit-zeroed (and digit-canonical) text's work, stage by stage
    work = _ZeroedWork(ruleset, key_out, shared)
    per_zero = work.fill(zeroed)
    # 3. each description's rules: its zeroed text's, and those that see the real digits
    text_bound = ruleset.text_bound_lookup
    per_text: dict[str, list[_Compiled]] = {}
    for description, f0 in zip(descriptions, zeroed):
        entry = per_zero[f0]
        if canon_out is not None:
            canon_out[description] = entry[3]
        # rules that see the real digits: this text's own check
        per_text[description] = _with_own_digits(work, entry, f0, description) if entry[1] or text_bound else entry[0]
    # 4. each row: the first of its text's rules whose amount, type and account conditions hold
    out: list[_Compiled | None] = []
    for description, amount, kind, account in items:
        hit = None
        for rule in per_text[description]:
            if rule.kind_only:  # row_ok without the call (most rules: a kind at most)
                rk = rule.row.kind
                if rk is None or rk == kind:
                    hit = rule
                    break
            elif rule.row_ok(amount, kind, account):
                hit = rule
                break
        out.append(hit)
    plain_of = {f0: plain_letters(f0) for f0 in dict.fromkeys(zeroed) if not f0.isascii()}  # distinct texts
    plain = {d: plain_of[f0] for d, f0 in zip(descriptions, zeroed) if f0 in plain_of and plain_of[f0] != f0}
    return _plain_reading(ruleset, items, out, plain, shared) if plain else out


def _with_own_digits(work: _ZeroedWork, entry: tuple[list[_Compiled], dict, str, str], f0: str, description: str,
                     plain: bool = False) -> list[_Compiled]:
    """A description's rules: its digit-zeroed text's (``entry``, of ``work``), and those of the rules outside the
    digit-uniform class (checked on the real text; ``plain``: read in plain letters)."""
    cands, rest, k0, _ = entry
    f = fast_fold(description[:MAX_TEXT])
    if plain:
        f = plain_letters(f)
    k = k0 if (f0 == f or "0" not in k0 or not work.by_key) else _key(tokens_form(f), f, work.shared)
    others = work.ruleset.verify(f, None, k, rest, uniform=False)
    return sorted(cands + others, key=lambda r: r.order) if others else cands


def _tier(rule: _Compiled | None) -> int:
    """0 the user's own rules, 1 the global rules, 2 a fallback guess, 3 no rule."""
    if rule is None:
        return 3
    return 2 if rule.is_fallback else int(rule.row.is_global)


def _plain_reading(ruleset: _RuleSet, items: Sequence[tuple[str, int, str, str | None]], hits: list[_Compiled | None],
                   plain: dict[str, str], shared: Shared) -> list[_Compiled | None]:
    """``hits`` with the descriptions of ``plain`` (description -> its digit-zeroed folded text in plain letters) read
    in plain letters as well (:func:`budgetwise.text.plain_letters`: "LØNN" as "lonn", "WYPŁATA" as "wyplata"; session 29): a rule the
    plain reading matches answers where it is of a better tier (:func:`_tier`) than the answer of the text as
    written; at the same tier the text as written wins. The learning key and the digit-canonical text the caller
    receives stay the written text's."""
    work = _ZeroedWork(ruleset, None, shared)
    per_zero = work.fill(list(plain.values()))
    text_bound = ruleset.text_bound_lookup
    per_text = {d: _with_own_digits(work, per_zero[p0], p0, d, plain=True) if per_zero[p0][1] or text_bound
                else per_zero[p0][0] for d, p0 in plain.items()}
    out = list(hits)
    for i, (description, amount, kind, account) in enumerate(items):
        rules = per_text.get(description)
        tier = _tier(out[i]) if rules else 0
        if tier:
            hit = next((r for r in rules if r.row_ok(amount, kind, account)), None)
            if _tier(hit) < tier:
                out[i] = hit
    return out
