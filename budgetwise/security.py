"""Password hashing (bcrypt), JWT session tokens (PyJWT, HS256), one-time secrets and client keys."""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import functools
import hashlib
import hmac
import ipaddress
import secrets
import uuid
from collections.abc import Callable
from dataclasses import dataclass

import bcrypt

from budgetwise.errors import AuthenticationError

ALGORITHM = "HS256"
ISSUER = "budgetwise"
TOKEN_ACCESS = "access"
TOKEN_REMEMBER = "remember"
_BCRYPT_MAX_BYTES = 72


def _password_bytes(password: str) -> bytes:
    # bcrypt only looks at 72 bytes (bcrypt>=4.1 raises on more): pre-hash long passwords
    # so every character counts and nothing is silently truncated.
    data = password.encode("utf-8")
    if len(data) > _BCRYPT_MAX_BYTES:
        data = hashlib.sha256(data).hexdigest().encode("ascii")
    return data


def hash_password(password: str, *, rounds: int = 12) -> str:
    return bcrypt.hashpw(_password_bytes(password), bcrypt.gensalt(rounds=rounds)).decode("ascii")


def verify_password(password: str, password_hash: str) -> bool:
    try:
        return bcrypt.checkpw(_password_bytes(password), password_hash.encode("ascii"))
    except (ValueError, TypeError):
        return False


@functools.lru_cache(maxsize=8)
def dummy_hash(rounds: int = 12) -> str:
    """A hash to verify against when the email is unknown, so both paths cost the same."""
    return hash_password(secrets.token_urlsafe(16), rounds=rounds)


@dataclass(frozen=True)
class TokenClaims:
    user_id: int
    role: str
    token_version: int
    jti: str
    issued_at: dt.datetime
    expires_at: dt.datetime
    token_type: str
    account_uid: str = ""  # the account's random identifier ("acc"): ids can repeat, this cannot
    selector: str = ""  # "stay signed in" tokens: the server-side record ("sel") ...
    validator: str = ""  # ... and the secret checked against its hash ("val")


def issue_token(
    *,
    user_id: int,
    role: str,
    token_version: int,
    secret: str,
    ttl: dt.timedelta,
    token_type: str = TOKEN_ACCESS,
    now: dt.datetime | None = None,
    account_uid: str = "",
    selector: str = "",
    validator: str = "",
) -> str:
    now = now or dt.datetime.now(dt.UTC)
    payload: dict = {
        "iss": ISSUER,
        "sub": str(user_id),
        "iat": int(now.timestamp()),
        "nbf": int(now.timestamp()),
        "exp": int((now + ttl).timestamp()),
        "jti": uuid.uuid4().hex,
        "role": role,
        "tv": token_version,
        "typ": token_type,
        "acc": account_uid,
    }
    if selector:
        payload.update(sel=selector, val=validator)
    import jwt  # PyJWT (and the cryptography it loads): only where tokens are made or read

    return jwt.encode(payload, secret, algorithm=ALGORITHM)


def decode_token(token: str, *, secret: str, token_type: str = TOKEN_ACCESS) -> TokenClaims:
    """Verify signature (HS256 only), expiry, issuer and required claims; refuse anything else."""
    if not token or not isinstance(token, str):
        raise AuthenticationError("You are not signed in.")
    import jwt

    try:
        payload = jwt.decode(
            token,
            secret,
            algorithms=[ALGORITHM],
            issuer=ISSUER,
            options={"require": ["sub", "iat", "exp", "jti", "iss"]},
            leeway=0,
        )
    except jwt.ExpiredSignatureError:
        raise AuthenticationError("Your session has expired. Please sign in again.") from None
    except jwt.InvalidTokenError:
        raise AuthenticationError("Your session is not valid. Please sign in again.") from None
    if payload.get("typ") != token_type:
        raise AuthenticationError("Your session is not valid. Please sign in again.")
    try:
        return TokenClaims(
            user_id=int(payload["sub"]),
            role=str(payload["role"]),
            token_version=int(payload["tv"]),
            jti=str(payload["jti"]),
            issued_at=dt.datetime.fromtimestamp(payload["iat"], dt.UTC),
            expires_at=dt.datetime.fromtimestamp(payload["exp"], dt.UTC),
            token_type=token_type,
            account_uid=str(payload.get("acc") or ""),
            selector=str(payload.get("sel") or ""),
            validator=str(payload.get("val") or ""),
        )
    except (KeyError, TypeError, ValueError):
        raise AuthenticationError("Your session is not valid. Please sign in again.") from None


def unverified_expiry(token: str) -> dt.datetime | None:
    """A token's ``exp`` without checking anything: only for how long a browser keeps a cookie."""
    import jwt

    try:
        exp = jwt.decode(token, options={"verify_signature": False}).get("exp")
        return dt.datetime.fromtimestamp(int(exp), dt.UTC)
    except (jwt.InvalidTokenError, TypeError, ValueError):
        return None


def new_one_time_token(nbytes: int = 24) -> str:
    return secrets.token_urlsafe(nbytes)


def hash_one_time_token(token: str) -> str:
    """SHA-256 of a high-entropy random token (these are not passwords: no need for bcrypt)."""
    return hashlib.sha256(token.strip().encode("utf-8")).hexdigest()


def constant_time_equals(a: str, b: str) -> bool:
    return hmac.compare_digest(a.encode("utf-8"), b.encode("utf-8"))


