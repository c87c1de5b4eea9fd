"""Does one correction teach the merchant? Bank-text variants with known ground truth (issue #16).

    .venv/bin/python benchmarks/merchant_variants.py [--merchants 300] [--variants 6] [--seed 16] [--show 0]

No evaluation file is read. Merchant names come from two populations:
  brand   keys of the built-in brand table (budgetwise/data/brands.tsv.gz), split back into words where
          every part is a common English word (zxcvbn's frequency lists: "bluebottle" -> "BLUE BOTTLE"),
          else one word; a quarter of them chosen to share their first word with another name;
  local   names no table knows, made of generic words: "<SURNAME> <TRADE>", "<WORD> <WORD> <TRADE>",
          a person's "<FIRST> <LAST>" and a one-word "<SURNAME>S" (surnames / first names from zxcvbn's
          lists, trades and words from a short generic list), many sharing a first word; since session 15 also
          one-letter names, alone or before a word ("Z", "Z ENERGY" style: "Q PHARMACY", "K LANTERN").
Each merchant is printed the way banks of several countries print card and transfer lines (STYLES below:
NZ/AU branch + city, "... NZ" suffixes, masked card + flag, POS W/D with a time and a width cut; US Square,
debit-card purchase with store numbers, city + state; UK card payments; Indian UPI/NEFT; EU SEPA and card
lines; since session 14 three styles where a payment's channel comes before the payee or not: br "PAGAMENTO VIA
INTERNET", de "Internetbanking" / "ONLINE BANKING ... UEBER INTERNET", es "PAGO POR INTERNET"; since session 15 au
"EFTPOS PURCHASE AT <name> <city>", in "RTGS-<UTR>-<name>-<city>" / "NEFT CR", us "POS DEBIT" cut at a width (no
place marker between the name and the city), br "PIX ENVIADO / PIX TRANSF / PIX QRS" and "TED ENVIADA / TED <bank>
<branch>"; since session 16 card and mobile-wallet channel words; since session 17 a facilitator's code and "*"
before the seller, br "PAG*" / "MP *", us "TST* " / "CKO*", and M-Pesa's "Customer Transfer to" / "Funds received
from" phrases), with random cities, numbers and dates: --variants rows per merchant and style. One style is one bank: a household holds every
merchant's rows of that style, and the places its text shows (textforms.household_places; --no-places: without).

Per style and population, a correction of each merchant's first row (what ``learn_from_correction`` writes:
``history.choose_stem`` of its learning key, with the household's keys as its neighbours, nothing hand-set):
  key=    share of the merchant's other rows whose learning key equals the corrected row's;
  rule    share of them the written rule covers (recall: "one correction teaches the merchant");
  mem     share the merchant memory of that one row answers (any stem, any confidence);
  merge   share of corrections whose rule also covers a row of another merchant (false merges);
  shared  share of distinct learning keys that two merchants' rows share.
"""

from __future__ import annotations

import argparse
import random
import re
import sys
import time
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from budgetwise.services.categorize.brands import brand_index  # noqa: E402
from budgetwise.services.categorize.history import (  # noqa: E402
    MerchantMemory,
    Neighbour,
    choose_stem,
    stem_matches,
)
from budgetwise.textforms import learn_key  # noqa: E402

try:  # since session 14 (the script also runs on an earlier checkout, for a before / after)
    from budgetwise.textforms import household_places  # noqa: E402
except ImportError:  # pragma: no cover
    household_places = None  # type: ignore[assignment]

