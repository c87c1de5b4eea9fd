"""The "To review" tab: the labelling plan (label a few merchants to sort many rows) and the review
table (set categories by hand, accept suggestions). What a save does is the service's
(``categorize.review_decision`` and ``categorize.save_review``)."""

from __future__ import annotations

import datetime as dt
from functools import partial

import pandas as pd
import streamlit as st

from budgetwise.names import quoted
from budgetwise.principal import Principal
from budgetwise.services import categorize
from budgetwise.services.categorize import ReviewEdit, ReviewRow
from budgetwise.textnames import refund_of
from budgetwise.ui.actions import run_action
from budgetwise.ui.categorize.common import NONE, editor_version, new_editors, rows_key
from budgetwise.ui.context import read_session
from budgetwise.ui.format import (
    count_text,
    date_cells,
    date_column,
    date_input_format,
    md,
    money,
    percent,
    plural,
    plural_word,
)


def render(principal: Principal, name_to_id: dict[str, int], model_ready: bool,
           name_to_kind: dict[str, str] | None = None) -> None:
    if not model_ready:
        st.info(
            "Suggestions appear once you have categorized some transactions by hand (or imported a file with "
            "its own categories): the same merchant gets the category you used, and from 10 such transactions a "
            "model of your habits suggests the rest."
        )
    _plan(principal, name_to_id, name_to_kind or {})
    queue, waiting = _queue(principal)
    if not queue:
        st.success("Nothing to review: every transaction has a confident category.")
    else:
        _table(principal, queue, waiting, name_to_id)


def _plan(principal: Principal, name_to_id: dict[str, int], name_to_kind: dict[str, str]) -> None:
    """"Label these N to sort M": one click labels every branch and terminal of a merchant."""
    empty = st.session_state.pop(EMPTY, None)
    if empty is not None:
        st.session_state[empty] = None
    _last_label(principal)
    with read_session() as s:
        plan = categorize.labelling_plan(s, user_id=principal.user_id, limit=10)
    # placeholder texts count as no description (textnames.names_merchant); said so where there are any (session 25:
    # "673 … have no description" under a file whose every row read "X - Omitted due to Privacy Reasons")
    what = "no description to learn a merchant from (blank, or a note such as “test” or “N/A”)"
    if plan.placeholder:
        blank = plan.no_text - plan.placeholder_rows
        text = f"only text such as {md(quoted(plan.placeholder))}, which names no merchant BudgetWise can learn"
        what = "no usable description to learn a merchant from (" + (
            f"{count_text(principal, blank)} blank, {count_text(principal, plan.placeholder_rows)} with {text})"
            if blank else f"{text})")
    no_text = (f"{count_text(principal, plan.no_text)} of the waiting transactions {'have' if plan.no_text != 1 else 'has'} {what}"
               ", so no offer here sorts "
               f"{'them' if plan.no_text != 1 else 'it'}: set {'their' if plan.no_text != 1 else 'its'} category in "
               "the table below (the period filter helps).") if plan.no_text else ""
    if plan.shared:  # their key is only the text every description shares: one offer would file different payees
        no_text = (f"{no_text} " if no_text else "") + (
            f"{count_text(principal, plan.shared)} waiting {plural_word(plan.shared, 'transaction')} {plural_word(plan.shared, 'names', 'name')} no "
            "merchant beyond the text nearly all your descriptions share, so no offer here sorts "
            f"{'them' if plan.shared != 1 else 'it'}: set {'their' if plan.shared != 1 else 'its'} category in the "
            "table below.")
    if not plan.items:
        if no_text:
            st.info(no_text)
        return
    n_items = len(plan.items)
    st.subheader(f"Label {'these' if n_items > 1 else 'this'} {n_items} to sort "
                 f"{plural(plan.sorts, 'transaction', locale=principal.locale)}")
    st.caption(f"{plural(plan.waiting, 'transaction', locale=principal.locale)} {plural_word(plan.waiting, 'waits', 'wait')} for a category "
               f"({count_text(principal, plan.uncategorized)} uncategorized, "
               f"{count_text(principal, plan.waiting - plan.uncategorized)} uncertain). These merchants cover the most of "
               "them: one click labels the merchant's waiting transactions that go the way shown (money in or out), every "
               "branch and terminal, and teaches it for future imports. No category fits (cash withdrawals, say, "
               "are filed under Other)? Add your own under **My categories**: it is offered here at once."
               + (f" {no_text}" if no_text else ""))
    for item in plan.items:
        kind = plan.kinds.get(item.stem)
        # a click files the item's direction: its categories, or a transfer category (session 15)
        options = sorted(n for n in name_to_id if kind is None or name_to_kind.get(n, kind) in (kind, "transfer"))
        c1, c2, c3 = st.columns([4, 2, 1], vertical_alignment="bottom")
        kept = plan.kept.get(item.stem, 0)
        c1.markdown(f"**{md(item.name)}** · "
                    + (":gray[a kind of payment, not a merchant] · " if item.payment else "")  # session 23
                    # "refund cloudflare": the merchant's name, its refunds (the rule keeps the stem; session 27)
                    + (":gray[refunds from this merchant] · " if item.refund_of else "")
                    + plural(item.rows, 'transaction', locale=principal.locale)
                    + _directions(principal, kind, plan.other.get(item.stem, 0), item.stem in plan.savings)
                    + f"  \ne.g. “{md(item.example)}”" + _range(principal, plan, item.stem)
                    # a click changes only the rows counted (QA): say so when the merchant has others
                    + (f"  \n:gray[{count_text(principal, kept)} more of this merchant already "
                       f"{'have a category' if kept != 1 else 'has a category'} (from your file or a rule) "
                       f"and {plural_word(kept, 'keeps', 'keep')} it]" if kept else "")
                    + (f"  \n:gray[all of them are among “{_shown(plan.within[item.stem])}” above, whose label sorts them "
                       "too: label this one only if it belongs in another category]" if item.stem in plan.within else ""))
        # keyed by the merchant, not the row: after a label the rows move up, and a positional key
        # would carry the category just used onto the next merchant (QA)
        # the rows' own unsure guess (or the suggestion below) pre-chosen: one click on Label confirms it; none: empty
        guess = plan.guess.get(item.stem)
        choice = c2.selectbox("Category", options, index=options.index(guess) if guess in options else None,
                              key=f"cat_plan_cat_{item.stem}", placeholder="Choose a category",
                              label_visibility="collapsed",
                              help="Pre-chosen: the category these transactions were guessed to be (or the suggestion below). Check it, "
                                   "then Label." if guess in options else None)
        if c3.button("Label", key=f"cat_plan_btn_{item.stem}", disabled=choice is None) and choice is not None:
            _label(principal, item.stem, choice, name_to_id[choice], kind)
    st.divider()


