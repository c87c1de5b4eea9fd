"""Saved column mappings: listed, each with a Delete button."""

from __future__ import annotations

from functools import partial

import streamlit as st

from budgetwise.principal import Principal
from budgetwise.services import importing as svc
from budgetwise.ui import read_session
from budgetwise.ui.actions import run_action
from budgetwise.ui.format import md


def render(principal: Principal) -> None:
    with read_session() as s:
        mappings = svc.list_mappings(s, user_id=principal.user_id)
    if not mappings:
        st.info("No saved mappings. Save one from the “Columns and format” panel of a preview; it is used "
                "automatically for the next file with the same columns.", icon=":material/bookmark:")
    for m in mappings:
        c1, c2 = st.columns([5, 1])
        cols = ", ".join(f"{k}: {'+'.join(map(str, v)) if isinstance(v, list) else v}"
                         for k, v in m.columns.items() if v not in (None, []))
        c1.markdown(f"**{md(m.name)}** — {md(cols)}")
        if c2.button("Delete", key=f"imp_map_del_{m.id}"):
            run_action(partial(svc.delete_mapping, user_id=principal.user_id, mapping_id=m.id))
