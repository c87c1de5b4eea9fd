"""Hostile text: descriptions, names and category names with HTML, Markdown, very long
text, control characters and emoji are stored and shown literally (no markup injection in
Streamlit output or in Plotly charts), and CSV/Excel exports are formula-injection safe.

What "literally" means here:

* stored: exactly what was typed, except control characters (C0, C1), line breaks, bidi
  controls and zero-width characters, which budgetwise.text.clean_text removes by design (a
  description is one line; invisible characters can make text read differently);
* shown: every place that renders Markdown (markdown, captions, alerts, toasts, headings,
  labels, help texts, metric labels, expander and tab labels) gets the text escaped with
  budgetwise.ui.widgets.md(); tables, selectbox options and text inputs show it as plain
  text; Plotly labels get it HTML-escaped (Plotly renders <b>, <a href> and friends).
"""

from __future__ import annotations

import ast
import csv
import datetime as dt
import io
import json
import re
import zipfile
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
from sqlalchemy import select
from streamlit.testing.v1 import AppTest

from budgetwise.errors import ValidationError
from budgetwise.models import ImportBatch, User
from budgetwise.services import budgets, categories, categorize, data_export, exports, importing, profile, reports
from budgetwise.services import transactions as tx
from budgetwise.text import clean_text
from budgetwise.ui.navigation import PUBLIC_PAGES
from budgetwise.ui.widgets import md

ROOT = Path(__file__).resolve().parent.parent.parent
TODAY = dt.date.today()

HOSTILE = {
    "markdown": "**MDBOLD** _MDIT_ [MDLINK](https://evil.example/phish) ![MDIMG](https://evil.example/p.png) :red[MDRED] $MDTEX$ #MDHEAD",
    "html": "<b>HTMLB</b><a href='https://evil.example'>HTMLA</a><script>alert('HTMLS')</script><img src=x onerror=alert(1)>",
    "control": "CTRL\x00\x07\x1b[31mRED\x7f\u202eEVIL\r\nNEXTLINE\ttab",
    "emoji": "Café 💸🏦 👨‍👩‍👧 ZWJ naïve",
    "long": "L" * 490 + " LONGEND!",
    "links": "Pay https://evil.example/x or www.evil.example now",
}
CATEGORY = "<b>CATB</b> **CATMD** [CATL](https://evil.example)"
USER_NAME = "<b>NAMEB</b> **NAMEMD** [NAMEL](https://evil.example)"
MAPPING = "**MAPMD** <b>MAPB</b>"
FILENAME = "**FILEMD** <b>FILEB</b>.csv"
ACCOUNT = "**ACCMD** <b>ACCB</b> [ACCL](https://evil.example)"
GOAL = "**GOALMD** <b>GOALB</b> :red[GOALRED]"
SCHEDULED = "**SCHEDMD** <b>SCHEDB</b>"
# Raw fragments that must never reach a Markdown-rendering field unescaped.
RAW = [
    "**MDBOLD**", "](https://evil.example", ":red[MDRED]", "$MDTEX$", "<b>HTMLB", "<script", "<img", "<b>CATB",
    "**CATMD**", "<b>NAMEB", "**ACCMD**", "<b>ACCB", "**GOALMD**", "<b>GOALB", ":red[GOALRED]", "**SCHEDMD**", "<b>SCHEDB", "**NAMEMD**", "**MAPMD**", "<b>MAPB", "**FILEMD**", "<b>FILEB",
]
UNESCAPED = [re.compile(r"(?<!\\)" + re.escape(raw)) for raw in RAW]  # not preceded by a backslash
MARKDOWN_FIELDS = {"body", "label", "help", "placeholder", "caption"}
LITERAL_TYPES = {"Text", "Code", "Json", "Exception", "ArrowNamedDataFrame", "Arrow", "DataFrame", "PlotlyChart"}
FORMULAS = ["=1+2", "+SUM(A1:A9)", "-2+3", "@SUM(1)", "\t=cmd", '=HYPERLINK("https://evil.example","x")',
            "a;=1+1", "a,=1+1"]


