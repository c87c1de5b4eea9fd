"""The import sentences that name a command-line option, in each audience's words (session 22, words22).

The command line prints a preview's notes, warnings and a refusal as the importer and the services write them: those
name ``--mapping`` and ``--account`` (its output is a public interface; the words stay). The Import page shows the
same text through :func:`for_page`, which puts the page's controls in their place. A sentence that names an option is
written here once, in both words; one that depends on the file (a repeated header's "--mapping" with its column
numbers: :attr:`budgetwise.importing.model.RepeatedHeader.hint`) is given to :func:`for_page` with the text.
The one mechanism of the page's words (session 23: ``FileLayout.page_warnings`` had a second one); in the importing
package, below the services, so the file layout reads it too.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Hint:
    """One sentence: ``cli`` as the services write it (and the command line prints it), ``page`` on the Import page."""

    cli: str
    page: str


CHOOSE_COLUMNS = Hint(
    cli="Choose the columns (in the app) or pass --mapping (command line).",
    page="Choose them in “Columns and format” above, then press Apply.",
)
CHOOSE_ACCOUNT = Hint(
    cli="To put them elsewhere, choose an account for the file (the Account box; --account on the command line).",
    page="To put them elsewhere, choose an account for the file in the “Account” box.",
)
NEW_CARD_ACCOUNT = Hint(
    cli="To keep them apart from your bank account, add a credit-card account in their currency (the Accounts page; "
        "budgetwise accounts add --kind credit_card --currency on the command line) and choose it for the file.",
    page="To keep them apart from your bank account, choose “New account…” above, with the type Credit card and "
         "their currency.",
)
NEW_ACCOUNT_KINDS = Hint(
    cli="The type of a new account is guessed from its name; choose another with --account-kind NAME=KIND, or "
        "change it on the Accounts page after the import.",
    page="The type of a new account is guessed from its name; choose another under “Types of the new accounts” "
         "before importing, or change it on the Accounts page after.",
)
HINTS = (CHOOSE_COLUMNS, CHOOSE_ACCOUNT, NEW_CARD_ACCOUNT, NEW_ACCOUNT_KINDS)


def for_page(text: str, *extra: Hint) -> str:
    """``text`` (the importer's or a service's words, as the command line prints them) in the Import page's words;
    ``extra``: the sentences of this file's own (:attr:`budgetwise.importing.model.RepeatedHeader.hint`)."""
    for hint in (*HINTS, *extra):
        text = text.replace(hint.cli, hint.page)
    return text
