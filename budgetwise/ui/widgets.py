"""Shared display helpers for pages (no business rules). Formatting lives in budgetwise.ui.format;
its names are re-exported here for existing callers."""

from __future__ import annotations

import enum
import uuid
from collections.abc import Callable, Iterable, Sequence
from typing import Any, Literal, TypeVar

import pandas as pd
import streamlit as st
from streamlit.elements.lib.column_types import ColumnConfig

from budgetwise.errors import BudgetwiseError
from budgetwise.money import format_money, from_minor
from budgetwise.principal import Principal
from budgetwise.ui.format import date_column_format, date_input_format, md, md_message, money, unbroken_dates  # noqa: F401 (the UI's one formatting module)

T = TypeVar("T")


class _Nothing(enum.Enum):
    """The "none" choice of :func:`select_or_none`: not ``None`` itself, which Streamlit (1.67) takes for "nothing
    chosen yet" once a keyed select box holds it, and draws a clear button ("×") beside "No particular account"
    or "All users" from the second run on (session 20)."""

    NONE = "none"


NOTHING = _Nothing.NONE


def select_or_none(where: Any, label: str, options: Sequence[T], *, none: str, format_func: Callable[[T], str] = str,
                   value: T | None = None, **kwargs: Any) -> T | None:
    """A select box (in ``where``: ``st``, a column, a form) whose first choice means none of ``options``, reading
    ``none``; starts on ``value`` (else on that first choice) and returns the choice, None for the first.
    AppTest sees the first choice as :data:`NOTHING` (``select_index(0)`` picks it)."""
    choices: list[Any] = [NOTHING, *options]
    picked = where.selectbox(label, choices, index=choices.index(value) if value in options else 0,
                             format_func=lambda o: none if o is NOTHING or o is None else format_func(o), **kwargs)
    return None if picked is NOTHING or picked is None else picked


def show_error(exc: BudgetwiseError, *, kind: Literal["error", "warning", "info"] = "error", icon: str | None = None) -> None:
    """Show a service error next to the form that caused it (its message is a full sentence), as typed: the names
    and file text it quotes are escaped (``md_message``: no Markdown, LaTeX, HTML, link or image; an address as
    inline code). The one way every page shows a refusal (``kind="info"`` for one that is news, not a fault). No
    message of a service or page error is Markdown on purpose: the pages' own bold text is in flashes and alerts."""
    getattr(st, kind)(md_message(exc.message), icon=icon)


def transactions_frame(principal: Principal, rows: Iterable) -> pd.DataFrame:
    """A display table of TransactionView rows; amounts as exact text, signed by direction."""
    rows = list(rows)
    records = [
        {
            "id": r.id,
            "Date": r.date,
            "Description": r.description,
            "Category": r.category_name or "—",
            "Type": r.kind.capitalize(),
            "Amount": format_money(r.signed_minor, r.currency, principal.locale),
            "Value": float(from_minor(r.signed_minor, r.currency)),  # for sorting/plots only
            "Currency": r.currency,
            "Account": r.account_name or r.account or "",  # the account the row is in, else the label the file gave
            "Source": r.source,
        }
        for r in rows
    ]
    columns = ["id", "Date", "Description", "Category", "Type", "Amount", "Value", "Currency", "Account", "Source"]
    frame = pd.DataFrame.from_records(records, columns=columns)
    types = [getattr(r, "bank_type", None) or "" for r in rows]
    if any(types):  # the bank's own type ("ATM", "FEE"), only where some row has one (an imported file's)
        frame.insert(int(frame.columns.get_loc("Type")) + 1, BANK_TYPE_COLUMN, types)
    return frame