# Generic place names (suburbs, towns, cities) per country: general knowledge, none from any data set.
CITIES = {
    "nz": ["KILBIRNIE", "PETONE", "LOWER HUTT", "NEWTOWN", "JOHNSONVILLE", "PORIRUA", "MT ALBERT", "PONSONBY",
           "RICCARTON", "PAPANUI", "TE ARO", "WELLINGTON", "AUCKLAND", "HAMILTON", "TAURANGA", "NEW LYNN"],
    "au": ["BONDI JUNCTION", "PARRAMATTA", "CHATSWOOD", "FITZROY", "RICHMOND", "SOUTHPORT", "FREMANTLE", "GLENELG",
           "SYDNEY", "MELBOURNE", "BRISBANE", "HOBART", "NEWCASTLE", "GEELONG"],
    "us": ["AUSTIN", "SAN JOSE", "SEATTLE", "BROOKLYN", "PORTLAND", "DENVER", "SPRINGFIELD", "OAKLAND", "BOSTON",
           "CHICAGO", "PHOENIX", "SALT LAKE CTY", "NEW YORK", "FORT WORTH"],
    "uk": ["LONDON", "LEEDS", "MANCHESTER", "BRISTOL", "GLASGOW", "CARDIFF", "CROYDON", "BRIGHTON", "YORK",
           "MILTON KEYNES", "KINGSTON UPON", "READING"],
    "in": ["MUMBAI", "PUNE", "BENGALURU", "NEW DELHI", "CHENNAI", "HYDERABAD", "KOLKATA", "NOIDA", "GURGAON"],
    "de": ["BERLIN", "HAMBURG", "MUENCHEN", "KOELN", "FRANKFURT", "STUTTGART", "LEIPZIG", "BONN", "DRESDEN"],
    "fr": ["PARIS", "LYON", "MARSEILLE", "TOULOUSE", "NANTES", "LILLE", "BORDEAUX", "NICE", "RENNES"],
    "br": ["SAO PAULO", "CAMPINAS", "SANTOS", "CURITIBA", "RECIFE", "SALVADOR", "FORTALEZA", "NITEROI"],
    "es": ["MADRID", "BARCELONA", "VALENCIA", "SEVILLA", "BILBAO", "MALAGA", "ZARAGOZA", "GRANADA"],
}
STATES = {"us": ["TX", "CA", "WA", "NY", "OR", "CO", "IL", "MA", "AZ", "UT"], "au": ["NSW", "VIC", "QLD", "WA", "SA", "TAS"]}
MONTHS = ["JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"]
UPI_HANDLES = ["okaxis", "okhdfcbank", "oksbi", "ybl", "paytm", "ibl", "axl", "icici", "upi"]
IFSC = ["HDFC", "ICIC", "SBIN", "UTIB", "YESB", "KKBK"]
TRADES = ["CAFE", "BAKERY", "PLUMBING", "DENTAL", "PHARMACY", "MOTORS", "HAIR", "BARBERS", "FLORIST", "BUTCHERY",
          "TAKEAWAYS", "SUSHI", "PIZZA", "LAUNDROMAT", "PHYSIO", "ELECTRICAL", "VET CLINIC", "BOOKSHOP", "DELI"]
WORDS = ["BLUE", "RED", "GREEN", "GOLDEN", "SILVER", "OLD", "LITTLE", "HAPPY", "ROYAL", "CORNER", "OCEAN", "MOUNTAIN",
         "RIVER", "SUNNY", "LUCKY", "URBAN"]
NOUNS = ["PARROT", "DOOR", "KIWI", "LEAF", "OAK", "FERN", "LANTERN", "ANCHOR", "BRIDGE", "TABLE", "SPOON", "DRAGON"]


def _r(rng: random.Random, n: int) -> str:
    return "".join(rng.choice("0123456789") for _ in range(n))


def _cut(text: str, width: int) -> str:
    return text[:width].rstrip()


# Each style: (name, country, function(merchant name, rng) -> description). One style is one bank's way.
def _nz_branch(n, rng):
    c = rng.choice(CITIES["nz"])
    return f"{n} {c} {c if rng.random() < 0.5 else rng.choice(CITIES['nz'])}".lower() if rng.random() < 0.5 \
        else f"{n} {c} {c}"


def _nz_suffix(n, rng):
    return f"{n} {rng.choice(CITIES['nz'])} NZ"


