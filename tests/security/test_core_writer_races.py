"""The other Core writers raced (session 29, race29): goal contributions, scheduled items, budgets, two-step codes and
"stay signed in" cookies, two requests of one user at once on PostgreSQL and MariaDB (SQLite too: one writer).

Session 28 (locks28) gave every raw-SQL writer of a user's rows one lock order, the user's lock first
(``versions.lock_user_for_import``), and left these writers unraced. Two kinds of pair here:

* ``after``: each request holds after its first lock until the other has taken its own (as
  ``test_raw_write_lock_order.py``): a writer that locked its rows first and the user's row last (a Core
  ``DELETE`` then the flush's or ``touch_data``'s user lock) against one holding the user's lock and wanting
  those rows deadlocked (PostgreSQL ``DeadlockDetected``, MariaDB 1213);
* ``before``: each request holds just before its first lock, so both have read and checked (what a goal
  holds, whether a month has its budget, which code was used last) before either writes: a check made before
  the user's lock let both pass (a goal below zero, two budgets of one month, one code used twice).

Every request either finishes or is refused with the product's own words (a ``BudgetwiseError``); a database
error is the failure. What a refused or failed request began is not kept (``db.session_scope`` rolls it back):
each case checks the rows after both.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import threading
from collections.abc import Callable
from dataclasses import dataclass

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from budgetwise.db import session_scope
from budgetwise.errors import BudgetwiseError
from budgetwise.models import Budget, Goal, GoalContribution, RecoveryCode, RememberToken, ScheduledItem, User
from budgetwise.services import auth, budgets, cashflow, categories, goals, totp
from tests.conftest import STRONG_PASSWORD, create_user, make_settings
from tests.security.helpers import hold_after_first_lock, race_factory, run_two
from tests.security.test_account_lock_order import LOCKING, _url

TODAY = dt.date.today()
MONTH = TODAY.replace(day=1)
NEXT_MONTH = (MONTH + dt.timedelta(days=32)).replace(day=1)
T0 = dt.datetime.now(dt.UTC).replace(microsecond=0)
T1 = T0 + dt.timedelta(seconds=30)  # the next two-step code's time (the setup used T0's)


@dataclass
class Ctx:
    settings: object
    user_id: int
    goal_id: int
    deposits: tuple[int, int]  # two contributions of 50.00 each, 40.00 saved before: the goal holds 140.00
    scheduled_id: int
    category_id: int
    secret: str
    recovery: tuple[str, ...]
    cookie: str
    pending: tuple[str, str] = ("", "")  # two second-factor tokens (signed in with the password twice)


def _setup(session: Session, tmp_path) -> Ctx:
    settings = make_settings(tmp_path / "data")
    uid = create_user(session, settings, "core@example.com", "Core").user_id
    goal = goals.create_goal(session, user_id=uid, name="Bike", target="1000", already_saved="40",
                             target_date=TODAY + dt.timedelta(days=400))
    deposits = tuple(goals.add_contribution(session, user_id=uid, goal_id=goal.id, amount="50").id for _ in range(2))
    item = cashflow.add_scheduled(session, user_id=uid, name="Rent", amount="1200", kind="expense",
                                  next_date=TODAY + dt.timedelta(days=5), cadence="monthly")
    cat = categories.create_category(session, user_id=uid, name="Hobbies", kind="expense")
    budgets.set_budget(session, user_id=uid, month=MONTH, amount="300", category_id=cat.id)
    setup = totp.begin_setup(session, user_id=uid)
    recovery = totp.confirm_setup(session, user_id=uid, code=totp.current_code(setup.secret, now=T0),
                                  password=STRONG_PASSWORD, now=T0)
    cookie = auth.issue_remember_token(session, uid, settings)
    return Ctx(settings, uid, goal.id, (deposits[0], deposits[1]), item.id, cat.id, setup.secret, recovery, cookie)


def _sign_in_twice(factory, ctx: Ctx) -> None:
    tokens = []
    for _ in range(2):
        with session_scope(factory) as s:
            result = auth.login(s, email="core@example.com", password=STRONG_PASSWORD, settings=ctx.settings)
            assert result.second_factor_token
            tokens.append(result.second_factor_token)
    ctx.pending = (tokens[0], tokens[1])


def _saved(s: Session, ctx: Ctx) -> int:
    goal = s.get(Goal, ctx.goal_id)
    assert goal is not None
    return goal.initial_saved_minor + int(s.scalar(select(func.coalesce(func.sum(GoalContribution.amount_minor), 0))
                                                   .where(GoalContribution.goal_id == ctx.goal_id)) or 0)


Request = Callable[[Session, Ctx], object]
R: dict[str, Request] = {
    "delete_goal": lambda s, c: goals.delete_goal(s, user_id=c.user_id, goal_id=c.goal_id),
    "delete_deposit": lambda s, c: goals.delete_contribution(s, user_id=c.user_id, contribution_id=c.deposits[0]),
    "add_contribution": lambda s, c: goals.add_contribution(s, user_id=c.user_id, goal_id=c.goal_id, amount="10"),
    "withdraw": lambda s, c: goals.add_contribution(s, user_id=c.user_id, goal_id=c.goal_id, amount="-120"),
    "lower_saved": lambda s, c: goals.update_goal(s, user_id=c.user_id, goal_id=c.goal_id, already_saved="0"),
    "delete_scheduled": lambda s, c: cashflow.delete_scheduled(s, user_id=c.user_id, item_id=c.scheduled_id),
    "update_scheduled": lambda s, c: cashflow.update_scheduled(
        s, user_id=c.user_id, item_id=c.scheduled_id, name="Rent", amount="1250", kind="expense",
        next_date=TODAY + dt.timedelta(days=5), cadence="monthly"),
    "budget_history": lambda s, c: budgets.delete_budget_history(s, user_id=c.user_id, category_id=c.category_id),
    "set_budget": lambda s, c: budgets.set_budget(s, user_id=c.user_id, month=MONTH, amount="400",
                                                  category_id=c.category_id),
    "set_total": lambda s, c: budgets.set_budget(s, user_id=c.user_id, month=NEXT_MONTH, amount="2000"),
    "set_next": lambda s, c: budgets.set_budget(s, user_id=c.user_id, month=NEXT_MONTH, amount="500",
                                                category_id=c.category_id),
    "new_codes": lambda s, c: totp.regenerate_recovery_codes(
        s, user_id=c.user_id, password=STRONG_PASSWORD, code=totp.current_code(c.secret, now=T1), now=T1,
        settings=c.settings),
    "redeem": lambda s, c: auth.redeem_remember_token(s, token=c.cookie, settings=c.settings),
    "logout": lambda s, c: auth.logout(s, user_id=c.user_id),
}


def _second_factor(n: int, code: Callable[[Ctx], str]) -> Request:
    return lambda s, c: auth.complete_second_factor(s, pending_token=c.pending[n], code=code(c), settings=c.settings,
                                                    now=T1)


def _count(s: Session, model, *where) -> int:
    return int(s.scalar(select(func.count()).select_from(model).where(*where)) or 0)


def _check_goal_gone(s: Session, c: Ctx, ok: list[bool]) -> None:
    assert s.get(Goal, c.goal_id) is None
    assert _count(s, GoalContribution, GoalContribution.goal_id == c.goal_id) == 0


def _check_one_withdrawal(s: Session, c: Ctx, ok: list[bool]) -> None:
    assert _saved(s, c) >= 0 and ok.count(True) == 1, (_saved(s, c), ok)  # before: both passed, the goal at -100.00


def _check_withdraw_or_delete(s: Session, c: Ctx, ok: list[bool]) -> None:
    assert _saved(s, c) >= 0 and ok.count(True) == 1, (_saved(s, c), ok)  # before: both, -30.00 (-20.00 lowered)


def _check_scheduled(s: Session, c: Ctx, ok: list[bool]) -> None:
    assert s.get(ScheduledItem, c.scheduled_id) is None


def _check_history(s: Session, c: Ctx, ok: list[bool]) -> None:
    assert _count(s, Budget, Budget.user_id == c.user_id, Budget.category_id == c.category_id) <= 1


def _check_total(s: Session, c: Ctx, ok: list[bool]) -> None:
    # before: two overall budgets for the month (no unique constraint holds NULL categories apart)
    assert _count(s, Budget, Budget.user_id == c.user_id, Budget.category_id.is_(None), Budget.month == NEXT_MONTH) == 1


def _check_next(s: Session, c: Ctx, ok: list[bool]) -> None:
    assert _count(s, Budget, Budget.user_id == c.user_id, Budget.category_id == c.category_id,
                  Budget.month == NEXT_MONTH) == 1


def _check_one_code_use(s: Session, c: Ctx, ok: list[bool]) -> None:
    assert ok.count(True) == 1, ok  # before: one code bought two sets of recovery codes (the first set shown, dead)


def _check_new_codes(s: Session, c: Ctx, ok: list[bool]) -> None:
    _check_one_code_use(s, c, ok)
    assert _count(s, RecoveryCode, RecoveryCode.user_id == c.user_id) == totp.RECOVERY_CODE_COUNT


def _check_recovery(s: Session, c: Ctx, ok: list[bool]) -> None:
    _check_one_code_use(s, c, ok)
    assert _count(s, RecoveryCode, RecoveryCode.user_id == c.user_id, RecoveryCode.used_at.is_not(None)) == 1


def _check_signed_out(s: Session, c: Ctx, ok: list[bool]) -> None:
    assert _count(s, RememberToken, RememberToken.user_id == c.user_id) == 0  # a cookie outliving the logout


# name: (hold, first request, second request, the check of what is left)
CASES: dict[str, tuple[str, Request, Request, Callable]] = {
    "goal-deleted-while-a-contribution-is": ("after", R["delete_goal"], R["delete_deposit"], _check_goal_gone),
    "goal-deleted-while-one-is-added": ("after", R["delete_goal"], R["add_contribution"], _check_goal_gone),
    "two-withdrawals": ("before", R["withdraw"], R["withdraw"], _check_one_withdrawal),
    "withdrawal-and-deposit-deleted": ("before", R["withdraw"], R["delete_deposit"], _check_withdraw_or_delete),
    "withdrawal-and-saved-lowered": ("before", R["withdraw"], R["lower_saved"], _check_withdraw_or_delete),
    "scheduled-deleted-while-edited": ("after", R["delete_scheduled"], R["update_scheduled"], _check_scheduled),
    "budget-history-deleted-while-set": ("after", R["budget_history"], R["set_budget"], _check_history),
    "overall-budget-set-twice": ("before", R["set_total"], R["set_total"], _check_total),
    "category-budget-set-twice": ("before", R["set_next"], R["set_next"], _check_next),
    "one-code-two-new-code-sets": ("before", R["new_codes"], R["new_codes"], _check_new_codes),
    "one-code-two-sign-ins": ("before", _second_factor(0, lambda c: totp.current_code(c.secret, now=T1)),
                              _second_factor(1, lambda c: totp.current_code(c.secret, now=T1)), _check_one_code_use),
    "one-recovery-code-two-sign-ins": ("before", _second_factor(0, lambda c: c.recovery[0]),
                                       _second_factor(1, lambda c: c.recovery[0]), _check_recovery),
    "cookie-redeemed-at-logout": ("after", R["redeem"], R["logout"], _check_signed_out),
}


@pytest.mark.parametrize("case", list(CASES))
@pytest.mark.parametrize("backend", ["sqlite", "postgresql", "mysql"])
def test_two_requests_of_one_user_at_once_keep_the_data_whole(tmp_path, sqlite_template, backend, case):
    hold, *requests, check = CASES[case]
    with contextlib.ExitStack() as stack:
        factory = race_factory(stack, _url(tmp_path, sqlite_template, backend, stack))
        with session_scope(factory) as s:
            ctx = _setup(s, tmp_path)
        if "sign-ins" in case:
            _sign_in_twice(factory, ctx)
        local = hold_after_first_lock(factory.kw["bind"], threading.Barrier(2), before=hold == "before")
        errors: list[str] = []
        ok = [False, False]

        def request(n: int) -> None:
            local.pattern = LOCKING
            try:
                with session_scope(factory) as s:
                    requests[n](s, ctx)
                ok[n] = True
            except BudgetwiseError:  # refused in the product's words (the other request went first)
                pass
            except Exception as exc:  # noqa: BLE001 - a deadlock or any database error is the failure
                errors.append(f"{n}: {exc!r}"[:400])

        run_two(request)
        assert not errors, errors
        with session_scope(factory) as s:
            assert s.get(User, ctx.user_id) is not None
            check(s, ctx, ok)
