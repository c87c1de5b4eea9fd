"""The household coverage shift's fit (generated; do not edit by hand; categorize/coverage.py, session 28).

Written by ``tools/calibrate_default_rules.py --write`` with the confidence table, from the labelled data sets
br, ca, in, kaggle, ke, us, za: REFERENCE is the mean logit of the share of each file the default rules answer, SLOPE
the least-squares slope of their precision (logit) on it. Only these counts come from the data.
"""

from __future__ import annotations

SLOPE = 0.683
REFERENCE = 1.228
