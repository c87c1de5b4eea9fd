"""No secret in the repository; the generated signing secret (and every backup) is private."""

from __future__ import annotations

import os
import re
import stat
import subprocess
from pathlib import Path

import pytest

from budgetwise.config import SECRET_FILE_NAME, Settings, load_or_create_secret
from budgetwise.errors import ConfigurationError

ROOT = Path(__file__).resolve().parent.parent.parent

PATTERNS = {
    "private key": re.compile(r"-----BEGIN [A-Z ]*PRIVATE KEY-----"),
    "AWS access key": re.compile(r"\bAKIA[0-9A-Z]{16}\b"),
    "GitHub token": re.compile(r"\bgh[pousr]_[A-Za-z0-9]{36,}\b"),
    "Slack token": re.compile(r"\bxox[abpors]-[A-Za-z0-9-]{10,}"),
    "URL with a password": re.compile(r"\b(?:postgres(?:ql)?|mysql|mariadb)(?:\+\w+)?://[^:/\s@]+:[^@\s/]{3,}@"),
    "assigned secret": re.compile(
        r"""(?i)\b(?:BUDGETWISE_SECRET_KEY|BUDGETWISE_SMTP_PASSWORD|secret_key|smtp_password)\s*[:=]\s*["']?([A-Za-z0-9_\-+/=]{24,})"""
    ),
}
# Test fixtures use obviously fake values; these are not secrets of any deployment.
ALLOWED = (
    "test-secret-", "another-deployment-secret-", "x" * 24, "y" * 24, "change-me", "your-",
    ":pass@", ":password@", ":PASSWORD@", ":secret@", ":changeme@",  # documentation placeholders
    ":***@",  # a password already redacted (how the app names a database it cannot reach)
)


def _tracked() -> list[Path]:
    try:
        out = subprocess.run(["git", "ls-files", "-z"], cwd=ROOT, capture_output=True, check=True).stdout
    except (OSError, subprocess.CalledProcessError):
        pytest.skip("not a git checkout")
    return [ROOT / name for name in out.decode().split("\0") if name]


def test_no_secret_is_committed():
    findings = []
    for path in _tracked():
        if not path.is_file() or path.stat().st_size > 2_000_000:
            continue
        try:
            text = path.read_text(encoding="utf-8")
        except UnicodeDecodeError:
            continue
        for what, pattern in PATTERNS.items():
            for match in pattern.finditer(text):
                snippet = match.group(0)
                if any(a in snippet for a in ALLOWED):
                    continue
                findings.append(f"{path.relative_to(ROOT)}: {what}: {snippet[:40]}...")
    assert not findings, "\n".join(findings)


def test_no_secret_files_or_databases_are_tracked():
    names = [p.relative_to(ROOT).as_posix() for p in _tracked()]
    bad = [n for n in names if n.endswith((".db", ".sqlite", ".pem", ".key", "secrets.toml", ".env")) or n.endswith(SECRET_FILE_NAME)]
    assert not bad, bad
    ignored = (ROOT / ".gitignore").read_text()
    for needed in ("/data/", ".streamlit/secrets.toml", "*.db"):
        assert needed in ignored, f".gitignore should list {needed}"


def test_generated_secret_file_is_private(tmp_path):
    settings = Settings.load(environ={"BUDGETWISE_DATA_DIR": str(tmp_path / "data")})
    path = tmp_path / "data" / SECRET_FILE_NAME
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert len(settings.secret_key) >= 64
    # stable across restarts and processes
    assert Settings.load(environ={"BUDGETWISE_DATA_DIR": str(tmp_path / "data")}).secret_key == settings.secret_key
    assert load_or_create_secret(tmp_path / "data") == settings.secret_key


def test_secret_file_stays_private_under_a_permissive_umask(tmp_path):
    old = os.umask(0)
    try:
        load_or_create_secret(tmp_path)
    finally:
        os.umask(old)
    assert stat.S_IMODE((tmp_path / SECRET_FILE_NAME).stat().st_mode) == 0o600


