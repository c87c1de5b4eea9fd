"""Column header vocabulary (English, German, French, Dutch, Spanish, plus a few
neighbours) and a scorer that says what a header probably holds.

Scores are hints, not decisions: :mod:`budgetwise.importing.detect` checks every
candidate against the column's content before it uses it.
"""

from __future__ import annotations

import re
from functools import lru_cache

from babel.numbers import list_currencies

from budgetwise.text import fold

ROLES = (
    "date",
    "amount",
    "debit",
    "credit",
    "direction",
    "description",
    "payee",
    "currency",
    "category",
    "subcategory",
    "account",
    "bank_type",
)

_CURRENCIES = frozenset(list_currencies())

# ----------------------------------------------------------------- exact names (normalized)
_EXACT: dict[str, dict[str, int]] = {
    "date": {
        **dict.fromkeys(
            [
                "date", "datum", "fecha", "data", "transaction date", "trans date", "txn date",
                "booking date", "buchungstag", "buchungsdatum", "posting date", "transactiedatum",
                "boekdatum", "boekingsdatum", "datum transactie", "fecha operacion",
                "fecha de operacion", "f operacion", "fecha de la operacion", "date operation",
                "date de l operation", "date d operation", "date de operation", "data operazione",
                "data movimento", "datum verrichting", "date processed", "started date",
                "datum provedeni", "tranzakcio datuma", "transaction date time", "operation date",
                "date de transaction", "fecha transaccion", "buchungstag datum", "datum der transaktion", "buchung",
                "boeking", "booking", "bokforingsdag", "bokforingsdatum", "kirjauspaiva",
            ],
            100,
        ),
        **dict.fromkeys(
            ["posted date", "belegdatum", "journaldate", "journal date", "completed date", "datum zauctovani",
             "fecha contable", "date comptable", "data contabile", "date time", "datetime", "timestamp"],
            85,
        ),
        **dict.fromkeys(["created", "created at", "created date", "time"], 60),
        **dict.fromkeys(
            [
                "value date", "valuta", "valutadatum", "valuta datum", "wertstellung", "wertstellungstag",
                "date de valeur", "date valeur", "fecha valor", "fecha valoracion", "rentedatum",
                "effective date", "datum verrekening", "settlement date", "erteknap", "data valuta",
                "valuedate", "wertstellungsdatum",
            ],
            60,
        ),
    },
    "amount": {
        **dict.fromkeys(
            [
                "amount", "betrag", "bedrag", "montant", "importe", "importo", "valor", "summe",
                "net amount", "netamount", "transaction amount", "buchungsbetrag", "umsatz",
                "castka", "zauctovana castka", "tranzakcio osszege", "kwota", "belopp", "belob",
                "amt", "montant operation", "importe operacion", "amount value", "betrag eur",
                "transactiebedrag", "bedrag eur", "value", "sum", "beloeb",
            ],
            100,
        ),
        **dict.fromkeys(["total", "total amount", "gross", "amount paid"], 70),
    },
    "debit": dict.fromkeys(
        [
            "debit", "debet", "debits", "soll", "debito", "withdrawal", "withdrawals", "paid out",
            "money out", "out", "outflow", "cargo", "cargos", "ausgang", "ausgabe", "ausgaben",
            "belastung", "af", "charges", "charge", "debit amount", "withdrawal amount",
            "amount debited", "debit eur", "spent", "montant debit", "debit montant", "uscite",
            "importe cargo", "expense", "expenses", "outgoing", "amount out", "debit amt", "dr",
            "soll betrag", "betrag soll", "lastschrift betrag", "withdrawn",
        ],
        100,
    ),
    "credit": dict.fromkeys(
        [
            "credit", "credits", "haben", "credito", "deposit", "deposits", "paid in", "money in",
            "in", "inflow", "abono", "abonos", "eingang", "eingange", "gutschrift", "einnahme",
            "einnahmen", "bij", "received", "credit amount", "deposit amount", "amount credited",
            "montant credit", "credit montant", "entrate", "ingreso", "ingresos", "income",
            "incoming", "amount in", "credit amt", "cr", "haben betrag", "betrag haben",
        ],
        100,
    ),
    "direction": {
        **dict.fromkeys(
            [
                "debit credit", "credit debit", "d c", "c d", "dc", "cd", "cr dr", "dr cr", "drcr", "crdr",
                "af bij", "bij af", "soll haben", "s h", "sign", "vorzeichen", "signe", "sens",
                "direction", "inflow outflow", "outflow inflow", "bevetel kiadas", "kiadas bevetel",
                "credit debit indicator", "debit credit indicator", "cd flag", "dc flag",
                "debit credit code", "transaction direction", "in out", "incoming outgoing",
                "income expense", "expense income", "debit or credit", "credit or debit", "mouvement",
                "debet credit", "credit debet", "tipo movimiento", "cargo abono",
            ],
            100,
        ),
        **dict.fromkeys(["transaction type", "type", "art", "typ", "tipo", "transaktionstyp"], 40),
    },
    "description": {
        **dict.fromkeys(
            [
                "description", "details", "memo", "narrative", "particulars", "transaction details",
                "transaction description", "verwendungszweck", "omschrijving", "mededeling",
                "mededelingen", "libelle", "libelle operation", "libelle de l operation",
                "concepto", "descripcion", "descripcion operacion", "detalle", "detalles",
                "descrizione", "causale", "transaktionsbeschreibung", "desc", "purpose",
                "transaction narrative", "booking text", "zprava", "reszletek", "kozlemeny",
                "wording", "remittance information", "payment details", "description 1",
                "vwz1", "omschrijving 1", "libelle simplifie", "libelle complet",
            ],
            100,
        ),
        **dict.fromkeys(
            ["buchungstext", "beschreibung", "vrije mededeling", "original description", "message",
             "text", "toelichting", "communication", "communications", "items", "item", "notes",
             "reason", "payment reference", "message for payee", "message for me", "note", "comment",
             "commentaire", "informations complementaires", "info"],
            60,
        ),
        **dict.fromkeys(["reference", "referenz", "referentie", "referencia", "transaction code description"], 35),
    },
    "payee": {
        **dict.fromkeys(
            [
                "payee", "payee name", "name", "merchant", "merchant name", "counterparty",
                "counterparty name", "counter party", "beneficiary", "beneficiary name", "empfanger",
                "empfaenger", "auftraggeber empfanger", "auftraggeber", "beguenstigter zahlungspflichtiger",
                "begunstigter zahlungspflichtiger", "zahlungsempfanger", "zahlungspflichtiger",
                "naam", "naam tegenpartij", "naam omschrijving", "tegenpartij", "partner name",
                "partner neve", "beneficiaire", "nom du beneficiaire", "tiers", "beneficiario",
                "ordenante", "handelaar", "payer", "other party", "counteraccount name",
                "nazev protiuctu", "recipient", "sender", "destinataire", "emetteur", "store name",
                "merchant description", "name of the payee", "payer payee", "payee payer",
                "empfanger auftraggeber", "zahlungsempfanger auftraggeber",
            ],
            100,
        ),
        # a transaction's short title (budgeting apps: "Title", "Name of transaction"): read first,
        # like a payee, with any longer text column after it
        **dict.fromkeys(
            ["title", "transaction title", "transaction name", "name of transaction", "titel", "titre",
             "titulo", "titolo", "subject", "betreff", "entry", "entry name"],
            90,
        ),
    },
    "currency": {
        **dict.fromkeys(
            [
                "currency", "ccy", "cur", "curr", "wahrung", "waehrung", "munt", "devise", "monnaie",
                "monn", "moneda", "divisa", "valuta", "mena", "mena uctu", "devizanem",
                "tranzakcio devizaneme", "buchungswahrung", "buchungswaehrung", "transaction currency",
                "currency code", "iso currency", "iso",
            ],
            100,
        ),
        **dict.fromkeys(["account currency", "kontowahrung", "zahlungswahrung", "wahrung der karte"], 70),
    },
    "category": {
        **dict.fromkeys(
            ["category", "categories", "kategorie", "categorie", "categoria", "rubriek", "rubrieknaam",
             "category name", "main category", "hauptkategorie", "categorie principale"],
            100,
        ),
        **dict.fromkeys(["class", "kategorie transakce", "label", "labels", "tags", "tag"], 40),
    },
    "subcategory": dict.fromkeys(
        ["subcategory", "sub category", "unterkategorie", "sous categorie", "subcategoria", "subcategorie",
         "sub categorie"],
        100,
    ),
    "account": {
        **dict.fromkeys(
            ["account", "account name", "account number", "posted account", "rekeningnummer", "rekening",
             "iban bban", "auftragskonto", "compte", "numero de compte", "cuenta", "numero de cuenta",
             "konto", "cislo uctu", "szamlaszam", "account iban", "own account", "mein konto",
             "eigene iban", "kontoname", "szamla neve", "nazev uctu",
             # Commerzbank's export names the exporting account (the user's own) "Auftraggeberkonto" (session 26)
             "iban auftraggeberkonto"],
            100,
        ),
        **dict.fromkeys(["iban", "card no", "card number", "card", "card used for transaction", "produit",
                         "kredietkaart", "card member",
                         "auftraggeberkonto"], 50),
    },
    # the bank's own type of the transaction (Schwab "ATM", UK banks' "DD", "SO", "CPT"...): kept beside
    # the row and read by the categorizer (importing/banktype.py); a direction hint as well (above)
    "bank_type": {
        **dict.fromkeys(
            ["type", "transaction type", "trans type", "txn type", "tran type", "transaction code", "trans code",
             "tx type", "typ", "tipo", "transaktionstyp", "transaktionsart", "buchungsart", "umsatzart",
             "type de transaction", "type d operation", "type operation", "tipo de movimiento", "tipo operacion",
             "transactietype", "soort transactie", "mutatiesoort", "type of transaction",
             # the same in the other languages the importer reads (session 23: Erste's "Tranzakció típusa" and
             # Raiffeisen's "Typ transakce" were not read as the bank's type)
             "tranzakcio tipusa", "tranzakcio tipus", "tipus", "typ transakce", "typ platby", "druh transakce",
             "typ transakcji", "rodzaj transakcji", "typ operacji", "rodzaj operacji", "tipo transazione",
             "tipo di transazione", "tipo operazione", "tipo di operazione", "tipologia", "tipo de transacao",
             "tipo transacao", "tipo de operacao", "tipo operacao", "tipo de transaccion", "tipo transaccion",
             "tipo de operacion", "tipo movimiento", "type de mouvement", "nature de l operation", "nature operation",
             "transaktionstype", "transaksjonstype", "tapahtumalaji", "tapahtuman tyyppi", "typ transakcie",
             "tip tranzactie", "buchungstyp", "vorgang", "transactiesoort", "type transactie"],
            100,
        ),
        **dict.fromkeys(["art", "code", "mode", "method", "payment type", "payment method"], 50),
    },
}

