"""Session 27 (#19): Croatia (kuna → euro on 2023-01-01) and Bulgaria (lev → euro on 2026-01-01). Session 26 made no
guess for their IBANs (the user's currency). Now the day decides: a new account named by such an IBAN is created in the
currency of its latest row, and each row is stored in the currency of its own day (a statement across the changeover:
its kuna rows in HRK, its euro rows in EUR, in a EUR account whose balance converts the kuna rows)."""

from __future__ import annotations

import datetime as dt

from babel.numbers import get_territory_currencies
from sqlalchemy import select

from budgetwise.importing.iban import CHANGEOVER, IBAN_LENGTH, iban_country, iban_currency
from budgetwise.models import Account, Transaction
from budgetwise.services import importing as svc

HR = "HR1210010051863000160"  # the registry's example
BG = "BG80BNBG96611020345678"  # the registry's example


def _file(iban: str, *days: str) -> bytes:
    lines = [f"{d},-{i + 1}.50,{iban},Shop {i}" for i, d in enumerate(days)]
    return ("Date,Amount,Account,Description\n" + "\n".join(lines) + "\n").encode()


def _stored(session, user_id: int) -> set[tuple[str, str, int, str]]:
    return set(session.execute(select(Transaction.description, Transaction.currency, Transaction.amount_minor,
                                      Account.currency).join(Account, Account.id == Transaction.account_id)
                               .where(Transaction.user_id == user_id)).all())


def test_the_day_names_the_currency_as_cldr_dates_it():
    assert iban_country(HR) == "HR" and iban_country(BG) == "BG" and (IBAN_LENGTH["HR"], IBAN_LENGTH["BG"]) == (21, 22)
    for country, (old, new, first) in CHANGEOVER.items():
        before = first - dt.timedelta(days=1)
        assert get_territory_currencies(country, before, tender=True) == [old]
        assert new in get_territory_currencies(country, first, tender=True)  # beside the old one for two weeks
    assert [iban_currency(HR, on=d) for d in (dt.date(2022, 12, 31), dt.date(2023, 1, 1), None)] == ["HRK", "EUR", None]
    assert [iban_currency(BG, on=d) for d in (dt.date(2025, 12, 31), dt.date(2026, 1, 1))] == ["BGN", "EUR"]


def test_a_croatian_file_of_2022_is_kuna_and_of_2024_euro(session, alice):
    old = svc.preview_import(session, user_id=alice.user_id, data=_file(HR, "2022-11-02", "2022-11-03"), filename="a.csv")
    assert {r.currency for r in old.rows} == {"HRK"}
    assert "“HR…0160” in HRK (2 rows, a new account: an IBAN of Croatia)" in old.file_currency.note
    new = svc.preview_import(session, user_id=alice.user_id, data=_file(HR, "2024-02-02"), filename="b.csv")
    assert {r.currency for r in new.rows} == {"EUR"}


def test_a_bulgarian_statement_across_the_changeover_keeps_each_rows_currency_in_a_euro_account(session, alice):
    data = _file(BG, "2025-12-30", "2025-12-31", "2026-01-02")
    preview = svc.preview_import(session, user_id=alice.user_id, data=data, filename="bg.csv")
    assert [r.currency for r in preview.rows] == ["BGN", "BGN", "EUR"]
    assert [(a.name, a.new) for a in preview.accounts] == [("BG80BNBG…5678", True)]
    svc.commit_import(session, user_id=alice.user_id, data=data, filename="bg.csv", preview=preview)
    assert _stored(session, alice.user_id) == {("Shop 0", "BGN", 150, "EUR"),
                                               ("Shop 1", "BGN", 250, "EUR"), ("Shop 2", "EUR", 350, "EUR")}
    account = session.scalars(select(Account).where(Account.user_id == alice.user_id, Account.external_id == BG)).one()
    assert account.currency == "EUR"


def test_another_users_account_of_that_iban_does_not_decide(session, alice, bob):
    bobs = svc.preview_import(session, user_id=bob.user_id, data=_file(HR, "2022-05-05"), filename="b.csv")
    svc.commit_import(session, user_id=bob.user_id, data=_file(HR, "2022-05-05"), filename="b.csv", preview=bobs)
    mine = svc.preview_import(session, user_id=alice.user_id, data=_file(HR, "2024-05-05"), filename="a.csv")
    assert {r.currency for r in mine.rows} == {"EUR"} and mine.accounts[0].new
