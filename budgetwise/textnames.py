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


_RUN = re.compile(r"[a-z]+|\d+")
_VOWELS = frozenset("aeiouy")
# Letters that, beside digits, make an amount, a quantity, a date or a reference, never a brand ("usd100", "5kg",
# "12jan", "ref8837", "10am"): currencies, units, months, ordinals' endings, reference and terminal abbreviations.
_NOT_BRAND_LETTERS = frozenset(["usd", "eur", "gbp", "inr", "kes", "ksh", "kshs", "zar", "brl", "cad", "aud", "nzd", "chf", "jpy", "cny", "sek", "nok", "dkk", "pln", "huf", "czk", "mxn", "rs", "rp", "kg", "mg", "lb", "lbs", "oz", "ml", "cl", "ltr", "km", "cm", "mm", "mi", "gb", "mb", "kb", "tb", "hr", "hrs", "min", "mins", "sec", "pcs", "pc", "pk", "qty", "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec", "am", "pm", "st", "nd", "rd", "th", "ref", "id", "no", "nr", "num", "tid", "mid", "inv", "ord", "auth", "trm", "term", "seq", "rrn", "utr", "arn", "acc", "acct", "ac", "tx", "txn", "trx", "pos", "atm", "card"])
# A single letter after a number is a quantity ("5m", "500g", "2x", "10h"); before it, or with a word, a brand
# ("o2", "e10", "c1000", "3m" is the one such brand read as a quantity).
_UNIT_LETTERS = frozenset("gklmshx")


def _code_word(word: str) -> bool:
    """Whether a folded word holding a digit is a number or a code (a reference, a terminal, an amount, a date)
    rather than a brand written with digits ("c1000", "run2day", "2theloo", "7eleven", "99bikes", "o2").

    A brand's number is short (one or two digits) or round ("1000"), and its letters are a word or a single letter;
    a code's digits are many ("t0012345", "ref8837", "xyz123"), start with a zero ("p0109us"), alternate with
    letters more than once ("ab12cd34"), or stand beside an amount's, a date's or a reference's letters ("usd100",
    "12jan", "pos12", "500g")."""
    runs = _RUN.findall(word)
    letters = [r for r in runs if r.isalpha()]
    digits = [r for r in runs if r.isdigit()]
    if not letters or "".join(runs) != word:  # a number, or other signs than Latin letters and digits
        return True
    if len(runs) > 3 or len(digits) > 1:
        return True
    number = digits[0]
    if number[0] == "0" or not (len(number) <= 2 or (len(number) <= 4 and number.rstrip("0") == number[0])):
        return True
    if any(r in _NOT_BRAND_LETTERS for r in letters) or (runs[0] in _KIND_WORDS and runs[1] == number):
        return True  # a payment word before a number is a reference ("pos12", "txn88"); after it a name ("99pay")
    if len(runs) == 2 and runs[0] == number and runs[1] in _UNIT_LETTERS:
        return True
    return not all(len(r) == 1 or _VOWELS.intersection(r) for r in letters)


