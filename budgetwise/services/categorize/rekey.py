"""Learned rules re-keyed when the learning key changes (issue #16; migration 0016).

A learned rule holds a learning key (``exact``) or a stem of one (``starts_with``), not the text it was
learned on. When :func:`textforms.learn_key` changes (session 10: "PAYPAL INST XFER" gave "inst xfer",
now "paypal inst xfer"; "ATM08SEP" gave "atm08sep", now "atm"), a rule on the earlier key no longer
names the merchant the current key gives, so the next correction of that merchant writes a second rule
and the first one still answers for rows it should not.

:func:`plan_rekey` (pure) works out, per user, from the rows a rule covered under the earlier key
function, the key the current function gives them: an ``exact`` rule takes the rows' new key, a
``starts_with`` rule the most general stem the user's own hand-set rows allow
(:func:`history.choose_stem`, as a correction makes it now). A rule that still covers some rows keeps
its key and the new key is added beside it. A rule no row of the user falls under any more is
re-keyed from its own text (the key function run on the stored key: "atm08sep" -> "atm"); where that
changes nothing, the original text is lost ("inst xfer" learned from rows since deleted) and the rule
is left as it is. Rules of one user that end on the same key are merged: the one written first
stays (its place in the rule order), with the category and match type of the one changed last (the
latest correction wins, as :func:`learning._upsert_learned_rule` does). Only ``origin='learned'``
rules are read or written; never another user's, never a hand-written rule, never a transaction's
category. :func:`rekey_learned_rules` applies a plan (Core statements on the columns that exist since
migration 0009, so the migration keeps running when later ones add columns); the rules it adds beside one stop at
the user's rule limit (:attr:`RekeyPlan.left_out`).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from sqlalchemy import Connection, delete, insert, select, update
from sqlalchemy.orm import Session

from budgetwise.models import Category, Rule, Transaction, utcnow
from budgetwise.services.categorize.history import Neighbour, choose_stem, person_stem, stem_matches
from budgetwise.services.categorize.types import LEARNED_PRIORITY, MAX_RULE_NAME, MAX_TEXT
from budgetwise.text import clean_text
from budgetwise.textforms import (
    _BOILERPLATE,
    _HAS_DIGIT,
    _MONTHS,
    fast_fold,
    household_places,
    names_person,
    tokens_form,
)

KeyFunction = Callable[[str], str]

# The planner's behaviour is versioned by the session it was last changed in, as the learning keys are frozen
# (``textkeys``): every re-key migration names the planner it replays (``planner=26``), so a later change of what a plan
# is goes behind ``planner >= N`` (N: that session) and never changes what an earlier migration does on a fresh
# database (session 26, mig26). Before session 26 the planner was changed in place (directions kept apart in session 15,
# ``narrow`` in 20, the rule limit in 23, people's whole names in 24), so migrations 0016 … 0043 replay session 26's
# planner, not each one's planner of the day (the end state is what re-keying gives now; see
# docs/history/reliability.md, session 26). Its helpers (``history.choose_stem``, ``person_stem``, ``stem_matches``,
# ``textforms.household_places``, ``names_person``) are pinned by tests/migrations/test_migration_rekey_frozen.py.
PLANNERS = frozenset({26})
PLANNER = 26  # today's planner: what learning-time callers get by default

# The learning key before session 10 (2026-12-05): the words minus boilerplate, months, single letters and
# any word holding a digit; no glued names, no payment service kept as the payee, "tran" not boilerplate.
_BOILERPLATE_BEFORE_10 = frozenset(_BOILERPLATE) - {"tran", "par"}  # "par": boilerplate since session 12


def learn_key_before_session_10(description: str) -> str:
    """:func:`textforms.learn_key` as it was before session 10 ("PAYPAL INST XFER" -> "inst xfer")."""
    tokens = tokens_form(fast_fold(clean_text(description)[:MAX_TEXT]))
    words = tokens.split()
    kept = [w for w in words if len(w) > 1 and w not in _MONTHS and w not in _BOILERPLATE_BEFORE_10
            and not _HAS_DIGIT.search(w)]
    key = " ".join(kept)
    if len(key) >= 3:
        return key[:200]
    plain = " ".join(w for w in words if not _HAS_DIGIT.search(w))
    return (plain or tokens)[:200]


@dataclass(frozen=True)
class LearnedRule:
    id: int
    pattern: str
    match_type: str  # exact / starts_with
    category_id: int
    updated_at: dt.datetime | None = None
    kind: str | None = None  # the rule's direction: income / expense / None = both (since session 15 kept apart)


@dataclass
class RekeyPlan:
    """What re-keying one user's learned rules changes (rule id -> (pattern, match type, category))."""

    changed: dict[int, tuple[str, str, int]] = field(default_factory=dict)
    added: list[tuple[int, str, str, int]] = field(default_factory=list)  # (source rule id, pattern, match, category)
    merged: dict[int, int] = field(default_factory=dict)  # rule id deleted -> rule id that stands for it
    # no row of the user falls under it and its text re-keys to itself: left as it is (the rows it was learned
    # on are gone, or were a labelled file's never imported; "inst xfer" cannot be told from a current key)
    unchecked: list[int] = field(default_factory=list)
    # rules ``added`` would have written past the user's rule limit (:func:`rules.rule_room`): not written. A
    # migration never fails on them (it would stop the app for every user); the rows keep their categories and
    # the next correction of that merchant says the limit is reached, as learning does (session 23)
    left_out: list[tuple[int, str, str, int]] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        return not (self.changed or self.added or self.merged)


