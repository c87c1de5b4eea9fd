"""Forged, expired, revoked and otherwise bad session tokens, built once per test module.

:func:`build_world` creates the users and :func:`bad_tokens` the cases. Every case must
be refused wherever a token is accepted. ``ADMIN_ONLY_CASES`` are validly signed tokens of
users who are not (or no longer) administrators: refused by admin pages and services only.
"""

from __future__ import annotations

import base64
import datetime as dt
import json
from dataclasses import dataclass

import jwt
from sqlalchemy.orm import Session

from budgetwise import security
from budgetwise.config import Settings
from budgetwise.models import ROLE_ADMIN, ROLE_USER, User
from budgetwise.principal import Principal
from budgetwise.services import admin as admin_service
from budgetwise.services import auth, profile
from tests.conftest import STRONG_PASSWORD, create_user

NEW_PASSWORD = "copper-meadow-whistle-77"
OTHER_SECRET = "another-deployment-secret-" + "y" * 40
MARKER = "ALICE-PRIVATE-7f3a"


@dataclass(frozen=True)
class World:
    root: Principal  # the first user: admin
    alice: Principal
    bob: Principal
    carol: Principal  # logged out after her token was issued
    dave: Principal  # changed his password after his token was issued
    erin: Principal  # disabled by the admin
    frank_id: int  # deleted by the admin
    gina: Principal  # was admin when her token was issued, then demoted
    tokens: dict[str, str]  # token issued before each user's change, keyed by user name


def _b64(data: dict) -> str:
    return base64.urlsafe_b64encode(json.dumps(data, separators=(",", ":")).encode()).rstrip(b"=").decode()


def _unb64(part: str) -> dict:
    return json.loads(base64.urlsafe_b64decode(part + "=" * (-len(part) % 4)))


def tamper(token: str, **changes: object) -> str:
    """The same token with payload fields changed and the ORIGINAL signature kept."""
    header, payload, signature = token.split(".")
    claims = _unb64(payload)
    claims.update(changes)
    return ".".join([header, _b64(claims), signature])


_ACCOUNT_UIDS: dict[int, str] = {}  # user id -> account_uid, filled by build_world: forged claims carry the real one


def _claims(user_id: int, role: str, tv: int, typ: str, *, ttl: dt.timedelta = dt.timedelta(hours=1)) -> dict:
    now = dt.datetime.now(dt.UTC)
    return {
        "iss": security.ISSUER, "sub": str(user_id), "iat": int(now.timestamp()), "nbf": int(now.timestamp()),
        "exp": int((now + ttl).timestamp()), "jti": "forged", "role": role, "tv": tv, "typ": typ,
        "acc": _ACCOUNT_UIDS.get(user_id, ""),
    }


def build_world(session: Session, settings: Settings) -> World:
    root = create_user(session, settings, "root@example.com", "Root")
    alice = create_user(session, settings, "alice@example.com", "Alice")
    bob = create_user(session, settings, "bob@example.com", "Bob")
    carol = create_user(session, settings, "carol@example.com", "Carol")
    dave = create_user(session, settings, "dave@example.com", "Dave")
    erin = create_user(session, settings, "erin@example.com", "Erin")
    frank = create_user(session, settings, "frank@example.com", "Frank")
    gina = create_user(session, settings, "gina@example.com", "Gina")
    session.get(User, gina.user_id).role = ROLE_ADMIN
    session.flush()
    _ACCOUNT_UIDS.update({p.user_id: p.account_uid for p in (root, alice, bob, carol, dave, erin, frank, gina)})
    tokens = {
        name: auth.issue_access_token(session, p.user_id, settings)
        for name, p in {"carol": carol, "dave": dave, "erin": erin, "frank": frank, "gina": gina}.items()
    }
    tokens.update({
        f"{name}_remember": auth.issue_remember_token(session, p.user_id, settings)
        for name, p in {"carol": carol, "dave": dave, "erin": erin, "frank": frank}.items()
    })
    auth.logout(session, user_id=carol.user_id)
    profile.change_password(session, user_id=dave.user_id, current_password=STRONG_PASSWORD, new_password=NEW_PASSWORD,
                            settings=settings)
    admin_principal = auth.principal_for(session.get(User, root.user_id))
    admin_service.disable_user(session, principal=admin_principal, user_id=erin.user_id)
    admin_service.delete_user(session, principal=admin_principal, user_id=frank.user_id, confirm_email=frank.email)
    session.get(User, gina.user_id).role = ROLE_USER
    session.flush()
    return World(root, alice, bob, carol, dave, erin, frank.user_id, gina, tokens)


