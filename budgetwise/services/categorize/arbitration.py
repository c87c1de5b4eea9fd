"""Where the user's history decides a row (pure: no Session): the rows grouped by what the history reads, the
merchant memory and the per-user model asked once per distinct input, and :func:`history.decide`'s answer written
in place of the rules' guess. Split out of ``engine`` in session 25 (engine.py had reached its size limit); the
engine re-exports every name it used.
"""

from __future__ import annotations

from collections.abc import Set as AbstractSet

from budgetwise.services.categorize import history, household
from budgetwise.services.categorize.knowledge import history_forms
from budgetwise.services.categorize.ruleset import Shared, _Compiled
from budgetwise.services.categorize.types import (
    NO_GUESS,
    SOURCE_LEARNED,
    SOURCE_MODEL,
    SOURCE_RULE,
    CategoryGuess,
)


def _model_token(hit: _Compiled, agreement: dict | None) -> str:
    """The default rule's answer as the user's model reads it (household.model_rule_token)."""
    seen = agreement.get(hit.row.id) if agreement else None
    return household.model_rule_token(hit.row.category_id, hit.is_fallback, hit.row.id, hit.row.confidence, seen)


def _apply_history(knowledge: history.UserKnowledge, model: history.TextModel | None, rows, hits, guesses: list,
                   names: dict[int, str], dates, *, over_rules: bool, canon: dict[str, str] | None = None,
                   keys: tuple[dict[str, str] | None, Shared] = (None, frozenset()), agreement: dict | None = None,
                   shifts: dict[int, float] | None = None) -> AbstractSet[int]:
    """Replace guesses where the user's history decides (see :func:`history.decide`); in place. Returns
    the rows of a merchant the memory holds under the row's own learning key.

    Without ``over_rules`` a certain default rule's answer stays (history fills gaps only).
    Work is shared: the memory is asked once per (text, direction, rule hit), the model once
    per distinct (text, direction, amount bucket, day bucket, account, rule hit) among the
    rows it is needed for.
    """
    groups = _history_groups(rows, hits, over_rules=over_rules, canon=canon)
    if not groups:
        return frozenset()
    known: set[int] = set()
    memory, model_rows = _ask_memory(knowledge, model, groups, rows, hits, dates, over_rules=over_rules, keys=keys,
                                     known=known, agreement=agreement)
    # deciding what to store, the model answers every row (its calibrated confidence says how
    # much that is worth); filling gaps (suggestions) it needs a merchant like one of the history
    model_out = _ask_model(model, model_rows, rows, hits, dates, min_similarity=0.0 if over_rules else None)
    _write_decisions(groups, hits, memory, model_out, guesses, names, model_knows_rule=over_rules,
                     agreement=agreement, rows=rows, merchants=knowledge.memory, shifts=shifts)
    return known


def _history_groups(rows, hits, *, over_rules: bool, canon: dict[str, str] | None) -> dict[tuple, list[int]]:
    """Rows the history may decide, grouped by (digit-canonical text, direction, rule hit).

    The user's own rules come first (their rows are left out) and, filling gaps only, so
    does every certain rule.
    """
    groups: dict[tuple, list[int]] = {}
    skip: dict[int, bool] = {}  # per rule
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
    return groups


