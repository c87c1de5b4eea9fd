"""Forecasts of spending, income and net savings, with an honest backtest.

How a forecast is made (``docs/forecasting.md`` explains the why):

1. **History.** Transactions are aggregated to per-day totals per kind and
   category (in SQL for the database path, with pandas for an uploaded CSV);
   transfers never count. The forecast starts after the last day with data
   (``as_of``); only complete periods (weeks / calendar months) are used to
   train and to test.
2. **Known amounts.** Recurring payments (rent, subscriptions, salary: same
   merchant, similar amount, regular cadence) are projected forward on their
   own schedule: they are known future amounts, not something to guess.
3. **The rest is modelled.** What is left (the variable part) is aggregated to
   7-day blocks (daily spending is mostly zeros and spikes) and modelled as a
   daily rate with Prophet: a flat level, yearly seasonality only with at
   least two years of history, outlier blocks removed (as the Prophet
   documentation recommends). Intermittent series (most blocks empty) use
   their average rate instead.
4. **Last year's pattern.** With one to two years of history, last year's
   deviation of the same period from the category's average is added: in
   full for occasional categories (travel, taxes, gifts: the timing repeats),
   shrunk by how much it exceeds random variation for frequent ones
   (James-Stein; noise from purchase-day randomness and from the spread of
   weeks within a month), extreme one-offs capped; an overall weight (0, 1/2
   or 1) is chosen by the user's own backtest.
5. **Backtest and intervals.** A rolling-origin backtest on the user's own
   history (fit on the past, forecast the next periods, compare) measures the
   error in money and percent next to two naive baselines (the same period
   last year; the mean of the last three months). Its errors also calibrate
   the prediction interval (split-conformal quantiles of the scaled errors),
   so an 80% interval is as wide as the user's history says it must be.

Forecasts are clipped at zero (spending is never negative; net savings may be).
Prophet is imported lazily inside the fitting function: importing it is slow.
Everything here is pure computation on DataFrames except the ``*_from_db`` /
``forecast_user`` functions, which read aggregates with SQL for one user.

The package's modules (all pure computation on DataFrames except :mod:`.from_db`):

* :mod:`.types` -- settings, ``NotEnoughHistory`` and the frozen results (``ForecastResult``, ...);
* :mod:`.periods` -- validation of frequency, horizon and interval; period arithmetic;
* :mod:`.history` -- ``History`` (per-day sums and merchant rows) built from a frame;
* :mod:`.csv_input` -- reading an uploaded CSV of transactions;
* :mod:`.flows` -- recurring payments projected as known future amounts;
* :mod:`.model` -- series selection, the level fit (Prophet, lazily imported) and last year's pattern;
* :mod:`.ensemble` -- the per-series choice of methods by rolling-origin backtest (and the naive candidates);
* :mod:`.statistical` -- the statistical candidates (closed-form Theta, statsmodels' ETS and ThetaModel);
* :mod:`.backtest` -- rolling-origin runs, conformal intervals and the backtest summary;
* :mod:`.api` -- ``forecast_history`` / ``forecast_frame`` and the per-category forecasts;
* :mod:`.from_db` -- the only database edge: a user's history and known flows read with SQL.

Every name of the former single module is re-exported here.
"""

from __future__ import annotations

from budgetwise.services import claim_public_functions  # noqa: E402
from budgetwise.services.forecast.api import (  # noqa: F401
    CategoryForecasts,
    _beats,
    _category_chunk,
    _map_categories,
    _method_text,
    _prepare,
    _warm,
    flow_dates,
    forecast_frame,
    forecast_history,
    forecast_history_categories,
    log,
    warm_up_workers,
)
from budgetwise.services.forecast.backtest import (  # noqa: F401
    _backtest_summary,
    _check_history,
    _conformal_offsets,
    _context,
    _final_targets,
    _finish,
    _intervals,
    _mape,
    _method_error,
    _money_text,
    _net_run,
    _origins,
    _period_sums,
    _period_table,
    _Run,
    _run_series,
    _verdict,
)
from budgetwise.services.forecast.csv_input import (  # noqa: F401
    _DATE_FORMATS,
    _TYPE_WORDS,
    _parse_dates,
    parse_transactions,
    read_transactions_csv,
)
from budgetwise.services.forecast.flows import (  # noqa: F401
    _LOOKBACK_DAYS,
    CADENCES,
    FlowProvider,
    _detect_series,
    _frame_flow_provider,
    _MerchantIndex,
    detect_known_flows,
)
from budgetwise.services.forecast.from_db import (  # noqa: F401
    _stale_note,
    cache_key,
    expense_categories,
    forecast_user,
    forecast_user_categories,
    history_from_db,
    known_flows_from_db,
    known_flows_from_recurring,
    series_options,
)
from budgetwise.services.forecast.history import (  # noqa: F401
    _DAILY_COLUMNS,
    _MERCHANT_COLUMNS,
    HISTORY_GAP_DAYS,
    History,
    HistoryGap,
    _after_last_gap,
    _candidate_keys,
    _category_kinds_from_rows,
    history_from_frame,
    normalize_transactions,
)
from budgetwise.services.forecast.model import (  # noqa: F401
    _choose_weight,
    _combine,
    _components,
    _Context,
    _fit_level,
    _flows_for,
    _LevelFit,
    _Piece,
    _project,
    _prophet,
    _robust_keep,
    _seasonal_shift,
    _seasonal_weights,
    _Selection,
    _selection,
    _SeriesData,
    _Target,
    _winsor_factor,
    category_series,
    series_label,
)
from budgetwise.services.forecast.periods import (  # noqa: F401
    _validate_freq,
    _validate_horizon,
    _validate_interval,
    horizon_in_periods,
    next_period,
    period_end,
    period_start,
)
from budgetwise.services.forecast.types import (  # noqa: F401
    BACKTEST_ORIGINS,
    BACKTEST_STEPS,
    BLOCK_DAYS,
    CATEGORY_PREFIX,
    DEFAULT_INTERVAL,
    DEFAULT_SEASONAL_WEIGHT,
    FREQS,
    INTERMITTENT_SHARE,
    MAX_HORIZON,
    MAX_INTERVAL,
    MEAN3_PERIODS,
    MIN_CONFORMAL_POINTS,
    MIN_HISTORY,
    MIN_INTERVAL,
    MIN_WEIGHT_POINTS,
    OCCASIONAL_DAYS,
    OUTLIER_Z,
    OUTPUT_COLUMNS,
    PERIODS_PER_YEAR,
    READABLE_COLUMNS,
    SEASON_PERIODS,
    SEASONAL_WEIGHTS,
    SERIES_EXPENSES,
    SERIES_INCOME,
    SERIES_NET,
    TRANSFER_NAMES,
    UNCATEGORIZED,
    YEARLY_SEASONALITY_MIN_DAYS,
    Backtest,
    ForecastResult,
    KnownFlow,
    MethodError,
    NotEnoughHistory,
    export_frame,
    method_label,
    output_frame,
)
from budgetwise.textforms import merchant_key  # noqa: F401,E402 - callers use forecast.merchant_key

claim_public_functions(globals(), __name__)
