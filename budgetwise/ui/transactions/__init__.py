"""The Transactions page's sections (issue #15): ``pages/transactions.py`` is a shell over these.

``common`` holds the page's keys and category labels; ``learn_offer`` the "learn this?" box after a
correction; ``add`` the add form; ``listing`` the filters, the table and the selection; ``selection``
the edit, bulk-category and delete forms over the selection; ``export`` the downloads. Widget
keys (``tx_*``) are unchanged. Which categories a kind is offered is the categories service's
(``categories.usable_for``).
"""