def _shown(stem: str) -> str:
    """A stem as the user reads it, as Markdown: "cloudflare (refunds)" for "refund cloudflare" (session 27), else
    the stem."""
    merchant = refund_of(stem)
    return f"{md(merchant)} (refunds)" if merchant else md(stem)


def _directions(principal: Principal, kind: str | None, other: int, transfer: bool = False) -> str:
    """Which way the counted rows go, and the merchant's rows of the other way, left for a later label: a
    label files its item's direction only, so the item counts those (sessions 14, 15). With ``transfer`` (the offer
    proposes a transfer: a savings account's, session 28) the other way's rows are a transfer too."""
    if kind is None:
        return ""
    this, that, cat = (("money in", "money-out", "an expense") if kind == "income"
                       else ("money out", "money-in", "an income"))
    cat = "a transfer" if transfer else f"{cat} category"
    return (f" ({this})"
            + (f"  \n:gray[{count_text(principal, other)} {that} {plural_word(other, 'transaction')} of it "
               f"{'wait' if other != 1 else 'waits'} too: offered after this label, for {cat}]" if other else ""))


def _range(principal: Principal, plan: categorize.LabellingPlan, stem: str) -> str:
    """" · €20.00 to €2,000.00" (the counted rows' amounts), and why no category is pre-chosen when the rows disagree
    (session 18: "online" started on Dining, one of its rows a €2,000 bank transfer)."""
    spans = [money(principal, lo, cur) if lo == hi else f"{money(principal, lo, cur)} to {money(principal, hi, cur)}"
             for cur, lo, hi in plan.amounts.get(stem, ())]
    why = plan.unsure.get(stem)
    return ((f" · {', '.join(spans)}" if spans else "")
            + (f"  \n:orange[no category pre-chosen: {why}; check them before you label]" if why else ""))


