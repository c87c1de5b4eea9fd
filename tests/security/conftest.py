"""The AppTest fixtures of tests/ui (app_env) for the security batteries."""

from tests.ui.conftest import app_env  # noqa: F401  (re-exported fixture)