def _covers(match_type: str, pattern: str, key: str) -> bool:
    return key == pattern if match_type == "exact" else bool(key) and stem_matches(pattern, key)


def _under(keys: Iterable[str], patterns: set[str]) -> dict[str, list[str]]:
    """Per pattern, the keys it covers as an exact key or a stem (whole words): one look-up per word prefix."""
    out: dict[str, list[str]] = defaultdict(list)
    for key in keys:
        words = key.split()
        for n in range(1, len(words) + 1):
            prefix = " ".join(words[:n])
            if prefix in patterns:
                out[prefix].append(key)
    return out


def _described(items: Iterable[str | tuple[str, str | None]]) -> list[tuple[str, str | None]]:
    """(description, direction) pairs; a bare description: either direction (None)."""
    return [(item, None) if isinstance(item, str) else (item[0], item[1]) for item in items]


def _applies(rule_kind: str | None, row_kind: str | None) -> bool:
    return rule_kind is None or row_kind is None or rule_kind == row_kind


def _keys_read(descriptions: Iterable[str | tuple[str, str | None]], before: KeyFunction, after: KeyFunction):
    """Per earlier key the current keys of its descriptions, the directions of each (earlier, current) pair and of
    each current key, and the current keys that name a person (never cut to a first name, never places)."""
    new_keys: dict[str, set[str]] = defaultdict(set)
    kinds: dict[tuple[str, str], set[str | None]] = defaultdict(set)
    now_kinds: dict[str, set[str | None]] = defaultdict(set)
    people: set[str] = set()
    for d, kind in dict.fromkeys(_described(descriptions)):
        b, a = before(d), after(d)
        new_keys[b].add(a)
        kinds[b, a].add(kind)
        now_kinds[a].add(kind)
        if " " in a and a not in people and names_person(d, cut_surnames=False):  # session 26's people (planner 26)
            people.add(a)
    return new_keys, kinds, now_kinds, people


