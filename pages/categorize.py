"""Categorize: review uncategorized and uncertain transactions, rules, re-apply, own categories.

A shell over the sections in budgetwise/ui/categorize/; what a save of the review table does, the
page's counts and a rule's amount bounds are the service's (categorize.review_decision,
save_review, stats_overview, parse_rule_amount).
"""

from budgetwise.ui.navigation import leave_pages_folder_mode

leave_pages_folder_mode(rerun=True)  # first, before the heavy imports: see its docstring

import streamlit as st

from budgetwise.services import auth, categorize
from budgetwise.services import categories as categories_service
from budgetwise.ui import read_session, require_user
from budgetwise.ui.categorize import overview, own_categories, reapply, review, rules

principal = require_user()

st.title("Categorize")
st.caption(
    "Rules sort your transactions; a category you set by hand always sticks. "
    "When you recategorize a merchant, BudgetWise can learn it as a rule you can edit or delete below."
)

with read_session() as s:
    cats = categories_service.list_categories(s, user_id=principal.user_id)
    version = auth.cache_version(s, user_id=principal.user_id)
stats, model_ready = overview.cached_counts(principal.user_id, version)

overview.render(principal, categorize.stats_overview(stats))
review_tab, rules_tab, apply_tab, cats_tab = st.tabs(  # keyed: picking a rule reran on "To review" (session 13)
    ["To review", "Rules", "Re-apply rules", "My categories"], key="cat_tab")
with review_tab:
    review.render(principal, {c.name: c.id for c in cats}, model_ready, {c.name: c.kind for c in cats})
with rules_tab:
    rules.render(principal, {c.id: c.name for c in cats})
with apply_tab:
    reapply.render(principal)
with cats_tab:
    own_categories.render(principal)
