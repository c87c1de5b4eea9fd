"""Page actions (issue #15): run one action in its own unit of work, show its error, flash success.

Replaces the hand-written ``try: with db_session() ... except BudgetwiseError: show_error ...
else: notice; st.rerun()`` blocks of the pages; :func:`load` is its form for a read (show the
error, return None or stop the page). Both go through ``_attempt``, the one ``except
BudgetwiseError`` of the UI's pages. One flash mechanism: the queue of
:func:`budgetwise.ui.state.flash`, shown once by :func:`show_flash` (``app.py`` calls it on every
run; a page calls it too, for when its script runs on its own, e.g. under AppTest).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Literal, TypeVar, cast

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


def _attempt(call: Callable[[], T], on_error: Callable[[BudgetwiseError], object] | None) -> tuple[bool, T | None]:
    """The one place a page catches a :class:`BudgetwiseError`: (True, result) or (False, None) after
    showing it (``on_error`` instead of :func:`show_error` when given)."""
    try:
        return True, call()
    except BudgetwiseError as exc:
        (on_error or show_error)(exc)
        return False, None


def _in_unit_of_work(call: Callable[[Session], T]) -> T:
    with db_session() as session:
        return call(session)


def run_action(
    call: Callable[..., T],
    success: str | Callable[[T], str] | None = None,
    *,
    then: Callable[[T], None] | None = None,
    toast: str | Callable[[T], str] | None = None,
    icon: str | None = None,
    rerun: bool = True,
    unit_of_work: bool = True,
    on_error: Callable[[BudgetwiseError], object] | None = None,
    markdown: bool = False,
) -> T | None:
    """Run ``call(session)`` in one unit of work (committed, or rolled back on any error).

    A :class:`BudgetwiseError` is shown where the action was started (its message is a full
    sentence; ``on_error(exc)`` shows it instead when given) and None is returned. On success
    ``then(result)`` runs (e.g. keep an id or reset a form), ``success`` (text or a function of
    the result) is flashed, or ``toast`` (the same) is shown as a toast with ``icon``, and the
    page reruns unless ``rerun`` is False, in which case the result is returned.

    ``unit_of_work=False``: ``call()`` takes no session, for a step that opens its own (signing
    in, registering) or needs none (checking what was typed). ``markdown``: ``success`` is Markdown
    already (its user text escaped with ``md``), flashed as it is.
    """
    ok, outcome = _attempt(call if not unit_of_work else lambda: _in_unit_of_work(call), on_error)
    if not ok:
        return None
    result = cast(T, outcome)
    if then is not None:
        then(result)
    if success is not None:
        flash(success(result) if callable(success) else success, markdown=markdown)
    if toast is not None:
        st.toast(toast(result) if callable(toast) else toast, icon=icon)
    if rerun:
        st.rerun()
    return result


def load(
    call: Callable[[], T], *, stop: bool = False, on_error: Callable[[BudgetwiseError], object] | None = None,
) -> T | None:
    """A read for the page (a cached service call, a file to parse): its result, or None after its
    :class:`BudgetwiseError` was shown (by ``on_error`` when given); ``stop`` stops the page then."""
    ok, result = _attempt(call, on_error)
    if not ok and stop:
        st.stop()
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
    if st.session_state.get(yes_key):  # Yes was pressed: this run acts and no longer asks (session 14,
        st.session_state.pop(key, None)  # hosting: a refusal showed below the answered question, as if pending)
        return True
    st.warning(question)
    left, right = st.columns(2)
    if left.button(yes, type="primary", key=yes_key):
        st.session_state.pop(key, None)
        return True
    if right.button(no, key=no_key):
        st.session_state.pop(key, None)
        st.rerun()
    return False