def _ask_memory(knowledge: history.UserKnowledge, model: history.TextModel | None, groups: dict[tuple, list[int]],
                rows, hits, dates, *, over_rules: bool,
                keys: tuple[dict[str, str] | None, Shared] = (None, frozenset()),
                known: set[int] | None = None,
                agreement: dict | None = None) -> tuple[dict[tuple, history.MemoryHit | None], dict]:
    """The memory's answer per group, and the rows the model must be asked about, grouped by
    what the model reads ((words, key), direction, amount bucket, day bucket, account, rule token).

    The model is asked where the memory is not sure enough; under a certain default rule only
    when the history may overrule rules (``over_rules``: the model has weighed that rule).
    """
    forms: dict[str, tuple[str, str]] = {}
    per_text: dict[str, tuple[str, str]] = {}
    memory: dict[tuple, history.MemoryHit | None] = {}
    model_rows: dict[tuple, list[int]] = {}
    key_of, shared = keys  # the rule set worked out the learning key of every digit-canonical text already
    for text in dict.fromkeys([g[0] for g in groups]):  # stage by stage: each distinct text's forms first (session 22)
        key = key_of.get(text) if key_of is not None else None
        per_text[text] = (history.text_words(text), key) if key is not None else history_forms(text, forms, shared)
    lookup = knowledge.memory.lookup
    asked: list[tuple[tuple[str, str], list[int], str, str]] = []  # the groups the model is asked about
    for g, members in groups.items():
        text, kind, order = g
        f = per_text[text]
        m = memory[g] = lookup(f[1], kind)
        if known is not None and m is not None and m.stem == f[1]:
            known.update(members)  # the memory answers from the row's own key: a merchant the history holds
        # a merchant the user filed under several categories answers row by row (by amount): ask the model too
        if model is None or (m is not None and m.confidence >= history.MEMORY_OVER_RULES and not m.by_amount):
            continue
        hit = hits[members[0]]
        if hit is not None and not hit.is_fallback and not over_rules:
            continue  # filling gaps only: a certain default rule answers before the model
        asked.append((f, members, kind, _model_token(hit, agreement) if (hit is not None and over_rules) else ""))
    bucket = history.amount_bucket
    day_of: dict = {}  # date -> (day bucket, day band)
    read_payee = history.PAYEE_TOKENS or history.DAY_TOKENS  # off: neither is read (session 25)
    payees: dict[tuple[str, str], str] = {}  # (words, key) -> the payee's kind (history.payee_token), once per text
    for f, members, kind, token in asked:
        payee = ""
        if read_payee:
            payee = payees.get(f) or payees.setdefault(f, history.payee_token(*f))
        for i in members:
            _, amount, _, account = rows[i]
            d = dates[i] if dates is not None else None
            db = day_of.get(d)
            if db is None:
                day = getattr(d, "day", None)
                db = day_of[d] = (history.day_bucket(day), history.day_band(day))
            mk = (f, kind, bucket(amount), db[0], account, token, payee, db[1])
            lst = model_rows.get(mk)
            if lst is None:
                model_rows[mk] = [i]
            else:
                lst.append(i)
    return memory, model_rows


def _ask_model(model: history.TextModel | None, model_rows: dict[tuple, list[int]], rows, hits, dates, *,
               min_similarity: float | None = None) -> dict[int, tuple[int | None, float]]:
    """The model's (category, calibrated confidence) per row index, asked once per distinct input."""
    out: dict[int, tuple[int | None, float]] = {}
    if model is None or not model_rows:
        return out
    # the model's inputs as _ask_memory worked them out: (words, key) and (direction, amount bucket,
    # day bucket, account, rule token, payee kind, day band), each distinct one read once
    texts: dict[tuple[str, str], int] = {}
    structs: dict[tuple, int] = {}
    idx, sidx, ruled = [], [], []
    for mk in model_rows:
        token = mk[5]
        idx.append(texts.setdefault(mk[0], len(texts)))
        sidx.append(structs.setdefault(mk[1:], len(structs)))
        ruled.append(bool(token))
    preds = model.predict_inputs(list(texts), list(structs), idx, sidx, ruled, min_similarity=min_similarity)
    for members, pred in zip(model_rows.values(), preds):
        for i in members:
            out[i] = pred
    return out


