"""Import rules that the import page used to decide itself (issue #15), now on the model: no database."""

from __future__ import annotations

import datetime as dt

from budgetwise.importing import ColumnMapping, ImportOptions
from budgetwise.services.importing import ImportBatchView, ImportPreview

MAP = ColumnMapping(date=0, amount=2, description=(1,))


def _layout(opts: ImportOptions, **chosen) -> ImportOptions:
    args = dict(detected_header_row=1, detected_sheet=None, several_sheets=False, header_row=1, sheet=None,
                mapping=MAP, date_order="dmy", decimal=",", sign="auto")
    args.update(chosen)
    return opts.with_layout(**args)


def test_applying_the_same_layout_keeps_the_mapping_and_leaves_the_header_to_detection():
    out = _layout(ImportOptions())
    assert out.mapping == MAP and out.header_row is None and out.date_order == "dmy" and out.decimal == ","


def test_a_changed_header_row_resets_the_mapping_and_is_kept():
    out = _layout(ImportOptions(), header_row=3)
    assert out.mapping is None and out.header_row == 3
    assert _layout(ImportOptions(), detected_header_row=None, header_row=0).mapping == MAP  # 0 = none, as detected
    again = _layout(out, detected_header_row=3, header_row=3)  # chosen before: stays chosen
    assert again.header_row == 3 and again.mapping == MAP


def test_another_sheet_resets_mapping_and_header_row():
    out = _layout(ImportOptions(header_row=4), detected_sheet="2024", several_sheets=True, sheet="2025", header_row=4)
    assert out.mapping is None and out.header_row is None and out.sheet == "2025"
    single = _layout(ImportOptions(), detected_sheet="Only", sheet="Only")
    assert single.sheet is None


def _preview(**changes) -> ImportPreview:
    base = dict(
        filename="f.csv", file_sha256="x", size_bytes=1, file_format="csv", encoding="utf-8", delimiter=",",
        header_row=1, columns=("Date", "Text", "Amount"), mapping=MAP, mapping_confident=True, date_order="dmy",
        date_order_reason="", decimal=".", sign="auto", sheet_names=(), sheet=None, warnings=(),
        header_signature="h", saved_mapping=None, rows_read=10, rows_valid=9, rows_duplicate=4, rows_new=5,
        rejections=(), rows=(), raw_sample=(), currencies=(), date_min=None, date_max=None, labels=(),
        previous_import=None,
    )
    base.update(changes)
    return ImportPreview(**base)


def test_how_many_rows_will_be_imported():
    p = _preview()
    assert ImportOptions().rows_to_commit(rows_new=p.rows_new, rows_valid=p.rows_valid) == 5
    assert ImportOptions(include_duplicates=True).rows_to_commit(rows_new=p.rows_new, rows_valid=p.rows_valid) == 9


def test_when_an_import_can_be_undone():
    def batch(**changes):
        base = dict(id=1, filename="f.csv", file_format="csv", account=None, created_at=dt.datetime(2025, 1, 1),
                    rows_read=3, rows_imported=3, rows_duplicate=0, rows_rejected=0, status="committed",
                    undone_at=None, rows_remaining=3)
        base.update(changes)
        return ImportBatchView(**base)

    assert batch().can_undo
    assert not batch(rows_remaining=0).can_undo  # every row was deleted by hand already
    assert not batch(status="undone", undone_at=dt.datetime(2025, 1, 2)).can_undo