# A row of cards draws its figures in one font size, the largest (up to the theme's, 2.25rem) in which the row's
# longest figure fits its card at any window width: CSS container units, like Streamlit's own print rule for
# st.metric (100cqi / (characters x em per character)). Below 1rem a figure wraps; it is never cut with "…", and
# a long delta or label wraps too. CARD_EM: Source Sans digits are 0.5 em, "$21,651.45" measured 0.45 em a character;
# 0.56 leaves a margin for wider letters ("CHF", "NZ$"). The row's container carries the figure length in its
# class (st-key-bw_cards_<n>_…); the rules are in CARD_CSS, which app.py sends once with the sidebar's
# "Signed in as" line (content, so it stays in its place: a style-only st.html goes to Streamlit's event
# container and replaced a toast, session 13).
CARD_EM = 0.56
CARD_MAX_CHARS = 40  # a longer figure is drawn as if it had 40 characters (at the 1rem floor it wraps anyway)
_CARD = '[class*="st-key-bw_cards_"]'
CARD_CSS = "<style>" + (
    f'{_CARD} [data-testid="stMetricValue"] {{container-type: inline-size}}'
    f'{_CARD} [data-testid="stMetricValue"] *, {_CARD} [data-testid="stMetricDelta"] * '
    "{white-space: normal; overflow: visible; overflow-wrap: anywhere; text-overflow: clip}"
    f'{_CARD} [data-testid="stMetricDelta"] {{flex-shrink: 1; min-width: 0}}'
    # a label wraps too: at a 910 px window three cards cut "Safe to spend per day" to "Safe to spen…" (session 19);
    # every card's, in a metric_row or not (Categorize's six cards read "To revi…", "Uncategori…" on a 768 px tablet)
    '[data-testid="stMetricLabel"] [data-testid="stMarkdownContainer"], [data-testid="stMetricLabel"] p '
    "{white-space: normal; overflow: visible; text-overflow: clip}"
    # a phone (Streamlit stacks columns below 640 px): a row's cards two a line, not one a screen (four cards took
    # 500 px of a 390 px phone before the first chart, session 19); the figures are sized by the card's width below
    f'@media (max-width: 640px) {{{_CARD} [data-testid="stHorizontalBlock"] > [data-testid="stColumn"] '
    "{min-width: calc(50% - 0.5rem) !important; flex: 0 0 calc(50% - 0.5rem) !important}}"
) + "".join(
    f'[class*="st-key-bw_cards_{n}_"] [data-testid="stMetricValue"] > * '
    f"{{font-size: clamp(1rem, calc(100cqi / {n * CARD_EM:.2f}), 1em)}}"
    for n in range(1, CARD_MAX_CHARS + 1)) + "</style>"


# A touch screen (no hover) shows a table's toolbar (show columns, download, search, full screen) all the time, 44 px
# above the table's top, over what comes before it: on a phone it hid "Dec 2026" under the Reports' bars and the end
# of "Showing 1–50 of 884 transactions" (session 19). There the table moves down by the toolbar's height less the
# 1rem gap between elements; with a mouse (the toolbar shows on hover) nothing changes. app.py sends it with CARD_CSS.
# A row of tabs wider than the screen wraps onto a second line (trial29: Profile's seven and Reports' eight tabs
# scrolled sideways at 390 px, "Two-…" cut, the last ones behind an arrow); where they fit, nothing changes. The
# selected tab's underline is drawn inside the tab, so it stays under it on either line (checked in Chromium).
TABS_WRAP = '[data-testid="stTabs"] [role="tablist"] {flex-wrap: wrap}'
TOUCH_CSS = '<style>@media (hover: none) {[data-testid="stDataFrame"] {margin-top: 1.75rem}} ' + TABS_WRAP + '</style>'


def metric_row(count: int, figures: Iterable[str]) -> list:
    """``st.columns(count)`` for a row of metric cards, in a container that draws the cards' figures in one
    font size in which the longest of ``figures`` (the texts the cards show) fits (``CARD_CSS``)."""
    longest = max(1, min(max(map(len, figures), default=1), CARD_MAX_CHARS))
    # a fresh key each run: keys must be unique on a page (two goals' rows can have the same figures), and this
    # one only names a class
    return st.container(key=f"bw_cards_{longest}_{uuid.uuid4().hex[:12]}").columns(count)


