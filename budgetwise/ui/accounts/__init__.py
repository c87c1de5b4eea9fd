"""The Accounts page's sections: ``pages/accounts.py`` is a shell over them.

``overview`` the cached balances and history, net worth, the table and the month-end chart;
``transfers`` transfers to confirm or undo; ``add`` the "Add an account" form; ``manage`` rename,
archive and restore. Widget keys (``acct_*``) are unchanged.
"""
