"""Categorization's limits, sources and frozen data types (no logic, no database)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from budgetwise.kinds import MATCH_TYPES as _MATCH_TYPES
from budgetwise.services.default_rules import FALLBACK_PRIORITY as _DEFAULT_FALLBACK_PRIORITY
from budgetwise.textforms import MAX_TEXT  # noqa: F401 - the categorizer's limits live here
from budgetwise.textnames import refund_of

MATCH_TYPES = _MATCH_TYPES  # owned by budgetwise.kinds
RULE_ORIGINS = ("default", "user", "learned")
SOURCE_RULE = "rule"
SOURCE_LEARNED = "learned"
SOURCE_MODEL = "model"

MAX_PATTERN_LENGTH = 200  # user rules; global rules may use the full column (500)
MAX_GLOBAL_PATTERN_LENGTH = 500
MAX_RULE_NAME = 100
REGEX_TIME_BUDGET_S = 0.05  # no longer used: rule regexes run on RE2 (linear time), no timed trial
MAX_UNBOUNDED_REPEATS = 1  # a saved regex must run on hostile text within this time
DEFAULT_USER_PRIORITY = 100
MIN_PRIORITY = -1_000_000  # every rule, a user's or a global one (lower runs first)
MAX_PRIORITY = 1_000_000
LEARNED_PRIORITY = 10  # a correction for one merchant beats broader rules of the user
MAX_RULES_PER_USER = 5_000
MAX_ITEMS = 1_000_000
# Fallback rules: global default rules at this priority or above are tried last and only
# say what kind of payment it is ("POS purchase" at a merchant no rule knows -> Shopping).
# Their category is stored as a guess with this confidence, so such rows are listed for
# review right after the uncategorized ones.
FALLBACK_PRIORITY = _DEFAULT_FALLBACK_PRIORITY  # 9000
FALLBACK_CONFIDENCE = 0.30
# The one review threshold: a category stored with a confidence under it (a learned or model
# guess, a default rule's calibrated confidence, a fallback guess) is listed for review, not
# taken as certain. Shared by the history layer, the default rules and the review queue.
REVIEW_THRESHOLD = 0.80
MODEL_OVER_FALLBACK = 0.80  # a model suggestion at least this confident replaces a fallback guess


@dataclass(frozen=True)
class CategorizeItem:
    description: str
    amount_minor: int
    kind: str
    account: str | None = None


@dataclass(frozen=True)
class CategoryGuess:
    category_id: int | None
    category_name: str | None
    source: str | None  # 'rule' | 'learned' | 'model' | None
    confidence: float | None
    rule_id: int | None
    # a rule-like answer without a rule: the structural signal (structure.SIGNALS) or BRAND_SIGNAL it came
    # from, stored as transactions.category_signal for the "How" explanation (explain.py)
    signal: str | None = None


BRAND_SIGNAL = "brand"  # category_signal of a brand answer (brands.py)
BANK_TYPE_SIGNAL = "bank type"  # category_signal of an answer from the bank's own type code (banktypes.py)
NO_GUESS = CategoryGuess(None, None, None, None, None)


@dataclass(frozen=True)
class RuleSpec:
    """What a person enters for a rule (validated by :func:`validate_rule_spec`)."""

    category_id: int
    pattern: str
    match_type: str = "contains"
    name: str = ""
    priority: int = DEFAULT_USER_PRIORITY
    min_amount_minor: int | None = None
    max_amount_minor: int | None = None
    kind: str | None = None
    account: str | None = None
    is_active: bool = True


def try_order(is_global: bool, priority: int, origin: str, match_type: str, pattern: str, rule_id: int) -> tuple:
    """The order rules are tried in: the user's before the global ones, by priority, then (among learned
    merchant rules) the more specific first, then by id. "zorblat quix", learned from a correction, runs
    before the "zorblat" a label wrote earlier, which covers its rows too (issue #16, session 11)."""
    words = len(pattern.split()) if origin == "learned" and match_type in ("exact", "starts_with") else 0
    return (is_global, priority, -words, rule_id)


@dataclass(frozen=True)
class RuleView:
    id: int
    is_global: bool
    category_id: int
    category_name: str
    name: str
    priority: int
    match_type: str
    pattern: str
    min_amount_minor: int | None
    max_amount_minor: int | None
    kind: str | None
    account: str | None
    origin: str
    is_active: bool

    def spec(self) -> RuleSpec:
        return RuleSpec(
            category_id=self.category_id, pattern=self.pattern, match_type=self.match_type, name=self.name,
            priority=self.priority, min_amount_minor=self.min_amount_minor, max_amount_minor=self.max_amount_minor,
            kind=self.kind, account=self.account, is_active=self.is_active,
        )


@dataclass(frozen=True)
class RulePreview:
    """What saving a rule would do: how many transactions it decides, how many it changes."""

    matches: int  # non-manual transactions this rule would categorize (first match)
    would_change: int  # ... of which the category would change
    manual_skipped: int  # hand-categorized transactions it matches but never touches
    # (id, date, description, current category, category after saving) of some of the rows that change
    sample: tuple[tuple[int, dt.date, str, str | None, str | None], ...]


@dataclass(frozen=True)
class LearnOffer:
    """Offered after a user recategorizes a transaction by hand."""

    transaction_id: int
    merchant: str  # the learning key (normalized merchant) the rule is keyed on
    category_id: int
    category_name: str
    rule_name: str
    rule_match_type: str  # 'exact' (on the learning key) or 'starts_with' (its first words: any branch)
    rule_pattern: str
    existing_rule_id: int | None  # a learned rule for this merchant already exists
    matching_past: int  # other non-manual transactions that would change
    matching_manual: int  # other hand-categorized ones with this merchant (left alone)
    description: str = ""  # the transaction's description as the user sees it (the key drops words)
    kind: str | None = None  # the direction the rule files (the category's: "income", "expense"; None: both)
    already_learned: bool = False  # the existing learned rule files this merchant and direction there already

    @property
    def refund_of(self) -> str:
        """The merchant whose refunds the offer's rule files ("cloudflare" of "refund cloudflare"; "" for any other
        merchant): the name shown, the rule keeps its whole key (session 27)."""
        return refund_of(self.merchant)

    @property
    def worthwhile(self) -> bool:
        """A merchant to learn, and something to change: not a rule already taught (the Categorize plan's Label)
        that no past transaction would follow anew (session 22)."""
        return bool(self.merchant) and not (self.already_learned and self.matching_past == 0)


@dataclass(frozen=True)
class Suggestion:
    transaction_id: int
    category_id: int
    category_name: str
    confidence: float
