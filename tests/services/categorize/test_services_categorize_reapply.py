"""Re-applying with the user's learned history, and the model that weighs the default rules (issue #16)."""

from __future__ import annotations

from budgetwise.models import Transaction
from budgetwise.services import categorize as cz
from budgetwise.services import transactions
from budgetwise.services.categorize import history as L
from tests.services.categorize.test_services_categorize import add, cid


def _view(session, user, t):
    return transactions.get_transaction(session, user_id=user.user_id, transaction_id=t.id)


def test_reapply_uses_the_learned_history_and_never_touches_a_hand_set_category(session, alice):
    health = cid(session, alice, "Health")
    for i in range(3):
        add(session, alice, f"QORVATH BROS {i}", category_id=health)
    waiting = add(session, alice, "QORVATH BROS NZ 4411")
    mine = add(session, alice, "QORVATH BROS 77", category_id=cid(session, alice, "Education"))
    assert _view(session, alice, waiting).category_id is None  # adding runs the rules only
    assert cz.apply_rules_to_transactions(session, user_id=alice.user_id) == 0  # the rules know nothing
    assert cz.reapply_categories(session, user_id=alice.user_id) == 1
    view = _view(session, alice, waiting)
    assert (view.category_id, view.category_source, view.category_manual) == (health, "model", False)
    assert 0 < view.category_confidence < 1
    assert _view(session, alice, mine).category_name == "Education"  # set by hand: never overwritten


def test_reapply_leaves_a_files_own_category_to_the_rules(session, alice):
    health = cid(session, alice, "Health")
    for i in range(3):
        add(session, alice, f"QORVATH BROS {i}", category_id=health)
    t = add(session, alice, "QORVATH BROS 9")
    session.execute(Transaction.__table__.update().where(Transaction.id == t.id).values(
        category_id=cid(session, alice, "Travel"), category_source="import", category_confidence=None))
    assert cz.reapply_categories(session, user_id=alice.user_id) == 0
    assert _view(session, alice, t).category_name == "Travel"


def test_the_model_overrules_a_default_rule_this_user_keeps_disagreeing_with(session, alice):
    shopping, groceries = cid(session, alice, "Shopping"), cid(session, alice, "Groceries")
    # a bank (Capital One style) files every grocer under "Merchandise": the user's labels follow it
    for i, shop in enumerate(["TESCO STORES", "LIDL", "ALDI", "WALMART", "KROGER", "SAFEWAY"] * 2):
        add(session, alice, f"{shop} {i}", category_id=shopping)
    for i in range(6):
        add(session, alice, f"Qwerty Larnix {i}", category_id=cid(session, alice, "Education"))
    def decided(description):
        return cz.categorize_rows(session, user_id=alice.user_id, descriptions=[description], amounts_minor=[2000],
                                  kinds=["expense"], accounts=[None], history_over_rules=True)[0]

    rule_only = cz.categorize_items(session, user_id=alice.user_id,
                                    items=[cz.CategorizeItem("SAINSBURYS 55", 2000, "expense")], with_model=False)[0]
    assert rule_only.category_id == groceries and rule_only.source == "rule"
    g = decided("SAINSBURYS 55")  # a grocer the user never labelled: the default rule says Groceries
    # stored with the confidence of a model overruling a rule (MODEL_OVER_RULE_CALIBRATION): listed for review
    assert g.category_id == shopping and g.source == "model" and 0 < g.confidence < L.REVIEW_BELOW


def test_decide_lets_only_a_model_that_weighed_the_rule_overrule_it():
    rule = L.Decision(5, "rule", 1.0, 50)
    assert L.decide(rule, user_rule=False, memory=None, model=(9, 0.9)) == rule
    over = L.decide(rule, user_rule=False, memory=None, model=(9, 0.9), model_knows_rule=True)
    assert over.category == 9 and over.confidence == round(L.MODEL_OVER_RULE_CALIBRATION(0.9), 4) < 0.9
    assert L.decide(rule, user_rule=False, memory=None, model=(9, 0.4), model_knows_rule=True) == rule
    assert L.decide(rule, user_rule=False, memory=None, model=(5, 0.9), model_knows_rule=True) == rule
    user_rule = L.Decision(6, "rule", 1.0, 60)
    assert L.decide(user_rule, user_rule=True, memory=None, model=(9, 0.99), model_knows_rule=True) == user_rule


def test_history_that_agrees_with_a_certain_rule_keeps_the_rules_answer():
    rule = L.Decision(5, "rule", 1.0, 50)
    assert L.decide(rule, user_rule=False, memory=L.MemoryHit(5, 0.76, "acme", 1), model=None) == rule
    assert L.decide(rule, user_rule=False, memory=L.MemoryHit(8, 0.76, "acme", 1), model=None).category == 8
    fallback = L.Decision(7, "rule", 0.3, 70)
    assert L.decide(fallback, user_rule=False, memory=L.MemoryHit(7, 0.76, "x", 1), model=None).source == "history"


def test_one_review_threshold_is_shared():
    assert cz.LOW_CONFIDENCE == L.REVIEW_BELOW == cz.REVIEW_THRESHOLD


def test_a_default_rules_confidence_follows_how_often_this_user_agreed_with_it():
    assert L.user_rule_confidence(0.7, 0, 0) == 0.7  # no history under the rule: its own calibrated confidence
    assert L.user_rule_confidence(0.7, 10, 10) > 0.95 and L.user_rule_confidence(0.7, 0, 10) < 0.1
    assert L.user_rule_confidence(0.7, 5, 5) == round((5 + L.RULE_PRIOR_ROWS * 0.7) / (5 + L.RULE_PRIOR_ROWS), 4)


