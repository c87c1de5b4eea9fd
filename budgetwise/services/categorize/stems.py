"""Merchant stems: the names a learning key falls under, most general first (branch, city, terminal and country
suffixes, a household's places and the text every description shares dropped), the stem a correction teaches
(:func:`choose_stem`) and the groups of the labelling plan (:func:`labelling_plan`). Pure: no Session. Split out of
``history`` in session 19 (which re-exports every name)."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from budgetwise.services.categorize.brands import leading_brand
from budgetwise.textforms import (
    household_places,
    names_merchant,
    names_payment_kind,
    names_person,
    payment_form_word,
    refund_of,
    shared_words,
    suffix_word,
)

# --------------------------------------------------------------------------- merchant stems
# The words that name where or through what terminal a card was used, never who was paid (country, state and
# province codes, branch / terminal words, a bank's initials) are ``textforms``'s (session 14: one owner, with the
# household's own place names, :func:`textforms.household_places`). Dropped only at the END of a key (after the
# merchant's own words), so "in n out" or "co op" keep their words.
MIN_SINGLE_STEM = 4  # a one-word stem must be at least this long ("uber", not "new")


def core_words(key: str, places: frozenset[str] | set[str] = frozenset()) -> list[str]:
    """The learning key's words with place-like suffix tokens dropped from the end.

    Dropped from the end while more than one word is left: country, state and province
    codes ("nz", "usa", "nsw", "co"), branch/terminal words ("store", "branch", "mall", ...),
    a bank's initials ("atmd boi": the cash machine's bank), a word that already occurred earlier in the key
    ("kilbirnie kilbirnie": banks print the branch and then the city, which are often the same name) and a place
    of the household (``places``, :func:`textforms.household_places`: "smiths kilbirnie" where the household's text
    shows "kilbirnie" is a place; since session 14), after the others and alone: "medical city porirua" keeps
    "medical city", "tokyo tokyo kilbirnie" keeps "tokyo tokyo".
    """
    words = key.split()
    while len(words) > 1 and suffix_word(words[-1], set(words[:-1])):
        words.pop()
    return _without_places(words, places) if places else words


def _without_places(words: list[str], places: frozenset[str] | set[str]) -> list[str]:
    """``words`` (already :func:`core_words`) without the household's places at the end, keeping the first word."""
    words = list(words)
    while len(words) > 1 and words[-1] in places:  # then the household's places, and nothing after them
        words.pop()
    return words


def merchant_stems(key: str) -> tuple[str, ...]:
    """Stems of a learning key, most specific first: the full key, its core words, then
    shorter prefixes of the core down to one word (a one-word stem only when that word has
    at least MIN_SINGLE_STEM letters). "pak save kilbirnie kilbirnie" ->
    ("pak save kilbirnie kilbirnie", "pak save kilbirnie", "pak save")."""
    if not key:
        return ()
    out = [key]
    words = core_words(key)
    for n in range(len(words), 0, -1):
        if n == 1 and len(words[0]) < MIN_SINGLE_STEM:
            break
        stem = " ".join(words[:n])
        if stem not in out:
            out.append(stem)
    return tuple(out)


def teach_stems(key: str, places: frozenset[str] | set[str] = frozenset()) -> tuple[str, ...]:
    """The stems a correction may teach, most general first.

    The core words (place, terminal and country suffixes dropped) and their prefixes down
    to two words ("pak save kilbirnie" -> "pak save"); a one-word core stays one word.
    A correction never teaches a single word out of a longer name: "blue parrot" must not
    become "blue" -- unless its first words are a brand of the built-in table
    (:func:`brands.leading_brand`): "countdown kilbirnie" -> "countdown" (since session 12; before, one-word
    brands with a branch were generalized only by the merchant memory, at a low confidence from one row), or the
    words after it are places of the household (``places``, :func:`textforms.household_places`): "smiths kilbirnie"
    -> "smiths" where the household's text shows "kilbirnie" is a place (since session 14), provided the word left
    has at least MIN_SINGLE_STEM letters. A stem is never only places: the first word always stays.
    """
    words = core_words(key)
    if places and len(words) > 1:
        local = _without_places(words, places)  # the suffix pass once (it ran twice before session 15)
        if len(local) > 1 or len(local[0]) >= MIN_SINGLE_STEM or leading_brand(local):
            words = local
    if not words:
        return ()
    low = leading_brand(words) or min(2, len(words))
    out = [" ".join(words[:n]) for n in range(low, len(words) + 1)]
    if key not in out:
        out.append(key)
    return tuple(out)


def holds_merchant(key: str, shared: frozenset[str] | set[str]) -> bool:
    """Whether a learning key holds a word beside the text every description shares (:func:`textforms.shared_words`)."""
    return any(w not in shared for w in key.split())