def _seed(session, settings, principal) -> dict:
    uid = principal.user_id
    profile.update_profile(session, user_id=uid, name=USER_NAME)
    cat = categories.create_category(session, user_id=uid, name=CATEGORY, kind="expense")
    stored = {}
    for n, (key, text) in enumerate(HOSTILE.items()):
        view = tx.add_transaction(session, user_id=uid, date=TODAY - dt.timedelta(days=n), amount=f"{10 + n}.00",
                                  kind="expense", description=text, category_id=cat.id, notes=text)
        stored[key] = view
    for n, formula in enumerate(FORMULAS):
        tx.add_transaction(session, user_id=uid, date=TODAY - dt.timedelta(days=10 + n), amount="1.00", kind="expense",
                           description=formula, category_id=cat.id)
    categorize.create_rule(session, user_id=uid, spec=categorize.RuleSpec(category_id=cat.id, pattern="MDBOLD", name=CATEGORY))
    budgets.set_budget(session, user_id=uid, month=TODAY.replace(day=1), amount="5", category_id=cat.id)
    data = b"Date,Description,Amount\n2024-02-01,**FILEMD** import row,-3.00\n"
    importing.commit_import(session, user_id=uid, data=data, filename=FILENAME)
    preview = importing.preview_import(session, user_id=uid, data=data, filename=FILENAME)
    importing.save_mapping(session, user_id=uid, name=MAPPING, header_signature=preview.header_signature,
                           columns=preview.columns, mapping=preview.mapping)
    from budgetwise.services import accounts, cashflow_scheduled, goals
    acct = accounts.create_account(session, user_id=uid, name=ACCOUNT, kind="checking")
    tx.add_transaction(session, user_id=uid, date=TODAY, amount="4.00", kind="expense", description="In account",
                       account_id=acct.id)
    goal = goals.create_goal(session, user_id=uid, name=GOAL, target="100", target_date=TODAY + dt.timedelta(days=200))
    goals.add_contribution(session, user_id=uid, goal_id=goal.id, amount="5")
    cashflow_scheduled.add_scheduled(session, user_id=uid, name=SCHEDULED, amount="9", kind="expense",
                                     next_date=TODAY + dt.timedelta(days=3), cadence="monthly", account_id=acct.id)
    session.flush()
    return {"category_id": cat.id, "transactions": stored}


# --------------------------------------------------------------------------- stored literally
def test_hostile_text_is_stored_literally(db, session, alice):
    seeded = _seed(session, db.settings, alice)
    for key, text in HOSTILE.items():
        view = tx.get_transaction(session, user_id=alice.user_id, transaction_id=seeded["transactions"][key].id)
        assert view.description == clean_text(text), key
    long = seeded["transactions"]["long"]
    assert len(tx.get_transaction(session, user_id=alice.user_id, transaction_id=long.id).description) == 499
    ctrl = tx.get_transaction(session, user_id=alice.user_id, transaction_id=seeded["transactions"]["control"].id)
    assert "\x00" not in ctrl.description and "\x1b" not in ctrl.description  # C0 controls dropped by design
    # bidi overrides, zero-width and C1 characters dropped too (issue #13: "Invoice\u202eFDP.exe")
    assert "\u202e" not in ctrl.description and "RED\x7fEVIL" in ctrl.description
    assert "\x7f" in ctrl.description  # everything else kept as typed
    assert tx.get_transaction(session, user_id=alice.user_id, transaction_id=seeded["transactions"]["emoji"].id).description == HOSTILE["emoji"]
    assert categories.get_category(session, user_id=alice.user_id, category_id=seeded["category_id"]).name == CATEGORY
    assert session.get(User, alice.user_id).name == USER_NAME
    assert session.scalar(select(ImportBatch.filename).where(ImportBatch.user_id == alice.user_id)) == FILENAME
    assert [m.name for m in importing.list_mappings(session, user_id=alice.user_id)] == [MAPPING]


def test_too_long_text_is_refused_with_a_reason(db, session, alice):
    with pytest.raises(ValidationError, match="too long") as err:
        tx.add_transaction(session, user_id=alice.user_id, date=TODAY, amount="1", kind="expense", description="x" * 501)
    assert err.value.field == "description"
    with pytest.raises(ValidationError) as err:
        categories.create_category(session, user_id=alice.user_id, name="c" * 61, kind="expense")
    assert err.value.field == "name"


def test_md_escapes_every_markdown_construct():
    for text in [*HOSTILE.values(), CATEGORY, USER_NAME]:
        escaped = md(text)
        for raw, pattern in zip(RAW, UNESCAPED):
            if raw in text:
                assert not pattern.search(escaped), (raw, escaped)


