"""Build the brand table the categorizer ships (issue #16, cold): budgetwise/data/brands.tsv.gz.

    .venv/bin/python tools/build_brands.py [--tarball PATH] [--out PATH]

Source: the OpenStreetMap name-suggestion-index (NSI), npm package ``name-suggestion-index``
(BSD-3-Clause, https://nsi.guide), pinned to VERSION and checked against SHA256. Without
``--tarball`` the pinned tarball is downloaded from the npm registry; either way its sha256
must match. Nothing else is read: no labelled transaction, no hand list of brands.

What is kept (each step a general rule, printed with its count):

1. Brand items (``brands/...`` tag paths) whose OSM tag path maps to a BudgetWise default
   category in TAG_CATEGORY (a reviewed table: supermarket -> Groceries, fuel -> Transport, ...);
   operators (``operators/...``) in OPERATOR_CATEGORY (energy and water networks -> Utilities,
   school operators -> Education, ...); every transit network (``transit/...``) -> Transport.
   Paths in NEUTRAL (ATMs, vending machines, parcel lockers, ...) say nothing about what a shop
   sells and are ignored; every other brand path counts as a category of its own ("not a
   BudgetWise category": car dealers, estate agents...). Banks, lenders and money-transfer
   services are Transfers (since 2026-12-05).
2. Names: each item's displayName, matchNames and naming tags (NAME_TAGS: ``name``/``brand``
   for brands, ``operator``/``network`` and their ``:en``/``:short`` forms for the others), as :func:`brand_words` reads them, joined into one key ("Pak'nSave" ->
   "paknsave"). Names with letters outside ASCII after folding are left out (the key would
   never match a folded description of another script).
3. Dropped as ambiguous:
   * names NSI itself calls generic (its genericWords.json patterns);
   * keys shorter than MIN_KEY characters, keys made of digits only;
   * keys that are common words or people's names: in the top COMMON_WORDS of English
     Wikipedia or of US TV and film, among the first names or the top COMMON_SURNAMES
     surnames of zxcvbn's frequency lists (zxcvbn is already a dependency: the password check);
   * keys that are payment boilerplate or month names for the categorizer itself (``textforms``);
   * one-word names that NSI's own names use as a later word at least INNER_WORD times
     ("Pizza" in "Domino's Pizza", "Centro", "Norte", and place names: "Manchester",
     "Milano" — the words a bank description carries beside any merchant);
   * names where no category holds at least MAJORITY of the NSI items carrying the name
     (a name in several categories).
The output starts with '#' lines recording source, version, sha256, licence and the rules;
then one 'key<TAB>category' line per brand, sorted.
"""

from __future__ import annotations

import argparse
import gzip
import hashlib
import io
import json
import re
import sys
import tarfile
import urllib.request
from collections import Counter, defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from budgetwise.services.categorize.brands import ARTIFACT, MAX_WORDS, brand_words  # noqa: E402

PACKAGE = "name-suggestion-index"
VERSION = "8.0.20260918"
URL = f"https://registry.npmjs.org/{PACKAGE}/-/{PACKAGE}-{VERSION}.tgz"
SHA256 = "3ee22f0f0a99528ac9c65a57211575defd968e21fd6374e746bfd02e94422121"
LICENCE = "BSD-3-Clause (Copyright 2026, name-suggestion-index contributors; see THIRD_PARTY_NOTICES.md)"

MIN_KEY = 5  # characters of the joined key ("bp", "kfc", "next", "ross" are too short to find safely in bank text)
COMMON_WORDS = 5000  # top words of zxcvbn's English Wikipedia and US TV/film lists
COMMON_SURNAMES = 2000  # top surnames of zxcvbn's list (people are payees too)
INNER_WORD = 3  # a one-word name that is a later word of this many other NSI names is generic ("centro", "pizza")
MAJORITY = 2 / 3  # share of a name's NSI items that must agree on one category

