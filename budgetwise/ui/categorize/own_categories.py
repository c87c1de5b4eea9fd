"""The "My categories" tab: rename, recolour or archive the user's categories, add one; the defaults."""

from __future__ import annotations

from functools import partial

import pandas as pd
import streamlit as st
from sqlalchemy.orm import Session

from budgetwise.principal import Principal
from budgetwise.services import categories as categories_service
from budgetwise.ui.actions import run_action
from budgetwise.ui.categorize.common import editor_version, new_editors, rows_key
from budgetwise.ui.context import read_session
from budgetwise.ui.format import md, plural


def render(principal: Principal) -> None:
    with read_session() as s:
        all_cats = categories_service.list_categories(s, user_id=principal.user_id, include_archived=True)
        usage = categories_service.category_usage(s, user_id=principal.user_id)
    own = [c for c in all_cats if not c.is_global]
    st.subheader("Your categories")
    if own:
        _edit(principal, own, usage)
    else:
        st.info("You have no categories of your own yet; add one below.")
    _add(principal)
    with st.expander("Default categories"):
        st.dataframe(
            pd.DataFrame.from_records([
                {"Name": c.name, "Type": c.kind, "Colour": c.color, "Transactions": usage.get(c.id, 0)}
                for c in all_cats if c.is_global
            ]),
            hide_index=True, width="stretch",
            column_config={"Colour": st.column_config.TextColumn()},
        )


def _edit(principal: Principal, own: list, usage: dict[int, int]) -> None:
    own_frame = pd.DataFrame.from_records([
        {"id": c.id, "Name": c.name, "Type": c.kind, "Colour": c.color, "Archived": c.is_archived,
         "Transactions": usage.get(c.id, 0)}
        for c in own
    ])
    edited_cats = st.data_editor(
        own_frame, key=f"cat_own_{editor_version()}_{rows_key(c.id for c in own)}",
        hide_index=True,
        width="stretch", disabled=["id", "Type", "Transactions"],
        column_config={
            "id": None,
            "Colour": st.column_config.TextColumn(help="#rrggbb", max_chars=7, validate=r"^#[0-9a-fA-F]{6}$"),
            "Archived": st.column_config.CheckboxColumn(help="Archived categories keep their transactions "
                                                        "but are no longer offered; their rules pause."),
        },
    )
    if not st.button("Save category changes", key="cat_own_save"):
        return
    before = {c.id: c for c in own}

    def _save_categories(s: Session) -> int:
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

    run_action(_save_categories, then=lambda _n: new_editors(),
               toast=lambda n: f"{plural(n, 'category', 'categories')} updated.", icon="✅")


def _add(principal: Principal) -> None:
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
