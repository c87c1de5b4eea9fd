"""The Transactions page's downloads say what they hold and hold what they say (session 26, trial26:
"Download all as CSV" stood under an active account filter)."""

import datetime as dt

from budgetwise.services import accounts, exports
from budgetwise.services import transactions as tx

PAGE = "pages/transactions.py"


def _labels(at) -> list[str]:
    return [b.proto.label for b in at.get("download_button")]


def _seed(env, user) -> int:
    with env.scope() as s:
        card = accounts.create_account(s, user_id=user.user_id, name="Card")
        bank = accounts.create_account(s, user_id=user.user_id, name="Bank")
        tx.add_transaction(s, user_id=user.user_id, date=dt.date(2025, 3, 1), amount="5", kind="expense",
                           description="Coffee shop", account_id=card.id)
        tx.add_transaction(s, user_id=user.user_id, date=dt.date(2025, 3, 2), amount="2500", kind="income",
                           description="Salary March", account_id=bank.id)
    return card.id


def test_labels_say_all_without_a_filter_and_filtered_under_one(app_env):
    alice = app_env.create_user()
    _seed(app_env, alice)
    at = app_env.page(PAGE, user=alice)
    at.run()
    assert not at.exception
    assert _labels(at) == ["Download all as CSV", "Download all as Excel"]
    at.text_input(key="tx_f_text").input("coffee")
    at.run()
    assert not at.exception
    assert _labels(at) == ["Download the filtered transactions as CSV", "Download the filtered transactions as Excel"]
    assert any("Only the transactions that match the filter" in c.value for c in at.caption)


def test_the_filtered_export_holds_the_rows_shown_and_another_users_account_matches_nothing(app_env):
    alice, bob = app_env.create_user(), app_env.create_user("bob@example.com", "Bob")
    alices_card = _seed(app_env, alice)
    bobs_card = _seed(app_env, bob)
    with app_env.scope() as s:
        assert len(exports.transactions_export_frame(s, user_id=alice.user_id)) == 2
        frame = exports.transactions_export_frame(s, user_id=alice.user_id, filters=tx.TransactionFilter(text="coffee"))
        assert list(frame["description"]) == ["Coffee shop"]
        frame = exports.transactions_export_frame(
            s, user_id=alice.user_id, filters=tx.TransactionFilter(account_ids=(alices_card,))
        )
        assert list(frame["description"]) == ["Coffee shop"] and list(frame["account"]) == ["Card"]
        frame = exports.transactions_export_frame(
            s, user_id=alice.user_id, filters=tx.TransactionFilter(account_ids=(bobs_card,))
        )
        assert frame.empty  # another user's account id: none of Bob's rows, none of Alice's
        frame = exports.transactions_export_frame(s, user_id=alice.user_id, filters=tx.TransactionFilter(kind="income"))
        assert list(frame["description"]) == ["Salary March"]
