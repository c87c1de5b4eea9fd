"""What the bank's own type of a transaction says about its category (issue #16; pure: no database).

A bank names some transactions in a field of its own (``transactions.bank_type``: OFX ``<TRNTYPE>``,
a CSV's "Type" column; ``importing/banktype.py`` keeps the text). Most codes say how money moved, not
what it was for (a direct debit, a standing order, a card payment, a transfer: anything), and are
ignored. A few are unambiguous and generic, whatever the bank:

* a cash withdrawal (OFX ATM / CASH, UK CPT "cashpoint") -> the default rules' "Cash withdrawals" category;
* a bank fee or service charge (FEE, SRVCHG), and interest *paid* on an expense row (INT: OFX says
  the sign decides) -> the "Bank fees and charges" category;
* interest or dividends received (INT, DIV on an income row) -> "Interest and dividends received".

The categories are those of the default-rule groups that say the same thing in words, so a code
and a description agree on where the row goes (one owner: ``services/default_rules.py``).

The engine (``engine._apply_bank_types``) asks this after the user's rules, the history, the
default rules and brands, and before the batch's structure: an answer from the bank's type takes
the place of no answer, a fallback guess, a brand's or a default rule's answer less sure than
:data:`BANK_TYPE_CONFIDENCE`, or an unsure history answer; never a user's rule, a learned rule, a
sure history answer or a category set by hand. No labelled data set has such a column to
calibrate the confidence on: it is a fixed value just above the review threshold (such codes are
what the bank itself recorded).
"""

from __future__ import annotations

import re

from budgetwise.services.default_rules import group_category

BANK_TYPE_CONFIDENCE = 0.85

_CASH = "Cash withdrawals"
_FEES = "Bank fees and charges"
_INCOME = "Interest and dividends received"
# (code with only its letters and digits, upper-case; the row's kind) -> the default-rule group it means
_CODES: dict[tuple[str, str], str] = {
    **{(code, "expense"): _CASH for code in ("ATM", "CASH", "CPT", "ATMWITHDRAWAL", "CASHWITHDRAWAL")},
    **{(code, "expense"): _FEES for code in ("FEE", "FEES", "SRVCHG", "SERVICECHARGE", "BANKFEE", "INT", "INTEREST")},
    **{(code, "income"): _INCOME for code in ("INT", "INTEREST", "DIV", "DIVIDEND", "DIVIDENDS")},
}
_CATEGORY = {key: group_category(group) for key, group in _CODES.items()}
_NOT_CODE = re.compile(r"[^A-Z0-9]")


def code_key(bank_type: str | None) -> str:
    """The comparable form of a bank type: letters and digits, upper-case ("Srv Chg" -> "SRVCHG")."""
    return _NOT_CODE.sub("", (bank_type or "").upper())


def bank_type_category(bank_type: str | None, kind: str) -> str | None:
    """The default category a bank type means for a row of ``kind``, or None (most codes mean nothing)."""
    if not bank_type:
        return None
    return _CATEGORY.get((code_key(bank_type), kind))
