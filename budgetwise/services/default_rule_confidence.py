"""Calibrated confidence of the shipped default rules (generated; do not edit by hand).

Written by ``tools/calibrate_default_rules.py --write`` from the labelled data sets
br, ca, in, kaggle, ke, us, za (../shared/data/labeled/; sources and licences in MORE_SOURCES.md):
per rule group (and per brand category, "Brands: ..."), how often it was right there, shrunk towards
the prior of the rules (resp. the brands) together. Only these counts come from the data; no row is stored.
"""

from __future__ import annotations

PRIOR = 0.68  # rule groups never seen in the labelled data

GROUP_CONFIDENCE: dict[str, float] = {
    'Bank fees and charges': 0.67,
    'Benefits, pensions and winnings': 0.74,
    'Brands: Dining': 0.66,
    'Brands: Education': 0.41,
    'Brands: Groceries': 0.35,
    'Brands: Health': 0.54,
    'Brands: Personal Care': 0.38,
    'Brands: Shopping': 0.49,
    'Brands: Transfers': 0.59,
    'Brands: Transport': 0.48,
    'Brands: Travel': 0.52,
    'Brands: Utilities': 0.36,
    'Car rental': 0.72,
    'Cash withdrawals': 0.59,
    'Credit card payments': 0.69,
    'Education and childcare': 0.52,
    'Energy and water': 0.75,
    'Entertainment': 0.59,
    'Fees (generic)': 0.82,
    'Food delivery': 0.79,
    'Fuel': 0.78,
    'Gifts and donations': 0.58,
    'Gym and memberships': 0.65,
    'Insurance': 0.67,
    'Interest and dividends received': 0.63,
    'Investments and brokers': 0.78,
    'Loan repayments': 0.73,
    'Parking and car': 0.74,
    'Personal care': 0.58,
    'Pharmacy and health care': 0.63,
    'Phone and internet': 0.74,
    'Public transport and taxis': 0.73,
    'Refunds and reversals': 0.78,
    'Rent and mortgage': 0.79,
    'Restaurants, cafes and bars': 0.85,
    'Salary and payroll': 0.61,
    'Shopping': 0.69,
    'Streaming and software subscriptions': 0.73,
    'Structure: odd-amount credit': 0.79,
    'Structure: recurring fixed expense': 0.71,
    'Structure: refund': 0.62,
    'Structure: small purchase': 0.37,
    'Supermarkets and groceries': 0.6,
    'Taxes': 0.55,
    'Transfers (generic)': 0.53,
    'Transfers between own accounts': 0.61,
    'Travel': 0.6,
    'Brands:': 0.46,
    'Structure:': 0.49,
}
