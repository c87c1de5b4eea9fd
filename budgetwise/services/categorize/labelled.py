"""Checking a labelled file before anything is learned from it (pure: no Session).

One validator for every way a user's own labels come in: ``budgetwise categorize
--learn-from LABELED.csv`` and the app's import with "learn from the file's categories"
(``ImportOptions.learn_from_labels``). A file is refused, with the rows named and nothing
stored, when

* its category column is mostly empty (fewer than MIN_LABELLED_SHARE of its rows have one);
* a row has a category but an empty description (there is nothing to learn it from);
* most of its categories are names BudgetWise does not know (no category of the user's,
  or, in the app, labels the user left unmapped).

A few unknown names are skipped: :attr:`LabelledCheck.warnings` names them and their rows.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from budgetwise.errors import ImportFileError
from budgetwise.names import quoted
from budgetwise.text import plural_word

MIN_LABELLED_SHARE = 0.5  # a learning file whose category column is mostly empty is refused


@dataclass(frozen=True)
class LabelledRow:
    """One data row of a labelled file, as the validator sees it."""

    line: int  # the row's number as the user sees it (the file's line or record number)
    description: str | None  # None: the row could not be read (not checked further)
    label: str  # the file's own category ("" none)
    category_id: int | None  # the category the label names (None: unknown / unmapped)


@dataclass(frozen=True)
class LabelledCheck:
    """What may be learned from a file that passed: the usable rows, and the skipped names."""

    usable: tuple[int, ...]  # indexes (into the rows given) of rows to learn from
    unknown: tuple[tuple[str, tuple[int, ...]], ...]  # (label, its lines) skipped

    @property
    def warnings(self) -> tuple[str, ...]:
        return tuple(f"{quoted(name)} ({rows_text(list(lines), 5)})" for name, lines in self.unknown)


def rows_text(lines: Sequence[int], limit: int = 8) -> str:
    """ "row 3", "rows 3, 4 and 7 more"."""
    shown = ", ".join(str(n) for n in lines[:limit])
    more = f" and {len(lines) - limit} more" if len(lines) > limit else ""
    return f"{plural_word(len(lines), 'row')} {shown}{more}"


def check_labelled_rows(rows: Sequence[LabelledRow], *, source: str, what: str = "learned",
                        fix_names: str = "Rename them to your categories (Categorize → My categories lists "
                                         "them) or create them first") -> LabelledCheck:
    """Refuse a labelled file (ImportFileError naming the rows) or say what to learn from it.

    ``source`` starts every message (a path or a file name); ``what``: "learned" (the CLI) or
    "imported" (the app, where a refused file stores nothing); ``fix_names``: how to fix
    unknown names where the user reads the message.
    """
    no_label: list[int] = []
    no_description: list[int] = []
    unknown: dict[str, list[int]] = {}
    usable: list[int] = []
    for i, r in enumerate(rows):
        label = (r.label or "").strip()
        if not label:
            no_label.append(r.line)
            continue
        if r.description is None:
            continue
        if not r.description.strip():
            no_description.append(r.line)
            continue
        if r.category_id is None:
            unknown.setdefault(label, []).append(r.line)
            continue
        usable.append(i)
    total = len(rows)
    labelled = total - len(no_label)
    if total and labelled < MIN_LABELLED_SHARE * total:
        raise ImportFileError(
            f"{source}: only {labelled} of {total} rows have a category ({rows_text(no_label)} "
            f"{'have' if len(no_label) > 1 else 'has'} none); "
            f"a learning file needs a BudgetWise category on most rows. Nothing was {what}."
        )
    if no_description:
        raise ImportFileError(
            f"{source}: {rows_text(no_description)} {'have' if len(no_description) > 1 else 'has'} a category but an "
            "empty description, so there is nothing "
            f"to learn the category from. Fill in or remove those rows; nothing was {what}."
        )
    n_unknown = sum(len(v) for v in unknown.values())
    if unknown and n_unknown > MIN_LABELLED_SHARE * max(1, len(usable) + n_unknown):
        listed = "; ".join(f"{quoted(name)} ({rows_text(lines, 5)})" for name, lines in sorted(unknown.items())[:6])
        raise ImportFileError(
            f"{source}: most categories are not BudgetWise category names: {listed}. {fix_names}; "
            f"nothing was {what}."
        )
    return LabelledCheck(tuple(usable), tuple((k, tuple(v)) for k, v in sorted(unknown.items())))
