"""Categories at import time: the categorizer's guesses, and a file's own category labels.

Skipped when budgetwise.services.categorize does not (yet) offer the functions the
importer codes against.
"""

from __future__ import annotations

import pytest
from sqlalchemy import select

from budgetwise.errors import ImportFileError
from budgetwise.importing import ImportOptions
from budgetwise.models import Category, Rule, Transaction
from budgetwise.services import categories as categories_service
from budgetwise.services import importing as svc

categorize = pytest.importorskip("budgetwise.services.categorize")
for _name in ("categorize_items", "CategorizeItem", "map_external_categories", "learn_from_labeled", "RuleSpec", "create_rule"):
    if not hasattr(categorize, _name):
        pytest.skip(f"budgetwise.services.categorize has no {_name} yet", allow_module_level=True)


def _category(session, user_id, name):
    cat = categories_service.find_category_by_name(session, user_id=user_id, name=name)
    assert cat is not None, name
    return cat.id


def test_rules_categorize_imported_rows_and_the_preview_shows_it(session, alice):
    dining = _category(session, alice.user_id, "Dining")
    rule = categorize.create_rule(
        session, user_id=alice.user_id, spec=categorize.RuleSpec(category_id=dining, pattern="zorbas taverna")
    )
    data = b"Date,Description,Amount\n2024-03-01,ZORBAS TAVERNA 12,-30.00\n2024-03-02,Qwxyz unknown,-1.00\n"
    preview = svc.preview_import(session, user_id=alice.user_id, data=data, filename="a.csv")
    assert (preview.rows[0].category_id, preview.rows[0].category_name, preview.rows[0].category_source) == (
        dining, "Dining", "rule")
    result = svc.commit_import(session, user_id=alice.user_id, data=data, filename="a.csv")
    rows = session.scalars(select(Transaction).where(Transaction.import_batch_id == result.batch_id).order_by(Transaction.date)).all()
    taverna = rows[0]
    assert (taverna.category_id, taverna.category_source, taverna.rule_id, taverna.category_manual) == (
        dining, "rule", rule.id, False)
    assert taverna.category_confidence == 1.0
    assert rows[1].category_manual is False


LABELLED = (
    b"Date,Description,Amount,Category\n"
    b"2024-03-01,Trattoria Roma,-30.00,Restaurants\n"
    b"2024-03-02,Zyx Corner Shop,-5.00,Restaurants\n"
    b"2024-03-03,Weird Label Shop,-7.00,Zzzz unknown label\n"
)


def test_file_labels_are_mapped_and_stored_as_manual_import_categories(session, alice):
    dining = _category(session, alice.user_id, "Dining")
    preview = svc.preview_import(session, user_id=alice.user_id, data=LABELLED, filename="mint.csv")
    labels = {m.label: m for m in preview.labels}
    assert labels["Restaurants"].count == 2 and labels["Restaurants"].suggested_id == dining
    assert labels["Zzzz unknown label"].suggested_id is None
    assert not preview.labels_from_app and not preview.learn_from_labels  # no sign of a budgeting app
    options = ImportOptions(learn_from_labels=True)  # the user adopts the file's categories as theirs
    assert svc.preview_import(session, user_id=alice.user_id, data=LABELLED, filename="mint.csv",
                              options=options).learn_from_labels
    result = svc.commit_import(session, user_id=alice.user_id, data=LABELLED, filename="mint.csv", options=options)
    rows = session.scalars(select(Transaction).where(Transaction.import_batch_id == result.batch_id).order_by(Transaction.date)).all()
    assert [(t.category_id, t.category_source, t.category_manual) for t in rows[:2]] == [
        (dining, "import", True), (dining, "import", True)]
    assert rows[2].category_manual is False  # unmapped label: left to the rules
    # learned as if corrected by hand: the merchant is now known to the categorizer
    guess = categorize.categorize_items(
        session, user_id=alice.user_id, items=[categorize.CategorizeItem("TRATTORIA ROMA", 1000, "expense")]
    )[0]
    assert guess.category_id == dining


