"""The Dashboard's sections: ``pages/dashboard.py`` is a shell over them.

``common`` links to other pages and the alert icons; ``start`` the friendly start of an empty
account; ``kpis`` the period, the four figures with their change; ``outlook`` the balance outlook
(and the cached projection it shares with the Cash flow page); ``alerts`` budgets, unusual
transactions, duplicates and upcoming payments; ``panels`` the charts and the budgets panel;
``recent`` the latest transactions. Widget keys (``dash_*``) are unchanged.
"""
