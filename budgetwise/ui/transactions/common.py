"""Keys and category labels shared by the Transactions page's sections."""

from __future__ import annotations

from budgetwise.services.categories import CategoryView

# the selection and every form that acts on it: new widgets after an edit, a bulk change or a delete, so
# nothing the browser still holds (a selected row, a ticked confirmation) carries over to the next action
SELECTION = ("tx_selected", "tx_table", "tx_e", "tx_edit_form", "tx_bulk", "tx_delete")
ADD = "tx_add"  # the add form (see ui.forms: fresh widgets after a successful add)
LEARN = "tx_learn_offer"
UNDO_DELETE = "tx_undo_delete"  # the last delete's DeletedTransactions, until it is undone or dismissed
PAGE = "tx_page"
AUTO = "— let the rules decide —"
NONE = "— uncategorized —"


class CategoryLabels:
    """The user's categories, and how a choice of category reads in a select box."""

    def __init__(self, categories: list[CategoryView]) -> None:
        self.categories = categories
        self.by_id = {c.id: c for c in categories}

    def __call__(self, cid: int | str | None) -> str:
        if cid is None:
            return NONE
        if cid == "auto":
            return AUTO
        c = self.by_id.get(cid) if isinstance(cid, int) else None
        return f"{c.name}" + (" (transfer)" if c and c.kind == "transfer" else "") if c else str(cid)

    @property
    def ids(self) -> list[int]:
        return [c.id for c in self.categories]
