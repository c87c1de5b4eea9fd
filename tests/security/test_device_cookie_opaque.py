"""The "remember this device" cookie (``budgetwise_device``) carries nothing a reader of the browser can use (session
29, sec29; sec28's leftover): it was a signed but readable JWT naming the account's id, its random uid and its role
("admin" for the first account), so anyone who saw the cookie (a shared computer, a support screenshot, a script on
the page: it is written by a script, not HttpOnly) learnt who and what the account was. Now an opaque token: a random
device id and the account's id and expiry sealed under the server's secret, checked against the account's uid.
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import json

import pytest

from budgetwise.errors import AuthenticationError
from budgetwise.models import User
from budgetwise.services import auth
from tests.conftest import STRONG_PASSWORD

SHARED = "35.230.10.1"


def _readable_parts(token: str) -> list[bytes]:
    """Every part of the token as a reader would try to decode it (dot-separated base64url, or as written)."""
    parts: list[bytes] = [token.encode()]
    for part in token.replace(",", ".").split("."):
        try:
            parts.append(base64.urlsafe_b64decode(part + "=" * (-len(part) % 4)))
        except (binascii.Error, ValueError):
            continue
    return parts


def test_the_device_cookie_names_no_role_no_account_and_no_user_id(db, session, alice):
    user = session.get(User, alice.user_id)
    assert user.role == "admin"  # the first account
    token = auth.remember_device(session, alice.user_id, db.settings)
    for part in _readable_parts(token):
        text = part.decode("utf-8", "replace")
        assert "admin" not in text and "role" not in text
        assert user.account_uid not in text and user.email not in text
        try:
            claims = json.loads(text)
        except ValueError:
            continue
        assert not isinstance(claims, dict), f"a readable claim set: {claims}"


def test_two_device_tokens_of_one_account_share_nothing_but_their_form(db, session, alice):
    """An opaque token: nothing in it stays the same per account (an id in clear would)."""
    one = auth.issue_device_token(session, alice.user_id, db.settings)
    two = auth.issue_device_token(session, alice.user_id, db.settings)
    assert one != two
    prefix = 0
    while prefix < min(len(one), len(two)) and one[prefix] == two[prefix]:
        prefix += 1
    assert prefix <= 4, (one, two)
    a, b = _readable_parts(one)[-1], _readable_parts(two)[-1]
    assert sum(x == y for x, y in zip(a, b)) < len(a) // 4  # random-looking bytes, not one account's fields


def test_an_opaque_device_token_still_does_its_work(db, session, alice):
    """The device still counts apart from a throttled address, and a changed token is no device."""
    settings = db.settings
    auth.authenticate(session, email=alice.email, password=STRONG_PASSWORD, settings=settings, client=SHARED)
    token = auth.issue_device_token(session, alice.user_id, settings)
    user = session.get(User, alice.user_id)
    assert auth.device_client(token, user, settings)
    flipped = token[:-3] + ("A" if token[-3] != "A" else "B") + token[-2:]
    assert auth.device_client(flipped, user, settings) is None
    assert auth.device_client(token[:-1], user, settings) is None
    expired = auth.issue_device_token(session, alice.user_id, settings,
                                      now=dt.datetime.now(dt.UTC) - dt.timedelta(days=400))
    assert auth.device_client(expired, user, settings) is None
    with pytest.raises(AuthenticationError):  # never a session
        auth.verify_token(session, token=token, settings=settings)
