"""Categorizing rows and stored transactions with the rules in force (the database edge of matching).

:func:`_rule_rows` reads the active rules a user sees (theirs first, then the global ones);
:func:`categorize_rows` / :func:`categorize_items` guess (read-only, the model filling gaps);
:func:`apply_rules_to_transactions` writes the rules' answer to non-manual transactions and
bumps the user's data version when something changed.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from collections.abc import Set as AbstractSet

from sqlalchemy import or_, select, update
from sqlalchemy.orm import Session

from budgetwise.db import chunked
from budgetwise.errors import ValidationError
from budgetwise.gc_pause import gc_paused
from budgetwise.models import TRANSACTION_KINDS, Category, Rule, Transaction, utcnow
from budgetwise.services import categories as categories_service
from budgetwise.services.categorize import coverage, history, household

# where the history decides (session 25: split out of this module at its size limit); the names stay readable here
from budgetwise.services.categorize.arbitration import (  # noqa: F401
    _apply_history,
    _ask_memory,
    _ask_model,
    _history_groups,
    _model_token,
    _rule_decision,
    _write_decisions,
)
from budgetwise.services.categorize.banktypes import BANK_TYPE_CONFIDENCE, bank_type_category
from budgetwise.services.categorize.brands import BrandLookup, brand_confidence, brand_index
from budgetwise.services.categorize.knowledge import shared_text, user_knowledge
from budgetwise.services.categorize.ruleset import Shared, _Compiled, _compiled_rules, _match_rows, _RuleRow
from budgetwise.services.categorize.structure import SIGNALS, structural_signals, structure_confidence
from budgetwise.services.categorize.types import (
    BANK_TYPE_SIGNAL,
    BRAND_SIGNAL,
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
    try_order,
)
from budgetwise.services.default_rules import default_rule_confidence, rule_group
from budgetwise.services.versions import lock_user_for_import, touch_data
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
    result = sorted(session.execute(stmt), key=lambda r: try_order(r.user_id is None, r.priority, r.origin, r.match_type,
                                                                    r.pattern, r.id))
    return tuple(
        _RuleRow(
            id=r.id, category_id=r.category_id, match_type=r.match_type, pattern=r.pattern,
            min_amount_minor=r.min_amount_minor, max_amount_minor=r.max_amount_minor, kind=r.kind,
            account=r.account, origin=r.origin, is_global=r.user_id is None,
            confidence=_rule_confidence(r), fallback=r.user_id is None and r.priority >= FALLBACK_PRIORITY,
            group=rule_group(r.name) if r.user_id is None and r.origin == "default" else None,
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


@gc_paused()  # 100,000 rows make hundreds of thousands of acyclic objects: no full collections (~0.35 s)
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
    bank_types: Sequence[str | None] | None = None,
    shared: Shared | None = None,
) -> list[CategoryGuess]:
    """:func:`categorize_items` for columns of values (bulk callers such as the importer).

    With ``with_model`` the user's categorized history fills the gaps the rules leave (no
    rule, or only a fallback guess). With ``history_over_rules`` as well, it decides as the
    app stores it (:func:`history.decide`; the importer and the CLI): the user's own rules
    first, then the merchant memory where it is sure enough (it beats the default rules),
    then the default rules, then the per-user model, then fallback guesses. History answers carry
    ``source`` 'model' and a calibrated confidence (< 1; under LOW_CONFIDENCE they are
    listed for review). ``dates`` (optional) give the model the day of the month;
    ``knowledge`` replaces the user's own (benchmarks; built with the same ``shared``); ``bank_types``: the bank's own
    type codes; ``shared``: the words the user's and these descriptions share (:func:`knowledge.shared_text`, read
    here where None and a learning key is read): a key of those only is the payee's own words (session 20).

    Each distinct description and account is cleaned once, and rows that get the same
    answer share one (immutable) CategoryGuess.
    """
    n = len(descriptions)
    if not (len(amounts_minor) == len(kinds) == len(accounts) == n):
        raise ValueError("descriptions, amounts_minor, kinds and accounts must have the same length")
    if n > MAX_ITEMS:
        raise ValidationError(f"At most {MAX_ITEMS:,} items can be categorized at once.")
    rule_rows = _rule_rows(session, user_id)
    ruleset = _compiled_rules(rule_rows)
    names = _category_names(session, user_id)
    # each distinct description and account cleaned in one loop first, then the rows (stage by stage; session 22)
    cleaned: dict[object, str] = {d: clean_text(d)[:MAX_TEXT] for d in dict.fromkeys(descriptions)}
    cleaned_accounts: dict[object, str | None] = {acc: clean_text(acc) or None for acc in dict.fromkeys(accounts)}
    cleaned_accounts[None] = None
    known_kinds: dict[str, str] = {k: k for k in TRANSACTION_KINDS}
    rows: list[tuple[str, int, str, str | None]] = []
    for d, a, k, acc in zip(descriptions, amounts_minor, kinds, accounts):
        text = cleaned[d]
        account = cleaned_accounts[acc]
        kind = known_kinds.get(k)
        if kind is None:
            kind = (k or "").strip().lower()
            kind = kind if kind in TRANSACTION_KINDS else "expense"
        rows.append((text, abs(int(a)), kind, account))
    canon: dict[str, str] | None = {} if with_model else None
    keys: dict[str, str] | None = {} if with_model else None
    if shared is None:  # read where a learning key is: rules on it, the memory
        by_key = with_model or bool(ruleset.exact or ruleset.starts)
        shared = shared_text(session, user_id, cleaned.values()) if by_key else frozenset()
    hits = _match_rows(ruleset, rows, canon, keys, shared)
    guesses = _rule_guesses(hits, names)
    known: AbstractSet[int] = frozenset()  # rows of a merchant the user's history holds (its own key)
    if with_model:
        if knowledge is None:
            knowledge = user_knowledge(session, user_id, shared)
        if knowledge is not None:
            model = _history_model(knowledge, rule_rows) if history_over_rules else knowledge.model
            agreement = _rule_agreement(knowledge, rule_rows) if history_over_rules else None
            known = _apply_history(knowledge, model, rows, hits, guesses, names, dates, over_rules=history_over_rules,
                                   canon=canon, keys=(keys, shared), agreement=agreement,
                                   shifts=_household_shifts(agreement, rule_rows))
    _apply_brands(session, rows, hits, guesses)
    _apply_bank_types(session, rows, guesses, bank_types)
    _apply_structure(session, rows, hits, guesses, dates, ruleset, after_history=with_model and knowledge is not None,
                     known=known)
    if knowledge is None:  # cold: the batch's coverage moves the default rules' stored confidence, last (session 28:
        coverage.restate_cold(hits, guesses)  # a bank type code competes with the table's confidence, as before)
    return guesses


def _rule_guesses(hits, names: dict[int, str]) -> list[CategoryGuess]:
    """The rules' answer per row (NO_GUESS where none matched); rows of one rule share one guess."""
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
    return guesses