# OSM tag path (after "brands/") -> BudgetWise default category. Only paths whose shops sell
# mostly one kind of thing; bakeries, liquor stores, wholesalers, malls, newsagents, post
# offices and vets are left out on purpose (they fall in different budgets for different people).
TAG_CATEGORY: dict[str, str] = {
    **dict.fromkeys(("shop/supermarket", "shop/convenience", "shop/greengrocer", "shop/butcher", "shop/deli",
                     "shop/frozen_food", "shop/health_food", "shop/dairy", "shop/seafood", "shop/cheese"), "Groceries"),
    **dict.fromkeys(("amenity/fast_food", "amenity/restaurant", "amenity/cafe", "amenity/bar", "amenity/pub",
                     "amenity/ice_cream"), "Dining"),
    **dict.fromkeys(("amenity/fuel", "amenity/charging_station", "man_made/charge_point", "waterway/fuel",
                     "amenity/car_wash", "amenity/parking", "amenity/car_sharing", "amenity/bicycle_rental",
                     "shop/car_repair", "shop/tyres", "shop/car_parts"), "Transport"),
    **dict.fromkeys(("amenity/pharmacy", "shop/chemist", "shop/optician", "shop/hearing_aids", "shop/medical_supply",
                     "healthcare/laboratory", "healthcare/sample_collection", "amenity/dentist", "amenity/clinic",
                     "amenity/doctors", "healthcare/physiotherapist"), "Health"),
    **dict.fromkeys(("shop/clothes", "shop/shoes", "shop/electronics", "shop/department_store", "shop/furniture",
                     "shop/doityourself", "shop/hardware", "shop/variety_store", "shop/books", "shop/jewelry",
                     "shop/sports", "shop/toys", "shop/houseware", "shop/bed", "shop/pet", "shop/stationery",
                     "shop/gift", "shop/garden_centre", "shop/kitchen", "shop/interior_decoration", "shop/outdoor",
                     "shop/bag", "shop/fashion_accessories", "shop/watches", "shop/baby_goods", "shop/computer",
                     "shop/appliance", "shop/bicycle", "shop/charity", "shop/second_hand", "shop/household_linen",
                     "shop/bathroom_furnishing", "shop/lighting", "shop/paint", "shop/tiles", "shop/flooring",
                     "shop/carpet", "shop/curtain", "shop/craft", "shop/fabric", "shop/music",
                     "shop/musical_instrument", "shop/video_games", "shop/games", "shop/hifi", "shop/camera",
                     "shop/trade", "shop/tobacco", "shop/e-cigarette", "shop/mobile_phone_accessories"), "Shopping"),
    **dict.fromkeys(("amenity/cinema", "leisure/bowling_alley", "leisure/amusement_arcade", "leisure/escape_game",
                     "leisure/trampoline_park", "leisure/indoor_play", "tourism/theme_park", "amenity/karaoke_box",
                     "leisure/miniature_golf", "amenity/casino", "shop/lottery", "shop/bookmaker"), "Entertainment"),
    **dict.fromkeys(("leisure/fitness_centre",), "Subscriptions"),  # as the default rules file gyms
    **dict.fromkeys(("tourism/hotel", "tourism/hostel", "tourism/motel", "tourism/caravan_site",
                     "shop/travel_agency", "amenity/car_rental"), "Travel"),
    **dict.fromkeys(("shop/telecommunication", "office/telecommunication"), "Utilities"),
    **dict.fromkeys(("office/insurance",), "Insurance"),
    **dict.fromkeys(("amenity/language_school", "amenity/driving_school", "amenity/music_school",
                     "amenity/prep_school", "amenity/kindergarten", "amenity/childcare", "amenity/school",
                     "amenity/college", "amenity/university"), "Education"),
    **dict.fromkeys(("shop/hairdresser", "shop/beauty", "shop/cosmetics", "shop/perfumery", "shop/massage"),
                    "Personal Care"),
    # Money paid to a bank, a lender or a money-transfer service moves money (a card bill, a loan
    # repayment, savings, a remittance): Transfers, as the default rules file those (2026-12-05).
    # Estate agents (they collect rent) were tried and left out: their names are surnames and
    # towns ("Connells" matched a pub).
    **dict.fromkeys(("amenity/bank", "amenity/money_transfer", "shop/money_lender"), "Transfers"),
}
# Operators (the companies that run things) and transit networks, from NSI's operators/ and
# transit/ trees: energy, water and telecom networks bill households; transit networks sell
# tickets; school districts and hospital operators are what a bank statement names.
OPERATOR_CATEGORY: dict[str, str] = {
    **dict.fromkeys(("office/energy_supplier", "office/water_utility", "power/line", "power/minor_line",
                     "power/substation", "power/transformer", "power/pole", "pipeline/substation",
                     "man_made/water_works", "man_made/wastewater_plant", "man_made/water_tower",
                     "telecom/exchange", "man_made/street_cabinet"), "Utilities"),
    **dict.fromkeys(("amenity/car_sharing", "amenity/charging_station", "man_made/charge_point", "amenity/parking",
                     "highway/toll_gantry", "barrier/toll_booth", "amenity/ticket_validator", "route/railway"),
                    "Transport"),
    **dict.fromkeys(("amenity/clinic", "amenity/hospital", "amenity/doctors", "healthcare/dialysis"), "Health"),
    **dict.fromkeys(("amenity/school", "amenity/college", "amenity/university", "amenity/kindergarten",
                     "amenity/childcare"), "Education"),
}
# Objects that carry a shop's brand without telling what it sells: ignored when a name's
# categories are counted.
NEUTRAL = frozenset((
    "advertising/totem", "amenity/atm", "amenity/vending_machine", "amenity/parcel_locker",
    "amenity/payment_terminal", "amenity/bicycle_parking", "amenity/waste_basket", "amenity/recycling",
    "amenity/trolley_bay", "amenity/public_bookcase", "amenity/photo_booth", "amenity/telephone",
    "landuse/industrial", "landuse/residential",
))
OTHER = "(not a BudgetWise category)"


