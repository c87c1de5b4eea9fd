"""Page actions (issue #15): run one action in its own unit of work, show its error, flash success.

Replaces the hand-written ``try: with db_session() ... except BudgetwiseError: show_error ...
else: notice; st.rerun()`` blocks of the pages. One flash mechanism: the queue of
:func:`budgetwise.ui.state.flash`, shown once by :func:`show_flash` (``app.py`` calls it on every
run; a page calls it too, for when its script runs on its own, e.g. under AppTest).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Literal, TypeVar

import streamlit as st
from sqlalchemy.orm import Session

from budgetwise.errors import BudgetwiseError
from budgetwise.ui import state
from budgetwise.ui.context import db_session
from budgetwise.ui.format import md
from budgetwise.ui.widgets import show_error

T = TypeVar("T")
FlashKind = Literal["success", "info", "warning", "error"]


def flash(message: str, kind: FlashKind = "success", *, markdown: bool = False) -> None:
    """Queue ``message`` for the next run; user text in it is escaped unless ``markdown``."""
    state.flash(message if markdown else md(message), kind)


def show_flash() -> None:
    """Show (once) every queued flash message."""
    state.show_flash()


def run_action(
    call: Callable[[Session], T],
    success: str | Callable[[T], str] | None = None,
    *,
    then: Callable[[T], None] | None = None,
    toast: str | Callable[[T], str] | None = None,
    icon: str | None = None,
    rerun: bool = True,
) -> T | None:
    """Run ``call(session)`` in one unit of work (committed, or rolled back on any error).

    A :class:`BudgetwiseError` is shown where the action was started (its message is a full
    sentence) and None is returned. On success ``then(result)`` runs (e.g. keep an id or
    reset a form), ``success`` (text or a function of the result) is flashed, or ``toast``
    (the same) is shown as a toast with ``icon``, and the page reruns unless ``rerun`` is
    False, in which case the result is returned.
    """
    try:
        with db_session() as session:
            result = call(session)
    except BudgetwiseError as exc:
        show_error(exc)
        return None
    if then is not None:
        then(result)
    if success is not None:
        flash(success(result) if callable(success) else success)
    if toast is not None:
        st.toast(toast(result) if callable(toast) else toast, icon=icon)
    if rerun:
        st.rerun()
    return result


def ask(key: str, token: object) -> None:
    """Start a two-step confirmation: remember what waits for a second click, then rerun."""
    st.session_state[key] = token
    st.rerun()


def confirm(
    key: str,
    token: object,
    question: str,
    *,
    yes: str,
    yes_key: str,
    no_key: str,
    no: str = "Cancel",
) -> bool:
    """While ``st.session_state[key] == token``: show ``question`` (markdown) with Yes / Cancel.

    Returns True in the run where Yes was pressed (the pending confirmation is cleared first);
    Cancel clears it and reruns. False otherwise, including when nothing is pending.
    """
    if st.session_state.get(key) != token:
        return False
    st.warning(question)
    left, right = st.columns(2)
    if left.button(yes, type="primary", key=yes_key):
        st.session_state.pop(key, None)
        return True
    if right.button(no, key=no_key):
        st.session_state.pop(key, None)
        st.rerun()
    return False
