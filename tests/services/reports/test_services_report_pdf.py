"""Monthly PDF layout (issue #14 item 18: the first page was half empty)."""

from __future__ import annotations

import datetime as dt
import re

from budgetwise.services import report_pdf
from tests.helpers_reports import add_rows


def test_a_short_category_table_leaves_room_for_the_monthly_chart_on_page_one():
    box = report_pdf.page_one_chart_box(11)
    assert box is not None
    left, bottom, width, height = box
    table_bottom = report_pdf.CATEGORY_TABLE_TOP - report_pdf.ROW_HEIGHT * 12
    assert bottom <= 0.1 and bottom + height < table_bottom  # fills the page, under the table
    assert report_pdf.page_one_chart_box(0) is not None  # "No spending this month." leaves the page empty too


def test_a_long_category_table_keeps_the_chart_on_page_two():
    assert report_pdf.page_one_chart_box(22) is None


def test_the_pdf_renders_with_the_chart_moved_to_page_one(db, session, alice):
    month = dt.date(2026, 3, 1)
    add_rows(session, alice.user_id, [(month, 300000, "income", "PAYROLL", "Salary"),
                                      (month + dt.timedelta(days=2), 4500, "expense", "MARKET", "Groceries"),
                                      (month + dt.timedelta(days=3), 120000, "expense", "RENT", "Rent")])
    session.flush()
    pdf = report_pdf.monthly_report_pdf(session, user_id=alice.user_id, month=month, today=dt.date(2026, 4, 2))
    assert pdf.startswith(b"%PDF")
    assert len(re.findall(rb"/Type /Page\b(?!s)", pdf)) == 3  # summary + chart, charts, budgets and lists


def test_the_pdf_writes_percents_months_and_dates_in_the_users_locale(db, session, alice):
    """Session 10 QA: the PDF wrote percents as f-strings ("+12.5%"), months in English ("March 2026",
    "2026-03") and ISO dates whatever the user's locale and date format."""
    from budgetwise.services import profile

    profile.update_profile(session, user_id=alice.user_id, locale="de_DE", currency="EUR", date_format="%d.%m.%Y")
    month = dt.date(2026, 3, 1)
    add_rows(session, alice.user_id, [(month, 300000, "income", "PAYROLL", "Salary", "EUR"),
                                      (month + dt.timedelta(days=3), 120000, "expense", "RENT", "Rent", "EUR")])
    session.flush()
    data = report_pdf._report_data(session, alice.user_id, month, dt.date(2026, 4, 2))
    assert data.title == "BudgetWise monthly report · März 2026"
    assert data.month_labels[-1] == "März 2026" and "2026-03" not in data.month_labels
    assert data.change(12.54) == "+12,5\xa0%" and data.change(0.01) == "0,0\xa0%" and data.change(None) == "—"
    assert data.share(40.0) == "40,0\xa0%" and data.rate(60.0) == "60,0\xa0%" and data.rate(-250.0) == "< −100\xa0%"
    assert data.count(2286) == "2.286" and data.day(dt.date(2026, 4, 2)) == "02.04.2026"
    assert report_pdf._pct(-7.25) == "-7.2%"  # en_US stays the default ("−" is the caller's)
    assert report_pdf.monthly_report_pdf(session, user_id=alice.user_id, month=month,
                                         today=dt.date(2026, 4, 2)).startswith(b"%PDF")


def test_the_changes_table_names_the_compared_months_missing_from_the_data(db, session, alice, monkeypatch):
    """Trial27: the PDF's Changes table had no word for a compared month without a single transaction (its
    $0.00 is nothing recorded); it now says what the Reports → Changes tab says (``reports.missing_note``)."""
    from matplotlib.figure import Figure

    from budgetwise.services import reports as R

    month = dt.date(2026, 3, 1)
    add_rows(session, alice.user_id, [(month, 300000, "income", "PAYROLL", "Salary"),
                                      (month + dt.timedelta(days=3), 120000, "expense", "RENT", "Rent"),
                                      (dt.date(2025, 3, 9), 4500, "expense", "MARKET", "Groceries")])
    session.flush()
    written: list[str] = []
    text = Figure.text
    monkeypatch.setattr(Figure, "text", lambda self, x, y, s, *a, **k: written.append(s) or text(self, x, y, s, *a, **k))
    assert report_pdf.monthly_report_pdf(session, user_id=alice.user_id, month=month,
                                         today=dt.date(2026, 4, 2)).startswith(b"%PDF")
    note = R.missing_note([dt.date(2026, 2, 1)], "en_US")
    assert note.startswith("February 2026 has no transaction at all in your data (before it starts, or a gap)")
    assert note.endswith("the change against it says nothing about your spending.")
    assert [w.replace("\n", " ") for w in written if "no transaction at all" in w] == [note]


