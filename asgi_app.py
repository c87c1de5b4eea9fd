"""Optional entry point with an HttpOnly "stay signed in" cookie: ``streamlit run asgi_app.py``.

Runs ``app.py`` through ``st.App`` (Streamlit's ASGI server) with one extra route that sets
the cookie from the server (budgetwise/ui/httponly.py). ``streamlit run app.py`` still works
and uses the JavaScript-written cookie. See docs/decisions.md.
"""

import os
from pathlib import Path

import streamlit as st

os.environ["BUDGETWISE_HTTPONLY_COOKIE"] = "1"

from budgetwise.ui.httponly import routes  # noqa: E402

app = st.App(str(Path(__file__).resolve().parent / "app.py"), routes=routes())
