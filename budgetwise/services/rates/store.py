"""Exchange rates written: manual entry, the rates CSV upload, delete, the audit entry and the data-version bump."""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections import defaultdict
from collections.abc import Sequence
from decimal import Decimal

from sqlalchemy import delete, func, insert, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from budgetwise.dates import ISO_DATE, day_text
from budgetwise.db import chunked
from budgetwise.errors import (
    ConflictError,
    NotFoundError,
    PermissionDenied,
    ValidationError,
)
from budgetwise.models import ExchangeRate, User, utcnow
from budgetwise.principal import Principal
from budgetwise.services import audit
from budgetwise.services.rates.convert import _view
from budgetwise.services.rates.plausible import ImplausibleRate, file_refusal, implausible
from budgetwise.services.rates.types import (
    _INSERT_CHUNK,
    CSV_COLUMNS,
    MAX_CSV_BYTES,
    MAX_CSV_ROWS,
    RatesChange,
    RatesFileError,
    RateView,
    _code,
    _parse_day,
    parse_rate,
)
from budgetwise.services.versions import count_under_user_lock, touch_all_data, touch_data
from budgetwise.text import plural

# --------------------------------------------------------------------------- writing
_is_cli = audit.is_cli
MAX_OWN_RATES_PER_USER = 500_000  # a user's own rates, every file and entry together (shared rates: the administrator's)


def _audit(session: Session, principal: Principal, action: str, target: str, details: str) -> None:
    audit.record(session, principal, action, target=target, details=details)


def rates_changed(session: Session, *, user_id: int | None = None) -> None:
    """Bump the data version of everyone whose figures may depend on the changed rates:
    every user for shared rates (``user_id`` None), else only the owner."""
    if user_id is None:
        touch_all_data(session)
    else:
        touch_data(session, int(user_id))


def _owner_label(session: Session, owner: int | None) -> str:
    if owner is None:
        return "shared by every user"
    email = session.scalar(select(User.email).where(User.id == owner))
    return f"own rates of {email or f'user {owner}'} only"


def _require_admin_now(session: Session, principal: Principal, message: str) -> None:
    """Shared rates are an administrator's: the role read from the database now (``auth.require_current_admin``,
    as every admin service does; session 21: the principal's snapshot was trusted, so an administrator demoted,
    disabled or deleted since it was made still wrote every user's rates)."""
    from budgetwise.services.auth import require_current_admin  # lazily: reports read rates without bcrypt or jwt

    try:
        require_current_admin(session, principal)
    except PermissionDenied:
        raise PermissionDenied(message) from None


def _resolve_owner(session: Session, principal: Principal, *, shared: bool, user_id: int | None) -> int | None:
    """Whose rates a write stores: None (shared) or a user id.

    A signed-in user writes their own rates; ``shared=True`` needs an administrator. The command
    line (an administrator's operation) writes shared rates unless it names a user (``user_id``).
    """
    if _is_cli(principal):
        if user_id is None:
            return None
        if session.scalar(select(User.id).where(User.id == int(user_id))) is None:
            raise NotFoundError("This account no longer exists.")
        return int(user_id)
    if user_id is not None and int(user_id) != principal.user_id:
        raise PermissionDenied("You can only store exchange rates for yourself.")
    if shared:
        _require_admin_now(session, principal, "Only an administrator can store exchange rates shared by every user.")
        return None
    return principal.user_id


def _scope(owner: int | None):
    return ExchangeRate.user_id.is_(None) if owner is None else ExchangeRate.user_id == owner


def _existing(
    session: Session, keys: set[tuple[str, str, dt.date]], owner: int | None = None
) -> dict[tuple[str, str, dt.date], dict[str, tuple[int, Decimal]]]:
    """{(base, quote, date): {source: (id, rate)}} for the given keys among ``owner``'s rates
    (None: the shared ones), one query per pair."""
    by_pair: dict[tuple[str, str], list[dt.date]] = defaultdict(list)
    for base, quote, day in keys:
        by_pair[(base, quote)].append(day)
    out: dict[tuple[str, str, dt.date], dict[str, tuple[int, Decimal]]] = defaultdict(dict)
    for (base, quote), days in by_pair.items():
        stmt = select(ExchangeRate.id, ExchangeRate.date, ExchangeRate.rate, ExchangeRate.source).where(
            ExchangeRate.base == base, ExchangeRate.quote == quote,
            ExchangeRate.date >= min(days), ExchangeRate.date <= max(days), _scope(owner),
        )
        wanted = set(days)
        for rid, day, rate, source in session.execute(stmt):
            if day in wanted:
                out[(base, quote, day)][source] = (int(rid), Decimal(rate))
    return out


