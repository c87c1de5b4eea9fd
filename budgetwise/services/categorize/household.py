"""The household's agreement with the default rules as a whole (empirical Bayes; session 14, issue #16).

Households differ far more in how often they agree with the default rules (tuning sets: kaggle 98%, za 95%,
br 67%, ke 46% of the rules' answers) than a cold confidence can know. Once the user's history has answered
some default rules, the rules it has not answered yet can move with it: the household's rate of agreement is a
beta posterior (the rules' calibrated confidences as the prior, the history's hits and misses as evidence), and
every calibrated rule's confidence moves by the posterior's log-odds over the prior's (:func:`household_shift`,
:func:`household_confidence`). Measured in session 14 (docs/categorization.md, "household"): off by default
(HOUSEHOLD_PRIOR 0), the held-out calibration error grew.

One level down, per rule GROUP (session 14, "rulegroup"): households agree with the default rules group by group,
nearly all or nothing (the cold fit's intra-class correlation 0.66), so the rules of a group the history has
answered say more about that group's unanswered rules than the household's average does. :func:`rule_shifts`
makes the hierarchy: the cross-household confidence (the calibrated table) -> the household (HOUSEHOLD_PRIOR) ->
this household's posterior for the group (GROUP_PRIOR rules' worth of the level above as its prior, the group's
answered rules as evidence) -> the rule (``history.user_rule_confidence`` where the history answered it).
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import replace

from budgetwise.services.categorize.history import Decision, rule_token, user_rule_confidence
from budgetwise.services.categorize.types import FALLBACK_CONFIDENCE

# HOUSEHOLD_PRIOR is the beta prior's strength, in rules (0: off); a rule's n history rows count as n * C / (n + C)
# rules' worth, C = HOUSEHOLD_ROW_WEIGHT (a household's rows under one rule agree with each other:
# tools/calibrate_default_rules.set_weight). Chosen on the tuning sets: 1.0; off as shipped (session 14: the
# held-out calibration error of the learning table grew 6.1 -> 7.8 points with it on, accuracy the same).
HOUSEHOLD_PRIOR = 0.0
TUNED_PRIOR = 1.0  # the value measured (tools/tune_household_prior.py, benchmarks/categorize_eval.py)
HOUSEHOLD_ROW_WEIGHT = 1.5
HOUSEHOLD_CEILING = 0.97  # a default rule is never certain (tools/calibrate_default_rules.CEILING)
# Whether the moved confidence also decides between the rule, the memory and the model (a rule moved under
# FALLBACK_CONFIDENCE competes with them as a guess); False: it is only the confidence the rule's answer is
# stored with (review and calibration), the decision is taken as without it.
HOUSEHOLD_ARBITRATION = False
# GROUP_PRIOR is the strength, in rules, of the beta prior of a household's agreement with one default-rule group
# (default_rules.rule_group: "Shopping (3)" -> "Shopping"), 0: off; the evidence is the group's rules the history
# answered, weighed as above; it moves the group's rules the history has NOT answered. GROUP_MAX_ROWS: only while
# the history has answered at most this many rows of default rules (None: always). Chosen on the tuning sets: 1.0,
# always; off as shipped (session 14 "rulegroup": held out, the review share fell 50.2 -> 49.1% at 5% and accuracy
# stayed the same, but the learning table's calibration error grew 6.1 -> 6.6 points).
GROUP_PRIOR = 0.0
TUNED_GROUP_PRIOR = 1.0  # the value measured (tools/tune_household_prior.py --group-priors)
GROUP_MAX_ROWS: int | None = None


def _logit(p: float) -> float:
    p = min(max(p, 1e-4), 1.0 - 1e-4)
    return math.log(p / (1.0 - p))


def household_shift(agreement: dict[int, tuple[int, int]], confidences: dict[int, float]) -> float:
    """How much surer (log-odds, > 0) or less sure (< 0) the default rules are for this household than for
    the households their confidence was fitted on (0.0: no evidence, or HOUSEHOLD_PRIOR off).

    ``agreement``: {rule id: (agreed, answered)} over the user's history (UserKnowledge.rule_agreement);
    ``confidences``: {rule id: calibrated confidence} of the default rules. The household's rate of
    agreement is a beta posterior: the rules' expected rate E (their calibrated confidences, weighed as the
    history's rows are) as HOUSEHOLD_PRIOR rules' worth of prior, plus each answered rule's observed rate
    weighed n * C / (n + C); the shift is logit(posterior) - logit(E).
    """
    if HOUSEHOLD_PRIOR <= 0:
        return 0.0
    weight = observed = expected = 0.0
    c = HOUSEHOLD_ROW_WEIGHT
    for rule_id, (agreed, answered) in agreement.items():
        conf = confidences.get(rule_id)
        if conf is None or answered <= 0 or not _calibrated(conf):
            continue
        w = answered * c / (answered + c)
        weight += w
        observed += w * agreed / answered
        expected += w * conf
    if weight <= 0:
        return 0.0
    e = expected / weight
    posterior = (observed + HOUSEHOLD_PRIOR * e) / (weight + HOUSEHOLD_PRIOR)
    return _logit(posterior) - _logit(e)


def _calibrated(confidence: float) -> bool:
    return FALLBACK_CONFIDENCE < confidence < 1.0


def rule_shifts(agreement: dict[int, tuple[int, int]], rules: Iterable[tuple[int, str | None, float]]) -> dict[int, float]:
    """{rule id: log-odds shift} of every calibrated default rule this household moves (absent: 0.0).

    ``rules``: (rule id, group or None, calibrated confidence) of the default rules. Every rule moves by the
    household's shift (:func:`household_shift`, HOUSEHOLD_PRIOR); with GROUP_PRIOR on, a rule the history has not
    answered, in a group whose other rules it has, moves instead to the group's beta posterior: prior mean the
    rule's confidence moved by the household's shift, GROUP_PRIOR rules' worth; evidence each answered rule of the
    group, n rows counting n * C / (n + C). One pass over the rules, once per batch.
    """
    rules = tuple(rules)
    base = household_shift(agreement, {rid: conf for rid, _g, conf in rules})
    out = {rid: base for rid, _g, conf in rules if base and _calibrated(conf)}
    answered_rows = sum(n for _a, n in agreement.values())
    if GROUP_PRIOR <= 0 or not agreement or (GROUP_MAX_ROWS is not None and answered_rows > GROUP_MAX_ROWS):
        return out
    c = HOUSEHOLD_ROW_WEIGHT
    groups: dict[str, list[float]] = {}  # group -> [weight, weighted observed rate]
    for rid, group, conf in rules:
        seen = agreement.get(rid)
        if group is None or seen is None or seen[1] <= 0 or not _calibrated(conf):
            continue
        agreed, answered = seen
        w = answered * c / (answered + c)
        sums = groups.setdefault(group, [0.0, 0.0])
        sums[0] += w
        sums[1] += w * agreed / answered
    for rid, group, conf in rules:
        g = groups.get(group) if group is not None else None
        if g is None or rid in agreement or not _calibrated(conf):
            continue
        above = 1.0 / (1.0 + math.exp(-(_logit(conf) + base)))  # the household level: this group's prior mean
        posterior = (g[1] + GROUP_PRIOR * above) / (g[0] + GROUP_PRIOR)
        shift = _logit(posterior) - _logit(conf)
        if shift:
            out[rid] = shift
        else:
            out.pop(rid, None)
    return out


def household_confidence(confidence: float, shift: float) -> float:
    """A calibrated default rule's confidence moved by the household's ``shift`` (household_shift), in
    log-odds, at most HOUSEHOLD_CEILING. Certain rules (1.0) and fallback guesses are left as they are."""
    if shift == 0.0 or not _calibrated(confidence):
        return confidence
    moved = 1.0 / (1.0 + math.exp(-(_logit(confidence) + shift)))
    return round(max(confidence, min(HOUSEHOLD_CEILING, moved)) if shift > 0 else moved, 4)


def restated(decision: Decision, rule: Decision | None, confidence: float | None) -> Decision:
    """``decision`` with the household's ``confidence`` for the rule where it is the rule's answer (decided
    with the rule's confidence without the household: HOUSEHOLD_ARBITRATION off); where the memory agreed
    and made it surer, the surer of the two. Any other answer as it is."""
    if (confidence is None or rule is None or decision.rule_id is None or decision.rule_id != rule.rule_id
            or decision.category != rule.category or decision.source != rule.source):
        return decision
    if decision.confidence == rule.confidence:
        return replace(decision, confidence=confidence)
    return replace(decision, confidence=max(decision.confidence or 0.0, confidence))



# Session 19 (catagree): the per-user model's token for a default rule's answer, split by how far this user agreed
# with the rule (history.user_rule_confidence against RULE_TOKEN_AGREED). "category" (as shipped): every rule's
# answer is its category's token (history.rule_token), so the model learns one weight per category of the rules;
# "agreed": a rule the user agreed with is its own token ("r17"), the others share their category's; "disagreed":
# a rule the user did not agree with is its own token (ke: one Transfers rule matching agent deposits, which the
# user files as Transfers, and "Funds received from NAME", filed as income), the others share their category's.
# Off: chosen leave-one-tuning-set-out, it lost rows held out (docs/history/categorization.md, session 19).
RULE_TOKEN_SPLIT = "category"
RULE_TOKEN_AGREED = 0.8


def model_rule_token(category: int | None, fallback: bool, rule_id: int, confidence: float,
                     seen: tuple[int, int] | None) -> str:
    """The default rule's answer as the per-user model reads it: history.rule_token, or the rule's own token
    as RULE_TOKEN_SPLIT says for a rule the history answered (``seen``: (agreed, answered)); fallback guesses and
    rules the history never answered keep their category's token."""
    token = rule_token(category, fallback)
    if RULE_TOKEN_SPLIT == "category" or not token or fallback or seen is None:
        return token
    agreed = user_rule_confidence(confidence, *seen) >= RULE_TOKEN_AGREED
    return f"r{rule_id}" if agreed == (RULE_TOKEN_SPLIT == "agreed") else token
