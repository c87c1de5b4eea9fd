"""Settings from the environment (and the same keys in ``st.secrets``).

Environment variables win over secrets; secrets win over defaults. The UI layer
passes ``st.secrets`` in as a plain mapping so this module stays Streamlit-free.
"""

from __future__ import annotations

import os
import secrets as _secrets
import time
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from budgetwise.errors import ConfigurationError
from budgetwise.private_files import create_private_file, ensure_private_dir

ENV_PREFIX = "BUDGETWISE_"
SECRET_FILE_NAME = "secret_key"
DB_FILE_NAME = "budgetwise.db"

MIN_SECRET_BYTES = 32
GENERATE_SECRET_HINT = 'python -c "import secrets; print(secrets.token_urlsafe(48))"'
# Values people paste from tutorials and templates (compared case-insensitively, also when
# repeated to reach the length): anyone can guess them and mint session tokens.
WEAK_SECRETS = frozenset({
    "changeme", "change-me", "change_me", "changethis", "change-this", "secret", "secretkey", "secret-key",
    "secret_key", "mysecret", "supersecret", "password", "passw0rd", "x", "xxx", "test", "testing", "default",
    "dev", "development", "key", "your-secret-key", "your_secret_key", "yoursecretkey", "replace-me", "replaceme",
    "a long random string", "budgetwise", "streamlit", "admin", "letmein", "qwerty", "123456", "1234567890",
    "todo", "fixme", "example", "insecure", "notsecret", "django-insecure",
})

_TRUE = {"1", "true", "yes", "on", "y"}
_FALSE = {"0", "false", "no", "off", "n", ""}


def _as_bool(name: str, value: Any) -> bool:
    if isinstance(value, bool):
        return value
    text = str(value).strip().lower()
    if text in _TRUE:
        return True
    if text in _FALSE:
        return False
    raise ConfigurationError(f"{name} must be true or false, not {value!r}.")


def _as_int(name: str, value: Any, *, minimum: int, maximum: int) -> int:
    try:
        number = int(str(value).strip())
    except ValueError:
        raise ConfigurationError(f"{name} must be a whole number, not {value!r}.") from None
    if not minimum <= number <= maximum:
        raise ConfigurationError(f"{name} must be between {minimum} and {maximum}, not {number}.")
    return number


def configured_max_upload_bytes(environ: Mapping[str, str] | None = None) -> int:
    """BUDGETWISE_MAX_UPLOAD_MB from the environment (default 20), in bytes.

    The default of every upload/import service that is not handed a limit explicitly
    (the app's pages and the CLI pass Settings.max_upload_bytes, which also reads secrets).
    """
    env = os.environ if environ is None else environ
    value = env.get(ENV_PREFIX + "MAX_UPLOAD_MB") or 20
    return _as_int("BUDGETWISE_MAX_UPLOAD_MB", value, minimum=1, maximum=1024) * 1024 * 1024


DEFAULT_LOCK_TIMEOUT_SECONDS = 60
MAX_LOCK_TIMEOUT_SECONDS = 24 * 3600


def configured_lock_timeout_seconds(environ: Mapping[str, str] | None = None) -> int:
    """BUDGETWISE_LOCK_TIMEOUT_SECONDS from the environment (default 60): how long a write on PostgreSQL or MariaDB
    waits for a row another request holds (the user's lock, session 28) before it gives up, nothing written; 0
    leaves the server's own setting (PostgreSQL: no limit; MariaDB: ``innodb_lock_wait_timeout``, 50 s by default).
    The default of :func:`budgetwise.db.make_engine` (the app and the command line pass ``Settings``'s, which also
    reads secrets)."""
    env = os.environ if environ is None else environ
    value = env.get(ENV_PREFIX + "LOCK_TIMEOUT_SECONDS") or DEFAULT_LOCK_TIMEOUT_SECONDS
    return _as_int("BUDGETWISE_LOCK_TIMEOUT_SECONDS", value, minimum=0, maximum=MAX_LOCK_TIMEOUT_SECONDS)