def _nz_card(n, rng):
    return f"4835-****-{_r(rng, 4)} Df {n} {rng.choice(CITIES['nz'])}"


def _nz_posw(n, rng):
    return f"POS W/D {_cut(n + ' ' + rng.choice(CITIES['nz']), 20)}-{rng.randint(0, 23):02d}:{rng.randint(0, 59):02d}"


def _nz_eftpos(n, rng):
    return f"EFTPOS {n} {rng.choice(CITIES['nz'])} {_r(rng, rng.choice((4, 6, 8)))}"


def _au_visa(n, rng):
    return (f"VISA PURCHASE {rng.randint(1, 28):02d}/{rng.randint(1, 12):02d} {n} {rng.choice(CITIES['au'])} "
            f"{rng.choice(STATES['au'])} AUS Card xx{_r(rng, 4)}")


def _us_square(n, rng):
    tail = f"{_r(rng, 3)}-{_r(rng, 3)}-{_r(rng, 4)}" if rng.random() < 0.5 else rng.choice(CITIES["us"])
    return f"SQ *{n} {tail} {rng.choice(STATES['us'])}"


def _us_debit(n, rng):
    return (f"DEBIT CARD PURCHASE XXXX{_r(rng, 4)} {n} #{_r(rng, 4)} {rng.choice(CITIES['us'])} "
            f"{rng.choice(STATES['us'])}")


def _us_store(n, rng):
    num = f"#{_r(rng, 4)}" if rng.random() < 0.5 else f"STORE {_r(rng, 5)}"
    return f"{n} {num} {rng.choice(CITIES['us'])} {rng.choice(STATES['us'])}"


def _us_pos(n, rng):
    return f"POS {rng.randint(1, 12):02d}/{rng.randint(1, 28):02d} {_cut(n, 22)} {rng.choice(CITIES['us'])} {rng.choice(STATES['us'])} {_r(rng, 6)}"


def _uk_card(n, rng):
    return f"CARD PAYMENT TO {n} {_r(rng, 4)} ON {rng.randint(1, 28):02d} {rng.choice(MONTHS)}"


def _uk_city(n, rng):
    return f"{n} {rng.choice(CITIES['uk'])} GB" if rng.random() < 0.5 else f"{n} {_r(rng, 4)} {rng.choice(CITIES['uk'])}"


def _in_upi(n, rng):
    h = re.sub(r"[^a-z]", "", n.lower())[:10]
    return f"UPI/{_r(rng, 12)}/{n}/{h}{_r(rng, 2) if rng.random() < 0.5 else ''}@{rng.choice(UPI_HANDLES)}/Payment"


def _in_upi_dr(n, rng):
    h = re.sub(r"[^a-z]", "", n.lower())[:10]
    return f"UPI/DR/{_r(rng, 12)}/{n}/{rng.choice(IFSC)}/{h}@{rng.choice(UPI_HANDLES)}/UPI"


def _in_neft(n, rng):
    return f"NEFT-{rng.choice(IFSC)}N{_r(rng, 11)}-{n}-{rng.choice(CITIES['in'])}"


def _de_sepa(n, rng):
    return (f"LASTSCHRIFT {n} GMBH EREF: {_r(rng, 10)} MREF: M{_r(rng, 6)} CRED: DE{_r(rng, 2)}ZZZ{_r(rng, 8)} "
            f"SVWZ: RECHNUNG {_r(rng, 6)}")


def _de_card(n, rng):
    c = rng.choice(CITIES["de"])
    return f"KARTENZAHLUNG {n} {_r(rng, 4)}//{c}/DE {rng.randint(1, 28):02d}.{rng.randint(1, 12):02d}.2026"


def _fr_cb(n, rng):
    return f"PAIEMENT PAR CARTE X{_r(rng, 4)} {n} {rng.choice(CITIES['fr'])} {rng.randint(1, 28):02d}/{rng.randint(1, 12):02d}"