def without_shared_end(key: str, shared: frozenset[str] | set[str]) -> str:
    """The key without the shared words at its end ("ebay omitted due privacy reasons" -> "ebay"); a key of shared
    words only stays as it is."""
    words = key.split()
    end = len(words)
    while end > 1 and words[end - 1] in shared:
        end -= 1
    return " ".join(words[:end]) if end < len(words) else key


def shared_teach_stems(key: str, places: frozenset[str] | set[str], shared: frozenset[str] | set[str]) -> tuple[str, ...]:
    """:func:`teach_stems` of the key's merchant words, as if the text every description shares were not printed: the
    shared words at the end dropped, those at the start kept before every stem (a stem is a prefix of the key), so a
    stem always holds the merchant's words ("omitted due" is never one); () where the key holds no other word. As with
    a household's places, one word left alone has at least MIN_SINGLE_STEM letters or is a built-in brand ("z
    kilbirnie" stays where most keys end on "kilbirnie")."""
    words = without_shared_end(key, shared).split()
    if len(words) == 1 and len(words[0]) < MIN_SINGLE_STEM and not leading_brand(words) and key != words[0]:
        words = key.split()
    lead = 0
    while lead < len(words) and words[lead] in shared:
        lead += 1
    if lead == len(words):
        return ()
    head = words[:lead]
    out = [" ".join(head + s.split()) for s in teach_stems(" ".join(words[lead:]), places)]
    if key not in out:
        out.append(key)
    return tuple(out)


def stem_matches(stem: str, key: str) -> bool:
    """Whether a learning key falls under a stem (whole words)."""
    return key == stem or key.startswith(stem + " ")


@dataclass(frozen=True)
class Neighbour:
    """A transaction of the user, as the choice of a stem sees it."""

    key: str
    category: int | None
    manual: bool  # set by hand (or from a file's own category column)


def choose_stem(key: str, category: int, neighbours: Iterable[Neighbour],
                places: frozenset[str] | set[str] = frozenset(), shared: frozenset[str] | set[str] = frozenset()) -> str:
    """The most general stem a correction of ``key`` to ``category`` can teach safely.

    A stem is refused when a row under it that the user categorized by hand (or imported
    with its own category) says otherwise: "pak save" is not taught while the user filed
    "pak save petone" elsewhere by hand. The key itself is always allowed (that is what
    the user corrected). ``places``: the household's place names (:func:`textforms.household_places` of
    the user's keys); ``shared``: the words every description shares (:func:`textforms.shared_words`), never a
    stem's only words (:func:`shared_teach_stems`; a key of them only teaches itself). Words naming how money was paid
    (:func:`textnames.payment_form_word`: "transferencia emitida", "virement", "bizum") are
    never a stem's only words either (since session 25): "transferencia emitida salesians mataro casal" teaches
    "transferencia emitida salesians", not "transferencia emitida" (every outgoing transfer); a key of such words only
    teaches itself.
    """
    stems = shared_teach_stems(key, places, shared) if shared else teach_stems(key, places)
    # a stem of payment-form words only ("transferencia emitida"): how, never whom (session 25); a key of them only
    # ("transferencia bizum emitida") teaches itself
    stems = tuple(s for s in stems if s == key or not all(payment_form_word(w) for w in s.split()))
    if not stems:
        return key
    rows = [n for n in neighbours if n.manual and n.category is not None and n.category != category]
    for stem in stems[:-1]:
        if not any(stem_matches(stem, n.key) for n in rows):
            return stem
    return stems[-1]


def plan_stem(key: str, places: frozenset[str] | set[str] = frozenset(),
              shared: frozenset[str] | set[str] = frozenset()) -> str:
    """The group a row falls in for "label these to sort the most": its most general teachable stem ("" where the
    key holds only the ``shared`` words every description shares: no merchant, no group; since session 19)."""
    if shared:
        stems = shared_teach_stems(key, places, shared)
        return stems[0] if stems else ""
    stems = teach_stems(key, places)
    return stems[0] if stems else key


def person_stem(key: str, shared: frozenset[str] | set[str] = frozenset()) -> str:
    """The stem of a person's learning key (:func:`textforms.names_person`): the whole name (the text every
    description shares dropped from its end), never a first name alone nor one with a surname read as a place
    (since session 23: "jane mwangi" and "jane otieno" are two people)."""
    return without_shared_end(key, shared) if shared else key


