"""Importing: the limits and the result shapes (preview, label groups, saved mappings, results, batches)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field

from budgetwise.errors import ValidationError
from budgetwise.importing import FileLayout, Rejection
from budgetwise.importing.words import for_page
from budgetwise.services.categorize.history import MODEL_MIN_STORE as _CATEGORIZE_STORE_FLOOR
from budgetwise.services.importing.file_currency import FileCurrency
from budgetwise.text import plural

PREVIEW_ROWS = 50
# a history/model guess under this is left uncategorized (for review) instead of being stored: the
# categorizer's own floor, so the importer stores what `categorize_rows` decides (issue #16)
MODEL_MIN_CONFIDENCE = _CATEGORIZE_STORE_FLOOR
MAX_MAPPING_NAME = 100

Progress = Callable[[float, str], None]


# =========================================================================== data types
@dataclass(frozen=True)
class PreviewRow:
    row: int
    date: dt.date
    amount_minor: int
    currency: str
    kind: str
    description: str
    account: str
    label: str
    category_id: int | None
    category_name: str | None
    category_source: str | None
    duplicate: bool
    category_confidence: float | None = None
    rule_id: int | None = None
    category_signal: str | None = None  # what a rule-like answer without a rule came from (stored with the row)
    goes_to: str = ""  # the name of the account the row goes to (session 28: a file of several cards)

    @property
    def how(self) -> str:
        """How the row gets its category, in plain words (``categorize.how_categorized``)."""
        from budgetwise.services.categorize.explain import how_categorized

        return how_categorized(self.category_source, self.rule_id, self.category_confidence, self.category_name,
                               signal=self.category_signal, kind=self.kind)


@dataclass(frozen=True)
class LabelMapping:
    """One of the file's own category labels, how often it occurs, and where it goes."""

    label: str
    count: int
    suggested_id: int | None
    category_id: int | None
    group: str = ""  # the spelling that stands for this label's group ("Food" for "FOOD", "Fod", "Foods")
    # a credit's category when it differs by direction and the suggestion is used ("Investment": a credit is
    # Investment Income, a debit Transfers); None: category_id in both directions (since session 13)
    credit_id: int | None = None


@dataclass(frozen=True)
class LabelGroup:
    """Spellings of one label (``Food``, ``FOOD``, ``Fod``...) mapped together on the page."""

    label: str  # the representative spelling
    spellings: tuple[str, ...]  # every spelling in the file, the representative first
    count: int  # rows of all spellings
    category_id: int | None  # the representative's category (the members follow it)


def label_groups(labels: tuple[LabelMapping, ...]) -> tuple[LabelGroup, ...]:
    """The file's labels grouped by spelling, most rows first (one row per group on the page)."""
    groups: dict[str, list[LabelMapping]] = {}
    for m in labels:
        groups.setdefault(m.group or m.label, []).append(m)
    out = []
    for rep, members in groups.items():
        head = next((m for m in members if m.label == rep), members[0])
        spellings = (head.label, *[m.label for m in members if m is not head])
        out.append(LabelGroup(label=rep, spellings=spellings, count=sum(m.count for m in members),
                              category_id=head.category_id))
    return tuple(sorted(out, key=lambda g: (-g.count, g.label)))


def group_choices(groups: tuple[LabelGroup, ...], chosen: dict[str, int | None]) -> tuple[tuple[str, int | None], ...]:
    """A category chosen per group (by representative) as a choice for every spelling (``category_map``)."""
    return tuple((spelling, chosen.get(g.label, g.category_id)) for g in groups for spelling in g.spellings)


@dataclass(frozen=True)
class MappingView:
    id: int
    name: str
    header_signature: str
    columns: dict
    date_order: str | None
    decimal: str | None
    sign: str
    updated_at: dt.datetime
    account_id: int | None = None  # the account this layout's rows go to (issue #19)


