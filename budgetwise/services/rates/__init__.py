"""Exchange rates: the rates table, ECB reference rates, rates CSV import, manual entry, conversion.

A stored rate says ``1 base = rate quote`` on ``date`` (an exact decimal; see
:class:`budgetwise.models.ExchangeRate`). A rate has an owner (``user_id``):

* **shared** (``user_id`` NULL): the European Central Bank's reference rates fetched by
  anyone, and rates an administrator (or the command line) stores for everyone;
* **own**: a rate a user types or uploads applies to that user's figures only. Nobody
  else's conversion ever reads it, so one user can never change another user's numbers.

Every read is per user: a user's conversions, lists and missing-rate checks see the
shared rates plus their own (:class:`Converter` ``user_id``; without one, shared only).

Conversion (:class:`Converter`) turns an amount of currency C on day D into the
target currency T (the user's base currency) at **the latest rate on or before
D**, at most :data:`MAX_STALENESS_DAYS` old (weekends and bank holidays take the
previous business day's rate; an older rate counts as missing). The rate is the
freshest of: a direct C→T rate, the inverse of a T→C rate, or the cross rate
through EUR (C→EUR→T, each leg direct or inverse; its date is the older leg's).
On the same day the direct rate wins over the inverse, the inverse over the cross.
Several rates on the same pair and date: the user's own rates first (``manual`` before
``upload``), then the shared ones (``manual`` before ``upload`` before ``ecb``). So for its
owner, a rate they typed for a day wins over the ECB's rate for that day, fetched before or
after (they chose it, e.g. their bank's actual rate); for every other user it does not exist
and the official rate applies.

Arithmetic is exact ``Decimal`` (60 significant digits for the one division of
an inverse or cross rate), summed exactly and rounded half-even once, to the
target currency's minor units (:func:`budgetwise.money.to_minor_rounded`).
A missing rate is never replaced by 1: the amount is left out of the total and
reported by currency and dates (:class:`MissingRate`).

Who may change rates: any signed-in user may fetch the ECB reference rates (shared)
and may add, replace (``replace=True``) and delete their own rates. Shared rates other
than the ECB's are stored, replaced and deleted only by an administrator (``shared=True``)
or the command line. A change of shared rates bumps every user's data version (all cached
views must be recomputed); a change of own rates bumps the owner's only. Every change
(add, import, replace, delete, fetch) is written to the audit log, with whose rates they are.

The package's modules: :mod:`.types`, :mod:`.convert`, :mod:`.advice`, :mod:`.plausible`, :mod:`.store`, :mod:`.ecb`.
Every name of the former module is re-exported here."""

from __future__ import annotations

from budgetwise.services import claim_public_functions
from budgetwise.services.rates.advice import CurrencyAdvice, currency_advice, import_currency_advice  # noqa: F401
from budgetwise.services.rates.convert import (  # noqa: F401
    Converter,
    _rank,
    _view,
    convert_each,
    foreign_currencies,
    latest_date,
    list_rates,
    missing_rates,
    pair_summaries,
    rates_columns,
    rates_frame_rows,
    sum_converted,
    user_currency,
    visible_to,
)
from budgetwise.services.rates.ecb import (  # noqa: F401
    ECB_90_DAYS_URL,
    ECB_HISTORY_URL,
    ECB_PERIODS,
    FETCH_DEADLINE,
    FETCH_TIMEOUT,
    MAX_DOWNLOAD_BYTES,
    MAX_UNZIPPED_BYTES,
    _download,
    _ecb_values,
    download,
    ecb_period_needed,
    ecb_url,
    fetch_ecb,
    parse_ecb,
    parse_ecb_csv,
    parse_ecb_xml,
    store_ecb,
)
from budgetwise.services.rates.plausible import (  # noqa: F401
    IMPLAUSIBLE_FACTOR,
    ImplausibleRate,
    ImplausibleRates,
)
from budgetwise.services.rates.store import (  # noqa: F401
    _audit,
    _decode,
    _existing,
    _is_cli,
    _owner_label,
    _problems_message,
    _resolve_owner,
    _scope,
    _store,
    _write,
    add_rate,
    delete_rate,
    import_rates_csv,
    parse_rates_csv,
    rates_changed,
)
from budgetwise.services.rates.types import (  # noqa: F401
    _CODE,
    _CTX,
    _CURRENCIES,
    _INSERT_CHUNK,
    _ONE,
    _PRIORITY,
    _RATE_TEXT,
    CLI_ACTOR_EMAIL,
    CSV_COLUMNS,
    LIST_COLUMNS,
    MAX_CSV_BYTES,
    MAX_CSV_ROWS,
    MAX_RATE,
    MAX_STALENESS_DAYS,
    MIN_RATE_DATE,
    PIVOT,
    SOURCES,
    WHOSE_COLUMN,
    MissingRate,
    PairSummary,
    RatesChange,
    RatesFileError,
    RatesUnavailable,
    RateView,
    _code,
    _parse_day,
    parse_rate,
    rate_date_limits,
)

__all__ = [
    "CSV_COLUMNS", "CurrencyAdvice", "currency_advice", "import_currency_advice", "LIST_COLUMNS", "WHOSE_COLUMN", "ECB_PERIODS", "MAX_STALENESS_DAYS", "PIVOT", "SOURCES", "Converter", "MissingRate", "PairSummary",
    "IMPLAUSIBLE_FACTOR", "ImplausibleRate", "ImplausibleRates", "RateView", "RatesChange", "RatesFileError", "RatesUnavailable", "add_rate", "convert_each", "delete_rate", "download",
    "ecb_period_needed", "fetch_ecb", "foreign_currencies", "import_rates_csv", "latest_date", "list_rates",
    "missing_rates", "pair_summaries", "rate_date_limits", "parse_ecb", "parse_ecb_csv", "parse_ecb_xml", "parse_rate", "parse_rates_csv",
    "rates_changed", "store_ecb", "sum_converted", "user_currency", "visible_to",
]

claim_public_functions(globals(), __name__)