def signed_delta(change: float | None, text: str | None, *, delta_color: str = "normal") -> dict:
    """st.metric's delta keywords for a change whose sign is ``change`` and whose words are ``text``: every card
    delta of the app goes through here. Streamlit draws a text delta that does not start with "-" as a rise, and
    a formatted fall often does not: nl_NL writes "US$ -100,00", de_CH "$-100.00", fy_NL "US$ 100,00-", ar an
    RTL mark first; so a fall showed a green rising arrow (review18). The arrow (``delta_arrow``) and its colour
    follow ``change``'s sign: ``delta_color`` "normal" (a rise is good, green), "inverse" (a rise is bad, red:
    spending) or "off" (grey). A change of 0 is grey with no arrow; None or no text: no delta at all."""
    if change is None or not text:
        return {"delta": None}
    if change == 0:
        return {"delta": text, "delta_color": "off", "delta_arrow": "off"}
    color = "off" if delta_color == "off" else "green" if (change > 0) == (delta_color == "normal") else "red"
    return {"delta": text, "delta_color": color, "delta_arrow": "up" if change > 0 else "down"}


def money_metric(container, label: str, figure: str, *, help: str | None = None, **kwargs) -> None:
    """A money figure in a metric card: ``figure`` is the text of the list the :func:`metric_row` was sized by
    (``ui.format.money_or_dash``: exact, with cents, "—" for no such figure, e.g. nothing left to save per month
    for a goal already reached), so each figure is formatted once (session 15: the rows formatted every figure
    twice, once to size the row and once to draw it). Never shortened; in a :func:`metric_row` a long figure is
    drawn smaller instead of being cut."""
    container.metric(label, figure, help=help, border=True, **kwargs)


# Tables at a 1400 px window (sidebar open): the main column is about 940 px wide, minus the
# row-selection column. Left to size themselves, the columns ran past it and the last one was cut
# ("Ac…", "undone 2026-1…"); these widths (px) keep every column whole (tests/ui/test_table_widths.py).
TRANSACTION_WIDTHS = {"Date": 92, "Category": 115, "Type": 72, "Amount": 105, "Currency": 68, "Account": 110,
                      "Source": 95}
BASE_AMOUNT_WIDTH = 105
BANK_TYPE_COLUMN = "Bank type"
BANK_TYPE_WIDTH = 75
# The transactions table (session 18: at a 1280 px window, with "In USD" and "Bank type", the Description was
# squeezed to 115 px). Measured in Chromium with the sidebar open, the columns have about 780 px at a 1280 px
# window and 525 px at 1024 px; at a 390 px phone the table is 358 px wide, 324 px after its row-selection column
# (session 28, phone28: the table showed Date and Description only, Amount and Category off to the right). Shown:
# Date, Amount, Category (what was spent on what: they fit a phone), the amount in the user's currency (they fit
# 1024 px), the Description and, unless the user hides it, Account; the others on request (TRANSACTION_OPTIONAL:
# the Type, which the amount's sign already says, the bank's own type, Currency, Source). The Description takes
# what the others leave at 1280 px, never less than DESCRIPTION_MIN.
TRANSACTION_FIT = 780
TRANSACTION_FIT_NARROW = 525
TRANSACTION_FIT_PHONE = 320
DESCRIPTION_MIN = 150
TRANSACTION_OPTIONAL = ("Account", "Type", BANK_TYPE_COLUMN, "Currency", "Source")
TRANSACTION_DEFAULT_OPTIONAL = ("Account",)
# Tables without a selection column at a 1280 px window with the sidebar open: the main column is 820 px wide
# (measured in Chromium, session 19), less the grid's border and scrollbar. Session 19: the import preview's
# fixed widths summed to 990 px (Description cut at 150 px, How off-screen) and the import history's to 899 px
# (Status cut: "commit…"). Their text columns are now as wide as their longest value (text_width) and one column
# (Description, File) takes what the others leave (fitted_widths), so a 1280 px window shows every column whole.
TABLE_FIT = 800
CHAR_PX = 7.0  # a character of a table cell, Source Sans 14 px: ~7.3 px for a bank's capitals, ~5.8 for plain words
PROSE_PX = 6.3  # a character of plain words ("guess: regular income of a similar amount → Salary": 295 px)
CELL_PADDING = 18
# the import preview: Status before How (the last column is the one that may run off-screen); the Type was the
# amount's sign again (as on the Transactions table, it is not shown); How as wide as its longest "guess: …"
IMPORT_PREVIEW_WIDTHS = {"Row": 45, "Date": 92, "Amount": 95, "Category": 110}
IMPORT_PREVIEW_STATUS = (60, 135)  # "New" .. "Duplicate: skipped"
IMPORT_PREVIEW_ACCOUNT = (70, 130)  # "Account" .. "Card …1234", a longer name cut (session 28: rows to several accounts)
IMPORT_PREVIEW_HOW = (60, 340)  # "" .. "guess: regular income of a similar amount → Salary" whole
IMPORT_PREVIEW_DESCRIPTION_MIN = 160
IMPORT_HISTORY_WIDTHS = {"#": 40, "When (UTC)": 118, "Read": 50, "Imported": 70, "Duplicates": 80, "Rejected": 68,
                         "Still there": 75}