def _write(
    session: Session,
    principal: Principal,
    source: str,
    items: Sequence[tuple[str, dt.date, str, str, Decimal]],
    *,
    replace: bool,
    owner: int | None,
    date_format: str = ISO_DATE,
    locale: str | None = None,
) -> RatesChange:
    """Store ``(label, date, base, quote, rate)`` items of one source for ``owner`` (None: shared),
    all or nothing.

    ``label`` names the item in messages ("Line 7"). Only rates of the same owner are compared:
    a user's own rate may differ from the shared one for the same day (it wins for them only).
    A pair and date that already has another rate of that owner is refused unless
    ``replace=True`` (which replaces the same source's rate). Replacing shared rates needs an
    administrator; anyone may replace their own. ``date_format`` and ``locale``: the dates of the refusals
    (the user's for a rate typed on the page; ISO for files and the command line).
    """
    if replace and owner is None:
        _require_admin_now(session, principal, "Only an administrator can replace stored exchange rates.")
    existing = _existing(session, {(b, q, d) for _, d, b, q, _ in items}, owner)
    problems: list[str] = []
    to_insert: list[dict] = []
    to_update: list[tuple[int, Decimal]] = []
    unchanged = 0
    for label, day, base, quote, rate in items:
        stored = existing.get((base, quote, day), {})
        if any(value == rate for _, value in stored.values()):
            unchanged += 1
            continue
        own = stored.get(source)
        shown_day = day_text(day, date_format, locale)
        if stored and not replace:
            shown = ", ".join(f"{format(v, 'f')} ({s})" for s, (_, v) in sorted(stored.items()))
            if owner is not None:
                problems.append(
                    f"{label}: you already stored the rate {shown} for {base}/{quote} on {shown_day}; "
                    "choose to replace existing rates to change it."
                )
            else:
                problems.append(
                    f"{label}: {base}/{quote} on {shown_day} already has the rate {shown}; "
                    + ("choose to replace existing rates to change it." if principal.is_admin
                       else "only an administrator can change it.")
                )
            continue
        if own is not None:
            to_update.append((own[0], rate))
        else:
            to_insert.append({
                "date": day, "base": base, "quote": quote, "rate": rate, "source": source, "created_at": utcnow(),
                "user_id": owner,
            })
    if problems:
        raise RatesFileError(_problems_message(problems), problems)
    if owner is not None and to_insert:
        _check_room(session, owner, len(to_insert))
    _store(session, to_insert, to_update)
    days = [d for _, d, _, _, _ in items]
    change = RatesChange(
        source=source, added=len(to_insert), replaced=len(to_update), unchanged=unchanged,
        first_date=min(days) if days else None, last_date=max(days) if days else None,
    )
    if change.changed:
        session.flush()
        rates_changed(session, user_id=owner)
        pairs = sorted({f"{b}/{q}" for _, _, b, q, _ in items})
        _audit(
            session, principal, f"rates.{source}", ", ".join(pairs)[:300],
            f"added {change.added}, replaced {change.replaced}, unchanged {change.unchanged}; "
            f"{change.first_date} to {change.last_date}; {_owner_label(session, owner)}",
        )
    return change


def delete_rate(session: Session, *, principal: Principal, rate_id: int) -> RateView:
    """Delete one rate: a user their own; a shared rate (the ECB's too) only an administrator.

    Another user's own rate is answered like a missing one (its existence is not revealed).
    """
    row = session.get(ExchangeRate, int(rate_id))
    if row is None or (row.user_id is not None and row.user_id != principal.user_id and not _is_cli(principal)):
        raise NotFoundError("This exchange rate does not exist (or is not yours).")
    if row.user_id is None:
        _require_admin_now(session, principal, "Only an administrator can delete a rate shared by every user.")
    view = _view(row)
    owner = row.user_id
    session.execute(delete(ExchangeRate).where(ExchangeRate.id == view.id))
    session.flush()
    rates_changed(session, user_id=owner)
    _audit(
        session, principal, "rates.delete", f"{view.base}/{view.quote}",
        f"deleted the {view.source} rate {format(view.rate, 'f')} of {view.date}; {_owner_label(session, owner)}",
    )
    return view


