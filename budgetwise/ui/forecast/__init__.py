"""The Forecast page's sections (issue #15): ``pages/forecast.py`` is a shell over these.

``cache`` holds the cached service calls (keyed by the user, the account's data version and,
for a file, its digest); ``controls`` the data source and the forecast's settings; ``run`` the
forecast itself (with the offer to use the older history); ``result`` its figures, chart,
backtest, method and numbers; ``categories`` every category at once. Widget keys (``fc_*``) are
unchanged. The forecasting is the service's (``budgetwise.services.forecast``).
"""
