"""Names that look the same are the same name: account keys under Unicode's compatibility forms (session 27).

``names.name_key`` matched names canonically only (case, spacing, a decomposed "é"): full-width "Ｓａｖｉｎｇｓ" and
"Savings", or "Plan ²" and "Plan 2", were two names, so two accounts, goals or categories of one user that look the
same could coexist. The key is now Unicode's compatibility caseless match (NFKC). Accounts store their key
(``accounts.name_key``, unique per user): this migration recomputes every account's key from its name.

**Names that now collide.** Where two rows of one user have the same key under the new rule, the older (lower id)
keeps its name and the later one is **renamed** "name (2)" ("name (3)", … the first no row of the user has), so
that nothing is lost and the unique key holds. Applied the same way to the user's **open goals** (the goals' duplicate check
looks among them) and the user's **own categories** (a global category's name counts as taken and is never renamed:
the administrator's). Nothing else changes: transactions, budgets, rules, goals' links refer to ids, not names.
Global categories that collide with each other are left to the administrator (not a user's rows).

**Downgrade** recomputes the accounts' keys with the key of sessions 22-26 (canonical only). A row renamed by the
upgrade keeps its new name (which name was renamed is not recorded anywhere; both names stay distinct under either
key). A key stored before session 23 "as typed" comes back as that older code computes it, not as typed.

Both keys are frozen copies here (as re-key migrations freeze learning keys): a later change of ``name_key`` does not
change what 0045 does; tests/migrations/test_migration_0045_name_keys.py checks the "after" key is today's.

Revision ID: 0045
Revises: 0042
Create Date: 2026-12-07
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable, Iterable, Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0045"
down_revision: str | None = "0044"  # written on 0042 (the head of session 26); re-chained onto 0044 (the eighteenth rule set) at merge
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

ACCOUNT_NAME, GOAL_NAME, CATEGORY_NAME = 100, 100, 60  # the columns' (and services') limits

_accounts = sa.table("accounts", sa.column("id", sa.Integer), sa.column("user_id", sa.Integer),
                     sa.column("name", sa.String), sa.column("name_key", sa.String))
_goals = sa.table("goals", sa.column("id", sa.Integer), sa.column("user_id", sa.Integer),
                  sa.column("name", sa.String), sa.column("is_archived", sa.Boolean))
_categories = sa.table("categories", sa.column("id", sa.Integer), sa.column("user_id", sa.Integer),
                       sa.column("name", sa.String))


def key_before_session_27(name: str) -> str:
    """``names.name_key`` of sessions 22-26 (frozen): canonical caseless, composed."""
    text = " ".join(name.split())
    if text.isascii():
        return text.casefold()
    return unicodedata.normalize("NFC", unicodedata.normalize("NFD", text).casefold())


def key_of_session_27(name: str) -> str:
    """``names.name_key`` of session 27 (frozen): compatibility caseless, NFKC."""
    text = " ".join(name.split())
    if text.isascii():
        return text.casefold()
    folded = unicodedata.normalize("NFKD", unicodedata.normalize("NFD", text).casefold()).casefold()
    return " ".join(unicodedata.normalize("NFKC", folded).split())


def renames(rows: Iterable[tuple[int, str]], *, limit: int, key: Callable[[str], str],
            taken: Iterable[str] = ()) -> dict[int, str]:
    """{id: new name} for one user's rows (id, name): of the rows whose keys are the same (or one of ``taken``) the
    oldest keeps its name and each later one becomes "name (n)", the first n from 2 whose key no row has (an
    existing "Savings (2)" keeps its name: "Ｓａｖｉｎｇｓ" becomes "Ｓａｖｉｎｇｓ (3)"). ``limit``: the names' length."""
    used = {key(t)[:limit] for t in taken}
    later: list[tuple[int, str]] = []
    for row_id, name in sorted(rows):
        k = key(name)[:limit]
        if k in used:
            later.append((row_id, name))
        used.add(k)
    out: dict[int, str] = {}
    for row_id, name in later:
        n = 2
        while True:
            candidate = f"{name[: limit - 3 - len(str(n))]} ({n})"
            if key(candidate)[:limit] not in used:
                break
            n += 1
        used.add(key(candidate)[:limit])
        out[row_id] = candidate
    return out


def _by_user(rows) -> dict[int, list[tuple[int, str]]]:
    out: dict[int, list[tuple[int, str]]] = {}
    for row_id, user_id, name in rows:
        out.setdefault(int(user_id), []).append((int(row_id), str(name)))
    return out


def _rekey_accounts(key: Callable[[str], str], *, rename: bool) -> list[tuple[int, int, str, str]]:
    """Every account's key by ``key`` (renaming look-alikes first when ``rename``); [(user, id, old name, new)]."""
    conn = op.get_bind()
    rows = conn.execute(sa.select(_accounts.c.id, _accounts.c.user_id, _accounts.c.name, _accounts.c.name_key)
                        .order_by(_accounts.c.id)).all()
    names = {int(r.id): str(r.name) for r in rows}
    renamed: list[tuple[int, int, str, str]] = []
    if rename:
        for user_id, own in _by_user((r.id, r.user_id, r.name) for r in rows).items():
            for row_id, new in renames(own, limit=ACCOUNT_NAME, key=key).items():
                renamed.append((user_id, row_id, names[row_id], new))
                names[row_id] = new
    final = {int(r.id): key(names[int(r.id)])[:ACCOUNT_NAME] for r in rows}
    changed = [r for r in rows if final[int(r.id)] != r.name_key or names[int(r.id)] != r.name]
    # two passes: a key may move to another row's old key (the unique (user_id, name_key) holds after each statement);
    # a parking key has upper-case letters, which no casefolded key has
    for r in changed:
        conn.execute(sa.update(_accounts).where(_accounts.c.id == r.id).values(name_key=f"MIGRATION 0045 {r.id}"))
    for r in changed:
        conn.execute(sa.update(_accounts).where(_accounts.c.id == r.id)
                     .values(name=names[int(r.id)], name_key=final[int(r.id)]))
    return renamed


def _rename_goals_and_categories(key: Callable[[str], str]) -> None:
    conn = op.get_bind()
    goals = conn.execute(sa.select(_goals.c.id, _goals.c.user_id, _goals.c.name)
                         .where(_goals.c.is_archived.is_(False))).all()
    for own in _by_user(goals).values():
        for row_id, new in renames(own, limit=GOAL_NAME, key=key).items():
            conn.execute(sa.update(_goals).where(_goals.c.id == row_id).values(name=new))
    cats = conn.execute(sa.select(_categories.c.id, _categories.c.user_id, _categories.c.name)).all()
    global_names = [str(c.name) for c in cats if c.user_id is None]
    for own in _by_user(c for c in cats if c.user_id is not None).values():
        for row_id, new in renames(own, limit=CATEGORY_NAME, key=key, taken=global_names).items():
            conn.execute(sa.update(_categories).where(_categories.c.id == row_id).values(name=new))


def upgrade() -> None:
    _rekey_accounts(key_of_session_27, rename=True)
    _rename_goals_and_categories(key_of_session_27)


def downgrade() -> None:
    _rekey_accounts(key_before_session_27, rename=False)
