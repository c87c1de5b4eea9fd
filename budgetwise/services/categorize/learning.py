"""Learning from the user: rules learned from corrections and labelled files, external labels.

A learned rule is an ``exact`` rule on the learning key (:func:`learn_key`) at
``LEARNED_PRIORITY``, or, when the merchant's name generalizes over branch, city, terminal
and country suffixes (:func:`history.choose_stem`), a ``starts_with`` rule on its first
words ("pak save" for "PAK N SAVE KILBIRNIE KILBIRNIE"); :func:`map_external_categories` maps a file's category labels to the
user's categories (vague catch-alls map to none).
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Sequence

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from budgetwise.db import chunked
from budgetwise.errors import NotFoundError
from budgetwise.models import Rule, Transaction, utcnow
from budgetwise.services import categories as categories_service
from budgetwise.services.categorize.engine import _rule_rows, apply_rules_to_transactions
from budgetwise.services.categorize.history import (
    Neighbour,
    choose_stem,
    person_stem,
    stem_matches,
    without_shared_end,
)
from budgetwise.services.categorize.knowledge import shared_text
from budgetwise.services.categorize.rules import check_rule_room
from budgetwise.services.categorize.ruleset import _compiled_rules, _match_rows, _RuleRow
from budgetwise.services.categorize.types import (
    LEARNED_PRIORITY,
    MAX_RULE_NAME,
    MAX_TEXT,
    LearnOffer,
    RuleSpec,
    try_order,
)
from budgetwise.services.versions import touch_data
from budgetwise.text import clean_text, fold
from budgetwise.textforms import household_places, learn_key, names_person

ANY_KIND = "any"  # :func:`_learned_rule_for`: a learned rule of any direction
_NEW_RULE_ID = 2**62  # :func:`_decided_rows`: a rule not written yet (created after every existing one)


def _category_direction(session: Session, user_id: int, category_id: int) -> str | None:
    """The transaction kind a category files, and so the direction of a rule learned for it: "income" or
    "expense" (its own kind); None (both directions) for a transfer category (sessions 14, 15)."""
    kind = categories_service.get_category(session, user_id=user_id, category_id=category_id).kind
    return kind if kind in ("income", "expense") else None


def _rule_direction(session: Session, user_id: int, category_id: int, row_kind: str | None) -> str | None:
    """The direction of a rule learned from a row the user filed under a category: both (None) for a transfer
    category, else the row's own direction ("income" / "expense"; the category's when the row's is unknown). It is
    the category's own but where the user filed a row against it (a refund under Shopping): then the rule files
    that row's direction, not every purchase of the merchant (session 15)."""
    direction = _category_direction(session, user_id, category_id)
    if direction is None:
        return None
    return row_kind if row_kind in ("income", "expense") else direction


def _transfer_direction(session: Session, user_id: int, key: str, kind: str | None, row_kind: str | None) -> str | None:
    """``kind`` (a rule's direction), except for a transfer category's rule (None) on a key that already has a
    learned rule of ``row_kind``'s direction: that rule would still run first for those rows (same key, older), so
    the transfer rule takes its place for that direction instead of being written for both (session 15)."""
    if kind is not None or row_kind not in ("income", "expense"):
        return kind
    directed = session.scalar(select(Rule.id).where(
        Rule.user_id == user_id, Rule.origin == "learned", Rule.match_type.in_(("exact", "starts_with")),
        Rule.pattern == key, Rule.kind == row_kind).limit(1))
    return row_kind if directed is not None else None


def _other_direction(kind: str) -> str:
    return "expense" if kind == "income" else "income"


