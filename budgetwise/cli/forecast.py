"""``budgetwise forecast``: a forecast of total expenses (or one category) as CSV.

    budgetwise forecast (--user EMAIL | --input FILE.csv) [--category NAME]
                        --horizon N --freq month|week --output OUT.csv

The output has exactly the columns ``ds,yhat,yhat_lower,yhat_upper``, one row per
future period (the first row is the period containing the day after the last
transaction). ``--input`` reads a categorized CSV with the columns ``date``,
``amount``, ``category`` and optionally ``type`` (income/expense; rows without it
are expenses) and ``description``.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from budgetwise.cli._common import cli_session, principal_by_email
from budgetwise.services import forecast


def register(subparsers: argparse._SubParsersAction) -> None:
    p = subparsers.add_parser(
        "forecast",
        help="forecast total expenses (or one category) and write ds,yhat,yhat_lower,yhat_upper to a CSV file",
        description=(
            "Forecast total expenses (or one category) with an 80% interval and write "
            "ds,yhat,yhat_lower,yhat_upper, one row per future period."
        ),
    )
    source = p.add_mutually_exclusive_group(required=True)
    source.add_argument("--user", metavar="EMAIL", help="forecast this user's history from the database")
    source.add_argument(
        "--input", metavar="FILE.csv",
        help="forecast a categorized CSV (columns date, amount, category; optional type, description)",
    )
    p.add_argument("--category", metavar="NAME", help="forecast this category instead of total expenses")
    p.add_argument("--horizon", type=int, required=True, metavar="N", help="number of future periods (months: 1-24)")
    p.add_argument("--freq", choices=forecast.FREQS, required=True, help="period length")
    p.add_argument("--output", required=True, metavar="OUT.csv", help="where to write the forecast")
    p.add_argument(
        "--interval", type=float, default=forecast.DEFAULT_INTERVAL,
        help="width of the prediction interval (default 0.8 = 80%%)",
    )
    p.add_argument("--currency", default="USD", help="currency of the amounts in --input (default USD)")
    p.add_argument("--max-size-mb", type=int, metavar="N",
                   help="refuse an --input file larger than N MB (default: BUDGETWISE_MAX_UPLOAD_MB, 20 unless configured)")
    p.set_defaults(handler=cmd_forecast)


def cmd_forecast(args: argparse.Namespace) -> int:
    series = forecast.category_series(args.category) if args.category else forecast.SERIES_EXPENSES
    if args.input:
        if args.max_size_mb is not None and args.max_size_mb < 1:
            print(f"error: --max-size-mb must be at least 1, not {args.max_size_mb}.", file=sys.stderr)
            return 2
        max_bytes = args.max_size_mb * 1024 * 1024 if args.max_size_mb is not None else None
        frame = forecast.read_transactions_csv(args.input, currency=args.currency, max_bytes=max_bytes)
        result = forecast.forecast_frame(
            frame, series=series, horizon=args.horizon, freq=args.freq, interval=args.interval, currency=args.currency
        )
    else:
        with cli_session() as session:
            principal = principal_by_email(session, args.user)
            result = forecast.forecast_user(
                session, user_id=principal.user_id, series=series, horizon=args.horizon, freq=args.freq,
                interval=args.interval,
            )
    out = Path(args.output)
    out.parent.mkdir(parents=True, exist_ok=True)
    forecast.export_frame(result).to_csv(out, index=False)
    print(
        f"Wrote {len(result.forecast)} {args.freq}ly forecast rows of {result.label.lower()} "
        f"({result.currency}, {result.interval:.0%} interval) to {out}.",
        file=sys.stderr,
    )
    if result.backtest is not None:
        print(result.backtest.verdict, file=sys.stderr)
    if any(result.partly_observed):
        # the page says the same under its table: the period the data stops in is not a whole future period
        print(f"note: the {args.freq} of {result.forecast['ds'].iloc[0]:%Y-%m-%d} is partly in the data (to "
              f"{result.as_of:%Y-%m-%d}): its figures are what the data holds for it plus a forecast of the rest.",
              file=sys.stderr)
    for note in result.notes:
        print(f"note: {note}", file=sys.stderr)
    return 0
