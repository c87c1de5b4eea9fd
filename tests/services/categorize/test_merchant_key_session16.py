"""Session 16: a card's and a mobile wallet's channel words are not the merchant (issue #16, "one correction teaches
the merchant"). Made-up texts in several languages; no evaluation row."""

from __future__ import annotations

import pytest

from budgetwise.services.categorize.history import Neighbour, choose_stem, stem_matches
from budgetwise.textforms import learn_key, learn_key_before_session_16, merchant_key


@pytest.mark.parametrize("variants, key", [
    (["COMPRA CARTAO DEB MC 11/10 PADARIA SOL", "COMPRA CARTAO MAESTRO 02/06 PADARIA SOL",
      "COMPRA CARTAO CRED ELO 21/10 PADARIA SOL", "PADARIA SOL"], "padaria sol"),
    (["COMPRA TARJ. 1234XXXXXXXX5678 BLUE PARROT", "PAGO CON TARJETA DE DEBITO BLUE PARROT", "BLUE PARROT"],
     "blue parrot"),
    (["PAGAMENTO POS CARTA DEBITO BLUE PARROT 3944", "PAGAMENTO CON CARTA BLUE PARROT 19/04", "BLUE PARROT"],
     "blue parrot"),
    (["BEA, BETAALPAS BLUE PARROT,PAS123", "PINBETALING BLUE PARROT 584830", "BLUE PARROT"], "blue parrot"),
    (["Pay Bill Online to 322889 - ACME WATER Acc. 5551", "Pay Bill to 400200 - ACME WATER Acc.0110004",
      "Merchant Payment to 950699 - ACME WATER", "M-PESA PAYBILL 888880 ACME WATER", "ACME WATER"], "acme water"),
    (["BILL PAY ACME ELECTRIC", "ACME ELECTRIC BILL PAYMENT", "ACME ELECTRIC"], "acme electric"),
    (["Buy Goods QUORNBY MART", "QUORNBY MART"], "quornby mart"),
])
def test_the_card_and_wallet_channel_words_are_dropped(variants, key):
    assert {learn_key(v) for v in variants} == {key}


@pytest.mark.parametrize("text, key", [
    ("MC DONALDS PETONE", "mc donalds petone"),  # a network's abbreviation only next to a card's word
    ("DEB S CAFE", "deb cafe"),
    ("BILL S DINER", "bill diner"),  # "bill" only next to a payment word
    ("ELO DESIGN STUDIO", "elo design studio"),
    ("CON AMORE TRATTORIA", "con amore trattoria"),  # a preposition only before a card's word
    ("MERCHANT IVORY FILMS", "merchant ivory films"),
    ("ACC SPORTS CLUB", "acc sports club"),  # an account abbreviation only before its number
])
def test_words_that_only_look_like_a_channel_stay(text, key):
    assert learn_key(text) == key


def test_nothing_left_but_the_channel_keeps_the_earlier_key():
    assert learn_key("COMPRA CARTAO DEB MC 11/10") == learn_key_before_session_16("COMPRA CARTAO DEB MC 11/10")
    assert learn_key("ONLINE BILL PAYMENT") == "bill"


def test_the_frozen_key_and_the_stored_merchant_are_as_before():
    assert learn_key_before_session_16("COMPRA CARTAO DEB MC 11/10 PADARIA SOL") == "cartao deb mc padaria sol"
    assert learn_key_before_session_16("Pay Bill Online to 322889 - ACME WATER Acc. 5551") == "bill acme water acc"
    assert merchant_key("COMPRA CARTAO DEB MC 11/10 PADARIA SOL") == "compra cartao deb mc padaria sol"


def test_one_correction_of_a_card_purchase_never_teaches_every_card_purchase():
    texts = [f"COMPRA CARTAO DEB MC 1{i}/10 {name}" for i, name in enumerate(
        ["PADARIA SOL", "FARMACIA LUA", "POSTO ESTRELA", "PADARIA SOL", "LIVRARIA MAR"])]
    keys = [learn_key(t) for t in texts]
    household = [Neighbour(k, None, False) for k in set(keys)]
    stem = choose_stem(keys[0], 1, household)
    assert stem_matches(stem, keys[3])
    assert not any(stem_matches(stem, k) for k in (keys[1], keys[2], keys[4]))