# the default categories money is spent on: a brand of one of them is a shop, not an employer
_SPENDING_CATEGORIES = frozenset(name for name, kind, _ in categories_service.DEFAULT_CATEGORIES if kind == "expense")


def _default_category_ids(session: Session) -> dict[str, int]:
    """Name -> id of the default (global) categories not archived: what a brand answer may set."""
    stmt = select(Category.id, Category.name).where(Category.user_id.is_(None), Category.is_archived.is_(False))
    return {name: cid for cid, name in session.execute(stmt)}


def _apply_brands(session: Session, rows, hits, guesses: list[CategoryGuess]) -> None:
    """Built-in brand knowledge (``brands.py``) for expenses no rule answers (a fallback guess aside); in place.

    Order: the user's rules, the user's history, the default rules, then brands. A history
    answer stands where it is at least MEMORY_OVER_RULES sure or at least as sure as the
    brand (the same test a weaker history answer meets against a default rule). A brand
    answer is stored as a rule's (source 'rule', no rule id) with its calibrated confidence,
    so under LOW_CONFIDENCE it is listed for review like a default rule's.
    """
    asked: list[int] = []  # the rows a brand may answer; their distinct texts are looked up in one loop (session 22)
    for i, hit in enumerate(hits):
        if (hit is not None and not hit.is_fallback) or rows[i][2] != "expense":
            continue  # a brand says what was bought, not what a refund or an income is
        g = guesses[i]
        if g.source == SOURCE_MODEL and g.confidence is not None and g.confidence >= history.MEMORY_OVER_RULES:
            continue
        asked.append(i)
    if not asked:
        return  # the brand index is loaded only where a row needs it (most files: none)
    index = BrandLookup(brand_index())  # shares work between the batch's texts
    found = {text: index.category(text) for text in dict.fromkeys([rows[i][0] for i in asked])}
    ids: dict[str, int] | None = None
    per_category: dict[str, CategoryGuess | None] = {}
    for i in asked:
        category = found[rows[i][0]]
        answer = per_category.get(category, NO_GUESS) if category is not None else None
        if answer is NO_GUESS and category is not None:
            if ids is None:
                ids = _default_category_ids(session)
            cid = ids.get(category)
            answer = per_category[category] = (
                CategoryGuess(cid, category, SOURCE_RULE, brand_confidence(category), None, BRAND_SIGNAL)
                if cid is not None else None)
        g = guesses[i]
        if answer is not None and not (g.source == SOURCE_MODEL and (g.confidence or 0.0) >= (answer.confidence or 0.0)):
            guesses[i] = answer


