"""Transactions: add, filter, browse page by page, edit, recategorize, delete (single and bulk).

A shell over the sections in budgetwise/ui/transactions/."""

from budgetwise.ui.navigation import leave_pages_folder_mode

leave_pages_folder_mode(rerun=True)  # first, before the heavy imports: see its docstring

import streamlit as st

from budgetwise.dates import transaction_date_limits
from budgetwise.services import accounts as accounts_service
from budgetwise.services import categories as categories_service
from budgetwise.ui import read_session, require_user
from budgetwise.ui.transactions import add, export, learn_offer, listing, selection
from budgetwise.ui.transactions.common import CategoryLabels

principal = require_user()

st.title("Transactions")
learn_offer.render(principal)
selection.undo_delete(principal)

with read_session() as s:
    labels = CategoryLabels(categories_service.list_categories(s, user_id=principal.user_id))
    accounts = accounts_service.list_accounts(s, user_id=principal.user_id, include_archived=True)
earliest, latest = transaction_date_limits()  # the same limits the service applies

add.render(principal, labels, earliest, latest)
flt = listing.filters(principal, labels, accounts)
rows_by_id = listing.table(principal, flt)
selected = listing.selection(principal, rows_by_id)
if len(selected) == 1:
    selection.edit(principal, rows_by_id[selected[0]], labels, accounts, earliest, latest)
if selected:
    selection.bulk(principal, selected, labels)
export.render(principal, flt)
