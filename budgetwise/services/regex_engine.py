"""The matching engine of rule regexes: RE2 (linear time), behind one small module.

A user's or an administrator's rule regex is written in Python's syntax and keeps
Python's meaning (case-insensitive, Unicode ``\\w``/``\\d``/``\\s``), but it is *run*
by RE2 (the ``google-re2`` binding), whose matching time is linear in the text
whatever the pattern: sequential bounded repeats such as
``z.{0,40}z.{0,40}z.{0,40}z.{0,40}z[!?]`` that take Python's backtracking engine
seconds to hours on a 500-character description take RE2 microseconds.

:func:`compile_rule_regex` parses the pattern with Python's own parser and writes the
parse back out in RE2's syntax:

* ``\\d``, ``\\w``, ``\\s`` (and their negations) become the Unicode classes Python uses
  (``\\p{Nd}``, ``[\\p{L}\\p{N}_]``, the ``str.isspace`` characters).
* ``\\b`` / ``\\B`` keep Python's Unicode meaning wherever the characters on either side
  are known to be word or non-word characters (``\\bcafe\\b``, ``\\d{4}\\b``, ``\\bмагазин``):
  inside the pattern it becomes "always" or "never"; at its very start or end it becomes a
  one-character check of the neighbour. Elsewhere RE2's ``\\b`` is used, which treats only
  ASCII letters, digits and ``_`` as word characters (the only difference: a boundary
  between an ASCII and a non-ASCII letter, after accents are removed, such as ``ł`` or ``ø``).
* A lookahead at the very end of the pattern (or of one of its top-level alternatives),
  such as the default rules' ``(?![a-z])``, and a lookbehind at its very start become a
  one-character check (negative: of one character class) or, positive, plain text: the
  same answer to "does the rule match this description?".
* Anything RE2 cannot express is refused when the rule is saved, with the reason:
  back-references, other lookarounds, possessive repeats and atomic groups, conditional
  groups, and bounded repeats above 1000.

Only whether a rule matches is used (``search(...) is not None``); match positions
and groups are not, which is what makes the rewritings above exact.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from typing import Protocol

import re2
from re2 import _re2

try:  # Python 3.11+: the parser moved
    import re._constants as _c  # type: ignore[import-not-found]
    import re._parser as _p  # type: ignore[import-not-found]
except ImportError:  # pragma: no cover
    import sre_constants as _c  # type: ignore[no-redef]
    import sre_parse as _p  # type: ignore[no-redef]

ENGINE = "re2"
MAX_REPEAT_BOUND = 1000  # RE2's limit on {n,m}
_OPTIONS = re2.Options()
_OPTIONS.log_errors = False

_WORD = r"\p{L}\p{N}_"  # Python's Unicode \w: str.isalnum() or "_"
_DIGIT = r"\p{Nd}"  # Python's Unicode \d: str.isdecimal()
_SPACE = r"\t\n\x0b\x0c\r\x1c-\x1f \x{85}\x{a0}\x{1680}\x{2000}-\x{200a}\x{2028}\x{2029}\x{202f}\x{205f}\x{3000}"
_NEVER = r"\b\B"
_POSSESSIVE = getattr(_c, "POSSESSIVE_REPEAT", None)
_ATOMIC = getattr(_c, "ATOMIC_GROUP", None)


class UnsupportedRegex(ValueError):
    """The pattern uses a construct RE2 cannot run; the message says which, as a sentence part."""


class RulePattern(Protocol):
    def search(self, text: str):  # pragma: no cover - protocol
        ...


def _is_word(cp: int) -> bool:
    ch = chr(cp)
    return ch.isalnum() or ch == "_"


def _lit(cp: int) -> str:
    ch = chr(cp)
    if ch.isascii() and ch.isalnum():
        return ch
    return "\\x{%x}" % cp


def _category(cat) -> tuple[str, bool]:
    """(class body, negated) for \\d \\w \\s and their negations, with Python's Unicode meaning."""
    found = {
        _c.CATEGORY_DIGIT: (_DIGIT, False), _c.CATEGORY_NOT_DIGIT: (_DIGIT, True),
        _c.CATEGORY_WORD: (_WORD, False), _c.CATEGORY_NOT_WORD: (_WORD, True),
        _c.CATEGORY_SPACE: (_SPACE, False), _c.CATEGORY_NOT_SPACE: (_SPACE, True),
    }.get(cat)
    if found is None:
        raise UnsupportedRegex("it uses a character class RE2 does not know")
    return found


