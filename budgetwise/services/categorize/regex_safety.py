"""Which regular expressions a user may save, and the literals a pattern needs (pure).

A saved regex is run by RE2 (linear time, :mod:`budgetwise.services.regex_engine`); the parsed
pattern is still walked and nested or repeated unbounded repeats are refused, as before. The
literal analysis (:func:`_required_literals`) lets the rule set skip rules whose required
words a description does not contain.
"""

from __future__ import annotations

import re

from budgetwise.errors import ValidationError
from budgetwise.services import regex_engine
from budgetwise.services.categorize.types import (
    MAX_PATTERN_LENGTH,
    MAX_UNBOUNDED_REPEATS,
)
from budgetwise.textforms import _strip_accents

try:  # Python 3.11+: the parser moved; the old name still works with a warning
    import re._constants as _sre_c  # type: ignore[import-not-found]
    import re._parser as _sre_p  # type: ignore[import-not-found]
except ImportError:  # pragma: no cover
    import sre_constants as _sre_c  # type: ignore[no-redef]
    import sre_parse as _sre_p


class _Unsafe(Exception):
    pass


_REPEATS = frozenset({_sre_c.MAX_REPEAT, _sre_c.MIN_REPEAT, getattr(_sre_c, "POSSESSIVE_REPEAT", _sre_c.MAX_REPEAT)})


def _walk_regex(items, *, in_repeat: bool, in_unbounded: bool = False) -> int:
    """Refuse constructs that can make a regex take exponential time; count unbounded repeats."""
    unbounded = 0
    for op, av in items:
        if op in _REPEATS:
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
