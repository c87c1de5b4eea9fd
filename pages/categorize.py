"""Categorize: review uncategorized and uncertain transactions, rules, re-apply, own categories."""

import datetime as dt
import hashlib
from functools import partial

import pandas as pd
import streamlit as st

from budgetwise.errors import BudgetwiseError
from budgetwise.money import from_minor, to_minor
from budgetwise.services import categories as categories_service
from budgetwise.services import categorize
from budgetwise.services import transactions as tx
from budgetwise.ui import db_session, read_session, require_user
from budgetwise.ui.actions import run_action
from budgetwise.ui.format import plural
from budgetwise.ui.forms import form_key, reset_form
from budgetwise.ui.widgets import md, money, show_error

principal = require_user()

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

def _new_editors() -> None:
    """After a save the tables' editors start afresh (their edits were saved)."""
    st.session_state[EDITOR_VERSION] = st.session_state.get(EDITOR_VERSION, 0) + 1


def _rows_key(ids) -> str:
    """A short, stable name for the rows an editor shows, in order."""
    return hashlib.sha256(",".join(map(str, ids)).encode()).hexdigest()[:12]


st.title("Categorize")
st.caption(
    "Rules sort your transactions; a category you set by hand always sticks. "
    "When you recategorize a merchant, BudgetWise can learn it as a rule you can edit or delete below."
)

with read_session() as s:
    cats = categories_service.list_categories(s, user_id=principal.user_id)
    stats = categorize.categorization_stats(s, user_id=principal.user_id)
    model_ready, labelled = categorize.model_status(s, user_id=principal.user_id)
cat_by_id = {c.id: c for c in cats}
cat_names = {c.id: c.name for c in cats}
name_to_id = {c.name: c.id for c in cats}

total = sum(stats.values())
by_rules = stats.get("rule", 0) + stats.get("learned", 0)
k1, k2, k3, k4, k5 = st.columns(5)
k1.metric("Transactions", f"{total:,}", border=True)
k2.metric("Uncategorized", f"{stats.get('none', 0):,}", border=True)
k3.metric("Guessed", f"{stats.get('guess', 0):,}", border=True,
          help="Only the kind of payment was recognised (a card purchase or a direct debit at an unknown "
               "merchant): the category is a guess waiting for review.")
k4.metric("By rules", f"{by_rules:,}", border=True)
k5.metric("By hand or import", f"{total - stats.get('none', 0) - stats.get('guess', 0) - by_rules:,}",
          border=True)

review_tab, rules_tab, apply_tab, cats_tab = st.tabs(["To review", "Rules", "Re-apply rules", "My categories"])

