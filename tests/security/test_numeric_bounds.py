"""Numbers a user types that reach a BIGINT column (session 23, sec23).

Every amount a person types is bounded by ``money.MAX_AMOUNT`` (transactions, budgets, goals, opening balances,
scheduled items, what-ifs, the cash-flow threshold) except a rule's minimum and maximum amount: "99999999999999999999"
became 9,999,999,999,999,999,999,900 minor units, which SQLite cannot store ("OverflowError: Python int too large to
convert to SQLite INTEGER") and PostgreSQL/MariaDB refuse as out of range, so the Rules form answered with "an
unexpected problem" instead of saying which box was wrong.
"""

from __future__ import annotations

import pytest

from budgetwise.errors import ValidationError
from budgetwise.services import categories, categorize
from budgetwise.services.categorize.types import RuleSpec

HUGE = "99999999999999999999"


def _category(session, user) -> int:
    return categories.create_category(session, user_id=user.user_id, name="Coffee shops", kind="expense").id


def test_a_rules_typed_amount_past_the_limit_is_refused_naming_the_box():
    with pytest.raises(ValidationError, match=r"^The maximum amount “99999999999999999999” is implausibly large "
                                              r"\(the limit is 1,000,000,000\)\.$") as refused:
        categorize.parse_rule_amount(HUGE, currency="USD", field="max_amount")
    assert refused.value.field == "max_amount"
    assert categorize.parse_rule_amount("1000000000", currency="USD", field="min_amount") == 100_000_000_000


@pytest.mark.parametrize("field", ["min_amount_minor", "max_amount_minor"])
def test_a_rule_with_an_amount_past_a_bigint_is_refused_before_any_write(db, session, alice, field):
    cid = _category(session, alice)
    spec = RuleSpec(category_id=cid, match_type="contains", pattern="coffee", **{field: 10**22})
    with pytest.raises(ValidationError, match="implausibly large") as refused:
        categorize.create_rule(session, user_id=alice.user_id, spec=spec)
    assert refused.value.field == field.removesuffix("_minor")
    with pytest.raises(ValidationError, match="implausibly large"):
        categorize.preview_rule(session, user_id=alice.user_id, spec=spec)
    assert categorize.list_rules(session, user_id=alice.user_id, include_global=False) == []
    # the largest amount a transaction may have, in a currency of four decimals (CLF), still fits
    fits = RuleSpec(category_id=cid, match_type="contains", pattern="coffee", **{field: 10**13})
    categorize.create_rule(session, user_id=alice.user_id, spec=fits)
    session.flush()
    assert len(categorize.list_rules(session, user_id=alice.user_id, include_global=False)) == 1
