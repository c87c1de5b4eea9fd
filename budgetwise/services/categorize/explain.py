"""How a row got its category, in plain words (the one owner of the "How" wording of the Categorize
page's review table, the import preview and the review caption; pure: no database).

A row stores its source ('manual', 'import', 'rule', 'learned', 'model'), its confidence and the
rule that set it. Brand answers (``brands.py``) and answers from the batch's structure
(``structure.py``) are stored as a rule's without a rule id, with what they came from in
``transactions.category_signal`` (migration 0014: the structural signal, or "brand"), which is read
here. Rows stored before that have no signal: for them it is read back from the category and the
calibrated confidence each kind of answer carried (``brand_confidence``, ``structure_confidence``; a
test checks that no brand answer shares a category and a confidence with a structural one; two structural
signals that do — "refund" and "odd-amount credit", both Refunds at 0.79 since session 18 — are not told
apart and read as a plain guess), which holds only as long as the calibration is the one they were stored with. A row whose rule was deleted since (its rule id
set to NULL) reads as a plain guess.
"""

from __future__ import annotations

from budgetwise.services.categorize.brands import brand_confidence
from budgetwise.services.categorize.structure import ENABLED, SIGNALS, structure_confidence
from budgetwise.services.categorize.types import (
    BANK_TYPE_SIGNAL,
    BRAND_SIGNAL,
    FALLBACK_CONFIDENCE,
    REVIEW_THRESHOLD,
    SOURCE_LEARNED,
    SOURCE_MODEL,
    SOURCE_RULE,
)

# what each structural signal saw, as the user reads it ("guess: " + words [+ " → category"]); short
# enough for a table cell (the review caption, GUESS_NOTE, asks to check them)
STRUCTURE_WORDS: dict[str, str] = {
    "recurring income": "regular income of a similar amount",
    "recurring large expense": "a large regular payment",
    "recurring variable expense": "a regular payment that varies",
    "recurring fixed expense": "a fixed regular payment",
    "refund": "an earlier payment's amount paid back",
    "odd-amount credit": "money in with cents from an unknown payee",
    "small purchase": "a small purchase at a merchant no rule knows",
}
# a fallback rule's guess, by direction: money out is a card payment, a direct debit or a transfer to an
# unknown payee (-> Shopping / Other); money in is a deposit or transfer from an unknown payer (-> Other Income)
FALLBACK_WORDS = "a card payment, direct debit or transfer to a payee no rule knows"
FALLBACK_INCOME_WORDS = "money paid in (a deposit or transfer) by a payer no rule knows"
BRAND_WORDS = "the usual category of a known brand"
BANK_TYPE_WORDS = "the bank's transaction type"  # banktypes.py: a cash withdrawal, a fee, interest or dividends
# the caption under the review table: what a guess is and what to do with it
GUESS_NOTE = ("Please check the “guess: …” rows: no rule, past category or default rule knew the merchant, so "
              "the category was guessed from the kind of payment, a known brand or the file's pattern (a regular "
              "payment, a refund, a purchase small for this file). Set the right category to teach BudgetWise the "
              "merchant, or tick Accept on a row without a suggestion to keep its category as yours.")
# the help of the Categorize page's "Guessed" count (``review.categorization_stats``' 'guess')
GUESSED_HELP = (f"Categories given with less than {REVIEW_THRESHOLD:.0%} confidence, waiting for review (the "
                "uncertain ones of the To review tab): guessed from your past categories, from the kind of payment "
                "(a card purchase, direct debit or transfer to an unknown payee, a deposit from an unknown payer), a known brand or the file's pattern "
                "(a regular payment, a refund, a small purchase), or set by a default rule that is often wrong.")
_TOLERANCE = 1e-6  # a confidence read back from a FLOAT column (MariaDB: single precision)


def _same(a: float, b: float) -> bool:
    return abs(a - b) <= _TOLERANCE


def structure_signal(source: str | None, rule_id: int | None, confidence: float | None,
                     category_name: str | None, *, signal: str | None = None) -> str | None:
    """The structural signal behind a stored answer, or None when it is not one. ``signal``: the one
    stored with the row (``category_signal``); without it (a row stored before migration 0014) the
    signal is inferred from the category and the confidence."""
    if source != SOURCE_RULE or rule_id is not None:
        return None
    if signal is not None:
        return signal if signal in STRUCTURE_WORDS else None
    if confidence is None or category_name is None:
        return None
    found = [s for s in sorted(ENABLED) if SIGNALS[s] == category_name and _same(confidence, structure_confidence(s))]
    return found[0] if len(found) == 1 else None  # two signals of one category and confidence: not told apart


def how_categorized(source: str | None, rule_id: int | None, confidence: float | None,
                    category_name: str | None, *, signal: str | None = None, kind: str | None = None) -> str:
    """How a row got its category now, in a few plain words ("" when it has none). ``signal``: what a
    rule-like answer without a rule came from, as stored (``category_signal``; None: inferred).
    ``kind``: the row's direction ('income' / 'expense'), which a fallback rule's guess is worded by
    (a deposit is not a card payment).

    A rule-like answer under the review threshold that no rule of the kind gave says "guess" first.
    The "small purchase" answer names no category (the row's category column shows it; "small" is
    relative to the file's own payments, so the words say what was seen, not why Dining)."""
    if category_name is None:
        return ""
    if source == "manual":
        return "set by you"
    if source == "import":
        return "from the file"
    if source == SOURCE_LEARNED:
        return "your learned rule"
    if source == SOURCE_MODEL:
        shown = f" ({confidence:.0%})" if confidence is not None else ""
        if confidence is not None and confidence < REVIEW_THRESHOLD:
            return f"guess from your past categories{shown}"
        return f"your past categories{shown}"
    if source != SOURCE_RULE:
        return source or ""
    sure = confidence is None or confidence >= REVIEW_THRESHOLD
    if rule_id is not None:
        if sure:
            return "rule"
        if confidence is not None and confidence <= FALLBACK_CONFIDENCE + _TOLERANCE:
            return f"guess: {FALLBACK_INCOME_WORDS if kind == 'income' else FALLBACK_WORDS}"
        return f"rule, not sure ({confidence:.0%})"
    if signal == BANK_TYPE_SIGNAL:
        return f"{BANK_TYPE_WORDS} → {category_name}"
    found = structure_signal(source, rule_id, confidence, category_name, signal=signal)
    if found is not None:
        arrow = "" if found == "small purchase" else f" → {category_name}"
        return f"guess: {STRUCTURE_WORDS[found]}{arrow}"
    if sure:
        return "rule"
    assert confidence is not None
    if signal == BRAND_SIGNAL or (signal is None and _same(confidence, brand_confidence(category_name))):
        return f"guess: {BRAND_WORDS}"
    return f"guess ({confidence:.0%})"


def is_guess(source: str | None, rule_id: int | None, confidence: float | None) -> bool:
    """Whether :func:`how_categorized` calls the row a "guess: …" of a rule's kind (a fallback rule's,
    a brand's or the batch structure's answer, or one whose rule is gone) rather than a rule's."""
    if source != SOURCE_RULE or confidence is None or confidence >= REVIEW_THRESHOLD:
        return False
    return rule_id is None or confidence <= FALLBACK_CONFIDENCE + _TOLERANCE
