"""The Profile page's sections (issue #15): ``pages/profile.py`` is a shell over these.

``account`` holds the details, preferences, password, "your data" and delete-account tabs;
``two_factor`` the two-factor sign-in tab (set up, recovery codes, turn off). The exchange-rates
tab is ``budgetwise.ui.currency.rates_tab``. Widget keys (``pf_*``, ``profile_*``) are unchanged.
"""