def _apply_bank_types(session: Session, rows, guesses: list[CategoryGuess],
                      bank_types: Sequence[str | None] | None) -> None:
    """Answers from the bank's own type code (``banktypes.py``: a cash withdrawal, a bank fee,
    interest or dividends received) where the row's text gives no stronger answer; in place.

    After the user's rules, the history, the default rules and brands; before the batch's
    structure (which then leaves these rows alone: they are answered). The answer (source 'rule', no
    rule id, signal BANK_TYPE_SIGNAL, BANK_TYPE_CONFIDENCE) replaces no answer, a rule-like answer
    less sure than it (a fallback guess, a brand, a default rule often wrong) and a history answer
    under MEMORY_OVER_RULES. It never replaces a user's or an administrator's rule (confidence 1.0),
    a learned rule or a sure history answer; a category set by hand is never asked about at all.
    """
    if bank_types is None:
        return
    if len(bank_types) != len(rows):
        raise ValueError("bank_types must have one value per row")
    ids: dict[str, int] | None = None
    answers: dict[str, CategoryGuess | None] = {}
    for i, code in enumerate(bank_types):
        category = bank_type_category(code, rows[i][2])
        if category is None:
            continue
        g = guesses[i]
        if g.category_id is not None and not (
            (g.source == SOURCE_RULE and (g.confidence or 0.0) < BANK_TYPE_CONFIDENCE)
            or (g.source == SOURCE_MODEL and (g.confidence or 0.0) < history.MEMORY_OVER_RULES)
        ):
            continue
        if category not in answers:
            if ids is None:
                ids = _default_category_ids(session)
            cid = ids.get(category)
            answers[category] = (CategoryGuess(cid, category, SOURCE_RULE, BANK_TYPE_CONFIDENCE, None, BANK_TYPE_SIGNAL)
                                 if cid is not None else None)
        answer = answers[category]
        if answer is not None:
            guesses[i] = answer


def _spending_merchant(rows, ruleset) -> Callable[[int], bool]:
    """Whether row i's text names a merchant people spend at: a brand of a spending category
    (``brands.py``), or a rule for expenses (not a fallback guess) that matches it as an expense.
    Asked of the few credits a structural signal would file as income; once per text."""
    memo: dict[str, bool] = {}
    lookup: list[BrandLookup] = []

    def spending(i: int) -> bool:
        text, amount, _, account = rows[i]
        known = memo.get(text)
        if known is None:
            if not lookup:
                lookup.append(BrandLookup(brand_index()))
            known = lookup[0].category(text) in _SPENDING_CATEGORIES
            if not known and ruleset is not None:
                [hit] = _match_rows(ruleset, [(text, amount, "expense", account)])
                known = hit is not None and not hit.is_fallback and hit.row.kind == "expense"
            memo[text] = known
        return known

    return spending