def _set(items, *, negate: bool = False) -> str:
    parts: list[str] = []
    negated_cats: list[str] = []
    neg = negate
    for op, av in items:
        if op == _c.NEGATE:
            neg = not neg
        elif op == _c.LITERAL:
            parts.append(_lit(av))
        elif op == _c.RANGE:
            parts.append(f"{_lit(av[0])}-{_lit(av[1])}")
        elif op == _c.CATEGORY:
            body, negated = _category(av)
            (negated_cats if negated else parts).append(body)
        else:
            raise UnsupportedRegex("it has a character class RE2 cannot express")
    if negated_cats:
        if len(negated_cats) == 1 and not parts:  # \W, [\W], [^\W]
            return f"[{'' if neg else '^'}{negated_cats[0]}]"
        raise UnsupportedRegex("it mixes a negated class (\\W, \\D or \\S) with other characters in [...]")
    if not parts:
        return "[\\x{0}-\\x{10ffff}]" if neg else _NEVER
    return f"[{'^' if neg else ''}{''.join(parts)}]"


# --------------------------------------------------------------------------- word / non-word edges
def _set_edge(items) -> str | None:
    kinds = set()
    for op, av in items:
        if op == _c.NEGATE:
            return None
        if op == _c.LITERAL:
            kinds.add("w" if _is_word(av) else "n")
        elif op == _c.RANGE:
            lo, hi = av
            if hi - lo > 5000:
                return None
            kinds |= {"w" if _is_word(cp) else "n" for cp in range(lo, hi + 1)}
        elif op == _c.CATEGORY:
            kind = {
                _c.CATEGORY_DIGIT: "w", _c.CATEGORY_WORD: "w", _c.CATEGORY_NOT_WORD: "n", _c.CATEGORY_SPACE: "n",
            }.get(av)
            if kind is None:
                return None
            kinds.add(kind)
        else:
            return None
        if len(kinds) > 1:
            return None
    return kinds.pop() if len(kinds) == 1 else None


def _edge(items, first: bool) -> str | None:
    """'w' / 'n' when the first (last) character any match of ``items`` consumes is always a
    word / non-word character; None when unknown or when it may consume nothing."""
    items = list(items)
    if not items:
        return None
    op, av = items[0] if first else items[-1]
    if op == _c.LITERAL:
        return "w" if _is_word(av) else "n"
    if op == _c.IN:
        return _set_edge(av)
    if op == _c.SUBPATTERN:
        return _edge(av[-1], first)
    if op == _c.BRANCH:
        edges = {_edge(b, first) for b in av[1]}
        return edges.pop() if len(edges) == 1 else None
    if op in (_c.MAX_REPEAT, _c.MIN_REPEAT) and av[0] >= 1:
        return _edge(av[2], first)
    return None


# --------------------------------------------------------------------------- translation
def _single_char(body) -> str | None:
    """An RE2 class for the complement of a one-character lookaround body, or None."""
    body = list(body)
    if len(body) != 1:
        return None
    op, av = body[0]
    if op == _c.LITERAL:
        return f"[^{_lit(av)}]"
    if op == _c.NOT_LITERAL:
        return _lit(av)
    if op == _c.IN:
        return _set(av, negate=True)
    if op == _c.ANY:
        return "\\n"
    return None


