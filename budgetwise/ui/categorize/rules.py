"""The "Rules" tab: the user's rules, the form to create or edit one (test it first), delete it, and
the default rules. Validation is the service's (``categorize.validate_rule_spec``)."""

from __future__ import annotations

from dataclasses import dataclass
from functools import partial

import pandas as pd
import streamlit as st

from budgetwise.principal import Principal
from budgetwise.services import categorize
from budgetwise.services.categorize import RulePreview, RuleSpec, RuleView
from budgetwise.ui.actions import load, run_action
from budgetwise.ui.categorize.common import KIND_LABELS, MATCH_LABELS, PREVIEW, RULE_EDIT, RULE_FORM
from budgetwise.ui.context import read_session
from budgetwise.ui.format import amount_input, count_text, decimal_separator, md, money, plural
from budgetwise.ui.forms import form_key, reset_form
from budgetwise.ui.widgets import select_or_none


def render(principal: Principal, cat_names: dict[int, str]) -> None:
    with read_session() as s:
        rules = categorize.list_rules(s, user_id=principal.user_id)
    mine = [r for r in rules if not r.is_global]
    defaults = [r for r in rules if r.is_global]
    _own_rules(principal, mine)
    picked, base = _pick(mine)
    form = _form(principal, picked, base, cat_names)
    if form.test or form.save:
        _test_or_save(principal, picked, form)
    _preview(principal, picked)
    if base is not None:
        _delete(principal, base)
    _defaults(defaults)


def describe(principal: Principal, r: RuleView) -> str:
    """A rule's condition in words: "merchant is “zara”, expense, €10.00 – …"."""
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


def _own_rules(principal: Principal, mine: list[RuleView]) -> None:
    st.subheader("Your rules")
    st.caption("Your rules are tried first, by priority (lower first); the first match wins. "
               "Learned rules come from your corrections.")
    if mine:
        st.dataframe(
            pd.DataFrame.from_records([
                {"#": r.id, "Priority": r.priority, "Name": r.name, "Description": describe(principal, r),
                 "Category": r.category_name, "Origin": r.origin, "Active": r.is_active}
                for r in mine
            ]),
            hide_index=True, width="stretch",
        )
    else:
        st.info("You have no rules of your own yet. The default rules below categorize common merchants.")


def _pick(mine: list[RuleView]) -> tuple[int | None, RuleView | None]:
    """The rule to edit (None: a new rule), kept in a non-widget key."""
    rule_by_id = {r.id: r for r in mine}
    current = st.session_state.get(RULE_EDIT)
    # keys from ui.forms: after a save or a delete the picker shows the rule saved (or "New rule…") and the
    # form is drawn anew, so what the browser still holds cannot save the same rule twice
    picked = select_or_none(
        st, "Create or edit", [r.id for r in mine], value=current, none="New rule…",
        format_func=lambda i: f"#{i} {rule_by_id[i].name}",
        key=form_key("cat_rule_pick"),
    )
    st.session_state[RULE_EDIT] = picked
    return picked, rule_by_id.get(picked) if picked is not None else None


@dataclass(frozen=True)
class _RuleForm:
    """What the rule form holds after a run (amounts as typed)."""

    category_id: int
    pattern: str
    match_type: str | None
    kind: str | None
    lo_text: str
    hi_text: str
    account: str
    name: str
    priority: int
    active: bool
    apply_now: bool
    test: bool
    save: bool

    def spec(self, principal: Principal) -> RuleSpec:
        """The rule to test or save; an amount that is not one raises ValidationError naming its field.
        Amounts are read in the user's currency with the user's decimal separator, as they are shown."""
        currency, hint = principal.currency, decimal_separator(principal)
        return RuleSpec(
            category_id=int(self.category_id), pattern=self.pattern, match_type=self.match_type or "", name=self.name,
            priority=int(self.priority),
            min_amount_minor=categorize.parse_rule_amount(self.lo_text, currency=currency, field="min_amount",
                                                           decimal_hint=hint),
            max_amount_minor=categorize.parse_rule_amount(self.hi_text, currency=currency, field="max_amount",
                                                           decimal_hint=hint),
            kind=self.kind, account=self.account or None, is_active=self.active,
        )


def _amount_text(principal: Principal, minor: int | None) -> str:
    return amount_input(principal, minor, principal.currency) if minor is not None else ""


