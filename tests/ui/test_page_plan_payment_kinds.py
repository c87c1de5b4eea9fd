"""A plan offer whose stem names a kind of transaction ("ordre permanent", "cash withdrawal") is shown as a kind of
payment, not as a merchant, on the Categorize page and in the import result (session 23: a new user's trial read
"ordre banking", "virement postal" and "cash withdrawal" as merchants). Made-up payees."""

from tests.ui.test_page_import import PAGE as IMPORT
from tests.ui.test_page_import import _click, _upload

CATEGORIZE = "pages/categorize.py"
# two rows a group (session 27: a one-row merchant is offered only when nothing larger is left)
ROWS = ["Ordre permanent – Zorblat SA", "Ordre permanent – Vrenglo Sarl", "Cash withdrawal 1234 Kilbirnie",
        "Cash withdrawal 5678 Kilbirnie", "Qwplix Korbat 12", "Qwplix Korbat 14"]


def _import(app_env, user):
    at = app_env.page(IMPORT, user=user)
    at.run()
    data = "Date,Description,Amount\n" + "".join(f"2024-03-{d:02d},{n},-{d}.25\n" for d, n in enumerate(ROWS, 1))
    _upload(at, "kinds.csv", data.encode())
    _click(at, "Import 6 transactions")
    assert not at.exception, at.exception
    return at


def test_the_import_result_names_kinds_of_payment_apart_from_merchants(app_env):
    alice = app_env.create_user()
    at = _import(app_env, alice)
    info = " ".join(i.value for i in at.info)
    assert "Label 1 merchant and 2 kinds of payment on the **Categorize** page to sort 6 of them: " in info, info
    assert "ordre permanent (a kind of payment, 2)" in info and "qwplix korbat (2)" in info


def test_the_categorize_page_shows_a_kind_of_payment_as_such(app_env):
    alice = app_env.create_user()
    _import(app_env, alice)
    at = app_env.page(CATEGORIZE, user=alice)
    at.run()
    assert not at.exception, at.exception
    lines = [m.value for m in at.markdown if m.value.startswith("**")]
    assert any(v.startswith("**ordre permanent** · :gray[a kind of payment, not a merchant] · 2 transactions")
               for v in lines), lines
    assert any(v.startswith("**qwplix korbat** · 2 transactions") for v in lines), lines
