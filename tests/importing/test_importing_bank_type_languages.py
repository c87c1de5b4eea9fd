"""A bank's transaction-type column is read as the bank's type in the importer's languages (session 23: Erste's
"Tranzakció típusa" and Raiffeisen's "Typ transakce" were not offered as the bank's type). Made-up rows."""

from __future__ import annotations

import pytest

from budgetwise.importing import parse_file

HEADERS = ["Tranzakció típusa", "Typ transakce", "Typ transakcji", "Tipo operazione", "Tipo de operação",
           "Tipo de transacción", "Type de mouvement", "Transaktionstype", "Tapahtumalaji", "Typ transakcie"]


@pytest.mark.parametrize("header", HEADERS)
def test_a_transaction_type_header_in_another_language_is_the_bank_type(header):
    data = (f"Date;Description;{header};Amount\n2024-01-05;Zorblat Markt;Kartya;-3,50\n"
            "2024-01-06;Vrenglo Kft;Atutalas;-120,00\n").encode()
    parsed = parse_file(data, "t.csv")
    assert parsed.mapping.bank_type == 2, parsed.mapping
    assert parsed.rows["bank_type"].tolist() == ["Kartya", "Atutalas"]
    assert parsed.rows["description"].tolist() == ["Zorblat Markt", "Vrenglo Kft"]  # the description is unchanged
