"""The text columns: the description (payee and text joined, continuation lines added,
cleaned), the account and the file's own category label."""

from __future__ import annotations

import pandas as pd

from budgetwise.importing.banktype import clean_bank_type
from budgetwise.importing.table.context import Table
from budgetwise.importing.table.frame import map_unique
from budgetwise.text import clean_text, strip_invisible, unguard_formula

MAX_DESCRIPTION = 500


def _within(part: str, whole: str) -> bool:
    """``part`` occurs in ``whole`` as whole words ("Shell Gas" in "Shell Gas purchase")."""
    start = whole.find(part)
    while start != -1:
        end = start + len(part)
        if (start == 0 or not (whole[start - 1].isalnum() or whole[start - 1] == "_")) and (
            end == len(whole) or not (whole[end].isalnum() or whole[end] == "_")
        ):
            return True
        start = whole.find(part, start + 1)
    return False


def _join_row(row: tuple[str, ...]) -> str:
    """'Payee – text more text', leaving out empty parts and parts another part already contains."""
    chosen: list[str] = []
    lows: list[str] = []
    for value in row:
        if not value:
            continue
        low = value.casefold()
        if any(_within(low, c) for c in lows):
            continue
        keep = [i for i, c in enumerate(lows) if not _within(c, low)]
        chosen = [chosen[i] for i in keep] + [value]
        lows = [lows[i] for i in keep] + [low]
    if len(chosen) > 1:
        return chosen[0] + " – " + " ".join(chosen[1:])
    return chosen[0] if chosen else ""


def _join_pair(a: str, b: str) -> str:
    """Payee ``a`` and text ``b``, both filled: one of them when it contains the other."""
    al, bl = a.casefold(), b.casefold()
    n = len(al)
    if bl.startswith(al) and (len(bl) == n or not (bl[n].isalnum() or bl[n] == "_")):
        return b  # "REWE" + "REWE SAGT DANKE": the text already names the payee
    if al in bl and _within(al, bl):
        return b
    if bl in al and _within(bl, al):
        return a
    return a + " – " + b


def _join_two(first: list[str], second: list[str]) -> list[str]:
    """The common "payee + text" case, without the general loop's overhead."""
    cache: dict[tuple[str, str], str] = {}
    out: list[str] = []
    append = out.append
    for a, b in zip(first, second):
        if not b:
            append(a)
        elif not a:
            append(b)
        else:
            key = (a, b)
            value = cache.get(key)
            if value is None:
                value = cache[key] = _join_pair(a, b)
            append(value)
    return out


def _join_parts(parts: list[pd.Series]) -> pd.Series:
    """Join description parts per row (each distinct combination is worked out once)."""
    if not parts:
        return pd.Series("", dtype=object)
    if len(parts) == 1:
        return parts[0]
    index = parts[0].index
    columns = [p.tolist() for p in parts]  # cells are stripped strings, never missing
    if len(columns) == 2:
        return pd.Series(_join_two(columns[0], columns[1]), index=index, dtype=object)
    cache: dict[tuple[str, ...], str] = {}
    out = []
    for key in zip(*columns):
        try:
            out.append(cache[key])
        except KeyError:
            cache[key] = value = _join_row(key)
            out.append(value)
    return pd.Series(out, index=index, dtype=object)


_CONTROL_TO_SPACE = {c: " " for c in [*range(32), 127]}


def _clean_description(value: str) -> str:
    """Control characters become spaces, runs of spaces one space; at most MAX_DESCRIPTION characters."""
    if "  " in value or not value.isprintable():
        value = " ".join(strip_invisible(value.translate(_CONTROL_TO_SPACE)).split())
    return value[:MAX_DESCRIPTION]


def clean_cells(values: pd.Series) -> pd.Series:
    """budgetwise.text.clean_text on every cell (once per distinct value): account and label
    text lose control, bidi and zero-width characters like descriptions do."""
    cache: dict[str, str] = {}
    out = []
    for v in values.tolist():
        done = cache.get(v)
        if done is None:
            done = cache[v] = clean_text(v)
        out.append(done)
    return pd.Series(out, index=values.index, dtype=object)


def descriptions(t: Table, extra: pd.Series | None) -> pd.Series:
    """Each row's description: its description columns joined, plus its continuation lines' text."""
    parts = [t.text(c) for c in t.mapping.description]
    description = _join_parts(parts) if parts else pd.Series("", index=t.index, dtype="string")
    description.index = t.index
    if extra is not None:
        description = (description.fillna("") + " " + extra.astype("string")).str.strip()
    return map_unique(description.fillna(""), lambda u: [_clean_description(unguard_formula(v)) for v in u])


def accounts(t: Table) -> pd.Series:
    if t.mapping.account is None:
        return pd.Series("", index=t.index, dtype="string")
    return t.text(t.mapping.account).str.slice(0, 100)


def bank_types(t: Table) -> pd.Series:
    """The bank's own type of each row (importing/banktype.py), "" where the file has none."""
    if t.mapping.bank_type is None:
        return pd.Series("", index=t.index, dtype=object)
    return map_unique(t.text(t.mapping.bank_type), lambda u: [clean_bank_type(v) for v in u])


def labels(t: Table) -> pd.Series:
    """The file's own category per row: the subcategory where there is one, else the category."""
    label = pd.Series("", index=t.index, dtype="string")
    if t.mapping.category is not None:
        label = t.text(t.mapping.category)
    if t.mapping.subcategory is not None:
        # The specific label ("Gas", not "Travel") maps to a BudgetWise category more reliably.
        sub = t.text(t.mapping.subcategory)
        label = sub.where(sub != "", label)
    return label.str.slice(0, 100)
