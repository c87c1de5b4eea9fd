"""How a row got its category, in plain words (categorize/explain.py): answers from the batch's
structure say what was seen, not "rule" or an internal group name; after an import they wait for
review, and confirming or correcting one works like any guess."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select

from budgetwise.importing import ImportOptions
from budgetwise.models import Rule, Transaction
from budgetwise.services import categorize as cz
from budgetwise.services import importing
from budgetwise.services.categorize import explain
from budgetwise.services.categorize import structure as st
from budgetwise.services.categorize.brands import brand_confidence


def test_every_structural_answer_reads_as_a_guess_in_plain_words():
    for signal in st.ENABLED:
        category = st.SIGNALS[signal]
        how = cz.how_categorized("rule", None, st.structure_confidence(signal), category, signal=signal)  # as stored
        assert how.startswith("guess: ") and explain.STRUCTURE_WORDS[signal] in how, how
        assert "Structure" not in how and "rule (" not in how and signal != how.removeprefix("guess: ")
        assert cz.structure_signal("rule", None, st.structure_confidence(signal), category, signal=signal) == signal
        assert cz.is_guess("rule", None, st.structure_confidence(signal))
        assert len(how) <= 60, how  # read whole in the review table's How column (310 px)
    assert cz.how_categorized("rule", None, st.structure_confidence("small purchase"), "Dining") == (
        "guess: a small purchase at a merchant no rule knows")
    assert cz.how_categorized("rule", None, st.structure_confidence("recurring income"), "Salary") == (
        "guess: regular income of a similar amount → Salary")


def test_a_structural_answer_is_told_apart_from_a_brand_and_a_rule():
    """The signal is read back from (category, confidence): no brand answer may share both with a signal (if a
    re-calibration makes them equal, this fails before the wording lies); two signals that share both are named
    by neither (session 18)."""
    pairs = [(st.SIGNALS[s], round(st.structure_confidence(s), 6)) for s in st.ENABLED]
    for signal in st.ENABLED:
        category = st.SIGNALS[signal]
        assert abs(brand_confidence(category) - st.structure_confidence(signal)) > 1e-6, signal
        # two signals sharing a category and a confidence (session 18: "refund" and "odd-amount credit" at the
        # structural ceiling) are not told apart: read back, neither is named, so the wording never lies
        shared = pairs.count((category, round(st.structure_confidence(signal), 6))) > 1
        inferred = cz.structure_signal("rule", None, st.structure_confidence(signal), category)
        assert inferred == (None if shared else signal), signal
        assert cz.structure_signal("rule", None, st.structure_confidence(signal), category, signal=signal) == signal
    # the same confidence with a rule id is a rule's; on another category it is not structure
    small = st.structure_confidence("small purchase")
    assert cz.structure_signal("rule", 7, small, "Dining") is None
    assert cz.structure_signal("rule", None, small, "Groceries") is None
    assert cz.how_categorized("rule", None, brand_confidence("Dining"), "Dining") == (
        "guess: the usual category of a known brand")
    assert cz.how_categorized("rule", 7, cz.FALLBACK_CONFIDENCE, "Shopping").startswith("guess: a card payment")
    # a deposit ("Deposit Mobile Banking" -> the deposits' guess) is money paid in, not a card payment
    deposit = cz.how_categorized("rule", 7, cz.FALLBACK_CONFIDENCE, "Other Income", kind="income")
    assert deposit == "guess: money paid in (a deposit or transfer) by a payer no rule knows"
    assert cz.how_categorized("rule", 7, cz.FALLBACK_CONFIDENCE, "Other", kind="expense").startswith(
        "guess: a card payment, direct debit or transfer")
    assert cz.how_categorized("rule", 7, 0.54, "Groceries") == "rule, not sure (54%)"
    assert cz.how_categorized("rule", 7, 1.0, "Groceries") == "rule"
    assert not cz.is_guess("rule", 7, 0.54) and cz.is_guess("rule", 7, cz.FALLBACK_CONFIDENCE)
    assert cz.how_categorized("manual", None, None, "Rent") == "set by you"
    assert cz.how_categorized("import", None, None, "Rent") == "from the file"
    assert cz.how_categorized("model", None, 0.62, "Rent") == "guess from your past categories (62%)"
    assert cz.how_categorized(None, None, None, None) == ""
    # a FLOAT column (MariaDB) gives the confidence back a little off: still read as the same answer
    assert cz.structure_signal("rule", None, small + 3e-8, "Dining") == "small purchase"


D0 = dt.date(2025, 1, 6)


def _file() -> bytes:
    """A cold user's statement: a monthly salary, 24 purchases at unknown shops (the batch median),
    and small purchases at two unknown cafés (two visits to the first)."""
    lines = ["Date,Description,Amount"]
    for i in range(4):
        lines.append(f"{(D0 + dt.timedelta(days=30 * i)).isoformat()},ZQX HOLDINGS,3000.00")
    for i in range(24):
        lines.append(f"{(D0 + dt.timedelta(days=i)).isoformat()},QWERTZ {chr(65 + i)}{chr(66 + i % 3)},-40.00")
    lines.append(f"{(D0 + dt.timedelta(days=3)).isoformat()},VRENGLO ZORB,-4.50")
    lines.append(f"{(D0 + dt.timedelta(days=9)).isoformat()},VRENGLO ZORB,-5.20")
    lines.append(f"{(D0 + dt.timedelta(days=5)).isoformat()},BLORP NUHT,-9.80")
    return ("\n".join(lines) + "\n").encode()


def _import(session, user):
    return importing.commit_import(session, user_id=user.user_id, data=_file(), filename="cold.csv",
                                   options=ImportOptions())


def _review(session, user) -> dict[str, list[cz.ReviewRow]]:
    rows, _ = cz.review_queue(session, user_id=user.user_id, limit=1000)
    out: dict[str, list[cz.ReviewRow]] = {}
    for r in rows:
        out.setdefault(r.description, []).append(r)
    return out


def test_after_an_import_structural_answers_wait_for_review_and_say_why(session, alice):
    _import(session, alice)
    rows = _review(session, alice)
    cafe = rows["VRENGLO ZORB"][0]
    assert cafe.category_name == "Dining" and cafe.how == "guess: a small purchase at a merchant no rule knows"
    salary = rows["ZQX HOLDINGS"][0]
    assert salary.category_name == "Salary" and salary.how == "guess: regular income of a similar amount → Salary"
    # counted as guesses waiting for review (the import banner and the Categorize page's counts), not as sure
    plan = cz.labelling_plan(session, user_id=alice.user_id, limit=10)
    assert plan.waiting >= 3 + 4
    stats = cz.categorization_stats(session, user_id=alice.user_id)
    assert stats.get("guess", 0) >= 3 + 4 and stats.get("rule", 0) == 0


def test_the_import_preview_says_how_too(session, alice):
    preview = importing.preview_import(session, user_id=alice.user_id, data=_file(), filename="cold.csv",
                                       options=ImportOptions())
    hows = {r.description: r.how for r in preview.rows}
    assert hows["ZQX HOLDINGS"] == "guess: regular income of a similar amount → Salary"
    assert all("Structure" not in h and h != "rule" for d, h in hows.items() if d.startswith(("VRENGLO", "ZQX")))


def test_accepting_a_structural_guess_keeps_it_as_the_users_and_learns_the_merchant(session, alice):
    _import(session, alice)
    rows = _review(session, alice)
    first = rows["VRENGLO ZORB"][0]
    assert first.suggestion is None  # a cold user: no model suggestion to accept
    decision = cz.review_decision(rows_list := [r for rs in rows.values() for r in rs],
                                  [cz.ReviewEdit(first.id, accept=True)])
    assert decision.chosen == {first.category_id: [first.id]} and not decision.accepted
    # "Accept these suggestions" (the threshold button) never confirms a guess without a suggestion
    assert cz.review_decision(rows_list, [cz.ReviewEdit(first.id, accept=True)], accept_from_percent=50).empty
    cz.save_review(session, user_id=alice.user_id, decision=decision, learn=True)
    session.flush()
    txns = session.scalars(select(Transaction).where(Transaction.user_id == alice.user_id,
                                                     Transaction.description == "VRENGLO ZORB")).all()
    mine = next(t for t in txns if t.id == first.id)
    assert mine.category_manual and mine.category_source == "manual" and mine.category_id == first.category_id
    other = next(t for t in txns if t.id != first.id)  # the other visit: now by the learned rule, sure
    assert other.category_id == first.category_id and other.category_source == cz.SOURCE_LEARNED
    assert (other.category_confidence or 1.0) >= cz.LOW_CONFIDENCE


def test_correcting_a_structural_guess_teaches_the_merchant(session, alice):
    _import(session, alice)
    rows = _review(session, alice)
    first = rows["VRENGLO ZORB"][0]
    names = {c.name: c.id for c in cz_categories(session, alice)}
    decision = cz.review_decision([r for rs in rows.values() for r in rs],
                                  [cz.ReviewEdit(first.id, category_id=names["Groceries"])])
    cz.save_review(session, user_id=alice.user_id, decision=decision, learn=True)
    session.flush()
    txns = session.scalars(select(Transaction).where(Transaction.user_id == alice.user_id,
                                                     Transaction.description == "VRENGLO ZORB")).all()
    assert {t.category_id for t in txns} == {names["Groceries"]}
    assert session.scalars(select(Rule).where(Rule.user_id == alice.user_id, Rule.origin == "learned")).all()
    # and the next import of the merchant is no longer a guess
    after = _review(session, alice)
    assert "VRENGLO ZORB" not in after


def cz_categories(session, user):
    from budgetwise.services import categories

    return categories.list_categories(session, user_id=user.user_id)


# --------------------------------------------------------------------------- the stored signal (migration 0014)
def test_the_import_stores_what_each_rule_like_answer_without_a_rule_came_from(session, alice):
    _import(session, alice)
    stored = {(t.description, t.category_signal) for t in session.scalars(
        select(Transaction).where(Transaction.user_id == alice.user_id))}
    assert ("ZQX HOLDINGS", "recurring income") in stored and ("VRENGLO ZORB", "small purchase") in stored
    for t in session.scalars(select(Transaction).where(Transaction.user_id == alice.user_id)):
        if t.category_signal is not None:  # only on a rule-like answer without a rule
            assert t.category_source == "rule" and t.rule_id is None and t.category_id is not None


def test_the_explanation_reads_the_stored_signal_not_the_calibration(session, alice, monkeypatch):
    """A re-calibration changes the confidence of new answers; rows stored earlier keep theirs and
    their stored signal still says what they were (the inference alone would call them "guess (NN%)")."""
    _import(session, alice)
    monkeypatch.setattr(st, "structure_confidence", lambda signal: 0.123)
    monkeypatch.setattr(explain, "structure_confidence", lambda signal: 0.123)
    rows = _review(session, alice)
    assert rows["ZQX HOLDINGS"][0].how == "guess: regular income of a similar amount → Salary"
    assert rows["VRENGLO ZORB"][0].how == "guess: a small purchase at a merchant no rule knows"
    salary = rows["ZQX HOLDINGS"][0]
    assert cz.how_categorized("rule", None, salary.confidence, "Salary").startswith("guess (")  # inferred: lost


def test_the_stored_signal_and_the_inference_agree_and_a_brand_is_named():
    for signal in st.ENABLED:
        category, conf = st.SIGNALS[signal], st.structure_confidence(signal)
        inferred = cz.how_categorized("rule", None, conf, category)
        if any(s != signal and st.SIGNALS[s] == category and st.structure_confidence(s) == conf for s in st.ENABLED):
            assert inferred == f"guess ({conf:.0%})"  # two signals alike (session 18): named only where stored
        else:
            assert cz.how_categorized("rule", None, conf, category, signal=signal) == inferred
    assert cz.how_categorized("rule", None, 0.41, "Dining", signal="brand") == "guess: the usual category of a known brand"
    assert cz.how_categorized("rule", None, brand_confidence("Dining"), "Dining", signal="brand") == (
        cz.how_categorized("rule", None, brand_confidence("Dining"), "Dining"))
    # a signal means nothing beside a rule id or another source
    assert cz.how_categorized("rule", 7, 1.0, "Salary", signal="recurring income") == "rule"
    assert cz.how_categorized("manual", None, None, "Salary", signal="recurring income") == "set by you"


def test_reapplying_keeps_the_signal_in_step_with_the_answer(session, alice):
    """Re-apply stores the signal with the answer it writes; a rule's answer carries none."""
    _import(session, alice)
    session.execute(Transaction.__table__.update().where(Transaction.user_id == alice.user_id)
                    .values(category_signal=None))
    cz.reapply_categories(session, user_id=alice.user_id)
    salary = session.scalars(select(Transaction).where(Transaction.user_id == alice.user_id,
                                                       Transaction.description == "ZQX HOLDINGS")).first()
    assert salary is not None and salary.category_signal == "recurring income"
    names = {c.name: c.id for c in cz_categories(session, alice)}
    cz.save_rule_and_apply(session, user_id=alice.user_id,
                           spec=cz.RuleSpec(category_id=names["Groceries"], pattern="ZQX HOLDINGS"))
    session.flush()
    session.expire_all()
    salary = session.scalars(select(Transaction).where(Transaction.user_id == alice.user_id,
                                                       Transaction.description == "ZQX HOLDINGS")).first()
    assert salary is not None and salary.rule_id is not None and salary.category_signal is None


def test_a_mobile_deposit_is_explained_as_money_paid_in_not_a_card_payment(session, alice):
    """QA (US checking export): "Deposit Mobile Banking" took the deposits' guess and was explained as "a card
    payment or direct debit at a merchant no rule knows"."""
    data = b"Date,Description,Amount\n2022-08-17,Deposit Mobile Banking,20.00\n2022-08-18,POS PURCHASE QWORBLE,-5.00\n"
    preview = importing.preview_import(session, user_id=alice.user_id, data=data, filename="schwab.csv",
                                       options=ImportOptions())
    hows = {r.description: r.how for r in preview.rows}
    assert hows["Deposit Mobile Banking"] == "guess: money paid in (a deposit or transfer) by a payer no rule knows"
    assert hows["POS PURCHASE QWORBLE"].startswith("guess: a card payment")
    importing.commit_import(session, user_id=alice.user_id, data=data, filename="schwab.csv", options=ImportOptions())
    assert _review(session, alice)["Deposit Mobile Banking"][0].how == hows["Deposit Mobile Banking"]
