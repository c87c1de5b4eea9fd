"""Every real bank layout in ../shared/data/bank_formats imports with the right dates,
amounts and directions. Expected values were checked by hand against the files.

Skipped (with the reason) where ../shared is absent, e.g. in a fresh clone.
"""

from __future__ import annotations

import datetime as dt

import pytest

from budgetwise.importing import parse_file

D = dt.date

# file -> (rows, currency or None (= the user's, USD here), [(date, minor, kind, text in description), ...])
EXPECTED: dict[str, tuple[int, str | None, list[tuple]]] = {
    "csv/be_kbc_checking.csv": (1, "EUR", [(D(2018, 2, 28), 340, "expense", "KBC-PLUSREKENING")]),
    "csv/ca_pc_mastercard.csv": (2, None, [(D(2019, 1, 10), 3633, "expense", "Mobil"),
                                           (D(2018, 12, 15), 1398, "expense", "ITUNES")]),
    "csv/ch_ubs_fr_trimmed.csv": (3, "CHF", [(D(2019, 3, 31), 1000, "expense", "Solde prix prestations"),
                                             (D(2019, 2, 28), 24000, "income", "ASSOCIATION FOO-BAR"),
                                             (D(2019, 4, 27), 20000, "expense", "REMB-CASH")]),
    "csv/cz_raiffeisen_movements.csv": (1, "CZK", [(D(2018, 5, 27), 100, "expense", "Memo for me test")]),
    "csv/de_commerzbank_checking.csv": (1, "EUR", [(D(2018, 3, 2), 1722, "expense", "REWE SAGT DANKE")]),
    "csv/de_gls_bank_latin1.csv": (1, "EUR", [(D(2017, 10, 10), 9876, "expense", "Drillisch Online AG")]),
    "csv/de_n26_20171001-20171106.csv": (1, "EUR", [(D(2017, 10, 1), 5999, "expense", "NINTENDO OF EUROPE")]),
    "csv/de_outbank_app.csv": (4, "EUR", [(D(2019, 2, 20), 10000, "income", "Jane Doe"),
                                          (D(2019, 2, 8), 6389, "expense", "Shell Gas"),
                                          (D(2019, 1, 21), 4700, "expense", "Energy bill"),
                                          (D(2019, 1, 5), 2500, "expense", "STEAM GAMES")]),
    "csv/es_ing_spain.csv": (10, None, [(D(2022, 3, 24), 283, "income", "NARANJA:GALP"),
                                        (D(2022, 12, 23), 139411, "income", "Nomina recibida"),
                                        (D(2022, 7, 29), 100000, "expense", "Reintegro efectivo"),
                                        (D(2022, 11, 13), 50000, "income", "Traspaso recibido")]),
    "csv/fr_n26.csv": (2, "EUR", [(D(2020, 3, 7), 32800, "income", "Compte courant"),
                                  (D(2020, 3, 7), 32800, "expense", "Compte courant")]),
    "csv/hu_erste_checking.csv": (2, "HUF", [(D(2019, 4, 19), 35000, "expense", "memo goes here"),
                                             (D(2019, 4, 17), 129000, "income", "memo goes here")]),
    "csv/ie_bank_of_ireland_export.csv": (27, None, [(D(2017, 9, 1), 42803, "income", "Random Name"),
                                                     (D(2017, 9, 1), 51200, "expense", "Random Bill"),
                                                     (D(2017, 9, 5), 8, "expense", "POS CHG USD"),
                                                     (D(2017, 9, 28), 81800, "expense", "CU Lin SO")]),
    "csv/nl_bunq_statement_en.csv": (7, None, [(D(2018, 12, 6), 878, "expense", "0.88241 EUR"),
                                               (D(2018, 12, 6), 878, "income", "Refund: CLOUDFLARE"),
                                               (D(2018, 12, 17), 799, "expense", "NETFLIX.COM")]),
    "csv/payoneer.csv": (2, "USD", [(D(2021, 5, 3), 10000, "expense", "Transaction description"),
                                    (D(2021, 5, 3), 12000, "income", "Transaction description")]),
    "csv/sg_ocbc_transaction_history.csv": (8, "SGD", [(D(2018, 4, 18), 666, "expense", "UBER EATS"),
                                                       (D(2018, 4, 17), 6666, "expense", "CASH WITHDRAWAL"),
                                                       (D(2018, 4, 13), 666, "expense", "TOAST BO6")]),
    "csv/uk_firstdirect_checking.csv": (1, None, [(D(2018, 2, 10), 500, "expense", "MERCHANT NAME@12:34")]),
    "csv/uk_monzo_export.csv": (1, "GBP", [(D(2018, 2, 25), 1000, "expense", "Tesco")]),
    "csv/us_capitalone_card.csv": (2, None, [(D(2015, 12, 31), 100000, "expense", "Airplanes R Us"),
                                             (D(2015, 12, 31), 100000, "income", "AUTOPAY PYMT")]),
    "csv/us_mint_export_cr_lineendings.csv": (4, None, [(D(2015, 6, 12), 100000, "expense", "Transfer from Checking"),
                                                        (D(2015, 6, 13), 200000, "income", "Transfer to Savings"),
                                                        (D(2015, 6, 14), 250000, "expense", "Transfer from Savings")]),
    "csv/us_schwab_checking.csv": (4, None, [(D(2022, 8, 17), 2000, "income", "Deposit Mobile Banking"),
                                             (D(2022, 8, 14), 10300, "expense", "BMO HARRIS BANK"),
                                             (D(2022, 8, 4), 5727, "expense", "PAYPAL INST XFER")]),
    "ofx/ofxparse_bank_medium_cad.ofx": (3, "CAD", [(D(2009, 4, 1), 660, "expense", "MCDONALD'S #112"),
                                                    (D(2009, 4, 2), 31667, "expense", "Joe's Bald Hairstyles")]),
    "ofx/ofxparse_checking_usd.ofx": (3, "USD", [(D(2011, 3, 31), 1, "income", "DIVIDEND EARNED"),
                                                 (D(2011, 4, 5), 3451, "expense", "ELECTRIC BILL"),
                                                 (D(2011, 4, 7), 2500, "expense", "RETURNED CHECK FEE")]),
    "ofx/ofxparse_suncorp_aud_xml.ofx": (1, "AUD", [(D(2013, 12, 15), 1685, "expense", "ALDI STORE")]),
}