def test_the_users_own_rows_outweigh_what_other_households_say_about_a_default_rule():
    """Session 13: households differ in how they file what a rule matches far more than one household's rows
    do, so the calibrated confidence (what other households say) counts as one row of the user's history:
    one agreeing row makes a 0.7 rule sure, two disagreeing rows make it a guess the model and memory overrule."""
    assert L.RULE_PRIOR_ROWS == 1.0
    assert L.user_rule_confidence(0.7, 1, 1) >= L.REVIEW_BELOW
    assert L.user_rule_confidence(0.7, 0, 1) < L.REVIEW_BELOW
    assert L.user_rule_confidence(0.7, 0, 2) < cz.FALLBACK_CONFIDENCE
    assert L.user_rule_confidence(0.7, 3, 4) < L.user_rule_confidence(0.7, 4, 4)


def test_the_stored_confidence_of_a_default_rule_reflects_the_users_history(session, alice):
    def decided(description, kind="expense"):
        return cz.categorize_rows(session, user_id=alice.user_id, descriptions=[description], amounts_minor=[2000],
                                  kinds=[kind], accounts=[None], history_over_rules=True)[0]

    cold = cz.categorize_items(session, user_id=alice.user_id,
                               items=[cz.CategorizeItem("SAINSBURYS 55", 2000, "expense")], with_model=False)[0]
    assert cold.source == "rule" and cold.category_name == "Groceries"
    groceries = cid(session, alice, "Groceries")
    grocers = ["TESCO", "ASDA", "LIDL", "ALDI", "MORRISONS", "WAITROSE", "KROGER", "SAFEWAY", "WALMART", "COSTCO",
               "PUBLIX", "COUNTDOWN", "WOOLWORTHS", "COLES", "CARREFOUR", "REWE", "EDEKA", "MERCADONA", "PICK N PAY",
               "BIEDRONKA", "BIGBASKET", "WINN DIXIE"]
    same_rule = [s for s, g in zip(grocers, cz.categorize_items(session, user_id=alice.user_id, with_model=False, items=[
        cz.CategorizeItem(f"{s} 1", 2000, "expense") for s in grocers])) if g.rule_id == cold.rule_id]
    assert len(same_rule) >= 2
    for i in range(12):  # other grocers the same default rule matches: the user agrees with it every time
        add(session, alice, f"{same_rule[i % len(same_rule)]} {i}", category_id=groceries)
    for i in range(6):
        add(session, alice, f"Qwerty Larnix {i}", category_id=cid(session, alice, "Education"))
    g = decided("SAINSBURYS 55")  # a grocer the user never labelled
    assert (g.category_id, g.source, g.rule_id) == (groceries, "rule", cold.rule_id)
    assert g.confidence > max(cold.confidence, L.REVIEW_BELOW)
    # the user's own rules are theirs: never re-weighed
    cz.create_rule(session, user_id=alice.user_id, spec=cz.RuleSpec(category_id=cid(session, alice, "Travel"),
                                                                    pattern="sainsburys"))
    mine = decided("SAINSBURYS 55")
    assert (mine.category_name, mine.confidence) == ("Travel", 1.0)


def test_reapply_keeps_a_files_own_category_against_every_weaker_answer(session, alice):
    """Session 11: a category from the file's own column (not adopted as the user's, so not set by
    hand) is the user's evidence. Re-apply replaces it only by a certain rule (the user's, an
    administrator's, a learned one), never by a brand, a calibrated default rule, a fallback guess,
    the bank's type code or the batch's structure."""
    from sqlalchemy import select

    from budgetwise.services import importing as imp

    texts = ["SPOTIFY P1234", "TESCO STORES 3321", "VODAFONE LTD", "LIDL SAGT DANKE", "Zyx Qwerty Corner"]
    data = ("Date,Description,Amount,Category\n" + "".join(
        f"2024-03-{i + 1:02d},{t},-{i + 3}.00,Travel\n" for i, t in enumerate(texts))).encode()
    imp.commit_import(session, user_id=alice.user_id, data=data, filename="own.csv")
    travel = cid(session, alice, "Travel")
    rows = session.scalars(select(Transaction).where(Transaction.user_id == alice.user_id)
                           .order_by(Transaction.date)).all()
    assert [(t.category_id, t.category_source, t.category_manual) for t in rows] == [(travel, "import", False)] * 5
    # what the categorizer alone would say: other answers for at least some of these rows
    guesses = cz.categorize_items(session, user_id=alice.user_id, items=[
        cz.CategorizeItem(t, 500, "expense") for t in texts], with_model=False)
    assert any(g.category_id not in (None, travel) for g in guesses)
    assert cz.reapply_categories(session, user_id=alice.user_id) == 0
    assert cz.apply_rules_to_transactions(session, user_id=alice.user_id) == 0
    session.expire_all()
    assert [(t.category_id, t.category_source, t.category_signal) for t in session.scalars(
        select(Transaction).where(Transaction.user_id == alice.user_id).order_by(Transaction.date))] == [
        (travel, "import", None)] * 5
    # the user's own rule still refines such a row
    dining = cid(session, alice, "Dining")
    cz.create_rule(session, user_id=alice.user_id, spec=cz.RuleSpec(category_id=dining, pattern="zyx qwerty"))
    assert cz.reapply_categories(session, user_id=alice.user_id) == 1
    session.expire_all()
    assert session.get(Transaction, rows[4].id).category_id == dining