def _apply_structure(session: Session, rows, hits, guesses: list[CategoryGuess], dates, ruleset=None, *,
                     after_history: bool = False, known: AbstractSet[int] = frozenset()) -> None:
    """Answers from the batch's structure (``structure.py``: recurring series, refunds, small
    purchases) for the rows nothing else answered; in place.

    Last in the order: a user rule, the history, a default rule and a brand all come first. For
    a user without history (``after_history`` False) a fallback guess counts as no answer; where
    the history was asked, it has weighed the fallback guess already, and what counts as no answer
    is a history answer under MEMORY_OVER_RULES (a merchant the user's history has not placed
    surely: the per-user model's guess, a weak memory answer). Either is replaced where the
    structural answer's calibrated confidence (after the history, at most STRUCTURE_AFTER_HISTORY) is
    higher (the same test a brand meets). A
    structural answer is stored as a rule's (source 'rule', no rule id), so under LOW_CONFIDENCE
    it is listed for review like a brand's. ``known``: rows of a merchant the user's history holds under
    the row's own learning key; with STRUCTURE_SPARES_KNOWN a history answer there stands (session 16).
    """
    if after_history:  # rows share guess objects, and after the history the answer reads the guess only
        spare = STRUCTURE_SPARES_KNOWN and bool(known)
        unsure: dict[int, bool] = {}
        open_rows = []
        for i, g in enumerate(guesses):
            u = unsure.get(id(g))  # the guesses list keeps g alive: its id is not reused while this runs
            if u is None:
                u = unsure[id(g)] = g.category_id is None or _unsure(g, None, True)
            if u and not (spare and i in known and g.category_id is not None):
                open_rows.append(i)
    else:
        open_rows = [i for i, g in enumerate(guesses) if g.category_id is None or _unsure(g, hits[i], after_history)]
    if not open_rows:
        return
    found = structural_signals(rows, dates, open_rows, spending=_spending_merchant(rows, ruleset))
    if not found:
        return
    ids = _default_category_ids(session)
    per_signal: dict[str, CategoryGuess | None] = {}
    for i, signal in found.items():
        answer = per_signal.get(signal, NO_GUESS)
        if answer is NO_GUESS:
            cid, conf = ids.get(SIGNALS[signal]), structure_confidence(signal)
            if after_history and STRUCTURE_AFTER_HISTORY is not None:
                conf = min(conf, STRUCTURE_AFTER_HISTORY)
            answer = per_signal[signal] = (
                CategoryGuess(cid, SIGNALS[signal], SOURCE_RULE, conf, None, signal) if cid is not None else None
            )
        if answer is not None and (answer.confidence or 0.0) > (guesses[i].confidence or 0.0):
            guesses[i] = answer


# Session 18 (catcal): after the history was asked, a structural answer fills only rows the history could not place
# surely, and those are harder than a new user's: tuning br, the odd-amount credits left to the structure after
# learning were right 32% (153 rows; 89% cold). Stored no surer than the history's own sure line; the categories are
# the same (it replaces only answers under MEMORY_OVER_RULES). None: the cold confidence.
STRUCTURE_AFTER_HISTORY: float | None = history.MEMORY_OVER_RULES

# Session 16 (catlearn): the structure's answers compete with a history answer under MEMORY_OVER_RULES only for
# merchants the history does not hold under their own key (the population round 5's evidence was about).
STRUCTURE_SPARES_KNOWN = True


def _unsure(guess: CategoryGuess, hit: _Compiled | None, after_history: bool) -> bool:
    """Whether a structural answer may compete with a row's guess: a fallback guess still in place
    (no history asked), or, after the history was asked, a history answer under MEMORY_OVER_RULES.
    Issue #16: on the tuning sets the model's unsure guesses for merchants the history never saw
    were right less often than the structure's answer where that answer's calibrated confidence
    was the higher (small households: 23% against 41%); a fallback guess that stood after the
    history was asked had already beaten the model's guess, and letting the structure replace it
    as well cost za a point."""
    if after_history:
        return guess.source == SOURCE_MODEL and (guess.confidence or 0.0) < history.MEMORY_OVER_RULES
    return hit is not None and hit.is_fallback and guess.source == SOURCE_RULE and guess.rule_id == hit.row.id


