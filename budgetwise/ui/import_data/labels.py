"""The file's own categories: which BudgetWise category each label becomes, and whether to learn from them."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from budgetwise.services import importing as svc
from budgetwise.ui.format import md
from budgetwise.ui.import_data.state import set_options

RULES_DECIDE = "(your rules decide)"  # what an empty category cell means, written in the cell


def render(preview: svc.ImportPreview, cat_names: dict[int, str], fk: str) -> None:
    if not preview.labels:
        return
    name_to_cat = {v: k for k, v in cat_names.items()}
    st.subheader("The file's categories")
    st.caption(md(svc.labels_note(preview)))  # the file's label in it: escaped
    groups = svc.label_groups(preview.labels)  # spellings of one label are mapped together
    label_frame = pd.DataFrame(
        {
            "Label in the file": [g.label for g in groups],
            "Also written": [", ".join(g.spellings[1:]) for g in groups],
            "Rows": [g.count for g in groups],
            "BudgetWise category": [cat_names.get(g.category_id) if g.category_id else None for g in groups],
        }
    )
    edited = st.data_editor(
        label_frame, key=f"imp_labels_{fk}", hide_index=True, width="stretch",
        placeholder=RULES_DECIDE,  # an unmapped label said a grey "None" (new-user trials, sessions 20-21)
        disabled=["Label in the file", "Also written", "Rows"],
        column_config={"BudgetWise category": st.column_config.SelectboxColumn(
            options=sorted(name_to_cat), required=False)},
    )
    chosen = svc.group_choices(groups, {
        label: name_to_cat.get(value) if isinstance(value, str) else None
        for label, value in zip(edited["Label in the file"], edited["BudgetWise category"])
    })
    split = {m.group or m.label: cat_names.get(m.credit_id, "") for m in preview.labels if m.credit_id}
    if split:  # a label naming no direction ("Investment"): money received under it goes elsewhere
        st.caption("Money received under " + "; ".join(f"“{k}” goes to {v}" for k, v in sorted(split.items()))
                   + " (spending under it to the category shown); choose another category to use one for both.")
    current = tuple((m.label, m.category_id) for m in preview.labels)
    if dict(chosen) != dict(current):
        set_options(category_map=chosen)
        st.rerun()
    learn_labels = st.checkbox(
        "Learn my merchant habits from this file's categories",
        value=preview.learn_from_labels, key=f"imp_learn_labels_{fk}",
        help="On: the rows keep these categories as if you had set them by hand, and BudgetWise learns "
             "each merchant as a rule. Leave it off for a bank's own categories (they are the bank's "
             "guesses, not your habits): the rows get the category, but your rules can still refine "
             "them and nothing is learned. "
             + ("This file looks like an export from a budgeting app, so it starts on."
                if preview.labels_from_app else "This file looks like a bank's export, so it starts off."),
    )
    if learn_labels != preview.learn_from_labels:
        set_options(learn_from_labels=learn_labels)
        st.rerun()
