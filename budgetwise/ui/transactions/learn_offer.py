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
_OTHER = {"income": "payments to it", "expense": "its refunds and other money in"}


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
            # "refund cloudflare": its refunds, named by the merchant (the rule keeps the whole key; session 27)
            + ((f"(refunds from “{md(offer.refund_of)}”, any branch or terminal) " if offer.refund_of else
                f"(any branch or terminal: merchant “{md(offer.merchant)} …”) ") if offer.rule_match_type == "starts_with"
               else "")
            + f"in **{md(offer.category_name)}** from now on"
            + (f", and recategorize {plural(offer.matching_past, 'past transaction', locale=principal.locale)}"
               " of this merchant" if offer.matching_past else "")
            # the rule files its category's direction only (session 15): a refund is not groceries. Said with
            # the rule, before the "edit or delete" aside (it read as an afterthought after it)
            + (f" ({_OTHER[offer.kind]} are not affected)" if offer.kind in _OTHER else "")
            + ". You can edit or delete the rule on the Categorize page."
        )
        if offer.matching_manual:
            n = offer.matching_manual
            st.caption(f"{plural(n, 'transaction', locale=principal.locale)} of this merchant that you categorized by "
                       f"hand {'keep their' if n != 1 else 'keeps its'} category.")
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
                toast=lambda changed: "Learned." + (f" {plural(changed, 'past transaction', locale=principal.locale)} "
                                                 "updated." if changed else ""), icon="🧠",  # not "0 … updated"
            )
