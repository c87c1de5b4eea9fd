"""The European Central Bank's reference rates: download (bounded), parse (XML, zipped CSV) and store."""

from __future__ import annotations

import csv
import datetime as dt
import io
import socket
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
import zipfile
from collections.abc import Sequence
from decimal import Decimal
from xml.etree import ElementTree

from sqlalchemy import select
from sqlalchemy.orm import Session

from budgetwise import __version__
from budgetwise.errors import (
    ValidationError,
)
from budgetwise.models import ExchangeRate, utcnow
from budgetwise.names import quoted
from budgetwise.principal import Principal
from budgetwise.services.rates.convert import latest_date, missing_rates
from budgetwise.services.rates.store import _audit, _store, rates_changed
from budgetwise.services.rates.types import _CURRENCIES, PIVOT, RatesChange, RatesUnavailable, parse_rate

ECB_90_DAYS_URL = "https://www.ecb.europa.eu/stats/eurofxref/eurofxref-hist-90d.xml"
ECB_HISTORY_URL = "https://www.ecb.europa.eu/stats/eurofxref/eurofxref-hist.zip"
ECB_PERIODS = ("auto", "90d", "history")
FETCH_TIMEOUT = 10.0  # seconds for connecting and for each read
FETCH_DEADLINE = 60.0  # seconds for the whole download, whatever happens
MAX_DOWNLOAD_BYTES = 16 * 1024 * 1024
MAX_UNZIPPED_BYTES = 64 * 1024 * 1024
# --------------------------------------------------------------------------- the ECB
def parse_ecb_xml(data: bytes) -> list[tuple[dt.date, str, Decimal]]:
    """The ECB's eurofxref XML (daily or 90-day): ``(date, currency, rate)`` where 1 EUR = rate currency.

    ElementTree (expat >= 2.4 refuses entity-expansion bombs; external entities are never fetched).
    """
    try:
        root = ElementTree.fromstring(data)
    except ElementTree.ParseError as exc:
        raise RatesUnavailable(f"The ECB answer is not valid XML ({exc}).") from None
    out = []
    for cube in root.iter():
        if not cube.tag.endswith("Cube") or "time" not in cube.attrib:
            continue
        try:
            day = dt.date.fromisoformat(cube.attrib["time"])
        except ValueError:
            raise RatesUnavailable(f"The ECB answer has a day that is not a date: {cube.attrib['time']!r}.") from None
        for child in cube:
            currency, rate = child.attrib.get("currency", ""), child.attrib.get("rate", "")
            out.append((day, currency.strip().upper(), rate.strip()))
    return _ecb_values(out)


def parse_ecb_csv(text: str) -> list[tuple[dt.date, str, Decimal]]:
    """The ECB's eurofxref-hist.csv: a Date column, then one column per currency (N/A = none that day)."""
    reader = csv.reader(io.StringIO(text))
    try:
        header = [h.strip().upper() for h in next(reader)]
    except StopIteration:
        raise RatesUnavailable("The ECB rates file is empty.") from None
    if not header or header[0] != "DATE":
        raise RatesUnavailable("The ECB rates file does not start with a Date column.")
    out = []
    for row in reader:
        if not row or not row[0].strip():
            continue
        try:
            day = dt.date.fromisoformat(row[0].strip())
        except ValueError:
            raise RatesUnavailable(f"The ECB rates file has a day that is not a date: {row[0]!r}.") from None
        for currency, value in zip(header[1:], row[1:]):
            if currency:
                out.append((day, currency, value.strip()))
    return _ecb_values(out)


def _ecb_values(raw: list[tuple[dt.date, str, str]]) -> list[tuple[dt.date, str, Decimal]]:
    out = []
    for day, currency, value in raw:
        if not value or value.upper() in ("N/A", "NA", "-"):
            continue
        try:
            rate = parse_rate(value)
        except ValidationError:
            raise RatesUnavailable(f"The ECB rate for {currency} on {day.isoformat()} is not a number: {value!r}.") from None
        out.append((day, currency, rate))
    if not out:
        raise RatesUnavailable("The ECB answer holds no rates.")
    return out