def test_the_user_can_change_the_label_mapping(session, alice):
    groceries = _category(session, alice.user_id, "Groceries")
    options = ImportOptions(category_map=(("Restaurants", groceries), ("Zzzz unknown label", None)))
    preview = svc.preview_import(session, user_id=alice.user_id, data=LABELLED, filename="mint.csv", options=options)
    assert {m.label: m.category_id for m in preview.labels}["Restaurants"] == groceries
    result = svc.commit_import(session, user_id=alice.user_id, data=LABELLED, filename="mint.csv", options=options)
    ids = session.scalars(select(Transaction.category_id).where(Transaction.import_batch_id == result.batch_id).order_by(Transaction.date)).all()
    assert ids[:2] == [groceries, groceries]


def test_mapping_to_another_users_category_is_refused(session, alice, bob):
    own = Category(user_id=bob.user_id, name="Bob only", kind="expense")
    session.add(own)
    session.flush()
    from budgetwise.errors import NotFoundError

    with pytest.raises(NotFoundError):
        svc.commit_import(session, user_id=alice.user_id, data=LABELLED, filename="mint.csv",
                          options=ImportOptions(category_map=(("Restaurants", own.id),)))
    assert session.scalars(select(Transaction).where(Transaction.user_id == alice.user_id)).all() == []


MONZO = (
    b"id,created,amount,currency,local_amount,local_currency,category,emoji,description,address,notes,receipt\n"
    b"tx_1,2024-02-25 12:34:56 +0000,-10,GBP,-10,GBP,general,,Tesco,,,\n"
    b"tx_2,2024-02-26 12:34:56 +0000,-4.5,GBP,-4.5,GBP,eating_out,,Pret A Manger,,,\n"
    b"tx_3,2024-02-27 12:34:56 +0000,-7,GBP,-7,GBP,general,,Qwxyz Stall,,,\n"
)


def _learned_rules(session, user_id):
    return session.scalars(select(Rule.pattern).where(
        Rule.user_id == user_id, Rule.origin == "learned")).all()


def test_a_banks_generic_labels_are_not_learned_and_vague_ones_map_to_nothing(session, alice):
    """QA: Monzo's "general" was pre-mapped to Shopping and "tesco → Shopping" was learned."""
    preview = svc.preview_import(session, user_id=alice.user_id, data=MONZO, filename="monzo.csv")
    labels = {m.label: m for m in preview.labels}
    assert labels["general"].suggested_id is None and labels["general"].category_id is None
    assert not preview.labels_from_app and not preview.learn_from_labels
    by_desc = {r.description: r for r in preview.rows}
    assert (by_desc["Tesco"].category_name, by_desc["Tesco"].category_source) == ("Groceries", "rule")
    result = svc.commit_import(session, user_id=alice.user_id, data=MONZO, filename="monzo.csv")
    rows = {t.description: t for t in session.scalars(
        select(Transaction).where(Transaction.import_batch_id == result.batch_id))}
    assert (rows["Tesco"].category_id, rows["Tesco"].category_source) == (
        _category(session, alice.user_id, "Groceries"), "rule")
    # a mapped bank label is used, but it is not the user's own decision: not manual, nothing learned
    pret = rows["Pret A Manger"]
    assert pret.category_source in ("import", "rule") and pret.category_manual is False
    assert _learned_rules(session, alice.user_id) == []


@pytest.mark.parametrize("label", ["general", "Other", "MISC", "Uncategorized", "miscellaneous", "Sonstiges"])
def test_vague_labels_map_to_no_category_unless_the_user_has_one_by_that_name(session, alice, label):
    assert categorize.map_external_categories(session, user_id=alice.user_id, labels=[label]) == {label: None}
    if label == "general":
        own = Category(user_id=alice.user_id, name="General", kind="expense")
        session.add(own)
        session.flush()
        assert categorize.map_external_categories(session, user_id=alice.user_id, labels=[label]) == {label: own.id}


def test_a_budgeting_app_export_learns_by_default_and_the_user_can_turn_it_off(session, alice):
    mint = (
        b"Date,Description,Original Description,Amount,Transaction Type,Category,Account Name,Labels,Notes\n"
        b"03/01/2024,Zyx Corner Shop,ZYX CORNER SHOP 12,30.00,debit,Restaurants,Checking,,\n"
    )
    preview = svc.preview_import(session, user_id=alice.user_id, data=mint, filename="mint.csv")
    assert preview.labels_from_app and preview.learn_from_labels
    off = ImportOptions(learn_from_labels=False)
    svc.commit_import(session, user_id=alice.user_id, data=mint, filename="mint.csv", options=off)
    assert _learned_rules(session, alice.user_id) == []
    svc.commit_import(session, user_id=alice.user_id, data=mint, filename="mint.csv",
                      options=ImportOptions(include_duplicates=True))
    assert len(_learned_rules(session, alice.user_id)) == 1
    guess = categorize.categorize_items(
        session, user_id=alice.user_id, items=[categorize.CategorizeItem("ZYX CORNER SHOP", 1000, "expense")])[0]
    assert guess.category_id == _category(session, alice.user_id, "Dining")


