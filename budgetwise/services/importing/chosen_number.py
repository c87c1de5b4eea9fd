"""Importing: an account chosen for a file of one account number keeps that number (session 28, cards28; #19).

imp27 left it: a file naming its account by number (an IBAN column, a statement's preamble, a card statement's
"Card No.") imported into an account chosen for it (the Account box, ``--account``, the account remembered with the
mapping) stored the rows there, but the account kept no ``external_id``, so the next file of that number was routed
by itself elsewhere (a new "DE…3000", a new "Card …1234") or asked about again. Now the chosen account keeps the number
when it keeps none and no other account of the user keeps it (:func:`.account_numbers.keep_number`), and the preview
says so."""

from __future__ import annotations

from sqlalchemy import update
from sqlalchemy.orm import Session

from budgetwise.importing import ImportOptions, ParsedFile
from budgetwise.models import Account, ImportBatch
from budgetwise.names import quoted
from budgetwise.services import account_numbers
from budgetwise.services.importing import card


def keep_chosen_number(session: Session, user_id: int, parsed: ParsedFile, options: ImportOptions, *,
                       dry_run: bool = False, name: str = "") -> str:
    """The account chosen for this CSV/Excel file keeps the one number its account column (or preamble) carries (a
    card statement's digits as its card's): the preview's words ("" when it does not; ``dry_run``: nothing written;
    ``name``: the account's, for the words). The commit calls it inside its transaction."""
    if options.account_id is None or parsed.file_format == "ofx":
        return ""
    cards = card.number_column(parsed)
    values = [*(parsed.rows["account"].tolist() if len(parsed.rows) else []),
              *([] if cards or not parsed.statement_account else [parsed.statement_account])]
    number = account_numbers.one_number(values, cards=cards)
    if not account_numbers.keep_number(session, user_id=user_id, account_id=int(options.account_id), number=number,
                                       card=cards, dry_run=dry_run):
        return ""
    shown = f"card …{number[-4:]}" if cards and number else account_numbers.masked(number)
    return (f"{quoted(name) if name else 'The account'} keeps the file's number ({shown}), so the next file of it "
            "goes there by itself.")


def take_back_number(session: Session, user_id: int, batch: ImportBatch) -> None:
    """Undoing an import that gave its chosen account the file's number (``batch.gave_number_to``, migration 0048)
    takes the number off again (session 28, mask28; cards28 left it): the account goes back to keeping none, so the
    next file of that number is routed, or asked about, as before the import. The user's own account only."""
    if batch.gave_number_to is None:
        return
    session.execute(update(Account).where(Account.id == batch.gave_number_to, Account.user_id == user_id)
                    .values(external_id=None).execution_options(synchronize_session="fetch"))
