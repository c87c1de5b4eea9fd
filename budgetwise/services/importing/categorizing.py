"""Importing: the file's own category labels mapped to BudgetWise categories, and the categorization of new rows."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd
from sqlalchemy import select
from sqlalchemy.orm import Session

from budgetwise.errors import ImportFileError
from budgetwise.importing import ImportOptions, ParsedFile
from budgetwise.importing.banktype import row_bank_types
from budgetwise.importing.labels import described_by_label, group_labels
from budgetwise.importing.opening import opening_rows
from budgetwise.models import Category
from budgetwise.services import categories as categories_service
from budgetwise.services import categorize as categorize_service
from budgetwise.services.account_numbers import row_texts
from budgetwise.services.categorize.history import UserKnowledge
from budgetwise.services.categorize.knowledge import build_knowledge, history_rows, shared_text, user_knowledge
from budgetwise.services.categorize.model import MODEL_MAX_EXAMPLES
from budgetwise.services.importing.types import MODEL_MIN_CONFIDENCE, LabelMapping
from budgetwise.text import plural


def _label_mappings(session: Session, user_id: int, parsed: ParsedFile, options: ImportOptions) -> tuple[LabelMapping, ...]:
    if parsed.rows.empty:
        return ()
    counts = parsed.rows["label"].replace("", np.nan).dropna().value_counts()
    if counts.empty:
        return ()
    labels = [str(x) for x in counts.index]
    suggested = categorize_service.map_external_categories(session, user_id=user_id, labels=labels)
    credits = categorize_service.map_external_credit_categories(session, user_id=user_id, labels=labels)
    chosen = dict(options.category_map) if options.category_map is not None else {}
    # Spellings of one label ("Food", "FOOD", "Fod", "Foods") take the group's suggestion and choice.
    group = group_labels((label, int(counts[label])) for label in labels)
    by_group: dict[str, int | None] = {}
    for label in labels:  # most rows first: the representative's suggestion, else the most used member's
        rep = group[label]
        if by_group.get(rep) is None:
            by_group[rep] = suggested.get(rep) if suggested.get(rep) is not None else suggested.get(label)
    out = []
    for label in labels:
        rep = group[label]
        sid = by_group.get(rep)
        cid = chosen[label] if label in chosen else chosen.get(rep, sid)
        # a label that names no direction ("Investment"): its suggestion splits by direction, also when confirmed
        # as it is (the label table sends every label's category back once one is edited); another category the
        # user chose applies to both directions
        credit = credits.get(rep, credits.get(label)) if cid == sid else None
        out.append(LabelMapping(label=label, count=int(counts[label]), suggested_id=sid, category_id=cid, group=rep,
                                credit_id=credit if credit != cid else None))
    return tuple(out)


def labels_note(preview: object, locale: str = "en_US") -> str:
    """The preview's words on the file's own categories: what a label chosen or left empty does, and that a row
    without a description keeps its label as its description (:func:`.labels.described_by_label`), mapped or not."""
    text = ("Your file has its own categories. Choose the BudgetWise category for each row label; leave a label "
            "empty (catch-alls such as “general” start empty) to let your rules decide.")
    parsed = getattr(getattr(preview, "analysis", None), "parsed", None)
    kept = described_by_label(parsed.rows) if parsed is not None else None
    if kept is None or not kept.any():
        return text
    n = int(kept.sum())
    held = set(parsed.rows["label"][kept].tolist())  # type: ignore[union-attr]
    mapped = [m for m in getattr(preview, "labels", ()) if m.label in held]  # most rows first
    example = next((m.label for m in mapped if m.category_id is None), mapped[0].label if mapped else min(held))
    said = (f"{text} {plural(n, 'row', locale=locale)} {'have' if n != 1 else 'has'} no description of "
            f"{'their' if n != 1 else 'its'} own in the file (none, or the label again): each keeps its label as its "
            f"description (“{example}”), mapped or not, so nothing the file says is lost and you can categorize "
            "by it later (Categorize).")
    if getattr(preview, "learn_from_labels", False):  # imported with the category, never learned (check_learned_labels)
        said += (f" {'They are' if n != 1 else 'It is'} imported under the category {'their' if n != 1 else 'its'} "
                 f"label is given, but nothing is learned from {'them' if n != 1 else 'it'}: a label names no "
                 "merchant.")
    return said


# Headers only budgeting apps write next to their category column: Mint ("Original Description",
# "Labels"), Outbank ("Tags"), YNAB ("Category Group"). A bank's export (Monzo, Capital One, ING,
# N26) carries the bank's own generic categories instead, which are not the user's habits.
_APP_EXPORT_HEADERS = frozenset({"original description", "labels", "tags", "category group", "category group/category"})


def labels_from_app(parsed: ParsedFile) -> bool:
    """Whether the file's category labels are a person's own (exported from a budgeting app)."""
    return any(" ".join(str(c).lower().split()) in _APP_EXPORT_HEADERS for c in parsed.columns)


def _learns(parsed: ParsedFile, options: ImportOptions) -> bool:
    return options.learn_from_labels if options.learn_from_labels is not None else labels_from_app(parsed)


def check_learned_labels(rows: pd.DataFrame, label_ids: dict[str, int], filename: str) -> None:
    """Before learning from a file's own category column: the same checks as
    ``budgetwise categorize --learn-from`` (:func:`categorize.check_labelled_rows`): a mostly
    empty label column and mostly unmapped labels are refused with the rows named (``row`` is the
    file's record number); nothing is stored.

    A row whose description is only its own label (none in the file, or the label typed again: a
    budgeting app's "Netflix" filed under "Netflix") is not checked: the import stores it with its
    category and learns nothing from it (:func:`.commit` skips it, :func:`labels_note` says so).
    Refusing the file for it made a Bluecoins export of 2,286 rows, 912 of them such, import nothing
    with the page's defaults (session 24's new-user trial); a learning file of the command line,
    which only teaches, still refuses rows without a description.

    An opening-balance row (:func:`budgetwise.importing.opening.opening_rows`) is no learning example either (it
    becomes its account's opening balance, or a transfer row): its label, an app's own marker ("(New Account)"), is
    not checked (session 29, imp29: a short Bluecoins export was refused for it)."""
    if rows.empty:
        return
    rows = rows[~opening_rows(rows).to_numpy(dtype=bool)]
    kept = described_by_label(rows).tolist()  # a label kept as the description is no merchant: not learned
    checked = [
        categorize_service.LabelledRow(int(line), None if only_label else str(desc or ""), str(label or ""),
                                       label_ids.get(str(label or "")))
        for line, desc, label, only_label in zip(rows["row"].tolist(), rows["description"].tolist(),
                                                 rows["label"].tolist(), kept)
    ]
    categorize_service.check_labelled_rows(
        checked, source=filename or "the file", what="imported",
        fix_names="Map them to your categories in the preview's label table, or import without learning from the "
                  "file's categories",
    )


def learns_checked(parsed: ParsedFile, options: ImportOptions, label_ids: dict[str, int], filename: str) -> bool:
    """Whether the import learns from the file's labels (:func:`_learns`); if so, the labels
    pass :func:`check_learned_labels` first (ImportFileError otherwise)."""
    learn = _learns(parsed, options)
    if learn and parsed.mapping is not None and parsed.mapping.category is not None:
        check_learned_labels(parsed.rows, label_ids, filename)
    return learn


def label_ids(labels: Sequence[LabelMapping]) -> dict[str, int]:
    """Each mapped label's category id (the labels left unmapped are not in it)."""
    return {m.label: m.category_id for m in labels if m.category_id is not None}


def learning_refusal(parsed: ParsedFile, options: ImportOptions, labels: Sequence[LabelMapping], filename: str) -> str:
    """What the import would refuse the file for (:func:`learns_checked`'s message, naming the
    rows), or "" when it would not: the preview reports it, so it never promises rows the
    import then refuses."""
    try:
        learns_checked(parsed, options, label_ids(labels), filename)
    except ImportFileError as exc:
        return str(exc)
    return ""


def _check_category_ids(session: Session, user_id: int, ids: set[int]) -> None:
    for cid in ids:
        categories_service.get_category(session, user_id=user_id, category_id=cid)


@dataclass(frozen=True)
class _Categories:
    """Per row, in the order of the rows given: plain Python values (None where unset)."""

    category_id: list[int | None]
    category_source: list[str | None]
    category_confidence: list[float | None]
    rule_id: list[int | None]
    category_manual: list[bool]
    category_signal: list[str | None]  # a rule-like answer without a rule: its structural signal or "brand"

    @staticmethod
    def empty() -> _Categories:
        return _Categories([], [], [], [], [], [])


class _History:
    """The user's categorized history as an import's chunks see it, without writing anything.

    The import categorizes every chunk before its write transaction opens (``commit.prepare``),
    so nothing of the file is stored yet: a chunk's rows that belong to the history (a category
    from the file's own column, or one set by hand: the rows
    :func:`budgetwise.services.categorize.knowledge.history_rows` reads) are kept here as
    *pending* and merged with the stored history in the order the database would return them
    once stored (date, newest first; a file's rows after every stored row of their day, later
    rows first). So the later chunks see exactly what they saw when each chunk was stored before
    the next was categorized. The stored history is read once (twice for a file with its own
    categories); a bank file's chunks, which add nothing, share one reading."""

    def __init__(self, session: Session, user_id: int) -> None:
        self.session = session
        self.user_id = user_id
        self.stale = True
        self.shared: frozenset[str] = frozenset()  # the shared words the knowledge was built with
        self.knowledge: UserKnowledge | None = None
        self.base: list[tuple] | None = None  # the stored history (read when pending rows need merging)
        self.pending: list[tuple[int, tuple]] = []  # (order of storing, history row) of earlier chunks
        self.archived: dict[int, bool] = {}
        self.offset = 0  # rows of earlier chunks (the order of storing)

    def get(self, shared: frozenset[str] = frozenset()) -> UserKnowledge | None:
        """The history's knowledge, its keys read with ``shared`` (the chunk's :func:`knowledge.shared_text`)."""
        if self.stale or shared != self.shared:
            if not self.pending:
                self.knowledge = user_knowledge(self.session, self.user_id, shared)
            else:
                if self.base is None:
                    self.base = history_rows(self.session, self.user_id)
                rows = _merged(self.base, self.pending, MODEL_MAX_EXAMPLES)
                self.knowledge = build_knowledge(rows, shared) if rows else None
            self.stale, self.shared = False, shared
        return self.knowledge

    def _is_archived(self, ids: set[int]) -> dict[int, bool]:
        todo = [i for i in ids if i not in self.archived]
        if todo:
            found = set(self.session.scalars(select(Category.id).where(Category.id.in_(todo), Category.is_archived.is_(True))))
            self.archived.update({i: i in found for i in todo})
        return self.archived

    def stored(self, cats: _Categories, rows: pd.DataFrame) -> None:
        """After a chunk (``rows``, in the order they are stored): its rows that join the history."""
        seq = self.offset
        self.offset += len(cats.category_id)
        if not ("import" in cats.category_source or any(cats.category_manual)):
            return
        self.stale = True
        keep = [i for i, (cid, src, manual) in enumerate(zip(cats.category_id, cats.category_source, cats.category_manual))
                if cid is not None and (src == "import" or manual)]
        archived = self._is_archived({int(cats.category_id[i] or 0) for i in keep})
        desc, kind, amount = rows["description"].tolist(), rows["kind"].tolist(), rows["amount_minor"].tolist()
        day, account = rows["date"].tolist(), row_texts(rows["account"].tolist())  # as stored (session 27)
        for i in keep:
            cid = int(cats.category_id[i] or 0)
            if not archived.get(cid):
                self.pending.append((seq + i, (desc[i], kind[i], cid, int(amount[i]), day[i], account[i] or None)))


def _merged(base: list[tuple], pending: list[tuple[int, tuple]], limit: int) -> list[tuple]:
    """The stored history (newest first, as read) and the pending rows as the database would order
    them once stored: by date, newest first; on one day the pending rows first (their ids are the
    highest), the later stored first."""
    ahead = [row for _seq, row in sorted(pending, key=lambda p: (p[1][4], p[0]), reverse=True)]
    out: list[tuple] = []
    i = j = 0
    while len(out) < limit and (i < len(base) or j < len(ahead)):
        if j < len(ahead) and (i >= len(base) or ahead[j][4] >= base[i][4]):
            out.append(ahead[j])
            j += 1
        else:
            out.append(base[i])
            i += 1
    return out


def _openings(session: Session, user_id: int, rows: pd.DataFrame, values: list[tuple], todo: list[int]) -> list[int]:
    """The rows still to categorize once the file's opening-balance rows (``rows["opening"]``, set by the callers from
    :func:`budgetwise.importing.opening.opening_rows` over the whole file) have the user's first transfer category: in
    the account's balance, never income or spending, whatever the file's label maps to (session 28, trial28)."""
    if "opening" not in rows or not rows["opening"].any():
        return todo
    from budgetwise.services.transfers import _transfer_category_ids

    ids = _transfer_category_ids(session, user_id)
    if not ids:  # no transfer category: the rules decide, as for any row
        return todo
    flags = rows["opening"].tolist()
    for i, flag in enumerate(flags):
        if flag:
            values[i] = (ids[0], "import", None, None, False, None)
    return [i for i in todo if not flags[i]]


def _categorize(
    session: Session, user_id: int, rows: pd.DataFrame, labels: tuple[LabelMapping, ...], *, labels_manual: bool,
    history: _History | None = None,
) -> _Categories:
    """category_id, category_source, category_confidence, rule_id, category_manual, category_signal per row.

    Rows whose label is mapped get that category (source 'import'); they count as set by
    hand only when the user adopts the file's categories as theirs (``labels_manual``),
    otherwise the user's rules may still refine them later. Every other row goes through
    the rules. ``history``: the user's history as the import's previous chunks left it
    (otherwise it is read here).
    """
    n = len(rows)
    values: list[tuple] = [(None, None, None, None, False, None)] * n
    if n == 0:
        return _Categories.empty()
    todo = list(range(n))
    label_to_id = {m.label: m.category_id for m in labels if m.category_id is not None}
    credit_to_id = {m.label: m.credit_id for m in labels if m.category_id is not None and m.credit_id is not None}
    if label_to_id:
        _check_category_ids(session, user_id, set(label_to_id.values()) | set(credit_to_id.values()))
        by_label = (
            int(credit_to_id[x]) if kind == "income" and x in credit_to_id else int(label_to_id[x]) if x in label_to_id
            else None
            for x, kind in zip(rows["label"].tolist(), rows["kind"].tolist())
        )
        todo = []
        for i, cid in enumerate(by_label):
            if cid is None:
                todo.append(i)
            else:
                values[i] = (cid, "import", None, None, bool(labels_manual), None)
    todo = _openings(session, user_id, rows, values, todo)
    if todo:
        sub = rows.iloc[todo] if len(todo) < n else rows
        # no history at all: the same guesses as with_model=True would give, without reading it again
        descriptions = sub["description"].tolist()
        shared = shared_text(session, user_id, descriptions)  # the chunk's learning keys and the history's alike
        knowledge = history.get(shared) if history is not None else None
        guesses = categorize_service.categorize_rows(
            session, user_id=user_id, descriptions=descriptions, shared=shared,
            amounts_minor=sub["amount_minor"].tolist(), kinds=sub["kind"].tolist(),
            accounts=row_texts(sub["account"].tolist()), dates=sub["date"].tolist(),  # as stored: numbers masked
            history_over_rules=True, with_model=history is None or knowledge is not None, knowledge=knowledge,
            bank_types=row_bank_types(sub),
        )
        # guesses are shared objects (one per rule): work each one out once
        per_guess: dict[int, tuple] = {}
        for i, g in zip(todo, guesses):
            v = per_guess.get(id(g))
            if v is None:
                keep = g.category_id is not None and (
                    g.source != "model" or (g.confidence or 0) >= MODEL_MIN_CONFIDENCE
                )
                v = per_guess[id(g)] = (
                    (int(g.category_id), g.source, None if g.confidence is None else float(g.confidence),
                     None if g.rule_id is None else int(g.rule_id), False, g.signal)
                    if keep else (None, None, None, None, False, None)
                )
            values[i] = v
    return _Categories(*(list(col) for col in zip(*values)))


def _category_names(session: Session, user_id: int) -> dict[int, str]:
    return {c.id: c.name for c in categories_service.list_categories(session, user_id=user_id, include_archived=True)}
