"""The Transactions page's "Learn this?" box, offered after a category was corrected by hand."""

from __future__ import annotations

import streamlit as st

from budgetwise.principal import Principal
from budgetwise.services import categorize
from budgetwise.ui.actions import run_action
from budgetwise.ui.context import read_session
from budgetwise.ui.format import md, plural
from budgetwise.ui.transactions.common import LEARN

_WAY = {"income": "money-in ", "expense": "money-out "}
_OTHER = {"income": "Payments out", "expense": "Refunds and other money in"}


def render(principal: Principal) -> None:
    offer = st.session_state.get(LEARN)
    if offer is None:
        return
    with read_session() as s:
        if not categorize.learn_offer_is_current(s, user_id=principal.user_id, offer=offer):
            st.session_state.pop(LEARN, None)  # its transaction was deleted or recategorized since
            return
    with st.container(border=True):
        st.markdown(
            f"**Learn this?** Always put {_WAY.get(offer.kind, '')}transactions like "
            f"**{md(offer.description or offer.merchant)}** "
            + (f"(any branch or terminal: merchant “{md(offer.merchant)} …”) " if offer.rule_match_type == "starts_with"
               else "")
            + f"in **{md(offer.category_name)}** from now on"
            + (f", and recategorize {offer.matching_past} past transaction{'s' if offer.matching_past != 1 else ''}"
               " of this merchant" if offer.matching_past else "")
            + ". You can edit or delete the rule on the Categorize page."
            # the rule files its category's direction only (session 15): a refund is not groceries
            + (f" {_OTHER[offer.kind]} of this merchant are not affected." if offer.kind in _OTHER else "")
        )
        if offer.matching_manual:
            st.caption(f"{offer.matching_manual} transaction(s) you categorized by hand stay as they are.")
        l1, l2, l3 = st.columns(3)
        choice = None
        if l1.button("Yes, learn it" + (" and update the past" if offer.matching_past else ""), type="primary",
                     key="tx_learn_yes"):
            choice = "past"
        if offer.matching_past and l2.button("Only for new transactions", key="tx_learn_future"):
            choice = "future"
        if l3.button("No, thanks", key="tx_learn_no"):
            st.session_state.pop(LEARN, None)
            st.rerun()
        if choice:
            run_action(
                lambda s: categorize.accept_learn_offer(
                    s, user_id=principal.user_id, offer=offer, apply_to_past=choice == "past"
                ),
                then=lambda _changed: st.session_state.pop(LEARN, None),
                toast=lambda changed: f"Learned. {plural(changed, 'past transaction')} updated.", icon="🧠",
            )
