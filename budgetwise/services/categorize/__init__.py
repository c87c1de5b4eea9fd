"""Categorization: the rule engine, learning from corrections, and per-user suggestions.

How a transaction gets its category (first match wins):

1. the user's own rules (written by hand, or *learned* from corrections), by priority
   (lower first), then learned merchant rules of more words first, then by id (``types.try_order``);
2. the global default rules (seeded by migration 0002, managed by admins), by priority;
3. nothing matched: a per-user model (scikit-learn, trained on the user's own
   hand-categorized history) may *suggest* a category with a confidence. Suggestions
   are never written by :func:`apply_rules_to_transactions`; the Categorize page shows
   them and the user accepts them (then they are stored with ``category_source='model'``
   and ``category_manual=True``).

A category set by hand (``category_manual``) is never overwritten.

Matching is case-, accent- and punctuation-insensitive: conditions on the description
are checked against ``fold(description)``, against the merchant key
(:func:`budgetwise.textforms.merchant_key`: dates, numbers, card and reference fragments
removed) and, for ``exact``, against the *learning key* (:func:`learn_key`: the merchant
key without payment boilerplate such as "POS purchase", "card payment" or month names).
Regular expressions run on the folded description only.

Speed: rules are compiled once per rule set (memoized); a single trie-shaped regular
expression finds, for each distinct description, every literal that some rule needs,
so only those few rules are checked; rows with the same description share the work.

The package's modules, from pure to database-bound (the pure ones import no Session):

* :mod:`.types` -- limits, sources and the frozen data types (RuleSpec, RuleView, ...);
* :mod:`budgetwise.textforms` (top level, pure) -- folding, word forms, the merchant and learning keys;
* :mod:`.regex_safety` -- which user regular expressions may be saved, and their literals;
* :mod:`.ruleset` -- the compiled rule set and first-match search over many rows;
* :mod:`.engine` -- reading the rules in force and categorizing rows or stored transactions;
* :mod:`.rules` -- listing, validating, writing, testing and applying rules;
* :mod:`.learning` -- rules learned from corrections and from labelled files, external labels;
* :mod:`.model` -- the per-user model (training, cache, prediction);
* :mod:`.suggestions` -- the model's suggestions for stored transactions, and accepting them;
* :mod:`.review` -- the review queue and saving it, categorization statistics and the labelling plan;
* :mod:`.history` (pure) -- merchant stems, memory, per-user model, calibration, the decision;
* :mod:`.knowledge` -- the user's categorized history read and fitted (memoized).

Every public name (and the few private ones tests reach for) is re-exported here, so
``from budgetwise.services import categorize; categorize.X`` keeps working.
"""

from __future__ import annotations