# =========================================================================== review
with review_tab:
    if not model_ready:
        st.info(
            "Suggestions appear once you have categorized some transactions by hand (or imported a file with "
            "its own categories): the same merchant gets the category you used, and from 10 such transactions a "
            "model of your habits suggests the rest."
        )
    with read_session() as s:
        plan = categorize.labelling_plan(s, user_id=principal.user_id, limit=10)
    if plan.items:
        n_items = len(plan.items)
        st.subheader(f"Label {'these' if n_items > 1 else 'this'} {n_items} to sort {plan.sorts:,} "
                     f"transaction{'s' if plan.sorts != 1 else ''}")
        st.caption(f"{plan.waiting:,} transaction{'s' if plan.waiting != 1 else ''} wait for a category "
                   f"({plan.uncategorized:,} uncategorized, the rest uncertain). These merchants cover the most of "
                   "them: one click labels every branch and terminal of the merchant, now and in future imports.")
        options = sorted(name_to_id)
        for i, item in enumerate(plan.items):
            c1, c2, c3 = st.columns([4, 2, 1], vertical_alignment="bottom")
            c1.markdown(f"**{item.stem}** · {item.rows:,} transaction{'s' if item.rows != 1 else ''}  \n"
                        f"e.g. “{md(item.example)}”")
            choice = c2.selectbox("Category", options, index=None, key=f"cat_plan_cat_{i}",
                                  placeholder="Choose a category", label_visibility="collapsed")
            if c3.button("Label", key=f"cat_plan_btn_{i}", disabled=choice is None):
                run_action(
                    partial(categorize.label_merchant, user_id=principal.user_id, merchant=item.stem,
                            category_id=name_to_id[choice]),
                    then=lambda _changed: _new_editors(),
                    toast=lambda changed, stem=item.stem, choice=choice: (
                        f"Learned “{stem}” as {choice}: {plural(changed, 'transaction')} categorized."),
                    icon="✅",
                )
        st.divider()
    f1, f2, f3 = st.columns([2, 2, 1])
    search = f1.text_input("Search descriptions", key="cat_q_text", max_chars=100)
    period = f2.date_input("Period", value=(), key="cat_q_period", help="Leave empty for all dates.")
    limit = f3.selectbox("Show", [50, 100, 200, 500], index=1, key="cat_q_limit")
    include_all = st.checkbox("Also list confidently categorized transactions (after the ones to review)",
                              key="cat_q_all")
    date_from = period[0] if isinstance(period, tuple) and len(period) >= 1 else None
    date_to = period[1] if isinstance(period, tuple) and len(period) == 2 else None
    with read_session() as s:
        queue, waiting = categorize.review_queue(
            s, user_id=principal.user_id, limit=limit, include_confident=include_all,
            date_from=date_from, date_to=date_to, text=search,
        )
    if not queue:
        st.success("Nothing to review: every transaction has a confident category.")
    else:
        st.markdown(f"**{waiting:,}** transaction{'s' if waiting != 1 else ''} to review"
                    + (f" (showing {len(queue)})" if waiting > len(queue) else "")
                    + ": uncategorized first, then the least confident.")
        if any(r.category_source == "rule" and (r.confidence or 1) < 1 for r in queue):
            st.caption("“rule (guess …)”: only the kind of payment was recognised — a card purchase or a direct "
                       "debit at a merchant no rule knows — so the category is a guess. Set the right one to "
                       "teach BudgetWise the merchant.")
        frame = pd.DataFrame.from_records(
            [
                {
                    "id": r.id,
                    "Date": r.date,
                    "Description": r.description,
                    "Amount": money(principal, -r.amount_minor if r.kind == "expense" else r.amount_minor, r.currency),
                    "Category now": r.category_name or "—",
                    "How": (r.category_source or "") + (
                        f" (guess {r.confidence:.0%})" if r.category_source == "rule" and r.confidence is not None
                        and r.confidence < 1 else f" {r.confidence:.0%}" if r.confidence is not None
                        and r.category_source == "model" else ""),
                    "Suggestion": (f"{r.suggestion.category_name} ({r.suggestion.confidence:.0%})"
                                   if r.suggestion else ""),
                    "Accept": False,
                    "Set category": NONE,
                }
                for r in queue
            ]
        )
        # The editor keeps edits by row position: its key names the rows it shows, so edits made for one
        # list are dropped (not applied to other transactions) when the list changes (a filter, new data).
        edited = st.data_editor(
            frame,
            key=f"cat_editor_{st.session_state.get(EDITOR_VERSION, 0)}_{_rows_key(r.id for r in queue)}",
            hide_index=True,
            width="stretch",
            disabled=["id", "Date", "Description", "Amount", "Category now", "How", "Suggestion"],
            column_config={
                "id": None,
                "Date": st.column_config.DateColumn(format="YYYY-MM-DD"),
                "Accept": st.column_config.CheckboxColumn(help="Accept the suggestion shown"),
                "Set category": st.column_config.SelectboxColumn(options=[NONE, *sorted(name_to_id)], required=True),
            },
        )
        learn = st.checkbox("Learn the merchants I set a category for (a rule for each, applied to past and future "
                            "transactions)", value=True, key="cat_learn")
        b1, b2 = st.columns(2)
        save = b1.button("Save changes", type="primary", key="cat_save")
        threshold = b2.slider("Accept every suggestion at or above", 50, 100, 90, step=5, format="%d%%",
                              key="cat_threshold")
        accept_all = b2.button("Accept these suggestions", key="cat_accept_all")
        by_id = {r.id: r for r in queue}
        if save or accept_all:
            chosen: dict[int, list[int]] = {}
            accepted: list[tuple[int, int, float]] = []
            for row in edited.to_dict("records"):
                r = by_id[int(row["id"])]
                target = row["Set category"]
                if target in name_to_id:
                    chosen.setdefault(name_to_id[target], []).append(r.id)
                elif r.suggestion and (
                    (save and bool(row["Accept"])) or (accept_all and r.suggestion.confidence * 100 >= threshold)
                ):
                    accepted.append((r.id, r.suggestion.category_id, r.suggestion.confidence))
            if not chosen and not accepted:
                st.warning("Nothing to save: pick a category or tick Accept on some rows.")
            else:
                def _save_review(s) -> tuple[int, int]:
                    """Set the chosen categories (learning from them if asked) and accept suggestions, at once."""
                    learned = 0
                    for category_id, ids in chosen.items():
                        tx.set_category_bulk(s, user_id=principal.user_id, transaction_ids=ids,
                                             category_id=category_id)
                        if learn:
                            for tid in ids:
                                _, changed = categorize.learn_and_apply(
                                    s, user_id=principal.user_id, transaction_id=tid, category_id=category_id
                                )
                                learned += changed
                    return categorize.accept_suggestions(s, user_id=principal.user_id, accepted=accepted), learned

                n_set = sum(len(v) for v in chosen.values())
                run_action(
                    _save_review, then=lambda _counts: _new_editors(),
                    toast=lambda counts: f"Saved: {n_set} set by hand, {plural(counts[0], 'suggestion')} accepted"
                    + (f", {counts[1]} more updated by learned rules" if counts[1] else "") + ".",
                    icon="✅",
                )

