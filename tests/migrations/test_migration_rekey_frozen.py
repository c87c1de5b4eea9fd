"""The learned-rule re-key migrations replay what they did whatever today's learning key and re-key planner are
(session 26, mig26). Each of 0016 … 0043 names its "before" and "after" key functions and the planner it replays
(``planner=26``, ``rekey.PLANNERS``): with ``textforms.learn_key`` replaced by another key, every migration but the
newest gives the same keys (the newest reads today's key by the freezing pattern: when ``learn_key`` changes, freeze it
in ``textkeys`` and re-point that migration), and 0029's, 0033's and 0037's up / down tests give the same rules on
SQLite, PostgreSQL and MariaDB. Until session 26, 0037 re-keyed to today's ``learn_key``. The planner is pinned on a
made-up corpus: a change of what a plan is fails here and goes behind a new planner version instead. Made-up texts."""

from __future__ import annotations

import functools
import importlib.util
from pathlib import Path
from types import SimpleNamespace

import pytest
from sqlalchemy import TextClause

from budgetwise import textforms
from budgetwise.services.categorize import rekey
from budgetwise.services.categorize.rekey import LearnedRule, plan_rekey
from budgetwise.textkeys import learn_key_before_session_17, learn_key_before_session_24
from tests.migrations import (
    test_migration_rekey_bill_reference as m37,
)
from tests.migrations import (
    test_migration_rekey_glued_account as m33,
)
from tests.migrations import (
    test_migration_rekey_shared_text as m29,
)
from tests.migrations import (
    test_migration_rekey_shared_text_users as m29u,
)
from tests.migrations.test_migration_default_rules import url  # noqa: F401  (the per-backend database fixture)

VERSIONS = Path(__file__).resolve().parents[2] / "migrations" / "versions"
REKEYS = ["0016", "0019", "0021", "0022", "0025", "0027", "0029", "0033", "0037", "0039", "0043"]
NEWEST = REKEYS[-1]
TEXTS = ["Pay Bill to 222 - E-CITIZEN Acc. NHIFM123", "Pay Bill to 222 - KE Acc. NHIFM", "E-CITIZENAcc. 55",
         "Pay Bill Online to 409 - Direct Pay Limited 1", "PAG*PADARIA SOL", "Customer Transfer to - 0712345678 PETER",
         "COMPRA CARTAO DEB MC 11/10 GRAAL", "Z WELLINGTON", "PIX ENVIADO ALINE SOUZA", "PAGAMENTO VIA INTERNET PADARIA",
         "4835-****-1234 Df PAK N SAVE", "PAYPAL INST XFER 220803", "ATM08SEP", "PayPal - Omitted due to Privacy Reasons",
         "ACME GmbH", "Safaricom Limited", "TESCO STORES 1"]
SHARED = frozenset({"omitted", "due", "privacy", "reasons"})


def _changed_key(description: str, shared: frozenset[str] | set[str] = frozenset()) -> str:
    return "a key changed after session 26"


class _Bind:
    """A migration's connection that answers one user with learned rules and no transactions."""

    def execute(self, statement, *args):
        users = isinstance(statement, TextClause) and "DISTINCT user_id" in str(statement)
        return SimpleNamespace(scalars=lambda: SimpleNamespace(all=lambda: [1] if users else []),
                               all=lambda: [])


def _load(number: str):
    path = next(VERSIONS.glob(f"{number}_*.py"))
    spec = importlib.util.spec_from_file_location(f"mig26_{number}", path)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _replayed(number: str, monkeypatch, forward: bool) -> list[tuple[int, list[str], list[str]]]:
    """(planner, before's keys, after's keys) of each re-keying the migration asks for, read on TEXTS."""
    calls: list[tuple[int, list[str], list[str]]] = []

    def keys_of(before, after, planner):
        calls.append((planner, [before(d) for d in TEXTS], [after(d) for d in TEXTS]))

    def every_user(bind, *, planner, before=None, after=None, per_user=None):
        if per_user is None:
            keys_of(before, after, planner)
        for shared in (frozenset(), SHARED) if per_user else ():
            keys_of(*per_user(shared), planner)

    def one_user(session, *, user_id, before, after, planner=None, narrow=False):
        keys_of(before, after, planner)

    monkeypatch.setattr(rekey, "rekey_every_user", every_user)
    monkeypatch.setattr(rekey, "rekey_learned_rules", one_user)
    module = _load(number)
    monkeypatch.setattr(module, "op", SimpleNamespace(get_bind=_Bind))
    (module.upgrade if forward else module.downgrade)()
    assert calls, number
    return calls


@pytest.mark.parametrize("forward", [True, False], ids=["up", "down"])
@pytest.mark.parametrize("number", REKEYS)
def test_each_rekey_migration_replays_its_frozen_keys_and_planner(number, forward, monkeypatch):
    today = _replayed(number, monkeypatch, forward)
    assert {planner for planner, _, _ in today} == {26}  # named: a later planner never reaches it
    monkeypatch.setattr(textforms, "learn_key", _changed_key)
    later = _replayed(number, monkeypatch, forward)
    if number != NEWEST:
        assert later == today
    else:  # the newest re-keys to (and down from) today's key: the one that must be frozen when the key changes
        assert later != today


