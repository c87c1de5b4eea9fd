"""The closed vocabularies of BudgetWise as types (issue #15): one place that names them.

Each ``Literal`` type is what a signature should say instead of a bare ``str``; the tuple beside
it (from ``get_args``) is what validators and select boxes iterate. The values are the strings
stored in the database and accepted on the CLI, so nothing changes on disk or on the wire.
"""

from __future__ import annotations

from typing import Literal, TypeGuard, get_args

TransactionKind = Literal["income", "expense"]
"""A transaction's direction (a transfer is a category kind, not a transaction kind)."""
TRANSACTION_KINDS: tuple[TransactionKind, ...] = get_args(TransactionKind)

CategoryKind = Literal["income", "expense", "transfer"]
"""What a category holds; "transfer" categories never count as spending or income."""
CATEGORY_KINDS: tuple[CategoryKind, ...] = get_args(CategoryKind)

MatchType = Literal["contains", "starts_with", "exact", "regex"]
"""How a categorization rule's pattern is compared with a description."""
MATCH_TYPES: tuple[MatchType, ...] = get_args(MatchType)

Frequency = Literal["day", "week", "month", "year"]
"""A period length (see :mod:`budgetwise.periods`, which owns the arithmetic)."""
FREQUENCIES: tuple[Frequency, ...] = get_args(Frequency)

AccountKind = Literal["checking", "savings", "credit_card", "cash", "loan", "investment"]
"""An account's type (issue #19); the database's check constraint lists the same values."""
ACCOUNT_KINDS: tuple[AccountKind, ...] = get_args(AccountKind)

SPENDING_ACCOUNT_KINDS: frozenset[AccountKind] = frozenset({"checking", "credit_card", "cash"})
"""The accounts people spend from: what the cash-flow answers ("safe to spend until payday", the chance
of going below the threshold, the lowest balance) count by default (session 16, spendacct); savings,
loans and investments are counted only when the user asks for all accounts."""

CashflowScope = Literal["spending", "all"]
"""Which accounts a cash-flow projection counts: the spending accounts (the default) or all of them
(net worth); :mod:`budgetwise.services.cashflow_scope` resolves it to accounts."""
CASHFLOW_SCOPES: tuple[CashflowScope, ...] = get_args(CashflowScope)

ForecastFrequency = Literal["month", "week"]
"""The period lengths a forecast is made in (a subset of :data:`Frequency`)."""
FORECAST_FREQUENCIES: tuple[ForecastFrequency, ...] = get_args(ForecastFrequency)


def is_transaction_kind(value: object) -> TypeGuard[TransactionKind]:
    return value in TRANSACTION_KINDS


def is_category_kind(value: object) -> TypeGuard[CategoryKind]:
    return value in CATEGORY_KINDS


def is_match_type(value: object) -> TypeGuard[MatchType]:
    return value in MATCH_TYPES


def is_frequency(value: object) -> TypeGuard[Frequency]:
    return value in FREQUENCIES


def is_account_kind(value: object) -> TypeGuard[AccountKind]:
    return value in ACCOUNT_KINDS


def is_cashflow_scope(value: object) -> TypeGuard[CashflowScope]:
    return value in CASHFLOW_SCOPES


def is_forecast_frequency(value: object) -> TypeGuard[ForecastFrequency]:
    return value in FORECAST_FREQUENCIES
