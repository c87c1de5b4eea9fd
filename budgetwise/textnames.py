"""Whether a learning key names someone to learn, or only a kind of transaction (pure; split out of
``textforms`` in session 24, which re-exports both names): placeholder notes and keyboard mashing name nobody
(:func:`names_merchant`), a stem of payment words only names a kind of payment (:func:`names_payment_kind`)."""

from __future__ import annotations

import re

from budgetwise.text import fold

_HAS_DIGIT = re.compile(r"\d")

# Notes that name no payee: placeholders people type into a note field (any language, folded) ...
_PLACEHOLDERS = frozenset({
    "test", "testing", "tests", "na", "none", "null", "nil", "nan", "misc", "miscellaneous", "unknown", "tbd", "tba",
    "todo", "xxx", "xyz", "asdf", "foo", "blah", "dummy", "sample", "placeholder", "note",
    "notes", "memo", "description", "desc", "nothing", "empty", "various", "other", "others", "etc", "ok", "yes",
    "sonstiges", "divers", "diverse", "varios", "outros", "otros", "altro", "altri", "autres", "overig", "ninguno",
    "nada", "aucun", "keine", "nichts",
    # a form's or a sample file's field names and fillers ("Payee", "Description goes here"; since session 23)
    "payee", "payer", "merchant", "name", "surname", "firstname", "lastname", "goes", "here", "enter", "your", "insert",
    "lorem", "ipsum", "example",
})
# ... and keyboard mashing: a run of neighbouring keys or letters ("asdfgh", "qwerty", "hjkl", "abcd").
_RUNS = ("qwertyuiop", "asdfghjkl", "zxcvbnm", "abcdefghijklmnopqrstuvwxyz")


def _junk_word(word: str) -> bool:
    if word in _PLACEHOLDERS or len(word) < 2 or len(set(word)) == 1 or _HAS_DIGIT.search(word):
        return True
    return len(word) >= 4 and any(word in run or word in run[::-1] for run in _RUNS)


def names_merchant(key: str) -> bool:
    """Whether a learning key names someone to learn: not empty, not only placeholders ("test",
    "N/A", "misc"), keyboard mashing ("asdfgh"), repeated letters ("xxx") or codes and numbers
    ("xyz123"). The labelling plan counts the others with the rows that have no text: labelling
    "test" as one category would teach nothing about the next "test"."""
    return any(not _junk_word(w) for w in key.split())


# Words that name a kind of transaction, never who was paid, in the importer's languages (since session 23): a plan stem
# of them only ("cash withdrawal", "virement postal") is offered as a kind of payment, not as a merchant. As banks print
# them, folded below; connecting words (:data:`_KIND_GLUE`) may stand between them, never alone.
_KIND_TEXT = """
payment payments pay pmt pymt paymt purchase purchases pos card debit credit transfer transfers xfer xfr trf tfr trans
transaction transactions txn withdrawal withdrawals withdraw wdl cash atm deposit deposits fee fees charge charges
commission interest refund reversal order standing direct bill cheque check chq banking online internet ebanking funds
fund balance postal wire incoming outgoing inward outward received sent conversion exchange ccy fx service services
monthly annual account overdraft repayment instalment installment contactless recurring sepa dd so ach eft giro topup
instant bank customer processing
zahlung zahlungseingang überweisung lastschrift gutschrift dauerauftrag auftrag abbuchung abhebung bargeld auszahlung
einzahlung gebühr gebühren entgelt kontoführung zinsen kartenzahlung karte umbuchung storno rücklastschrift abschluss
saldo geldautomat basislastschrift echtzeitüberweisung
virement virements vir prélèvement prlv paiement carte cb retrait retraits dépôt versement frais cotisation intérêts
intérêt solde prix prestation prestations ordre postale remboursement chèque tenue compte bancaire reçu émis
instantané permanent achat opération opérations transfert espèces dab
transferencia transferencias pago pagos compra compras tarjeta recibo cargo abono retiro reintegro cajero comisión
comisiones intereses ingreso domiciliación adeudo efectivo cuota devolución traspaso operación
bonifico pagamento pagamenti prelievo prelevamento addebito accredito commissione commissioni interessi carta acquisto
giroconto versamento canone spese rimborso disposizione bancomat
betaling betalingen overboeking overschrijving incasso geldopname opname storting kosten rente pinbetaling
betaalautomaat geldautomaat acceptgiro periodieke terugboeking
transferência levantamento depósito tarifa taxa juros débito crédito cartão boleto saque estorno encargos pix ted
platba platby převod výběr vklad poplatek poplatky úroky inkaso trvalý příkaz kartou jednorázová odchozí příchozí
úhrada hotovost hotovosti bankovní bankomatu
átutalás utalás kártya kártyás vásárlás készpénz készpénzfelvétel felvétel befizetés jóváírás terhelés díj jutalék
kamat csoportos beszedés tranzakció fizetés
przelew płatność wypłata wpłata opłata prowizja odsetki karta zakup transakcja bankomat blik zlecenie wychodzący
przychodzący bejövő kimenő eingehend ausgehend inkomend uitgaand emitida recibida emitido recibido ricevuto entrata disposto
"""
_KIND_WORDS = frozenset(fold(w) for w in _KIND_TEXT.split())
_KIND_GLUE = frozenset(["of", "de", "du", "des", "la", "le", "les", "el", "del", "der", "die", "das", "und", "and", "et", "to", "from", "at", "the", "for", "en", "por", "per", "di", "da", "do", "na", "za"])


def names_payment_kind(stem: str) -> bool:
    """Whether a stem holds only words naming a kind of transaction: "cash withdrawal" -> True; "uber eats" -> False."""
    words = stem.split()
    return any(w in _KIND_WORDS for w in words) and all(w in _KIND_WORDS or w in _KIND_GLUE for w in words)