# GFM autolink literals as Streamlit's Markdown finds them (remark-gfm's transform, copied from
# the bundled StreamlitMarkdown.js): on the text *after* backslash escapes are resolved, which
# is why escaping alone does not stop them. Conservative: any match counts.
_MD_ESCAPE = re.compile(r"\\([!-/:-@\[-`{-~])")
_AUTOLINK_URL = re.compile(r"(https?://|www(?=\.))([-.\w]+)([^ \t\r\n]*)", re.I)
_CODE_SPAN = re.compile(r"(?<!\\)`[^`\n]+`")
_AUTOLINK_EMAIL = re.compile(r"([-.\w+]+)@([-\w]+(?:\.[-\w]+)+)")


def autolinks(markdown: str, *, emails: bool = False) -> list[str]:
    """What in this Markdown source would become a web link (or, with ``emails``, a mailto:
    link) without any link syntax. An inline code span's text is not searched (remark-gfm's transform
    sees text nodes only)."""
    text = _MD_ESCAPE.sub(r"\1", _CODE_SPAN.sub(" ", markdown))
    found = [m.group(0) for m in _AUTOLINK_URL.finditer(text) if "." in (m.group(2) if m.group(1).startswith("h") else m.group(0))]
    return found + ([m.group(0) for m in _AUTOLINK_EMAIL.finditer(text)] if emails else [])


def test_md_leaves_nothing_to_autolink():
    for text in ["https://evil.example", "www.evil.example", "WWW.Evil.Example/path", "HTTP://x.y",
                 "see (https://evil.example/a?b=c) and <www.evil.example>", HOSTILE["links"], HOSTILE["markdown"]]:
        assert autolinks(text), text  # the model sees the link in the raw text
        assert not autolinks(md(text)), (text, md(text))
        assert not re.search("[\u200b-\u200f\u2060-\u2064\ufeff]", md(text))  # nothing invisible added
    assert md("bob@example.com was disabled") == "bob@example\\.com was disabled"  # addresses shown exactly
    # mailto=False (session 21, polish21): each address as inline code, exact and no link; the rest escaped
    assert md("bob@example.com was disabled", mailto=False) == "`bob@example.com` was disabled"
    assert md("*x* a@b.co, www.evil.example", mailto=False) == "\\*x\\* `a@b.co`, www\u2024evil\\.example"
    assert not autolinks(md("to a.b+c@d-e.example.org.", mailto=False), emails=True)


def _render_description(description: str) -> None:
    import streamlit as st

    from budgetwise.ui.widgets import md

    st.markdown(f"**Edit** {md(description)}")
    st.caption(md(description))
    st.info(md(description))


def test_rendered_markdown_of_a_description_with_urls_has_no_link():
    at = AppTest.from_function(_render_description, args=(HOSTILE["links"],), default_timeout=30)
    at.run()
    assert not at.exception
    fields = _markdown_fields(at)
    assert len(fields) >= 3
    for kind, field, text in fields:
        assert "evil" in text and not autolinks(text), (kind, field, text)


# --------------------------------------------------------------------------- shown literally (AppTest)
def _markdown_fields(at: AppTest) -> list[tuple[str, str, str]]:
    """(element type, field, text) of every Markdown-rendering string the page sent."""
    out: list[tuple[str, str, str]] = []

    def scan(message, kind: str) -> None:
        for field, value in message.ListFields():
            items = list(value) if field.is_repeated else [value]
            if field.type == field.TYPE_MESSAGE:
                for item in items:
                    scan(item, type(item).__name__)
            elif field.type == field.TYPE_STRING and field.name in MARKDOWN_FIELDS and kind not in LITERAL_TYPES:
                out.extend((kind, field.name, item) for item in items)

    def walk(node) -> None:
        proto = getattr(node, "proto", None)
        if proto is not None:
            scan(proto, type(proto).__name__)
        for child in getattr(node, "children", {}).values():
            walk(child)

    walk(at._tree)
    return out


def _plotly_texts(at: AppTest) -> list[str]:
    out = []

    def walk(node) -> None:
        proto = getattr(node, "proto", None)
        if type(proto).__name__ == "PlotlyChart":
            out.append(json.dumps(json.loads(proto.spec), ensure_ascii=False))
        for child in getattr(node, "children", {}).values():
            walk(child)

    walk(at._tree)
    return out


