"""Refusals are shown as typed (session 22, names22): a service's message quotes the name or the cell the user
typed, and every page shows it through widgets.show_error, which escapes it (no bold, LaTeX, link, image, HTML,
colour). Each test types a hostile name (or amount) into a page's own form and reads the error the page sent;
before, ``st.error(exc.message)`` rendered "**B**" bold, "$T$" as LaTeX and "![I](https://…)" as an image fetched
from a third party. The scan of every page for stored hostile text is tests/security/test_inputs.py."""

from __future__ import annotations

import datetime as dt
import re

from budgetwise.services import accounts, categories, goals
from budgetwise.services.admin import global_categories
from budgetwise.ui.format import md_message

# 45 characters: within every name limit (categories: 60)
NAME = "**B** $T$ ![I](https://e.vil/p) <b>H</b> :red[R]"
RAW = ["**B**", "$T$", "![I]", "](https://e.vil", "<b>H", ":red[R]"]
UNESCAPED = [re.compile(r"(?<!\\)" + re.escape(raw)) for raw in RAW]
_ESCAPE = re.compile(r"\\(.)")


def _refusal(at, kind: str = "error") -> str:
    """The one refusal the page shows, checked: no Markdown of the name's own, and the name readable in it."""
    assert not at.exception, [e.value for e in at.exception]
    bodies = [e.value for e in getattr(at, kind)]
    assert bodies, f"no {kind} shown"
    for body in bodies:
        leaks = [p.pattern for p in UNESCAPED if p.search(body)]
        assert not leaks, (leaks, body)
    return " ".join(_ESCAPE.sub(r"\1", b) for b in bodies)  # as the reader sees it


def _seen(text: str) -> None:
    assert "**B** $T$ ![I](https:∕∕e.vil/p) <b>H</b> :red[R]" in text, text  # "://" kept from linking (format.md)


def test_a_taken_account_name_is_quoted_as_typed(app_env):
    alice = app_env.create_user()
    with app_env.scope() as s:
        accounts.create_account(s, user_id=alice.user_id, name=NAME, kind="savings")
    at = app_env.page("pages/accounts.py", user=alice)
    at.run()
    at.text_input(key="acct_new_name").input(NAME)
    at.button(key="FormSubmitter:acct_new-Add account").click()
    _seen(_refusal(at.run()))


def test_a_taken_category_name_is_quoted_as_typed(app_env):
    alice = app_env.create_user()
    with app_env.scope() as s:
        categories.create_category(s, user_id=alice.user_id, name=NAME, kind="expense")
    at = app_env.page("pages/categorize.py", user=alice)
    at.run()
    at.text_input(key="cat_new_name").input(NAME)
    at.button(key="FormSubmitter:cat_new-Add category").click()
    _seen(_refusal(at.run()))


def test_a_taken_goal_name_is_quoted_as_typed(app_env):
    alice = app_env.create_user()
    today = dt.date.today()
    with app_env.scope() as s:
        goals.create_goal(s, user_id=alice.user_id, name=NAME, target="100", target_date=today + dt.timedelta(days=200))
    at = app_env.page("pages/goals.py", user=alice)
    at.run()
    at.text_input(key="goal_new_name").set_value(NAME)
    at.text_input(key="goal_new_target").set_value("50")
    next(b for b in at.button if b.label == "Create goal").click()
    _seen(_refusal(at.run()))


def test_a_taken_global_category_name_is_quoted_as_typed(app_env):
    admin = app_env.create_user("root@example.com", "Root")
    with app_env.scope() as s:
        global_categories.create_global_category(s, principal=admin, name=NAME, kind="expense")
    at = app_env.page("pages/admin.py", user=admin, timeout=60)
    at.run()
    at.session_state["adm_tab"] = "Categories & rules"
    at.run()
    at.text_input(key="adm_cat_new_name").input(NAME)
    at.button(key="FormSubmitter:adm_cat_create-Create category").click()
    _seen(_refusal(at.run()))


def test_a_scheduled_item_amount_cell_is_quoted_as_typed(app_env):
    """No refusal of the schedule form quotes its name (two items may share one); the amount as typed is quoted."""
    alice = app_env.create_user()
    at = app_env.page("pages/cashflow.py", user=alice)
    at.run()
    at.text_input(key="cf_sched_name").input(NAME)
    at.text_input(key="cf_sched_amount").input(NAME)
    next(b for b in at.button if b.label == "Schedule").click()
    _seen(_refusal(at.run()))


def test_a_rule_amount_cell_is_quoted_as_typed(app_env):
    alice = app_env.create_user()
    at = app_env.page("pages/categorize.py", user=alice)
    at.run()
    at.text_input(key="cat_r_pattern_None").input("zork")
    at.text_input(key="cat_r_name_None").input(NAME)
    at.text_input(key="cat_r_min_None").input(NAME)
    at.button(key="FormSubmitter:cat_rule_form_None-Save the rule").click()
    _seen(_refusal(at.run()))


def test_md_message_escapes_what_forms_in_a_sentence_and_leaves_the_sentence_as_written():
    assert md_message("Line 7: “a_b” is not a number (see 2.).") == "Line 7: “a\\_b” is not a number (see 2.)."
    assert md_message("# x") == "\\# x" and md_message("1. x") == "1\\. x" and md_message("- x") == "\\- x"
    assert md_message(":smile: :material/home: ~~s~~ `c` &lt;") == "\\:smile: \\:material/home: \\~\\~s\\~\\~ \\`c\\` \\&lt;"
    assert md_message("ask bob@x.example or https://e.vil") == "ask `bob@x.example` or https:\u2215\u2215e.vil"


def test_a_name_quoted_as_typed_keeps_its_backslashes():
    """Review22b: names22 quotes names as typed (names.quoted, no repr), but md_message still read every backslash
    before punctuation as Markdown's escape, so an account "a\\*b\\_c \\[x]" was refused as “a*b_c [x]” (Chromium).
    Only repr's own escapes (a doubled backslash, an escaped quote) are read back."""
    md_shown = re.compile(r"\\([!-/:-@\[-`{-~])")  # what Markdown shows of a backslash before ASCII punctuation
    for name in ("a\\*b\\_c \\[x]", "C:\\.config", "x\\:red[r]"):
        message = f"You already have an account called “{name}” (names ignore case)."
        assert md_shown.sub(r"\1", md_message(message)) == message