class _Writer:
    def __init__(self, flags: int) -> None:
        self.flags = flags

    def seq(self, items, *, head: bool, tail: bool, before: str | None, after: str | None) -> str:
        items = list(items)
        out = []
        n = len(items)
        for i, item in enumerate(items):
            prev = _edge(items[:i], first=False) if i else before
            nxt = _edge(items[i + 1 :], first=True) if i < n - 1 else after
            out.append(self.item(item, head=head and i == 0, tail=tail and i == n - 1, prev=prev, nxt=nxt))
        return "".join(out)

    def item(self, item, *, head: bool, tail: bool, prev: str | None, nxt: str | None) -> str:
        op, av = item
        if op == _c.LITERAL:
            return _lit(av)
        if op == _c.NOT_LITERAL:
            return f"[^{_lit(av)}]"
        if op == _c.ANY:
            return "."
        if op == _c.IN:
            return _set(av)
        if op == _c.BRANCH:
            return "(?:" + "|".join(
                self.seq(b, head=head, tail=tail, before=prev, after=nxt) for b in av[1]
            ) + ")"
        if op == _c.SUBPATTERN:
            _group, add, delete, body = av
            inner = self.seq(body, head=head, tail=tail, before=prev, after=nxt)
            on = "".join(f for f, bit in (("i", re.I), ("m", re.M), ("s", re.S)) if add & bit)
            off = "".join(f for f, bit in (("i", re.I), ("m", re.M), ("s", re.S)) if delete & bit)
            if (add | delete) & ~(re.I | re.M | re.S | re.X | re.U):
                raise UnsupportedRegex("it uses an inline flag other than i, m, s or x")
            flags = on + (f"-{off}" if off else "")
            return f"(?{flags}:{inner})"
        if op in (_c.MAX_REPEAT, _c.MIN_REPEAT):
            low, high, body = av
            if (high is not _c.MAXREPEAT and high > MAX_REPEAT_BOUND) or low > MAX_REPEAT_BOUND:
                raise UnsupportedRegex(f"a repeat count is larger than {MAX_REPEAT_BOUND}")
            inner = self.seq(body, head=False, tail=False, before=None, after=None)
            count = "{%d,}" % low if high is _c.MAXREPEAT else ("{%d}" % low if low == high else "{%d,%d}" % (low, high))
            return f"(?:{inner}){count}{'?' if op == _c.MIN_REPEAT else ''}"
        if op == _c.AT:
            return self.at(av, head=head, tail=tail, prev=prev, nxt=nxt)
        if op in (_c.ASSERT, _c.ASSERT_NOT):
            return self.lookaround(op, av, head=head, tail=tail)
        if op in (_c.GROUPREF, _c.GROUPREF_EXISTS) or op == getattr(_c, "GROUPREF_IGNORE", None):
            raise UnsupportedRegex("back-references (\\1) are not supported")
        if op in (_POSSESSIVE, _ATOMIC):
            raise UnsupportedRegex("possessive repeats and atomic groups are not supported")
        raise UnsupportedRegex("it uses a construct the regex engine does not support")

    def at(self, code, *, head: bool, tail: bool, prev: str | None, nxt: str | None) -> str:
        simple = {
            _c.AT_BEGINNING: "^", _c.AT_END: "$", _c.AT_BEGINNING_STRING: "\\A", _c.AT_END_STRING: "\\z",
        }
        if code in simple:
            return simple[code]
        if code not in (_c.AT_BOUNDARY, _c.AT_NON_BOUNDARY):
            raise UnsupportedRegex("it uses an anchor RE2 does not support")
        boundary = code == _c.AT_BOUNDARY
        if prev is not None and nxt is not None:
            return "" if (prev != nxt) == boundary else _NEVER
        word, non_word, start, end = f"[{_WORD}]", f"[^{_WORD}]", f"(?:^|[^{_WORD}])", f"(?:$|[^{_WORD}])"
        if head and nxt is not None:  # nothing before in the pattern: check the character before
            if boundary:
                return start if nxt == "w" else word
            return word if nxt == "w" else start
        if tail and prev is not None:  # nothing after in the pattern: check the character after
            if boundary:
                return end if prev == "w" else word
            return word if prev == "w" else end
        del non_word
        return "\\b" if boundary else "\\B"

    def lookaround(self, op, av, *, head: bool, tail: bool) -> str:
        direction, body = av
        positive = op == _c.ASSERT
        ahead = direction == 1
        if (ahead and tail) or (not ahead and head):
            inner = self.seq(body, head=False, tail=False, before=None, after=None)
            if positive:
                return f"(?:{inner})"
            other = _single_char(body)
            if other is not None:
                return f"(?:$|{other})" if ahead else f"(?:^|{other})"
        raise UnsupportedRegex(
            "lookarounds ((?=...), (?!...), (?<=...), (?<!...)) are supported only at the very end "
            "(lookahead) or start (lookbehind) of the pattern, and a negative one only of a single "
            "character or class such as (?![a-z])"
        )


