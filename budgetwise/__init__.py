"""BudgetWise: personal budgeting and expense forecasting.

All product logic lives in this package as a service layer over SQLAlchemy.
Nothing here imports Streamlit except :mod:`budgetwise.ui`.
"""

__version__ = "0.1.0"