# ----------------------------------------------------------------- partial matches (regex, score)
_CONTAINS: dict[str, list[tuple[re.Pattern[str], int]]] = {
    "date": [
        (re.compile(r"\b(date|datum|fecha|data|datuma|dat)\b"), 55),
        (re.compile(r"(datum|date)"), 45),
    ],
    "amount": [
        (re.compile(r"\b(amount|betrag|bedrag|montant|importe|importo|valor|castka|osszeg|osszege|kwota|belopp)\b"), 65),
        (re.compile(r"(betrag|bedrag|amount)"), 55),
    ],
    "debit": [
        (re.compile(r"\b(debit|debet|soll|withdrawals?|outflow|ausgehend|paid out|money out|cargos?|uitgaand|sortant)\b"), 75),
    ],
    "credit": [
        (re.compile(r"\b(credit|haben|deposits?|inflow|eingehend|paid in|money in|abonos?|inkomend|entrant)\b"), 75),
    ],
    "description": [
        (re.compile(r"(description|beschreibung|omschrijving|verwendungszweck|libelle|concepto|descripcion|narrative|purpose)"), 70),
        (re.compile(r"\b(details?|memo|detalle|mededeling|remark|remarks)\b"), 60),
    ],
    "payee": [
        (re.compile(r"\b(payee|merchant|counterparty|beneficiary|empfanger|empfaenger|tegenpartij|beneficiaire|beneficiario|handelaar|auftraggeber)\b"), 65),
    ],
    "currency": [
        (re.compile(r"(currency|wahrung|waehrung|devise|moneda|divisa|munt|devizanem)"), 60),
    ],
    "category": [(re.compile(r"(categor|kategor)"), 60)],
    "subcategory": [(re.compile(r"(sub ?categor|unterkategor|sous categor)"), 90)],
    "account": [(re.compile(r"\b(account name|account number|rekeningnummer)\b"), 50)],
}

