"""No account number reaches the server's log or a hand-entered row whole (session 29, sec29).

* The importer's catch-all logged ``"importer failed on <file name>"`` with the exception's text: banks name exports
  after the IBAN (ING: "NL91ABNA0417164300_….csv") and a parser's error can quote a cell (a card number). The log now
  says the error's type and where it happened only; the user's message is unchanged (their own file).
* ``transactions.add_transaction`` / ``update_transaction`` stored an account text as given, while an import and
  a rule keep it as ``account_numbers.row_text`` does (masked): a whole IBAN typed through the service stayed whole.
"""

from __future__ import annotations

import logging

import pytest

from budgetwise import importing
from budgetwise.errors import ImportFileError
from budgetwise.services import transactions as tx

IBAN = "NL91ABNA0417164300"
CARD = "4111111111131234"


def test_the_importers_log_names_no_file_and_no_cell(monkeypatch, caplog):
    def boom(*_a, **_k):
        raise ValueError(f"could not convert {CARD!r}")

    monkeypatch.setattr(importing, "_parse", boom)
    with caplog.at_level(logging.DEBUG, logger="budgetwise.importing"), pytest.raises(ImportFileError) as info:
        importing.parse_file(b"x", f"{IBAN}_01-01-2024_31-12-2024.csv")
    assert CARD in str(info.value)  # the user reads what went wrong with their own file
    logged = "\n".join(r.getMessage() + (logging.Formatter().formatException(r.exc_info) if r.exc_info else "")
                       for r in caplog.records)
    assert "ValueError" in logged
    assert IBAN not in logged and "0417164300" not in logged and CARD not in logged, logged


def test_a_hand_entered_rows_account_text_is_kept_masked(session, alice):
    view = tx.add_transaction(session, user_id=alice.user_id, date="2024-03-01", amount="12.50", kind="expense",
                                 description="Zorblat", account="DE89 3704 0044 0532 0130 00")
    row = session.get(tx.Transaction, view.id)
    assert row.account == "DE…3000"
    tx.update_transaction(session, user_id=alice.user_id, transaction_id=view.id, account=CARD)
    session.refresh(row)
    assert row.account == "Account …1234"
    tx.update_transaction(session, user_id=alice.user_id, transaction_id=view.id, account="Visa")
    session.refresh(row)
    assert row.account == "Visa"
