"""Service layer: one module per capability. Services never import Streamlit.

Conventions: functions take the SQLAlchemy ``Session`` and the caller (``principal``
or ``user_id``) as keyword arguments, filter every query by that user, and return
plain data (frozen dataclasses, tuples, DataFrames). The caller owns the session
lifecycle (``budgetwise.db.session_scope``).
"""

import inspect as _inspect


def claim_public_functions(namespace: dict, package: str) -> None:
    """Make a service package the ``__module__`` of the public functions it re-exports.

    A capability that grew into a package (``services/categorize/``, ...) keeps its public
    home at the package, as numpy's ``set_module`` does: ``fn.__module__`` names the package,
    so the guards that walk ``budgetwise.services`` module by module (the authorization and
    isolation tests compare ``fn.__module__`` with the module they inspect) still see every
    service, and pickling by reference finds them there. Private helpers keep their own
    module.
    """
    for name, obj in list(namespace.items()):
        if not name.startswith("_") and _inspect.isfunction(obj) and obj.__module__.startswith(package + "."):
            obj.__module__ = package