# Things that look like an amount/date/... by name but are something else.
_NOT_AMOUNT = re.compile(
    r"\b(original|orig|oorspr|oorspronkelijk|foreign|fremd\w*|local|converted|transfer amount|refund\w*|"
    r"fee|fees|gebuhr|kosten|tax|steuer|balance|saldo|solde|kontostand|running|available|disputed|"
    r"guthaben|rate|kurs|koers|wechselkurs|exchange|egyenleg|limit|ledger|zustatek|compensation|"
    r"shipping|gift|refunded|cashback|points|bonus|min|max|count|anzahl|rechnungsbetrag|"
    r"originalbetrag|fremdwahrung|puvodni)\b"
    r"|\bin [a-z]{3}\b|originalbetrag|fremdwahrung|saldo|balance"
)
_NOT_CURRENCY = re.compile(r"\b(original|orig|oorspr|local|foreign|fremd\w*|converted|transfer|puvodni)\b|originalwahrung|fremdwahrung")
_NOT_PAYEE = re.compile(r"\b(iban|bic|account|nummer|number|konto|rekening|rekeningnummer|adres|address|swift|blz|id|bank|card|uctu|szamlaszama|szamlaszam)\b")
_NOT_DATE = re.compile(r"\b(exp|expiry|expiration|birth|due|evidence|dispute)\b|card exp")
_BALANCE = re.compile(r"\b(balance|saldo|solde|kontostand|running ?balance|egyenleg|zustatek|guthaben)\b|saldo|balance")
_ID_LIKE = re.compile(
    r"^(id|ids|nr|no|num|number|row|fitid|iban|bic|blz|swift|check number|checknumber|cheque number|"
    r"reference number|ref|volgnr|vs|ks|ss|code|batch id|mandate|mandate id|creditor id|transaction id|"
    r"transaktions id|transaction reference number|transactiereferentie|time|uhrzeit|heure|hora|kurs|rate|"
    r"exchange rate|koers|wechselkurs|card last4|last4|order id|invoice id|invoice number)$"
    r"|\bid\b|\b(number|nummer|nr|no)$|\btime\b|\buhrzeit\b|\bheure\b|\bhora\b|\brate\b"
)

