"""Built-in brand knowledge (issue #16, cold): the table's builder, the matcher, and where brand
answers stand in the engine's order (user rule > history > default rule > brands > fallback).
Brands in these tests are made up or written from general knowledge, never taken from an
evaluation file."""

from __future__ import annotations

import datetime as dt
import gzip
import io
import json
import tarfile

import pytest

from budgetwise.models import Transaction
from budgetwise.services import categories
from budgetwise.services import categorize as cz
from budgetwise.services.categorize import CategorizeItem, brands, engine
from budgetwise.services.categorize import history as L
from budgetwise.services.categorize.brands import BrandIndex, brand_words
from budgetwise.services.categorize.knowledge import history_forms
from tools import build_brands as bb

# ---- matcher ---------------------------------------------------------------------------------

INDEX = BrandIndex({"paknsave": "Groceries", "blueheron": "Dining", "acmefuel": "Transport",
                    "acmefuelexpress": "Groceries", "7eleven": "Groceries"})


@pytest.mark.parametrize("text", [
    "pak n save kilbirnie kilbirnie", "PAKNSAVE PETONE NZ", "POS PAK'NSAVE 1234", "Pak’n Save Mangere",
    "PAK-N-SAVE", "pakn save",
])
def test_joined_and_spaced_forms_of_a_multi_word_brand_match(text):
    assert INDEX.category(text) == "Groceries"


def test_a_batch_lookup_gives_what_find_gives():
    """BrandLookup shares the index's lookups between a batch's texts (speed, 2026-12-05): same answers,
    on the shipped table and on texts sharing words, digits and digit brands."""
    texts = ["pak n save kilbirnie", "POS PAK'NSAVE 1234", "7 eleven 17", "7eleven", "7ELEVEN 0815", "acme fuel express",
             "acme fuel", "acme fuel x", "blue heron grill", "blue", "", "12 34 56"]
    lookup = brands.BrandLookup(INDEX)
    assert [lookup.find(t) for t in texts + texts] == [INDEX.find(t) for t in texts + texts]
    shipped = brands.brand_index()
    lookup = brands.BrandLookup(shipped)
    more = texts + ["card purchase starbucks 4711 london", "tesco stores 3297", "shell 0815 ref 77", "aldi sud 12",
                    "100 montaditos madrid", "1825 interiors", "pos 7-eleven 2231"]
    assert [lookup.find(t) for t in more] == [shipped.find(t) for t in more]


@pytest.mark.parametrize("text", [
    "SAVE THE CHILDREN PAK", "PAKNSAVEX", "XPAKNSAVE", "BLUE HERONS NEST", "THE BLUE", "PAK N",
])
def test_only_whole_words_match(text):
    assert INDEX.category(text) is None


def test_the_longest_brand_wins_and_digits_are_part_of_a_key():
    assert INDEX.find("ACME FUEL EXPRESS 22").category == "Groceries"
    assert INDEX.find("ACME FUEL 22").category == "Transport"
    assert INDEX.category("7-ELEVEN 1234 DALLAS") == "Groceries"
    m = INDEX.find("card purchase blue heron grill")
    assert (m.key, m.start, m.end) == ("blueheron", 2, 4)


def test_brand_words_normalise_case_accents_apostrophes_and_punctuation():
    assert brand_words("Pak'nSave") == ["paknsave"]
    assert brand_words("CAFÉ Nero*London") == ["cafe", "nero", "london"]
    assert brand_words("H&M") == ["h", "m"]


def test_the_shipped_table_loads_offline_and_records_its_source():
    index = brands.brand_index()
    assert len(index) > 5000
    assert "name-suggestion-index" in index.meta["source"]
    assert index.meta["sha256"] == bb.SHA256
    assert index.meta["licence"].startswith("BSD-3-Clause")
    assert set(index.entries.values()) <= {n for n, _, _ in categories.DEFAULT_CATEGORIES}


@pytest.mark.parametrize("text", [
    "ZELLE TO MARY SMITH", "TRANSFER TO JAMES", "SUPERMARKET", "CONVENIENCE STORE", "THE PARKING LOT",
    "PAYMENT THANK YOU", "ONLINE PURCHASE", "NEXT", "SHOP",
])
def test_the_shipped_table_leaves_generic_words_and_names_alone(text):
    assert brands.brand_index().category(text) is None


