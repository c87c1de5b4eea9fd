"""tools/cold_confusion.py --kinds: the kind of bank text a description is (issue #16, session 23)."""

from __future__ import annotations

import pytest

from tools.cold_confusion import text_kind


@pytest.mark.parametrize(("text", "kind"), [
    ("PIX ENVIADO Maria Souza", "transfer"),
    ("Funds received from -2547******633 JOHN DOE", "transfer"),
    ("UPI/DR/412345678901/SWIGGY/YESB", "transfer"),
    ("Zelle payment to Jane", "transfer"),
    ("PAGAMENTO DE BOLETO OUTROS BANCOS", "bill or debit order"),
    ("Pay Bill to 888880 - KPLCPREPAID", "bill or debit order"),
    ("Magtape Debit Virgin Netcash", "bill or debit order"),
    ("IOF DESPESA NO EXTERIOR", "bank charge or tax"),
    ("MONTHLY SERVICE FEE", "bank charge or tax"),
    ("Customer Withdrawal Charge", "bank charge or tax"),
    ("SQ *BLUE BOTTLE COFFEE", "card, facilitator code"),
    ("IQ*ENELSP", "card, facilitator code"),
    ("POS Purchase Engen Nkandla", "card line"),
    ("KING SOOPERS #0073", "plain name"),
    ("Netflix", "plain name"),
])
def test_text_kind(text, kind):
    assert text_kind(text) == kind


def test_a_transfer_word_wins_over_a_facilitator_code():
    # first match wins: a Pix payment to a card acquirer is still a transfer
    assert text_kind("PIX ENVIADO PAG*LOJA") == "transfer"
