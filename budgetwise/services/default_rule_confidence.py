"""Calibrated confidence of the shipped default rules (generated; do not edit by hand).

Written by ``tools/calibrate_default_rules.py --write`` from the labelled data sets
br, ca, in, kaggle, ke, us, za (../shared/data/labeled/; sources and licences in MORE_SOURCES.md):
per rule group (and per brand category, "Brands: ..."), how often it was right there, shrunk towards
the prior of the rules (resp. the brands) together. Only these counts come from the data; no row is stored.
"""

from __future__ import annotations

PRIOR = 0.72  # rule groups never seen in the labelled data

GROUP_CONFIDENCE: dict[str, float] = {
    'Bank fees and charges': 0.61,
    'Benefits, pensions and winnings': 0.77,
    'Brands: Dining': 0.69,
    'Brands: Education': 0.36,
    'Brands: Groceries': 0.35,
    'Brands: Health': 0.44,
    'Brands: Personal Care': 0.35,
    'Brands: Shopping': 0.35,
    'Brands: Transfers': 0.79,
    'Brands: Transport': 0.49,
    'Brands: Travel': 0.41,
    'Brands: Utilities': 0.35,
    'Car rental': 0.73,
    'Cash withdrawals': 0.62,
    'Credit card payments': 0.91,
    'Education and childcare': 0.6,
    'Energy and water': 0.92,
    'Entertainment': 0.52,
    'Fees (generic)': 0.94,
    'Food delivery': 0.83,
    'Fuel': 0.89,
    'Gifts and donations': 0.44,
    'Gym and memberships': 0.7,
    'Insurance': 0.6,
    'Interest and dividends received': 0.66,
    'Investments and brokers': 0.82,
    'Loan repayments': 0.74,
    'Parking and car': 0.89,
    'Personal care': 0.47,
    'Pharmacy and health care': 0.8,
    'Phone and internet': 0.76,
    'Public transport and taxis': 0.87,
    'Refunds and reversals': 0.81,
    'Rent and mortgage': 0.89,
    'Restaurants, cafes and bars': 0.92,
    'Salary and payroll': 0.84,
    'Shopping': 0.74,
    'Streaming and software subscriptions': 0.76,
    'Structure: odd-amount credit': 0.79,
    'Structure: recurring fixed expense': 0.71,
    'Structure: refund': 0.62,
    'Structure: small purchase': 0.37,
    'Supermarkets and groceries': 0.54,
    'Taxes': 0.55,
    'Transfers (generic)': 0.35,
    'Transfers between own accounts': 0.35,
    'Travel': 0.72,
    'Brands:': 0.38,
    'Structure:': 0.49,
}
