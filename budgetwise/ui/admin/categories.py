"""Admin · Categories & rules: the default (global) categories and the default rules."""

from __future__ import annotations

import streamlit as st

from budgetwise.principal import Principal
from budgetwise.services import admin, categorize
from budgetwise.ui import read_session
from budgetwise.ui.actions import ask, confirm, run_action
from budgetwise.ui.admin.common import CONFIRM, table
from budgetwise.ui.categorize.common import MATCH_LABELS
from budgetwise.ui.format import plural
from budgetwise.ui.forms import form_key, reset_form


def _categories(principal: Principal, cats: list, cat_label) -> None:
    cat_by_id = {c.id: c for c in cats}
    st.subheader("Default categories")
    st.caption(
        "Shared by every user. Changes apply to every user's transactions, rules and budgets at once; "
        "the counts cover every user."
    )
    table(
        [{"Name": c.name, "Kind": c.kind, "Colour": c.color, "Archived": c.is_archived,
          "Transactions": c.transaction_count, "Rules": c.rule_count} for c in cats],
        key="adm_cat_table",
    )
    left, right = st.columns(2)
    with left.form("adm_cat_create", clear_on_submit=True):
        st.markdown("**New category**")
        n1, n2, n3 = st.columns([3, 2, 1])
        c_name = n1.text_input("Name", key="adm_cat_new_name", max_chars=60)
        c_kind = n2.selectbox("Kind", ["expense", "income", "transfer"], key="adm_cat_new_kind")
        c_color = n3.color_picker("Colour", value="#8c8c8c", key="adm_cat_new_color")
        if st.form_submit_button("Create category"):
            run_action(
                lambda s: admin.create_global_category(s, principal=principal, name=c_name, kind=c_kind, color=c_color),
                f"Created the category {c_name.strip()}.",
            )
    with right.form("adm_cat_rename"):
        st.markdown("**Rename**")
        r1, r2 = st.columns(2)
        r_id = r1.selectbox("Category", list(cat_by_id), format_func=cat_label, key="adm_cat_rename_id")
        r_name = r2.text_input("New name", key="adm_cat_rename_name", max_chars=60)
        if st.form_submit_button("Rename"):
            run_action(lambda s: admin.rename_global_category(s, principal=principal, category_id=r_id, name=r_name),
                       f"Renamed {cat_by_id[r_id].name} to {r_name.strip()}.")
    left, right = st.columns(2)
    mk = form_key("adm_cat_merge")  # new widgets after a merge: the deleted category's place is not taken
    with left.form(mk):  # by the next one in the list with the confirmation still ticked
        st.markdown("**Merge two categories**")
        m1, m2 = st.columns(2)
        m_source = m1.selectbox("Merge this one…", list(cat_by_id), format_func=cat_label, key=f"{mk}_source")
        m_target = m2.selectbox("…into this one", list(cat_by_id), index=min(1, len(cat_by_id) - 1),
                                format_func=cat_label, key=f"{mk}_target")
        m_sure = st.checkbox(
            "I understand: every user's transactions, rules and budgets move to the second category, "
            "and the first one is deleted.", key=f"{mk}_sure",
        )
        if st.form_submit_button("Merge"):
            if not m_sure:
                st.error("Tick the box to confirm the merge.")
            else:
                run_action(
                    lambda s: admin.merge_global_categories(s, principal=principal, source_id=m_source, target_id=m_target),
                    lambda merged: (
                        f"Merged {merged.source_name} into {merged.target.name}: "
                        f"{plural(merged.transactions, 'transaction', locale=principal.locale)}, {plural(merged.rules, 'rule', locale=principal.locale)} and "
                        f"{plural(merged.budgets_moved + merged.budgets_combined, 'budget', locale=principal.locale)} "
                        f"of {plural(merged.users_affected, 'user', locale=principal.locale)}."
                    ),
                    then=lambda _merged: reset_form("adm_cat_merge"),
                )
    with right.form("adm_cat_archive"):
        st.markdown("**Archive or restore**")
        a_id = st.selectbox("Category", list(cat_by_id), format_func=cat_label, key="adm_cat_archive_id")
        st.caption("Archived categories disappear from the pickers; existing transactions keep them.")
        if st.form_submit_button("Archive / restore"):
            archive = not cat_by_id[a_id].is_archived
            run_action(lambda s: admin.archive_global_category(s, principal=principal, category_id=a_id, archived=archive),
                       f"{'Archived' if archive else 'Restored'} {cat_by_id[a_id].name}.")


