"""Ceilings a bank file must stay under before it is parsed (issue #13: uploads that exhaust
memory or time). One owner for every reader's limits; each refusal is an ImportFileError
that says which limit, the file's figure and what to do.

* the upload size itself is Settings.max_upload_mb (BUDGETWISE_MAX_UPLOAD_MB), checked by
  :func:`check_upload_size` before anything is read or decoded (the importer's
  ``services.importing.check_size`` and the forecast's CSV upload, page and ``--input``);
* CSV/TSV: at most MAX_COLUMNS columns and MAX_FIELD_CHARS characters in one field, checked
  record by record while the text is split (a 200,000-column header stops at once);
* XLSX: the zip's members are inspected before openpyxl opens anything: their declared
  uncompressed sizes (a zip bomb inflates 565 KB into 250 MB of XML), the shared-strings
  part, the number of members; then the sheet is streamed (read-only mode) with a ceiling
  on rows, columns and cells.

Bank statements are far below all of these: a 100,000-row export with 20 columns is
2,000,000 cells and ~40 MB of sheet XML.

* the account as a whole: at most MAX_TRANSACTIONS_PER_USER stored transactions, checked by
  :func:`check_account_room` when an import is committed (session 20: any number of imports
  could fill a hosted instance's disk for every user). A busy household stores a few thousand
  a year; 500,000 rows take about 260 MB of SQLite (519 bytes a row with
  indexes, measured on 23,540 generated rows). Rows added by hand are checked too, by
  :func:`check_room_for_one` in ``transactions.add_transaction`` (session 21: a script adding one
  row at a time passed the limit the imports keep). "Load demo data" writes only into an empty
  account (~885 rows); a database restore is the operator's (``budgetwise restore``), not a user's.
"""

from __future__ import annotations

from budgetwise.errors import ConflictError, ImportFileError

MAX_COLUMNS = 500
MAX_FIELD_CHARS = 100_000
MAX_ROWS = 1_100_000
MAX_CELLS = 3_000_000
XLSX_MAX_UNCOMPRESSED_BYTES = 128 * 1024 * 1024
XLSX_MAX_SHARED_STRINGS_BYTES = 32 * 1024 * 1024
XLSX_MAX_MEMBERS = 2_000
MAX_TRANSACTIONS_PER_USER = 500_000


def mb(n: int) -> str:
    return f"{n / 1024 / 1024:,.0f} MB"


def check_upload_size(size: int, max_bytes: int) -> None:
    """Refuse a file of ``size`` bytes above ``max_bytes``, with the numbers."""
    if size > max_bytes:
        raise ImportFileError(
            f"The file is {size / 1024 / 1024:.1f} MB; the limit is {max_bytes / 1024 / 1024:.0f} MB "
            "(BUDGETWISE_MAX_UPLOAD_MB). Split the export into shorter periods."
        )


def check_account_room(held: int, adding: int) -> None:
    """Refuse an import of ``adding`` new rows into an account already holding ``held`` transactions when the
    total would pass :data:`MAX_TRANSACTIONS_PER_USER`, with the numbers."""
    limit = MAX_TRANSACTIONS_PER_USER
    if held + adding > limit:
        raise ImportFileError(
            f"This account holds {held:,} transactions; the limit is {limit:,}, and this file would add "
            f"{adding:,}. Undo old imports or delete old transactions first, or import a shorter period."
        )


def check_room_for_one(held: int) -> None:
    """Refuse a transaction added by hand to an account already holding ``held`` transactions when it would
    pass :data:`MAX_TRANSACTIONS_PER_USER` (the same ceiling as :func:`check_account_room`), with the numbers."""
    limit = MAX_TRANSACTIONS_PER_USER
    if held + 1 > limit:
        raise ConflictError(
            f"This account holds {held:,} transactions; the limit is {limit:,}. Delete old transactions or undo "
            "old imports first."
        )


def check_room_to_restore(held: int, adding: int) -> None:
    """Refuse undoing a delete that would put ``adding`` transactions back into an account holding ``held`` when the
    total would pass :data:`MAX_TRANSACTIONS_PER_USER` (rows added since the delete took the room), with the
    numbers."""
    limit = MAX_TRANSACTIONS_PER_USER
    if held + adding > limit:
        raise ConflictError(
            f"Undo would put back {adding:,} transactions, but this account now holds {held:,} and the limit is "
            f"{limit:,}. Delete other transactions first, then undo; nothing was restored."
        )