PAGES = sorted(p.name for p in (ROOT / "pages").glob("*.py") if p.name not in {s.file for s in PUBLIC_PAGES})


@pytest.mark.parametrize("page", PAGES)
def test_pages_show_hostile_text_literally(app_env, page):
    admin = app_env.create_user("root@example.com", "Root")
    alice = app_env.create_user("alice@example.com", "Alice")
    with app_env.scope() as s:
        _seed(s, app_env.settings, alice)
    at = app_env.page(f"pages/{page}", user=admin if page == "admin.py" else alice, timeout=90)
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    fields = _markdown_fields(at)
    assert fields, "the page rendered nothing to check"
    leaks = [(kind, field, text[:160]) for kind, field, text in fields for pattern in UNESCAPED if pattern.search(text)]
    assert not leaks, f"unescaped user text in Markdown on {page}: {leaks[:5]}"
    links = [(kind, field, link) for kind, field, text in fields for link in autolinks(text) if "evil" in link]
    assert not links, f"user text becomes a link in Markdown on {page}: {links[:5]}"
    for spec in _plotly_texts(at):
        for raw in ("<b>CATB", "<a href", "<b>HTMLB", "<script"):
            assert raw not in spec, f"{page}: a Plotly chart would render user text as HTML ({raw})"


def test_transactions_table_shows_the_exact_text(app_env):
    alice = app_env.create_user("alice@example.com", "Alice")
    with app_env.scope() as s:
        _seed(s, app_env.settings, alice)
    at = app_env.page("pages/transactions.py", user=alice, timeout=90)
    at.run()
    assert not at.exception
    shown = pd.concat([df.value for df in at.dataframe], ignore_index=True).astype(str)
    cells = set(shown.to_numpy().ravel())
    for key in ("markdown", "html", "emoji", "long"):
        assert clean_text(HOSTILE[key]) in cells, key


# --------------------------------------------------------------------------- charts
def test_chart_builders_escape_user_labels(db, session, alice):
    from budgetwise.ui import charts

    _seed(session, db.settings, alice)
    flt = reports.ReportFilter(date_from=TODAY - dt.timedelta(days=60), date_to=TODAY)
    by_cat = reports.by_category(session, user_id=alice.user_id, filters=flt)
    trend = reports.category_trend(session, user_id=alice.user_id, filters=flt)
    figures = [charts.spending_donut(by_cat, currency="USD", locale="en_US")]
    if hasattr(charts, "category_trend_lines"):
        figures.append(charts.category_trend_lines(trend, currency="USD", locale="en_US"))
    report = budgets.budget_report(session, user_id=alice.user_id, month=TODAY.replace(day=1))
    figures.append(charts.budget_progress(list(report.lines), currency="USD", locale="en_US"))
    for fig in figures:
        texts = _strings(fig.to_dict())
        assert any("CATB" in t for t in texts)  # the name is there ...
        assert not [t for t in texts if "<b>CATB" in t or "<a href" in t], "... but Plotly would render it as HTML"


def _strings(value) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [s for v in value.values() for s in _strings(v)]
    if isinstance(value, (list, tuple)):
        return [s for v in value for s in _strings(v)]
    if hasattr(value, "tolist"):
        return _strings(value.tolist())
    return []


# --------------------------------------------------------------------------- exports
def _cells_csv(data: bytes, delimiter: str = ",") -> list[str]:
    return [cell for row in csv.reader(io.StringIO(data.decode("utf-8")), delimiter=delimiter) for cell in row]


def _assert_formula_safe(cells: list[str], where: str) -> None:
    for cell in cells:
        assert not cell.startswith(("=", "+", "-", "@", "\t", "\r")), f"{where}: a cell starts a formula: {cell!r}"


