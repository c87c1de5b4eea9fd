"""The ninth default rule set (issue #16, cold, session 16): a home loan is housing, a transfer's channel is not its
purpose, a few general words. Every line is invented from general knowledge of how banks and people write such
lines (NZ/AU bank exports, US checking, Indian UPI/NEFT/IMPS/NACH text, UK and EU bank text, notes people type);
none is taken from a data set."""

from __future__ import annotations

import pytest

from tests.services.categorize.test_default_rules_cold import category

RENT, UTIL, EDU, GIFT, TRANSFERS = "Rent", "Utilities", "Education", "Gifts & Donations", "Transfers"


@pytest.mark.parametrize(
    "description",
    [
        "A/P TO ANZ HOME LOAN", "LOAN REPAYMENT HOME LOAN", "HOME LOAN EMI", "HDFC HOME LOAN EMI 412345",
        "HOUSING LOAN INSTALMENT", "SBI HSG LOAN EMI", "House Loan", "MORTGAGE LOAN PAYMENT", "RATA MUTUO CASA",
        "ADDEBITO RATA MUTUO", "BAUDARLEHEN TILGUNG", "Immobilienkredit Rate Juni", "CUOTA HIPOTECA",
        "PRESTAMO HIPOTECARIO", "KREDYT HIPOTECZNY RATA", "ASUNTOLAINA", "BOLÅN AMORTERING",
        "FINANCIAMENTO IMOBILIARIO CAIXA",
    ],
)
def test_a_home_loan_is_housing_not_a_loan_like_any_other(description):
    assert category(description) == RENT


@pytest.mark.parametrize(
    "description",
    ["PERSONAL LOAN EMI", "CAR LOAN EMI", "LOAN REPAYMENT", "STUDENT LOAN", "AUTO LOAN PMT", "DARLEHEN RATE",
     "EMI 412345 BAJAJ FINANCE", "AFTERPAY"],
)
def test_other_loans_stay_transfers(description):
    assert category(description) == TRANSFERS


@pytest.mark.parametrize(
    ("description", "expected"),
    [
        ("TFR TO LANDLORD RENT", RENT), ("TFR TO J SMITH FLAT RENT", RENT), ("TRF TO POWER BILL", UTIL),
        ("IB TFR school fees", EDU), ("TFR TO J SMITH", TRANSFERS), ("TFR TO 12-3456-7890123-00", TRANSFERS),
        ("TRF TO SAVINGS", TRANSFERS), ("IB TFR", TRANSFERS),
    ],
)
def test_a_transfer_channel_lets_the_purpose_win(description, expected):
    assert category(description) == expected


@pytest.mark.parametrize(
    ("description", "kind", "expected"),
    [
        # a rail transfer to oneself; ICICI's internet fund transfer; a card's auto debit
        ("UPI/412345678901/self/okaxis", "expense", TRANSFERS),
        ("IMPS/P2A/412345678901/SELF", "expense", TRANSFERS),
        ("NEFT/SBIN0001234/SELF", "income", TRANSFERS),
        ("INF/INFT/012345678/SAVINGS", "expense", TRANSFERS),
        ("ATD/Auto Debit CC0xx1234", "expense", TRANSFERS),
        # family and friends as payees in a note
        ("to mummy", "expense", TRANSFERS), ("gave to brother", "expense", TRANSFERS),
        ("money to parents", "expense", TRANSFERS),
        ("from sister", "income", "Other Income"),  # money received from people: income since the fifteenth set
        ("UPI/412345678901/to papa/okhdfc", "expense", TRANSFERS),
        # income
        ("NACH-DIV-INFOSYS", "income", "Investment Income"), ("ACH/HDFC BANK LTD DIV/123456", "income",
                                                              "Investment Income"),
        ("HMRC TAX CREDITS", "income", "Other Income"), ("pay day", "income", "Salary"),
        # bills, schools, gifts
        ("ROCKGAS", "expense", UTIL), ("ELGAS 0412 BOTTLE", "expense", UTIL), ("gas booking", "expense", UTIL),
        ("paani bill", "expense", UTIL),
        ("dance class", "expense", EDU), ("music classes", "expense", EDU), ("class fee", "expense", EDU),
        ("NCEA FEES", "expense", EDU),
        ("DD AIA NZ", "expense", "Insurance"),
        ("JUST GIVING", "expense", GIFT), ("PUSHPAY CHURCH", "expense", GIFT), ("ACTBLUE*DONATE", "expense", GIFT),
        ("gifted to cousin", "expense", GIFT), ("birthday gift to sister", "expense", GIFT),
    ],
)
def test_the_ninth_set_s_words(description, kind, expected):
    assert category(description, kind) == expected


@pytest.mark.parametrize(
    ("description", "kind", "expected"),
    [
        ("ACME CORP PAYROLL DIV 12", "income", "Salary"),  # a bare "div" is a division, not a dividend
        ("TO SONY CENTRE", "expense", None),  # "to son" is a whole phrase
        ("PAPA JOHNS PIZZA", "expense", "Dining"),
        ("ART CLASSICS GALLERY", "expense", None),  # a class is a whole word
    ],
)
def test_the_ninth_set_stays_out_of_the_way(description, kind, expected):
    assert category(description, kind) == expected