def _br_internet(n, rng):  # a bill paid over the internet, or at a counter
    return (f"PAGAMENTO VIA INTERNET {n}" if rng.random() < 0.5
            else f"PAGAMENTO {n} {rng.randint(1, 28):02d}/{rng.randint(1, 12):02d}")


def _de_online(n, rng):
    r = rng.random()
    if r < 0.34:
        return f"Internetbanking {n} {_r(rng, 8)}"
    return f"ONLINE BANKING ZAHLUNG UEBER INTERNET {n} {_r(rng, 6)}" if r < 0.67 else f"LASTSCHRIFT {n} {_r(rng, 8)}"


def _es_internet(n, rng):
    return f"PAGO POR INTERNET {n} {_r(rng, 6)}" if rng.random() < 0.5 else f"PAGO {n} {_r(rng, 6)}"


# Since session 15 (written before any result was looked at): more formats with no place marker between the name
# and the city, and Brazilian rails before the payee.
def _au_eftpos(n, rng):  # no state, no country: the city right after the name
    return f"EFTPOS PURCHASE AT {n} {rng.choice(CITIES['au'])}" if rng.random() < 0.5 \
        else f"EFTPOS {n} {rng.choice(CITIES['au'])} {_r(rng, 8)}".lower()


def _in_rtgs(n, rng):  # an RTGS / NEFT credit reference, the payee, the branch city
    return (f"RTGS-{rng.choice(IFSC)}R{_r(rng, 12)}-{n}-{rng.choice(CITIES['in'])}" if rng.random() < 0.5
            else f"NEFT CR {rng.choice(IFSC)}N{_r(rng, 9)} {n} {rng.choice(CITIES['in'])}")


def _us_pos_cut(n, rng):  # a debit POS line cut at a width, the city often cut too
    return f"POS DEBIT {_cut(n + ' ' + rng.choice(CITIES['us']), 24)} {_r(rng, 6)}"


def _br_pix(n, rng):  # the PIX rail and its direction words before the payee, or a counter payment
    r = rng.random()
    if r < 0.3:
        return f"PIX ENVIADO {n}"
    if r < 0.55:
        return f"PIX TRANSF {n} {rng.randint(1, 28):02d}/{rng.randint(1, 12):02d}"
    return f"PIX QRS {n} {rng.randint(1, 28):02d}/{rng.randint(1, 12):02d}" if r < 0.75 else f"PAGAMENTO {n}"


def _br_ted(n, rng):  # a TED / DOC transfer: the rail, a bank and branch number, the payee
    r = rng.random()
    if r < 0.35:
        return f"TED ENVIADA {n}"
    return f"TED {_r(rng, 3)} {_r(rng, 4)} {n}" if r < 0.7 else f"DOC/TED {_r(rng, 3)}.{_r(rng, 4)} {n}"


# Since session 16 (catkey; written before any result was looked at): a card's or a mobile wallet's channel words
# before the payee, as banks of several countries print them (general knowledge of the formats, no data set's rows).
def _br_cartao(n, rng):  # a Brazilian debit / credit card purchase: the card words, the network, the day
    net = rng.choice(["DEB MC", "MAESTRO", "DEB VISA", "CRED ELO", "DEBITO"])
    return f"COMPRA CARTAO {net} {rng.randint(1, 28):02d}/{rng.randint(1, 12):02d} {n}"


def _es_tarjeta(n, rng):  # a Spanish card purchase, or the abbreviated card word with a masked number
    if rng.random() < 0.5:
        return f"COMPRA TARJ. {_r(rng, 4)}XXXXXXXX{_r(rng, 4)} {n}"
    return f"PAGO CON TARJETA DE DEBITO {n} {rng.choice(CITIES['es'])}"


def _it_carta(n, rng):  # an Italian POS payment by debit card
    return f"PAGAMENTO POS CARTA DEBITO {n} {_r(rng, 4)}" if rng.random() < 0.5 \
        else f"PAGAMENTO CON CARTA {n} {rng.randint(1, 28):02d}/{rng.randint(1, 12):02d}"