LABELLED = "cat_plan_labelled"  # (category name, categorize.Labelled) of the last click, shown once after the rerun
UNDO = "cat_plan_undo_wanted"  # the same, when its Undo button was pressed
UNDONE = "cat_plan_undone"  # what the undo did, shown once
EMPTY = "cat_plan_empty"  # the key of the category box to empty on the next run (the merchant just labelled)


def _labelled_text(principal: Principal, stem: str, choice: str, changed: int) -> str:
    """ "Filed 37 transactions of “pak n save” under Groceries" and that the merchant is learned."""
    name = _shown(stem)
    filed = (f"Filed {plural(changed, 'transaction', locale=principal.locale)} of “{name}” under {md(choice)}"
             if changed else f"No waiting transaction of “{name}” was filed under {md(choice)}")
    return f"{filed}. New transactions of this merchant will be filed there too (the rule is under **Rules**, to change or delete)."


def _left_text(principal: Principal, done: categorize.Labelled) -> str:
    """" 2 money-out transactions of it were left waiting" (a label files its category's direction only)."""
    if not done.left:
        return ""
    other, cat = ("money-out", "an expense") if done.kind == "income" else ("money-in", "an income")
    one = done.left == 1
    return (f" {plural(done.left, f'{other} transaction', locale=principal.locale)} of it "
            f"{'was' if one else 'were'} left waiting: label {'it' if one else 'them'} with {cat} category.")


def _undone_text(principal: Principal, choice: str, done: categorize.Labelled, back: int) -> str:
    kept = len(done.rows) - back
    its = "its" if back == 1 else "their"
    text = (f"Undone: “{_shown(done.merchant)}” is no longer learned as {md(choice)}, and "
            f"{plural(back, 'transaction', locale=principal.locale)} {'has' if back == 1 else 'have'} {its} earlier "
            "category back")
    if kept:
        text += (f" ({count_text(principal, kept)} changed since then and kept {'its' if kept == 1 else 'their'} "
                 "category)")
    return text + "."


def _last_label(principal: Principal) -> None:
    """What the last click did, where the user clicked (a toast was easy to miss: QA), with Undo; once."""
    wanted = st.session_state.pop(UNDO, None)
    if wanted is not None:
        choice, done = wanted
        def _undone(back: int) -> None:
            new_editors()
            st.session_state[UNDONE] = _undone_text(principal, choice, done, int(back))

        run_action(partial(categorize.undo_label, user_id=principal.user_id, labelled=done), then=_undone)
    undone = st.session_state.pop(UNDONE, None)
    if undone is not None:
        st.info(undone, icon=":material/undo:")
    last = st.session_state.pop(LABELLED, None)
    if last is None:
        return
    choice, done = last
    m1, m2 = st.columns([6, 1], vertical_alignment="center")
    m1.success(_labelled_text(principal, done.merchant, choice, done.filed) + _left_text(principal, done), icon="✅")
    m2.button("Undo", key="cat_plan_undo", icon=":material/undo:", on_click=st.session_state.__setitem__,
              args=(UNDO, last), help="Put these transactions' categories back and forget the rule")


def _label(principal: Principal, stem: str, choice: str, category_id: int, kind: str | None = None) -> None:
    def _done(done: categorize.Labelled) -> None:
        new_editors()
        st.session_state[LABELLED] = (choice, done)
        # a merchant labelled for one direction stays offered for the other: not with the category just used
        # (emptied on the next run, before the box is drawn: a box's value can only be set then)
        st.session_state[EMPTY] = f"cat_plan_cat_{stem}"

    run_action(partial(categorize.label, user_id=principal.user_id, merchant=stem, category_id=category_id, kind=kind),
               then=_done)


