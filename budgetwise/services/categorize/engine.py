"""Categorizing rows and stored transactions with the rules in force (the database edge of matching).

:func:`_rule_rows` reads the active rules a user sees (theirs first, then the global ones);
:func:`categorize_rows` / :func:`categorize_items` guess (read-only, the model filling gaps);
:func:`apply_rules_to_transactions` writes the rules' answer to non-manual transactions and
bumps the user's data version when something changed.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from sqlalchemy import or_, select, update
from sqlalchemy.orm import Session

from budgetwise.errors import ValidationError
from budgetwise.models import TRANSACTION_KINDS, Category, Rule, Transaction, utcnow
from budgetwise.services import categories as categories_service
from budgetwise.services.categorize import history
from budgetwise.services.categorize.knowledge import history_forms, user_knowledge
from budgetwise.services.categorize.ruleset import _Compiled, _compiled_rules, _match_rows, _RuleRow
from budgetwise.services.categorize.types import (
    FALLBACK_CONFIDENCE,
    FALLBACK_PRIORITY,
    MAX_ITEMS,
    MAX_TEXT,
    NO_GUESS,
    SOURCE_LEARNED,
    SOURCE_MODEL,
    SOURCE_RULE,
    CategorizeItem,
    CategoryGuess,
)
from budgetwise.services.default_rules import default_rule_confidence
from budgetwise.services.versions import touch_data
from budgetwise.text import clean_text


def _rule_rows(session: Session, user_id: int | None, *, include_user: bool = True) -> tuple[_RuleRow, ...]:
    """Active rules pointing to usable categories: the user's first, then the global ones."""
    visible = categories_service.visible_categories_clause(user_id) if user_id is not None else Category.user_id.is_(None)
    owner = or_(Rule.user_id.is_(None), Rule.user_id == user_id) if (user_id is not None and include_user) else Rule.user_id.is_(None)
    stmt = (
        select(
            Rule.id, Rule.category_id, Rule.match_type, Rule.pattern, Rule.min_amount_minor, Rule.max_amount_minor,
            Rule.kind, Rule.account, Rule.origin, Rule.user_id, Rule.priority, Rule.name,
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
            confidence=_rule_confidence(r), fallback=r.user_id is None and r.priority >= FALLBACK_PRIORITY,
        )
        for r in result
    )