def test_csv_and_excel_exports_neutralize_formulas(db, session, alice):
    _seed(session, db.settings, alice)
    frame = exports.transactions_export_frame(session, user_id=alice.user_id)
    csv_bytes = exports.to_csv_bytes(frame)
    _assert_formula_safe(_cells_csv(csv_bytes), "CSV")
    # A spreadsheet in a locale whose list separator is ';' (German, French Excel) splits on ';'
    _assert_formula_safe(_cells_csv(csv_bytes, delimiter=";"), "CSV read with ';'")
    descriptions = set(pd.read_csv(io.BytesIO(csv_bytes), dtype=str)["description"])
    assert "'=1+2" in descriptions and "'@SUM(1)" in descriptions  # shown, not run
    book = openpyxl.load_workbook(io.BytesIO(exports.to_excel_bytes(frame)))
    for row in book.active.iter_rows():
        for cell in row:
            assert cell.data_type != "f", f"Excel cell {cell.coordinate} is a formula: {cell.value!r}"
            if isinstance(cell.value, str):
                assert not cell.value.startswith(("=", "+", "-", "@")), cell.value
    # report downloads go through the same functions (budgetwise.ui.reporting.download_buttons)
    by_cat = reports.for_export(reports.by_category(session, user_id=alice.user_id), "USD")
    _assert_formula_safe(_cells_csv(exports.to_csv_bytes(by_cat)), "report CSV")


def test_download_all_my_data_is_formula_safe(db, session, alice):
    _seed(session, db.settings, alice)
    with zipfile.ZipFile(io.BytesIO(data_export.export_zip(session, user_id=alice.user_id))) as zf:
        for name in zf.namelist():
            if name.endswith(".csv"):
                data = zf.read(name)
                _assert_formula_safe(_cells_csv(data), name)
                _assert_formula_safe(_cells_csv(data, delimiter=";"), name + " read with ';'")


def test_admin_export_is_formula_safe(db, session, alice):
    from budgetwise.services import admin

    root = session.get(User, alice.user_id)  # the first user is the administrator
    _seed(session, db.settings, alice)
    from budgetwise.services.auth import principal_for

    data = admin.export_all_transactions_csv(session, principal=principal_for(root))
    _assert_formula_safe(_cells_csv(data), "admin CSV")
    _assert_formula_safe(_cells_csv(data, delimiter=";"), "admin CSV read with ';'")


# --------------------------------------------------------------------------- invisible characters
SPOOF = "Invoice\u202eFDP.exe \u200bzero\u2060width \u2066iso\u2069 c1\u0085nel\u009b \u200dINV\ufeffX"
SPOOF_CLEAN = "InvoiceFDP.exe zerowidth iso c1 nel INVX"
INVISIBLE = re.compile("[\u0080-\u009f\u061c\u180e\u200b\u200e\u200f\u202a-\u202e\u2060-\u2069\ufeff]")


def test_bidi_zero_width_and_c1_characters_are_dropped_on_every_input(db, session, alice):
    """Issue #13: "Invoice\u202eFDP.exe" shows as "InvoiceEXE.PDF". Every path that stores user
    or file text drops bidi controls, zero-width and C1 characters (budgetwise.text.clean_text);
    emoji sequences and Persian joiners keep their zero-width joiners."""
    from budgetwise.services import goals

    uid = alice.user_id
    assert clean_text(SPOOF) == SPOOF_CLEAN
    assert clean_text(HOSTILE["emoji"]) == HOSTILE["emoji"] and clean_text("می\u200cروم") == "می\u200cروم"
    view = tx.add_transaction(session, user_id=uid, date=TODAY, amount="1", kind="expense", description=SPOOF,
                              notes=SPOOF, account=SPOOF)
    assert (view.description, view.notes, view.account) == (SPOOF_CLEAN, SPOOF_CLEAN, SPOOF_CLEAN)
    edited = tx.update_transaction(session, user_id=uid, transaction_id=view.id, description="Edit\u202e" + SPOOF)
    assert edited.description == "Edit" + SPOOF_CLEAN
    cat = categories.create_category(session, user_id=uid, name="Cat\u202egpj.exe", kind="expense")
    assert cat.name == "Catgpj.exe"
    rule = categorize.create_rule(session, user_id=uid, spec=categorize.RuleSpec(
        category_id=cat.id, pattern="zero\u200bwidth", name="Rule\u202eX"))
    assert "\u202e" not in rule.name and "\u200b" not in rule.pattern
    assert profile.update_profile(session, user_id=uid, name="Al\u202eice").name == "Alice"
    goal = goals.create_goal(session, user_id=uid, name="Bike\u200b\u202e", target="100", target_date=TODAY.replace(year=TODAY.year + 1))
    assert goal.name == "Bike"
    data = ("Date,Description,Amount,Account,Category\n"
            f"2024-02-01,{SPOOF},-3.00,Acc\u202eount,Lab\u200bel\n").encode()
    importing.commit_import(session, user_id=uid, data=data, filename="state\u202ement.csv")
    preview = importing.preview_import(session, user_id=uid, data=data, filename="x.csv")
    importing.save_mapping(session, user_id=uid, name="Bank\u202e", header_signature=preview.header_signature,
                           columns=preview.columns, mapping=preview.mapping)
    session.flush()
    stored = session.execute(select(ImportBatch.filename).where(ImportBatch.user_id == uid)).scalars().all()
    assert stored == ["statement.csv"]
    from budgetwise.models import Transaction

    texts = session.execute(select(Transaction.description, Transaction.account).where(Transaction.user_id == uid)).all()
    assert (SPOOF_CLEAN, "Account") in [tuple(t) for t in texts]
    assert [m.name for m in importing.list_mappings(session, user_id=uid)] == ["Bank"]


