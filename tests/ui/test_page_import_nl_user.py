"""Session 25 (trial25): the Import page for a nl_NL user — a signed amount with its plus where the locale writes
the minus ("€ +12,20" beside "€ -18,43"; it read "+€ 12,20"), and the count of a file with nothing new grouped as
the user writes numbers ("1.001 rows", it read "1,001 rows" under "1.001" duplicates)."""

from __future__ import annotations

from budgetwise.importing import ImportOptions
from budgetwise.services import importing as svc
from budgetwise.services import profile
from tests.ui.test_page_import import PAGE, _table, _texts, _upload

ROWS = 1001
HISTORY = ("date,name,value\n" + "".join(
    f"2023-{1 + i % 12:02d}-{1 + i % 28:02d},Winkel {i},{'12.20' if i == 0 else '-18.43'}\n" for i in range(ROWS))).encode()


def test_a_dutch_users_preview_signs_amounts_and_counts_as_she_writes_them(app_env):
    user = app_env.create_user()
    with app_env.scope() as s:
        user = profile.update_profile(s, user_id=user.user_id, locale="nl_NL", currency="EUR")
    at = app_env.page(PAGE, user=user, timeout=60)
    at.run()
    _upload(at, "ing.csv", HISTORY)
    assert not at.exception
    amounts = list(_table(at, "Amount")["Amount"])
    assert "€\xa0+12,20" in amounts and "€\xa0-18,43" in amounts
    assert not any(a.startswith("+€") for a in amounts)
    with app_env.scope() as s:
        svc.commit_import(s, user_id=user.user_id, data=HISTORY, filename="ing.csv", options=ImportOptions())
    _upload(at, "ing.csv", HISTORY)
    assert not at.exception
    text = _texts(at).replace("\\", "")
    assert "Nothing new in this file (1.001 rows already imported)." in text
    assert "1,001" not in text
