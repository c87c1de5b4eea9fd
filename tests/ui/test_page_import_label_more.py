"""The import result's labelling offer names five merchants, then says how many more (session 23, trial23).

A browser trial's result read "… toast manulife (1), uber eats (1)…." (an ellipsis and a full stop) for seven
merchants; it now reads "… and 2 more."."""

from tests.ui.test_page_import import PAGE, _click, _upload

NAMES = ("QWPLIX KORBAT", "VRANDO MUSKEL", "ZOTHRA PELIN", "KWEMBI FAROS", "DRULLO MINTAK", "JAXPER OLUND",
         "FIRRAN BOSQUE")


def test_more_than_five_merchants_end_with_how_many_more(app_env):
    alice = app_env.create_user()
    at = app_env.page(PAGE, user=alice)
    at.run()
    data = "Date,Description,Amount\n" + "".join(f"2024-03-{d:02d},{n},-{d}.25\n" for d, n in enumerate(NAMES, 1))
    _upload(at, "seven.csv", data.encode())
    _click(at, "Import 7 transactions")
    assert not at.exception, at.exception
    info = " ".join(i.value for i in at.info)
    assert "Label 7 merchants on the **Categorize** page to sort 7 of them: " in info
    assert " and 2 more." in info and "…." not in info and "…" not in info