def _queue(principal: Principal) -> tuple[list[ReviewRow], int]:
    """The filters over the review table, and the rows they list (with how many wait in all)."""
    f1, f2, f3 = st.columns([2, 2, 1])
    search = f1.text_input("Search descriptions", key="cat_q_text", max_chars=100)
    period = f2.date_input("Period", value=(), key="cat_q_period",  # type: ignore[arg-type]  # () = an empty range
                           format=date_input_format(principal),
                           help="Leave empty for all dates.")
    limit = f3.selectbox("Show", [50, 100, 200, 500], index=1, key="cat_q_limit")
    include_all = st.checkbox("Also list confidently categorized transactions (after the ones to review)",
                              key="cat_q_all")
    date_from: dt.date | None = period[0] if isinstance(period, tuple) and len(period) >= 1 else None
    date_to: dt.date | None = period[1] if isinstance(period, tuple) and len(period) == 2 else None
    with read_session() as s:
        return categorize.review_queue(
            s, user_id=principal.user_id, limit=limit, include_confident=include_all,
            date_from=date_from, date_to=date_to, text=search,
        )


# The review table's columns (session 28, phone28): at 390 px it showed Date, Description and Amount, and "Set
# category", the column the table is for, only after a swipe past Category now and Suggestion. What to set comes
# right after the Description (no wider than REVIEW_DESCRIPTION_WIDTH px; the whole text shows when the cell is
# opened) and the amount: the three fit a phone's 358 px table; the wide explanation (How) stays last.
REVIEW_COLUMNS = ("Description", "Amount", "Set category", "Accept", "Suggestion", "Category now", "Date", "How")
REVIEW_DESCRIPTION_WIDTH = 150


def _frame(principal: Principal, queue: list[ReviewRow]) -> pd.DataFrame:
    return pd.DataFrame.from_records(
        [
            {
                "id": r.id,
                "Date": date_cells(principal, [r.date])[0],
                "Description": r.description,
                "Amount": money(principal, -r.amount_minor if r.kind == "expense" else r.amount_minor, r.currency),
                "Category now": r.category_name or "—",
                "Suggestion": (f"{r.suggestion.category_name} ({percent(principal, 100 * r.suggestion.confidence)})"
                               if r.suggestion else ""),
                "Accept": False,
                "Set category": NONE,
                "How": r.how,  # last: the wide explanation must not push the editable columns out of sight (QA)
            }
            for r in queue
        ]
    )


def _table(principal: Principal, queue: list[ReviewRow], waiting: int, name_to_id: dict[str, int]) -> None:
    st.markdown(f"**{count_text(principal, waiting)}** {plural_word(waiting, 'transaction')} to review"
                + (f" (showing {len(queue)})" if waiting > len(queue) else "")
                + ": uncategorized first, then the least confident.")
    if any(categorize.is_guess(r.category_source, r.rule_id, r.confidence) for r in queue):
        st.caption(categorize.GUESS_NOTE)
    # The editor keeps edits by row position: its key names the rows it shows, so edits made for one
    # list are dropped (not applied to other transactions) when the list changes (a filter, new data).
    edited = st.data_editor(
        _frame(principal, queue),
        key=f"cat_editor_{editor_version()}_{rows_key(r.id for r in queue)}",
        hide_index=True,
        width="stretch",
        column_order=REVIEW_COLUMNS,
        disabled=["id", "Date", "Description", "Amount", "Category now", "How", "Suggestion"],
        column_config={
            "id": None,
            "Description": st.column_config.TextColumn(width=REVIEW_DESCRIPTION_WIDTH),
            "Date": date_column(principal),
            "How": st.column_config.TextColumn(width=310, help="How the row got its category now"),
            "Accept": st.column_config.CheckboxColumn(
                help="Accept the suggestion shown (on a row without one: keep its category now as yours)"),
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
    if not (save or accept_all):
        return
    edits = [ReviewEdit(int(row["id"]), category_id=name_to_id.get(row["Set category"]), accept=bool(row["Accept"]))
             for row in edited.to_dict("records")]
    decision = categorize.review_decision(queue, edits, accept_from_percent=None if save else threshold)
    if decision.empty:
        st.warning("Nothing to save: pick a category or tick Accept on some rows.")
        return
    run_action(
        partial(categorize.save_review, user_id=principal.user_id, decision=decision, learn=learn),
        then=lambda _counts: new_editors(),
        toast=lambda counts: f"Saved: {decision.set_by_hand} set by hand, {plural(counts[0], 'suggestion')} accepted"
        + (f", {counts[1]} more updated by learned rules" if counts[1] else "") + ".",
        icon="✅",
    )