@dataclass(frozen=True)
class PlanItem:
    stem: str  # the merchant's name as a learned rule would hold it
    rows: int  # transactions labelling it would sort: every waiting row whose key falls under the stem
    example: str  # one description of the group (the most frequent)
    keys: frozenset[str] = frozenset()  # the learning keys of those rows (the plan's union of rows sorted)
    # the stem names a kind of transaction, not a merchant ("cash withdrawal", "virement postal":
    # textforms.names_payment_kind): offered as what it is, a kind of payment (session 23)
    payment: bool = False

    @property
    def refund_of(self) -> str:
        """The merchant whose refunds the stem's rows are ("cloudflare" of "refund cloudflare"; "" for any other
        stem): the name the page shows, since the stem a label teaches must stay a prefix of the key (session 27)."""
        return refund_of(self.stem)

    @property
    def name(self) -> str:
        """The name the page shows for the offer: the merchant's ("cloudflare" for "refund cloudflare"), else the stem."""
        return self.refund_of or self.stem


def _word_prefixes(key: str) -> list[str]:
    words = key.split()
    return [" ".join(words[:n]) for n in range(1, len(words) + 1)]


def labelling_plan(rows: Iterable[tuple], *, limit: int = 10, shared: frozenset[str] | None = None) -> list[PlanItem]:
    """The few merchants whose labelling would categorize the most rows.

    ``rows``: (learning key, description) or (learning key, description, count) of the
    uncategorized or uncertain transactions. Groups by :func:`plan_stem` (branches, cities,
    terminals together), largest first (ties: alphabetical). A key that names no merchant
    (empty, a placeholder note such as "test" or "N/A", keyboard mashing: ``names_merchant``) is
    left out: labelling it would teach nothing. An item counts every row a label of its stem changes
    (a learned ``starts_with`` rule: every key under the stem, :func:`stem_matches`), so a one-word stem
    ("uber") also counts the rows of a longer group under it ("uber eats"), which it sorts too. The places are
    those the rows' own text shows (:func:`textforms.household_places`). Words most of the rows' keys hold
    (``shared``, default :func:`textforms.shared_words` of the rows' keys: an export's own boilerplate) are no
    merchant: a stem holds other words, and a key of them only is left out (session 19). A transfer to or from a
    person (:func:`textforms.names_person`) is grouped by the person's whole name and says nothing of places
    (:func:`person_stem`; session 23). A stem of words that name a kind of transaction only ("cash withdrawal",
    "virement postal": :func:`textforms.names_payment_kind`) is offered as a kind of payment (``PlanItem.payment``),
    counted as before (session 23, trial23b).
    """
    by_key: Counter = Counter()
    examples: dict[str, Counter] = defaultdict(Counter)
    stems: set[str] = set()
    people: set[str] = set()
    rows = list(rows)
    if shared is None:
        shared = shared_words(row[0] for row in rows)
    person = {row[1] for row in rows if " " in row[0] and names_person(row[1])}  # one word: no place, no stem
    places = household_places(without_shared_end(row[0], shared) for row in rows if row[1] not in person)
    for row in rows:
        key, description = row[0], row[1]
        n = int(row[2]) if len(row) > 2 else 1
        if not names_merchant(key) or (shared and not holds_merchant(key, shared)):
            continue
        stem = person_stem(key, shared) if description in person else plan_stem(key, places, shared)
        stems.add(stem)
        if description in person:
            people.add(stem)
        by_key[key] += n
        examples[stem][description] += n
    counts: Counter = Counter()
    covered: dict[str, set[str]] = defaultdict(set)
    for key, n in by_key.items():
        for prefix in _word_prefixes(key):  # the stems this key falls under (a stem is a word prefix of it)
            if prefix in stems:
                counts[prefix] += n
                covered[prefix].add(key)
    ranked = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[: max(0, int(limit))]
    return [PlanItem(stem, n, examples[stem].most_common(1)[0][0], frozenset(covered[stem]),
                     stem not in people and names_payment_kind(stem)) for stem, n in ranked]


def larger_first(items: Iterable[PlanItem]) -> list[PlanItem]:
    """The offers of a plan without the one-row merchants while any offer sorts more (session 27; session 26 left it):
    a click that sorts one transaction is no faster than the table below, so a merchant of one row is offered only
    when nothing larger is left. ``items``: largest first, as counted (in the direction a click files)."""
    items = list(items)
    return [i for i in items if i.rows > 1] if any(i.rows > 1 for i in items) else items


def rows_sorted(items: Iterable[PlanItem], rows_by_key: dict[str, int]) -> int:
    """How many waiting rows labelling every item sorts: each row once, though a short stem's rows
    ("uber") include a longer one's ("uber eats") when both are offered."""
    return sum(rows_by_key.get(k, 0) for k in set().union(*(i.keys for i in items)))