def test_a_planner_version_never_shipped_is_refused():
    with pytest.raises(ValueError, match="no re-key planner of session 27"):
        plan_rekey([], [], before=str, after=str, planner=27)


# made-up rules and rows of one user: exact and stem rules, both directions, people, a shared-words key, hand-set rows
PLAN_RULES = [LearnedRule(1, "omitted due privacy reasons", "exact", 7, kind="expense"),
              LearnedRule(2, "customer transfer", "starts_with", 8, kind="expense"),
              LearnedRule(7, "customer transfer john", "exact", 2, kind="expense"),
              LearnedRule(3, "pag", "starts_with", 9), LearnedRule(4, "pag padaria sol", "exact", 9, kind="income"),
              LearnedRule(5, "qzxw blorp", "exact", 3), LearnedRule(6, "citizenacc", "exact", 4)]
PLAN_ROWS = [("PayPal - Omitted due to Privacy Reasons", "expense"), ("C1000 - Omitted due to Privacy Reasons", "expense"),
             ("Customer Transfer to - 0712345678 PETER KAMAU", "expense"),
             ("Customer Transfer to - 0712345679 MARY WANJIKU KAMAU", "expense"),
             ("Customer Transfer to - 0712345670 JOHN NAIROBI", "expense"), ("PAG*PADARIA SOL", "expense"),
             ("PAG*PADARIA SOL", "income"), ("PAG*LOJA DO ZE", "expense"), ("E-CITIZENAcc. 55", "expense"),
             ("E-CITIZEN Acc. 56", "expense")]
PLAN_MANUAL = [("PayPal - Omitted due to Privacy Reasons", 7, "expense"), ("PAG*LOJA DO ZE", 9, "expense")]

PINNED = ({1: ("paypal", "exact", 7), 2: ("john nairobi", "starts_with", 8), 3: ("loja do", "starts_with", 9),
           4: ("padaria sol", "exact", 9), 6: ("citizen", "exact", 4)},
          [(2, "mary wanjiku kamau", "starts_with", 8), (2, "peter kamau", "starts_with", 8),
           (3, "padaria sol", "starts_with", 9)], {}, [5, 7], [])


def test_session_26s_planner_is_pinned():
    """A change here is a change of what a re-key migration does: put it behind ``planner >= N`` (rekey.PLANNERS)."""
    after = functools.partial(learn_key_before_session_24, shared=SHARED)
    plan = plan_rekey(PLAN_RULES, PLAN_ROWS, before=learn_key_before_session_17, after=after, manual=PLAN_MANUAL,
                      narrow=True, planner=26)
    assert (plan.changed, plan.added, plan.merged, plan.unchecked, plan.left_out) == PINNED


# the up / down tests of the migrations whose "after" key read today's key or whose planner was today's, with today's
# key replaced: the same rules
@pytest.mark.parametrize("case", [m29.test_0029_rekeys_a_key_of_shared_words_to_the_corrected_payee_and_downgrades,
                                  m29.test_without_a_hand_set_row_the_old_key_splits_into_each_payees_rule,
                                  m29u.test_0029_rekeys_each_users_rule_to_their_own_corrected_payee,
                                  m33.test_0033_rekeys_a_glued_account_key_to_the_spaced_form_and_downgrades,
                                  m37.test_0037_rekeys_a_bill_reference_key_to_the_payees_and_downgrades],
                         ids=["0029", "0029-split", "0029-users", "0033", "0037"])
def test_the_migration_gives_the_same_rules_with_todays_key_changed(case, url, monkeypatch):  # noqa: F811
    monkeypatch.setattr(textforms, "learn_key", _changed_key)
    case(url, monkeypatch)


# every frozen key's output on TEXTS and the word set of the key before session 10, recorded in session 26 (mig26)
FROZEN_KEYS_DIGEST = "6a1a302d51124408f68028879b4e6029dabab7b4d7de39aba5c268bb0cc2ae7c"


def _frozen_keys_digest() -> str:
    import hashlib

    from budgetwise import textkeys

    keys = {name: getattr(textkeys, name) for name in dir(textkeys) if name.startswith("learn_key_before_session_")}
    keys["learn_key_before_session_10"] = rekey.learn_key_before_session_10
    out = [(name, [keys[name](d) for d in TEXTS]) for name in sorted(keys)]
    out.append(("boilerplate before 10", sorted(rekey._BOILERPLATE_BEFORE_10)))
    return hashlib.sha256(repr(out).encode()).hexdigest()


def test_the_frozen_keys_are_pinned():
    """The frozen keys read today's ``_key_from_tokens`` (each later change behind a ``session_N`` flag they turn off)
    and ``_BOILERPLATE``: a change that reaches them changes what a re-key migration did. On a failure, keep the old
    behaviour behind a flag the frozen keys turn off, never re-record this digest to pass."""
    assert _frozen_keys_digest() == FROZEN_KEYS_DIGEST
