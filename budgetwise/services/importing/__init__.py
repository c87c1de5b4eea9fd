"""Importing bank files: preview, duplicate detection, one-transaction commit, history, undo,
and saved column mappings.

Parsing lives in :mod:`budgetwise.importing` (no database). This module adds what
needs the user's data:

* duplicates: a row whose fingerprint (date, amount, direction, currency,
  normalized description; :func:`budgetwise.text.fingerprint`) is already among the
  user's transactions is skipped by default. Counting, not set membership: a file
  with k identical rows where the database holds m of them imports k - m, so two
  real coffees on one day both arrive and re-importing a file changes nothing;
* categories: the rules/learned habits/model of :mod:`budgetwise.services.categorize`,
  or the file's own category labels mapped to BudgetWise categories;
* the commit: every accepted row in one database transaction as one ImportBatch,
  inserted in chunks with one ``executemany`` each; any failure leaves the database
  as it was. Undo deletes exactly the rows the batch added.

The package's modules: :mod:`.types`, :mod:`.duplicates`, :mod:`.categorizing`, :mod:`.mappings`, :mod:`.preview`, :mod:`.commit`, :mod:`.history`, :mod:`.reconcile` (the statement's balance against the account), :mod:`.routing` (the accounts a file's account column names), :mod:`.by_currency` (an account in the rows' currency for rows nothing else places), :mod:`.file_currency` (where the rows' currency comes from).
Every name of the former module is re-exported here."""

from __future__ import annotations

from budgetwise.importing import ColumnMapping, ImportOptions, ParsedFile, Rejection  # noqa: F401  (the former module's names)
from budgetwise.services import claim_public_functions
from budgetwise.services.importing.categorizing import (  # noqa: F401
    _APP_EXPORT_HEADERS,
    _Categories,
    _categorize,
    _category_names,
    _check_category_ids,
    _label_mappings,
    _learns,
    labels_from_app,
    labels_note,
)
from budgetwise.services.importing.commit import (  # noqa: F401
    _INSERT_COLUMNS,
    INSERT_CHUNK,
    SQLITE_IMPORT_CACHE_KIB,
    PreparedImport,
    _chronological,
    _Inserter,
    commit_import,
    prepare_import,
    rows_to_store,
)
from budgetwise.services.importing.duplicates import (  # noqa: F401
    _GC_LOCK,
    _GC_PAUSES,
    _GC_WAS_ENABLED,
    _duplicate_mask,
    _fold,
    _gc_paused,
    check_size,
    fingerprints,
    lock_user_for_import,
)
from budgetwise.services.importing.file_currency import FileCurrency  # noqa: F401
from budgetwise.services.importing.history import (  # noqa: F401
    _batch_view,
    batch_accounts,
    get_import_batch,
    list_import_batches,
    undo_import,
)
from budgetwise.services.importing.mappings import (  # noqa: F401
    _apply_saved,
    _mapping_view,
    delete_mapping,
    find_mapping,
    list_mappings,
    save_mapping,
)
from budgetwise.services.importing.preview import (  # noqa: F401
    _analyse,
    _Analysis,
    _previous_import,
    preview_import,
    suggest_currency,
    warm_up,
)
from budgetwise.services.importing.reconcile import (  # noqa: F401
    Reconciliation,
    Target,
    after_import,
    after_preview,
    for_preview,
    import_target,
    reconcile,
    set_opening_from_statement,
    statement_balance,
)
from budgetwise.services.importing.routing import AccountShare  # noqa: F401
from budgetwise.services.importing.types import (  # noqa: F401
    MAX_MAPPING_NAME,
    MODEL_MIN_CONFIDENCE,
    PREVIEW_ROWS,
    ImportAlreadyUndone,
    ImportBatchView,
    ImportPreview,
    ImportResult,
    LabelGroup,
    LabelMapping,
    MappingView,
    PreviewRow,
    Progress,
    UndoResult,
    group_choices,
    import_words,
    label_groups,
    nothing_new_message,
)

claim_public_functions(globals(), __name__)