def test_a_payment_to_a_bank_or_a_money_transfer_service_is_a_transfer_guess():
    """2026-12-05: NSI's banks, lenders and money-transfer services are Transfers (a card bill, a loan
    repayment, savings, a remittance); like every brand answer it stays under the review threshold."""
    index = brands.brand_index()
    for text in ("PAYMENT TO BARCLAYS", "westpac 4455 auckland", "MoneyGram transfer", "Scotiabank"):
        assert index.category(text) == "Transfers", text
    for category in set(index.entries.values()):
        assert brands.brand_confidence(category) < cz.LOW_CONFIDENCE, category


# ---- builder ---------------------------------------------------------------------------------

def _item(name, **extra):
    return {"displayName": name, "id": name, "locationSet": {"include": ["001"]}, "tags": {"brand": name, "name": name},
            **extra}


NSI = {
    "brands/shop/supermarket": {"items": [_item("Pak'nSave"), _item("Fresh Choice"), _item("Market"), _item("Marigold"),
                                          _item("Dual Brand"), _item("Пятёрочка"), _item("Zq")]},
    "brands/amenity/fuel": {"items": [_item("Gull"), _item("Gullwing Fuel", matchNames=["gull wing"]),
                                      _item("Dual Brand")]},
    "brands/amenity/atm": {"items": [_item("Fresh Choice")]},  # neutral: says nothing about what is sold
    "brands/office/estate_agent": {"items": [_item("Kiwihomes")]},  # not a BudgetWise category
    "brands/amenity/cafe": {"items": [_item("Kiwihomes")]},
    "brands/amenity/bank": {"items": [_item("Westbanko")]},  # money paid to a bank moves money
    "brands/shop/money_lender": {"items": [_item("Quickloano")]},
    "brands/amenity/fast_food": {"items": [_item("Pizza"), _item("Alpha Pizza"), _item("Bravo Pizza"),
                                           _item("Charlie Pizza")]},  # "pizza" is a later word of 3 others
    "transit/route/bus": {"items": [{"displayName": "Metlinkx", "id": "m", "tags": {"network": "Metlinkx"}}]},
    "operators/amenity/police": {"items": [_item("Cityfuel Police")]},  # an operator path no category maps
}


def test_builder_maps_tag_paths_and_drops_ambiguous_names():
    entries, dropped = bb.build(NSI, [r"^(market|shops?)$"], frozenset({"marigold"}))
    assert entries["paknsave"] == "Groceries"
    assert entries["freshchoice"] == "Groceries"  # the ATM does not count against it
    assert entries["gullwingfuel"] == "Transport" and entries["gullwing"] == "Transport"  # matchNames too
    assert entries["alphapizza"] == "Dining" and entries["metlinkx"] == "Transport"
    assert entries["westbanko"] == "Transfers" and entries["quickloano"] == "Transfers"
    for gone in ("market", "marigold", "dualbrand", "zq", "gull", "kiwihomes", "pizza"):
        assert gone not in entries, gone
    assert dropped["NSI generic word"] and dropped["common word or first name"] and dropped["too short"]
    assert dropped["in several categories"] and dropped["not written in ASCII letters"]
    assert dropped["a later word of other names"] and "cityfuelpolice" not in entries


def test_builder_table_only_names_default_categories():
    names = {n for n, _, _ in categories.DEFAULT_CATEGORIES}
    assert set(bb.TAG_CATEGORY.values()) <= names
    assert not set(bb.TAG_CATEGORY) & bb.NEUTRAL


def test_builder_refuses_a_tarball_with_another_checksum(tmp_path):
    fake = tmp_path / "nsi.tgz"
    fake.write_bytes(b"not the pinned package")
    with pytest.raises(SystemExit, match="sha256"):
        bb.fetch(fake)


def test_builder_writes_a_table_the_matcher_reads(tmp_path, monkeypatch):
    payload = json.dumps({"nsi": NSI}).encode()
    generic = json.dumps({"genericWords": ["^market$"]}).encode()
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w:gz") as tar:
        for name, data in (("nsi.json", payload), ("genericWords.json", generic)):
            info = tarfile.TarInfo(f"package/dist/json/{name}")
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
    tgz = tmp_path / "nsi.tgz"
    tgz.write_bytes(buf.getvalue())
    monkeypatch.setattr(bb, "SHA256", bb.sha256_of(buf.getvalue()))
    out = tmp_path / "brands.tsv.gz"
    assert bb.main(["--tarball", str(tgz), "--out", str(out)]) == 0
    with gzip.open(out, "rt") as fh:
        header = [line for line in fh if line.startswith("#")]
    assert any("BSD-3-Clause" in h for h in header) and any(bb.SHA256 in h for h in header)
    index = brands.read_table(out)
    assert index.category("PAK N SAVE WELLINGTON") == "Groceries"
    assert index.meta["brands"] == str(len(index))


