"""Learning from a budgeting app's own categories when its export holds opening-balance rows (session 29, imp29;
open29 left it): a short Bluecoins export was refused because its "(New Account)" rows' "(New Account)" counted as an
unknown category. An opening row is no learning example (it becomes its account's opening balance, or a transfer
row): its app-internal label is not checked; a truly unknown category name is still refused, its rows named."""

from __future__ import annotations

from budgetwise.errors import ImportFileError
from budgetwise.importing import ImportOptions
from budgetwise.services import importing as svc

HEAD = b"Type,Date,Set Time,Title,Amount,Currency,Exchange Rate,Category Group Name,Category,Account,Notes,Labels,Status\n"
SHORT = HEAD + (
    b"Expense,2020-02-08 09:00:00,09:00,Pingo Doce,-12.40,EUR,1.0000000000,Food,Groceries,Cash,,,None\n"
    b"Expense,2020-02-05 09:00:00,09:00,Continente,-30.10,EUR,1.0000000000,Food,Groceries,Boost,,,None\n"
    b"New Account,2020-01-16 00:00:00,00:00,Black Plus,-433.38,EUR,1.0000000000,(New Account),(New Account),Black Plus,,,Reconciled\n"
    b"New Account,2019-11-05 07:56:49,07:56,Cash,11.20,EUR,1.0000000000,(New Account),(New Account),Cash,,,Reconciled\n"
    b"New Account,2019-11-05 00:00:00,00:00,Boost,4.26,EUR,1.0000000000,(New Account),(New Account),Boost,,,Reconciled\n"
)
LEARN = ImportOptions(learn_from_labels=True)


def test_a_short_export_with_opening_rows_is_learned_from(session, alice):
    uid = alice.user_id
    preview = svc.preview_import(session, user_id=uid, data=SHORT, filename="bluecoins.csv", options=LEARN)
    assert preview.refusal == ""
    assert preview.can_commit
    done = svc.commit_import(session, user_id=uid, data=SHORT, filename="bluecoins.csv", options=LEARN)
    assert done.rows_imported == 2
    assert "3 opening-balance rows become their accounts' opening balances" in done.opening


def test_a_truly_unknown_category_is_still_refused_with_its_rows(session, alice):
    uid = alice.user_id
    unknown = SHORT.replace(b"Food,Groceries,Cash", b"Food,Zorblax,Cash").replace(b"Food,Groceries,Boost",
                                                                                 b"Food,Zorblax,Boost")
    preview = svc.preview_import(session, user_id=uid, data=unknown, filename="bluecoins.csv", options=LEARN)
    assert "“Zorblax” (rows 2, 3)" in preview.refusal
    assert "(New Account)" not in preview.refusal  # an opening row's marker is not a category name
    try:
        svc.commit_import(session, user_id=uid, data=unknown, filename="bluecoins.csv", options=LEARN)
    except ImportFileError as exc:
        assert "Zorblax" in str(exc)
    else:
        raise AssertionError("a file of unknown categories to learn from is refused")


def test_an_opening_row_that_stays_a_transfer_row_is_not_learned_from(session, alice):
    from sqlalchemy import select

    from budgetwise.models import Rule
    from budgetwise.services import accounts

    uid = alice.user_id
    accounts.create_account(session, user_id=uid, name="Cash", kind="cash", currency="EUR", opening_balance="50",
                            opening_date="2019-01-01")
    done = svc.commit_import(session, user_id=uid, data=SHORT, filename="bluecoins.csv", options=LEARN)
    assert "“Cash” stays a transfer row of “Cash”" in done.opening
    patterns = session.scalars(select(Rule.pattern).where(Rule.user_id == uid, Rule.origin == "learned")).all()
    assert not [p for p in patterns if "cash" in p.lower()]  # its title (the account's name): no merchant