def _rule_confidence(r) -> float:
    """1.0 for the user's and an admin's own rules; calibrated for shipped default rules (issue #16)."""
    if r.user_id is not None:
        return 1.0
    if r.priority >= FALLBACK_PRIORITY:
        return FALLBACK_CONFIDENCE
    return default_rule_confidence(r.name, r.pattern) if r.origin == "default" else 1.0


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
    dates: Sequence[dt.date | None] | None = None,
    knowledge: history.UserKnowledge | None = None,
    history_over_rules: bool = False,
) -> list[CategoryGuess]:
    """:func:`categorize_items` for columns of values (bulk callers such as the importer).

    With ``with_model`` the user's categorized history fills the gaps the rules leave (no
    rule, or only a fallback guess). With ``history_over_rules`` as well, it decides as the
    app stores it (:func:`history.decide`; the importer and the CLI): the user's own rules
    first, then the merchant memory where it is sure enough (it beats the default rules),
    then the default rules, then the per-user model, then fallback guesses. History answers carry
    ``source`` 'model' and a calibrated confidence (< 1; under LOW_CONFIDENCE they are
    listed for review). ``dates`` (optional) give the model the day of the month;
    ``knowledge`` replaces the user's own (benchmarks).

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
    known_kinds: dict[str, str] = {k: k for k in TRANSACTION_KINDS}
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
    canon: dict[str, str] | None = {} if with_model else None
    hits = _match_rows(ruleset, rows, canon)
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
        if knowledge is None:
            knowledge = user_knowledge(session, user_id)
        if knowledge is not None:
            _apply_history(knowledge, rows, hits, guesses, names, dates, over_rules=history_over_rules,
                           canon=canon)
    return guesses


def _apply_history(knowledge, rows, hits, guesses: list, names: dict[int, str], dates, *, over_rules: bool,
                   canon: dict[str, str] | None = None) -> None:
    """Replace guesses where the user's history decides (see :func:`history.decide`); in place.

    Without ``over_rules`` a certain default rule's answer stays (history fills gaps only).
    Work is shared: the memory is asked once per (text, direction, rule hit), the model once
    per distinct (text, direction, amount bucket, day bucket, account) among the rows it is
    needed for.
    """
    forms: dict[str, tuple[str, str]] = {}
    groups: dict[tuple, list[int]] = {}
    skip: dict[int, bool] = {}  # per rule: the user's own rules come first (and, filling gaps only, every certain rule)
    for i, (hit, row) in enumerate(zip(hits, rows)):
        if hit is None:
            order = None
        else:
            order = hit.order
            sk = skip.get(order)
            if sk is None:
                sk = skip[order] = not hit.row.is_global or (not over_rules and not hit.is_fallback)
            if sk:
                continue
        g = (canon[row[0]] if canon is not None else row[0], row[2], order)
        members = groups.get(g)
        if members is None:
            groups[g] = [i]
        else:
            members.append(i)
    if not groups:
        return
    per_text: dict[str, tuple[str, str]] = {}
    memory: dict[tuple, history.MemoryHit | None] = {}
    model_rows: dict[tuple, list[int]] = {}
    for g, members in groups.items():
        text, kind, order = g
        f = per_text.get(text)
        if f is None:
            f = per_text[text] = history_forms(text, forms)
        m = memory[g] = knowledge.memory.lookup(f[1], kind)
        if knowledge.model is None or (m is not None and m.confidence >= history.MEMORY_OVER_RULES):
            continue
        if order is not None and not hits[members[0]].is_fallback:
            continue  # a certain default rule answers before the model
        for i in members:
            _, amount, _, account = rows[i]
            day = getattr(dates[i], "day", None) if dates is not None else None
            mk = (f, kind, history.amount_bucket(amount), history.day_bucket(day), account)
            lst = model_rows.get(mk)
            if lst is None:
                model_rows[mk] = [i]
            else:
                lst.append(i)
    model_out: dict[int, tuple[int | None, float]] = {}
    if model_rows:
        keys = list(model_rows)
        mrows = []
        for (words_key, kind, _, _, account), members in model_rows.items():
            i = members[0]
            day = getattr(dates[i], "day", None) if dates is not None else None
            mrows.append(history.ModelRow(words_key[0], words_key[1], kind, rows[i][1], day, account))
        for mk, pred in zip(keys, knowledge.model.predict(mrows)):
            for i in model_rows[mk]:
                model_out[i] = pred
    shared: dict[tuple, CategoryGuess] = {}
    rule_of: dict[int, history.Decision] = {}
    for g, members in groups.items():
        hit = hits[members[0]]
        rule = None
        if hit is not None:
            rule = rule_of.get(hit.order)
            if rule is None:
                rule = rule_of[hit.order] = history.Decision(hit.row.category_id, hit.source, hit.row.confidence,
                                                             hit.row.id)
        m = memory[g]
        same = None if any(i in model_out for i in members) else history.decide(rule, user_rule=False, memory=m,
                                                                                 model=None)
        for i in members:
            d = same if same is not None else history.decide(rule, user_rule=False, memory=m, model=model_out.get(i))
            if d is rule or d.category is None or d.source in (SOURCE_RULE, SOURCE_LEARNED) or d.category not in names:
                continue  # the rule's guess (already in place) or nothing
            k = (d.category, d.confidence)
            cg = shared.get(k)
            if cg is None:
                cg = shared[k] = CategoryGuess(d.category, names[d.category], SOURCE_MODEL, d.confidence, None)
            guesses[i] = cg


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