@dataclass(frozen=True)
class ImportPreview(FileLayout):
    """What importing a file would do: how it was read (the FileLayout fields, as parsed), and
    its rows as they would be stored."""

    filename: str
    file_sha256: str
    size_bytes: int
    saved_mapping: MappingView | None
    rows_read: int
    rows_valid: int
    rows_duplicate: int
    rows_new: int
    rejections: tuple[Rejection, ...]
    rows: tuple[PreviewRow, ...]  # the first rows as they will be stored
    raw_sample: tuple[tuple[str, ...], ...]
    currencies: tuple[tuple[str, int], ...]
    date_min: dt.date | None
    date_max: dt.date | None
    labels: tuple[LabelMapping, ...]
    previous_import: tuple[int, dt.datetime] | None  # (batch id, when) if this exact file was imported before
    labels_from_app: bool = False  # the labels look like a person's own (a budgeting app's export), not a bank's
    learn_from_labels: bool = False  # what the import will do: the user's choice, else labels_from_app
    # the file's currency as its amounts' sign suggests ("£1,183.23": GBP), for the user to confirm; None when
    # the file names its currency, the user chose one, or the sign means the user's own currency
    suggested_currency: str | None = None
    suggested_from_sign: str | None = None
    # The parsed file behind this preview: commit_import(preview=...) reuses it instead of parsing again
    # (it still recomputes duplicates and category mappings inside the write transaction).
    analysis: object = field(default=None, repr=False, compare=False)
    # issue #19: the statement's own balance checked against the account (reconcile.Reconciliation), or None
    reconciliation: object = field(default=None, compare=False)
    # the account the rows go to as things stand (reconcile.import_target): its name, and whether the
    # import creates it (an OFX account id seen for the first time, or a user with no open account)
    account_name: str = ""
    account_new: bool = False
    account_id: int | None = None  # that account's id (None when the import creates it)
    # the accounts the rows go to (routing.AccountShare: name, rows, new), most rows first; more than one
    # when the file's account column names several (accounts_from_file); accounts_note: in words, e.g. that
    # an account chosen for the import wins over the file's column
    accounts: tuple = ()
    accounts_note: str = ""
    accounts_from_file: bool = False
    # rows nothing else places go to an account in their currency, not the default account (by_currency)
    accounts_by_currency: bool = False
    # a card statement (importing/card.py): the header that says so when its rows go to the user's credit-card
    # account by default; card_note: a card statement whose rows go to no credit-card account (the user has none,
    # or none in their currency), in words (the page offers one: :attr:`page_card_note`)
    card_header: str = ""
    card_note: str = ""
    # why the import would refuse the whole file as things stand ("" it would not): the same check the
    # commit runs (categorizing.learning_refusal: learning from labelled rows with no description...),
    # with the rows named; the preview then promises no rows
    refusal: str = ""
    # where the rows' currency comes from (file_currency.FileCurrency: a currency column, the statement,
    # the user's choice, an amount header, the user's currency), the currencies found, the picker's value
    file_currency: FileCurrency | None = field(default=None, compare=False)
    # a file naming neither its account nor its currency, for a user with accounts in several currencies: why its
    # account must be chosen first (:mod:`.ask`; "" when the import may place it); nothing is imported until then
    account_question: str = ""
    # a card statement's question (session 28): the id of the user's one empty credit-card account, suggested
    account_suggestion: int | None = None
    opening_line: str = ""  # the file's opening-balance row: the account's opening balance, or why it stays a row (open28)
    # of the new rows, the opening-balance rows that become their accounts' opening balances (stored as no
    # transaction); of the duplicates, those that already are (skipped even with the duplicates included) (imp29)
    opening_balances: int = 0
    opening_already: int = 0

    @property
    def can_commit(self) -> bool:
        if self.refusal or self.account_question:
            return False
        return self.mapping.complete if self.file_format != "ofx" else True

    @property
    def page_accounts_note(self) -> str:
        """:attr:`accounts_note` as the Import page shows it: its Account box, not ``--account``
        (:func:`.words.for_page`; the command line prints :attr:`accounts_note` as it is)."""
        return for_page(self.accounts_note)

    @property
    def page_card_note(self) -> str:
        """:attr:`card_note` in the Import page's words ("New account…" above, not the command line's)."""
        return for_page(self.card_note)

    @property
    def rows_to_import(self) -> int:
        """The transactions the import stores: the new rows but those that become opening balances (imp29)."""
        return 0 if self.refusal else self.rows_new - self.opening_balances

    @property
    def rows_storable(self) -> int:
        """The transactions the import stores with the duplicates included: every readable row but the opening rows
        that are (or become) their accounts' opening balances (:meth:`ImportOptions.rows_to_commit`'s ``rows_valid``)."""
        return 0 if self.refusal else self.rows_valid - self.opening_already - self.opening_balances

    @property
    def duplicates_storable(self) -> int:
        """The duplicates "import the duplicates anyway" would store: not the opening rows that already are their
        accounts' opening balances (the import skips them whatever is ticked)."""
        return self.rows_duplicate - self.opening_already

    @property
    def balances_to_set(self) -> int:
        """How many opening balances the import sets (:attr:`opening_balances`; 0 when it would refuse the file)."""
        return 0 if self.refusal else self.opening_balances


def import_words(transactions: int, balances: int = 0, *, done: bool = False, locale: str = "en_US") -> str:
    """What an import does, for its button (``done`` False: "Import 2,275 transactions and set 11 opening
    balances"), its summary and the command line (``done``: "Imported …"); a file of opening rows only: "Set 1
    opening balance". The one wording of both counts (imp29: the button counted the opening rows as transactions)."""
    rows = f"{'Imported' if done else 'Import'} {plural(transactions, 'transaction', locale=locale)}"
    if not balances:
        return rows
    sets = plural(balances, "opening balance", locale=locale)
    return f"{rows} and set {sets}" if transactions else f"Set {sets}"


