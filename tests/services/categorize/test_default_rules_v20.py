"""The twentieth default rule set (issue #16, session 29, cold29): words of the general case the nineteenth set did not
read — health care words of other languages and trades, groceries, a transit pass, car washes and car parts, gas and
power bills, a water bill in a Hindi note, a music school, a Christmas present, freelance pay (``default_rule_additions_v20``). Every line is made up from general
knowledge of bank text, never taken from a data set."""

from __future__ import annotations

import pytest

from tests.services.categorize.test_default_rules_cold import category
from tools import default_rule_words as words

# (direction, line, the category the twentieth set gives; the nineteenth set gave none or another)
V20_PROBES: tuple[tuple[str, str, str | None], ...] = (
    ("expense", "OTICA ZORBLAT LTDA", "Health"),
    ("expense", "OCULISTA DR ZORBLAT", "Health"),
    ("expense", "AUGENARZT PRAXIS ZORBLAT", "Health"),
    ("expense", "HAUSARZTPRAXIS ZORBLAT", "Health"),
    ("expense", "KINDERARZT DR ZORBLAT", "Health"),
    ("expense", "GINECOLOGO DR ZORBLAT", "Health"),
    ("expense", "ORTOPEDISTA ZORBLAT", "Health"),
    ("expense", "ORTODONTIA ZORBLAT", "Health"),
    ("expense", "NUTRICIONISTA ZORBLAT", "Health"),
    ("expense", "NUTRIZIONISTA DOTT ZORBLAT", "Health"),
    ("expense", "ZORBLAT NUTRITIONIST", "Health"),
    ("expense", "ZORBLAT DIETITIAN", "Health"),
    ("expense", "FONOAUDIOLOGA ZORBLAT", "Health"),
    ("expense", "HEILPRAKTIKER ZORBLAT", "Health"),
    ("expense", "ECOGRAFIA ZORBLAT", "Health"),
    ("expense", "FLU VACCINATION ZORBLAT", "Health"),
    ("expense", "INVISALIGN ZORBLAT", "Health"),
    ("expense", "M&S SIMPLY FOOD 0123", "Groceries"),
    ("expense", "MY FOOD BAG AUCKLAND", "Groceries"),
    ("expense", "NESPRESSO BOUTIQUE ZORBLAT", "Groceries"),
    ("expense", "DEUTSCHLANDTICKET ABO", "Transport"),
    ("expense", "ZORBLAT CAR SPA", "Transport"),
    ("expense", "AUTO PECAS ZORBLAT", "Transport"),
    ("expense", "ZORBLAT AUTOTEILE GMBH", "Transport"),
    ("expense", "RECAMBIOS ZORBLAT", "Transport"),
    ("expense", "GAS NATURAL ZORBLAT", "Utilities"),
    ("expense", "CON ED OF NY", "Utilities"),
    ("expense", "ARD ZDF DEUTSCHLANDRADIO", "Utilities"),
    ("expense", "MUSIKSCHULE ZORBLAT", "Education"),
    ("expense", "paani ka bill", "Utilities"),
    ("expense", "ration", "Groceries"),
    ("income", "pagamento freela", "Other Income"),
    ("expense", "XMAS PRESENTS", "Gifts & Donations"),
    ("expense", "CHRISTMAS PRESENTS FOR ZORBLAT", "Gifts & Donations"),
)
# the new words in their other senses and neighbours the nineteenth set already answered: answered as before
V20_SAME: tuple[tuple[str, str], ...] = (
    ("expense", "EXOTICA ZORBLAT"),
    ("expense", "OSCAR SPA RESORT"),
    ("expense", "SERENITY DAY SPA"),
    ("expense", "CON EDISON"),
    ("expense", "CON ED"),  # continuing education as often as the utility
    ("expense", "NATURAL GAS ZORBLAT"),
    ("expense", "AUTOPECAS ZORBLAT"),
    ("expense", "BIRTHDAY PRESENT"),
    ("expense", "ZORBLAT PRESENTS LIVE"),  # an event's promoter
    ("expense", "ZORBLAT ORTHODONTICS"),
    ("expense", "OPTICA ZORBLAT"),
    ("expense", "HELLOFRESH"),
    ("expense", "M&S"),
    ("expense", "RATIONAL ZORBLAT GMBH"),
    ("expense", "NEXT GENERATION ZORBLAT"),
)


def test_the_v20_probes_get_their_answer_and_the_v19_set_s_differed():
    got = words.Answerer(words.shipped_set()).answers((t, k) for k, t, _ in V20_PROBES)
    assert [t for (_, t, want), (cat, _) in zip(V20_PROBES, got) if cat != want] == []
    before = words.Answerer(words.nineteenth_set()).answers((t, k) for k, t, _ in V20_PROBES)
    assert [t for (_, t, want), (cat, _) in zip(V20_PROBES, before) if cat == want] == []


def test_the_twentieth_set_answers_other_senses_and_neighbours_as_the_nineteenth_did():
    lines = [(t, k) for k, t in V20_SAME]
    now = [cat for cat, _ in words.Answerer(words.shipped_set()).answers(lines)]
    assert now == [cat for cat, _ in words.Answerer(words.nineteenth_set()).answers(lines)]
    assert now[0] is None and now[2:4] == ["Personal Care", "Utilities"]


def test_the_shipped_probes_and_stay_out_lines_still_hold():
    right, wrong, none, failing = words.score(words.Answerer(words.shipped_set()))
    assert (wrong, none, failing) == (0, 0, [])


@pytest.mark.parametrize(
    ("description", "kind", "expected"),
    [
        ("otica zorblat sao paulo", "expense", "Health"),  # through the app's own categorize path, lower case
        ("ZORBLAT CAR SPA KEMPTON PARK", "expense", "Transport"),
        ("SEPA-LASTSCHRIFT DEUTSCHLANDTICKET", "expense", "Transport"),
        ("Kartenzahlung NESPRESSO DEUTSCHLAND", "expense", "Groceries"),
    ],
)
def test_the_twentieth_set_through_categorize(description, kind, expected):
    assert category(description, kind) == expected