from budgetwise.models import CATEGORY_KINDS  # noqa: E402,F401 - part of __all__
from budgetwise.services import claim_public_functions  # noqa: E402
from budgetwise.services.categorize.engine import (  # noqa: F401
    _category_names,
    _normalize_item,
    _rule_rows,
    _rules_say,
    apply_rules_to_transactions,
    categorize_items,
    categorize_rows,
    reapply_categories,
)
from budgetwise.services.categorize.explain import (  # noqa: F401
    GUESS_NOTE,
    GUESSED_HELP,
    how_categorized,
    is_guess,
    structure_signal,
)
from budgetwise.services.categorize.labelled import (  # noqa: F401
    MIN_LABELLED_SHARE,
    LabelledCheck,
    LabelledRow,
    check_labelled_rows,
    rows_text,
)
from budgetwise.services.categorize.learning import (  # noqa: F401
    VAGUE_LABELS,
    _learned_rule_for,
    _learned_spec,
    _merchant_transactions,
    _upsert_learned_rule,
    accept_learn_offer,
    learn_and_apply,
    learn_from_correction,
    learn_from_labeled,
    learn_offer_is_current,
    map_external_categories,
    map_external_credit_categories,
)
from budgetwise.services.categorize.model import (  # noqa: F401
    _MODEL_CACHE,
    _MODEL_CACHE_SIZE,
    _MODEL_LOCK,
    LOW_CONFIDENCE,
    MODEL_MAX_EXAMPLES,
    MODEL_MIN_CATEGORIES,
    MODEL_MIN_CONFIDENCE,
    MODEL_MIN_EXAMPLES,
    MODEL_MIN_SIMILARITY,
    _fit_model,
    _Model,
    _training_rows,
    _user_model,
    model_status,
)
from budgetwise.services.categorize.regex_safety import (  # noqa: F401  # noqa: F401,E402
    _ESCAPED,
    _PLAIN_ALTERNATIVE,
    _checked_structure,
    _required_literals,
    _seq_literals,
    _sre_c,
    _sre_p,
    _Unsafe,
    _walk_regex,
    compile_regex,
)
from budgetwise.services.categorize.review import (  # noqa: F401
    Labelled,
    LabellingPlan,
    ReviewDecision,
    ReviewEdit,
    ReviewRow,
    StatsOverview,
    _wants_suggestion,
    categorization_stats,
    label,
    label_merchant,
    labelling_plan,
    review_decision,
    review_queue,
    save_review,
    stats_overview,
    undo_label,
)
from budgetwise.services.categorize.rules import (  # noqa: F401
    _assign,
    _candidate_rule_row,
    _default_rule_name,
    _own_rule,
    _priorities,
    _rule_effect,
    _rule_view,
    _RuleEffect,
    admin_create_rule,
    admin_delete_rule,
    admin_update_rule,
    count_rules,
    create_rule,
    delete_rule,
    get_rule,
    list_rules,
    parse_rule_amount,
    preview_rule,
    save_rule_and_apply,
    update_rule,
    validate_rule_spec,
)
from budgetwise.services.categorize.ruleset import (  # noqa: F401
    _ASCII_DIGITS,
    _DIGITS,
    _NEVER,
    _canon,
    _class_digits,
    _Compiled,
    _compiled_rules,
    _digit_uniform,
    _LazyRegex,
    _match_rows,
    _RuleRow,
    _RuleSet,
    _split_alternatives,
    _texts,
    _trie_regex,
    _uniform_items,
)
from budgetwise.services.categorize.suggestions import (  # noqa: F401
    accept_suggestions,
    suggest_for_transactions,
)
from budgetwise.services.categorize.types import (  # noqa: F401
    BANK_TYPE_SIGNAL,
    DEFAULT_USER_PRIORITY,
    FALLBACK_CONFIDENCE,
    FALLBACK_PRIORITY,
    LEARNED_PRIORITY,
    MATCH_TYPES,
    MAX_GLOBAL_PATTERN_LENGTH,
    MAX_ITEMS,
    MAX_PATTERN_LENGTH,
    MAX_PRIORITY,
    MAX_RULE_NAME,
    MAX_RULES_PER_USER,
    MAX_TEXT,
    MAX_UNBOUNDED_REPEATS,
    MIN_PRIORITY,
    MODEL_OVER_FALLBACK,
    NO_GUESS,
    REGEX_TIME_BUDGET_S,
    REVIEW_THRESHOLD,
    RULE_ORIGINS,
    SOURCE_LEARNED,
    SOURCE_MODEL,
    SOURCE_RULE,
    CategorizeItem,
    CategoryGuess,
    LearnOffer,
    RulePreview,
    RuleSpec,
    RuleView,
    Suggestion,
)
from budgetwise.textforms import (  # noqa: F401
    _BOILERPLATE,
    _HAS_DIGIT,
    _MONTHS,
    _TOKEN,
    _fold_pattern,
    _key_from_tokens,
    _strip_accents,
    fast_fold,
    learn_key,
    tokens_form,
)

claim_public_functions(globals(), __name__)

__all__ = [
    "CategorizeItem", "CategoryGuess", "LearnOffer", "RulePreview", "RuleSpec", "RuleView", "Suggestion",
    "ReviewRow", "categorize_items", "categorize_rows", "apply_rules_to_transactions", "reapply_categories", "check_labelled_rows",
    "LabelledRow", "LabelledCheck", "MIN_LABELLED_SHARE", "map_external_categories", "map_external_credit_categories",
    "learn_from_labeled", "learn_from_correction", "accept_learn_offer", "learn_and_apply", "learn_key",
    "list_rules", "get_rule", "create_rule", "update_rule", "delete_rule", "preview_rule", "save_rule_and_apply",
    "admin_create_rule", "admin_update_rule", "admin_delete_rule", "compile_regex", "validate_rule_spec",
    "MIN_PRIORITY", "MAX_PRIORITY",
    "suggest_for_transactions", "accept_suggestions", "review_queue", "model_status", "categorization_stats",
    "CATEGORY_KINDS", "MATCH_TYPES", "labelling_plan", "label_merchant", "label", "undo_label", "Labelled", "LabellingPlan",
    "ReviewEdit", "ReviewDecision", "review_decision", "save_review", "StatsOverview", "stats_overview",
    "parse_rule_amount",
]
