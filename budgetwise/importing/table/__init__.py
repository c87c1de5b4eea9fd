"""From rows of text cells (CSV, TSV or a worksheet) to candidate transactions.

1. find the header row (or decide there is none) below any preamble (:mod:`.header`), and
   read the records into a frame of text (:mod:`.frame`);
2. map columns to roles from header names and column content (:mod:`.profile`, :mod:`.roles`;
   a running balance settles a headerless file, :mod:`.running_balance`);
3. convert each column kind at once (:mod:`.convert`): currencies and amounts, with each row's
   direction (:mod:`.money`), dates with the day/month order decided per file
   (:mod:`.date_column`), description, account and label text (:mod:`.text_columns`);
4. return accepted rows plus a rejection (row number, field, reason) for every row that cannot
   be imported (:mod:`.checks`).

Everything here is column-at-a-time pandas; per-row Python only runs for the few odd values
the vectorized paths leave over. :func:`build_transactions` (:mod:`.build`) is the entry point;
the names below are the former ``table`` module's public ones.
"""

from __future__ import annotations

from budgetwise.importing.table.build import build_transactions
from budgetwise.importing.table.checks import NINES_FACTOR, OUTLIER_FACTOR, OUTLIER_MIN_ROWS
from budgetwise.importing.table.header import HEADER_SCAN, find_header, header_signature
from budgetwise.importing.table.profile import SAMPLE_ROWS, ColumnProfile, profile_columns
from budgetwise.importing.table.roles import detect_mapping
from budgetwise.importing.table.text_columns import MAX_DESCRIPTION

__all__ = [
    "HEADER_SCAN",
    "MAX_DESCRIPTION",
    "NINES_FACTOR",
    "OUTLIER_FACTOR",
    "OUTLIER_MIN_ROWS",
    "SAMPLE_ROWS",
    "ColumnProfile",
    "build_transactions",
    "detect_mapping",
    "find_header",
    "header_signature",
    "profile_columns",
]