def _learned_rule_for(session: Session, user_id: int, key: str, kind: str | None = ANY_KIND) -> Rule | None:
    """The learned rule on ``key``; with ``kind`` ("income", "expense", None: both), the one of that direction,
    else one for both directions (which a label of one direction narrows: :func:`review.label`)."""
    stmt = select(Rule).where(
        Rule.user_id == user_id, Rule.origin == "learned", Rule.match_type.in_(("exact", "starts_with")),
        Rule.pattern == key,
    )
    if kind != ANY_KIND:
        stmt = stmt.where(or_(Rule.kind == kind, Rule.kind.is_(None)) if kind else Rule.kind.is_(None))
        return session.scalar(stmt.order_by(Rule.kind.is_(None), Rule.id))  # its own direction first
    return session.scalar(stmt.order_by(Rule.id))


def _learned_spec(key: str, category_id: int, category_name: str, match_type: str = "exact") -> RuleSpec:
    return RuleSpec(
        category_id=category_id, pattern=key, match_type=match_type,
        name=f"Learned: {key[:70]}{' …' if match_type == 'starts_with' else ''} → {category_name}"[:MAX_RULE_NAME],
        priority=LEARNED_PRIORITY,
    )


def _user_keys(session: Session, user_id: int) -> tuple[dict[str, str], frozenset[str]]:
    """Learning key of each distinct description of the user's transactions, and the shared words it was read with
    (:func:`knowledge.shared_text`)."""
    shared = shared_text(session, user_id)
    return {
        d: learn_key(d, shared)
        for (d,) in session.execute(select(Transaction.description).where(Transaction.user_id == user_id).distinct())
    }, shared


def _merchant_transactions(session: Session, user_id: int, key: str, exclude_id: int | None = None,
                           match_type: str = "exact", kind: str | None = None):
    """The user's transactions a learned rule on ``key`` covers (keys computed per distinct description):
    learning key equal to it (``exact``) or starting with its words (``starts_with``); with ``kind``, only the
    rows of that direction (a rule learned for an income or expense category: session 15)."""
    keys, _ = _user_keys(session, user_id)
    if match_type == "starts_with":
        wanted = [d for d, k in keys.items() if stem_matches(key, k)]
    else:
        wanted = [d for d, k in keys.items() if k == key]
    rows = []
    for part in chunked(wanted, 500):
        stmt = select(
            Transaction.id, Transaction.description, Transaction.category_id, Transaction.category_manual,
            Transaction.kind, Transaction.amount_minor, Transaction.account,
        ).where(Transaction.user_id == user_id, Transaction.description.in_(part))
        if kind is not None:
            stmt = stmt.where(Transaction.kind == kind)
        rows.extend(session.execute(stmt).all())
    return [r for r in rows if r.id != exclude_id]


def _decided_rows(session: Session, user_id: int, rows, rule: _RuleRow, narrowed: int | None = None) -> list:
    """Of ``rows`` (:func:`_merchant_transactions`), those whose first matching rule would be ``rule`` with the
    user's rules as they are (``rule`` replacing the rule of its id, or added when its id is ``_NEW_RULE_ID``):
    the rows a learned rule decides, so what accepting it changes. A more specific learned rule, a rule of the
    user's that runs first or a direction the rule does not file keeps its rows (session 15: the offer counted
    the other direction's rows, which the rule never changes). ``narrowed``: a rule for both directions that
    writing ``rule`` narrows to the other one (:func:`_replaces`), so it no longer answers ``rows``."""
    if not rows:
        return []
    # only the rules tried before it matter (the user's own: every global rule runs after them), so the set
    # compiled is small (the user's full set with the default rules took ~0.13 s CPU per offer)
    priority = {int(i): int(p) for i, p in session.execute(select(Rule.id, Rule.priority).where(Rule.user_id == user_id))}
    place = try_order(False, LEARNED_PRIORITY, rule.origin, rule.match_type, rule.pattern, rule.id)
    before = [r for r in _rule_rows(session, user_id) if not r.is_global and r.id not in (rule.id, narrowed)
              and try_order(False, priority.get(r.id, 0), r.origin, r.match_type, r.pattern, r.id) < place]
    ruleset = _compiled_rules(tuple([*before, rule]))
    items = [(clean_text(r.description)[:MAX_TEXT], abs(int(r.amount_minor)), r.kind, clean_text(r.account) or None)
             for r in rows]
    hits = _match_rows(ruleset, items, shared=shared_text(session, user_id))  # the keys as the engine reads them
    return [r for r, hit in zip(rows, hits) if hit is not None and hit.row == rule]


