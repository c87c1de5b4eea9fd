"""Service layer: one module per capability. Services never import Streamlit.

Conventions: functions take the SQLAlchemy ``Session`` and the caller (``principal``
or ``user_id``) as keyword arguments, filter every query by that user, and return
plain data (frozen dataclasses, tuples, DataFrames). The caller owns the session
lifecycle (``budgetwise.db.session_scope``).
"""
