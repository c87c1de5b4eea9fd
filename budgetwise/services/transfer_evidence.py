"""How much a same-amount pair looks like a transfer between own accounts (session 15, issue #19).

Same amount, another account, a few days apart is what a transfer looks like, and also what many
coincidences look like (a grocery spend and a refund, two unrelated 20.00 rows). :func:`score` adds up
general evidence, never a rule for one row:

* texts: transfer / own-account words in several languages on either side, card-payment phrases
  ("payment thank you", "autopay", "Kreditkartenabrechnung"), a text that names the other account (a word
  of its name or its last digits), the same text on both rows (an app writes one memo for both halves);
  income-like words on the money-in side ("refund", "salary",
  "dividend", "Erstattung", "juros") count against;
* a row already in a transfer category (a rule or the file put it there);
* account kinds: checking/savings → credit card or loan is the common payment; money out of a credit card
  is a purchase, almost never a transfer;
* the same amount moving between the same two accounts in other months (a standing order);
* a round amount, a large one (an exact large coincidence is rare), the same day;
* ambiguity: another row of the same amount could be either half;
* a channel: at least three other transfers (confirmed, or likely on their own) between the same two
  accounts in this direction (:func:`channel`, applied after the pairs are scored).

``LIKELY`` and above is offered; ``MAYBE`` up to it goes to a separate "maybe" list; below, not offered.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from budgetwise.text import fold, plain_letters

LIKELY = 2.0
MAYBE = 0.0

_TRANSFER = re.compile(
    r"\b(transfer\w*|xfer|trf|tfr|own account|between accounts|internal|standing order|dauerauftrag|"
    r"umbuchung\w*|uberweisung\w*|ubertrag\w*|virement\w*|transferencia\w*|traspaso\w*|bonifico|giroconto|"
    r"overboeking|overschrijving|przelew|savings?|sparkonto|sparplan|livret|ahorros?|poupanca|risparmio|"
    r"top ?up|topup|aufladung|recarga|carregamento|atm|cash withdrawal|geldautomat|bargeld\w*|gaa|dab|retrait|"
    r"levantamento|multibanco|cajero|prelievo)\b")
_CARD_PAYMENT = re.compile(
    r"(payment,? (- )?thank you|thank you for your payment|payment received|auto ?pay|credit card payment|"
    r"card payment received|bill ?pay|payment to card|(visa|amex|mastercard) payment|"
    r"kreditkarten\w*|kartenkonto|kreditkarte|pago( de)? tarjeta|prelevement carte|pagamento (recebido|cartao)|"
    r"zahlung erhalten|rimborso carta|saldo carta|ausgleich)")
_INCOME = re.compile(
    r"\b(refund\w*|return\w*|cash ?back|rewards?|rebate|dividend\w*|interest|zinsen|salary|payroll|wages?|"
    r"gehalt|lohn|salaire|salario|ordenado|remboursement|erstattung|gutschrift rucksendung|reembolso|"
    r"rimborso|juros|capital gains?|sold|sale|verkauf|venda|reimburse\w*)\b")
_GENERIC = {"account", "accounts", "card", "bank", "konto", "compte", "cuenta", "conta", "main", "the", "and"}
_PAYABLE = {"credit_card", "loan"}


@dataclass(frozen=True)
class Side:
    description: str
    account_name: str
    account_kind: str
    in_transfer_category: bool


@lru_cache(maxsize=8192)
def _facts(description: str) -> tuple[str, bool, bool]:
    """(folded text, says transfer or card payment, reads like income): a text is read once, however many
    pairs it is in (a same-amount-heavy history has tens of thousands of pairs). Letters fold keeps whole are read
    plain ("LØNKONTO" as "lonkonto"; :func:`budgetwise.text.plain_letters`), as in an account's name."""
    text = plain_letters(fold(description or ""))
    return text, bool(_CARD_PAYMENT.search(text) or _TRANSFER.search(text)), bool(_INCOME.search(text))


@lru_cache(maxsize=8192)
def _names(text: str, other_account: str) -> bool:
    """The text names the other account: a word of its name (4+ letters, not a generic one) or its last digits."""
    name = plain_letters(fold(other_account))
    digits = re.findall(r"\d{3,}", name)
    if any(d[-4:] in text for d in digits):
        return True
    words = [w for w in re.findall(r"[a-z]{4,}", name) if w not in _GENERIC]
    return any(re.search(rf"\b{re.escape(w)}\b", text) for w in words)


def score(out: Side, into: Side, *, amount_minor: int, gap_days: int, repeats: int, rivals: int) -> tuple[float, tuple[str, ...]]:
    """The evidence that money out (``out``) and money in (``into``) are one transfer, and its reasons in words.
    ``repeats``: other months with the same amount between the same two accounts; ``rivals``: other
    same-amount rows within the window that could be either half."""
    total, why = 0.0, []
    o, o_says, _o_income = _facts(out.description)
    i, i_says, i_income = _facts(into.description)
    words = o_says + i_says  # sides that say so
    if words:
        total += 1.5 * words
        why.append("transfer or payment words")
    if o == i and len(re.findall(r"[a-z]", o)) >= 3:
        total += 1.0
        why.append("the same text on both rows")
    if _names(o, into.account_name) or _names(i, out.account_name):
        total += 1.5
        why.append("a text names the other account")
    if out.in_transfer_category or into.in_transfer_category:
        total += 1.5 * (out.in_transfer_category + into.in_transfer_category)
        why.append("in a transfer category")
    if i_income and not words:
        total -= 2.5
        why.append("the money in reads like income or a refund")
    if out.account_kind == "credit_card":
        total -= 2.5
        why.append("money out of a credit card is usually a purchase")
    elif into.account_kind in _PAYABLE:
        total += 1.0
        why.append("paying a card or loan")
    if repeats:
        total += min(repeats, 3) * 0.75
        why.append("repeats between these accounts")
    whole = amount_minor % 100 == 0
    if whole and amount_minor % 1000 == 0 and amount_minor >= 10_000:  # 100.00, 250.00, … (20.00 is common)
        total += 0.5
        why.append("a round amount")
    elif not whole and amount_minor >= 20_000:
        total += 1.0
        why.append("an exact large amount")
    total += 0.5 if gap_days == 0 else 0.0 if gap_days <= 2 else -0.5
    if gap_days == 0:
        why.append("the same day")
    if rivals:
        total -= min(rivals, 3) * 0.5
        why.append("other rows of this amount nearby")
    return round(total, 2), tuple(why)


CHANNEL_MIN = 3  # transfers between two accounts (this direction) that make them a "channel"


def channel(points: float, reasons: tuple[str, ...], transfers_between: int) -> tuple[float, tuple[str, ...]]:
    """A pair between two accounts with at least CHANNEL_MIN other transfers in this direction (confirmed, or
    likely on their own evidence) gets 0.75 points: a standing way money moves for this user."""
    if transfers_between < CHANNEL_MIN:
        return points, reasons
    return round(points + 0.75, 2), (*reasons, "these accounts often exchange transfers")


def level(points: float) -> str | None:
    """"likely" (offered), "maybe" (the separate list) or None (not offered)."""
    return "likely" if points >= LIKELY else "maybe" if points >= MAYBE else None