def _check_room(session: Session, owner: int, adding: int) -> None:
    """A user holds at most :data:`MAX_OWN_RATES_PER_USER` rates of their own (session 21: 500,000 a file, files
    without end, dates back to 1950 for any of ~28,000 pairs, filled a hosted instance's disk for everyone)."""
    held = count_under_user_lock(  # under the user's lock: requests at once queue
        session, owner, select(func.count()).select_from(ExchangeRate).where(ExchangeRate.user_id == owner)
    )
    if held + adding > MAX_OWN_RATES_PER_USER:
        raise RatesFileError(f"You hold {held:,} exchange rates of your own; the limit is {MAX_OWN_RATES_PER_USER:,}, "
                             f"and this would add {adding:,}. Delete rates you no longer need first.")


def _store(session: Session, to_insert: list[dict], to_update: list[tuple[int, Decimal]]) -> None:
    """Bulk insert (chunks) and update; a concurrent writer of the same rates becomes a clear error."""
    try:
        for part in chunked(to_insert, _INSERT_CHUNK):
            session.execute(insert(ExchangeRate), part)
        for rid, rate in to_update:
            session.execute(update(ExchangeRate).where(ExchangeRate.id == rid).values(rate=rate, created_at=utcnow()))
        session.flush()
    except IntegrityError:
        raise ConflictError(
            "Somebody stored some of these rates at the same moment: nothing was changed. Try again."
        ) from None


def _problems_message(problems: Sequence[str], limit: int = 10) -> str:
    head = "; ".join(problems[:limit])
    more = f" (and {len(problems) - limit} more problems)" if len(problems) > limit else ""
    n = len(problems)
    return f"Nothing was imported: {plural(n, 'row')} cannot be used. {head}{more}"


def add_rate(
    session: Session,
    *,
    principal: Principal,
    date: object,
    base: str,
    quote: str,
    rate: object,
    replace: bool = False,
    today: dt.date | None = None,
    shared: bool = False,
    user_id: int | None = None,
    locale: str | None = None,
    date_format: str = ISO_DATE,
    confirm: bool = False,
) -> RatesChange:
    """Enter one rate by hand: ``1 base = rate quote`` on ``date`` (source ``manual``).

    A rate more than :data:`IMPLAUSIBLE_FACTOR` times off the known rate of the pair nearest in date (either way
    round, the caller's visible rates) is refused with what was known (:class:`ImplausibleRate`), unless
    ``confirm``: the check of :mod:`budgetwise.services.rates.plausible`.

    ``locale``: the typing's number format (``users.locale``: "1,25" for de_DE; None: a dot, as on the command
    line); ``date_format`` (with ``locale``): the dates of the refusals, the user's on the page.

    The rate is the caller's own (it changes their figures only); ``shared=True`` (an
    administrator) stores it for every user; the command line stores shared rates, or
    ``user_id``'s own.
    """
    owner = _resolve_owner(session, principal, shared=shared, user_id=user_id)
    day = _parse_day(date, today=today, date_format=date_format, locale=locale)
    b, q = _code(base, "base"), _code(quote, "quote")
    if b == q:
        raise ValidationError(f"Both currencies are {b}: a rate needs two different currencies.", field="quote")
    value = parse_rate(rate, locale=locale)
    unusual = [] if confirm else implausible(session, owner=owner, items=[("This rate", day, b, q, value)])
    if unusual:
        raise ImplausibleRate(
            f"{unusual[0][1]}: check it (a missing decimal point, or the currencies the wrong way round?). If it is "
            "right, tick “The rate is right: save it anyway” and save again.", field="rate")
    try:
        return _write(session, principal, "manual", [("This rate", day, b, q, value)], replace=replace, owner=owner,
                      date_format=date_format, locale=locale)
    except RatesFileError as exc:
        raise ValidationError(exc.problems[0] if exc.problems else exc.message, field="rate") from None


def _decode(data: bytes) -> str:
    for encoding in ("utf-8-sig", "utf-16"):
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        if encoding == "utf-16" and not data.startswith((b"\xff\xfe", b"\xfe\xff")):
            continue
        return text
    raise RatesFileError("The file is not UTF-8 text: save the rates CSV as UTF-8 and try again.")