def parse_ecb(data: bytes) -> list[tuple[dt.date, str, Decimal]]:
    """Any of the ECB's formats: the history zip, its CSV, or the XML files."""
    data = bytes(data)
    if data[:2] == b"PK":
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as archive:
                members = [m for m in archive.infolist() if m.filename.lower().endswith((".csv", ".xml"))]
                if not members:
                    raise RatesUnavailable("The ECB zip file holds no CSV file.")
                member = members[0]
                if member.file_size > MAX_UNZIPPED_BYTES:
                    raise RatesUnavailable("The ECB zip file unpacks to an implausibly large file: refused.")
                with archive.open(member) as handle:
                    inner = handle.read(MAX_UNZIPPED_BYTES + 1)
        except zipfile.BadZipFile:
            raise RatesUnavailable("The ECB answer is not a valid zip file.") from None
        if len(inner) > MAX_UNZIPPED_BYTES:
            raise RatesUnavailable("The ECB zip file unpacks to an implausibly large file: refused.")
        return parse_ecb(inner)
    head = data.lstrip()[:1]
    if head == b"<":
        return parse_ecb_xml(data)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise RatesUnavailable("The ECB answer is neither XML, CSV nor a zip file.") from None
    return parse_ecb_csv(text)


def ecb_url(period: str) -> str:
    """The ECB file for a period (``90d`` or ``history``); read at call time so tests can point it elsewhere."""
    if period == "history":
        return ECB_HISTORY_URL
    if period == "90d":
        return ECB_90_DAYS_URL
    raise ValidationError(f"Unknown ECB period {quoted(period)}: use 90d or history.", field="period")


def download(
    url: str, *, timeout: float = FETCH_TIMEOUT, deadline: float = FETCH_DEADLINE, max_bytes: int = MAX_DOWNLOAD_BYTES
) -> bytes:
    """GET ``url`` with a per-operation timeout and an overall deadline; never hangs longer.

    The request runs on a daemon thread joined with the deadline, so even a name lookup
    that never returns (no network) or a server that trickles bytes cannot block the caller.
    """
    parsed = urllib.parse.urlsplit(url)
    if parsed.scheme not in ("http", "https") or not parsed.hostname:
        raise ValidationError(f"{quoted(url)} is not an http(s) address.", field="url")
    host = parsed.hostname
    outcome: dict[str, object] = {}
    started = time.monotonic()

    def work() -> None:
        try:
            outcome["data"] = _download(url, host, timeout=timeout, stop_at=started + deadline, max_bytes=max_bytes)
        except BaseException as exc:  # noqa: BLE001 - handed to the caller's thread
            outcome["error"] = exc

    worker = threading.Thread(target=work, name="budgetwise-rates-download", daemon=True)
    worker.start()
    worker.join(deadline + 1.0)
    if worker.is_alive():
        raise RatesUnavailable(
            f"{host} did not answer within {deadline:.0f} seconds. Try again later, or upload a rates CSV "
            "or enter the rates by hand."
        )
    if "error" in outcome:
        raise outcome["error"]  # type: ignore[misc]
    return outcome["data"]  # type: ignore[return-value]


def _download(url: str, host: str, *, timeout: float, stop_at: float, max_bytes: int) -> bytes:
    offline_hint = " Upload a rates CSV or enter the rates by hand instead."
    request = urllib.request.Request(url, headers={"User-Agent": f"BudgetWise/{__version__} (exchange rates)"})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310 - scheme checked above
            chunks, size = [], 0
            while True:
                if time.monotonic() > stop_at:
                    raise RatesUnavailable(f"{host} is sending too slowly: the download was stopped.{offline_hint}")
                chunk = response.read(64 * 1024)
                if not chunk:
                    break
                size += len(chunk)
                if size > max_bytes:
                    raise RatesUnavailable(f"The answer from {host} is larger than {max_bytes // (1024 * 1024)} MB: refused.")
                chunks.append(chunk)
            return b"".join(chunks)
    except urllib.error.HTTPError as exc:
        raise RatesUnavailable(f"{host} answered HTTP {exc.code} {exc.reason}.{offline_hint}") from None
    except urllib.error.URLError as exc:
        reason = exc.reason
        if isinstance(reason, socket.gaierror):
            text = f"Could not reach {host}: the name does not resolve (is this computer offline?)."
        elif isinstance(reason, (TimeoutError, socket.timeout)):
            text = f"{host} did not answer within {timeout:g} seconds."
        elif isinstance(reason, ConnectionRefusedError):
            text = f"{host} refused the connection."
        else:
            text = f"Could not reach {host} ({reason})."
        raise RatesUnavailable(text + offline_hint) from None
    except TimeoutError:
        raise RatesUnavailable(f"{host} did not answer within {timeout:g} seconds.{offline_hint}") from None
    except (ConnectionError, OSError) as exc:
        raise RatesUnavailable(f"The connection to {host} failed ({exc}).{offline_hint}") from None


