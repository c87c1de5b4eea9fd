"""Calibrated confidence of the shipped default rules (generated; do not edit by hand).

Written by ``tools/calibrate_default_rules.py --write`` from the labelled data sets
br, ca, in, kaggle, ke, us, za (../shared/data/labeled/; sources and licences in MORE_SOURCES.md):
per rule group (and per brand category, "Brands: ..."), how often it was right there, shrunk towards
the prior of the rules (resp. the brands) together. Only these counts come from the data; no row is stored.
"""

from __future__ import annotations

PRIOR = 0.69  # rule groups never seen in the labelled data

GROUP_CONFIDENCE: dict[str, float] = {
    'Bank fees and charges': 0.68,
    'Benefits, pensions and winnings': 0.75,
    'Brands: Dining': 0.65,
    'Brands: Education': 0.41,
    'Brands: Groceries': 0.35,
    'Brands: Health': 0.54,
    'Brands: Personal Care': 0.38,
    'Brands: Shopping': 0.49,
    'Brands: Transfers': 0.58,
    'Brands: Transport': 0.48,
    'Brands: Travel': 0.52,
    'Brands: Utilities': 0.36,
    'Car rental': 0.73,
    'Cash withdrawals': 0.59,
    'Credit card payments': 0.7,
    'Education and childcare': 0.52,
    'Energy and water': 0.76,
    'Entertainment': 0.59,
    'Fees (generic)': 0.83,
    'Food delivery': 0.79,
    'Fuel': 0.79,
    'Gifts and donations': 0.58,
    'Gym and memberships': 0.65,
    'Insurance': 0.67,
    'Interest and dividends received': 0.53,
    'Investments and brokers': 0.79,
    'Loan repayments': 0.74,
    'Money received from people': 0.6,
    'Parking and car': 0.74,
    'Personal care': 0.59,
    'Pharmacy and health care': 0.63,
    'Phone and internet': 0.78,
    'Public transport and taxis': 0.74,
    'Refunds and reversals': 0.79,
    'Rent and mortgage': 0.8,
    'Restaurants, cafes and bars': 0.86,
    'Salary and payroll': 0.7,
    'Shopping': 0.7,
    'Streaming and software subscriptions': 0.77,
    'Structure: odd-amount credit': 0.79,
    'Structure: refund': 0.79,
    'Structure: small purchase': 0.38,
    'Supermarkets and groceries': 0.61,
    'Taxes': 0.64,
    'Transfers (generic)': 0.53,
    'Transfers between own accounts': 0.67,
    'Travel': 0.61,
    'Brands:': 0.46,
    'Structure:': 0.48,
}