def plan_rekey(rules: Iterable[LearnedRule], descriptions: Iterable[str | tuple[str, str | None]], *,
               before: KeyFunction, after: KeyFunction,
               manual: Iterable[tuple[str, int] | tuple[str, int, str | None]] = (),
               narrow: bool = False, planner: int = PLANNER) -> RekeyPlan:
    """Re-key one user's learned rules from ``before``'s keys to ``after``'s (see the module's notes).

    ``descriptions``: the user's distinct descriptions, each with its direction ((description, "income" /
    "expense"); a bare description: either); ``manual``: (description, category[, direction]) of the rows the
    user categorized by hand (a stem never reaches over one of another category). A rule of one direction covers
    the rows of that direction only, and rules of different directions are never merged, nor a rule for both with
    one for one (since session 15: a money-in rule "acme" -> Salary and a money-out rule "acme" -> Shopping stay
    two rules). ``narrow``: an ``exact`` rule whose rows now fall under several keys takes only the keys of the rows
    the user filed by hand under its category, where there are such (session 20: a rule on "omitted due privacy
    reasons" learned from one PayPal row becomes "paypal", not one rule per payee the old key lumped). A transfer to
    or from a person (:func:`textforms.names_person`) keeps the whole name as its stem and its surname is no place of
    the household (since session 24, as a correction teaches it: before, four first names before one surname read
    the surname as a branch and a person's stem rule could be cut to a first name). ``planner``: the session whose
    planner to replay (:data:`PLANNERS`; a migration names it, see :data:`PLANNER`)."""
    if planner not in PLANNERS:
        raise ValueError(f"no re-key planner of session {planner} (known: {sorted(PLANNERS)})")
    rules = sorted(rules, key=lambda r: r.id)
    new_keys, kinds, now_kinds, people = _keys_read(descriptions, before, after)
    patterns = {r.pattern for r in rules}
    then, now_keys = _under(new_keys, patterns), _under({a for s in new_keys.values() for a in s}, patterns)
    hand = [(after(m[0]), m[1], m[2] if len(m) > 2 else None) for m in manual]
    places = household_places({a for s in new_keys.values() for a in s} - people)
    plan = RekeyPlan()
    final: dict[int, tuple[str, str, int]] = {}
    extra: list[tuple[int, str, str, int]] = []
    for r in rules:
        final[r.id] = (r.pattern, r.match_type, r.category_id)
        mine = [a for b in then.get(r.pattern, ()) if _covers(r.match_type, r.pattern, b) for a in new_keys[b]
                if any(_applies(r.kind, k) for k in kinds[b, a])]
        now = [a for a in now_keys.get(r.pattern, ()) if _covers(r.match_type, r.pattern, a)
               and any(_applies(r.kind, k) for k in now_kinds[a])]
        neighbours = [Neighbour(key, c, True) for key, c, k in hand if _applies(r.kind, k)]
        if not mine and not now:
            rekeyed = after(r.pattern)  # no row left: the stored key's own words through the current function
            if rekeyed and rekeyed != r.pattern:
                final[r.id] = (rekeyed, r.match_type, r.category_id)
            else:
                plan.unchecked.append(r.id)
            continue
        lost = sorted({a for a in mine if a and not _covers(r.match_type, r.pattern, a)})
        if r.match_type == "starts_with":
            lost = sorted({person_stem(a) if a in people else choose_stem(a, r.category_id, neighbours, places)
                           for a in lost})
        elif narrow and len(lost) > 1:
            filed = {key for key, c, k in hand if c == r.category_id and _applies(r.kind, k)}.intersection(lost)
            lost = sorted(filed) or lost
        if not lost:
            continue
        if now:  # still the key of some rows: kept, the new keys added beside it
            extra.extend((r.id, k, r.match_type, r.category_id) for k in lost)
        else:
            final[r.id] = (lost[0], r.match_type, r.category_id)
            extra.extend((r.id, k, r.match_type, r.category_id) for k in lost[1:])
    # merge the rules of one direction that now hold one key: the first written stays, the last changed gives
    # the answer
    order = {r.id: (r.updated_at or dt.datetime.min, r.id) for r in rules}
    kind_of = {r.id: r.kind for r in rules}
    groups: dict[tuple[str, str | None], list[int]] = defaultdict(list)
    for rid, (pattern, _, _) in final.items():
        groups[pattern, kind_of[rid]].append(rid)
    original = {r.id: (r.pattern, r.match_type, r.category_id) for r in rules}
    for ids in groups.values():
        if len(ids) > 1 and any(final[i] != original[i] for i in ids):
            keep, latest = min(ids), max(ids, key=lambda i: order[i])
            final[keep] = (final[keep][0], final[latest][1], final[latest][2])
            plan.merged.update({i: keep for i in ids if i != keep})
    plan.changed = {rid: v for rid, v in final.items() if v != original[rid] and rid not in plan.merged}
    seen = set(groups)
    for source, pattern, match_type, category in extra:
        if (pattern, kind_of[source]) not in seen:
            seen.add((pattern, kind_of[source]))
            plan.added.append((source, pattern, match_type, category))
    return plan


def _rule_name(pattern: str, match_type: str, category_name: str) -> str:
    suffix = " …" if match_type == "starts_with" else ""
    return f"Learned: {pattern[:70]}{suffix} → {category_name}"[:MAX_RULE_NAME]


