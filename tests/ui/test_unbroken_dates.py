"""Session 18 (uifix): a date in a displayed message never breaks across lines ("2026-" at the end of a line,
"12-06" on the next, in wrapped st.info / st.warning / caption texts: Chromium breaks after a hyphen between
digits). Displayed text only; services, the CLI and exports keep the plain text of budgetwise.dates.day_text."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from streamlit.testing.v1 import AppTest

from budgetwise.dates import day_text
from budgetwise.principal import Principal
from budgetwise.services.profile import DATE_FORMATS
from budgetwise.ui import format as fmt

ROOT = Path(__file__).resolve().parent.parent.parent


def _principal(date_format: str, locale: str = "en_US") -> Principal:
    return Principal(user_id=1, email="a@example.com", name="A", role="user", currency="USD", locale=locale,
                     date_format=date_format)


def test_a_displayed_day_has_no_place_to_break_in_any_date_format():
    value = dt.date(2026, 12, 6)
    for date_format in DATE_FORMATS:
        for locale in ("en_US", "de_DE"):
            shown = fmt.day(_principal(date_format, locale), value)
            assert "-" not in shown and " " not in shown, (date_format, shown)
            plain = shown.replace(fmt.NB_HYPHEN, "-").replace(fmt.NB_SPACE, " ")
            assert plain == day_text(value, date_format, locale)  # the same date, only unbreakable
    assert fmt.day(_principal("%Y-%m-%d"), value) == "2026\u201112\u201106"
    assert day_text(value) == "2026-12-06"  # the one formatter stays plain: services, CLI, exports


def test_iso_dates_in_service_text_are_made_unbreakable_for_display():
    text = "The statement says $5.00 on 2026-12-05; import #3 (2026-12-05 20:36 UTC). Ref 12026-12-0599, A-1-2"
    assert fmt.unbroken_dates(text) == ("The statement says $5.00 on 2026\u201112\u201105; import #3 "
                                        "(2026\u201112\u201105 20:36 UTC). Ref 12026-12-0599, A-1-2")
    assert fmt.md("up to 2026-12-05 - done") == "up to 2026\u201112\u201105 \\- done"  # before md's escaping


def _error_and_flash_app():
    import streamlit as st

    from budgetwise.errors import ValidationError
    from budgetwise.ui.actions import run_action, show_flash

    show_flash()
    if st.button("fail", key="fail"):
        run_action(lambda _s: (_ for _ in ()).throw(ValidationError("2099-01-05 is too far in the future.")))
    if st.button("work", key="work"):
        run_action(lambda _s: None, "Rates for 2024-01-04 to 2024-01-05 saved.")


def test_errors_and_flashes_show_their_dates_unbroken(app_env):
    at = AppTest.from_function(_error_and_flash_app, default_timeout=60).run()
    at.button(key="fail").click().run()
    assert [e.value for e in at.error] == ["2099\u201101\u201105 is too far in the future."]
    at.button(key="work").click().run()
    assert [s.value for s in at.success] == ["Rates for 2024\u201101\u201104 to 2024\u201101\u201105 saved\\."]


def test_the_unbreakable_characters_stay_in_the_ui():
    """The CLI, CSV and PDF exports and service messages are written outside budgetwise/ui: none of them may use
    the display form."""
    for path in (ROOT / "budgetwise").rglob("*.py"):
        if "ui" in path.relative_to(ROOT / "budgetwise").parts:
            continue
        text = path.read_text(encoding="utf-8")
        assert "\u2011" not in text and "\\u2011" not in text and "unbroken_dates" not in text, path


def test_dates_in_the_users_named_month_format_are_made_unbreakable_in_every_offered_locale():
    """Session 19: service text written in the user's "%d %b %Y" ("06 Dec 2026") broke at its spaces; only ISO
    dates were joined. Every offered locale's month abbreviation ("Dez.", "sept.", "12月") is joined too."""
    from budgetwise.services.profile import LOCALES

    for locale in LOCALES:
        for month in range(1, 13):
            plain = day_text(dt.date(2026, month, 6), "%d %b %Y", locale)
            shown = fmt.unbroken_dates(f"No rate for {plain}, 3 transactions.")
            assert shown == f"No rate for {plain.replace(' ', fmt.NB_SPACE)}, 3 transactions.", (locale, shown)
    assert fmt.unbroken_dates("Saved 12 rows in 2024.") == "Saved 12 rows in 2024."  # not a date
    assert fmt.unbroken_dates("from 2026-11-04 to 2026-11-05") == "from 2026\u201111\u201104 to 2026\u201111\u201105"