_PAREN_CCY = re.compile(r"[(\[]\s*([A-Za-z]{3})\s*[)\]]")
_SEP = re.compile(r"[\s_\-/\\().:#*,;'\"\[\]|+]+")
_CONTINUATION = re.compile(
    r"^(vwz|verwendungszweck|omschrijving|description|beschreibung|purpose|memo|details?|"
    r"trasaction description|transaction description|libelle|concepto|mededeling)\s*\d+$"
)


# a column naming the card each payment was made with: the file is a card statement (services/importing/card.py)
CARD_HEADERS = frozenset({"card no", "card number", "card used for transaction", "card member", "card last4",
                          "card last 4", "card last 4 digits", "kredietkaart", "kartennummer", "numero de carte"})


def card_column(columns) -> str | None:
    """The first header of ``columns`` that names the card a payment was made with ("Card No."), or None."""
    return next((str(c) for c in columns if normalize(str(c)) in CARD_HEADERS), None)


# a column giving the number of the card each payment was made with (Capital One's "Card No.": "1234"): the file's
# account column when its values look like card digits (:func:`card_digits`; table/roles.py, session 27, route27)
CARD_NUMBER_HEADERS = frozenset({"card no", "card number", "card nr", "card", "card last4", "card last 4",
                                 "card last 4 digits", "kartennummer", "karten nr", "kartennr", "numero de carte",
                                 "no de carte", "n de carte", "numero carte",
                                 # PC Financial Mastercard's ("**** 1234"; session 28: it was read as a name)
                                 "card used for transaction"})
