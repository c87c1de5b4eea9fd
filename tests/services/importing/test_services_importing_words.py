"""Session 22 (words22): the import sentences that name a command-line option keep their words for the command
line and read as the Import page's controls on the page (``importing.words``): a file whose columns are not
found, rows that go to an account in their currency, a card statement that goes to the credit-card account."""

from __future__ import annotations

import pytest

from budgetwise.errors import ImportFileError
from budgetwise.importing.words import CHOOSE_ACCOUNT, HINTS, for_page
from budgetwise.services import accounts
from budgetwise.services import importing as svc
from budgetwise.services import transactions as tx

EUR_FILE = b"Date,Description,Amount,Currency\n2024-03-01,Backerei,-3.20,EUR\n2024-03-02,Kino,-12.00,EUR\n"
CARD = (b"Transaction Date,Posted Date,Card No.,Description,Category,Debit,Credit\n"
        b"2015-12-31,2016-01-02,,Airplanes R Us,Other Travel,1000.00,\n")


def _audiences(text: str) -> tuple[str, str]:
    return text, for_page(text)


def test_a_file_without_its_columns_names_mapping_to_the_command_line_and_the_panel_to_the_page(session, alice):
    with pytest.raises(ImportFileError) as refused:
        svc.commit_import(session, user_id=alice.user_id, data=b"foo,bar\nhello,world\n", filename="x.csv")
    cli, page = _audiences(refused.value.message)
    assert cli.endswith(". Choose the columns (in the app) or pass --mapping (command line).")  # as before
    assert page.endswith(". Choose them in “Columns and format” above, then press Apply.") and "--" not in page
    assert page.startswith("Cannot import: no column was found for the ")


def test_rows_in_another_currency_name_account_to_the_command_line_and_the_box_to_the_page(session, alice):
    tx.add_transaction(session, user_id=alice.user_id, date="2024-01-02", amount="1.00", kind="expense",
                       description="Coffee")
    preview = svc.preview_import(session, user_id=alice.user_id, data=EUR_FILE, filename="de.csv")
    assert preview.accounts_note.endswith(CHOOSE_ACCOUNT.cli)
    assert preview.accounts_note.endswith("(the Account box; --account on the command line).")  # as before
    assert preview.page_accounts_note == preview.accounts_note.replace(CHOOSE_ACCOUNT.cli, CHOOSE_ACCOUNT.page)
    assert "--" not in preview.page_accounts_note and "“Main account” is in USD" in preview.page_accounts_note


def test_a_card_statement_names_account_to_the_command_line_and_the_box_to_the_page(session, alice):
    accounts.create_account(session, user_id=alice.user_id, name="Checking")
    accounts.create_account(session, user_id=alice.user_id, name="Visa", kind="credit_card")
    preview = svc.preview_import(session, user_id=alice.user_id, data=CARD, filename="capitalone.csv")
    assert preview.accounts_note.endswith("“Visa”. " + CHOOSE_ACCOUNT.cli)
    assert preview.page_accounts_note.endswith("“Visa”. To put them elsewhere, choose an account for the file in the "
                                               "“Account” box.")


def test_every_hint_differs_for_the_page_and_the_page_names_no_option():
    for hint in HINTS:
        assert "--" in hint.cli and "--" not in hint.page and for_page(hint.cli) == hint.page


def test_a_repeated_headers_note_reads_in_the_pages_words_through_the_one_mechanism():
    """Session 23 (tidy23): ``FileLayout.page_warnings`` swapped a repeated header's note for a second copy written
    for the page; now it is :func:`for_page` with the note's own sentence (``RepeatedHeader.hint``), as every note."""
    from budgetwise.importing import parse_file

    parsed = parse_file(b"date,amount,amount,description\n2024-03-01,-1.00,-2.00,Shop\n2024-03-02,-3.00,-4.00,Cafe\n",
                        "x.csv")
    (repeated,) = parsed.repeated_headers
    (note,) = [w for w in parsed.warnings if "--mapping" in w]
    assert note == repeated.note and note.endswith(repeated.hint.cli) and "amount=1 or 2" in note
    (shown,) = [w for w in parsed.page_warnings if w.startswith("Columns 2 and 3")]
    assert shown == for_page(note, repeated.hint) and shown.endswith(repeated.hint.page) and "--" not in shown
    assert "“Columns and format” below" in shown