def test_the_summary_headings_of_a_month_in_progress_stay_inside_their_columns(db, session, alice):
    """Trial28: "Previous month (1–3)" and "A year before (1–3)" ran over their neighbours' headings (and a
    Portuguese "setembro de 2026 (1–3)" over the next one) in a month the data ends inside (issue: the PDF's
    Summary table, seen rendered to PNG). Every heading's text must fit inside its own cell."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    from budgetwise.services import profile

    profile.update_profile(session, user_id=alice.user_id, locale="pt_PT", currency="EUR", date_format="%d/%m/%Y")
    month = dt.date(2026, 9, 1)
    add_rows(session, alice.user_id, [(dt.date(2025, 9, 2), 4500, "expense", "MARKET", "Groceries", "EUR"),
                                      (dt.date(2026, 8, 2), 4500, "expense", "MARKET", "Groceries", "EUR"),
                                      (dt.date(2026, 9, 3), 120000, "expense", "RENT", "Rent", "EUR")])
    data = report_pdf._report_data(session, alice.user_id, month, dt.date(2026, 9, 3))
    assert data.through == 3
    fig = Figure(figsize=report_pdf.A4)
    canvas = FigureCanvasAgg(fig)
    report_pdf._summary_table(fig, data)
    canvas.draw()
    renderer = canvas.get_renderer()
    (table,) = fig.axes[0].tables
    headings = {col: cell for (row, col), cell in table.get_celld().items() if row == 0}
    assert "(1–3)" in headings[2].get_text().get_text()
    for col, cell in headings.items():
        box, text = cell.get_window_extent(renderer), cell.get_text().get_window_extent(renderer)
        assert box.x0 <= text.x0 and text.x1 <= box.x1, (col, cell.get_text().get_text())
        assert box.y0 <= text.y0 and text.y1 <= box.y1, (col, cell.get_text().get_text())


def test_the_lists_page_aligns_amounts_right_and_starts_text_near_the_cell_edge(db, session, alice):
    """Trial28 (rendered to PNG): page 3's tables aligned every column left, a tenth of its width in: "mortgage"
    started a quarter-inch into the Merchant column and the amounts did not line up."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    month = dt.date(2026, 3, 1)
    add_rows(session, alice.user_id, [(month + dt.timedelta(days=2), 4500, "expense", "MARKET", "Groceries"),
                                      (month + dt.timedelta(days=3), 120000, "expense", "RENT", "Rent")])
    data = report_pdf._report_data(session, alice.user_id, month, dt.date(2026, 4, 2))
    figures = []

    class _Pages:
        def savefig(self, fig):
            figures.append(fig)

    report_pdf._lists_pages(_Pages(), data)
    fig = figures[0]
    renderer = FigureCanvasAgg(fig).get_renderer()
    fig.canvas.draw()
    merchants = next(ax.tables[0] for ax in fig.axes if ax.get_title(loc="left") == "Top merchants")
    cells = merchants.get_celld()
    name, spent = cells[1, 0], cells[1, 2]
    assert name.get_text().get_text() and spent.get_text().get_text() == "$1,200.00"
    gap = name.get_text().get_window_extent(renderer).x0 - name.get_window_extent(renderer).x0
    assert 0 < gap < 10, gap  # pixels at the figure's 100 dpi
    assert spent.get_text().get_horizontalalignment() == "right"
    assert spent.get_window_extent(renderer).x1 - spent.get_text().get_window_extent(renderer).x1 < 10
