"""One user's click must not empty every user's caches (session 23, sec23).

Profile → "Save preferences" (and the import page's "Make X your currency") ended with ``st.cache_data.clear()``:
every cached result of every user of the process (forecasts, cash-flow projections, report charts, transfer
candidates: seconds of CPU each for a large history) was thrown away at each click, also when nothing had changed,
so one user clicking in a loop made every other user's pages recompute everything on each rerun. A preference that
changes the user's figures bumps that user's data version instead (``versions.touch_data``), which every per-user
cache key holds (``auth.cache_version``): the first day of the week did not, and is the one that needed the clear.
"""

from __future__ import annotations

from budgetwise.services import auth, categorize
from budgetwise.services import transactions as tx

PROFILE = "pages/profile.py"
CATEGORIZE = "pages/categorize.py"


def test_another_users_preferences_leave_this_users_cached_pages_alone(app_env, monkeypatch):
    alice = app_env.create_user("alice@example.com", "Alice")
    bob = app_env.create_user("bob@example.com", "Bob")
    with app_env.scope() as s:
        tx.add_transaction(s, user_id=alice.user_id, date="2026-01-05", amount="4.50", kind="expense",
                           description="Coffee")
    computed: list[int] = []
    real = categorize.categorization_stats

    def counted(session, *, user_id):
        computed.append(user_id)
        return real(session, user_id=user_id)

    monkeypatch.setattr(categorize, "categorization_stats", counted)
    first = app_env.page(CATEGORIZE, user=alice)
    first.run()
    assert not first.exception and computed == [alice.user_id]

    at = app_env.page(PROFILE, user=bob)
    at.run()
    at.selectbox(key="pf_week_start").set_value(6)
    at.button(key="FormSubmitter:profile_prefs-Save preferences").click()
    at.run()
    assert not at.exception and not at.error

    again = app_env.page(CATEGORIZE, user=alice)
    again.run()
    assert not again.exception
    assert computed == [alice.user_id], "Bob's click threw away Alice's cached counts"


def test_a_new_first_day_of_the_week_renews_the_users_own_cached_results(app_env):
    """Weekly reports and forecasts group by it: the user's cache version moves, so their cached results are not
    served again (without a global clear)."""
    alice = app_env.create_user("alice@example.com", "Alice")
    with app_env.scope() as s:
        before = auth.cache_version(s, user_id=alice.user_id)
    at = app_env.page(PROFILE, user=alice)
    at.run()
    at.selectbox(key="pf_week_start").set_value(6)
    at.button(key="FormSubmitter:profile_prefs-Save preferences").click()
    at.run()
    assert not at.exception and not at.error
    with app_env.scope() as s:
        assert auth.cache_version(s, user_id=alice.user_id) != before