IMPORT_HISTORY_STATUS = (80, 175)  # "committed" .. "undone 28 juill. 2026" (fr_CA) whole: it wraps when it has no room
IMPORT_HISTORY_FILE_MIN = 110
IMPORT_HISTORY_ACCOUNT = (70, 110)  # "Account" .. a long name (cut; the cell shows it whole when opened)


# A table without a selection column on a 390 px phone is 358 px wide (measured in Chromium, session 28). A period
# column as wide as "December 2026 (so far)" (152 px) pushed the last amount past the edge, where "-$2,184.3…" read
# as another number (phone28): tables write months short ("Dec 2026 (so far)", ``format.month_short_label``; captions,
# hovers and the CSV keep theirs) and the period column is as wide as its longest label (``label_column``), so
# the period and three amounts fit a phone (narrow28).
TABLE_FIT_PHONE = 358
PERIOD_LABEL_BOUNDS = (60, 200)
# a ProgressColumn's bar with its "70%" whole (the Goals overview: after Saved and Target it began at 287 px of 358
# and lost its percentage at the edge; now beside the goal's name, session 28)
PROGRESS_WIDTH = 100


# the Goals overview's name column at most: Progress (PROGRESS_WIDTH), Saved ("$14,113.25", ~80 px) and Target
# ("$20,000.00", ~72 px measured at 390 px, session 28) beside it within TABLE_FIT_PHONE; a longer name is cut ("…",
# whole in the opened cell, the goal picker and the heading below). trial29: a 49-character name took 200 px and
# pushed Target past the screen's edge.
GOAL_NAME_MAX = TABLE_FIT_PHONE - PROGRESS_WIDTH - 80 - 72


def label_column(values: Iterable[object], *, most: int | None = None) -> ColumnConfig:
    """The column_config of a table's first (label) column, as wide as its longest value (:data:`TABLE_FIT_PHONE`),
    at most ``most`` px when given (a longer label is cut; :data:`GOAL_NAME_MAX`)."""
    low, high = PERIOD_LABEL_BOUNDS
    return st.column_config.TextColumn(width=text_width(values, (low, min(high, most or high)), char_px=PROSE_PX))


def column_widths(widths: dict[str, int]) -> dict[str, object]:
    """st.dataframe column_config entries fixing each column's width (px)."""
    return {name: st.column_config.Column(width=px) for name, px in widths.items()}