def test_a_missing_rate_named_in_the_users_date_format_is_shown_unbroken(app_env):
    """The Reports page's missing-rate notice (service text, MissingRate.describe) in "%d %b %Y"."""
    from budgetwise.services import profile
    from tests.helpers_reports import add_rows

    alice = app_env.create_user()
    with app_env.scope() as s:
        profile.update_profile(s, user_id=alice.user_id, date_format="%d %b %Y")
        add_rows(s, alice.user_id, [(dt.date(2026, 11, 6), 10000, "expense", "HOTEL PARIS", "Travel", "EUR")])
    at = app_env.page("pages/reports.py", user=alice, timeout=60)
    at.run()
    assert not at.exception
    warning = "\n".join(w.value for w in at.warning)
    assert f"06{fmt.NB_SPACE}Nov{fmt.NB_SPACE}2026" in warning and "06 Nov 2026" not in warning, warning


def test_the_day_month_year_with_dashes_format_is_offered_and_shown_unbroken():
    """Session 26 (data26): "31-12-2025" (day-month-year with dashes) is one of the offered date formats; its dates
    are written by the one formatter, kept unbroken in displayed text, and the pickers and date columns use it."""
    assert DATE_FORMATS["%d-%m-%Y"] == "31-12-2025" == day_text(dt.date(2025, 12, 31), "%d-%m-%Y")
    p = _principal("%d-%m-%Y")
    assert fmt.day(p, dt.date(2026, 12, 6)) == "06\u201112\u20112026"
    assert fmt.unbroken_dates("Balance confirmed on 06-12-2026; ref 106-12-20261 and 2026-12-06.") == (
        "Balance confirmed on 06\u201112\u20112026; ref 106-12-20261 and 2026\u201112\u201106.")
    assert fmt.date_input_format(p) == "DD-MM-YYYY" and fmt.date_column_format(p) == "DD-MM-YYYY"
    assert fmt.moment_text(p, dt.datetime(2026, 12, 6, 20, 36, tzinfo=dt.UTC)) == "06-12-2026 20:36"


def test_a_file_name_with_dates_in_it_is_shown_as_written():
    """Session 26 (trial26): "checking_5678_2009‑04‑02…ofx" in an import message carried U+2011 hyphens inside the
    file's name (copied, it named another file). A date inside a word or a quoted name is left alone; the
    sentence's own dates are still unbroken."""
    name = "checking_5678_2009-04-02_2025-01-16.ofx"
    assert fmt.unbroken_dates(f"Imported 3 rows from {name} on 2026-12-05.") == (
        f"Imported 3 rows from {name} on 2026\u201112\u201105.")
    assert fmt.unbroken_dates("2025-01-16.csv and 16-01-2025.csv, then 16-01-2025.") == (
        "2025-01-16.csv and 16-01-2025.csv, then 16\u201101\u20112025.")
    assert fmt.unbroken_dates("“statement 2025-01-16 final.csv” on 2026-12-05") == (
        "“statement 2025-01-16 final.csv” on 2026\u201112\u201105")
    assert fmt.unbroken_dates("an unclosed “ 2026-12-05") == "an unclosed “ 2026\u201112\u201105"
    assert "\u2011" not in fmt.md(f"Undo import #3 ({name})")