# the last 4 digits, alone or after a mask ("XXXX-XXXX-XXXX-1234", "•••• 1234", "411111******1234"), or a whole number
_CARD_DIGITS = re.compile(r"(?:\d{0,8}[*xX•·…\.]+)?(\d{4})|(\d{13,19})")


def is_card_number(header: str) -> bool:
    """Whether ``header`` names the card number column ("Card No.", "Kartennummer", "Numéro de carte")."""
    return normalize(header) in CARD_NUMBER_HEADERS


def card_digits(value: object) -> str | None:
    """The digits a card number cell shows (spaces and dashes dropped): the last 4 ("1234" of "XXXX-XXXX-XXXX-1234"),
    or the whole number ("4111111111111234"); None when the cell does not look like a card number ("12.50", "Visa")."""
    m = _CARD_DIGITS.fullmatch(re.sub(r"[\s\-]", "", str(value or "")))
    return (m.group(1) or m.group(2)) if m else None


def normalize(header: str) -> str:
    """Folded header with punctuation as single spaces: 'Betrag (EUR)' -> 'betrag eur'."""
    text = fold(str(header or ""))
    text = _SEP.sub(" ", text).strip()
    return text


def header_currency(header: str) -> str | None:
    """A currency named in a header: 'Betrag (EUR)', 'Withdrawals (SGD)', 'Amount CZK'."""
    raw = str(header or "")
    m = _PAREN_CCY.search(raw)
    if m and m.group(1).upper() in _CURRENCIES:
        return m.group(1).upper()
    tokens = normalize(raw).split()
    if len(tokens) >= 2 and tokens[-1].upper() in _CURRENCIES and tokens[-2] not in {"in", "en"}:
        return tokens[-1].upper()
    return None


def _core(norm: str) -> str:
    """The normalized header without a trailing currency code ('amount eur' -> 'amount')."""
    tokens = norm.split()
    if len(tokens) >= 2 and tokens[-1].upper() in _CURRENCIES and tokens[-2] not in {"in", "en"}:
        tokens = tokens[:-1]
    return " ".join(tokens)


_CAMEL = re.compile(r"(?<=[a-z])(?=[A-Z])")


@lru_cache(maxsize=4096)
def role_scores(header: str) -> dict[str, int]:
    """How strongly a header name suggests each role (0-100); missing roles score 0.

    A camelCase header ('AmountIn', 'MoneyOut', 'PayeeName') is also read as its words
    ('Amount In'), and each role keeps the better of the two readings.
    """
    scores = _role_scores(header)
    words = _CAMEL.sub(" ", str(header or ""))
    if words != header:
        for role, score in _role_scores(words).items():
            scores[role] = max(score, scores.get(role, 0))
    return scores


