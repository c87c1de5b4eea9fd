"""Session keys of the import page and the options of the file being previewed."""

from __future__ import annotations

import streamlit as st

from budgetwise.importing import ImportOptions

OPTS = "imp_opts"  # ImportOptions for the current file
FILE_KEY = "imp_file_key"
PREVIEW = "imp_preview"  # (key, ImportPreview)
UNDO_FORM = "imp_undo"  # the picker, confirmation and button of History → Undo (see ui.forms)
NOTHING_NEW = "imp_nothing_new"  # (file key, sentence) of an Import press that found every row stored meanwhile
RESULT = "imp_result"  # (file key, ImportResult) of the last commit: shown only with that file, while not undone
RESULT_FRESH = "imp_result_fresh"  # set by the commit for the run that shows its summary first
OPENING_SET = "imp_opening_set"  # (batch id, sentence): what the commit's "set the opening balance" did, for the summary
UPLOADER_ROUND = "imp_upload_round"  # how many imports this session made: part of the uploader's key (emptied after each)
NONE = "—"
DATE_ORDER_LABELS = {None: "Detect", "dmy": "Day first (31/12/2024)", "mdy": "Month first (12/31/2024)"}
DECIMAL_LABELS = {None: "Detect", ".": "Point (1,234.56)", ",": "Comma (1.234,56)"}


def options() -> ImportOptions:
    return st.session_state.get(OPTS) or ImportOptions()


def set_options(new: ImportOptions | None = None, **changes) -> None:
    """Keep new options for this file (``new``, or the current ones with ``changes``); the preview is read again."""
    st.session_state[OPTS] = new if new is not None else options().with_(**changes)
    st.session_state.pop(PREVIEW, None)


def use_currency(code: str, widget_key: str) -> None:
    """The user confirmed the file's currency: the option and the currency picker both show it."""
    set_options(currency=code)
    st.session_state[widget_key] = code


def col_label(columns, index) -> str:
    return NONE if index is None else f"{index + 1}: {columns[index]}"
