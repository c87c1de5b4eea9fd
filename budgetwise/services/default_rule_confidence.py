"""Calibrated confidence of the shipped default rules (generated; do not edit by hand).

Written by ``tools/calibrate_default_rules.py --write`` from the labelled data sets
br, ca, in, kaggle, ke, us, za (../shared/data/labeled/; sources and licences in MORE_SOURCES.md):
per rule group (and per brand category, "Brands: ..."), how often it was right there, shrunk towards
the prior of the rules (resp. the brands) together. Only these counts come from the data; no row is stored.
"""

from __future__ import annotations

PRIOR = 0.72  # rule groups never seen in the labelled data

GROUP_CONFIDENCE: dict[str, float] = {
    'Bank fees and charges': 0.69,
    'Benefits, pensions and winnings': 0.77,
    'Bill paid to a bank or SACCO': 0.78,
    'Brands: Dining': 0.69,
    'Brands: Education': 0.49,
    'Brands: Groceries': 0.35,
    'Brands: Health': 0.61,
    'Brands: Personal Care': 0.45,
    'Brands: Shopping': 0.54,
    'Brands: Transport': 0.55,
    'Brands: Travel': 0.6,
    'Brands: Utilities': 0.43,
    'Car rental': 0.75,
    'Cash withdrawals': 0.61,
    'Charges beside a payment': 0.78,
    'Credit card payments': 0.75,
    'Education and childcare': 0.55,
    'Energy and water': 0.77,
    'Entertainment': 0.61,
    'Fees (generic)': 0.82,
    'Food delivery': 0.8,
    'Fuel': 0.8,
    'Gifts and donations': 0.61,
    'Gym and memberships': 0.68,
    'Insurance': 0.69,
    'Interest and dividends received': 0.55,
    'Investments and brokers': 0.8,
    'Loan repayments': 0.76,
    'Money received from people': 0.62,
    'Parking and car': 0.74,
    'Personal care': 0.67,
    'Pharmacy and health care': 0.67,
    'Phone and internet': 0.8,
    'Public transport and taxis': 0.75,
    'Refunds and reversals': 0.8,
    'Rent and mortgage': 0.81,
    'Restaurants, cafes and bars': 0.86,
    'Salary and payroll': 0.71,
    'Shopping': 0.71,
    'Streaming and software subscriptions': 0.77,
    'Structure: odd-amount credit': 0.79,
    'Structure: refund': 0.67,
    'Structure: small purchase': 0.4,
    'Supermarkets and groceries': 0.63,
    'Taxes': 0.65,
    'Transfers (generic)': 0.64,
    'Transfers between own accounts': 0.69,
    'Travel': 0.62,
    'Brands:': 0.55,
    'Structure:': 0.35,
}