def _nl_betaalpas(n, rng):  # a Dutch debit-card payment
    return f"BEA, BETAALPAS {n},PAS{_r(rng, 3)}" if rng.random() < 0.5 else f"PINBETALING {n} {_r(rng, 6)}"


def _ke_paybill(n, rng):  # an M-Pesa statement: a pay bill number or a till (buy goods), then the payee
    r = rng.random()
    if r < 0.4:
        return f"Pay Bill Online to {_r(rng, 6)} - {n} Acc. {_r(rng, 8)}"
    if r < 0.7:
        return f"Pay Bill to {_r(rng, 6)} - {n} Acc. {_r(rng, 10)}"
    return f"Merchant Payment to {_r(rng, 6)} - {n}"


# Since session 17 (catkeys; written and committed before any result was looked at): a payment facilitator's short
# code and a "*" before the seller, as card statements of several countries print them, beside the seller's plain line;
# and a mobile-money statement's person-to-person and business phrases before the name (general knowledge of the
# formats, no data set's rows).
def _br_star(n, rng):  # a Brazilian card line: a facilitator's code and "*" before the seller, or the seller alone
    if rng.random() < 0.6:
        return f"{rng.choice(['PAG*', 'PG *', 'MP *', 'ZIG*', 'EC *'])}{n}"
    return f"{n} {rng.choice(CITIES['br'])}" if rng.random() < 0.5 else n


def _us_star(n, rng):  # a US card line: a point-of-sale service's code and "*" before the seller, or the seller alone
    place = f"{rng.choice(CITIES['us'])} {rng.choice(STATES['us'])}"
    if rng.random() < 0.6:
        return f"{rng.choice(['TST* ', 'SQ *', 'PAYPAL *', 'CKO*', 'PY *', 'DD *'])}{n} {place}"
    return f"{n} {place}"


def _ke_p2p(n, rng):  # an M-Pesa statement: money sent to, received from or paid to the same name
    phone = f"07******{_r(rng, 3)}"
    return rng.choice([f"Customer Transfer to - {phone} {n}", f"Funds received from - {phone} {n}",
                       f"Customer Payment to Small Business to - {phone} {n}",
                       f"Merchant Payment to {_r(rng, 6)} - {n}", f"Business Payment from {_r(rng, 6)} - {n}"])


STYLES: list[tuple[str, Callable[[str, random.Random], str]]] = [
    ("nz branch city", _nz_branch), ("nz ... NZ", _nz_suffix), ("nz card+Df", _nz_card), ("nz POS W/D", _nz_posw),
    ("nz EFTPOS nr", _nz_eftpos), ("au VISA PURCHASE", _au_visa), ("us SQ *", _us_square),
    ("us DEBIT CARD #", _us_debit), ("us store # city", _us_store), ("us POS date", _us_pos),
    ("uk CARD PAYMENT", _uk_card), ("uk city GB", _uk_city), ("in UPI/", _in_upi), ("in UPI/DR", _in_upi_dr),
    ("in NEFT", _in_neft), ("de LASTSCHRIFT", _de_sepa), ("de KARTENZAHLUNG", _de_card), ("fr CB", _fr_cb),
    # the payment's channel before the payee (since session 14)
    ("br VIA INTERNET", _br_internet), ("de Internetbanking", _de_online), ("es POR INTERNET", _es_internet),
    # no place marker between name and city; Brazilian rails (since session 15)
    ("au EFTPOS", _au_eftpos), ("in RTGS/NEFT CR", _in_rtgs), ("us POS cut", _us_pos_cut), ("br PIX", _br_pix),
    ("br TED", _br_ted),
    # a card's or a mobile wallet's channel words before the payee (since session 16)
    ("br COMPRA CARTAO", _br_cartao), ("es COMPRA TARJ", _es_tarjeta), ("it POS CARTA", _it_carta),
    ("nl BETAALPAS", _nl_betaalpas), ("ke PAY BILL", _ke_paybill),
    # a facilitator's code and "*" before the seller; mobile money's person-to-person phrases (since session 17)
    ("br PAG*/MP *", _br_star), ("us TST*/CKO*", _us_star), ("ke P2P", _ke_p2p),
]


