"""Reports: where the money goes, how it changes, what is unusual, what recurs.

Every figure comes from SQL ``GROUP BY`` queries on the indexed columns of
``transactions`` (``(user_id, date)`` and ``(user_id, category_id, date)``); only
the small grouped results are shaped in Python/pandas. Month buckets are a
dialect-aware ``'YYYY-MM'`` key (``substr`` on SQLite and MariaDB/MySQL,
``to_char`` on PostgreSQL, rendered without bound parameters so GROUP BY matches
the select list on PostgreSQL); weeks and years are bucketed in Python from
per-day or per-month groups.

Rules that hold everywhere here:

* transfers (categories of kind ``transfer``) never count as income or spending;
* sums are exact integers of minor units in the user's base currency
  (``User.currency``). Rows in the base currency are summed in SQL; rows in
  other currencies are grouped in SQL by (currency, date) as well and each small
  group is converted at its own date's rate (:mod:`budgetwise.services.rates`:
  nearest earlier business day, exact decimals, one half-even rounding per
  figure). Amounts without a usable rate are left out and reported
  (``Summary.missing_rates``, ``DataFrame.attrs["missing_rates"]``), never
  counted at 1:1;
* every query filters by ``user_id``.

The package's modules:

* :mod:`.periods` -- period presets, previous period, parsing a period (pure);
* :mod:`.scope` -- ``ReportFilter``, the per-user scope, filters as SQL, month keys per dialect
  and currency conversion: the only place that knows them;
* :mod:`.totals` -- summary, KPIs, totals by day/week/month/year;
* :mod:`.by_category` -- spending by category, category trends and averages;
* :mod:`.merchants` -- top merchants; :mod:`.changes` -- month-over-month / year-over-year;
* :mod:`.stats` -- robust centre and scale (pure);
* :mod:`.anomalies` -- unusual transactions and spending spikes; :mod:`.duplicates` -- likely duplicates;
* :mod:`.recurring` -- recurring payments and what is due next;
* :mod:`.frames` -- display and export frames (pure); :mod:`.bundle` -- every section of a period at once.

Every name of the former single module is re-exported here.
"""

from __future__ import annotations

from budgetwise.ratios import percent_change as _pct  # noqa: F401 - the old module's name for it
from budgetwise.services import claim_public_functions  # noqa: E402
from budgetwise.services.reports.anomalies import (  # noqa: F401
    SpendingSpike,
    UnusualTransaction,
    _default_window,
    spending_spikes,
    unusual_transactions,
)
from budgetwise.services.reports.bundle import (  # noqa: F401
    REPORT_SECTIONS,
    ReportBundle,
    report_bundle,
)
from budgetwise.services.reports.by_category import (  # noqa: F401
    _category_months,
    average_monthly_by_category,
    average_note,
    by_category,
    category_trend,
    trend_wide,
)
from budgetwise.services.reports.changes import (  # noqa: F401
    changes,
    missing_note,
)
from budgetwise.services.reports.duplicates import (  # noqa: F401
    DuplicateGroup,
    clusters_within,
    likely_duplicates,
)
from budgetwise.services.reports.frames import (  # noqa: F401
    _DROP_FOR_EXPORT,
    duplicates_frame,
    for_export,
    recurring_frame,
    spikes_frame,
    summary_frame,
    unusual_frame,
)
from budgetwise.services.reports.merchants import (  # noqa: F401
    top_merchants,
)
from budgetwise.services.reports.periods import (  # noqa: F401
    DATA_PRESETS,
    PERIOD_PRESETS,
    covered_months,
    default_preset,
    months_between,
    parse_period,
    period_in_sentence,
    period_label,
    preset_range,
    previous_period,
    report_months,
    whole_months,
)
from budgetwise.services.reports.recurring import (  # noqa: F401
    AMOUNT_TOLERANCE,
    CADENCES,
    CANDIDATE_MAX_CV,
    RECURRING_LOOKBACK_DAYS,
    REGULARITY,
    SHORT_LOOKBACK_DAYS,
    RecurringPayment,
    RecurringTotals,
    _detect_one,
    detect_recurring,
    recurring_totals,
    upcoming_from,
    upcoming_recurring,
)
from budgetwise.services.reports.recurring_at import detect_recurring_at  # noqa: F401
from budgetwise.services.reports.scope import (  # noqa: F401
    _KIND_CLAUSES,
    UNCATEGORIZED,
    UNCATEGORIZED_COLOR,
    ReportFilter,
    _as_date,
    _converted,
    _converted_by_day,
    _currency_literal,
    _fx_date,
    _has_foreign,
    _int,
    _key_to_month,
    _merchant_window,
    _month_key,
    _not_transfer,
    _plain_rows,
    _round_div,
    _run,
    _Scope,
    _scope,
    _text_clause,
    _validate_kind,
    _where,
    _with_missing,
    merchant_expr,
)
from budgetwise.services.reports.stats import (  # noqa: F401
    MAD_TO_SIGMA,
    MERCHANT_MIN_HISTORY,
    category_limits,
    merchant_limits,
    outlier_limit,
    robust_center_scale,
)
from budgetwise.services.reports.totals import (  # noqa: F401
    FREQUENCIES,
    Kpis,
    Summary,
    _bucket,
    _buckets,
    _grouped_by_kind,
    _label,
    _step,
    _summary,
    _typed,
    _week_start,
    by_period,
    data_range,
    default_period,
    has_transactions,
    kpis,
    monthly_totals,
    months_with_data,
    period_range,
    summary,
)

claim_public_functions(globals(), __name__)
