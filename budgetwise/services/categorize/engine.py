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
from budgetwise.services.categorize.model import MODEL_MIN_CONFIDENCE, _user_model
from budgetwise.services.categorize.ruleset import _Compiled, _compiled_rules, _match_rows, _RuleRow
from budgetwise.services.categorize.types import (
    FALLBACK_CONFIDENCE,
    FALLBACK_PRIORITY,
    MAX_ITEMS,
    MAX_TEXT,
    MODEL_OVER_FALLBACK,
    NO_GUESS,
    SOURCE_LEARNED,
    SOURCE_MODEL,
    SOURCE_RULE,
    CategorizeItem,
    CategoryGuess,
)
from budgetwise.services.versions import touch_data
from budgetwise.text import clean_text


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