IPV6_CLIENT_PREFIX = 64  # one IPv6 client is its /64: a home or a phone is given a whole /64 and may use any address in it


def _without_port(address: str) -> str:
    if address.startswith("[") and "]" in address:  # "[v6]" or "[v6]:port"
        return address[1:address.index("]")]
    host, colon, port = address.rpartition(":")
    return host if colon and port.isdigit() and host.count(":") == 0 else address  # one colon: IPv4 and its port


def client_address_text(address: str) -> str:
    """The part of an address that names one client: an IPv4 address whole (also written IPv4-mapped), an IPv6
    address's /64 network (session 21: each of the 2^64 addresses a client may use was a fresh allowance of the
    per-client limits), anything else as given. A port some proxies append in X-Forwarded-For ("203.0.113.9:50123",
    "[2001:db8::1]:443") is not part of it (review21b: each new connection was a new client)."""
    try:
        ip = ipaddress.ip_address(_without_port(address).split("%", 1)[0])  # without a zone index ("fe80::1%eth0")
    except ValueError:
        return address
    if isinstance(ip, ipaddress.IPv6Address):
        if ip.ipv4_mapped is not None:
            return str(ip.ipv4_mapped)
        return str(ipaddress.IPv6Network((ip, IPV6_CLIENT_PREFIX), strict=False))
    return str(ip)


def client_hash(address: str | None, secret: str) -> str | None:
    """A keyed hash of :func:`client_address_text` of ``address`` (None without an address): what the per-client
    limits count, never the address itself."""
    text = address.strip() if isinstance(address, str) else ""
    if not text:
        return None
    text = client_address_text(text)
    return hmac.new(secret.encode("utf-8"), b"client:" + text.encode("utf-8"), hashlib.sha256).hexdigest()[:40]


# The device cookie's token (services/client_throttle.py; session 29, sec29): opaque to whoever reads the cookie.
# A JWT there named the account's id, uid and role. Now: a random nonce, the account's id and the expiry enciphered
# with a keystream of HMAC-SHA256 under a key of the secret and the nonce (a PRF in counter mode), then a tag of
# HMAC-SHA256 under another key over all of it and the account's uid (encrypt-then-MAC: a changed byte, another
# account or an account that reused the id fails). Nothing in it is readable or the same in two tokens.
DEVICE_TOKEN_PREFIX = "d1."
_NONCE, _PLAIN, _TAG = 16, 16, 16


@dataclass(frozen=True)
class DeviceToken:
    user_id: int
    selector: str  # the nonce in hex: the device's id (its throttle key is derived from it)
    expires_at: dt.datetime


def _device_key(secret: str, purpose: bytes) -> bytes:
    return hmac.new(secret.encode("utf-8"), b"budgetwise-device-token:" + purpose, hashlib.sha256).digest()


def _device_tag(secret: str, body: bytes, account_uid: str) -> bytes:
    return hmac.new(_device_key(secret, b"mac"), body + b"|" + account_uid.encode("utf-8"),
                    hashlib.sha256).digest()[:_TAG]


def _device_stream(secret: str, nonce: bytes, data: bytes) -> bytes:
    stream = hmac.new(_device_key(secret, b"enc"), nonce, hashlib.sha256).digest()[:_PLAIN]
    return bytes(a ^ b for a, b in zip(data, stream, strict=True))


def seal_device_token(*, user_id: int, account_uid: str, secret: str, ttl: dt.timedelta,
                      now: dt.datetime | None = None) -> str:
    """An opaque device token of the account (``user_id``, ``account_uid``) until ``now + ttl``."""
    expires = int(((now or dt.datetime.now(dt.UTC)) + ttl).timestamp())
    nonce = secrets.token_bytes(_NONCE)
    body = nonce + _device_stream(secret, nonce, user_id.to_bytes(8, "big") + max(expires, 0).to_bytes(8, "big"))
    return DEVICE_TOKEN_PREFIX + base64.urlsafe_b64encode(body + _device_tag(secret, body, account_uid)) \
        .decode("ascii").rstrip("=")


def open_device_token(token: str, *, secret: str, account_uid_of: Callable[[int], str | None],
                      now: dt.datetime | None = None) -> DeviceToken | None:
    """The device token's contents when it is one of ours, unchanged, unexpired, and its tag holds for the uid
    ``account_uid_of`` gives for its account's id (None: no such account); else None."""
    if not isinstance(token, str) or not token.startswith(DEVICE_TOKEN_PREFIX) or len(token) > 200:
        return None
    text = token[len(DEVICE_TOKEN_PREFIX):]
    try:
        raw = base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
    except (binascii.Error, ValueError):
        return None
    if len(raw) != _NONCE + _PLAIN + _TAG:
        return None
    body, tag = raw[:-_TAG], raw[-_TAG:]
    plain = _device_stream(secret, body[:_NONCE], body[_NONCE:])
    user_id, expires = int.from_bytes(plain[:8], "big"), int.from_bytes(plain[8:], "big")
    account_uid = account_uid_of(user_id) if 0 < user_id < 2**63 else None
    if not account_uid or not hmac.compare_digest(tag, _device_tag(secret, body, account_uid)):
        return None
    if expires <= (now or dt.datetime.now(dt.UTC)).timestamp():
        return None
    return DeviceToken(user_id=user_id, selector=body[:_NONCE].hex(),
                       expires_at=dt.datetime.fromtimestamp(expires, dt.UTC))
