"""Dashboard cards that live outside ``pages/dashboard.py`` (one call each from the page)."""
