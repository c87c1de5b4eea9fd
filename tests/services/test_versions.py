"""One place bumps users' data versions; data code does not load the password stack."""

from __future__ import annotations

import subprocess
import sys

from budgetwise.models import User
from budgetwise.services import auth, versions


def test_loading_forecast_and_report_code_does_not_load_bcrypt_or_jwt():
    code = (
        "import sys\n"
        "import budgetwise.services.forecast, budgetwise.services.reports\n"
        "loaded = [m for m in ('bcrypt', 'jwt', 'budgetwise.security') if m in sys.modules]\n"
        "assert not loaded, loaded\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


def test_touch_data_bumps_one_user_and_touch_all_data_everyone(session, alice, bob):
    before = {u.id: u.data_version for u in session.query(User)}
    versions.touch_data(session, alice.user_id)
    assert versions.data_version(session, user_id=alice.user_id) == before[alice.user_id] + 1
    assert versions.data_version(session, user_id=bob.user_id) == before[bob.user_id]
    versions.touch_all_data(session)
    assert versions.data_version(session, user_id=bob.user_id) == before[bob.user_id] + 1
    assert auth.touch_data is versions.touch_data and auth.data_version is versions.data_version