def rekey_learned_rules(session: Session, *, user_id: int, before: KeyFunction, after: KeyFunction,
                        narrow: bool = False, planner: int = PLANNER) -> RekeyPlan:
    """Re-key ``user_id``'s learned rules from ``before``'s keys to ``after``'s and write the result."""
    cols = (Rule.id, Rule.pattern, Rule.match_type, Rule.category_id, Rule.updated_at, Rule.kind)
    rules = [LearnedRule(*row) for row in session.execute(select(*cols).where(
        Rule.user_id == user_id, Rule.origin == "learned", Rule.match_type.in_(("exact", "starts_with"))))]
    if not rules:
        return RekeyPlan()
    descriptions = session.execute(select(Transaction.description, Transaction.kind)
                                   .where(Transaction.user_id == user_id).distinct())
    manual = session.execute(select(Transaction.description, Transaction.category_id, Transaction.kind).where(
        Transaction.user_id == user_id, Transaction.category_manual.is_(True), Transaction.category_id.is_not(None)))
    plan = plan_rekey(rules, [(d, k) for d, k in descriptions], before=before, after=after,
                      manual=[(d, c, k) for d, c, k in manual if c is not None], narrow=narrow,
                      planner=planner)
    if plan.empty:
        return plan
    wanted = {c for _, _, c in plan.changed.values()} | {c for *_, c in plan.added}
    names = dict(session.execute(select(Category.id, Category.name).where(Category.id.in_(sorted(wanted)))).all())
    now = utcnow()
    for rid, (pattern, match_type, category) in plan.changed.items():
        session.execute(update(Rule).where(Rule.id == rid, Rule.user_id == user_id).values(
            pattern=pattern, match_type=match_type, category_id=category,
            name=_rule_name(pattern, match_type, names.get(category, "")), updated_at=now))
    for gone, keep in sorted(plan.merged.items()):
        category = plan.changed.get(keep, (None, None, next(r.category_id for r in rules if r.id == keep)))[2]
        for same, value in ((True, keep), (False, None)):
            cond = Transaction.category_id == category if same else Transaction.category_id != category
            session.execute(update(Transaction).where(Transaction.user_id == user_id, Transaction.rule_id == gone, cond)
                            .values(rule_id=value))
        session.execute(delete(Rule).where(Rule.id == gone, Rule.user_id == user_id))
    if plan.added:  # the only rules re-keying adds (merges deleted theirs above): the limit of every rule write
        from budgetwise.services.categorize.rules import rule_room

        room = rule_room(session, user_id)
        plan.added, plan.left_out = plan.added[:room], plan.added[room:]
    kind_of = {r.id: r.kind for r in rules}
    for source, pattern, match_type, category in plan.added:  # a rule added beside one keeps its direction
        session.execute(insert(Rule).values(
            user_id=user_id, category_id=category, name=_rule_name(pattern, match_type, names.get(category, "")),
            priority=LEARNED_PRIORITY, match_type=match_type, pattern=pattern, origin="learned", is_active=True,
            kind=kind_of[source], created_at=now, updated_at=now))
    return plan


PerUser = Callable[[frozenset[str]], tuple[KeyFunction, KeyFunction]]


def rekey_every_user(bind: Connection, *, planner: int, before: KeyFunction | None = None,
                     after: KeyFunction | None = None, per_user: PerUser | None = None) -> None:
    """:func:`rekey_learned_rules` for every user with learned rules, on a migration's connection (0021, 0022).
    ``per_user``: (before, after) from the user's shared words (:func:`knowledge.shared_text`; migration 0029), for
    key functions that read them; rules of one key that now falls under several are narrowed (``narrow``).
    ``planner``: the session whose planner the migration replays (no default: a migration names it)."""
    from sqlalchemy import text

    from budgetwise.services.categorize.knowledge import shared_text

    users = bind.execute(text("SELECT DISTINCT user_id FROM rules WHERE origin = 'learned' "
                              "AND user_id IS NOT NULL ORDER BY user_id")).scalars().all()
    session = Session(bind=bind)
    for user_id in users:
        if per_user is not None:
            b, a = per_user(shared_text(session, int(user_id)))
            rekey_learned_rules(session, user_id=int(user_id), before=b, after=a, narrow=True,
                                planner=planner)
        else:
            assert before is not None and after is not None
            rekey_learned_rules(session, user_id=int(user_id), before=before, after=after, planner=planner)
    session.flush()
