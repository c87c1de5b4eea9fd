"""The HttpOnly cookie route of asgi_app.py (budgetwise/ui/httponly.py), called directly:
same origin only, only a valid "stay signed in" token is set, HttpOnly and SameSite=Strict
always, Secure over https, an empty token deletes the cookie."""

from __future__ import annotations

import asyncio
import json

import pytest
from sqlalchemy.orm import sessionmaker
from starlette.requests import Request

from budgetwise.config import Settings
from budgetwise.db import make_engine, session_scope
from budgetwise.services import auth
from budgetwise.ui import httponly
from tests.conftest import TEST_SECRET, create_user, migrated_sqlite


def _call(body: dict | str, *, origin: str = "http://127.0.0.1:8501", host: str = "127.0.0.1:8501", proto: str = ""):
    raw = (body if isinstance(body, str) else json.dumps(body)).encode()
    headers = [(b"host", host.encode()), (b"content-type", b"application/json")]
    if origin:
        headers.append((b"origin", origin.encode()))
    if proto:
        headers.append((b"x-forwarded-proto", proto.encode()))
    scope = {"type": "http", "method": "POST", "path": httponly.ROUTE, "headers": headers, "scheme": "http",
             "server": ("127.0.0.1", 8501), "query_string": b""}

    async def receive():
        return {"type": "http.request", "body": raw, "more_body": False}

    return asyncio.run(httponly.session_cookie(Request(scope, receive)))


@pytest.fixture
def cookie_token(tmp_path, monkeypatch, sqlite_template):
    for key in ("BUDGETWISE_DATABASE_URL", "BUDGETWISE_DEMO"):
        monkeypatch.delenv(key, raising=False)
    monkeypatch.setenv("BUDGETWISE_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("BUDGETWISE_SECRET_KEY", TEST_SECRET)
    monkeypatch.setenv("BUDGETWISE_BCRYPT_ROUNDS", "4")
    httponly._backend.cache_clear()
    settings = Settings.load()
    migrated_sqlite(sqlite_template, settings.database_url)
    engine = make_engine(settings.database_url)
    with session_scope(sessionmaker(bind=engine, expire_on_commit=False)) as s:
        user = create_user(s, settings)
        token = auth.issue_remember_token(s, user.user_id, settings)
    try:
        yield settings, token
    finally:
        engine.dispose()
        httponly._backend.cache_clear()


def test_a_valid_token_is_set_httponly_and_strict(cookie_token):
    settings, token = cookie_token
    response = _call({"token": token})
    assert response.status_code == 200
    header = response.headers["set-cookie"]
    assert header.startswith(f"{settings.cookie_name}={token}")
    assert "HttpOnly" in header and "SameSite=strict" in header and "Secure" not in header and "Max-Age=" in header
    assert "Secure" in _call({"token": token}, proto="https").headers["set-cookie"]


@pytest.mark.parametrize("origin", ["", "http://evil.example", "http://127.0.0.1:8501.evil.example"])
def test_cross_origin_calls_are_refused(cookie_token, origin):
    _, token = cookie_token
    response = _call({"token": token}, origin=origin)
    assert response.status_code == 403 and "set-cookie" not in response.headers


@pytest.mark.parametrize("body", [{"token": "forged"}, "not json", {"token": "a.b.c"}])
def test_anything_but_a_valid_token_is_refused(cookie_token, body):
    response = _call(body)
    assert response.status_code == 400 and "set-cookie" not in response.headers


def test_a_revoked_token_is_refused(cookie_token):
    settings, token = cookie_token
    engine = make_engine(settings.database_url)
    try:
        with session_scope(sessionmaker(bind=engine)) as s:
            auth.logout(s, user_id=1)
    finally:
        engine.dispose()
    assert _call({"token": token}).status_code == 400


def test_an_empty_token_deletes_the_cookie(cookie_token):
    settings, _ = cookie_token
    header = _call({"token": ""}).headers["set-cookie"]
    assert header.startswith(f'{settings.cookie_name}=""') and "Max-Age=0" in header and "HttpOnly" in header


def _call_streamed(chunks: int, *, declared: int | None) -> tuple[object, int]:
    """The route called with a body of ``chunks`` pieces of 1 MB (a declared Content-Length or none: chunked);
    (response, pieces the route read)."""
    headers = [(b"host", b"127.0.0.1:8501"), (b"content-type", b"application/json"),
               (b"origin", b"http://127.0.0.1:8501")]
    if declared is not None:
        headers.append((b"content-length", str(declared).encode()))
    scope = {"type": "http", "method": "POST", "path": httponly.ROUTE, "headers": headers, "scheme": "http",
             "server": ("127.0.0.1", 8501), "query_string": b""}
    read = 0
    piece = b'{"token": "' + b"A" * (1024 * 1024 - 11)

    async def receive():
        nonlocal read
        read += 1
        return {"type": "http.request", "body": piece, "more_body": read < chunks}

    return asyncio.run(httponly.session_cookie(Request(scope, receive))), read


@pytest.mark.parametrize("declared", [None, 200 * 1024 * 1024], ids=["chunked", "content-length"])
def test_a_huge_body_is_refused_without_being_read_whole(cookie_token, declared):
    """Anyone who can reach the server could POST gigabytes here (an Origin header equal to Host is all the
    same-origin check asks of a script that is not a browser): the body was read whole into memory before any
    check (session 22: 400 MB took the process from 73 to 880 MB). A token is under 1 KB; the route reads at
    most httponly.MAX_BODY_BYTES."""
    response, read = _call_streamed(200, declared=declared)
    assert response.status_code == 413 and "set-cookie" not in response.headers
    assert read <= 1


def test_a_deeply_nested_body_is_refused_as_a_bad_request(cookie_token):
    response = _call("[" * 5000)
    assert response.status_code == 400 and "set-cookie" not in response.headers
