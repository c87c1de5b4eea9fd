"""The eighteenth default rule set (issue #16, session 27, cold27): PhonePe, India's largest UPI app, is no phone bill;
a warrant of fitness is the car's; holiday pay and the thirteenth month; freelance payouts; gift words; a card payment
issuer first; two brands (``default_rule_additions_v18``). Every line is made up from general knowledge of bank text,
never taken from a data set."""

from __future__ import annotations

from tools import default_rule_words as words

V18_PROBES: tuple[tuple[str, str, str | None], ...] = (
    ("expense", "UPI/412345678901/Paid via PhonePe/zorblat@ybl", None),  # the app decides nothing
    ("expense", "PHONEPE", None),
    ("expense", "ZORBLAT PHONEPE PVT", None),
    ("expense", "IFOOD *ZORBLAT", "Dining"),
    ("expense", "ARTCAFFE ZORBLAT MALL", "Dining"),
    ("expense", "WARRANT OF FITNESS ZORBLAT", "Transport"),
    ("expense", "VEHICLE LICENSING 12M", "Transport"),
    ("expense", "DISCOVER DES:E-PAYMENT 1234", "Transfers"),
    ("expense", "BK OF ZORBLAT VISA ONLINE PMT", "Transfers"),
    ("expense", "SHAGUN FOR ZORBLAT WEDDING", "Gifts & Donations"),
    ("expense", "HARAMBEE CONTRIBUTION", "Gifts & Donations"),
    # ("CYLINDER REFILL", Utilities) left: the nineteenth set reads a cylinder only where gas is named (V18_STAY_OUT)
    ("expense", "BAUSPARVERTRAG 0042", "Transfers"),
    ("income", "UPWORK ESCROW INC", "Other Income"),
    ("income", "FIVERR INTERNATIONAL", "Other Income"),
    ("income", "13E MAAND", "Salary"),
    ("income", "WW-UITKERING", "Other Income"),
    ("income", "VAKANTIEGELD 2026", "Salary"),
    ("income", "TREDICESIMA", "Salary"),
    ("income", "PAGA EXTRA DICIEMBRE", "Salary"),
    ("income", "DECIMO TERCEIRO 1A PARCELA", "Salary"),
    ("income", "WEIHNACHTSGELD", "Salary"),
    ("income", "PRIME DE FIN D'ANNEE", "Salary"),
)
# lines the eighteenth set answers as the seventeenth did ("phone" still reads a phone bill, a store, a top-up)
V18_SAME: tuple[tuple[str, str], ...] = (
    ("expense", "PHONE BILL ZORBLAT"),
    ("expense", "ZORBLAT PHONES"),
    ("expense", "PHONEBILL 0042"),
    ("expense", "PHONE TOP UP"),
    ("expense", "TELEPHONE ZORBLAT"),
    ("expense", "PAYBYPHONE PARKING"),
    ("expense", "SMARTPHONE ZORBLAT"),
    ("expense", "SWIGGY ZORBLAT"),
    ("expense", "UPI/412345678901/ZORBLAT MEDICALS/zorblat@ybl"),
    ("expense", "ZORBLAT FITNESS CLUB"),  # a gym stays a gym
    ("expense", "UPWORK ZORBLAT"),  # paying a freelancer is no income
    ("expense", "DISCOVER ZORBLAT MUSEUM"),
    ("income", "BAUSPARKASSE ZORBLAT"),
)


# the eighteenth set's words in their other senses (a reviewer's lines, session 28): none may get the category named
V18_STAY_OUT: tuple[tuple[str, str, str], ...] = (
    ("expense", "VISA ONLINE PAYMENT NETFLIX.COM", "Transfers"),  # a card purchase written so: a merchant follows
    ("expense", "MASTERCARD ONLINE PAYMENT AMAZON", "Transfers"),
    ("expense", "AMEX ONLINE PMT ZORBLAT MARKET", "Transfers"),
    ("expense", "UPI/412345678901/SHAGUN SHARMA/zorblat@ybl", "Gifts & Donations"),  # a given name
    ("expense", "SHAGUN SAREES", "Gifts & Donations"),
    ("expense", "SHAGUN ENTERPRISES", "Gifts & Donations"),
    ("expense", "HARAMBEE SACCO", "Gifts & Donations"),  # a SACCO's name
    ("expense", "HARAMBEE STARS TICKETS", "Gifts & Donations"),
    ("income", "TRANSFER FROM MARIA AGUINALDO", "Salary"),  # a surname
    ("income", "INSTAPAY FROM JUAN AGUINALDO", "Salary"),
    ("expense", "AGUINALDO ZORBLAT STORE", "Salary"),
    ("expense", "OXYGEN CYLINDER REFILL", "Utilities"),  # a gas other than cooking gas
    ("expense", "CO2 CYLINDER REFILL", "Utilities"),
    ("expense", "SCUBA CYLINDER REFILL", "Utilities"),
    ("expense", "OXYGEN CYLINDER BOOKING", "Utilities"),
)


def test_no_v18_stay_out_line_is_caught():
    got = words.Answerer(words.shipped_set()).answers((t, k) for k, t, _ in V18_STAY_OUT)
    assert [t for (_, t, never), (cat, _) in zip(V18_STAY_OUT, got) if cat == never] == []


def test_the_v18_probes_are_answered_now_and_were_not():
    got = words.Answerer(words.shipped_set()).answers((t, k) for k, t, _ in V18_PROBES)
    assert [t for (_, t, want), (cat, _) in zip(V18_PROBES, got) if cat != want] == []
    seventeenth = words._frozen("0042_default_rules_v17.py", "RULES_V17")
    before = words.Answerer(seventeenth).answers((t, k) for k, t, _ in V18_PROBES)
    assert [t for (_, t, want), (cat, _) in zip(V18_PROBES, before) if cat == want] == []


def test_the_eighteenth_set_answers_its_neighbours_as_the_seventeenth_did():
    lines = [(t, k) for k, t in V18_SAME]
    now = [cat for cat, _ in words.Answerer(words.shipped_set()).answers(lines)]
    seventeenth = words._frozen("0042_default_rules_v17.py", "RULES_V17")
    assert now == [cat for cat, _ in words.Answerer(seventeenth).answers(lines)]
    assert now[:5] == ["Utilities"] * 5