def _form(principal: Principal, picked: int | None, base: RuleView | None, cat_names: dict[int, str]) -> _RuleForm:
    cat_options = sorted(cat_names, key=lambda i: cat_names[i])
    rk = form_key("cat_r")
    with st.form(f"{form_key('cat_rule_form')}_{picked}"):
        c1, c2 = st.columns(2)
        pattern = c1.text_input("Description …", value=base.pattern if base else "",
                                max_chars=categorize.MAX_PATTERN_LENGTH, key=f"{rk}_pattern_{picked}")
        match_type = c2.selectbox("Match", list(MATCH_LABELS), format_func=lambda m: MATCH_LABELS[m],
                                  index=list(MATCH_LABELS).index(base.match_type) if base else 0,
                                  key=f"{rk}_match_{picked}")
        c3, c4 = st.columns(2)
        category_id = c3.selectbox(
            "Category", cat_options, format_func=lambda i: cat_names[i],
            index=cat_options.index(base.category_id) if base and base.category_id in cat_options else 0,
            key=f"{rk}_category_{picked}",
        )
        kinds: list[str | None] = list(KIND_LABELS)
        kind = c4.selectbox("Type", kinds, format_func=lambda k: KIND_LABELS[k],
                            index=kinds.index(base.kind) if base else 0, key=f"{rk}_kind_{picked}")
        c5, c6, c7 = st.columns(3)
        lo_text = c5.text_input("Minimum amount", value=_amount_text(principal, base.min_amount_minor) if base else "",
                                key=f"{rk}_min_{picked}")
        hi_text = c6.text_input("Maximum amount", value=_amount_text(principal, base.max_amount_minor) if base else "",
                                key=f"{rk}_max_{picked}")
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
        save = s2.form_submit_button("Save the rule", type="primary")
    return _RuleForm(category_id, pattern, match_type, kind, lo_text, hi_text, account, name, int(priority), active,
                     apply_now, test, save)


def _test_or_save(principal: Principal, picked: int | None, form: _RuleForm) -> None:
    if form.test:
        def _test() -> tuple[RuleSpec, RulePreview]:
            spec = form.spec(principal)
            with read_session() as s:
                return spec, categorize.preview_rule(s, user_id=principal.user_id, spec=spec, rule_id=picked)

        tested = load(_test)
        if tested is not None:
            st.session_state[PREVIEW] = (tested[0], picked, tested[1])
        return

    def _saved(result: tuple[RuleView, int]) -> None:
        st.session_state[RULE_EDIT] = result[0].id
        st.session_state.pop(PREVIEW, None)
        reset_form(*RULE_FORM)

    run_action(
        lambda s: categorize.save_rule_and_apply(
            s, user_id=principal.user_id, spec=form.spec(principal), rule_id=picked, apply=form.apply_now
        ),
        then=_saved,
        toast=lambda result: f"Rule saved. {plural(result[1], 'transaction', locale=principal.locale)} recategorized.",
        icon="✅",
    )


def _preview(principal: Principal, picked: int | None) -> None:
    """What the last test of this rule found (kept until the rule is saved or another is picked)."""
    last = st.session_state.get(PREVIEW)
    if last is None or last[1] != picked:
        return
    _, _, preview = last
    with st.container(border=True):
        st.markdown(
            f"**This rule would change {plural(preview.would_change, 'transaction', locale=principal.locale)}** "
            "(it would be the first match for "
            f"{count_text(principal, preview.matches)}; {count_text(principal, preview.manual_skipped)} categorized by hand would stay as they are)."
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


def _delete(principal: Principal, base: RuleView) -> None:
    with st.expander("Delete this rule"):
        st.warning(f"Delete rule #{base.id} “{md(base.name)}”? Categories it set stay until you re-apply the rules.")
        if st.button("Delete the rule", key=f"cat_rule_delete_{base.id}"):
            def _deleted(_result: None) -> None:
                st.session_state[RULE_EDIT] = None
                st.session_state.pop(PREVIEW, None)
                reset_form(*RULE_FORM)

            run_action(partial(categorize.delete_rule, user_id=principal.user_id, rule_id=base.id),
                       then=_deleted, toast="Rule deleted.", icon="🗑️")


def _defaults(defaults: list[RuleView]) -> None:
    with st.expander(f"Default rules ({len(defaults)}) — maintained by the administrators"):
        st.dataframe(
            pd.DataFrame.from_records([
                {"Priority": r.priority, "Name": r.name, "Category": r.category_name,
                 "Type": KIND_LABELS[r.kind], "Pattern": r.pattern, "Active": r.is_active}
                for r in defaults
            ]),
            hide_index=True, width="stretch",
        )
