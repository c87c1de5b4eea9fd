"""The admin page's sections (issue #15): each module draws one tab with ``render(principal, settings)``.

``pages/admin.py`` is a shell: guard, title, flash, tabs. Widget keys (``adm_*``) are unchanged.
"""
