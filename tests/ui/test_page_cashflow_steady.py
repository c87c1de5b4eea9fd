"""Cash flow page (AppTest): a long, steady history of known items alone (salary, rent, bills) and one without
income (session 21, zfword: 29 months of bills read "not in the projection yet: too little history")."""

import datetime as dt

from budgetwise.services import accounts, cashflow
from budgetwise.services import transactions as tx

PAGE = "pages/cashflow.py"
ROWS = [(1, "1200", "expense", "Rent Landlord"), (10, "40", "expense", "Phone Co"), (15, "80", "expense", "City Power"),
        (25, "3000", "income", "ACME Payroll")]


def _page_text(at) -> str:
    parts = [e.value for kind in ("info", "caption", "error", "warning", "markdown") for e in getattr(at, kind)]
    parts += [str(m.help or "") for m in at.metric]
    return "\n".join(str(p).replace("\\", "") for p in parts)


def _steady(app_env, rows, threshold: str = "1000"):
    alice = app_env.create_user()
    today = dt.date.today()
    with app_env.scope() as s:
        accounts.create_account(s, user_id=alice.user_id, name="Checking", opening_balance="1500")
        for n in range(29, 0, -1):
            y, m = divmod(today.year * 12 + today.month - 1 - n, 12)
            for day, amount, kind, text in rows:
                tx.add_transaction(s, user_id=alice.user_id, date=dt.date(y, m + 1, day), amount=amount, kind=kind,
                                   description=text)
        cashflow.set_threshold(s, user_id=alice.user_id, threshold=threshold)
    at = app_env.page(PAGE, user=alice, timeout=60)
    at.run()
    assert not at.exception
    return _page_text(at)


def test_a_long_steady_history_is_not_called_too_little_history(app_env):
    text = _steady(app_env, ROWS)
    assert "too little history" not in text and "not in the projection yet" not in text
    assert "Safe to spend on top of the known items (your history has no spending beyond them):" in text
    assert "On top of the known items (your history has no spending beyond them), before your next income" in text


def test_a_history_without_income_says_the_balance_is_already_below(app_env):
    text = _steady(app_env, [r for r in ROWS if r[2] == "expense"], threshold="0")
    assert "Your balance is already below $0.00 today: -$" in text and "goes below" not in text
    assert "no regular income is recognised" in text and "too little history" not in text
    assert "Chance of being below $0.00 up to " in text