def _write_decisions(groups: dict[tuple, list[int]], hits, memory: dict, model_out: dict[int, tuple[int | None, float]],
                     guesses: list, names: dict[int, str], *, model_knows_rule: bool,
                     agreement: dict | None = None, rows=None,
                     merchants: history.MerchantMemory | None = None, shifts: dict[int, float] | None = None) -> None:
    """Put :func:`history.decide`'s answer in ``guesses`` where the history (not the rule) decides.

    Decided once per group where every row of it has the same inputs (no model answer, one
    merchant answer), else once per distinct (merchant answer at the row's amount, model answer)
    of the group.
    """
    shared: dict[tuple, CategoryGuess] = {}
    rule_of: dict[int, tuple[history.Decision, float | None]] = {}  # per rule: (as decided, as stored)
    # decided once per (rule, merchant answer, model answer) in the whole batch: the memory hands out
    # one answer object per merchant key (and per stem and amount), so groups of one merchant share it
    decided: dict[tuple[int | None, int, tuple | None], tuple[history.MemoryHit | None, CategoryGuess | None]] = {}
    plain: dict[tuple[int | None, int], CategoryGuess | None] = {}  # m is kept alive in ``memory``: its id stays

    def answer(d: history.Decision, hit: _Compiled | None) -> CategoryGuess | None:
        """The guess a decision writes; None: leave the row's guess as it is."""
        if d.category is None:  # nothing; a rule's answer under the store floor is withdrawn (session 17)
            return NO_GUESS if hit is not None else None
        if d.category not in names:
            return None
        if d.source in (SOURCE_RULE, SOURCE_LEARNED) and hit is not None and d.confidence == hit.row.confidence:
            return None  # the rule's guess, already in place
        # a history answer, or the rule's answer with the confidence this user's history gives it
        # (made surer by a history that agrees, less sure where the user kept disagreeing; issue #16)
        source = d.source if d.source in (SOURCE_RULE, SOURCE_LEARNED) else SOURCE_MODEL
        k = (d.category, d.confidence, source, d.rule_id)
        cg = shared.get(k)
        if cg is None:
            cg = shared[k] = CategoryGuess(d.category, names[d.category], source, d.confidence, d.rule_id)
        return cg

    for g, members in groups.items():
        hit = hits[members[0]]
        rule, stored = None, None
        if hit is not None:
            got_rule = rule_of.get(hit.order)
            if got_rule is None:
                got_rule = rule_of[hit.order] = _rule_decision(hit, agreement, shifts)
            rule, stored = got_rule
        m = memory[g]
        mixed = m is not None and bool(m.by_amount)  # a merchant filed under several categories: by amount
        # the model was asked about every row of a group or about none (_ask_memory)
        if not (mixed or members[0] in model_out):  # the same answer for every row of the group
            ck = (hit.order if hit is not None else None, id(m))  # once per (rule, memory answer) (session 22)
            cg = plain[ck] if ck in plain else plain.setdefault(ck, answer(household.restated(
                history.decide(rule, user_rule=False, memory=m, model=None), rule, stored), hit))
            if cg is not None:
                for i in members:
                    guesses[i] = cg
            continue
        by_amount = mixed and merchants is not None and rows is not None
        order = hit.order if hit is not None else None  # the rule's answer, as every row of the group has it
        for i in members:
            mi = merchants.at_amount(m, rows[i][1]) if by_amount else m  # type: ignore[union-attr]
            pred = model_out.get(i)
            key = (order, id(mi), pred)  # mi is kept alive in the value: its id is not reused while this runs
            got = decided.get(key)
            if got is None:
                d = history.decide(rule, user_rule=False, memory=mi, model=pred, model_knows_rule=model_knows_rule)
                got = decided[key] = (mi, answer(household.restated(d, rule, stored), hit))
            if got[1] is not None:
                guesses[i] = got[1]


def _rule_decision(hit: _Compiled, agreement: dict | None,
                   shifts: dict[int, float] | None) -> tuple[history.Decision, float | None]:
    """A default rule's answer as the history's decision weighs it for this user, and the confidence it is
    stored with where that differs (None: the same). Its calibrated confidence is moved by the household's
    agreement with the default rules as a whole and with the rule's group (``shifts``, household.rule_shifts),
    then towards how often
    this user agreed with this rule (history.user_rule_confidence); without HOUSEHOLD_ARBITRATION the household
    moves only the stored confidence."""
    base = conf = hit.row.confidence
    shift = shifts.get(hit.row.id, 0.0) if shifts else 0.0
    if shift and hit.row.is_global and not hit.is_fallback:  # the household's agreement with the rules
        conf = household.household_confidence(conf, shift)
    seen = agreement.get(hit.row.id) if (agreement and not hit.is_fallback) else None
    if seen is not None:  # how often this user agreed with this default rule
        base, conf = history.user_rule_confidence(base, *seen), history.user_rule_confidence(conf, *seen)
    decided = conf if household.HOUSEHOLD_ARBITRATION else base
    rule = history.Decision(hit.row.category_id, hit.source, decided, hit.row.id)
    return rule, (conf if conf != decided else None)