def check_secret_key(value: str, *, source: str = "BUDGETWISE_SECRET_KEY") -> str:
    """Refuse a signing key that is short or a well-known placeholder (anyone could mint tokens).

    The key signs session tokens: it must be long and random. Keys made of one repeated
    character or of a placeholder repeated to length are refused too.
    """
    key = value.strip()
    how = f"Generate one with: {GENERATE_SECRET_HINT} (or leave it unset to have one generated in the data directory)."
    if len(key.encode("utf-8")) < MIN_SECRET_BYTES:
        raise ConfigurationError(
            f"{source} is too short ({len(key.encode('utf-8'))} bytes): a signing key needs at least "
            f"{MIN_SECRET_BYTES} random bytes, or anyone could guess it and sign in as any user. {how}"
        )
    lowered = key.lower()
    weak = len(set(lowered)) <= 2 or any(
        lowered == placeholder * (len(lowered) // len(placeholder))
        for placeholder in WEAK_SECRETS
        if len(lowered) % len(placeholder) == 0
    )
    if weak:
        raise ConfigurationError(
            f"{source} is a well-known placeholder, not a secret: anyone could guess it and sign in as any user. {how}"
        )
    return key


@dataclass(frozen=True)
class Settings:
    """Everything configurable. Build with :meth:`Settings.load`."""

    data_dir: Path = Path("data")
    database_url: str = ""
    secret_key: str = field(default="", repr=False)
    demo: bool = False
    # demo mode: each "Explore the demo" click gets its own temporary account (services/demo.py)
    demo_hours: int = 24
    demo_max_accounts: int = 200
    token_ttl_minutes: int = 12 * 60
    cookie_ttl_days: int = 14
    cookie_idle_hours: int = 72
    cookie_name: str = "budgetwise_session"
    max_upload_mb: int = 20
    lock_timeout_seconds: int = DEFAULT_LOCK_TIMEOUT_SECONDS
    bcrypt_rounds: int = 12
    lockout_threshold: int = 5
    lockout_minutes: int = 15
    client_failure_limit: int = 20
    registrations_per_client: int = 10  # a class behind one school address: raise it
    trust_forwarded_for: bool = False
    default_currency: str = "USD"
    reset_token_minutes: int = 30
    new_account_code_hours: int = 72
    smtp_host: str = ""
    smtp_port: int = 587
    smtp_user: str = ""
    smtp_password: str = field(default="", repr=False)
    smtp_sender: str = ""
    public_url: str = ""

    # -- construction -------------------------------------------------
    @classmethod
    def load(
        cls,
        environ: Mapping[str, str] | None = None,
        secrets: Mapping[str, Any] | None = None,
        *,
        ensure_secret: bool = True,
    ) -> Settings:
        """Read settings; create the data directory; resolve the secret key."""
        env = dict(os.environ if environ is None else environ)
        sec = dict(secrets or {})

        def get(key: str, default: Any = None) -> Any:
            full = ENV_PREFIX + key
            if full in env and env[full] != "":
                return env[full]
            if full in sec:
                return sec[full]
            if key.lower() in sec:  # allow [budgetwise]-less lower-case keys in secrets.toml
                return sec[key.lower()]
            return default

        data_dir = Path(str(get("DATA_DIR", "data"))).expanduser()
        try:
            ensure_private_dir(data_dir)  # 0700 when BudgetWise creates it; an existing one is left alone
        except OSError as exc:
            raise ConfigurationError(f"Cannot create the data directory {data_dir}: {exc}") from exc
        data_dir = data_dir.resolve()
        url = str(get("DATABASE_URL", "") or "")
        if not url:
            url = f"sqlite:///{data_dir / DB_FILE_NAME}"
        settings = cls(
            data_dir=data_dir,
            database_url=url,
            secret_key=str(get("SECRET_KEY", "") or ""),
            demo=_as_bool("BUDGETWISE_DEMO", get("DEMO", False)),
            demo_hours=_as_int("BUDGETWISE_DEMO_HOURS", get("DEMO_HOURS", 24), minimum=1, maximum=24 * 30),
            demo_max_accounts=_as_int(
                "BUDGETWISE_DEMO_MAX_ACCOUNTS", get("DEMO_MAX_ACCOUNTS", 200), minimum=1, maximum=10_000
            ),
            token_ttl_minutes=_as_int(
                "BUDGETWISE_TOKEN_TTL_MINUTES", get("TOKEN_TTL_MINUTES", 720), minimum=1, maximum=60 * 24 * 7
            ),
            cookie_ttl_days=_as_int("BUDGETWISE_COOKIE_TTL_DAYS", get("COOKIE_TTL_DAYS", 14), minimum=0, maximum=90),
            cookie_idle_hours=_as_int(
                "BUDGETWISE_COOKIE_IDLE_HOURS", get("COOKIE_IDLE_HOURS", 72), minimum=1, maximum=24 * 90
            ),
            max_upload_mb=_as_int("BUDGETWISE_MAX_UPLOAD_MB", get("MAX_UPLOAD_MB", 20), minimum=1, maximum=1024),
            lock_timeout_seconds=_as_int("BUDGETWISE_LOCK_TIMEOUT_SECONDS", get(
                "LOCK_TIMEOUT_SECONDS", DEFAULT_LOCK_TIMEOUT_SECONDS), minimum=0, maximum=MAX_LOCK_TIMEOUT_SECONDS),
            bcrypt_rounds=_as_int("BUDGETWISE_BCRYPT_ROUNDS", get("BCRYPT_ROUNDS", 12), minimum=4, maximum=16),
            lockout_threshold=_as_int(
                "BUDGETWISE_LOCKOUT_THRESHOLD", get("LOCKOUT_THRESHOLD", 5), minimum=1, maximum=100
            ),
            lockout_minutes=_as_int("BUDGETWISE_LOCKOUT_MINUTES", get("LOCKOUT_MINUTES", 15), minimum=1, maximum=1440),
            client_failure_limit=_as_int(
                "BUDGETWISE_CLIENT_FAILURE_LIMIT", get("CLIENT_FAILURE_LIMIT", 20), minimum=1, maximum=10_000
            ),
            registrations_per_client=_as_int(
                "BUDGETWISE_REGISTRATIONS_PER_CLIENT", get("REGISTRATIONS_PER_CLIENT", 10), minimum=1, maximum=100_000
            ),
            trust_forwarded_for=_as_bool("BUDGETWISE_TRUST_FORWARDED_FOR", get("TRUST_FORWARDED_FOR", False)),
            default_currency=str(get("DEFAULT_CURRENCY", "USD")).upper(),
            reset_token_minutes=_as_int(
                "BUDGETWISE_RESET_TOKEN_MINUTES", get("RESET_TOKEN_MINUTES", 30), minimum=5, maximum=1440
            ),
            new_account_code_hours=_as_int(
                "BUDGETWISE_NEW_ACCOUNT_CODE_HOURS", get("NEW_ACCOUNT_CODE_HOURS", 72), minimum=1, maximum=24 * 30
            ),
            smtp_host=str(get("SMTP_HOST", "") or ""),
            smtp_port=_as_int("BUDGETWISE_SMTP_PORT", get("SMTP_PORT", 587), minimum=1, maximum=65535),
            smtp_user=str(get("SMTP_USER", "") or ""),
            smtp_password=str(get("SMTP_PASSWORD", "") or ""),
            smtp_sender=str(get("SMTP_SENDER", "") or ""),
            public_url=str(get("PUBLIC_URL", "") or ""),
        )
        if settings.secret_key and ensure_secret:
            check_secret_key(settings.secret_key)
        elif ensure_secret:
            settings = replace(settings, secret_key=load_or_create_secret(data_dir))
        return settings

    @property
    def is_sqlite(self) -> bool:
        return self.database_url.startswith("sqlite")

    @property
    def max_upload_bytes(self) -> int:
        return self.max_upload_mb * 1024 * 1024


SECRET_WAIT_S = 5.0  # how long a process waits for a secret file another process is writing


def load_or_create_secret(data_dir: Path) -> str:
    """Return the signing secret stored in ``data_dir``, creating it (mode 0600) once.

    The new secret is written to a private temporary file and published with ``os.link``, which
    fails if the file exists: a process starting at the same moment sees either no file or the
    whole secret. Before (session 13 audit) the file was created empty and then written, and a
    process that lost the race read it empty and signed its tokens with an empty key."""
    path = Path(data_dir) / SECRET_FILE_NAME
    if not path.exists():
        value = _secrets.token_urlsafe(64)
        tmp = path.with_name(f".{SECRET_FILE_NAME}.{os.getpid()}.{_secrets.token_hex(4)}")
        create_private_file(tmp)  # 0600 from its first byte (budgetwise/private_files.py)
        try:
            with open(tmp, "w", encoding="utf-8") as handle:
                handle.write(value)
                handle.flush()
                os.fsync(handle.fileno())
            try:
                os.link(tmp, path)
                return value
            except FileExistsError:  # another process was first: use its secret
                pass
        finally:
            tmp.unlink(missing_ok=True)
    return _read_secret(path)


def _read_secret(path: Path) -> str:
    """The secret in ``path``; a file still being written (by an older version's process) is
    waited for up to SECRET_WAIT_S; a short one is refused, never used."""
    deadline = time.monotonic() + SECRET_WAIT_S
    while True:
        value = path.read_text(encoding="utf-8").strip()
        if len(value) >= MIN_SECRET_BYTES:
            return value
        if time.monotonic() >= deadline:
            raise ConfigurationError(f"The secret file {path} is too short; delete it to generate a new one.")
        time.sleep(0.05)


def secrets_files(cwd: Path | None = None, home: Path | None = None) -> tuple[Path, ...]:
    """Where Streamlit reads secrets: ``~/.streamlit/secrets.toml``, then the project's
    ``.streamlit/secrets.toml`` (the later one wins)."""
    return ((home or Path.home()) / ".streamlit" / "secrets.toml", (cwd or Path.cwd()) / ".streamlit" / "secrets.toml")


def read_secrets_files(paths: tuple[Path, ...] | None = None) -> dict[str, Any]:
    """The top-level keys of the Streamlit secrets files that exist, for the command line (the app gets
    the same keys from ``st.secrets``), so ``budgetwise init`` works on the database the app uses.
    A file that is not valid TOML is refused with its path and the reason."""
    out: dict[str, Any] = {}
    for path in secrets_files() if paths is None else paths:
        if not path.is_file():
            continue
        try:
            out.update(tomllib.loads(path.read_text(encoding="utf-8")))
        except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
            raise ConfigurationError(f"Cannot read the secrets file {path}: {exc}") from exc
    return out
