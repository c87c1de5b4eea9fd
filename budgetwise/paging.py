"""Pages of a long list (pure): how many there are and which one is shown. The one owner (session 22, tidy22) of
what the transactions list, the admin lists and the confirmed transfers each computed for themselves."""

from __future__ import annotations

import math

MAX_PAGE_SIZE = 500  # rows a page holds at the most (the transactions list and the admin lists)


def page_count(total: int, page_size: int) -> int:
    """The pages ``total`` rows fill, ``page_size`` a page: at least 1 (an empty list is one empty page)."""
    return max(1, math.ceil(total / page_size))


def page_bounds(total: int, page: int, page_size: int) -> tuple[int, int]:
    """(page, page_size) as shown: the size kept within 1..:data:`MAX_PAGE_SIZE`, the page within 1..the last."""
    page_size = max(1, min(int(page_size), MAX_PAGE_SIZE))
    return max(1, min(int(page), page_count(total, page_size))), page_size
