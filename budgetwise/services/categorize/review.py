"""The review queue of the Categorize page (and saving it), the categorization statistics and the labelling plan."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace

from sqlalchemy import and_, func, or_, select, update
from sqlalchemy.orm import Session

from budgetwise.db import chunked
from budgetwise.models import Category, Transaction
from budgetwise.services.categorize.explain import how_categorized
from budgetwise.services.categorize.knowledge import shared_text
from budgetwise.services.categorize.model import LOW_CONFIDENCE
from budgetwise.services.categorize.suggestions import suggest_for_transactions
from budgetwise.services.categorize.types import SOURCE_LEARNED, SOURCE_MODEL, SOURCE_RULE, Suggestion
from budgetwise.text import clean_text


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
    rule_id: int | None = None  # the rule that set the category (None: not a rule, or a brand/structure answer)
    signal: str | None = None  # a brand/structure answer: what it came from (transactions.category_signal)

    @property
    def how(self) -> str:
        """How the row got its category now, in plain words (``explain.how_categorized``)."""
        return how_categorized(self.category_source, self.rule_id, self.confidence, self.category_name,
                               signal=self.signal, kind=self.kind)


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
            category_source=t.category_source, confidence=t.category_confidence, rule_id=t.rule_id,
            signal=t.category_signal,
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
    """How the user's transactions got their categories: 'none' = uncategorized; 'guess' = a category
    stored under LOW_CONFIDENCE and not set by hand, whatever gave it (a rule's fallback guess, a less
    sure default rule, a guess from the user's past categories): exactly the rows the review queue and
    the labelling plan count as uncertain; 'manual' = set or confirmed by hand (an accepted suggestion
    too); otherwise the source ('import', 'rule', 'learned', 'model': learned from the user's history)."""
    waiting = _waiting_clause()  # the review queue's and the labelling plan's own test (uncategorized rows: 'none')
    stmt = (
        select(Transaction.category_source, Transaction.category_id.is_(None), waiting,
               Transaction.category_manual, func.count(Transaction.id))
        .where(Transaction.user_id == user_id)
        .group_by(Transaction.category_source, Transaction.category_id.is_(None), waiting, Transaction.category_manual)
    )
    out: dict[str, int] = defaultdict(int)
    for source, is_none, is_guess, manual, n in session.execute(stmt):
        if is_none:
            out["none"] += int(n)
        elif is_guess:
            out["guess"] += int(n)
        elif manual and source != "import":  # a file's own category column is the file's, not the user's hand
            out["manual"] += int(n)
        else:
            out[source or "other"] += int(n)
    return dict(out)

# =========================================================================== the fastest path to "categorized"
@dataclass(frozen=True)
class LabellingPlan:
    """"Label these N to sort M": the merchants whose labelling sorts the most waiting rows."""

    waiting: int  # uncategorized or uncertain (confidence < LOW_CONFIDENCE, not set by hand)
    uncategorized: int
    items: tuple  # history.PlanItem, largest first
    no_text: int = 0  # waiting rows whose description names no merchant (blank, "test", "N/A"; no offer sorts them)
    # per item's stem: the merchant's other transactions, with a confident category not set by hand (from
    # the file's own column, a rule): a label leaves them as they are (:func:`label_merchant`)
    kept: Mapping[str, int] = field(default_factory=dict)
    union: int | None = None  # the rows labelling every item sorts, each once (None: the items' sum)
    # per item's stem: the offered shorter stem it falls under ("netflix" for "netflix omitted"), whose label sorts
    # its rows too, so its own click is only for another category (session 13: two "netflix" offers, no reason given)
    within: Mapping[str, str] = field(default_factory=dict)
    # per item's stem: the direction its count is for ("income": money in, "expense": money out). A label files only
    # that direction's rows (:func:`label` with ``kind``; session 14: capital losses filed under Investment Income),
    # so an item counts those (session 15: "label these 10 to sort 640" counted both directions, a click filed one)
    kinds: Mapping[str, str] = field(default_factory=dict)
    # per item's stem: its waiting rows of the other direction, not counted (offered once the item is labelled)
    other: Mapping[str, int] = field(default_factory=dict)
    # per item's stem: the category most of its waiting rows of the counted direction already hold as an unsure guess
    # (a rule or the history under the review line), else the suggestion the review table shows for its example row;
    # offered pre-chosen so that one click on "Label" confirms it; absent when there is neither (session 17: every
    # box started empty, a guess or not); also absent where the rows disagree strongly (:func:`_disagree`, session 18:
    # "online" started on Dining, its rows a €20 purchase and a €2,000 bank transfer)
    guess: Mapping[str, str] = field(default_factory=dict)
    # per item's stem: the amounts of its counted rows, (currency, smallest, largest minor units) per currency
    amounts: Mapping[str, tuple[tuple[str, int, int], ...]] = field(default_factory=dict)
    # per item's stem whose guess was withheld: why, in plain words (the page shows it beside the amount range)
    unsure: Mapping[str, str] = field(default_factory=dict)
    # waiting rows whose learning key holds only words (nearly) every description of the user shares (an export's boilerplate such as
    # "… Omitted due to Privacy Reasons" after a payee the key drops: "PayPal", "C1000"); no offer sorts them either,
    # since one would file different payees as one (session 19: "omitted due", 186 rows of PayPal and others)
    shared: int = 0
    # the ``no_text`` rows whose description has words, only placeholder ones (textnames.names_merchant: "test",
    # "X - Omitted due to Privacy Reasons"), and the most common such description: the page says "no usable
    # description (only a placeholder such as …)" (session 25: "673 … have no description" under a file whose every
    # row had one)
    placeholder_rows: int = 0
    placeholder: str = ""
    # the items' stems whose words name a savings account (account_kinds.names_savings_account): money moved to or
    # from one's own, a transfer both ways; their guess is the transfer category (session 28)
    savings: frozenset[str] = frozenset()

    @property
    def sorts(self) -> int:
        """"Label these N to sort M": M, every waiting row once (a short stem's rows hold a longer one's)."""
        return sum(i.rows for i in self.items) if self.union is None else self.union


def _waiting_clause():
    return or_(Transaction.category_id.is_(None), and_(
        Transaction.category_manual.is_(False), Transaction.category_confidence < LOW_CONFIDENCE
    ))


def labelling_plan(session: Session, *, user_id: int, limit: int = 10) -> LabellingPlan:
    """How many transactions wait for a category, and the few merchants that would sort most of them.

    One SQL GROUP BY over the waiting rows' descriptions; the merchant of each distinct
    description is worked out once and grouped over branch, city, terminal and country
    suffixes (:func:`history.plan_stem`).
    """
    from budgetwise.services.account_kinds import names_savings_account
    from budgetwise.services.categorize import history
    from budgetwise.textforms import learn_key, names_merchant

    stmt = (
        select(Transaction.description, Transaction.category_id, Transaction.kind, func.count(Transaction.id))
        .where(Transaction.user_id == user_id, _waiting_clause())
        .group_by(Transaction.description, Transaction.category_id, Transaction.kind)
    )
    rows = session.execute(stmt).all()
    waiting = sum(int(n) for *_, n in rows)
    uncategorized = sum(int(n) for _, category_id, _, n in rows if category_id is None)
    keys: dict[str, str] = {}
    grouped = []
    no_text = 0
    placeholders: dict[str, int] = defaultdict(int)
    by_key: dict[str, int] = defaultdict(int)
    in_by_key: dict[str, int] = defaultdict(int)
    guessed: dict[tuple[str, str], dict[int, int]] = defaultdict(lambda: defaultdict(int))  # (key, direction) -> id -> n
    common = shared_text(session, user_id) if rows else frozenset()  # the keys as the engine reads them
    for description, category_id, kind, n in rows:
        k = keys.get(description)
        if k is None:
            k = keys[description] = learn_key(description, common)
        if category_id is not None:
            guessed[(k, "income" if kind == "income" else "expense")][int(category_id)] += int(n)
        grouped.append((k, description, int(n)))
        by_key[k] += int(n)
        in_by_key[k] += int(n) if kind == "income" else 0
        if not names_merchant(k):
            no_text += int(n)
            if k:  # words, but only placeholders: not a blank description
                placeholders[description] += int(n)
    shared = sum(n for k, _, n in grouped if common and names_merchant(k) and not history.holds_merchant(k, common))
    # each merchant counted in the direction most of its waiting rows go (what one click files), the largest
    # first: ask for more merchants until none left out could count more than the last one taken
    kinds: dict[str, str] = {}
    other: dict[str, int] = {}
    want = max(0, int(limit))
    items: list[history.PlanItem] = []
    ask = 3 * want
    while want:
        ranked = history.labelling_plan(grouped, limit=ask, shared=common)
        items = []
        for item in ranked:
            money_in = sum(in_by_key.get(k, 0) for k in item.keys)
            kind = "income" if money_in > item.rows - money_in else "expense"
            kinds[item.stem], other[item.stem] = kind, min(money_in, item.rows - money_in)
            items.append(replace(item, rows=item.rows - other[item.stem]))
        items = sorted(items, key=lambda i: (-i.rows, i.stem))[:want]
        if len(ranked) < ask or (len(items) == want and ranked[-1].rows < items[-1].rows):
            break  # every merchant seen, or one left out counts fewer rows (in both directions) than the last taken
        ask *= 4
    items = history.larger_first(items)
    by_direction = {(k, kind): n for k, n in by_key.items() for kind, n in
                    (("income", in_by_key.get(k, 0)), ("expense", n - in_by_key.get(k, 0)))}
    union = sum(by_direction.get(pair, 0) for pair in {(k, kinds[i.stem]) for i in items for k in i.keys})
    within = {s: a for s, a in plan_within(items).items() if kinds[s] == kinds[a]}
    amounts = _amounts(session, user_id, items, kinds, grouped)
    # a savings account's offer proposes a transfer whichever way its rows go, whatever they hold (session 28): every
    # key under the stem names one (the stem may be shorter: "naar oranje" of "naar oranje spaarrekening")
    savings = frozenset(i.stem for i in items if all(names_savings_account(k) for k in (i.keys or (i.stem,))))
    guesses = _guesses(session, user_id, items, kinds, guessed, savings)
    unsure = {i.stem: why for i in items if i.stem in guesses and i.stem not in savings
              and (why := _disagree(i.rows, other[i.stem], amounts.get(i.stem, {}), guessed, i.keys, kinds[i.stem],
                                    guesses[i.stem], session))}
    return LabellingPlan(waiting, uncategorized, tuple(items), no_text, _kept(session, user_id, [i.stem for i in items]),
                         union, within, {i.stem: kinds[i.stem] for i in items}, {i.stem: other[i.stem] for i in items},
                         {s: g for s, g in guesses.items() if s not in unsure},
                         {s: tuple((c, a[0], a[-1]) for c, a in sorted(by_cur.items())) for s, by_cur in amounts.items()},
                         unsure, shared, sum(placeholders.values()),
                         min(placeholders, key=lambda d: (-placeholders[d], d)) if placeholders else "",
                         savings=savings)


SPREAD = 10  # a counted row this many times the rows' median amount (or more) makes a pre-chosen guess unsure


def _amounts(session: Session, user_id: int, items: Sequence, kinds: Mapping[str, str],
             grouped: Sequence[tuple[str, str, int]]) -> dict[str, dict[str, list[int]]]:
    """Per offered stem, per currency, the sorted amounts of its waiting rows of the direction it counts (one
    GROUP BY over the offered merchants' descriptions)."""
    stem_of: dict[str, list[str]] = defaultdict(list)  # description -> stems it counts for
    for item in items:
        for k, description, _ in grouped:
            if k in item.keys:
                stem_of[description].append(item.stem)
    out: dict[str, dict[str, list[int]]] = {i.stem: defaultdict(list) for i in items}
    for part in chunked(sorted(stem_of), 500):
        for description, kind, currency, amount, n in session.execute(
                select(Transaction.description, Transaction.kind, Transaction.currency, Transaction.amount_minor,
                       func.count(Transaction.id))
                .where(Transaction.user_id == user_id, Transaction.description.in_(part), _waiting_clause())
                .group_by(Transaction.description, Transaction.kind, Transaction.currency, Transaction.amount_minor)):
            direction = "income" if kind == "income" else "expense"
            for stem in stem_of[description]:
                if kinds[stem] == direction:
                    out[stem][currency].extend([abs(int(amount))] * min(int(n), 1000))
    return {s: {c: sorted(a) for c, a in by_cur.items()} for s, by_cur in out.items() if by_cur}


def _disagree(rows: int, other: int, amounts: Mapping[str, list[int]], guessed, keys, kind: str, guess: str,
              session: Session) -> str:
    """Why an offer's rows disagree too strongly for one click to file them under a pre-chosen guess ("": they
    agree): the merchant's waiting rows go both ways (the other direction a third or more of them: a bank or a
    person, rarely a shop); one amount is ``SPREAD`` times the rows' median or more (a €2,000 transfer beside €20
    purchases); or the guess is held by fewer than half the counted rows (the rest hold none or another)."""
    if other and 3 * other >= rows + other:
        return "money goes both ways"
    for values in amounts.values():
        if values and values[-1] >= SPREAD * max(values[(len(values) - 1) // 2], 1):
            return "the amounts differ widely"
    votes = _votes(keys, kind, guessed)
    if votes:
        name_of = dict(session.execute(select(Category.id, Category.name).where(Category.id.in_(set(votes)))).all())
        held = sum(n for cid, n in votes.items() if name_of.get(cid) == guess)
        if 2 * held < rows:
            return "few of them hold that guess"
    return ""


def _votes(keys: Iterable[str], kind: str, guessed: Mapping[tuple[str, str], Mapping[int, int]]) -> dict[int, int]:
    """Per category id, how many of an offer's waiting rows (its learning keys, the direction ``kind``) hold it."""
    votes: dict[int, int] = defaultdict(int)
    for k in keys:
        for cid, n in guessed.get((k, kind), {}).items():
            votes[cid] += n
    return votes


def _guesses(session: Session, user_id: int, items: Sequence, kinds: Mapping[str, str],
             guessed: Mapping[tuple[str, str], Mapping[int, int]], savings: frozenset[str] = frozenset()) -> dict[str, str]:
    """Per offered stem, the name of the category most of its waiting rows (of the direction it counts) hold as a
    guess (ties: the lower id); where none holds one, the suggestion the review table shows for its example row (the
    user's history, :func:`suggest_for_transactions`). Only the user's own and the shared categories are named. A stem
    of ``savings`` (its words name a savings account: money moved to or from one's own) gets the transfer category
    (:func:`_transfer_category`) in either direction, whatever its rows hold (session 28: "spaarrekening" was offered
    with an expense category for its money-out rows)."""
    transfer = _transfer_category(session, user_id) if savings else None
    if transfer is not None:
        items = [i for i in items if i.stem not in savings]
    best: dict[str, int] = {}
    for item in items:
        votes = _votes(item.keys, kinds[item.stem], guessed)
        if votes:
            best[item.stem] = min(votes, key=lambda c: (-votes[c], c))
    out: dict[str, str] = {}
    if best:
        names = dict(session.execute(select(Category.id, Category.name).where(
            Category.id.in_(set(best.values())), or_(Category.user_id == user_id, Category.user_id.is_(None)))).all())
        out = {stem: names[cid] for stem, cid in best.items() if cid in names}
    rest = [i for i in items if i.stem not in out]
    if rest:  # one waiting row per merchant without a guess: its example, in the direction counted
        example_ids: dict[str, int] = {}
        for item in rest:
            kind_clause = (Transaction.kind == "income") if kinds[item.stem] == "income" else (Transaction.kind != "income")
            tid = session.scalar(select(Transaction.id).where(
                Transaction.user_id == user_id, Transaction.description == item.example, kind_clause, _waiting_clause(),
            ).limit(1))
            if tid is not None:
                example_ids[item.stem] = int(tid)
        suggested = suggest_for_transactions(session, user_id=user_id, transaction_ids=list(example_ids.values()))
        for stem, tid in example_ids.items():
            if tid in suggested:
                out[stem] = suggested[tid].category_name
    if transfer is not None:
        out.update(dict.fromkeys(savings, transfer))
    return out


def _transfer_category(session: Session, user_id: int) -> str | None:
    """The name of the category money between one's own accounts goes to: the shared "Transfers" (a category of kind
    transfer), else the user's own of that kind (by name); archived ones are not offered. None if there is none."""
    found = session.execute(select(Category.name, Category.user_id).where(
        Category.kind == "transfer", Category.is_archived.is_(False),
        or_(Category.user_id == user_id, Category.user_id.is_(None)))).all()
    return min(found, key=lambda r: (r[1] is not None, r[0]))[0] if found else None


def plan_within(items: Iterable) -> dict[str, str]:
    """Per offered stem, the offered shorter stem it falls under (a word prefix of it), if any: a shorter stem
    counts the rows of a longer one under it, so it ranks above it."""
    stems = [i.stem for i in items]
    offered = set(stems)
    out = {}
    for stem in stems:
        words = stem.split()
        above = next((p for p in (" ".join(words[:n]) for n in range(1, len(words))) if p in offered), "")
        if above:
            out[stem] = above
    return out


def _kept(session: Session, user_id: int, stems: list[str]) -> dict[str, int]:
    """Per stem, the transactions a label leaves alone: confident (not waiting), not set by hand."""
    from budgetwise.services.categorize.history import stem_matches
    from budgetwise.textforms import learn_key

    if not stems:
        return {}
    stmt = (
        select(Transaction.description, func.count(Transaction.id))
        .where(Transaction.user_id == user_id, Transaction.category_id.is_not(None),
               Transaction.category_manual.is_(False),
               func.coalesce(Transaction.category_confidence, 1.0) >= LOW_CONFIDENCE)  # not waiting (NULL: sure)
        .group_by(Transaction.description)
    )
    out = dict.fromkeys(stems, 0)
    shared = shared_text(session, user_id)
    for description, n in session.execute(stmt):
        key = learn_key(description, shared)
        for stem in stems:
            if key and stem_matches(stem, key):
                out[stem] += int(n)
    return out


_STATE = ("category_id", "category_source", "category_confidence", "rule_id", "category_signal", "category_manual")


@dataclass(frozen=True)
class Labelled:
    """What one click of the plan did (:func:`label`), enough for :func:`undo_label`: plain data a page
    may keep. ``rows``: (id, state before, state after) of each row the click changed (:data:`_STATE`)."""

    merchant: str
    category_id: int
    filed: int
    rule_id: int
    rule_before: tuple | None  # (category_id, match_type, name, is_active, kind) of a rule that existed; None: created
    rows: tuple[tuple[int, tuple, tuple], ...] = ()
    kind: str | None = None  # the direction filed (the category's: "income", "expense"; None: both, a transfer)
    left: int = 0  # the merchant's waiting rows of the other direction, left waiting
    # a learned rule for both directions whose category files the other one: the click narrowed it to that
    # direction and wrote its own rule beside it (``learning._replaces``); Undo widens it back (session 15)
    narrowed: int | None = None


def _states(session: Session, user_id: int, ids: list[int]) -> dict[int, tuple]:
    """The category state of the rows, by id (whether set by hand too: a label sets its rows so)."""
    cols = [getattr(Transaction, c) for c in _STATE]
    out: dict[int, tuple] = {}
    for part in chunked(ids, 500):
        for row in session.execute(select(Transaction.id, *cols).where(
                Transaction.user_id == user_id, Transaction.id.in_(part))):
            out[int(row[0])] = tuple(row[1:])
    return out


def label_merchant(session: Session, *, user_id: int, merchant: str, category_id: int, kind: str | None = None) -> int:
    """:func:`label`'s count: how many of the merchant's waiting rows are filed under ``category_id`` now."""
    return label(session, user_id=user_id, merchant=merchant, category_id=category_id, kind=kind).filed


def label(session: Session, *, user_id: int, merchant: str, category_id: int, kind: str | None = None) -> Labelled:
    """One click of the plan: learn ``merchant`` (a plan item's stem) as ``category_id`` and apply it.

    Creates (or updates) a learned ``starts_with`` rule on the merchant's words, so every
    branch and terminal follows in future imports; of the past transactions, the merchant's
    waiting ones (uncategorized or uncertain, the rows the offer counted) change now. A category
    set by hand, or a confident one (from the file's own column, a rule), stays: the offer said
    how many rows it sorts, and a click changes no others (QA: "atm withdrawal · 42" recategorized
    468 rows, 426 of them categorized by the imported file). ``filed``: how many of those waiting rows
    are filed under ``category_id`` now, also the ones whose guess was that category already (now
    confirmed by the rule), which a count of changed categories called "no transaction changed" (QA).
    ``kind`` (a plan item's :attr:`LabellingPlan.kinds`: "income" or "expense"): the click files that direction's
    rows only, the rows the item counted, also with a transfer category (whose rule still files both in future);
    a category of the other direction is refused (session 15).
    """
    from budgetwise.services.categorize.engine import apply_rules_to_transactions
    from budgetwise.services.categorize.learning import (
        _category_direction,
        _learned_rule_for,
        _merchant_transactions,
        _transfer_direction,
        _upsert_learned_rule,
    )
    from budgetwise.services.versions import touch_data

    merchant = " ".join(clean_text(merchant).split())[:200]
    if not merchant:
        from budgetwise.errors import ValidationError

        raise ValidationError("Choose a merchant to label.")
    # an income category files the money in, an expense one the money out, a transfer both (session 14); the
    # learned rule holds the same limit, so the next capital loss is not filed as investment income either
    rule_kind = _category_direction(session, user_id, int(category_id))
    if kind is not None and kind not in ("income", "expense"):
        raise ValueError(f"kind must be 'income', 'expense' or None, not {kind!r}")
    if kind is not None and rule_kind not in (None, kind):
        from budgetwise.errors import ValidationError

        raise ValidationError(f"This offer is for money {'in' if kind == 'income' else 'out'}: choose "
                              f"{'an income' if kind == 'income' else 'an expense'} or a transfer category.")
    rule_kind = _transfer_direction(session, user_id, merchant, rule_kind, kind)
    existing = _learned_rule_for(session, user_id, merchant, rule_kind)
    before_rule = None if existing is None else (
        existing.category_id, existing.match_type, existing.name, existing.is_active, existing.kind)
    rule = _upsert_learned_rule(session, user_id, merchant, int(category_id), "starts_with", rule_kind)
    narrowed = None
    if existing is not None and existing.id != rule.id:  # an undirected rule kept for the other direction
        narrowed, before_rule = existing.id, None
    kind = kind or rule_kind  # the direction this click files (None: both)
    touch_data(session, user_id)
    ids = [r.id for r in _merchant_transactions(session, user_id, merchant, match_type="starts_with")
           if not r.category_manual]
    waiting: list[int] = []
    left = 0
    for part in chunked(ids, 500):
        for i, k in session.execute(select(Transaction.id, Transaction.kind).where(
                Transaction.user_id == user_id, Transaction.id.in_(part), _waiting_clause())):
            if kind is None or k == kind:
                waiting.append(int(i))
            else:
                left += 1
    before = _states(session, user_id, waiting)
    if waiting:
        apply_rules_to_transactions(session, user_id=user_id, transaction_ids=waiting)
        # the user chose this category for the rows the offer counted: theirs now, as a category set in the review
        # table (the "By you" count, the history suggestions learn from; session 18: 16 rows labelled, "By you" 0
        # and "Suggestions appear once you have categorized some transactions by hand" stayed)
        for part in chunked(waiting, 500):
            session.execute(update(Transaction).where(
                Transaction.user_id == user_id, Transaction.id.in_(part), Transaction.category_id == int(category_id),
            ).values(category_manual=True, category_source="manual", category_confidence=None, rule_id=None,
                     category_signal=None))
        session.flush()
    after = _states(session, user_id, waiting)
    return Labelled(merchant, int(category_id), sum(1 for v in after.values() if v[0] == int(category_id)),
                    rule.id, before_rule,
                    tuple((i, before[i], after[i]) for i in waiting if i in after and before.get(i) != after[i]),
                    kind, left, narrowed)


def undo_label(session: Session, *, user_id: int, labelled: Labelled) -> int:
    """Put back what :func:`label` did: each row it changed that nobody changed since gets its category
    back, and the rule is deleted (or, if it existed, gets its category back). Returns the rows put back.
    Under the user's lock, taken first (session 28: the rows' Core updates locked them before the user's row)."""
    from budgetwise.models import Rule
    from budgetwise.services.versions import lock_user_for_import, touch_data

    lock_user_for_import(session, user_id)

    now = _states(session, user_id, [i for i, _, _ in labelled.rows])
    back = [(i, before) for i, before, after in labelled.rows if now.get(i) == tuple(after)]
    _check_undo_ids(session, user_id, labelled, [before for _, before in back])
    for i, before in back:
        session.execute(update(Transaction).where(Transaction.user_id == user_id, Transaction.id == i)
                        .values(dict(zip(_STATE, before))))
    rule = session.scalar(select(Rule).where(Rule.id == labelled.rule_id, Rule.user_id == user_id))
    if rule is not None and rule.category_id == labelled.category_id:
        if labelled.rule_before is None:
            session.delete(rule)
        else:
            rule.category_id, rule.match_type, rule.name, rule.is_active, rule.kind = labelled.rule_before
        if labelled.narrowed is not None:  # the rule for both directions the click narrowed: both again
            wide = session.scalar(select(Rule).where(Rule.id == labelled.narrowed, Rule.user_id == user_id))
            if wide is not None:
                wide.kind = None
    session.flush()
    touch_data(session, user_id)
    return len(back)


def _check_undo_ids(session: Session, user_id: int, labelled: Labelled, states: list[tuple]) -> None:
    """The categories and rules an undo would put back (``states``: the rows' states before the click) are ones the
    user may use (their own or a global one), else NotFoundError before anything is written: a :class:`Labelled` is
    data a page kept, and the service checks it as any id it is given (session 19 audit: another user's category was
    written back unchecked; a global category an administrator merged away meanwhile failed on the foreign key)."""
    from budgetwise.models import Rule
    from budgetwise.services.categories import get_category

    index = {name: n for n, name in enumerate(_STATE)}
    categories = {before[index["category_id"]] for before in states}
    if labelled.rule_before is not None:
        categories.add(labelled.rule_before[0])
    for cid in sorted(c for c in categories if c is not None):
        get_category(session, user_id=user_id, category_id=int(cid))
    rules = {int(r) for before in states if (r := before[index["rule_id"]]) is not None}
    for part in chunked(sorted(rules), 500):
        usable = set(session.scalars(select(Rule.id).where(
            Rule.id.in_(part), or_(Rule.user_id == user_id, Rule.user_id.is_(None)))))
        if set(part) - usable:
            from budgetwise.errors import NotFoundError

            raise NotFoundError("A rule this label's undo would put back no longer exists: nothing was undone.",
                                field="rule")


# =========================================================================== saving the review table
@dataclass(frozen=True)
class ReviewEdit:
    """One row of the review table as the user left it."""

    transaction_id: int
    category_id: int | None = None  # a category set by hand ("Set category")
    accept: bool = False  # the "Accept" box of the suggestion shown


@dataclass(frozen=True)
class ReviewDecision:
    """What saving the review table does: categories set by hand and suggestions accepted."""

    chosen: dict[int, list[int]]  # category id -> transaction ids set to it by hand
    accepted: list[tuple[int, int, float]]  # (transaction id, category id, confidence)

    @property
    def set_by_hand(self) -> int:
        return sum(len(ids) for ids in self.chosen.values())

    @property
    def empty(self) -> bool:
        return not self.chosen and not self.accepted


def review_decision(
    queue: Iterable[ReviewRow], edits: Iterable[ReviewEdit], *, accept_from_percent: int | None = None,
) -> ReviewDecision:
    """Read the review table. A category set by hand wins over the row's suggestion; otherwise the
    suggestion is accepted when its box is ticked ("Save changes", ``accept_from_percent`` None) or,
    for "Accept these suggestions", when its confidence is at least ``accept_from_percent`` percent
    (the boxes do not count then). A ticked box on a row with no suggestion confirms the category the
    row has now (set by hand, so learned like a category chosen). Edits of rows not in ``queue`` are ignored."""
    by_id = {r.id: r for r in queue}
    chosen: dict[int, list[int]] = {}
    accepted: list[tuple[int, int, float]] = []
    for edit in edits:
        r = by_id.get(int(edit.transaction_id))
        if r is None:
            continue
        if edit.category_id is not None:
            chosen.setdefault(int(edit.category_id), []).append(r.id)
        elif r.suggestion and (
            edit.accept if accept_from_percent is None else r.suggestion.confidence * 100 >= accept_from_percent
        ):
            accepted.append((r.id, r.suggestion.category_id, r.suggestion.confidence))
        elif edit.accept and accept_from_percent is None and r.suggestion is None and r.category_id is not None:
            # Accept on a guess with no suggestion confirms the category it has: kept as the user's
            chosen.setdefault(int(r.category_id), []).append(r.id)
    return ReviewDecision(chosen, accepted)


def save_review(session: Session, *, user_id: int, decision: ReviewDecision, learn: bool) -> tuple[int, int]:
    """Set the chosen categories by hand (learning each merchant as a rule when ``learn``, applied to
    past and future transactions) and accept the suggestions, in the caller's unit of work.

    Returns (suggestions accepted, other transactions changed by the learned rules)."""
    from budgetwise.services import transactions as tx
    from budgetwise.services.categorize.learning import learn_and_apply
    from budgetwise.services.categorize.suggestions import accept_suggestions

    learned = 0
    for category_id, ids in decision.chosen.items():
        tx.set_category_bulk(session, user_id=user_id, transaction_ids=ids, category_id=category_id)
        if learn:
            for tid in ids:
                _, changed = learn_and_apply(session, user_id=user_id, transaction_id=tid, category_id=category_id)
                learned += changed
    return accept_suggestions(session, user_id=user_id, accepted=decision.accepted), learned


@dataclass(frozen=True)
class StatsOverview:
    """The Categorize page's counts: how the user's transactions got their categories."""

    total: int
    uncategorized: int
    guessed: int  # a category stored under LOW_CONFIDENCE (not by hand), waiting for review
    by_rules: int  # rules written by hand or learned, and confident answers learned from the history
    by_hand_or_import: int  # everything else (set by hand, by an import, accepted suggestions)
    # of those, the categories a file's own category column gave (session 26, trial26: "By you 2,049" counted them)
    from_file: int = 0

    @property
    def by_you(self) -> int:
        """Set or confirmed by the user: by hand, a label, an accepted suggestion (not a file's category column)."""
        return self.by_hand_or_import - self.from_file

    @property
    def to_review(self) -> int:
        """What waits for the user: uncategorized and guessed rows (session 16: "Uncategorized 0" beside 346 guesses
        read as nothing to do)."""
        return self.uncategorized + self.guessed


def stats_overview(stats: dict[str, int]) -> StatsOverview:
    """Group :func:`categorization_stats` into the page's five counts."""
    total = sum(stats.values())
    none, guess = stats.get("none", 0), stats.get("guess", 0)
    by_rules = stats.get(SOURCE_RULE, 0) + stats.get(SOURCE_LEARNED, 0) + stats.get(SOURCE_MODEL, 0)
    return StatsOverview(total, none, guess, by_rules, total - none - guess - by_rules, stats.get("import", 0))
