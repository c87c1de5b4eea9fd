"""benchmarks/categorize_eval.py's loaders read each row's direction as the file means it (session 17: the br file's
appended statement lines print every amount positive, so its salary credits were read as expenses). Made-up rows."""

from __future__ import annotations

from decimal import Decimal

import pytest

from benchmarks import categorize_eval as ev

HEADER = "aonde gastou,natureza do gasto,valor total,parcelas,no da parcela,valor unitário,tipo,comp,cartao,origem\n"
MAP = {"Salário": "Salary", "Restaurantes": "Dining", "Viagens": "Travel"}


def test_an_unsigned_part_of_a_file_takes_its_direction_from_the_label(tmp_path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setattr(ev, "_mapping", lambda key: MAP)
    path = tmp_path / "br.csv"
    path.write_text(HEADER
                    + "PADARIA SOL,Restaurantes,12.50,1,,12.50,Cartão de Crédito,,,base\n"  # signed: an expense
                    + "PIX RECEBIDO ANA,Viagens,-300,1,,-300,Conta Corrente,,,base\n"  # signed: money received
                    + "CREDITO DE SALARIO ACME,Salário,5000,1,,5000,Conta Corrente,,,\n"  # unsigned part: a salary
                    + "BAR DO ZE,Restaurantes,40,1,,40,Conta Corrente,,,\n", encoding="utf-8")
    rows = ev.load_br(path)
    assert [(r.kind, r.truth) for r in rows] == [("expense", "Dining"), ("income", "Refunds"), ("income", "Salary"),
                                                  ("expense", "Dining")]


def test_a_file_with_signs_everywhere_has_no_unsigned_part():
    assert ev.unsigned_parts([Decimal(1), Decimal(-1), Decimal(2)], ["a", "a", "b"]) == {"b"}
    assert ev.unsigned_parts([Decimal(1), Decimal(2)], ["a", "b"]) == set()  # no sign anywhere: the file's own rule
