"""Session 14 (hosting): the process's first run applies the migrations inside a cached resource
that showed no spinner, so a first visitor of a new MariaDB database saw a white page for 13.5 s
(load 20). Streamlit shows a cached function's spinner only while it runs (AppTest leaves
transient spinners out of its tree, so this pins the configuration; the browser check with a
screenshot is in docs/admin.md, session 14)."""

from __future__ import annotations

from budgetwise.ui import context


def test_the_first_run_says_that_the_database_is_being_prepared():
    assert context._resources._info.show_spinner == context.STARTING_MESSAGE
    assert context.STARTING_MESSAGE.startswith("Preparing the database")