def test_exports_drop_invisible_characters_stored_before(db, session, alice):
    """A row stored before input was cleaned (or written around the services) still leaves
    no bidi override in a CSV, Excel or data-export file."""
    from budgetwise.models import Transaction

    view = tx.add_transaction(session, user_id=alice.user_id, date=TODAY, amount="1", kind="expense", description="x")
    session.get(Transaction, view.id).description = SPOOF  # as an older version stored it
    session.flush()
    frame = exports.transactions_export_frame(session, user_id=alice.user_id)
    csv_text = exports.to_csv_bytes(frame).decode("utf-8")
    assert not INVISIBLE.search(csv_text) and "InvoiceFDP.exe" in csv_text
    book = openpyxl.load_workbook(io.BytesIO(exports.to_excel_bytes(frame)))
    cells = [c.value for row in book.active.iter_rows() for c in row if isinstance(c.value, str)]
    assert cells and not any(INVISIBLE.search(c) for c in cells)
    with zipfile.ZipFile(io.BytesIO(data_export.export_zip(session, user_id=alice.user_id))) as zf:
        for name in zf.namelist():
            if name.endswith(".csv"):
                assert not INVISIBLE.search(zf.read(name).decode("utf-8")), name


# --------------------------------------------------------------------------- source check
USER_TEXT_ATTRS = {"name", "description", "email", "filename", "merchant", "pattern", "label", "notes", "account",
                   "category_name", "rule_name", "title", "reason", "message", "account_name"}
SERVICE_TEXT_ATTRS = {"message"}  # an error's or a notice's sentence: quotes names and file text
USER_TEXT_NAMES = {"name", "description", "email", "filename", "merchant", "pattern", "notes"}  # bare variables
MARKDOWN_CALLS = {"markdown", "caption", "success", "info", "warning", "error", "toast", "title", "header",
                  "subheader", "expander", "write", "metric", "button"}
# a widget's label is Markdown too (bold, italics, code, links and images: session 25, the Import page's type boxes
# were labelled with a file's account names as they came)
WIDGET_CALLS = {"selectbox", "multiselect", "radio", "checkbox", "toggle", "text_input", "text_area", "number_input",
                "date_input", "time_input", "slider", "select_slider", "file_uploader", "color_picker", "popover",
                "download_button", "form_submit_button", "segmented_control", "pills"}


def _is_md_call(node: ast.AST) -> bool:
    return isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in ("md", "who")  # who: md


def _walk_outside_md(node: ast.AST):
    """ast.walk that does not enter md(...) calls (their content is escaped)."""
    if _is_md_call(node):
        return
    yield node
    for child in ast.iter_child_nodes(node):
        yield from _walk_outside_md(child)


def _user_text_interpolations(tree: ast.AST) -> list[tuple[int, str]]:
    found = []
    for node in ast.walk(tree):
        if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
                and node.func.attr in MARKDOWN_CALLS | WIDGET_CALLS):
            continue
        widget = node.func.attr in WIDGET_CALLS
        keywords = ("label", "body", "help", "toast")  # run_action(toast=...) goes to st.toast as it is
        for arg in list(node.args[:1]) + [k.value for k in node.keywords if k.arg in keywords]:
            for part in _walk_outside_md(arg):
                if isinstance(part, ast.Attribute) and part.attr in SERVICE_TEXT_ATTRS:  # st.error(exc.message)
                    found.append((node.lineno, ast.unparse(part)))
                if widget and part is arg and isinstance(part, ast.Attribute) and part.attr in USER_TEXT_ATTRS:  # a name
                    found.append((node.lineno, ast.unparse(part)))
                if isinstance(part, ast.FormattedValue):
                    parts = list(_walk_outside_md(part.value))
                    attrs = {n.attr for n in parts if isinstance(n, ast.Attribute)}
                    names = {n.id for n in parts if isinstance(n, ast.Name)}
                    if attrs & USER_TEXT_ATTRS or names & USER_TEXT_NAMES:
                        found.append((node.lineno, ast.unparse(part.value)))
    return found