def store_ecb(session: Session, *, principal: Principal, values: Sequence[tuple[dt.date, str, Decimal]]) -> RatesChange:
    """Store parsed ECB rates (EUR -> currency, source ``ecb``): new days added, revised values updated.

    Unknown currency codes are skipped (counted). Other sources' rates are never touched.
    """
    clean: dict[tuple[dt.date, str], Decimal] = {}
    skipped = 0
    for day, currency, rate in values:
        if currency not in _CURRENCIES or currency == PIVOT:
            skipped += 1
            continue
        clean[(day, currency)] = rate
    if not clean:
        raise RatesUnavailable("The ECB answer holds no usable rates.")
    days = [d for d, _ in clean]
    lo, hi = min(days), max(days)
    stored: dict[tuple[dt.date, str], tuple[int, Decimal]] = {}
    stmt = select(ExchangeRate.id, ExchangeRate.date, ExchangeRate.quote, ExchangeRate.rate).where(
        ExchangeRate.base == PIVOT, ExchangeRate.source == "ecb", ExchangeRate.date >= lo, ExchangeRate.date <= hi,
        ExchangeRate.user_id.is_(None),
    )
    for rid, day, quote, rate in session.execute(stmt):
        stored[(day, quote)] = (int(rid), Decimal(rate))
    now = utcnow()
    to_insert, to_update, unchanged = [], [], 0
    for (day, currency), rate in sorted(clean.items()):
        old = stored.get((day, currency))
        if old is None:
            to_insert.append({"date": day, "base": PIVOT, "quote": currency, "rate": rate, "source": "ecb", "created_at": now,
                              "user_id": None})
        elif old[1] != rate:
            to_update.append((old[0], rate))
        else:
            unchanged += 1
    _store(session, to_insert, to_update)
    change = RatesChange("ecb", len(to_insert), len(to_update), unchanged, lo, hi, skipped)
    if change.changed:
        session.flush()
        rates_changed(session)
        _audit(
            session, principal, "rates.ecb", "ECB reference rates",
            f"added {change.added}, updated {change.replaced}, unchanged {change.unchanged}; {lo} to {hi}; "
            "shared by every user",
        )
    return change


def ecb_period_needed(session: Session, *, user_id: int | None, today: dt.date | None = None) -> str:
    """``history`` when the user has rates missing from before the last 90 days (or no ECB rates are
    stored yet and they have older foreign transactions); else ``90d``."""
    today = today or dt.date.today()
    horizon = today - dt.timedelta(days=85)
    if user_id is None or user_id <= 0:
        return "90d" if latest_date(session, source="ecb") else "history"
    missing = missing_rates(session, user_id=user_id)
    if any(m.dates and m.dates[0] < horizon for m in missing):
        return "history"
    return "90d"


def fetch_ecb(
    session: Session,
    *,
    principal: Principal,
    period: str = "auto",
    url: str | None = None,
    timeout: float = FETCH_TIMEOUT,
    deadline: float = FETCH_DEADLINE,
    today: dt.date | None = None,
) -> RatesChange:
    """Download the ECB reference rates (the last 90 days, or the whole history since 1999) and store them.

    ``period`` ``auto`` takes the history only when the caller's transactions need rates older than
    90 days. Raises :class:`RatesUnavailable` with a plain reason when the ECB cannot be reached.
    """
    if period not in ECB_PERIODS:
        raise ValidationError(f"Unknown period {quoted(period)}: use one of {', '.join(ECB_PERIODS)}.", field="period")
    if period == "auto":
        period = ecb_period_needed(session, user_id=principal.user_id, today=today)
    data = download(url or ecb_url(period), timeout=timeout, deadline=deadline)
    return store_ecb(session, principal=principal, values=parse_ecb(data))
