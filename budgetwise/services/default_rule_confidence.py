"""Calibrated confidence of the shipped default rules (generated; do not edit by hand).

Written by ``tools/calibrate_default_rules.py --write`` from the labelled data sets
br, ca, in, kaggle, ke, us, za (../shared/data/labeled/; sources and licences in MORE_SOURCES.md):
per rule group (and per brand category, "Brands: ..."), how often it was right there, shrunk towards
the prior of the rules (resp. the brands) together. Only these counts come from the data; no row is stored.
"""

from __future__ import annotations

PRIOR = 0.69  # rule groups never seen in the labelled data

GROUP_CONFIDENCE: dict[str, float] = {
    'Bank fees and charges': 0.53,
    'Benefits, pensions and winnings': 0.74,
    'Brands: Dining': 0.69,
    'Brands: Education': 0.36,
    'Brands: Groceries': 0.35,
    'Brands: Health': 0.43,
    'Brands: Personal Care': 0.35,
    'Brands: Shopping': 0.35,
    'Brands: Transport': 0.48,
    'Brands: Travel': 0.41,
    'Brands: Utilities': 0.35,
    'Cash withdrawals': 0.6,
    'Credit card payments': 0.9,
    'Deposits': 0.35,
    'Education and childcare': 0.57,
    'Energy and water': 0.92,
    'Entertainment': 0.51,
    'Fees (generic)': 0.93,
    'Food delivery': 0.81,
    'Fuel': 0.88,
    'Gifts and donations': 0.43,
    'Gym and memberships': 0.67,
    'Insurance': 0.59,
    'Interest and dividends received': 0.64,
    'Investments and brokers': 0.81,
    'Loan repayments': 0.72,
    'Parking and car': 0.89,
    'Personal care': 0.35,
    'Pharmacy and health care': 0.8,
    'Phone and internet': 0.73,
    'Public transport and taxis': 0.86,
    'Refunds and reversals': 0.79,
    'Rent and mortgage': 0.86,
    'Restaurants, cafes and bars': 0.9,
    'Salary and payroll': 0.83,
    'Shopping': 0.73,
    'Streaming and software subscriptions': 0.76,
    'Supermarkets and groceries': 0.54,
    'Taxes': 0.53,
    'Transfers (generic)': 0.35,
    'Transfers between own accounts': 0.35,
    'Travel': 0.71,
    'Brands:': 0.38,
}