def nothing_new_message(rows_duplicate: int, *, committed: bool = True, stored_by: tuple[tuple[int, str], ...] = (),
                        meanwhile: bool = False, locale: str = "en_US") -> str:
    """What the page and the command line say when a file holds no row that is not already stored
    (``committed``: after the import was asked for, else in the preview). ``stored_by``: the imports (id, file
    name) that hold the file's rows (:attr:`ImportResult.stored_by`); ``meanwhile``: the preview the user
    confirmed still showed new rows, so another import (another tab or window) stored them in between
    (session 15: the second of two imports at once said only "Nothing new in this file"). ``locale``: the reader's,
    for the count (session 25: "7,573 rows" under a nl_NL user's "7.573 duplicates")."""
    rows = plural(rows_duplicate, 'row', locale=locale)
    by = ", ".join(f"import #{i} ({name})" for i, name in stored_by[:3]) + (" and others" if len(stored_by) > 3 else "")
    if committed and meanwhile:
        return (f"Nothing was imported a second time: {by or 'another import'}, made in another tab or window "
                f"after this preview was read, already stored this file's {rows}. No import was recorded for this "
                f"press; undo {'that import' if len(stored_by) == 1 else 'the other one'} under History if it was not meant.")
    already = f" ({rows} already imported" + (f", by {by}" if by else "") + ")" if rows_duplicate else ""
    return f"Nothing new in this file{already}" + (": nothing was imported and no import was recorded." if committed else ".")


@dataclass(frozen=True)
class ImportResult:
    """What a commit did. ``batch_id`` is None when there was nothing new to import: no
    ImportBatch is recorded then (there would be nothing to undo)."""

    batch_id: int | None
    rows_read: int
    rows_imported: int
    rows_duplicate: int
    rows_rejected: int
    rejections: tuple[Rejection, ...]
    stored_by: tuple[tuple[int, str], ...] = ()  # nothing new: the imports (id, file name) that hold the file's rows
    meanwhile: bool = False  # nothing new, though the preview confirmed had new rows: stored in between
    opening: str = ""  # the file's opening-balance row: the account's opening balance now, or why not (open28)
    opening_set: int = 0  # how many opening balances the import set from the file's opening rows (imp29)

    @property
    def message(self) -> str:
        """The sentence for a result with nothing new (:func:`nothing_new_message`)."""
        return self.message_in("en_US")

    def message_in(self, locale: str) -> str:
        """:attr:`message` with its count written as ``locale`` writes numbers (the page: the user's)."""
        return nothing_new_message(self.rows_duplicate, stored_by=self.stored_by, meanwhile=self.meanwhile,
                                   locale=locale)

    @property
    def nothing_new(self) -> bool:
        return self.batch_id is None


@dataclass(frozen=True)
class ImportBatchView:
    id: int
    filename: str
    file_format: str
    account: str | None
    created_at: dt.datetime
    rows_read: int
    rows_imported: int
    rows_duplicate: int
    rows_rejected: int
    status: str
    undone_at: dt.datetime | None
    rows_remaining: int
    # the accounts its rows still there are in, most rows first (:func:`.history.list_import_batches`; session 26:
    # Import History had no account column); empty when none remain or the view came from elsewhere
    accounts: tuple[str, ...] = ()
    balances: int = 0  # the accounts whose balance it set or confirmed (its undo puts them back: balance_undo)

    @property
    def accounts_text(self) -> str:
        """The batch's accounts for a table cell: the accounts its rows are in, else the account it named, else "—"."""
        return ", ".join(self.accounts) or self.account or "—"

    @property
    def can_undo(self) -> bool:
        """Committed, not undone yet, and some of its rows are still there to remove or a balance it set to put back
        (imp29: a file holding only an opening row stores no row but sets its account's opening balance)."""
        return self.status == "committed" and self.undone_at is None and (self.rows_remaining > 0 or self.balances > 0)


class ImportAlreadyUndone(ValidationError):
    """The batch was undone before (e.g. a repeated click on its undo button): nothing more is removed."""


@dataclass(frozen=True)
class UndoResult:
    """What an undo did: the rows it deleted, the accounts the import created that it removed (empty, nothing
    referring to them), and those it kept with the reason (:func:`.history.undo_import`)."""

    rows: int
    removed_accounts: tuple[str, ...] = ()
    kept_accounts: tuple[tuple[str, str], ...] = ()  # (name, why it stays)
    # (account name, what the undo did to its balance in words): the balance the import confirmed or set, put back; one
    # confirmed since that counted the rows, no longer marked (balance_undo.restore)
    balance: tuple[tuple[str, str], ...] = ()

    @property
    def accounts_text(self) -> str:
        """The accounts in words ("" when the import created none): "Removed the empty account it created:
        “Visa”. Kept “Checking …6877”, which it created: a goal follows it." """
        from budgetwise.text import and_list

        parts = []
        if self.removed_accounts:
            one = len(self.removed_accounts) == 1
            parts.append(f"Removed the empty {'account' if one else 'accounts'} it created: "
                         f"{and_list([f'“{n}”' for n in self.removed_accounts])}.")
        parts.extend(f"Kept “{name}”, which it created: {why}." for name, why in self.kept_accounts)
        parts.extend(text for name, text in self.balance if name not in self.removed_accounts)
        return " ".join(parts)