def _vocabulary() -> dict[str, int]:
    from zxcvbn.frequency_lists import FREQUENCY_LISTS

    rank: dict[str, int] = {}
    for name in ("english_wikipedia", "us_tv_and_film"):
        for i, w in enumerate(FREQUENCY_LISTS[name][:20000]):
            if len(w) >= 2 and w.isalpha():
                rank[w] = min(rank.get(w, i), i)
    return rank


def split_words(key: str, vocab: dict[str, int]) -> list[str] | None:
    """``key`` split into common words (fewest words, then the commonest), or None."""
    best: list[tuple[int, int, list[str]] | None] = [None] * (len(key) + 1)
    best[0] = (0, 0, [])
    for i in range(len(key)):
        if best[i] is None:
            continue
        n, cost, words = best[i]  # type: ignore[misc]
        for j in range(i + 2, len(key) + 1):
            r = vocab.get(key[i:j])
            if r is None:
                continue
            cand = (n + 1, cost + r, words + [key[i:j]])
            if best[j] is None or cand[:2] < best[j][:2]:  # type: ignore[index]
                best[j] = cand
    return best[-1][2] if best[-1] is not None else None


@dataclass(frozen=True)
class Merchant:
    ident: int
    name: str  # as the bank prints it (upper case)
    population: str  # brand / local


LETTERS = "ABCDEFGHJKLMPQRSTUVWZ"