def test_the_real_monzo_export_learns_nothing(session, alice, shared_data):
    path = shared_data / "bank_formats" / "csv" / "uk_monzo_export.csv"
    if not path.exists():
        pytest.skip(f"{path} is absent")
    data = path.read_bytes()
    preview = svc.preview_import(session, user_id=alice.user_id, data=data, filename=path.name)
    assert {m.label: m.category_id for m in preview.labels}.get("general") is None
    svc.commit_import(session, user_id=alice.user_id, data=data, filename=path.name)
    assert _learned_rules(session, alice.user_id) == []


# --------------------------------------------------------------------------- learning: the CLI's checks (issue #16)
def _count(session, user_id):
    from sqlalchemy import func

    return session.scalar(select(func.count()).select_from(Transaction).where(Transaction.user_id == user_id))


@pytest.mark.parametrize(("data", "message"), [
    (b"Date,Description,Amount,Category\n2024-03-01,Trattoria Roma,-30.00,Restaurants\n"
     b"2024-03-02,Zyx Corner Shop,-5.00,\n2024-03-03,Other Shop,-7.00,\n",
     "only 1 of 3 rows have a category (rows 3, 4 have none)"),
    (b"Date,Description,Amount,Category\n2024-03-01,Trattoria Roma,-30.00,Restaurants\n"
     b"2024-03-02,Zyx Shop,-5.00,Qqq Label\n2024-03-03,Zyx Shop,-6.00,Qqq Label\n",
     "most categories are not BudgetWise category names: “Qqq Label” (rows 3, 4)"),
])
def test_learning_from_a_bad_labelled_file_is_refused_naming_the_rows_and_stores_nothing(session, alice, data, message):
    from budgetwise.errors import ImportFileError

    before = _count(session, alice.user_id)
    rules_before = session.scalar(select(Rule.id).where(Rule.user_id == alice.user_id).limit(1))
    with pytest.raises(ImportFileError) as exc:
        svc.commit_import(session, user_id=alice.user_id, data=data, filename="mine.csv",
                          options=ImportOptions(learn_from_labels=True))
    assert message in str(exc.value) and str(exc.value).startswith("mine.csv: ")
    assert "nothing was imported" in str(exc.value).lower()
    assert _count(session, alice.user_id) == before
    assert session.scalar(select(Rule.id).where(Rule.user_id == alice.user_id).limit(1)) == rules_before
    # without learning, the same file imports (the labels are only hints then)
    svc.commit_import(session, user_id=alice.user_id, data=data, filename="mine.csv",
                      options=ImportOptions(learn_from_labels=False))
    assert _count(session, alice.user_id) > before


def test_the_preview_reports_what_the_import_would_refuse_with_the_rows_and_promises_nothing(session, alice):
    """QA: the preview said every row would be imported, then Import refused them all (learning on). The preview
    runs the commit's own check (one validator). (Empty descriptions, the QA's case, no longer refuse since
    session 24: such a row keeps its label and is imported, not learned from.)"""
    data = (b"Date,Description,Amount,Category\n2024-03-01,Trattoria Roma,-30.00,Restaurants\n"
            b"2024-03-02,Zyx Shop,-5.00,\n2024-03-03,Other Shop,-6.00,\n")
    learn = ImportOptions(learn_from_labels=True)
    preview = svc.preview_import(session, user_id=alice.user_id, data=data, filename="mine.csv", options=learn)
    assert "only 1 of 3 rows have a category (rows 3, 4 have none)" in preview.refusal
    assert preview.rows_to_import == 0 and not preview.can_commit
    with pytest.raises(ImportFileError) as exc:
        svc.commit_import(session, user_id=alice.user_id, data=data, filename="mine.csv", options=learn)
    assert str(exc.value) == preview.refusal  # the same words, from the same check
    off = svc.preview_import(session, user_id=alice.user_id, data=data, filename="mine.csv",
                             options=ImportOptions(learn_from_labels=False))
    assert off.refusal == "" and off.can_commit and off.rows_to_import == 3


