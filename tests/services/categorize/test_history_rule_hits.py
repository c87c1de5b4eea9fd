"""Learning matches the history's rows against the default rules once (session 21, catspeed): the model's rule
tokens and the rules' agreement read the same hits (UserKnowledge.rule_hits), with the same answers as two matches."""

from __future__ import annotations

from budgetwise.services import categories
from budgetwise.services.categorize import engine
from budgetwise.services.categorize import history as L
from tests.services.categorize.test_rule_token_split import _history


def test_model_and_agreement_share_one_match_of_the_history(session, alice, monkeypatch):
    ids = {c.name: c.id for c in categories.list_categories(session, user_id=alice.user_id)}
    rule_rows = engine._rule_rows(session, alice.user_id)
    global_rules = tuple(r for r in rule_rows if r.is_global)
    calls: list[int] = []
    real = engine._match_rows

    def counting(ruleset, items, *a, **k):
        calls.append(len(items))
        return real(ruleset, items, *a, **k)

    monkeypatch.setattr(engine, "_match_rows", counting)
    knowledge = _history(ids)
    model = engine._history_model(knowledge, rule_rows)
    agreement = engine._rule_agreement(knowledge, rule_rows)
    assert model is not None and agreement
    assert calls == [len(knowledge.rows)]  # one match of the 24 history rows, not one per reader
    # the same answers as matching the rows for each reader
    hits = real(engine._compiled_rules(global_rules),
                [(h.text or h.folded, h.amount_minor, h.kind, h.account) for h in knowledge.rows])
    assert knowledge.rule_hits(global_rules, lambda rows: []) == hits
    expected = {}
    for r, h in zip(knowledge.rows, hits, strict=True):
        if h is not None and not h.is_fallback:
            seen = expected.setdefault(h.row.id, [0, 0])
            seen[0] += h.row.category_id == r.category
            seen[1] += 1
    assert agreement == {rid: tuple(v) for rid, v in expected.items()}


def test_another_rule_set_is_matched_again():
    knowledge = L.UserKnowledge([])
    assert knowledge.rule_hits(("a",), lambda rows: ["first"]) == ["first"]
    assert knowledge.rule_hits(("a",), lambda rows: ["again"]) == ["first"]
    assert knowledge.rule_hits(("b",), lambda rows: ["other"]) == ["other"]
