"""How much of a household's file the default rules answer, as a signal of how often they are right for it
(session 28, issue #16: the cold path's calibration and review decision).

The default rules' confidence (``default_rule_confidence``) is what other households say about each rule group,
the same for every user. Households differ more than that: on the four tuning files the rules were right for
98.4% (kaggle), 98.7% (ke), 93.6% (za) and 63.5% (br) of the rows they answered, and the share of the file they
answered goes the same way (99.9%, 98.1%, 76.9%, 48.6%): a household that files the way the rules read bank text
has most of its rows answered by them. A new user's file says its share before anyone has labelled a row.

:func:`coverage_shift` turns a batch's share into a log-odds shift of every calibrated default rule's answer:
``SLOPE * (logit(share) - REFERENCE)``, where REFERENCE is the mean logit share of the households the confidence
table was fitted on and SLOPE the least-squares slope of their rules' precision (logit) on their share (logit),
both fitted with the table (``tools/calibrate_default_rules.coverage_fit``; ``default_rule_coverage.py``).
Shares and precisions are clipped to 0.35-0.97 (the table's own floor and ceiling) before the logit. A batch's
share is shrunk towards the reference by PRIOR_ROWS rows, and a batch of fewer rows (a transaction added by hand)
keeps the table's confidence. Only the cold path uses it (:func:`restate_cold`: the batch categorized without
the user's history); once the user has a categorized history, each rule's agreement with it decides
(``history.user_rule_confidence``). It moves the confidence an answer is stored with (and so the review
decision, types.REVIEW_THRESHOLD), never which category is stored.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

from budgetwise.services.categorize.types import FALLBACK_CONFIDENCE, CategoryGuess

# Whether the cold path's default-rule answers move with the batch's coverage (docs/history/categorization.md,
# session 28, cold28). Leave one tuning set out (slope fitted on the other three): calibration error 9.6 -> 8.7 points
# by row, 16.7 -> 14.0 by household, Brier 0.191 -> 0.162, log loss 0.464 -> 0.400 (za worse, 0.44 -> 0.67);
# all seven sets, leave one out: tuning 12.0 -> 7.4 points, held out 17.0 -> 15.8 (Brier 0.256 -> 0.244), review
# tuning 89.4 -> 70.3% with sure-acc 69.3 -> 98.3%. Categories and accuracy unchanged.
COVERAGE_SHIFT = True
# A batch of fewer rows than this moves nothing (a transaction added by hand, a few rows re-applied keep the table's
# confidence); a larger batch's share counts as if PRIOR_ROWS rows at the reference share were added to it.
PRIOR_ROWS = 20
LOW, HIGH = 0.35, 0.97  # shares, precisions and moved confidences are kept inside the table's floor and ceiling


def logit(p: float) -> float:
    """log(p / (1 - p)) of ``p`` kept within LOW-HIGH (a share or a precision, as the fit reads them)."""
    p = min(max(p, LOW), HIGH)
    return math.log(p / (1.0 - p))


def _sigmoid(z: float) -> float:
    return 1.0 / (1.0 + math.exp(-z))


def shipped() -> tuple[float, float]:
    """(SLOPE, REFERENCE) users get (``default_rule_coverage.py``, fitted with the confidence table)."""
    from budgetwise.services import default_rule_coverage as fitted

    return fitted.SLOPE, fitted.REFERENCE


def coverage_shift(answered: int, rows: int, fit: tuple[float, float] | None = None) -> float:
    """The log-odds shift of the default rules for a batch whose calibrated default rules answered ``answered`` of
    ``rows`` rows (0.0: the flag off, no slope, fewer than PRIOR_ROWS rows). ``fit``: (slope, reference); None: :func:`shipped`."""
    if not COVERAGE_SHIFT or rows < PRIOR_ROWS:
        return 0.0
    slope, reference = shipped() if fit is None else fit
    if slope <= 0.0:
        return 0.0
    share = (answered + PRIOR_ROWS * _sigmoid(reference)) / (rows + PRIOR_ROWS)
    return slope * (logit(share) - reference)


def calibrated(confidence: float | None) -> bool:
    """A calibrated default rule's confidence (not a fallback guess, not a certain rule)."""
    return confidence is not None and FALLBACK_CONFIDENCE < confidence < 1.0


def moved(confidence: float, shift: float) -> float:
    """A calibrated confidence moved by ``shift`` (log-odds), kept within LOW-HIGH; anything else as it is."""
    if not shift or not calibrated(confidence):
        return confidence
    z = math.log(confidence / (1.0 - confidence)) + shift
    return round(min(HIGH, max(LOW, _sigmoid(z))), 4)


def restate_cold(hits: Sequence, guesses: list[CategoryGuess]) -> float:
    """Move the calibrated default rules' answers of a batch categorized without the user's history by the
    batch's coverage (in place; ``hits``: the rules' first match per row, ``_Compiled`` or None). The share
    leaves out rows the user's own rules answered. Returns the shift (0.0: nothing moved)."""
    if not COVERAGE_SHIFT:
        return 0.0
    rows = answered = 0
    for hit in hits:
        if hit is None:
            rows += 1
        elif hit.row.is_global:
            rows += 1
            answered += _default(hit.row)
    shift = coverage_shift(answered, rows)
    if not shift:
        return 0.0
    done: dict[int, CategoryGuess] = {}
    for i, (hit, guess) in enumerate(zip(hits, guesses)):
        if hit is None or not _default(hit.row) or guess.rule_id != hit.row.id or guess.confidence != hit.row.confidence:
            continue
        new = done.get(id(guess))
        if new is None:
            new = done[id(guess)] = CategoryGuess(guess.category_id, guess.category_name, guess.source,
                                                  moved(hit.row.confidence, shift), guess.rule_id, guess.signal)
        guesses[i] = new
    return shift


def _default(row) -> bool:
    """A shipped default rule with a calibrated confidence (``ruleset._RuleRow``)."""
    return row.is_global and row.origin == "default" and not row.fallback and calibrated(row.confidence)
