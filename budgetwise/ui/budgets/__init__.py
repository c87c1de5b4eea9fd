"""The Budgets page's sections: ``pages/budgets.py`` is a shell over them.

``month`` the month picker (its canonical value in ``bud_month``); ``actual`` budget vs actual
(figures, warnings, progress, the table, downloads); ``editor`` the budgets table to set from the
month on; ``history`` the last six months. Widget keys (``bud_*``) are unchanged.
"""
