"""Session 27 (#19): Import History's Status ("undone 28 juill. 2026" for an fr_CA user who reads "31 Dec 2025") beside
session 26's Account column ran past the 820 px main column of a 1280 px window: seen in Chromium cut to "undone 28
juill." (and "undone 07 déc." without its year). The columns now sum to at most TABLE_FIT: Status gets what is left and
its text wraps (taller rows) when it has no room; a short status beside short accounts keeps one line."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json

from sqlalchemy import update

from budgetwise.models import ImportBatch, User
from budgetwise.services import importing as svc
from budgetwise.ui import widgets
from tests.ui.test_page_import import PAGE


def _history(app_env, *, locale: str, date_format: str, undone: bool):
    alice = app_env.create_user()
    with app_env.scope() as s:
        s.execute(update(User).where(User.id == alice.user_id).values(locale=locale, date_format=date_format))
        ids = [svc.commit_import(s, user_id=alice.user_id, filename=f"export_{i}.csv",
                                 data=f"Date,Description,Amount\n2026-0{i + 1}-03,Shop {i},-1{i}.50\n".encode()).batch_id
               for i in range(3)]
        if undone:
            for bid in ids[:2]:
                svc.undo_import(s, user_id=alice.user_id, batch_id=bid)
            s.execute(update(ImportBatch).where(ImportBatch.id == ids[0])
                      .values(undone_at=dt.datetime(2026, 7, 28, 9, tzinfo=dt.UTC)))
    at = app_env.page(PAGE, user=dataclasses.replace(alice, locale=locale, date_format=date_format))
    at.run()
    assert not at.exception
    table = next(d for d in at.dataframe if "Still there" in d.value.columns)
    config = json.loads(table.proto.columns or "{}")
    widths = {k.removeprefix("name:").removeprefix("col:"): c["width"] for k, c in config.items() if "width" in c}
    assert set(widths) >= set(table.value.columns), widths  # every column sized
    return table, widths


def test_long_undone_statuses_stay_inside_the_window_and_wrap(app_env):
    table, widths = _history(app_env, locale="fr_CA", date_format="%d %b %Y", undone=True)
    assert "undone 28 juill. 2026" in list(table.value["Status"])
    assert sum(widths.values()) <= widgets.TABLE_FIT, widths
    assert widths["File"] >= widgets.IMPORT_HISTORY_FILE_MIN
    assert widgets.text_width(["undone 28 juill. 2026"], widgets.IMPORT_HISTORY_STATUS, char_px=widgets.PROSE_PX) \
        > widths["Status"]  # no room for one line: it wraps
    assert table.proto.row_height >= widgets.WRAP_ROW_MIN


def test_committed_imports_keep_one_line(app_env):
    table, widths = _history(app_env, locale="en_US", date_format="%Y-%m-%d", undone=False)
    assert sum(widths.values()) <= widgets.TABLE_FIT and not table.proto.row_height
