"""Session 28 (mask28, #19; cards28 left it): an import into a chosen account gives it the file's number (its
``external_id``: ``account_numbers.keep_number``), so the next file of that number goes there by itself. Undoing that
import left the number on the account: the next file of it still went there, though the only choice that sent it
there was undone. The batch now records the account it gave the number to (``import_batches.gave_number_to``,
migration 0048) and the undo takes the number off; a number the account kept before the import stays."""

from __future__ import annotations

from budgetwise.importing import ImportOptions
from budgetwise.models import Account, ImportBatch
from budgetwise.services import accounts
from budgetwise.services import importing as svc

IBAN = "DE89 3704 0044 0532 0130 00"
GIRO = f"Date,Description,Amount,IBAN\n2024-03-01,Rewe,-12.50,{IBAN}\n2024-03-02,Miete,-800.00,{IBAN}\n".encode()


def _import(session, user_id: int, data: bytes, name: str, options: ImportOptions | None = None):
    preview = svc.preview_import(session, user_id=user_id, data=data, filename=name, options=options)
    return svc.commit_import(session, user_id=user_id, data=data, filename=name, preview=preview, options=options)


def test_undoing_the_import_that_gave_a_chosen_account_its_number_takes_it_off(session, alice):
    uid = alice.user_id
    giro = accounts.create_account(session, user_id=uid, name="Girokonto", currency="EUR")
    result = _import(session, uid, GIRO, "giro.csv", ImportOptions(account_id=giro.id))
    batch = session.get(ImportBatch, result.batch_id)
    assert batch.gave_number_to == giro.id
    assert session.get(Account, giro.id).external_id == "DE89370400440532013000"
    svc.undo_import(session, user_id=uid, batch_id=result.batch_id)
    session.expire_all()
    assert session.get(Account, giro.id).external_id is None


def test_a_number_the_account_kept_before_stays_when_the_import_is_undone(session, alice):
    uid = alice.user_id
    giro = accounts.create_account(session, user_id=uid, name="Girokonto", currency="EUR",
                                   external_id="DE89370400440532013000")
    result = _import(session, uid, GIRO, "giro.csv", ImportOptions(account_id=giro.id))
    assert session.get(ImportBatch, result.batch_id).gave_number_to is None
    svc.undo_import(session, user_id=uid, batch_id=result.batch_id)
    session.expire_all()
    assert session.get(Account, giro.id).external_id == "DE89370400440532013000"
