"""The seventeenth default rule set (issue #16, session 26, cold26): municipal and local taxes, stamp and excise duty,
two revenue authorities and water suppliers' generic words (``default_rule_additions_v17``), while their neighbours
keep theirs. Every line is made up from general knowledge of bank text, never taken from a data set."""

from __future__ import annotations

import pytest

from tests.services.categorize.test_default_rules_cold import category
from tools import default_rule_words as words

V17_PROBES: tuple[tuple[str, str, str], ...] = (
    ("expense", "PGTO TRIBUTOS MUNICIPAIS 0042", "Taxes"),
    ("expense", "IMPUESTO MUNICIPAL AYTO ZORBLAT", "Taxes"),
    ("expense", "IVTM AYUNTAMIENTO DE ZORBLAT", "Taxes"),
    ("expense", "IMPUESTO DE CIRCULACION 2026", "Taxes"),
    ("expense", "TRIBUTI COMUNALI COMUNE DI ZORBLAT", "Taxes"),
    ("expense", "IMPOSTA DI BOLLO CONTO", "Taxes"),
    ("expense", "BOLLO AUTO REGIONE", "Taxes"),
    ("expense", "TAXE D HABITATION 2026", "Taxes"),  # the apostrophe dropped, as some banks print it
    ("expense", "GEMEENTEBELASTINGEN ZORBLAT", "Taxes"),
    ("expense", "WATERSCHAPSBELASTING", "Taxes"),
    ("expense", "ZWEITWOHNUNGSTEUER STADT ZORBLAT", "Taxes"),
    ("expense", "HUNDESTEUER 2026", "Taxes"),
    ("expense", "STAMP DUTY", "Taxes"),
    ("expense", "EXCISE DUTY", "Taxes"),
    ("expense", "KRA ITAX PAYMENT", "Taxes"),
    ("expense", "ZIMRA", "Taxes"),
    ("expense", "WATERBEDRIJF ZORBLAT", "Utilities"),
    ("expense", "WASSERVERSORGUNG ZORBLAT", "Utilities"),
    ("expense", "SERVIZIO IDRICO INTEGRATO", "Utilities"),
    ("expense", "ACQUEDOTTO ZORBLAT", "Utilities"),
    ("expense", "EAU POTABLE ZORBLAT", "Utilities"),
    ("expense", "TAXA DE LIXO", "Utilities"),
)
# lines that must not get the category named (the other meaning of a word, the treatment earlier sets chose)
V17_STAY_OUT: tuple[tuple[str, str, str], ...] = (
    ("expense", "ZORBLAT CITY COUNCIL RATES", "Taxes"),  # council rates bill water and power: Utilities
    ("expense", "IOF COMPRA INTERNACIONAL", "Taxes"),  # a bank fee since earlier sets
    ("expense", "TASSA RIFIUTI", "Taxes"),  # a waste fee: Utilities
    ("expense", "GRUNDBESITZABGABEN", "Taxes"),  # a municipal bill of waste, water and tax: Utilities (sixth set)
    ("expense", "DUTY FREE ZORBLAT", "Taxes"),
    ("expense", "STAMPS.COM", "Taxes"),
    ("expense", "ITAXI ZORBLAT", "Taxes"),
    ("income", "KRA ITAX REFUND", "Taxes"),  # a refund of tax is income
    ("expense", "ZORBLAT WATERSPORTS", "Utilities"),
)


def test_the_v17_probes_are_answered_now_and_were_not():
    got = words.Answerer(words.shipped_set()).answers((t, k) for k, t, _ in V17_PROBES)
    assert [t for (_, t, want), (cat, _) in zip(V17_PROBES, got) if cat != want] == []
    sixteenth = words._frozen("0038_default_rules_v16.py", "RULES_V16")
    before = words.Answerer(sixteenth).answers((t, k) for k, t, _ in V17_PROBES)
    assert [t for (_, t, want), (cat, _) in zip(V17_PROBES, before) if cat == want] == []


def test_no_v17_stay_out_line_is_caught_by_the_seventeenth_set():
    got = words.Answerer(words.shipped_set()).answers((t, k) for k, t, _ in V17_STAY_OUT)
    assert [t for (_, t, never), (cat, _) in zip(V17_STAY_OUT, got) if cat == never] == []


@pytest.mark.parametrize(
    ("description", "kind", "expected"),
    [
        ("IPTU 2026", "expense", "Taxes"),  # the sixteenth set's taxes stay
        ("COUNCIL TAX", "expense", "Taxes"),
        ("ZORBLAT MUNICIPALITY", "expense", "Utilities"),  # a municipality's account: Utilities as before
        ("TASA BASURA", "expense", "Utilities"),
        ("THAMES WATER", "expense", "Utilities"),
        ("IOF", "expense", "Fees"),
    ],
)
def test_the_seventeenth_set_s_neighbours_keep_theirs(description, kind, expected):
    assert category(description, kind) == expected