def test_the_fabiodesteves_export_previews_and_imports_the_same_rows(session, alice, shared_data):
    path = shared_data / "histories" / "fabiodesteves__expenses__transactions.csv"
    if not path.exists():
        pytest.skip(f"{path} is absent")
    data = path.read_bytes()
    learn = ImportOptions(learn_from_labels=True)
    preview = svc.preview_import(session, user_id=alice.user_id, data=data, filename=path.name, options=learn)
    promised = preview.rows_to_import
    # session 24 (trial24): its 912 rows whose title is only their category ("Netflix" under "Netflix") refused
    # the whole file with the page's defaults; they are imported, not learned from
    assert preview.refusal == "" and preview.can_commit
    result = svc.commit_import(session, user_id=alice.user_id, data=data, filename=path.name, options=learn,
                               preview=preview)
    # its 11 "(New Account)" rows are its 11 accounts' opening balances, not rows (session 29, open29); the preview
    # promises the rows imported and the balances apart (imp29: it promised 11 more rows)
    assert result.rows_imported == promised == 2275 and result.opening.startswith("11 opening-balance rows become")
    assert result.opening_set == preview.balances_to_set == 11


# --------------------------------------------------------------------------- history across chunks
def _learning_file(rows: int) -> bytes:
    """A budgeting-app export: labelled rows, and a few unlabelled ones for the history to answer."""
    lines = ["Date,Description,Original Description,Amount,Transaction Type,Category,Account Name,Labels,Notes"]
    for i in range(rows):
        label = "" if i % 5 == 4 else ("Restaurants" if i % 2 else "Groceries")
        shop = "Zyx Corner Shop" if i % 2 else "Qwopp Market"
        lines.append(f"03/{1 + i % 28:02d}/2024,{shop} {i},{shop.upper()} {i},{1 + i}.00,debit,{label},Checking,,")
    return "\n".join(lines).encode()


def _stored(session, user_id):
    return session.execute(
        select(Transaction.description, Transaction.category_id, Transaction.category_source,
               Transaction.category_confidence, Transaction.category_manual)
        .where(Transaction.user_id == user_id).order_by(Transaction.description)).all()


def test_later_chunks_see_the_earlier_chunks_labels_without_anything_stored(session, alice, bob, monkeypatch):
    """Every chunk is categorized before the write transaction (session 10): a chunk whose rows carry
    the file's own categories adds them to the history the next chunk sees (:class:`_History`'s
    pending rows), exactly as when each chunk was stored before the next was categorized: the rows
    get the categories that importing the chunks one after another, as separate files, gives. The
    stored history is read once for a bank file."""
    from budgetwise.services.importing import categorizing

    monkeypatch.setattr(svc.commit, "INSERT_CHUNK", 4)
    reads: list[int] = []
    real = categorizing.user_knowledge

    def counted(s, user_id, shared=frozenset()):
        reads.append(user_id)
        return real(s, user_id, shared)

    monkeypatch.setattr(categorizing, "user_knowledge", counted)
    plain = "\n".join(["Date,Description,Amount"] + [f"2024-01-{d:02d},Shop {d},-{d}.00" for d in range(1, 13)])
    svc.commit_import(session, user_id=alice.user_id, data=plain.encode(), filename="bank.csv")
    assert len(reads) == 1  # three chunks, one read
    options = ImportOptions(learn_from_labels=False, date_order="mdy")
    data = _learning_file(20)
    svc.commit_import(session, user_id=alice.user_id, data=data, filename="mint.csv", options=options)
    # the old way, for bob: each chunk stored (and the history read again) before the next
    svc.commit_import(session, user_id=bob.user_id, data=plain.encode(), filename="bank.csv")
    header, *lines = data.decode().split("\n")
    for start in range(0, len(lines), 4):  # the file's dates are in order: its chunks are its lines, 4 by 4
        part = "\n".join([header, *lines[start:start + 4]]).encode()
        svc.commit_import(session, user_id=bob.user_id, data=part, filename=f"part{start}.csv", options=options)
    got, expected = _stored(session, alice.user_id), _stored(session, bob.user_id)
    assert [r[1:] for r in got] == [r[1:] for r in expected]
    assert {r.category_source for r in got} >= {"import", "model"}  # the history answered unlabelled rows