def _junk_word(word: str) -> bool:
    if word in _PLACEHOLDERS or len(word) < 2 or len(set(word)) == 1:
        return True
    if _HAS_DIGIT.search(word):
        return _code_word(word)
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
bizum enviado enviada recebido recebida
"""
_KIND_WORDS = frozenset(fold(w) for w in _KIND_TEXT.split())
_KIND_GLUE = frozenset(["of", "de", "du", "des", "la", "le", "les", "el", "del", "der", "die", "das", "und", "and", "et", "to", "from", "at", "the", "for", "en", "por", "per", "di", "da", "do", "na", "za"])


def names_payment_kind(stem: str) -> bool:
    """Whether a stem holds only words naming a kind of transaction: "cash withdrawal" -> True; "uber eats" -> False."""
    words = stem.split()
    return any(w in _KIND_WORDS for w in words) and all(w in _KIND_WORDS or w in _KIND_GLUE for w in words)


def payment_form_word(word: str) -> bool:
    """Whether a folded word names a kind of transaction or how it was paid (:data:`_KIND_WORDS`: "transferencia",
    "emitida", "bizum", "virement"): never a merchant's own word (session 25: "Learn this?" no longer offers
    "transferencia emitida" as the merchant of a transfer to someone)."""
    return word in _KIND_WORDS


# Words saying money came back from a merchant (folded; since session 27). A key that starts with them ("refund
# cloudflare") keeps them, since a learned ``starts_with`` rule needs its stem to be a prefix of the key and the key is
# frozen (``textkeys``); what the user reads is the merchant's name (:func:`refund_of`).
REFUND_WORDS = frozenset(fold(w) for w in ["refund", "refunds", "refunded", "rfnd", "reembolso", "reembolsos", "devolución", "devoluciones", "remboursement", "remboursements", "rimborso", "rimborsi", "erstattung", "rückerstattung", "estorno", "storno", "terugbetaling", "zwrot", "vrácení", "visszatérítés"])


def refund_of(stem: str) -> str:
    """The merchant a stem's refund is from, where the stem starts with words naming a refund (:data:`REFUND_WORDS`,
    maybe beside other payment words: "card refund"): "refund cloudflare" -> "cloudflare", "card refund tesco metro"
    -> "tesco metro"; "" for any other stem, and for one of payment words only ("refund", "refund fee"). The name
    shown for an offer, never a key: the rule keeps the whole stem."""
    words = stem.split()
    lead = 0
    while lead < len(words) and (words[lead] in _KIND_WORDS or words[lead] in REFUND_WORDS or words[lead] in _KIND_GLUE):
        lead += 1
    if lead == len(words) or REFUND_WORDS.isdisjoint(words[:lead]):
        return ""
    return " ".join(words[lead:])


# A company's legal form in many countries (folded words, as a key or the text's words hold them): what tells a
# company paid through a person-to-person rail ("PIX ENVIADO AMBEV TECH LTDA") from a person (session 25). The
# learning key's boilerplate (``textforms._BOILERPLATE``) drops the oldest of these ("ltd", "gmbh", ...) from keys;
# this list only reads them. Short ones that are also words ("me", "sa", "as", "ab") count only after a name's first
# word (:func:`names_company`).
LEGAL_FORMS = frozenset(["ltd", "ltda", "limited", "llc", "llp", "inc", "incorporated", "corp", "corporation", "co", "company", "cia", "plc", "pty", "pvt", "pte", "bhd", "sdn", "tbk", "gmbh", "mbh", "ag", "kg", "ohg", "ug", "kgaa", "sarl", "sas", "sasu", "eurl", "sa", "sca", "snc", "scs", "sl", "slu", "sll", "srl", "srls", "spa", "sapa", "scarl", "bv", "nv", "vof", "oy", "oyj", "ab", "aps", "as", "asa", "hf", "sro", "spol", "zoo", "ooo", "oao", "pao", "zao", "kft", "zrt", "nyrt", "bt", "doo", "ead", "ood", "eireli", "epp", "me", "mei", "npc", "jsc", "ojsc", "cjsc", "fzc", "fze", "fzco", "wll"])
# Words that name a business, not a person, in a payee's name (folded): a trade, a firm or an institution.
_COMPANY_WORDS = frozenset(["comercio", "comercial", "servicos", "servico", "industria", "distribuidora", "tecnologia", "tech", "holding", "holdings", "group", "grupo", "solutions", "services", "enterprises", "enterprise", "ventures", "investments", "investimentos", "associates", "trading", "corretora", "seguros", "seguradora", "pagamentos", "instituicao", "associacao", "banco", "bank", "sacco", "clinica", "hospital", "farmacia", "drogaria", "supermercado", "mercado", "padaria", "restaurante", "lanchonete", "posto", "auto", "loja", "lojas", "escola", "colegio", "faculdade", "universidade", "igreja", "condominio", "imobiliaria", "transportes", "logistica", "consultoria", "engenharia", "construtora", "editora", "academia", "studio", "estudio"])


def names_company(words: list[str], *, cut_surnames: bool = True) -> bool:
    """Whether a payee's words (folded, in order) name a company: a legal form after the name's first word
    (:data:`LEGAL_FORMS`: "ambev tech ltda", "acme gmbh", "zorblat s a") or a word of a trade or a firm anywhere
    (:data:`_COMPANY_WORDS`: "padaria sol", "wise brasil corretora"); "maria souza" is no company. A form after a
    name's connecting word, or a short one ending a person's full name (:func:`_cut_surname`: "… magalhaes sa"), is a
    surname cut by a fixed-width field, not a form (``cut_surnames``, since session 27; the re-key planner of session
    26 reads without it)."""
    if not _COMPANY_WORDS.isdisjoint(words):
        return True
    if cut_surnames and _cut_surname(words):
        return False
    # a form after a name's connecting word is a cut surname ("MARCELO RIBAS DA CO…" in a fixed-width field)
    if any(w in LEGAL_FORMS and words[i] not in _NAME_GLUE for i, w in enumerate(words[1:])):
        return True
    return len(words) >= 3 and words[-2:] == ["s", "a"]


MIN_FULL_NAME = 3  # given names and surnames before a short form that ends them: a person's full name (session 27)


def _cut_surname(words: list[str]) -> bool:
    """Whether ``words`` are a person's full name whose last surname a fixed-width field cut to letters that happen to
    be a short legal form ("maria jose magalhaes sa…", "ana paula rocha me…"): the last word a form of at most three
    letters with a vowel (the start of a surname: "sa", "me", "co", "as", "sas"; never "ltda", "gmbh" nor "ltd"), after
    at least :data:`MIN_FULL_NAME` words that could each be a name (letters with a vowel; no legal form, payment word or
    placeholder; initials and connecting words between them are not counted). A form after one or two names stays a
    company's ("meliuz sa", "yumiko mukai me": a sole trader's firm is named so), and so does one after a word that is
    no name ("mm turismo e viagens sa"). A company of three plain words and "sa" with no trade's word reads as a name:
    the words alone cannot tell them apart."""
    if len(words) < MIN_FULL_NAME + 1:
        return False
    form = words[-1]
    if form not in LEGAL_FORMS or len(form) > 3 or not form.isalpha() or _VOWELS.isdisjoint(form):
        return False
    names = [w for w in words[:-1] if len(w) > 1 and w not in _NAME_GLUE]
    return len(names) >= MIN_FULL_NAME and all(
        w.isalpha() and not _VOWELS.isdisjoint(w) and w not in LEGAL_FORMS and w not in _KIND_WORDS
        and w not in _PLACEHOLDERS for w in names)


_NAME_GLUE = frozenset(["da", "de", "do", "das", "dos", "di", "del", "della", "van", "von", "der", "den", "le", "la"])
