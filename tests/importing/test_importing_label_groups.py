"""The file's-categories step maps every spelling of a label in one go (#18)."""

from __future__ import annotations

from budgetwise.importing import ImportOptions
from budgetwise.services import importing as svc

CSV = (
    b"Date,Description,Amount,Category\n"
    b"2024-03-01,Pizza,-10.00,Food\n"
    b"2024-03-02,Burger,-11.00,FOOD\n"
    b"2024-03-03,Salad,-12.00,Fod\n"
    b"2024-03-04,Landlord,-500.00,Rent\n"
    b"2024-03-05,Landlord,-500.00,rnt\n"
)


def test_spellings_share_the_suggestion_and_follow_one_choice(session, alice):
    p = svc.preview_import(session, user_id=alice.user_id, data=CSV, filename="f.csv")
    by_label = {m.label: m for m in p.labels}
    assert {m.group for m in p.labels} == {"Food", "Rent"}
    assert by_label["FOOD"].suggested_id == by_label["Fod"].suggested_id == by_label["Food"].suggested_id
    groups = svc.label_groups(p.labels)
    assert [(g.label, g.count, set(g.spellings)) for g in groups] == [
        ("Food", 3, {"Food", "FOOD", "Fod"}), ("Rent", 2, {"Rent", "rnt"})]
    rent_id = by_label["Rent"].suggested_id
    choice = svc.group_choices(groups, {"Food": rent_id})  # one choice for the group
    p2 = svc.preview_import(session, user_id=alice.user_id, data=CSV, filename="f.csv",
                            options=ImportOptions(category_map=choice))
    assert {m.label: m.category_id for m in p2.labels if m.group == "Food"} == {"Food": rent_id, "FOOD": rent_id, "Fod": rent_id}