def _history_model(knowledge: history.UserKnowledge, rule_rows: tuple[_RuleRow, ...]) -> history.TextModel | None:
    """The user's model that has seen the default rules' answer for every history row (one fit per rule set)."""
    global_rules = tuple(r for r in rule_rows if r.is_global)
    agreement = _rule_agreement(knowledge, rule_rows) if household.RULE_TOKEN_SPLIT != "category" else None

    def tokens(hrows: Sequence[history.HistoryRow]) -> list[str]:
        hits = _history_hits(knowledge, global_rules)
        return [_model_token(h, agreement) if h is not None else "" for h in hits]

    return knowledge.model_for(("default rules", hash(global_rules), household.RULE_TOKEN_SPLIT), tokens)


def _rule_agreement(knowledge: history.UserKnowledge, rule_rows: tuple[_RuleRow, ...]) -> dict:
    """{default rule id: (agreed, answered)} over the user's history: how often the user filed what
    the rule matches where the rule puts it (one pass per rule set)."""
    global_rules = tuple(r for r in rule_rows if r.is_global)

    def answers(hrows: Sequence[history.HistoryRow]) -> list:
        hits = _history_hits(knowledge, global_rules)
        return [(h.row.id, h.row.category_id) if h is not None and not h.is_fallback else None for h in hits]

    return knowledge.rule_agreement(("default rules", hash(global_rules)), answers)


def _history_hits(knowledge: history.UserKnowledge, global_rules: tuple[_RuleRow, ...]) -> list[_Compiled | None]:
    """The default rules' first match per history row, once per rule set and history (the model's tokens and the
    rules' agreement read the same hits; session 21)."""
    return knowledge.rule_hits(global_rules, lambda hrows: _match_rows(
        _compiled_rules(global_rules), [(h.text or h.folded, h.amount_minor, h.kind, h.account) for h in hrows]))


def _household_shifts(agreement: dict | None, rule_rows: tuple[_RuleRow, ...]) -> dict[int, float]:
    """{default rule id: how much surer or less sure it is for this user's household and the rule's group}
    (household.rule_shifts; empty: none moves)."""
    if not agreement or (household.HOUSEHOLD_PRIOR <= 0 and household.GROUP_PRIOR <= 0):
        return {}
    return household.rule_shifts(agreement, ((r.id, r.group, r.confidence) for r in rule_rows if r.is_global))


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


def _stored_answer(guess: CategoryGuess, current_source: str | None) -> tuple | None:
    """(category_id, source, confidence, rule_id, signal) to store for a row now; None: leave it as it is.

    A rule's or the history's answer is stored (rows holding an imported file's own category
    are asked of the rules only). Nothing answers: a category a rule had set is cleared, any
    other (an import's, a history guess stored earlier) stays.
    """
    if guess.category_id is not None:
        return (guess.category_id, guess.source, guess.confidence, guess.rule_id, guess.signal)
    if current_source in (SOURCE_RULE, SOURCE_LEARNED):
        return (None, None, None, None, None)
    return None


def _certain_rule(guess: CategoryGuess) -> bool:
    """Whether a guess is a certain rule's answer: the user's own, a learned or an administrator's
    rule (confidence 1.0). What may replace a category from an imported file's own column on
    re-apply; a brand, a calibrated default rule, a fallback guess, the bank's type code and the
    batch's structure (all under 1.0, or without a rule) may not (session 11)."""
    return (guess.category_id is not None and guess.rule_id is not None
            and guess.source in (SOURCE_RULE, SOURCE_LEARNED) and (guess.confidence or 0.0) >= 1.0)


def _collect_changes(rows, guesses: Sequence[CategoryGuess], changes: list[dict]) -> int:
    """Append the updates rows need to ``changes``; returns how many change category."""
    recategorized = 0
    now = utcnow()
    for r, g in zip(rows, guesses):
        new = _stored_answer(g, r.category_source)
        if new is None:
            continue
        if (r.category_id, r.category_source, r.category_confidence, r.rule_id, r.category_signal) != new:
            recategorized += r.category_id != new[0]
            changes.append({"id": r.id, "category_id": new[0], "category_source": new[1],
                            "category_confidence": new[2], "rule_id": new[3], "category_signal": new[4],
                            "updated_at": now})
    return recategorized