def _learned_row(key: str, category_id: int, match_type: str, kind: str | None, rule_id: int) -> _RuleRow:
    return _RuleRow(id=rule_id, category_id=category_id, match_type=match_type, pattern=key, min_amount_minor=None,
                    max_amount_minor=None, kind=kind, account=None, origin="learned", is_global=False)


def learn_from_correction(
    session: Session, *, user_id: int, transaction_id: int, category_id: int
) -> LearnOffer:
    """After a user recategorizes a transaction: the rule BudgetWise offers to learn.

    Read-only. The offer names the merchant (learning key), the rule it would create (or
    the learned rule it would update) and how many other past transactions it would change.
    The rule files the direction of the category (an income category the merchant's money in, an
    expense category its money out, a transfer category both: ``LearnOffer.kind``), and the offer counts
    only the rows the rule would decide and change (session 15).
    Call :func:`accept_learn_offer` when the user agrees.
    """
    txn = session.scalar(select(Transaction).where(Transaction.id == transaction_id, Transaction.user_id == user_id))
    if txn is None:
        raise NotFoundError(f"Transaction {transaction_id} does not exist.")
    cat = categories_service.get_category(session, user_id=user_id, category_id=int(category_id))
    kind = _rule_direction(session, user_id, cat.id, txn.kind)
    keys, shared = _user_keys(session, user_id)
    full = keys.get(txn.description) or learn_key(txn.description, shared)
    key, match_type = full, "exact"
    if full:
        # the most general name of the merchant the user's own labels allow ("pak save" for any branch); labels
        # of the other direction do not hold it back: the rule never files those rows
        stmt = select(Transaction.description, Transaction.category_id).where(
            Transaction.user_id == user_id, Transaction.id != txn.id, Transaction.category_id.is_not(None),
            or_(Transaction.category_manual.is_(True), Transaction.category_source == "import"),
        )
        if kind is not None:
            stmt = stmt.where(Transaction.kind == kind)
        labelled = session.execute(stmt).all()
        # an export's boilerplate is never a stem's only words (session 19); a person is taught by the whole name, and
        # people's surnames are no places of the household (session 23)
        if names_person(txn.description):
            key = person_stem(full, shared)
        else:
            key = choose_stem(full, cat.id, [Neighbour(keys.get(d, ""), c, True) for d, c in labelled],
                              household_places(without_shared_end(k, shared) for d, k in keys.items()
                                               if " " in k and not names_person(d)), shared)
        match_type = "exact" if key == full else "starts_with"
        kind = _transfer_direction(session, user_id, key, kind, txn.kind)
    spec = _learned_spec(key, cat.id, cat.name, match_type)
    existing = _learned_rule_for(session, user_id, key, kind) if key else None
    past = manual = 0
    if key:
        # an undirected rule of another direction's category stays for that direction (:func:`_upsert_learned_rule`)
        replaced = existing if existing is not None and _replaces(session, user_id, existing, kind) else None
        rule = _learned_row(key, cat.id, match_type, kind, replaced.id if replaced is not None else _NEW_RULE_ID)
        rows = _merchant_transactions(session, user_id, key, exclude_id=txn.id, match_type=match_type, kind=kind)
        narrowed = existing.id if existing is not None and replaced is None else None
        for r in _decided_rows(session, user_id, rows, rule, narrowed):
            if r.category_manual:
                manual += 1
            elif r.category_id != cat.id:
                past += 1
    return LearnOffer(
        transaction_id=txn.id, merchant=key, category_id=cat.id, category_name=cat.name, rule_name=spec.name,
        rule_match_type=match_type, rule_pattern=key, existing_rule_id=existing.id if existing else None,
        matching_past=past, matching_manual=manual, description=txn.description, kind=kind,
        # a "starts_with" rule on the key covers every description an "exact" one would
        already_learned=existing is not None and existing.category_id == cat.id and existing.kind == kind
        and existing.match_type in (match_type, "starts_with"),
    )