def translate(source: str) -> str:
    """The RE2 syntax for a Python-syntax rule regex (matched case-insensitively); see the module doc."""
    try:
        parsed = _p.parse(source, re.IGNORECASE)
    except (re.error, OverflowError, RecursionError) as exc:
        raise UnsupportedRegex(f"it is not valid ({exc})") from None
    flags = parsed.state.flags
    if flags & (re.ASCII | getattr(re, "LOCALE", 0)):
        raise UnsupportedRegex("the (?a) and (?L) flags are not supported")
    prefix = "(?i" + ("s" if flags & re.S else "") + ("m" if flags & re.M else "") + ")"
    return prefix + _Writer(flags).seq(list(parsed), head=True, tail=True, before=None, after=None)


def compile_rule_regex(source: str) -> RulePattern:
    """A rule regex (Python syntax, accents already removed) compiled for RE2; its ``search`` runs in
    linear time. Raises :class:`UnsupportedRegex` (a sentence part saying why) for what RE2 cannot run."""
    return _compile(translate(source))


def _compile(translated: str):
    try:
        return re2.compile(translated, _OPTIONS)
    except re2.error as exc:
        reason = exc.args[0].decode() if exc.args and isinstance(exc.args[0], bytes) else str(exc)
        raise UnsupportedRegex(f"the regex engine cannot run it ({reason})") from None


_UNANCHORED = _re2.RE2.Anchor.UNANCHORED
_NO_MATCH = (-1, -1)


def compile_rule_matcher(source: str) -> Callable[[bytes], bool]:
    """:func:`compile_rule_regex` for the one question the rules ask, "does it match anywhere?", as a
    function of the text's UTF-8 bytes (encode a text once for all the regexes it is checked
    against). Same answer as ``compile_rule_regex(source).search(text) is not None``, without the
    binding's per-call work (encoding, offset decoding, a match object; about 3x the search itself
    on a 50-character description). Raises :class:`UnsupportedRegex` exactly when
    :func:`compile_rule_regex` does.

    An ASCII text is asked of the pattern's ASCII program (:func:`_ascii_form`: ~60x cheaper to
    compile than the Unicode classes); the Unicode program is compiled the first time a text that is
    not ASCII comes."""
    translated = translate(source)
    ascii_form = _ascii_form(translated)
    if ascii_form is not None:
        program = _re2.RE2(ascii_form.encode("utf-8"), _OPTIONS)
        if program.ok():
            return _two_programs(program.Match, translated)
    return _program_matcher(_program(translated).Match)


def _program(translated: str):
    """The RE2 program of a translated pattern (as ``re2.compile`` builds it: the pattern's UTF-8);
    :class:`UnsupportedRegex` with ``re2.compile``'s reason when RE2 refuses it."""
    program = _re2.RE2(translated.encode("utf-8"), _OPTIONS)
    if not program.ok():
        _compile(translated)  # raises the same error, with the same message
        raise UnsupportedRegex("the regex engine cannot run it")  # pragma: no cover - compiled above
    return program


def _program_matcher(match) -> Callable[[bytes], bool]:
    # the translated pattern has no capturing group (every group is written "(?:...)"), so Match
    # returns the overall span only
    def matches(data: bytes) -> bool:
        return match(_UNANCHORED, data, 0, len(data))[0] != _NO_MATCH

    return matches