def apply_rules_to_transactions(
    session: Session,
    *,
    user_id: int,
    transaction_ids: Sequence[int] | None = None,
    only_uncategorized: bool = False,
    date_from: dt.date | None = None,
    date_to: dt.date | None = None,
    with_history: bool = False,
) -> int:
    """Run the rules (``with_history``: and the user's history) over the transactions not
    categorized by hand.

    With ``with_history`` each row gets what the importer would store (:func:`categorize_rows`
    with ``history_over_rules``): the user's rules, the merchant memory of their history, the
    per-user model, the default rules (:func:`reapply_categories`, the "Re-apply" action).
    Without it (adding a transaction, accepting a learned rule) only the rules run. Returns
    how many transactions changed category (rows where only the rule that decided, its
    source or confidence changed are updated too, but not counted: the user reads the
    figure as "recategorized"). A hand-set category is never touched; a category the rules
    set earlier is withdrawn when nothing answers any more; a category from an imported
    file's own column is only replaced by a certain rule (:func:`_certain_rule`: the user's own,
    a learned or an administrator's rule), never by a brand, a calibrated default rule, a fallback
    guess, the bank's type code or the batch's structure.

    Under the user's lock, taken first (``services/account_lock.py``'s order, session 28): the rows are read and
    written by Core statements, which no flush locks the user before; they locked the rows first and the user's row
    at the data-version bump, and deadlocked with an import's undo or an edit of one row (which lock the user first).
    """
    lock_user_for_import(session, user_id)
    stmt = select(
        Transaction.id, Transaction.description, Transaction.amount_minor, Transaction.kind, Transaction.account,
        Transaction.date, Transaction.category_id, Transaction.category_source, Transaction.category_confidence,
        Transaction.rule_id, Transaction.category_signal, Transaction.bank_type,
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
        for part in chunked(ids):
            rows.extend(session.execute(stmt.where(Transaction.id.in_(part))).all())
    else:
        rows = session.execute(stmt).all()
    if not rows:
        return 0
    shared = shared_text(session, user_id, (r.description for r in rows))  # one reading for every part
    knowledge = user_knowledge(session, user_id, shared) if with_history else None
    # a category from a file's own column is part of the history itself: only a certain rule may replace it
    imported = [r for r in rows if r.category_source == "import"]
    others = [r for r in rows if r.category_source != "import"] if imported else rows
    changes: list[dict] = []
    recategorized = 0
    for group, know in ((others, knowledge), (imported, None)):
        for begin in range(0, len(group), MAX_ITEMS):
            part = group[begin : begin + MAX_ITEMS]
            guesses = categorize_rows(
                session, user_id=user_id, descriptions=[r.description for r in part],
                amounts_minor=[r.amount_minor for r in part], kinds=[r.kind for r in part],
                accounts=[r.account for r in part], dates=[r.date for r in part], with_model=know is not None,
                knowledge=know, history_over_rules=True, shared=shared,
                # the bank's type code answers like a default rule: not over a file's own category
                bank_types=None if group is imported else [r.bank_type for r in part],
            )
            if group is imported:  # the file's own category gives way to a certain rule only
                guesses = [g if _certain_rule(g) else NO_GUESS for g in guesses]
            recategorized += _collect_changes(part, guesses, changes)
    if changes:
        for changes_part in chunked(changes, 1000):
            session.execute(update(Transaction), changes_part)
        touch_data(session, user_id)
    return recategorized


def reapply_categories(
    session: Session,
    *,
    user_id: int,
    only_uncategorized: bool = False,
    date_from: dt.date | None = None,
    date_to: dt.date | None = None,
    transaction_ids: Sequence[int] | None = None,
) -> int:
    """The "Re-apply" action: the rules *and* the user's learned history (merchant memory, then
    the per-user model) over the transactions not set by hand, as the importer would store them.
    Returns how many changed category (see :func:`apply_rules_to_transactions`)."""
    return apply_rules_to_transactions(
        session, user_id=user_id, transaction_ids=transaction_ids, only_uncategorized=only_uncategorized,
        date_from=date_from, date_to=date_to, with_history=True,
    )