def text_width(values: Iterable[object], bounds: tuple[int, int], *, char_px: float = CHAR_PX) -> int:
    """The width (px) of a text column as wide as its longest value, within ``bounds`` (minimum, maximum)."""
    longest = max((len(str(v)) for v in values), default=0)
    return max(bounds[0], min(bounds[1], round(CELL_PADDING + char_px * longest)))


def fitted_widths(widths: dict[str, int], flexible: str, *, minimum: int, fit: int = TABLE_FIT) -> dict[str, int]:
    """``widths`` plus ``flexible``'s: what the others leave of ``fit`` px, at least ``minimum``."""
    return {**widths, flexible: max(minimum, fit - sum(widths.values()))}


# Streamlit 1.67's st.dataframe wraps a text cell only when ``row_height`` exceeds 4rem (64 px), and then in
# every column; a wrapped line of a 14 px cell is ~20 px (session 19, nits: measured in Chromium)
WRAP_ROW_MIN = 65
WRAP_LINE_PX = 20


def wrapped_column(widths: dict[str, int], wanted: int, bounds: tuple[int, int], *, flexible_minimum: int,
                   char_px: float = PROSE_PX, longest: int = 0, fit: int = TABLE_FIT) -> tuple[int, int | None]:
    """A last text column that stays inside ``fit`` px: (its width, the table's ``row_height``).

    ``widths``: the other fixed columns; ``wanted``: its :func:`text_width`; the flexible column
    (:func:`fitted_widths`) keeps ``flexible_minimum``. When ``wanted`` fits, (wanted, None); else the
    column gets what is left (at least ``bounds[0]``) and the rows are tall enough for its ``longest``
    value (characters) to wrap onto whole lines."""
    room = max(bounds[0], fit - sum(widths.values()) - flexible_minimum)
    if wanted <= room:
        return wanted, None
    lines = -(-round(char_px * longest) // max(1, room - CELL_PADDING))
    return room, max(WRAP_ROW_MIN, CELL_PADDING + WRAP_LINE_PX * lines)


def transaction_options(columns: Iterable[str], *, base_column: str | None = None) -> list[str]:
    """The columns of a transactions frame the user may show or hide (TRANSACTION_OPTIONAL that it has; no
    Currency beside an "In <base currency>" column: each amount's own symbol already says "NZ$", "€")."""
    present = set(columns)
    has_base = bool(base_column) and base_column in present
    return [c for c in TRANSACTION_OPTIONAL if c in present and not (c == "Currency" and has_base)]


def transaction_columns(columns: Iterable[str], *, base_column: str | None = None,
                        chosen: Iterable[str] = TRANSACTION_DEFAULT_OPTIONAL) -> list[str]:
    """The columns the transactions table shows, in order: Date, Amount, Category, "In <base currency>",
    Description, then the ``chosen`` ones of :func:`transaction_options` (TRANSACTION_FIT_PHONE)."""
    columns = list(columns)
    wanted = set(chosen) & set(transaction_options(columns, base_column=base_column))
    core = ["Date", "Amount", "Category", base_column, "Description"]
    return [c for c in core if c and c in columns] + [c for c in TRANSACTION_OPTIONAL if c in wanted]


def transaction_widths(shown: Iterable[str], *, base_column: str | None = None) -> dict[str, int]:
    """Widths (px) of the shown columns of the transactions table (:func:`transaction_columns`); the
    Description's as the comment on TRANSACTION_FIT says."""
    shown = list(shown)
    widths = {c: TRANSACTION_WIDTHS[c] for c in shown if c in TRANSACTION_WIDTHS}
    if base_column and base_column in shown:
        widths[base_column] = BASE_AMOUNT_WIDTH
    if BANK_TYPE_COLUMN in shown:
        widths[BANK_TYPE_COLUMN] = BANK_TYPE_WIDTH
    if "Description" in shown:
        widths["Description"] = max(DESCRIPTION_MIN, TRANSACTION_FIT - sum(widths.values()))
    return widths


def kpi(label: str, value: str, *, help: str | None = None):
    st.metric(label, value, help=help, border=True)