# =========================================================================== rules
with rules_tab:
    with read_session() as s:
        rules = categorize.list_rules(s, user_id=principal.user_id)
    mine = [r for r in rules if not r.is_global]
    defaults = [r for r in rules if r.is_global]

    def describe(r) -> str:
        parts = [f"merchant is “{r.pattern}”" if r.match_type == "exact"
                 else f"{MATCH_LABELS[r.match_type]} “{r.pattern}”"]
        if r.kind:
            parts.append(r.kind)
        if r.min_amount_minor is not None or r.max_amount_minor is not None:
            lo = money(principal, r.min_amount_minor) if r.min_amount_minor is not None else "…"
            hi = money(principal, r.max_amount_minor) if r.max_amount_minor is not None else "…"
            parts.append(f"{lo} – {hi}")
        if r.account:
            parts.append(f"account {r.account}")
        return ", ".join(parts)

    st.subheader("Your rules")
    st.caption("Your rules are tried first, by priority (lower first); the first match wins. "
               "Learned rules come from your corrections.")
    if mine:
        st.dataframe(
            pd.DataFrame.from_records([
                {"#": r.id, "Priority": r.priority, "Name": r.name, "Description": describe(r),
                 "Category": r.category_name, "Origin": r.origin, "Active": r.is_active}
                for r in mine
            ]),
            hide_index=True, width="stretch",
        )
    else:
        st.info("You have no rules of your own yet. The default rules below categorize common merchants.")

    options = [None, *[r.id for r in mine]]
    rule_by_id = {r.id: r for r in mine}
    current = st.session_state.get(RULE_EDIT)
    # keys from ui.forms: after a save or a delete the picker shows the rule saved (or "New rule…") and the
    # form is drawn anew, so what the browser still holds cannot save the same rule twice
    picked = st.selectbox(
        "Create or edit", options, index=options.index(current) if current in options else 0,
        format_func=lambda i: "New rule…" if i is None else f"#{i} {rule_by_id[i].name}",
        key=form_key("cat_rule_pick"),
    )
    st.session_state[RULE_EDIT] = picked
    base = rule_by_id.get(picked)
    cat_options = sorted(cat_by_id, key=lambda i: cat_names[i])
    rk = form_key("cat_r")
    with st.form(f"{form_key('cat_rule_form')}_{picked}"):
        c1, c2 = st.columns(2)
        pattern = c1.text_input("Description …", value=base.pattern if base else "",
                                max_chars=categorize.MAX_PATTERN_LENGTH, key=f"{rk}_pattern_{picked}")
        match_type = c2.selectbox("Match", list(MATCH_LABELS), format_func=MATCH_LABELS.get,
                                  index=list(MATCH_LABELS).index(base.match_type) if base else 0,
                                  key=f"{rk}_match_{picked}")
        c3, c4 = st.columns(2)
        category_id = c3.selectbox(
            "Category", cat_options, format_func=lambda i: cat_names[i],
            index=cat_options.index(base.category_id) if base and base.category_id in cat_options else 0,
            key=f"{rk}_category_{picked}",
        )
        kind = c4.selectbox("Type", list(KIND_LABELS), format_func=KIND_LABELS.get,
                            index=list(KIND_LABELS).index(base.kind) if base else 0, key=f"{rk}_kind_{picked}")
        c5, c6, c7 = st.columns(3)
        lo_text = c5.text_input("Minimum amount", value=str(from_minor(base.min_amount_minor, principal.currency))
                                if base and base.min_amount_minor is not None else "", key=f"{rk}_min_{picked}")
        hi_text = c6.text_input("Maximum amount", value=str(from_minor(base.max_amount_minor, principal.currency))
                                if base and base.max_amount_minor is not None else "", key=f"{rk}_max_{picked}")
        account = c7.text_input("Only for account", value=(base.account or "") if base else "", max_chars=100,
                                key=f"{rk}_account_{picked}")
        c8, c9, c10 = st.columns([3, 1, 1])
        name = c8.text_input("Rule name (optional)", value=base.name if base else "", max_chars=categorize.MAX_RULE_NAME,
                             key=f"{rk}_name_{picked}")
        priority = c9.number_input("Priority", value=base.priority if base else categorize.DEFAULT_USER_PRIORITY,
                                   step=1, min_value=categorize.MIN_PRIORITY, max_value=categorize.MAX_PRIORITY,
                                   key=f"{rk}_priority_{picked}")
        active = c10.checkbox("Active", value=base.is_active if base else True, key=f"{rk}_active_{picked}")
        apply_now = st.checkbox("Apply to my existing transactions when saving", value=True, key=f"{rk}_apply_{picked}")
        s1, s2 = st.columns(2)
        test = s1.form_submit_button("Test the rule", icon=":material/science:")
        save_rule = s2.form_submit_button("Save the rule", type="primary")

    def _amount(text: str, field: str) -> int | None:
        from budgetwise.money import parse_decimal

        if not text.strip():
            return None
        return to_minor(abs(parse_decimal(text, field=field)), principal.currency)

    if test or save_rule:
        try:
            spec = categorize.RuleSpec(
                category_id=int(category_id), pattern=pattern, match_type=match_type, name=name,
                priority=int(priority), min_amount_minor=_amount(lo_text, "min_amount"),
                max_amount_minor=_amount(hi_text, "max_amount"), kind=kind, account=account or None,
                is_active=active,
            )
            if test:
                with read_session() as s:
                    preview = categorize.preview_rule(s, user_id=principal.user_id, spec=spec, rule_id=picked)
                st.session_state[PREVIEW] = (spec, picked, preview)
            else:
                with db_session() as s:
                    view, changed = categorize.save_rule_and_apply(
                        s, user_id=principal.user_id, spec=spec, rule_id=picked, apply=apply_now
                    )
                st.session_state[RULE_EDIT] = view.id
                st.session_state.pop(PREVIEW, None)
                reset_form(*RULE_FORM)
                st.toast(f"Rule saved. {changed} transaction{'s' if changed != 1 else ''} recategorized.", icon="✅")
                st.rerun()
        except BudgetwiseError as exc:
            show_error(exc)

    last = st.session_state.get(PREVIEW)
    if last is not None and last[1] == picked:
        _, _, preview = last
        with st.container(border=True):
            st.markdown(
                f"**This rule would change {preview.would_change:,} transaction"
                f"{'s' if preview.would_change != 1 else ''}** (it would be the first match for "
                f"{preview.matches:,}; {preview.manual_skipped:,} categorized by hand would stay as they are)."
            )
            if preview.sample:
                st.dataframe(
                    pd.DataFrame.from_records([
                        {"Date": day, "Description": description, "Category now": now or "—",
                         "After saving": after or "—"}
                        for _, day, description, now, after in preview.sample
                    ]),
                    hide_index=True, width="stretch",
                )

    if base is not None:
        with st.expander("Delete this rule"):
            st.warning(f"Delete rule #{base.id} “{md(base.name)}”? Categories it set stay until you re-apply the rules.")
            if st.button("Delete the rule", key=f"cat_rule_delete_{base.id}"):
                def _deleted(_result) -> None:
                    st.session_state[RULE_EDIT] = None
                    st.session_state.pop(PREVIEW, None)
                    reset_form(*RULE_FORM)

                run_action(partial(categorize.delete_rule, user_id=principal.user_id, rule_id=base.id),
                           then=_deleted, toast="Rule deleted.", icon="🗑️")

    with st.expander(f"Default rules ({len(defaults)}) — maintained by the administrators"):
        st.dataframe(
            pd.DataFrame.from_records([
                {"Priority": r.priority, "Name": r.name, "Category": r.category_name,
                 "Type": KIND_LABELS[r.kind], "Pattern": r.pattern, "Active": r.is_active}
                for r in defaults
            ]),
            hide_index=True, width="stretch",
        )