def test_income_labels_of_other_apps_map_to_the_income_categories(session, alice):
    """Files' own labels "Employment", "Freelance" and "Reimbursements" mapped to nothing (general label
    synonyms, in the one synonym table: default_rules.EXTERNAL_CATEGORY_SYNONYMS)."""
    from budgetwise.services import categories

    labels = ["Employment", "Employment Income", "Freelance", "Freelance Income", "Self-Employment",
              "Reimbursements", "Reimbursement", "Expense Reimbursements"]
    got = categorize.map_external_categories(session, user_id=alice.user_id, labels=labels)
    name = {c.id: c.name for c in categories.list_categories(session, user_id=alice.user_id)}
    assert {k: name.get(v) for k, v in got.items()} == {
        "Employment": "Salary", "Employment Income": "Salary", "Freelance": "Other Income",
        "Freelance Income": "Other Income", "Self-Employment": "Other Income", "Reimbursements": "Refunds",
        "Reimbursement": "Refunds", "Expense Reimbursements": "Refunds",
    }
    own = categories.create_category(session, user_id=alice.user_id, name="Freelance", kind="income")
    assert categorize.map_external_categories(session, user_id=alice.user_id, labels=["Freelance"]) == {"Freelance": own.id}


INVESTMENT = (
    b"Date,Description,Amount,Category\n"
    b"2024-03-01,Qwxyz Fund Co,-500.00,Investment\n"
    b"2024-03-02,Qwxyz Fund Co,12.34,Investment\n"
    b"2024-03-03,Zyx Broker,-100.00,Investments\n"
    b"2024-03-04,Zyx Broker,5.00,Investments\n"
)


def test_a_label_naming_no_direction_splits_by_direction(session, alice):
    """A bare "Investment" label: a debit is money put in (Transfers), a credit what it paid (Investment Income)."""
    transfers = _category(session, alice.user_id, "Transfers")
    income = _category(session, alice.user_id, "Investment Income")
    preview = svc.preview_import(session, user_id=alice.user_id, data=INVESTMENT, filename="inv.csv")
    labels = {m.label: m for m in preview.labels}
    assert (labels["Investment"].category_id, labels["Investment"].credit_id) == (transfers, income)
    result = svc.commit_import(session, user_id=alice.user_id, data=INVESTMENT, filename="inv.csv")
    rows = session.scalars(select(Transaction).where(Transaction.import_batch_id == result.batch_id)
                           .order_by(Transaction.date)).all()
    assert [(t.category_id, t.category_source) for t in rows] == [
        (transfers, "import"), (income, "import"), (transfers, "import"), (income, "import")]


def test_a_label_the_user_maps_elsewhere_applies_in_both_directions(session, alice):
    transfers = _category(session, alice.user_id, "Transfers")
    income = _category(session, alice.user_id, "Investment Income")
    # the suggestion confirmed as it is (the page sends every label back once one is edited): still split
    same = ImportOptions(category_map=(("Investment", transfers), ("Investments", transfers)))
    preview = svc.preview_import(session, user_id=alice.user_id, data=INVESTMENT, filename="inv.csv", options=same)
    assert {m.label: m.credit_id for m in preview.labels}["Investment"] == income
    options = ImportOptions(category_map=(("Investment", income), ("Investments", income)))
    preview = svc.preview_import(session, user_id=alice.user_id, data=INVESTMENT, filename="inv.csv", options=options)
    assert {m.label: m.credit_id for m in preview.labels}["Investment"] is None
    result = svc.commit_import(session, user_id=alice.user_id, data=INVESTMENT, filename="inv.csv", options=options)
    rows = session.scalars(select(Transaction).where(Transaction.import_batch_id == result.batch_id)
                           .order_by(Transaction.date)).all()
    assert [t.category_id for t in rows] == [income] * 4


def test_a_user_s_own_investment_category_takes_the_label_in_both_directions(session, alice):
    mine = categories_service.create_category(session, user_id=alice.user_id, name="Investment", kind="expense")
    data = b"\n".join(INVESTMENT.split(b"\n")[:3]) + b"\n"  # "Investment" only ("Investments" is its spelling group)
    preview = svc.preview_import(session, user_id=alice.user_id, data=data, filename="inv.csv")
    labels = {m.label: m for m in preview.labels}
    assert (labels["Investment"].category_id, labels["Investment"].credit_id) == (mine.id, None)