# ---- engine order ----------------------------------------------------------------------------

@pytest.fixture
def fake_brands(monkeypatch):
    index = BrandIndex({"zorblat": "Dining", "grubbins": "Groceries"})
    monkeypatch.setattr(engine, "brand_index", lambda: index)
    return index


def _guess(session, user, text, kind="expense", **kw):
    [g] = cz.categorize_items(session, user_id=user.user_id, items=[CategorizeItem(text, 1234, kind)], **kw)
    return g


def _cid(session, user, name):
    return categories.find_category_by_name(session, user_id=user.user_id, name=name).id


def test_brands_answer_where_no_rule_does_with_their_calibrated_confidence(session, alice, fake_brands):
    g = _guess(session, alice, "ZORBLAT 0042 WELLINGTON")
    assert g.category_name == "Dining" and g.source == cz.SOURCE_RULE and g.rule_id is None
    assert g.confidence == brands.brand_confidence("Dining") < cz.LOW_CONFIDENCE  # listed for review
    assert _guess(session, alice, "POS PURCHASE ZORBLAT").category_name == "Dining"  # beats a fallback guess
    assert _guess(session, alice, "ZORBLAT REFUND", kind="income").category_name != "Dining"  # expenses only


def test_default_rules_and_user_rules_beat_brands(session, alice, fake_brands):
    assert _guess(session, alice, "UBER ZORBLAT").category_name == "Transport"  # a default rule answers
    cz.create_rule(session, user_id=alice.user_id,
                   spec=cz.RuleSpec(category_id=_cid(session, alice, "Shopping"), pattern="zorblat"))
    g = _guess(session, alice, "ZORBLAT 0042 WELLINGTON")
    assert g.category_name == "Shopping" and g.confidence == 1.0


def test_the_users_history_beats_brands(session, alice, fake_brands):
    groceries = _cid(session, alice, "Groceries")
    rows = []
    for i in range(4):
        words, key = history_forms(f"ZORBLAT {i} WELLINGTON")
        rows.append(L.HistoryRow(key, words, "expense", 1000, 1, None, groceries))
    knowledge = L.UserKnowledge(rows)
    [g] = cz.categorize_rows(session, user_id=alice.user_id, descriptions=["ZORBLAT 77 WELLINGTON"],
                             amounts_minor=[1000], kinds=["expense"], accounts=[None], knowledge=knowledge,
                             history_over_rules=True)
    assert g.category_name == "Groceries" and g.source == cz.SOURCE_MODEL
    [g] = cz.categorize_rows(session, user_id=alice.user_id, descriptions=["GRUBBINS 77"], amounts_minor=[1000],
                             kinds=["expense"], accounts=[None], knowledge=knowledge, history_over_rules=True)
    assert g.category_name == "Groceries"  # the history knows nothing of it: the brand answers


def test_a_stored_brand_answer_is_a_guess_listed_for_review(session, alice, fake_brands):
    from budgetwise.services import transactions

    t = transactions.add_transaction(session, user_id=alice.user_id, date=dt.date(2024, 3, 1), amount="12.50",
                                     kind="expense", description="ZORBLAT 0042 WELLINGTON")
    assert cz.reapply_categories(session, user_id=alice.user_id) >= 0
    session.flush()
    row = session.get(Transaction, t.id)
    assert row.category_id == _cid(session, alice, "Dining") and row.category_source == cz.SOURCE_RULE
    assert row.category_confidence == brands.brand_confidence("Dining") and not row.category_manual
    assert cz.categorization_stats(session, user_id=alice.user_id).get("guess") == 1
    queue, _ = cz.review_queue(session, user_id=alice.user_id)
    assert t.id in {r.id for r in queue}


def test_a_payment_brand_groups_hits_leave_the_shop_brands_confidence_alone():
    """2026-12-05: one bank's many right answers must not raise every shop brand's confidence; the payment
    brand group itself stays a guess (tools/calibrate_default_rules.py: PAYMENT_BRAND_GROUPS, BRAND_CEILING)."""
    from tools import calibrate_default_rules as cal

    shops = {"a": {"Brands: Dining": [10, 20], "Brands: Shopping": [2, 20]}, "b": {"Brands: Dining": [5, 10]}}
    with_banks = {**shops, "c": {"Brands: Transfers": [49, 49]}}
    before, _ = cal.fit(shops)
    after, _ = cal.fit(with_banks)
    for group in ("Brands: Dining", "Brands: Shopping", "Brands:"):
        assert after[group] == before[group], group
    assert after["Brands: Transfers"] == cal.BRAND_CEILING < cz.LOW_CONFIDENCE