def test_every_shared_file_is_covered(shared_data):
    present = {p.relative_to(shared_data / "bank_formats").as_posix() for p in (shared_data / "bank_formats").rglob("*") if p.is_file()}
    assert present <= set(EXPECTED), f"add expectations for: {sorted(present - set(EXPECTED))}"


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_bank_file_imports_with_right_dates_amounts_and_directions(shared_data, name):
    path = shared_data / "bank_formats" / name
    if not path.exists():
        pytest.skip(f"{name} is not in this copy of ../shared/data")
    count, currency, rows = EXPECTED[name]
    parsed = parse_file(path.read_bytes(), path.name, default_currency="USD")
    assert parsed.rejections == (), parsed.rejections
    assert len(parsed.rows) == count == parsed.rows_read
    assert set(parsed.rows["currency"]) == {currency or "USD"}
    got = list(zip(parsed.rows["date"], parsed.rows["amount_minor"], parsed.rows["kind"], parsed.rows["description"]))
    for day, minor, kind, text in rows:
        matches = [g for g in got if g[0] == day and g[1] == minor and g[2] == kind and text in g[3]]
        assert matches, f"{name}: no row {day} {minor} {kind} containing {text!r}; got {got}"
    # amounts are positive minor units; the direction is in kind
    assert (parsed.rows["amount_minor"] > 0).all()
    assert set(parsed.rows["kind"]) <= {"income", "expense"}


def test_file_labels_are_offered_for_category_mapping(shared_data):
    path = shared_data / "bank_formats" / "csv" / "de_outbank_app.csv"
    parsed = parse_file(path.read_bytes(), path.name)
    # the specific (sub)category is the label to map
    assert set(parsed.rows["label"]) == {"Refund", "Gas", "Energy", "Online Shop"}
