"""The Reports page's sections (issue #15): ``pages/reports.py`` is a shell over these.

``common`` holds what every tab gets (user, cached loader, filters, today); ``summary`` the
figures above the tabs; ``overview``, ``breakdowns`` (categories, trends, merchants, changes),
``flags`` (unusual, spikes, duplicates), ``recurring`` and ``monthly_pdf`` one tab each. Widget
keys (``rep_*``) are unchanged. The figures are the reports service's.
"""
