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
  :func:`check_room` when an import is committed (session 20: any number of imports
  could fill a hosted instance's disk for every user). A busy household stores a few thousand
  a year; 500,000 rows take about 260 MB of SQLite (519 bytes a row with
  indexes, measured on 23,540 generated rows). Rows added by hand are checked too, by
  :func:`check_room` in ``transactions.add_transaction`` (session 21: a script adding one
  row at a time passed the limit the imports keep). "Load demo data" writes only into an empty
  account (~885 rows); a database restore is the operator's (``budgetwise restore``), not a user's.
"""

from __future__ import annotations

from typing import Literal

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


RoomFor = Literal["import", "add", "restore"]
_ROOM_REFUSALS: dict[str, tuple[type[ImportFileError] | type[ConflictError], str]] = {
    "import": (ImportFileError, "This account holds {held:,} transactions; the limit is {limit:,}, and this file would "
                                "add {adding:,}. Undo old imports or delete old transactions first, or import a shorter "
                                "period."),
    "add": (ConflictError, "This account holds {held:,} transactions; the limit is {limit:,}. Delete old transactions or "
                           "undo old imports first."),
    "restore": (ConflictError, "Undo would put back {adding:,} transactions, but this account now holds {held:,} and "
                               "the limit is {limit:,}. Delete other transactions first, then undo; nothing was "
                               "restored."),
}


def check_room(held: int, adding: int, doing: RoomFor) -> None:
    """The one check of :data:`MAX_TRANSACTIONS_PER_USER`: refuse putting ``adding`` transactions into an account
    already holding ``held`` when the total would pass it, with the numbers and what to do for ``doing``: "import"
    (a file committed: an ImportFileError), "add" (one added by hand), "restore" (an undone delete: rows added since
    the delete took the room) (ConflictErrors). Three copies of the comparison before session 22."""
    limit = MAX_TRANSACTIONS_PER_USER
    if held + adding > limit:
        error, text = _ROOM_REFUSALS[doing]
        raise error(text.format(held=held, adding=adding, limit=limit))
