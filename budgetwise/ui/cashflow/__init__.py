"""The Cash flow page's sections: ``pages/cashflow.py`` is a shell over them.

``projection`` the threshold and the projections without and with the what-if (cached in
``ui/dashboard/outlook``); ``answers`` the summary, figures and notes; ``chart`` the projected
balance with its band; ``scheduled`` items scheduled by hand; ``what_if`` the what-if form (its
state in ``WHAT_IF``, never saved). Widget keys (``cf_*``) are unchanged.
"""
