"""budgetwise.paging: the one owner of how many pages a list fills and which one is shown (session 22, tidy22: the
transactions list, the admin lists and the confirmed transfers each computed it for themselves)."""

from __future__ import annotations

import pytest

from budgetwise import paging


@pytest.mark.parametrize(("total", "size", "pages"), [(0, 10, 1), (1, 10, 1), (10, 10, 1), (11, 10, 2), (7, 3, 3)])
def test_page_count(total, size, pages):
    assert paging.page_count(total, size) == pages


@pytest.mark.parametrize(("total", "page", "size", "shown"), [
    (7, 1, 3, (1, 3)), (7, 9, 3, (3, 3)), (7, 0, 3, (1, 3)), (7, -2, 3, (1, 3)),  # the page within 1..the last
    (0, 5, 50, (1, 50)),  # an empty list: one empty page
    (2_000, 2, 10_000, (2, paging.MAX_PAGE_SIZE)), (5, 1, 0, (1, 1)),  # the size within 1..MAX_PAGE_SIZE
])
def test_page_bounds(total, page, size, shown):
    assert paging.page_bounds(total, page, size) == shown


def test_the_lists_read_the_one_owner():
    from budgetwise.services import admin, transactions, transfers

    assert admin.MAX_PAGE_SIZE is paging.MAX_PAGE_SIZE
    assert transactions.page_bounds is paging.page_bounds and transfers.page_count is paging.page_count
    assert admin.Page((), 7, 1, 3).pages == transactions.TransactionPage([], 7, 1, 3).pages == 3
