"""Goals: the archived goals, each with its name and a Restore button (session 23, trial23c: "Archive (hide from
this page)" hid a goal for good, no page showed it again; and with every goal archived the page said "No goals yet")."""

from __future__ import annotations

import streamlit as st

from budgetwise.principal import Principal
from budgetwise.services import goals as G
from budgetwise.ui.actions import run_action
from budgetwise.ui.format import day, md, money


def render(principal: Principal, archived: list, *, expanded: bool = False) -> None:
    """One form per archived goal: the name it comes back under (another active goal may have taken it since: the
    service refuses a taken name, and the name can be changed here) and Restore."""
    if not archived:
        return
    with st.expander(f"Archived goals ({len(archived)})", expanded=expanded, icon=":material/inventory_2:"):
        st.caption("Archived goals are hidden from the table, the plans and the forecast. Restore one to see it again; "
                   "its contributions are kept.")
        for goal in archived:
            with st.form(f"goal_restore_{goal.id}"):
                saved, target = (money(principal, m, goal.currency) for m in (goal.saved_minor, goal.target_minor))
                st.markdown(f"**{md(goal.name)}** · " + md(f"{saved} of {target} · target date "
                                                            f"{day(principal, goal.target_date)}"))
                name = st.text_input("Restore as", value=goal.name, key=f"goal_r_name_{goal.id}", max_chars=G.MAX_NAME)
                restore = st.form_submit_button("Restore")
            if restore:
                def _restored(view, gid=goal.id) -> None:  # shown next: the Goal box takes it (overview.render)
                    st.session_state["goal_selected"] = gid
                    st.session_state.pop("goal_w_selected", None)

                run_action(
                    lambda s, gid=goal.id, new=name: G.update_goal(s, user_id=principal.user_id, goal_id=gid, name=new,
                                                                   archived=False),
                    lambda view: f"Goal “{view.name}” restored.",
                    then=_restored,
                )
