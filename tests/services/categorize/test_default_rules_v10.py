"""The tenth default rule set (issue #16, cold, session 17): general words of many countries. Every line is invented
from general knowledge of how banks, wallets and people write such lines (Canadian, US, Indian, UK, EU, East
African and Latin American bank text, UPI payee names); none is taken from a data set."""

from __future__ import annotations

import pytest

from tests.services.categorize.test_default_rules_cold import category

INCOME = [
    ("ACME LTD PAY", "Salary"), ("PAY ACME CANADA INC", "Salary"), ("NEFT-ACME-SAL-JAN", "Salary"),
    ("BANK GIRO CREDIT ACME LTD PAY", "Salary"), ("DFAS-CLEVELAND DES:MIL PAY", "Salary"),
    ("GST CANADA", "Other Income"), ("CANADA GST/HST CREDIT", "Other Income"), ("CCB CANADA", "Other Income"),
    ("CPP CANADA", "Other Income"), ("OAS CANADA", "Other Income"), ("EI CANADA", "Other Income"),
    ("FED GOVT PAYMENT", "Other Income"), ("CANADA RIT", "Refunds"),  # RIT: a tax refund (19th set)
    ("PROV/LOCAL GVT PAYMENT", "Other Income"),
    ("STATE OF CA EDD UI BENEFITS", "Other Income"), ("FAMILIENKASSE KINDERGELD", "Other Income"),
    ("BUNDESAGENTUR FUR ARBEIT", "Other Income"), ("CARSAT RETRAITE", "Other Income"),
    ("PRESTACION SEPE", "Other Income"), ("INPS NASPI", "Other Income"), ("ASSEGNO UNICO", "Other Income"),
    ("PM KISAN", "Other Income"), ("LPG SUBSIDY", "Other Income"), ("side income", "Other Income"),
    ("Deposit of funds at agent 12345", "Transfers"),
]
EXPENSES = [
    ("MANULIFE", "Insurance"), ("CANADA LIFE", "Insurance"), ("GREAT-WEST LIFE", "Insurance"),
    ("CO-OPERATORS", "Insurance"), ("WAWANESA", "Insurance"), ("BELAIRDIRECT", "Insurance"), ("mediclaim", "Insurance"),
    ("BELL MOBILITY", "Utilities"), ("ROGERS", "Utilities"), ("BILL PAYMENT ROGERS", "Utilities"),
    ("ATCO GAS", "Utilities"), ("HYDRO", "Utilities"), ("LONDON HYDRO", "Utilities"), ("KENYA POWER", "Utilities"),
    ("KPLC PREPAID", "Utilities"), ("SAFARICOM DATA BUNDLES", "Utilities"), ("MERALCO", "Utilities"),
    ("CLARO FATURA", "Utilities"), ("TELCEL", "Utilities"), ("GAS AGENCY", "Utilities"),
    ("CIBC VISA", "Transfers"), ("BMO MASTERCARD", "Transfers"), ("RBC VISA PAYMENT", "Transfers"),
    ("ROGERS BANK", "Transfers"), ("MBNA", "Transfers"), ("NSLSC", "Transfers"), ("SBI MOB-TPFT RAHUL", "Transfers"),
    ("THE CO-OPERATIVE BANK", "Transfers"), ("SARASWAT CO-OP BANK", "Transfers"), ("M-SHWARI DEPOSIT", "Transfers"),
    ("RECEIVER GENERAL FOR CANADA", "Taxes"), ("E-CITIZEN", "Taxes"), ("GRAM PANCHAYAT", "Taxes"),
    ("CLICKPAY", "Rent"), ("WELLS FARGO HOME MTG", "Rent"),
    ("EXAMINATION FEE", "Education"), ("SWIMMING CLASS", "Education"), ("IGNOU", "Education"),
    ("PAYPAL GIVING FUND", "Gifts & Donations"), ("BENEVITY", "Gifts & Donations"), ("ORPHANAGE", "Gifts & Donations"),
    ("GOTV", "Subscriptions"), ("STARTIMES", "Subscriptions"), ("RAPPI", "Dining"), ("AUTOPOSTO CENTRAL", "Transport"),
    ("OLA", "Transport"), ("SPORTPESA", "Entertainment"), ("DREAM11", "Entertainment"),
    ("AYURVEDIC PHARMACY", "Health"), ("PSICOLOGIA LTDA", "Health"), ("SRI LAKSHMI TEXTILES", "Shopping"),
    ("POULTRY FARM", "Groceries"),
]


@pytest.mark.parametrize(("description", "expected"), INCOME)
def test_tenth_set_income(description, expected):
    assert category(description, "income") == expected


@pytest.mark.parametrize(("description", "expected"), EXPENSES)
def test_tenth_set_expenses(description, expected):
    assert category(description) == expected


@pytest.mark.parametrize(
    ("description", "kind", "not_expected"),
    [
        ("HYDRO FLASK", "expense", "Utilities"), ("HYDROPONICS SUPPLY", "expense", "Utilities"),
        ("E-TRANSFER TO J ROGERS", "expense", "Utilities"), ("ZELLE TO JOHN ROGERS", "expense", "Utilities"),
        ("POS HDFC VISA 1234 AMAZON", "expense", "Transfers"), ("TD VISA DEBIT PURCHASE", "expense", "Transfers"),
        ("APPLE PAY", "income", "Salary"), ("AMAZON PAY", "income", "Salary"), ("SAL MARTINEZ", "income", "Salary"),
        ("UPI/412345678901/SALMAN/OKAXIS", "income", "Salary"), ("UPI/412345678901/ZAIN KHAN", "expense", "Utilities"),
        ("ZABKA 12.50 PLN", "expense", "Utilities"), ("PIX ENVIADO CLARO SANTOS", "expense", "Utilities"),
        ("BOND DEPOSIT LETTING AGENT", "expense", "Transfers"), ("TRAVEL AGENT DEPOSIT", "expense", "Transfers"),
        ("CO-OP FOOD", "expense", "Transfers"),
    ],
)
def test_tenth_set_stays_out_of_the_way(description, kind, not_expected):
    assert category(description, kind) != not_expected