def bad_tokens(world: World, settings: Settings, *, typ: str = security.TOKEN_ACCESS) -> dict[str, str | None]:
    """Every way a request can present a token it must not be served with (for ``typ``)."""
    alice, secret = world.alice, settings.secret_key
    tv = 1
    valid = jwt.encode(_claims(alice.user_id, ROLE_USER, tv, typ), secret, algorithm="HS256")
    expired = security.issue_token(
        user_id=alice.user_id, role=ROLE_USER, token_version=tv, secret=secret, ttl=dt.timedelta(hours=1),
        token_type=typ, now=dt.datetime.now(dt.UTC) - dt.timedelta(hours=2), account_uid=alice.account_uid,
    )
    no_exp = {k: v for k, v in _claims(alice.user_id, ROLE_USER, tv, typ).items() if k != "exp"}
    other_typ = security.TOKEN_REMEMBER if typ == security.TOKEN_ACCESS else security.TOKEN_ACCESS
    suffix = "_remember" if typ == security.TOKEN_REMEMBER else ""
    cases: dict[str, str | None] = {
        "no token": None,
        "empty string": "",
        "not a JWT": "not-a-token",
        "expired": expired,
        "signed with another key": jwt.encode(_claims(alice.user_id, ROLE_USER, tv, typ), OTHER_SECRET, algorithm="HS256"),
        "alg none (unsigned)": ".".join([_b64({"alg": "none", "typ": "JWT"}), _b64(_claims(alice.user_id, ROLE_USER, tv, typ)), ""]),
        "alg none, role admin": ".".join([_b64({"alg": "none", "typ": "JWT"}), _b64(_claims(alice.user_id, ROLE_ADMIN, tv, typ)), ""]),
        "alg HS512 with the real key": jwt.encode(_claims(alice.user_id, ROLE_USER, tv, typ), secret, algorithm="HS512"),
        "real key but no expiry claim": jwt.encode(no_exp, secret, algorithm="HS256"),
        "payload: other user id": tamper(valid, sub=str(world.bob.user_id)),
        "payload: role upgraded to admin": tamper(valid, role=ROLE_ADMIN),
        "payload: token version bumped": tamper(valid, tv=tv + 1),
        "payload: expiry extended": tamper(expired, exp=int(dt.datetime(2099, 1, 1).timestamp())),
        "wrong token type": jwt.encode(_claims(alice.user_id, ROLE_USER, tv, other_typ), secret, algorithm="HS256"),
        "two-factor pending token": jwt.encode(_claims(alice.user_id, ROLE_USER, tv, auth.TOKEN_SECOND_FACTOR), secret, algorithm="HS256"),
        "revoked by logout": world.tokens["carol" + suffix],
        "revoked by password change": world.tokens["dave" + suffix],
        "disabled user": world.tokens["erin" + suffix],
        "deleted user": world.tokens["frank" + suffix],
    }
    return cases


def admin_only_tokens(world: World, settings: Settings) -> dict[str, str]:
    """Validly signed tokens of users who are not administrators (the role comes from the database)."""
    return {
        "validly signed, role claim admin, user is not admin": jwt.encode(
            _claims(world.alice.user_id, ROLE_ADMIN, 1, security.TOKEN_ACCESS), settings.secret_key, algorithm="HS256"
        ),
        "admin demoted after the token was issued": world.tokens["gina"],
    }


# Names known at collection time (pytest parametrization); bad_tokens() must build exactly these.
CASES = (
    "no token", "empty string", "not a JWT", "expired", "signed with another key", "alg none (unsigned)",
    "alg none, role admin", "alg HS512 with the real key", "real key but no expiry claim", "payload: other user id",
    "payload: role upgraded to admin", "payload: token version bumped", "payload: expiry extended", "wrong token type",
    "two-factor pending token", "revoked by logout", "revoked by password change", "disabled user", "deleted user",
)
ADMIN_CASES = ("validly signed, role claim admin, user is not admin", "admin demoted after the token was issued")
