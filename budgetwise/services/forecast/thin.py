"""A prior combination for a thin monthly backtest (pure; session 16, shortfc, issue #17).

With 12-17 months of history the inner backtest has 6-11 origins, and the ranking of ``ensemble`` rests on
a few noisy months; last year's month has no or few scored points before 14-15 months. Instead of trusting that
ranking fully, the combination is mixed with a fixed prior combination (by default the app's model, which carries
last year's pattern without needing backtest points for it, and the 6-month median, the robust level) with the weight
``(full - n) / full`` for ``n`` scored origins below ``full`` (a year of monthly origins): half at 6 origins, none
from ``full`` on, so a series with a full backtest is forecast as before. The forecast-combination puzzle (Smith &
Wallis 2009; Claeskens et al. 2016): estimated choices lose to fixed ones while the evidence is thin.
"""

from __future__ import annotations

from collections.abc import Sequence

# session 17 (shortfc, issue #17), measured and NOT shipped (off: it failed the pre-registered test on fresh seeds
# 841-900, docs/history/forecasting.md): a robust prior, the pair widened by the k-month median (the robust level with
# its window chosen on the series' own past) and ``full`` 18, so the prior keeps (18 - 12) / 18 = 1/3 of the weight at
# the monthly backtest's 12 origins. Use: ``Config(thin_full=ROBUST_FULL, thin_prior=ROBUST_PRIOR)``
ROBUST_FULL = 18
ROBUST_PRIOR = ("model", "median6", "median_k")


def prior_weight(origins: int, full: int) -> float:
    """The prior combination's weight for ``origins`` scored backtest origins (0 from ``full`` on; ``full`` 0: off)."""
    return max(0.0, (full - origins) / full) if full > 0 else 0.0


def mix(weights: dict[str, float], prior: Sequence[str], lam: float) -> dict[str, float]:
    """``(1 - lam)`` times the chosen weights plus ``lam`` spread equally over ``prior`` (none there: unchanged)."""
    if lam <= 0 or not prior:
        return weights
    out = {c: (1 - lam) * v for c, v in weights.items()}
    for c in prior:
        out[c] = out.get(c, 0.0) + lam / len(prior)
    return out
