"""Session 20: the measurement of a built-in name model for the cold path (tools/cold_name_model.py, not adopted):
its training pairs, the rows it may answer, the leave-one-set-out choice and the store floor per category. Made-up
names and rows only."""

from __future__ import annotations

from tools import cold_name_model as cnm


def _nsi(items_by_path: dict[str, list[str]]) -> dict:
    return {path: {"items": [{"displayName": n, "tags": {"name": n}} for n in names]}
            for path, names in items_by_path.items()}


def test_names_take_their_tag_paths_category_and_an_unmapped_path_abstains():
    pairs = dict(cnm.nsi_names(_nsi({
        "brands/shop/supermarket": ["Mercado Sol"],
        "brands/amenity/pharmacy": ["Drogaria Lua"],
        "brands/shop/car": ["Autohaus Stern"],  # a car dealer: no BudgetWise category
        "brands/amenity/vending_machine": ["Snackomat"],  # neutral: not a name of what is sold
    })))
    assert pairs == {"Mercado Sol": "Groceries", "Drogaria Lua": "Health", "Autohaus Stern": cnm.ABSTAIN}


def test_a_name_in_two_categories_without_a_two_thirds_majority_is_left_out():
    pairs = dict(cnm.nsi_names(_nsi({
        "brands/shop/supermarket": ["Ponto Azul"], "brands/amenity/fuel": ["Ponto Azul"],
        "brands/amenity/cafe": ["Cafe Norte", "Cafe Norte"],
    })))
    assert "Ponto Azul" not in pairs
    assert pairs["Cafe Norte"] == "Dining"


def test_only_open_rows_above_the_margin_are_answered_and_counted():
    rows = [("Groceries", None, True, "mercado sol"), ("Health", "Shopping", True, "drogaria lua"),
            ("Dining", "Dining", False, "cafe norte"), ("Transport", None, True, "posto x")]
    preds = [("Groceries", 0.4), ("Health", -0.1), ("Groceries", 2.0), (cnm.ABSTAIN, 1.0)]
    assert cnm.answered(rows, preds, 0.0) == ["Groceries", "Shopping", "Dining", None]
    assert cnm.net(rows, preds, 0.0) == (1, 1, 1)
    assert cnm.net(rows, preds, -0.5) == (2, 2, 2)  # the fallback guess "Shopping" was wrong


def test_the_threshold_is_chosen_without_the_set_it_is_read_on():
    nets = {"a": {0.0: 5, 0.5: 1}, "b": {0.0: -3, 0.5: 2}, "c": {0.0: 4, 0.5: 0}}
    assert cnm.loo_choice(nets, "a") == 0.5  # b + c: 0.0 gives 1, 0.5 gives 2
    assert cnm.loo_choice(nets, "b") == 0.0  # a + c: 9 against 1
    assert cnm.loo_choice(nets, "c") == 0.5  # a + b: 2 against 3
    assert cnm.loo_choice({"a": {0.0: -1}, "b": {0.0: -2}}, "a") == cnm.NEVER  # no gain: answer nothing


def test_the_store_floor_keeps_a_category_only_where_the_other_sets_found_it_right_often_enough():
    per_set = {
        "a": [("Groceries", None, "Groceries")] * 4 + [("Dining", None, "Shopping")] * 6,
        "b": [("Groceries", None, "Groceries")] * 3 + [("Other", None, "Shopping")] * 5,
        "c": [("Health", None, "Shopping")] * 2,
    }
    assert cnm.floor_categories(per_set, "c", 0.30) == {"Groceries"}
    assert cnm.floor_categories(per_set, "a", 0.30) == {"Groceries"}
    assert cnm.floor_categories(per_set, "a", 0.99) == set()