UI_SOURCES = sorted([*(ROOT / "pages").glob("*.py"), ROOT / "app.py", *(ROOT / "budgetwise" / "ui").rglob("*.py")], key=str)


@pytest.mark.parametrize("path", UI_SOURCES, ids=lambda p: str(p.relative_to(ROOT)))
def test_markdown_calls_escape_interpolated_user_text(path):
    """A source check for messages the page tests cannot reach (toasts after an action, refusals):
    user text interpolated into a Markdown-rendering call (a button label and run_action's toast too) must go
    through md(), and a message (an error's, a notice's) too: widgets.show_error shows an error as typed."""
    found = _user_text_interpolations(ast.parse(path.read_text(encoding="utf-8")))
    assert not found, f"{path.name}: user text in Markdown without md(): {found}"


def _show_hostile_error() -> None:
    from budgetwise.errors import ImportFileError
    from budgetwise.ui.widgets import show_error

    show_error(ImportFileError("Statement ![i](https:evil.example/p.png) [Verify](https://evil.example) <b>HB</b> "
                               ":red[RED] costs $1 and $2 on 2026-12-06 (see www.evil.example).xlsx is named like an "
                               "Excel workbook but is not one."))


def test_service_error_messages_show_quoted_text_literally():
    """show_error put a service's message into st.error as Markdown: a file name, sheet, column or account name
    quoted in it could make a link, an image, coloured text or math (session 22). Now escaped there."""
    at = AppTest.from_function(_show_hostile_error, default_timeout=30)  # not the 3 s default (review26)
    at.run()
    body = at.error[0].value
    for raw in ("![i](", "[Verify](", "<b>", ":red[", " $1"):
        assert raw not in body, body
    assert not [link for link in autolinks(body) if "evil" in link], body
    assert "is named like an Excel workbook but is not one." in body.replace("\\", "")  # the sentence as read


_MD_UNESCAPE = re.compile(r"\\([!-/:-@\[-`{-~])")  # what Markdown shows of a backslash before ASCII punctuation


@pytest.mark.parametrize(("message", "shown"), [
    # repr() quotes an account "C:\d" as 'C:\\d': st.error showed C:\d before md_message, C:\\d after (Chromium)
    ("You already have an account called 'C:\\\\d' (names ignore case).",
     "You already have an account called 'C:\\d' (names ignore case)."),
    ("No column called 'it\\'s \"x\"'.", "No column called 'it's \"x\"'."),
    # a directive or emoji code without its brackets: ":red" vanished from the error in Chromium
    ("Sheet 'a :red[r] :smile: b' is empty.", "Sheet 'a :red[r] :smile: b' is empty."),
    ("File 'x &lt;b&gt; y' is empty.", "File 'x &lt;b&gt; y' is empty."),
])
def test_service_error_message_shows_its_quoted_text_as_it_was_shown_before(message, shown):
    """Review22: md_message escaped every backslash, so repr's quoting showed doubled backslashes; and ":" was
    not escaped, so a colour directive's or emoji's name still formed (the bracket escaped, the name swallowed)."""
    from budgetwise.ui.format import md_message

    body = md_message(message)
    assert not re.search(r"(?<!\\)(?:\\\\)*:[A-Za-z]", body), body  # every ":" before a name is escaped
    assert not re.search(r"(?<!\\)(?:\\\\)*&", body), body  # no entity can form
    assert _MD_UNESCAPE.sub(r"\1", body) == shown


def test_service_error_message_backslashes_make_no_link():
    """A quoted text's own backslashes (read as Markdown escapes) do not un-escape a bracket or a dollar."""
    from budgetwise.ui.format import md_message

    for text in ("'\\[x\\](https://evil.example)'", "'\\\\[x\\\\](https://evil.example)'", "'\\$a\\$'"):
        body = md_message(text)
        assert not re.search(r"(?<!\\)(?:\\\\)*[\[\]$<>]", body), body  # each special character escaped
        assert "://" not in body, body
