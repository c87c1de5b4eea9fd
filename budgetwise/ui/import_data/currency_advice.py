"""Under the summary of an import mostly in another currency than the user's, with no rate for it: what the
service decided (``rates.import_currency_advice``) and the fix, a one-click "Make EUR your currency" (the
preference service, as Profile → Preferences) or a link to the exchange rates (session 19)."""

from __future__ import annotations

import streamlit as st

from budgetwise.principal import Principal
from budgetwise.services import profile as profile_service
from budgetwise.services import rates
from budgetwise.ui.actions import run_action
from budgetwise.ui.context import read_session
from budgetwise.ui.currency import link_to_rates
from budgetwise.ui.widgets import md


def render(principal: Principal, batch_id: int) -> None:
    with read_session() as s:
        advice = rates.import_currency_advice(s, user_id=principal.user_id, batch_id=batch_id)
    if advice is None:
        return
    st.warning(md(advice.message), icon=":material/currency_exchange:")
    if not advice.can_switch:
        link_to_rates()
        return
    if st.button(f"Make {advice.currency} your currency", key=f"imp_make_base_{batch_id}", type="primary",
                 icon=":material/currency_exchange:",
                 help=f"Your figures are then computed in {advice.currency}; amounts stay as they are. "
                      "You can change it back under Profile → Preferences."):
        run_action(
            lambda s: profile_service.update_profile(s, user_id=principal.user_id, currency=advice.currency),
            success=f"{advice.currency} is now your currency: your totals, budgets and reports are in {advice.currency}.",
        )
    st.caption(f"Or keep {advice.base} and add {advice.currency} → {advice.base} rates:")
    link_to_rates()