def learn_offer_is_current(session: Session, *, user_id: int, offer: LearnOffer) -> bool:
    """Whether an offer still stands: its transaction exists and still has the offered category
    (it was not deleted or recategorized since the offer was made)."""
    category_id = session.scalar(
        select(Transaction.category_id).where(Transaction.id == offer.transaction_id, Transaction.user_id == user_id)
    )
    return category_id is not None and int(category_id) == offer.category_id


def accept_learn_offer(session: Session, *, user_id: int, offer: LearnOffer, apply_to_past: bool = True) -> int:
    """Create (or update) the learned rule of an offer; apply it to past non-manual transactions.

    Future transactions of this merchant follow the rule automatically. Returns how many
    past transactions changed.
    """
    if not offer.merchant:
        return 0
    rule = _upsert_learned_rule(session, user_id, offer.merchant, offer.category_id, offer.rule_match_type, offer.kind)
    touch_data(session, user_id)
    if not apply_to_past:
        return 0
    # the rows the rule decides (its direction, no more specific rule first): the rows the offer counted
    target = _learned_row(rule.pattern, rule.category_id, rule.match_type, rule.kind, rule.id)
    rows = _merchant_transactions(session, user_id, offer.merchant, match_type=offer.rule_match_type, kind=offer.kind)
    ids = [r.id for r in _decided_rows(session, user_id, [r for r in rows if not r.category_manual], target)]
    return apply_rules_to_transactions(session, user_id=user_id, transaction_ids=ids) if ids else 0


def _replaces(session: Session, user_id: int, existing: Rule, kind: str | None | object) -> bool:
    """Whether writing the learned rule of direction ``kind`` updates ``existing`` (found by
    :func:`_learned_rule_for`) rather than adding a rule beside it: not when ``existing`` is a rule for both
    directions whose category files another direction than ``kind`` (a transfer's, or the other one's): that
    rule keeps filing the other direction (session 15)."""
    if kind in (ANY_KIND, None) or existing.kind is not None:
        return True
    return _category_direction(session, user_id, existing.category_id) == kind