def test_secret_from_the_environment_is_not_written_to_disk(tmp_path):
    Settings.load(environ={"BUDGETWISE_DATA_DIR": str(tmp_path), "BUDGETWISE_SECRET_KEY": "env-secret-" + "k" * 64})
    assert not (tmp_path / SECRET_FILE_NAME).exists()


def test_settings_repr_hides_secrets(tmp_path):
    settings = Settings.load(environ={"BUDGETWISE_DATA_DIR": str(tmp_path), "BUDGETWISE_SECRET_KEY": "repr-secret-" + "s" * 64,
                                      "BUDGETWISE_SMTP_PASSWORD": "smtp-password-value"})
    assert "repr-secret-" not in repr(settings) and "s" * 64 not in repr(settings) and "smtp-password-value" not in repr(settings)


# --------------------------------------------------------------------------- weak signing keys (issue 13)
@pytest.mark.parametrize("weak", ["changeme", "x", "secret", "password", "s" * 40, "changeme" * 5, "short-but-random-1234"])
@pytest.mark.parametrize("source", ["environ", "secrets"])
def test_a_weak_signing_key_is_refused_with_how_to_generate_one(tmp_path, weak, source):
    from budgetwise.errors import ConfigurationError

    values = {"BUDGETWISE_DATA_DIR": str(tmp_path), "BUDGETWISE_SECRET_KEY": weak}
    with pytest.raises(ConfigurationError) as info:
        if source == "environ":
            Settings.load(environ=values)
        else:
            Settings.load(environ={"BUDGETWISE_DATA_DIR": str(tmp_path)}, secrets={"BUDGETWISE_SECRET_KEY": weak})
    message = str(info.value)
    assert "BUDGETWISE_SECRET_KEY" in message and "secrets.token_urlsafe" in message
    assert "short-but-random-1234" not in message and "s" * 40 not in message  # the key itself is never echoed


def test_a_strong_signing_key_and_the_generated_key_are_accepted(tmp_path):
    import secrets as _secrets

    strong = _secrets.token_urlsafe(48)
    assert Settings.load(environ={"BUDGETWISE_DATA_DIR": str(tmp_path), "BUDGETWISE_SECRET_KEY": strong}).secret_key == strong
    generated = Settings.load(environ={"BUDGETWISE_DATA_DIR": str(tmp_path / "g")}).secret_key
    assert len(generated) >= 64


def test_a_process_starting_while_another_writes_the_secret_gets_that_secret_never_an_empty_one(tmp_path, monkeypatch):
    """Two app processes (or the CLI and the app) starting at once on a fresh data directory. The
    rival creates the secret file between this process's check and its own create, and writes it a
    moment later. Before (session 13 audit): this process read the still-empty file and signed its
    tokens with an empty key for its whole life."""
    import threading

    import budgetwise.config as config

    rival_secret = "r" * 86
    real_open = os.open
    path = tmp_path / SECRET_FILE_NAME

    def rival_wins(file, flags, mode=0o777, *args, **kwargs):
        if flags & os.O_EXCL and Path(file).parent == tmp_path and not path.exists():
            path.touch(mode=0o600)  # the rival created it and has not written yet
            threading.Timer(0.3, lambda: path.write_text(rival_secret, encoding="utf-8")).start()
        return real_open(file, flags, mode, *args, **kwargs)

    monkeypatch.setattr(config.os, "open", rival_wins)
    assert load_or_create_secret(tmp_path) == rival_secret
    assert [p.name for p in tmp_path.iterdir()] == [SECRET_FILE_NAME]  # nothing of this process's attempt left


def test_a_secret_file_that_stays_empty_is_refused_not_used(tmp_path, monkeypatch):
    import budgetwise.config as config

    monkeypatch.setattr(config, "SECRET_WAIT_S", 0.2)
    (tmp_path / SECRET_FILE_NAME).write_text("", encoding="utf-8")
    with pytest.raises(ConfigurationError, match="too short"):
        load_or_create_secret(tmp_path)