# =========================================================================== re-apply
with apply_tab:
    st.markdown("Run the rules again over transactions you did not categorize by hand — for instance after "
                "adding or changing rules. Hand-set categories are never changed.")
    with st.form("cat_reapply"):
        scope = st.radio("Which transactions", ["Uncategorized only", "All in a period"], horizontal=True,
                         key="cat_ra_scope")
        today = dt.date.today()
        r1, r2 = st.columns(2)
        start = r1.date_input("From", value=today.replace(day=1) - dt.timedelta(days=365), key="cat_ra_from")
        end = r2.date_input("To", value=today, key="cat_ra_to")
        go = st.form_submit_button("Re-apply rules", type="primary", icon=":material/autorenew:")
    if go:
        with st.status("Re-applying rules…", expanded=False) as status:
            changed = run_action(
                partial(categorize.apply_rules_to_transactions, user_id=principal.user_id, only_uncategorized=True)
                if scope == "Uncategorized only" else
                partial(categorize.apply_rules_to_transactions, user_id=principal.user_id, date_from=start, date_to=end),
                rerun=False,
            )
            if changed is None:
                status.update(label="Could not re-apply the rules", state="error")
            else:
                status.update(label=f"Done: {plural(changed, 'transaction')} recategorized", state="complete")
                st.success(f"{plural(changed, 'transaction')} recategorized.")

