"""Fresh widgets after an action: keys that change when a form is reset.

Deleting a widget's key from ``st.session_state`` does not clear what the browser shows:
Streamlit's frontend keeps a widget's value for as long as the widget's id stays the same and
sends it back with the next click. A form whose action ran (an add, a delete, an undo) must
come back empty and unconfirmed, so its widgets take their keys from :func:`form_key`, and
:func:`reset_form` moves them to new keys: the browser then renders brand-new widgets with
their defaults. Until the first reset the keys are the plain name (stable for tests and links).
"""

from __future__ import annotations

import streamlit as st

_GENERATION = "bw_form_generation"


def form_key(name: str) -> str:
    """The current key prefix of the form (or widget group) ``name``."""
    generation = st.session_state.get(_GENERATION, {}).get(name, 0)
    return name if generation == 0 else f"{name}_{generation}"


def reset_form(*names: str) -> None:
    """After an action ran: the next run renders these forms with new, empty widgets."""
    generations = dict(st.session_state.get(_GENERATION, {}))
    for name in names:
        generations[name] = generations.get(name, 0) + 1
    st.session_state[_GENERATION] = generations


def persist(widget: str, canonical: str, default) -> None:
    """Seed a widget from its canonical (non-widget) value before it is drawn: a widget's own key is dropped
    when its page is not shown, the canonical one stays for the session (DESIGN.md §4)."""
    if widget not in st.session_state:
        st.session_state[widget] = st.session_state.get(canonical, default)


def keep(widget: str, canonical: str) -> None:
    """The widget's on_change: its value becomes the canonical one."""
    st.session_state[canonical] = st.session_state.get(widget)