def _upsert_learned_rule(session: Session, user_id: int, key: str, category_id: int,
                         match_type: str | None = None, kind: str | None = ANY_KIND) -> Rule:
    """Create or update the learned rule on ``key`` (``match_type`` None: keep an existing rule's, else exact;
    ``kind``: the rule's direction, :func:`_learned_rule_for`; ANY_KIND: keep an existing rule's, else both)."""
    cat = categories_service.get_category(session, user_id=user_id, category_id=int(category_id))
    existing = _learned_rule_for(session, user_id, key, kind)
    if existing is not None and not _replaces(session, user_id, existing, kind):
        # a rule for both directions learned before session 15 ("acme" -> Groceries): it keeps the other
        # direction, and this direction gets its own rule (narrowing it would leave the other with none)
        existing.kind = _other_direction(str(kind))
        existing.updated_at = utcnow()
        existing = None
    match_type = match_type or (existing.match_type if existing is not None else "exact")
    spec = _learned_spec(key, cat.id, cat.name, match_type)
    if existing is not None:
        existing.category_id = cat.id
        existing.match_type = match_type
        existing.name = spec.name
        existing.is_active = True
        if kind != ANY_KIND:
            existing.kind = kind
        existing.updated_at = utcnow()
        session.flush()
        return existing
    check_rule_room(session, user_id)
    rule = Rule(
        user_id=user_id, category_id=cat.id, name=spec.name, priority=LEARNED_PRIORITY, match_type=match_type,
        pattern=key, origin="learned", is_active=True, kind=None if kind == ANY_KIND else kind,
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


def learn_from_labeled(session: Session, *, user_id: int, rows: Sequence[tuple]) -> int:
    """Learn merchant habits from (description, category_id[, kind]) rows, as if each were corrected by hand.

    For each merchant (learning key) and direction (the row's ``kind``, "income" or "expense"; without it, the
    direction of the row's category, a transfer category's row counting for both) the most frequent category
    wins, and the learned rule files that direction only (session 15: one rule for both filed a merchant's
    refunds under its spending category). A transfer category's rule, or one category winning both
    directions, is one rule for both directions. A learned rule is created (or updated) where the user's
    current rules would not already give that category. Returns how many learned rules were created or
    changed. Does not touch transactions (call :func:`apply_rules_to_transactions` for that).
    """
    votes: dict[str, dict[str, dict[int, int]]] = defaultdict(lambda: {"expense": defaultdict(int),
                                                                        "income": defaultdict(int)})
    direction: dict[int, str | None] = {}
    shared = shared_text(session, user_id, (r[0] for r in rows))  # the keys as the file's rows will be read
    for description, category_id, *row_kind in rows:
        if category_id is None:
            continue
        cid = int(category_id)
        if cid not in direction:
            direction[cid] = _category_direction(session, user_id, cid)
        key = learn_key(clean_text(description)[:MAX_TEXT], shared)
        if not key:
            continue
        kind = row_kind[0] if row_kind and row_kind[0] in ("income", "expense") else direction[cid]
        for d in (kind,) if kind is not None else ("expense", "income"):
            votes[key][d][cid] += 1
    if not votes:
        return 0
    ruleset = _compiled_rules(_rule_rows(session, user_id))
    changed = 0
    for key, by_direction in votes.items():
        won = {d: min(counts.items(), key=lambda kv: (-kv[1], kv[0]))[0] for d, counts in by_direction.items() if counts}
        if len(set(won.values())) == 1 and (len(won) == 2 or direction[next(iter(won.values()))] is None):
            wanted: list[tuple[int, str | None]] = [(next(iter(won.values())), None)]  # one answer for both ways
        else:
            wanted = [(cid, d) for d, cid in won.items()]
        for cid, kind in wanted:
            existing = _learned_rule_for(session, user_id, key, kind)
            if existing is not None:
                if (existing.category_id, existing.kind) != (cid, kind):
                    _upsert_learned_rule(session, user_id, key, cid, kind=kind)
                    changed += 1
                continue
            # would the current rules already say so for this merchant (in the rule's direction; either, for both)?
            hits = _match_rows(ruleset, [(key, 1, k, None) for k in ((kind,) if kind else ("expense", "income"))])
            if any(h is not None and not h.is_fallback and h.row.category_id == cid for h in hits):
                continue
            _upsert_learned_rule(session, user_id, key, cid, kind=kind)
            changed += 1
    if changed:
        touch_data(session, user_id)
    return changed


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


def map_external_credit_categories(session: Session, *, user_id: int, labels: Sequence[str]) -> dict[str, int]:
    """For a label that names no direction ("Investment"), the category a CREDIT under it takes when the label's
    suggestion is used (:data:`budgetwise.services.default_rules.EXTERNAL_CATEGORY_CREDITS`: a credit labelled
    "Investment" is investment income, a debit the money put in). Labels naming one of the user's own categories,
    or a category of that very name, are left out: those mean what they say in both directions."""
    from budgetwise.services.default_rules import EXTERNAL_CATEGORY_CREDITS

    cats = categories_service.list_categories(session, user_id=user_id)
    by_name: dict[str, int] = {}
    for c in sorted(cats, key=lambda c: c.is_global, reverse=True):
        by_name[fold(c.name)] = c.id
    credits = {fold(k): v for k, v in EXTERNAL_CATEGORY_CREDITS.items()}
    out: dict[str, int] = {}
    for label in labels:
        key = fold(clean_text(label))
        if key in by_name:
            continue
        name = credits.get(re.sub(r"[^a-z0-9&]+", " ", key).strip())
        if name is not None and fold(name) in by_name:
            out[label] = by_name[fold(name)]
    return out


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