# =========================================================================== categories
with cats_tab:
    with read_session() as s:
        all_cats = categories_service.list_categories(s, user_id=principal.user_id, include_archived=True)
        usage = categories_service.category_usage(s, user_id=principal.user_id)
    own = [c for c in all_cats if not c.is_global]
    st.subheader("Your categories")
    if own:
        own_frame = pd.DataFrame.from_records([
            {"id": c.id, "Name": c.name, "Type": c.kind, "Colour": c.color, "Archived": c.is_archived,
             "Transactions": usage.get(c.id, 0)}
            for c in own
        ])
        edited_cats = st.data_editor(
            own_frame, key=f"cat_own_{st.session_state.get(EDITOR_VERSION, 0)}_{_rows_key(c.id for c in own)}",
            hide_index=True,
            width="stretch", disabled=["id", "Type", "Transactions"],
            column_config={
                "id": None,
                "Colour": st.column_config.TextColumn(help="#rrggbb", max_chars=7, validate=r"^#[0-9a-fA-F]{6}$"),
                "Archived": st.column_config.CheckboxColumn(help="Archived categories keep their transactions "
                                                            "but are no longer offered; their rules pause."),
            },
        )
        if st.button("Save category changes", key="cat_own_save"):
            before = {c.id: c for c in own}

            def _save_categories(s) -> int:
                """Every edited row of the table, in one unit of work; how many categories changed."""
                n = 0
                for row in edited_cats.itertuples(index=False):
                    old = before[int(row.id)]
                    if (row.Name, row.Colour, bool(row.Archived)) != (old.name, old.color, old.is_archived):
                        categories_service.update_category(
                            s, user_id=principal.user_id, category_id=old.id,
                            name=row.Name if row.Name != old.name else None,
                            color=row.Colour if row.Colour != old.color else None,
                            archived=bool(row.Archived) if bool(row.Archived) != old.is_archived else None,
                        )
                        n += 1
                return n

            run_action(_save_categories, then=lambda _n: _new_editors(),
                       toast=lambda n: f"{plural(n, 'category', 'categories')} updated.", icon="✅")
    else:
        st.info("You have no categories of your own yet; add one below.")

    with st.form("cat_new", clear_on_submit=True):
        st.markdown("**Add a category**")
        n1, n2, n3 = st.columns([3, 2, 1])
        new_name = n1.text_input("Name", max_chars=categories_service.MAX_NAME, key="cat_new_name")
        new_kind = n2.selectbox("Type", ["expense", "income", "transfer"], key="cat_new_kind",
                                help="Transfers (between your own accounts) never count as income or spending.")
        new_color = n3.color_picker("Colour", value="#1f77b4", key="cat_new_color")
        add_cat = st.form_submit_button("Add category", type="primary")
    if add_cat:
        run_action(
            partial(categories_service.create_category, user_id=principal.user_id, name=new_name, kind=new_kind,
                    color=new_color),
            toast=lambda created: f"Category {md(created.name)} added.", icon="✅",
        )

    with st.expander("Default categories"):
        st.dataframe(
            pd.DataFrame.from_records([
                {"Name": c.name, "Type": c.kind, "Colour": c.color, "Transactions": usage.get(c.id, 0)}
                for c in all_cats if c.is_global
            ]),
            hide_index=True, width="stretch",
            column_config={"Colour": st.column_config.TextColumn()},
        )
