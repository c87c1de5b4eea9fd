"""Session keys, labels and editor keys shared by the Categorize page's sections."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable

import streamlit as st

EDITOR_VERSION = "cat_editor_version"  # bumped after a save so the editor starts afresh
RULE_EDIT = "cat_rule_edit"  # id of the rule being edited (None = a new rule)
PREVIEW = "cat_rule_preview"  # (RuleSpec, rule id, RulePreview) of the last test
RULE_FORM = ("cat_rule_pick", "cat_r", "cat_rule_form")  # the picker and the rule form (see ui.forms)
NONE = "— leave as is —"
# "exact" compares the whole description and also its merchant (card/payment words, dates and numbers
# left out), so a learned rule "zara" matches "CARD PAYMENT ZARA": say "merchant is", not "is exactly".
MATCH_LABELS = {"contains": "contains", "starts_with": "starts with", "exact": "is the merchant",
                "regex": "regular expression"}
KIND_LABELS = {None: "Any", "expense": "Expense", "income": "Income"}


def new_editors() -> None:
    """After a save the tables' editors start afresh (their edits were saved)."""
    st.session_state[EDITOR_VERSION] = st.session_state.get(EDITOR_VERSION, 0) + 1


def editor_version() -> int:
    return st.session_state.get(EDITOR_VERSION, 0)


def rows_key(ids: Iterable[int]) -> str:
    """A short, stable name for the rows an editor shows, in order."""
    return hashlib.sha256(",".join(map(str, ids)).encode()).hexdigest()[:12]
