"""What the Dashboard's sections share: links to other pages and the alert icons."""

from __future__ import annotations

import streamlit as st

from budgetwise.ui.navigation import PAGES_DIR

# (icon, headline, detail) alerts: icons are Material symbols in theme colours (no emoji font needed)
OVER, RISK, UNUSUAL, DUPLICATE, UPCOMING = (
    ":red[:material/error:]", ":orange[:material/warning:]", ":violet[:material/troubleshoot:]",
    ":orange[:material/content_copy:]", ":blue[:material/event_upcoming:]",
)


def page_link(file: str, label: str, icon: str) -> None:
    """A link to another page when it exists and is registered; plain text otherwise."""
    if (PAGES_DIR / file).exists():
        try:
            st.page_link(f"pages/{file}", label=label, icon=icon)
            return
        except Exception:  # noqa: BLE001 - page not registered in this run (e.g. run on its own)
            pass
    st.markdown(f"{label} (in the menu)")