def parse_rates_csv(data: bytes, *, today: dt.date | None = None) -> list[tuple[str, dt.date, str, str, Decimal]]:
    """Read a rates CSV (columns date, base, quote, rate; any order, more columns ignored).

    Every row is checked; any problem refuses the whole file with every row's reason
    (:class:`RatesFileError`). Returns ``(label, date, base, quote, rate)`` items.
    """
    if len(data) > MAX_CSV_BYTES:
        raise RatesFileError(f"The file is larger than {MAX_CSV_BYTES // (1024 * 1024)} MB.")
    text = _decode(bytes(data))
    if not text.strip():
        raise RatesFileError("The file is empty: it needs a header line (date,base,quote,rate) and rates.")
    first = text.splitlines()[0]
    try:
        # the line's start only: the Sniffer takes ~2 s a megabyte, and a 20 MB first line held a server thread
        # half a minute (session 19 audit); the header's four names are near the start
        dialect = csv.Sniffer().sniff(first[:4096], delimiters=",;\t|")
        delimiter = dialect.delimiter
    except csv.Error:
        delimiter = ","
    try:
        return _read_rates(csv.reader(io.StringIO(text), delimiter=delimiter), today)
    except csv.Error as exc:  # a field past csv's size limit (131,072 characters) ended in a traceback (session 19)
        raise RatesFileError(f"The file is not a readable rates CSV ({exc}): one line per rate, "
                             "columns date, base, quote, rate.") from None


def _read_rates(reader, today: dt.date | None) -> list[tuple[str, dt.date, str, str, Decimal]]:
    header = [h.strip().lower() for h in next(reader)]
    missing = [c for c in CSV_COLUMNS if c not in header]
    if missing:
        found = [h[:40] for h in header if h]  # at most ten names (a header of a million cells was all quoted)
        more = f" and {len(found) - 10:,} more" if len(found) > 10 else ""
        raise RatesFileError(
            f"The header line must name the columns date, base, quote and rate; missing: {', '.join(missing)} "
            f"(found: {', '.join(found[:10]) or 'nothing'}{more})."
        )
    index = {c: header.index(c) for c in CSV_COLUMNS}
    problems: list[str] = []
    items: list[tuple[str, dt.date, str, str, Decimal]] = []
    seen: dict[tuple[str, str, dt.date], tuple[int, Decimal]] = {}
    line = 1
    for row in reader:
        line += 1
        if not any(cell.strip() for cell in row):
            continue
        if len(items) + len(problems) >= MAX_CSV_ROWS:
            raise RatesFileError(f"The file has more than {MAX_CSV_ROWS:,} rates: split it into smaller files.")
        label = f"Line {line}"
        cells = {c: (row[i].strip() if i < len(row) else "") for c, i in index.items()}
        errors = []
        try:
            day = _parse_day(cells["date"], today=today)
        except ValidationError as exc:
            errors.append(f"date: {exc.message}")
            day = None
        codes = {}
        for column in ("base", "quote"):
            try:
                codes[column] = _code(cells[column], column)
            except ValidationError as exc:
                errors.append(f"{column}: {exc.message}")
        try:
            rate = parse_rate(cells["rate"])
        except ValidationError as exc:
            errors.append(f"rate: {exc.message}")
            rate = None
        if len(codes) == 2 and codes["base"] == codes["quote"]:
            errors.append(f"base and quote are both {codes['base']}.")
        if not errors:
            key = (codes["base"], codes["quote"], day)
            earlier = seen.get(key)
            if earlier is not None:
                if earlier[1] != rate:
                    errors.append(
                        f"{key[0]}/{key[1]} on {day.isoformat()} is also on line {earlier[0]} with another rate "
                        f"({format(earlier[1], 'f')} there, {format(rate, 'f')} here)."
                    )
                else:
                    continue  # the same rate twice: harmless
            else:
                seen[key] = (line, rate)
        if errors:
            problems.append(f"{label}: " + "; ".join(errors))
        else:
            items.append((label, day, codes["base"], codes["quote"], rate))
    if problems:
        raise RatesFileError(_problems_message(problems), problems)
    if not items:
        raise RatesFileError("The file has a header but no rates.")
    return items


def import_rates_csv(
    session: Session,
    *,
    principal: Principal,
    data: bytes,
    replace: bool = False,
    today: dt.date | None = None,
    shared: bool = False,
    user_id: int | None = None,
    confirm: bool = False,
) -> RatesChange:
    """Import a rates CSV (source ``upload``): every row valid or nothing is stored.

    Rows more than :data:`IMPLAUSIBLE_FACTOR` times off the known rate of their pair nearest in date refuse the
    file, each named with what it was compared with (:class:`ImplausibleRates`), unless ``confirm`` (the check of
    :func:`add_rate`, session 19). Whose rates they become: as :func:`add_rate` (the caller's own; ``shared=True``
    for an administrator; the command line: shared, or ``user_id``'s own).
    """
    owner = _resolve_owner(session, principal, shared=shared, user_id=user_id)
    items = parse_rates_csv(data, today=today)
    unusual = [] if confirm else implausible(session, owner=owner, items=items)
    if unusual:
        raise file_refusal(unusual)
    return _write(session, principal, "upload", items, replace=replace, owner=owner)