def _two_programs(ascii_match, translated: str) -> Callable[[bytes], bool]:
    unicode_match = None

    def matches(data: bytes) -> bool:
        nonlocal unicode_match
        if data.isascii():
            return ascii_match(_UNANCHORED, data, 0, len(data))[0] != _NO_MATCH
        if unicode_match is None:
            try:
                unicode_match = _program(translated).Match
            except UnsupportedRegex:  # pragma: no cover - _ascii_form admits only patterns that compile
                return False
        return unicode_match(_UNANCHORED, data, 0, len(data))[0] != _NO_MATCH

    return matches


# The Unicode classes the translation writes, and their ASCII members (an ASCII character has a
# case-fold partner only if it is an ASCII letter, and every ASCII letter is in \p{L}: so under
# (?i) too, each class and its ASCII form hold the same ASCII characters, negated or not).
_ASCII_CLASSES = ((_WORD, "a-zA-Z0-9_"), (_DIGIT, "0-9"))
_ESCAPE = re.compile(r"\\x\{[0-9a-f]+\}")
_REPEAT = re.compile(r"\)\{(\d+)(?:(,)(\d*))?\}")
MAX_ASCII_COPIES = 32  # Unicode classes in the compiled program: 32 x ~1,350 instructions, a fifth of RE2's budget


def _ascii_form(translated: str) -> str | None:
    """The translated pattern with its Unicode classes written as their ASCII members: on an ASCII
    text, the same matches (a match reads only the text's characters). None where the Unicode
    program might exceed RE2's memory: more than MAX_ASCII_COPIES class copies once the repeats are
    expanded (counted as if every repeat held every class), so that exactly the patterns RE2 can run
    get an ASCII program."""
    plain = _ESCAPE.sub("", translated)  # literals are written as letters, digits and \x{..} escapes
    classes = plain.count("\\p{")
    if not classes:
        return None  # nothing to gain
    copies = classes
    for m in _REPEAT.finditer(plain):  # x{n} / x{n,m}: at most m copies; x{n,}: n + 1
        low, comma, high = int(m.group(1)), m.group(2), m.group(3)
        copies *= max(1, int(high) if high else (low + 1 if comma else low))
        if copies > MAX_ASCII_COPIES:
            return None
    out = translated
    for unicode_class, ascii_class in _ASCII_CLASSES:
        out = out.replace(unicode_class, ascii_class)
    return out if "\\p{" not in out else None


_SET_MEMORY = 64 << 20  # bytes for the literal set's program and DFA cache (a few thousand literals: ~2 MB)


def literal_finder(literals: Sequence[str]) -> Callable[[bytes], list[int]] | None:
    """A function giving the indexes of the ``literals`` that occur in a text (UTF-8 bytes; plain,
    case-sensitive substrings; each index once, in no particular order), all found in one linear
    pass (an RE2 set). None when RE2 cannot build it (the caller then uses its own finder).

    A substring of a text's UTF-8 bytes that is a whole literal's UTF-8 is exactly an occurrence
    of the literal in the text (UTF-8 is self-synchronizing). Once ``Compile()`` succeeded, a set
    match cannot fail on memory (RE2 runs a test search while compiling a set, and a set's DFA
    keeps flushing its cache rather than giving up), so an empty answer means no literal."""
    if not literals:
        return None
    options = _re2.RE2.Options()
    options.literal = True
    options.log_errors = False
    options.max_mem = _SET_MEMORY
    found = _re2.Set(_UNANCHORED, options)
    try:
        encoded = [lit.encode("utf-8") for lit in literals]
    except UnicodeEncodeError:
        return None
    for i, lit in enumerate(encoded):
        if found.Add(lit) != i:
            return None
    if not found.Compile() or 0 not in found.Match(encoded[0]):
        return None
    return found.Match


def is_linear(compiled: object) -> bool:
    """True when ``compiled`` is run by the linear-time engine (for tests and the benchmark)."""
    return isinstance(compiled, re2._Regexp)


__all__ = [
    "ENGINE", "MAX_REPEAT_BOUND", "UnsupportedRegex", "compile_rule_matcher", "compile_rule_regex", "is_linear",
    "literal_finder", "translate",
]