def _role_scores(header: str) -> dict[str, int]:
    norm = normalize(header)
    if not norm:
        return {}
    core = _core(norm)
    scores: dict[str, int] = {}
    for role in ROLES:
        best = 0
        for candidate in (norm, core):
            exact = _EXACT.get(role, {}).get(candidate)
            if exact:
                best = max(best, exact)
        if not best:
            for pattern, score in _CONTAINS.get(role, ()):
                if pattern.search(core):
                    best = max(best, score)
                    break
        if best:
            scores[role] = best
    # A header naming both directions is an indicator column, not one side of a pair.
    has_debit = re.search(r"\b(debit|debet|soll|dr|af|outflow|kiadas|cargo)\b", core)
    has_credit = re.search(r"\b(credit|haben|cr|bij|inflow|bevetel|abono)\b", core)
    if has_debit and has_credit:
        scores.pop("debit", None)
        scores.pop("credit", None)
        scores["direction"] = max(scores.get("direction", 0), 90)
    if "amount" in scores and _NOT_AMOUNT.search(core):
        scores["amount"] = 0 if _BALANCE.search(core) else min(scores["amount"], 20)
    for side in ("debit", "credit"):
        if side in scores and re.search(r"\b(original|orig|fremd\w*|foreign|local|zahlungsbetrag|card|karte|kaart|carte|tarjeta|limit|balance|saldo)\b", core):
            scores[side] = min(scores[side], 30)
    if "currency" in scores and _NOT_CURRENCY.search(core):
        scores["currency"] = min(scores["currency"], 20)
    if "payee" in scores and _NOT_PAYEE.search(core):
        scores["payee"] = 0
    if "date" in scores and _NOT_DATE.search(core):
        scores["date"] = 0
    if "description" in scores and _CONTINUATION.match(core) and core not in {"description 1", "vwz1", "omschrijving 1"}:
        scores["description"] = min(scores["description"], 50)
    if "subcategory" in scores:
        scores.pop("category", None)
    return {k: v for k, v in scores.items() if v > 0}


def is_balance(header: str) -> bool:
    return bool(_BALANCE.search(_core(normalize(header))))


def is_id_like(header: str) -> bool:
    return bool(_ID_LIKE.search(_core(normalize(header))))


_UNNAMED = re.compile(r"^((unnamed|column)( \d+)*( level \d+)?)?$")


def is_unnamed(header: str) -> bool:
    """A header cell that names nothing: empty, or the name a reader gave it ("Column 3", pandas' "Unnamed: 0")."""
    return bool(_UNNAMED.match(normalize(header)))


_TRANSACTION_ID = re.compile(
    r"^(transaction id|transaction ids|trans id|txn id|txnid|tx id|transaction no|transaction number|"
    r"transaction reference|transaction ref|transaction reference number|fitid|unique id|id|"
    r"transaktions id|transaktionsid|transaktionsnummer|buchungs id|umsatz id|identifiant|"
    r"id transaction|id operation|referencia|id transaccion|transactiereferentie|transactie id)$"
)


def is_transaction_id(header: str) -> bool:
    """A column naming each transaction uniquely ('transaction_id', 'FITID', 'Transaktions-ID')."""
    return bool(_TRANSACTION_ID.match(_core(normalize(header))))


def is_continuation(header: str) -> bool:
    """'VWZ3', 'Omschrijving-2', 'Description 3': extra lines of one description."""
    return bool(_CONTINUATION.match(_core(normalize(header))))


def vocabulary_hits(cells: list[str]) -> int:
    """How many cells of a row are known header names (used to find the header row)."""
    hits = 0
    for cell in cells:
        scores = {k: v for k, v in role_scores(cell).items() if k != "bank_type"}  # as before that role
        if scores and max(scores.values()) >= 50 or is_balance(cell) or is_id_like(cell):
            hits += 1
    return hits
