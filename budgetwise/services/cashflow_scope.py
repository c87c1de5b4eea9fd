"""Which accounts the cash-flow answers count (issue #19; session 16, spendacct).

"What can I still spend?" is asked about the money one spends from: the accounts whose kind is in
:data:`budgetwise.kinds.SPENDING_ACCOUNT_KINDS` (checking, credit card, cash). Counting a savings
account too made the demo's "safe to spend" $929 a day. So the answers ("safe to spend until payday",
the chance of going below the threshold before the next income, the lowest projected balance) count
the spending accounts by default; "all" counts every account (the net-worth projection, what the CLI
writes by default).

* Archived accounts follow their kind (their history still says how the user spends), but the words
  name only open accounts.
* When the spending accounts are every account the user has, the projection is the all-accounts one
  (``account_ids`` None): the same numbers as before this choice existed.
* With no open spending account, or none with a balance or a transaction, all accounts are counted
  (``fallback`` says why): a user with only a savings account still gets an answer.

:func:`resolve` is pure: it reads the :class:`budgetwise.services.accounts.Balances` the projection
starts from.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from budgetwise.errors import ValidationError
from budgetwise.kinds import CASHFLOW_SCOPES, SPENDING_ACCOUNT_KINDS, CashflowScope, is_cashflow_scope
from budgetwise.names import quoted
from budgetwise.text import and_list

if TYPE_CHECKING:
    from budgetwise.services.rates import MissingRate

SPENDING: CashflowScope = "spending"
ALL: CashflowScope = "all"
DEFAULT_SCOPE: CashflowScope = SPENDING
SCOPE_LABELS: dict[CashflowScope, str] = {SPENDING: "Spending accounts", ALL: "All accounts (net worth)"}
MAX_NAMED = 6  # more accounts than this are summed up as "and N more"


def spending_kinds_text() -> str:
    """The spending kinds in words, in the order accounts list them: "checking, credit card or cash"."""
    from budgetwise.kinds import ACCOUNT_KINDS
    from budgetwise.services.accounts import KIND_LABELS

    return names_text([KIND_LABELS[k].lower() for k in ACCOUNT_KINDS if k in SPENDING_ACCOUNT_KINDS], last="or")


def names_text(names, *, last: str = "and") -> str:
    """"A", "A and B", "A, B and C"; beyond :data:`MAX_NAMED`, "A, …, F and 3 more"."""
    names = list(names)
    if len(names) > MAX_NAMED:
        names = [*names[:MAX_NAMED - 1], f"{len(names) - MAX_NAMED + 1} more"]
    return and_list(names, last=last)


@dataclass(frozen=True)
class AccountScope:
    choice: CashflowScope  # what was asked
    account_ids: tuple[int, ...] | None  # the accounts counted; None: every account (net worth)
    counted: tuple[str, ...]  # the open accounts counted, by name
    left_out: tuple[str, ...] = ()  # the open accounts not counted, by name
    fallback: str | None = None  # why the spending accounts alone could not answer: all are counted instead

    @property
    def spending_only(self) -> bool:
        """Whether some account is left out (the answers are about the spending accounts alone)."""
        return self.account_ids is not None

    @property
    def words(self) -> str:
        """Which accounts the answers cover, in words: "Spending accounts: Checking and Visa; Savings is not
        counted." (plain text: a page escapes it for Markdown)."""
        if self.left_out:
            verb = "is" if len(self.left_out) == 1 else "are"
            return f"Spending accounts: {names_text(self.counted)}; {names_text(self.left_out)} {verb} not counted."
        if self.fallback:
            return f"All accounts{': ' + names_text(self.counted) if self.counted else ''}. {self.fallback}"
        if not self.counted:
            return "All your accounts."
        if self.choice == SPENDING:
            return f"Spending accounts: {names_text(self.counted)} (all your accounts)."
        return f"All accounts: {names_text(self.counted)}."


def parse_scope(value: object) -> CashflowScope:
    """A scope as given (the page's choice, the CLI's option), refused with the choices when unknown."""
    if not is_cashflow_scope(value):
        raise ValidationError(f"{quoted(value)} is not a choice of accounts; choose one of: {', '.join(CASHFLOW_SCOPES)}.",
                              field="accounts")
    return value


def resolve(balances, choice: object = DEFAULT_SCOPE) -> AccountScope:
    """The accounts ``choice`` counts among ``balances.accounts`` (pure; see the module's docstring)."""
    choice = parse_scope(choice)
    rows = balances.accounts
    everyone = tuple(b.account.name for b in rows if not b.account.is_archived)
    if choice == ALL or not rows:
        return AccountScope(choice, None, everyone)
    spending = [b for b in rows if b.account.kind in SPENDING_ACCOUNT_KINDS]
    open_spending = [b for b in spending if not b.account.is_archived]
    if not open_spending:
        return AccountScope(choice, None, everyone, fallback=(
            f"You have no {spending_kinds_text()} account, so all your accounts are counted."))
    if not any(b.transactions or b.balance_minor for b in spending):
        return AccountScope(choice, None, everyone, fallback=(
            f"{names_text(b.account.name for b in open_spending)} "
            f"{'has' if len(open_spending) == 1 else 'have'} no balance or transactions yet, so all your accounts "
            "are counted."))
    if len(spending) == len(rows):
        return AccountScope(choice, None, everyone)
    ids = tuple(b.account.id for b in spending)
    return AccountScope(choice, ids, tuple(b.account.name for b in open_spending),
                        tuple(b.account.name for b in rows if not b.account.is_archived and b.account.id not in ids))


def start_balance(balances, scope: AccountScope, locale: str, date_format: str) -> tuple[int, list[str]]:
    """The counted accounts' balance today in the base currency and the notes on missing rates (an
    account without a rate is left out of the sum and named, never converted at 1.0)."""
    if scope.account_ids is None:
        return balances.total_minor, [m.describe(locale, date_format) for m in balances.missing_rates]
    counted = [b for b in balances.accounts if b.account.id in scope.account_ids]
    notes = [m.describe(locale, date_format) for m in balances.missing_rates] \
        if any(b.base_minor is None for b in counted) else []
    return sum(b.base_minor for b in counted if b.base_minor is not None), notes


def no_rate_text(currency: str, missing: Sequence[MissingRate], locale: str, date_format: str) -> str:
    """Why nothing can be projected: the balances are in a currency with no rate to ``currency``. It says to
    add the rates or make that currency the user's ("set your currency back", session 16, puzzled a member who
    never changed hers: her file was in EUR, her currency the default USD; session 19)."""
    named = " ".join(m.describe(locale, date_format) for m in missing[:3])
    others = sorted({m.currency for m in missing})
    switch = f"make {others[0]} your currency" if len(others) == 1 else "change your currency"
    return (f"Nothing can be projected in {currency} yet: {named} Add the exchange rates under Profile → "
            f"Exchange rates (or {switch} under Profile → Preferences) to see where your balance is heading.")