def sha256_of(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def fetch(tarball: Path | None) -> bytes:
    """The pinned tarball's bytes (read or downloaded), refused unless its sha256 is SHA256."""
    if tarball is not None:
        data = tarball.read_bytes()
    else:
        with urllib.request.urlopen(URL, timeout=120) as resp:  # noqa: S310 - a fixed https URL
            data = resp.read()
    digest = sha256_of(data)
    if digest != SHA256:
        raise SystemExit(f"{tarball or URL}: sha256 {digest}, expected {SHA256} ({PACKAGE} {VERSION}); not used.")
    return data


def read_package(data: bytes) -> tuple[dict, list[str]]:
    """(nsi.json's "nsi" object, genericWords patterns) from the npm tarball."""
    with tarfile.open(fileobj=io.BytesIO(data), mode="r:gz") as tar:
        def load(name: str):
            member = tar.extractfile(f"package/dist/json/{name}")
            if member is None:
                raise SystemExit(f"{name} missing from the {PACKAGE} tarball")
            return json.load(member)

        nsi = load("nsi.json")
        generic = load("genericWords.json")
    return nsi["nsi"], list(generic["genericWords"])


def common_words() -> frozenset[str]:
    """Common English words and people's names (zxcvbn's frequency lists)."""
    from zxcvbn.frequency_lists import FREQUENCY_LISTS as lists

    words = set(lists["english_wikipedia"][:COMMON_WORDS]) | set(lists["us_tv_and_film"][:COMMON_WORDS])
    words |= set(lists["male_names"]) | set(lists["female_names"]) | set(lists["surnames"][:COMMON_SURNAMES])
    return frozenset(words)


NAME_TAGS = {  # which tags name the item, per NSI tree
    "brands": ("name", "brand", "name:en", "brand:en"),
    "operators": ("name", "operator", "operator:en", "operator:short"),
    "transit": ("network", "operator", "network:en", "network:short", "operator:en", "operator:short"),
}


def item_names(item: dict, tree: str = "brands") -> set[str]:
    tags = item.get("tags", {})
    names = {item.get("displayName", "")}
    names.update(tags.get(t, "") for t in NAME_TAGS[tree])
    names.update(item.get("matchNames", []))
    return {n for n in names if n}


def category_of(path: str) -> str | None:
    """BudgetWise category of an NSI tag path, OTHER for an unmapped path, None for NEUTRAL
    (and for the flags tree)."""
    tree, _, tag = path.partition("/")
    if tag in NEUTRAL or tree not in NAME_TAGS:
        return None
    if tree == "transit":
        return "Transport"
    table = TAG_CATEGORY if tree == "brands" else OPERATOR_CATEGORY
    return table.get(tag, OTHER)


def build(nsi: dict, generic_patterns: list[str], common: frozenset[str]) -> tuple[dict[str, str], Counter]:
    """(key -> category, counts of what each rule dropped)."""
    from budgetwise.textforms import _BOILERPLATE, _MONTHS

    generic = [re.compile(p, re.IGNORECASE) for p in generic_patterns]
    stop = _BOILERPLATE | _MONTHS
    inner = inner_words(nsi)
    votes: dict[str, Counter] = defaultdict(Counter)
    dropped: Counter = Counter()
    for path, entry in nsi.items():
        cat = category_of(path)
        if cat is None:
            continue
        tree = path.partition("/")[0]
        for item in entry.get("items", []):
            keys = set()
            for name in item_names(item, tree):
                reason = name_problem(name, generic, common, stop) or (
                    "a later word of other names" if len(inner.get(_single(name), ())) >= INNER_WORD else None)
                if reason:
                    dropped[reason] += cat != OTHER
                    continue
                keys.add("".join(brand_words(name)))
            for key in keys:
                votes[key][cat] += 1
    out: dict[str, str] = {}
    for key, counter in votes.items():
        cat, n = counter.most_common(1)[0]
        if cat == OTHER:
            continue
        if n < MAJORITY * sum(counter.values()):
            dropped["in several categories"] += 1
            continue
        out[key] = cat
    return dict(sorted(out.items())), dropped


def inner_words(nsi: dict) -> dict[str, set[str]]:
    """word -> ids of the NSI items (every tree) whose name has it as a second or later word."""
    out: dict[str, set[str]] = defaultdict(set)
    for entry in nsi.values():
        for item in entry.get("items", []):
            tags = item.get("tags", {})
            names = {item.get("displayName", "")} | {tags.get(t, "") for t in ("name", "brand", "operator", "network")}
            for name in names:
                for word in set(brand_words(name)[1:]):
                    out[word].add(item.get("id", name))
    return out


def _single(name: str) -> str:
    """The word of a one-word name ('' for a longer name)."""
    words = brand_words(name)
    return words[0] if len(words) == 1 else ""


def name_problem(name: str, generic: list[re.Pattern], common: frozenset[str], stop: set[str]) -> str | None:
    """Why a brand name is not kept (None: kept)."""
    folded = name.casefold().strip()
    if any(p.search(folded) for p in generic):
        return "NSI generic word"
    words = brand_words(name)
    if not words or not _letters(name).isascii():
        return "not written in ASCII letters"
    key = "".join(words)
    if len(words) > MAX_WORDS:
        return "too many words"
    if key.isdigit():
        return "digits only"
    if len(key) < MIN_KEY:
        return "too short"
    if key in common or key in stop:
        return "common word or first name"
    return None


def _letters(name: str) -> str:
    from budgetwise.text import fold

    return "".join(c for c in fold(name) if c.isalnum())


def render(entries: dict[str, str], digest: str) -> bytes:
    lines = [
        f"# source: OpenStreetMap name-suggestion-index, npm {PACKAGE}@{VERSION} ({URL})",
        f"# sha256: {digest}",
        f"# licence: {LICENCE}",
        "# built by: tools/build_brands.py (tag paths -> categories and the ambiguity rules are there)",
        f"# brands: {len(entries)}",
    ]
    lines += [f"{k}\t{v}" for k, v in entries.items()]
    raw = ("\n".join(lines) + "\n").encode("utf-8")
    return gzip.compress(raw, compresslevel=9, mtime=0)  # mtime 0: the same input gives the same bytes


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tarball", type=Path, help=f"a local copy of {PACKAGE}-{VERSION}.tgz (else downloaded)")
    parser.add_argument("--out", type=Path, default=ARTIFACT)
    args = parser.parse_args(argv)
    data = fetch(args.tarball)
    nsi, generic = read_package(data)
    entries, dropped = build(nsi, generic, common_words())
    args.out.parent.mkdir(parents=True, exist_ok=True)
    blob = render(entries, sha256_of(data))
    args.out.write_bytes(blob)
    print(f"{PACKAGE} {VERSION}: {len(entries)} brand keys -> {args.out} ({len(blob) / 1024:.0f} KB)")
    for cat, n in sorted(Counter(entries.values()).items()):
        print(f"  {cat:<15} {n:>6}")
    print("names dropped (mapped paths):")
    for reason, n in dropped.most_common():
        print(f"  {reason:<28} {n:>6}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
