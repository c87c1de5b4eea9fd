"""The eleventh default rule set (issue #16, session 20, coldwords): payment words of more languages. Every line is
in ``tools/default_rule_words.py``, written from general knowledge of bank statements, never taken from a data set:
each probe gets its category from the shipped rules, no stay-out line gets the category it must not get, and the
tenth set (migration 0026) answered far fewer."""

from __future__ import annotations

import pytest

from tests.services.categorize.test_default_rules_cold import category
from tools import default_rule_words as words


@pytest.mark.parametrize(("kind", "description", "expected"), words.PROBES)
def test_every_probe_line_gets_its_category(kind, description, expected):
    assert category(description, kind) == expected


@pytest.mark.parametrize(("kind", "description", "not_expected"), words.STAY_OUT)
def test_the_short_words_stay_out_of_the_way(kind, description, not_expected):
    assert category(description, kind) != not_expected


def test_the_eleventh_set_answers_the_probes_the_tenth_missed():
    right, wrong, none, failing = words.score(words.Answerer(words.shipped_set()))
    assert (right, wrong, none, failing) == (len(words.PROBES), 0, 0, [])
    old_right, old_wrong, _, _ = words.score(words.Answerer(words.tenth_set()))
    # "RENTE SPAARREKENING", "ONTVANGEN RENTE" read as pensions; "TOTALENERGIES ELECTRICITE" as fuel (the twelfth set);
    # "AMAZONPRIME*AB12C" as shopping (the thirteenth set); two "UBER* EATS" lines as rides, three FASTag top-ups as
    # phone top-ups, three Swiggy Instamart lines as dining (the fourteenth set); seven transit-card top-ups as phone
    # top-ups, two "SOUTHWEST GAS" lines as flights, "SWIGGY GENIE" as dining and ten credits received from people as
    # transfers (the fifteenth set); a glued "TransferCharge" as a transfer, national health insurance, National
    # Insurance contributions and "assurance vie" as insurance, two owners' association fees as fees, "THE UPS STORE" as
    # shopping, a barber paid by mobile money as a transfer and "RECARGA BILHUNICO" as a phone top-up (the sixteenth);
    # "IRS TREAS 310 TAX REF" as other income (the nineteenth: a tax refund is a refund)
    assert old_right < right - 100 and old_wrong == 4 + 8 + 20 + 9 + 1


@pytest.mark.parametrize(
    ("description", "expected"),
    [
        ("RENTE SPAARREKENING", "Investment Income"),  # Dutch interest, with its context
        ("CREDITRENTE 3E KWARTAAL", "Investment Income"),
        ("KREDITRENTER 2026", "Investment Income"),  # Norwegian
        ("RENTE 11/2026", "Other Income"),  # a bare "Rente": the German pension, as before
        ("DEUTSCHE RENTENVERSICHERUNG BUND", "Other Income"),
        ("DRV RENTENZAHLUNG", "Other Income"),
        ("ALTERSRENTE", "Other Income"),
    ],
)
def test_rente_is_interest_with_dutch_or_nordic_context_and_a_pension_otherwise(description, expected):
    assert category(description, "income") == expected


@pytest.mark.parametrize(
    ("description", "kind"),
    [
        ("LØNN NOVEMBER", "expense"),  # salary words only on credits
        ("MZDA ZA LISTOPAD", "expense"),
        ("GAJI BULAN NOVEMBER", "expense"),
        ("KIRA ÖDEMESİ", "income"),  # rent words only on debits
        ("SEWA RUMAH", "income"),
        ("KODI YA NYUMBA", "income"),
    ],
)
def test_the_new_words_keep_their_direction(description, kind):
    assert category(description, kind) not in ("Salary", "Rent")