def _new_rule(principal: Principal, active_cats: list[int], cat_label) -> None:
    with st.expander("New default rule", icon=":material/add:"), st.form("adm_rule_create", clear_on_submit=True):
        q1, q2, q3 = st.columns([2, 3, 2])
        q_match = q1.selectbox("Match", list(admin.MATCH_TYPES), key="adm_rule_new_match", format_func=MATCH_LABELS.__getitem__)
        q_pattern = q2.text_input("Description text or pattern", key="adm_rule_new_pattern", max_chars=500)
        q_cat = q3.selectbox("Category", active_cats, format_func=cat_label, key="adm_rule_new_cat")
        q4, q5 = st.columns(2)
        q_prio = q4.number_input("Priority", categorize.MIN_PRIORITY, categorize.MAX_PRIORITY, 100,
                                 key="adm_rule_new_prio")
        q_kind = q5.selectbox("Only for", ["any", "expense", "income"], key="adm_rule_new_kind")
        if st.form_submit_button("Add rule"):
            run_action(
                lambda s: admin.create_global_rule(
                    s, principal=principal, category_id=q_cat, pattern=q_pattern, match_type=q_match,
                    priority=int(q_prio), kind=None if q_kind == "any" else q_kind,
                ),
                "Added the default rule.",
            )


def _edit_rule(principal: Principal, rules: list, cat_by_id: dict, active_cats: list[int], cat_label) -> None:
    rule_by_id = {r.id: r for r in rules}
    e_id = st.selectbox(
        "Edit a rule", list(rule_by_id), key="adm_rule_pick",
        format_func=lambda i: f"#{i}: {MATCH_LABELS[rule_by_id[i].match_type]} “{rule_by_id[i].pattern}” → "
                              f"{rule_by_id[i].category_name}",
    )
    rule = rule_by_id[e_id]
    with st.form(f"adm_rule_edit_{rule.id}"):
        e1, e2, e3 = st.columns([2, 3, 2])
        e_match = e1.selectbox("Match", list(admin.MATCH_TYPES), index=admin.MATCH_TYPES.index(rule.match_type),
                               key=f"adm_rule_match_{rule.id}", format_func=MATCH_LABELS.__getitem__)
        e_pattern = e2.text_input("Pattern", value=rule.pattern, key=f"adm_rule_pattern_{rule.id}")
        choices = sorted(set(active_cats) | {rule.category_id}, key=lambda i: cat_by_id[i].name)
        e_cat = e3.selectbox("Category", choices, index=choices.index(rule.category_id), format_func=cat_label,
                             key=f"adm_rule_cat_{rule.id}")
        e4, e5, e6 = st.columns(3)
        e_prio = e4.number_input("Priority", categorize.MIN_PRIORITY, categorize.MAX_PRIORITY, rule.priority,
                                 key=f"adm_rule_prio_{rule.id}")
        kinds = ["any", "expense", "income"]
        e_kind = e5.selectbox("Only for", kinds, index=kinds.index(rule.kind or "any"), key=f"adm_rule_kind_{rule.id}")
        e_active = e6.checkbox("Active", value=rule.is_active, key=f"adm_rule_active_{rule.id}")
        s1, s2 = st.columns(2)
        save = s1.form_submit_button("Save rule", type="primary")
        remove = s2.form_submit_button("Delete rule")
    if save:
        run_action(
            lambda s: admin.update_global_rule(
                s, principal=principal, rule_id=rule.id, category_id=e_cat, pattern=e_pattern,
                match_type=e_match, priority=int(e_prio), kind=None if e_kind == "any" else e_kind,
                is_active=e_active,
            ),
            f"Saved rule #{rule.id}.",
        )
    token = ("delete_rule", rule.id, "")
    if remove:
        ask(CONFIRM, token)
    if confirm(CONFIRM, token, f"Delete rule #{rule.id}? Transactions it categorized keep their category.",
               yes="Yes, delete the rule", yes_key="adm_rule_delete_yes", no_key="adm_rule_delete_no"):
        run_action(lambda s: admin.delete_global_rule(s, principal=principal, rule_id=rule.id),
                   f"Deleted rule #{rule.id}.")


def render(principal: Principal) -> None:
    with read_session() as s:
        cats = admin.list_global_categories(s, principal=principal)
        rules = admin.list_global_rules(s, principal=principal)
    cat_by_id = {c.id: c for c in cats}

    def cat_label(cid: int) -> str:
        c = cat_by_id[cid]
        return f"{c.name} ({c.kind}{', archived' if c.is_archived else ''})"

    _categories(principal, cats, cat_label)
    st.subheader("Default rules")
    st.caption("Applied to every user's new transactions after their own rules (lower priority runs first).")
    table(
        [{"ID": r.id, "Priority": r.priority, "Match": MATCH_LABELS[r.match_type], "Pattern": r.pattern,
          "Category": r.category_name, "Type": r.kind or "any", "Active": r.is_active} for r in rules],
        key="adm_rule_table", empty="No default rules yet.",
    )
    active_cats = [c.id for c in cats if not c.is_archived]
    _new_rule(principal, active_cats, cat_label)
    if rules:
        _edit_rule(principal, rules, cat_by_id, active_cats, cat_label)