def merchants(count: int, seed: int, letters: bool = True) -> list[Merchant]:
    rng = random.Random(seed)
    vocab = _vocabulary()
    keys = sorted(brand_index().entries)
    names: list[str] = []
    by_first: dict[str, list[str]] = defaultdict(list)
    for k in rng.sample(keys, min(len(keys), count * 20)):
        if not k.isalpha():
            continue
        parts = split_words(k, vocab)
        if parts and len(parts) <= 3:
            name = " ".join(parts)
        elif len(k) <= 12:  # a one-word brand (long unsplit keys are names of several words run together)
            name = k
        else:
            continue
        by_first[name.split()[0]].append(name)
    shared = [ns[:2] for f, ns in sorted(by_first.items()) if len(ns) >= 2]
    rng.shuffle(shared)
    chosen: list[str] = [n for pair in shared[: count // 8] for n in pair]
    rest = [ns[0] for _, ns in sorted(by_first.items()) if ns[0] not in chosen]
    rng.shuffle(rest)
    chosen += rest[: count - len(chosen)]
    out = [Merchant(i, n.upper(), "brand") for i, n in enumerate(chosen)]
    from zxcvbn.frequency_lists import FREQUENCY_LISTS

    surnames = [s for s in FREQUENCY_LISTS["surnames"][:400] if s.isalpha() and len(s) > 3]
    firsts = [s for s in FREQUENCY_LISTS["male_names"][:150] + FREQUENCY_LISTS["female_names"][:150] if s.isalpha()]
    local: set[str] = set()
    pairs: set[tuple[str, ...]] = set()  # two local merchants share a first word, not their first two
    while len(local) < count:
        kind = rng.random()
        if letters and rng.random() < 0.06:  # a one-letter name, alone or before a word ("Z", "Z ENERGY"; session 15)
            n = rng.choice(LETTERS) + ("" if rng.random() < 0.3 else f" {rng.choice(TRADES + NOUNS)}")
        elif kind < 0.35:
            n = f"{rng.choice(surnames)} {rng.choice(TRADES)}"
        elif kind < 0.7:
            n = f"{rng.choice(WORDS)} {rng.choice(NOUNS)} {rng.choice(TRADES)}"
        elif kind < 0.9:
            n = f"{rng.choice(firsts)} {rng.choice(surnames)}"
        else:
            n = f"{rng.choice(surnames)}S"
        if tuple(n.split()[:2]) not in pairs:
            pairs.add(tuple(n.split()[:2]))
            local.add(n.upper())
    out += [Merchant(len(out) + i, n, "local") for i, n in enumerate(sorted(local))]
    return out


def measure(ms: list[Merchant], variants: int, seed: int, show: int = 0, use_places: bool = True) -> list[tuple]:
    rows = []
    for s_i, (style, fn) in enumerate(STYLES):
        rng = random.Random(seed * 1000 + s_i)
        texts = {m.ident: [fn(m.name, rng) for _ in range(variants)] for m in ms}
        keys = {i: [learn_key(t) for t in ts] for i, ts in texts.items()}
        owner: dict[str, set[int]] = defaultdict(set)
        for i, ks in keys.items():
            for k in ks:
                owner[k].add(i)
        household = [Neighbour(k, None, False) for k in owner]
        places = household_places(owner) if use_places and household_places else frozenset()
        by_word: dict[str, set[str]] = defaultdict(set)  # word prefix -> keys under it
        for k in owner:
            words = k.split()
            for n in range(1, len(words) + 1):
                by_word[" ".join(words[:n])].add(k)
        for pop in ("brand", "local"):
            same = rule = mem = merged = total = 0
            group = [m for m in ms if m.population == pop]
            for m in group:
                first, others = keys[m.ident][0], keys[m.ident][1:]
                stem = choose_stem(first, 1, household, places) if places else choose_stem(first, 1, household)
                memory = MerchantMemory([(first, "expense", 1)])
                total += len(others)
                same += sum(k == first for k in others)
                rule += sum(stem_matches(stem, k) for k in others)
                mem += sum(memory.lookup(k, "expense") is not None for k in others)
                if any(owner[k] - {m.ident} for k in by_word.get(stem, ())):
                    merged += 1
                    if show:
                        show -= 1
                        print(f"  merge {style!r}: {texts[m.ident][0]!r} -> {stem!r} covers "
                              f"{sorted(k for k in by_word[stem] if owner[k] - {m.ident})[:3]}")
            pop_keys = {k for m in group for k in keys[m.ident]}
            shared = sum(len(owner[k]) > 1 for k in pop_keys)
            rows.append((style, pop, same / total, rule / total, mem / total, merged / len(group),
                         shared / max(1, len(pop_keys))))
    return rows


def offers(ms: list[Merchant], per_population: int, seed: int, rows_each: int = 4) -> list[tuple[str, int, int, int]]:
    """Through the app (a scratch SQLite database, one user per style): ``per_population`` merchants of each
    population, ``rows_each`` rows each; each merchant's first row corrected to one category
    (``learn_from_correction``) and the offer accepted. Per style: (offers, offers whose count equals the rows the
    accept changed, the merchants' rows filed under the category afterwards, their rows)."""
    import datetime as dt

    from sqlalchemy import select

    from benchmarks._common import scratch_database
    from budgetwise.db import session_scope
    from budgetwise.models import Transaction
    from budgetwise.services import categories, transactions
    from budgetwise.services import categorize as cz

    rng = random.Random(seed)
    chosen = [m for pop in ("brand", "local") for m in rng.sample([m for m in ms if m.population == pop],
                                                                   per_population)]
    out = []
    with scratch_database("placekey-offers") as db:
        for s_i, (style, fn) in enumerate(STYLES):
            user = db.new_user(f"offers{s_i}@example.com")
            srng = random.Random(seed * 1000 + s_i)
            firsts: list[int] = []
            ids: list[int] = []
            with session_scope(db.factory) as s:
                health = categories.find_category_by_name(s, user_id=user.user_id, name="Health").id
                for m in chosen:
                    for j in range(rows_each):
                        t = transactions.add_transaction(s, user_id=user.user_id, date=dt.date(2026, 3, 1 + j),
                                                         amount="9.99", kind="expense", description=fn(m.name, srng))
                        ids.append(t.id)
                        if j == 0:
                            firsts.append(t.id)
            right = 0
            for tid in firsts:
                with session_scope(db.factory) as s:
                    transactions.update_transaction(s, user_id=user.user_id, transaction_id=tid, category_id=health)
                    offer = cz.learn_from_correction(s, user_id=user.user_id, transaction_id=tid, category_id=health)
                    right += cz.accept_learn_offer(s, user_id=user.user_id, offer=offer) == offer.matching_past
            with session_scope(db.factory) as s:
                got = dict(s.execute(select(Transaction.id, Transaction.category_id).where(
                    Transaction.user_id == user.user_id)).all())
            out.append((style, len(firsts), right, sum(got.get(i) == health for i in ids), len(ids)))
    return out


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--merchants", type=int, default=300, help="merchants per population")
    ap.add_argument("--variants", type=int, default=6)
    ap.add_argument("--seed", type=int, default=16)
    ap.add_argument("--show", type=int, default=0, help="print this many false merges")
    ap.add_argument("--misses", type=int, default=0, help="print this many rows a correction's rule misses")
    ap.add_argument("--no-places", action="store_true", dest="no_places",
                    help="without the household's place names (textforms.household_places; before session 14)")
    ap.add_argument("--offers", type=int, default=0,
                    help="also through the app: this many merchants per population, the offer's count against the "
                         "rows the accept changes (slow: a scratch database)")
    ap.add_argument("--styles", default="", help="only the styles whose names contain one of these (comma-separated)")
    args = ap.parse_args(argv)
    if args.styles:
        STYLES[:] = [s for s in STYLES if any(w.strip() in s[0] for w in args.styles.split(","))]
    t0, c0 = time.perf_counter(), time.process_time()
    ms = merchants(args.merchants, args.seed)
    if args.misses:
        rng = random.Random(args.seed)
        for style, fn in STYLES:
            shown = 0
            for m in rng.sample(ms, len(ms)):
                ts = [fn(m.name, rng) for _ in range(3)]
                stem = choose_stem(learn_key(ts[0]), 1, [])
                miss = [t for t in ts[1:] if not stem_matches(stem, learn_key(t))]
                if miss and shown < args.misses:
                    shown += 1
                    print(f"  miss {style!r} [{m.population}] {ts[0]!r} -> {stem!r}; {miss[0]!r} -> {learn_key(miss[0])!r}")
    rows = measure(ms, args.variants, args.seed, args.show, not args.no_places)
    print(f"{len(ms)} merchants ({args.merchants} brand, {args.merchants} local), {args.variants} rows each per style, "
          f"seed {args.seed}")
    print(f"{'style':18} {'pop':6} {'key=':>6} {'rule':>6} {'mem':>6} {'merge':>6} {'shared':>7}")
    for style, pop, same, rule, mem, merged, shared in rows:
        print(f"{style:18} {pop:6} {same:6.1%} {rule:6.1%} {mem:6.1%} {merged:6.1%} {shared:7.1%}")
    for pop in ("brand", "local"):
        sel = [r for r in rows if r[1] == pop]
        mean = [sum(r[i] for r in sel) / len(sel) for i in range(2, 7)]
        print(f"{'mean of styles':18} {pop:6} " + " ".join(f"{v:6.1%}" for v in mean[:4]) + f" {mean[4]:7.1%}")
    if args.offers:
        print(f"through the app: {args.offers} merchants per population, 4 rows each, each first row corrected")
        print(f"{'style':18} {'offers':>6} {'count=changed':>13} {'rows filed':>11}")
        for style, n, right, filed, total in offers(ms, args.offers, args.seed):
            print(f"{style:18} {n:6d} {right:13d} {filed:5d}/{total:<5d}")
    print(f"{time.process_time() - c0:.1f} s CPU, {time.perf_counter() - t0:.1f} s wall")


if __name__ == "__main__":
    main()
