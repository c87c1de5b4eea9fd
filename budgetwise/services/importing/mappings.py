"""Importing: saved column mappings (find, list, save, delete, apply to a file)."""

from __future__ import annotations

import json
from dataclasses import replace
from typing import Any

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from budgetwise.errors import NotFoundError, ValidationError
from budgetwise.importing import ColumnMapping, ImportOptions, ParsedFile
from budgetwise.models import ImportMapping, utcnow
from budgetwise.services import accounts as accounts_service
from budgetwise.services.importing.types import MAX_MAPPING_NAME, MappingView
from budgetwise.services.versions import count_under_user_lock
from budgetwise.text import clean_text

# One per file layout a person's banks use (a handful). A header cell may be 100,000 characters long
# (importing.limits.MAX_FIELD_CHARS), so one mapping could store megabytes, and layouts are without end (session 21).
MAX_MAPPINGS_PER_USER = 100
MAX_MAPPING_CHARS = 16_384  # the stored JSON: the mapped columns' names and the options


# =========================================================================== saved mappings
def _mapping_view(m: ImportMapping) -> MappingView:
    data = json.loads(m.mapping_json)
    return MappingView(
        id=m.id, name=m.name, header_signature=m.header_signature, columns=data.get("columns", {}),
        date_order=data.get("date_order"), decimal=data.get("decimal"), sign=data.get("sign", "auto"),
        updated_at=m.updated_at, account_id=data.get("account_id"),
    )


def find_mapping(session: Session, *, user_id: int, header_signature: str) -> MappingView | None:
    if not header_signature:
        return None
    m = session.scalar(
        select(ImportMapping).where(ImportMapping.user_id == user_id, ImportMapping.header_signature == header_signature)
    )
    return _mapping_view(m) if m else None


def list_mappings(session: Session, *, user_id: int) -> list[MappingView]:
    stmt = select(ImportMapping).where(ImportMapping.user_id == user_id).order_by(ImportMapping.name)
    return [_mapping_view(m) for m in session.scalars(stmt)]


def save_mapping(
    session: Session,
    *,
    user_id: int,
    name: str,
    header_signature: str,
    columns: tuple[str, ...],
    mapping: ColumnMapping,
    date_order: str | None = None,
    decimal: str | None = None,
    sign: str = "auto",
    account_id: int | None = None,
) -> MappingView:
    """Remember a column mapping for files with this header layout (one per layout; replaces),
    and the account its rows go to when ``account_id`` is given."""
    clean = clean_text(name)[:MAX_MAPPING_NAME]
    if not clean:
        raise ValidationError("Give the mapping a name (for example the bank's name).", field="name")
    if not header_signature:
        raise ValidationError("This file has no column layout to remember.", field="mapping")
    if not mapping.complete:
        raise ValidationError("Choose at least the date and the amount columns before saving.", field="mapping")
    fields: dict[str, Any] = {"columns": mapping.to_names(columns), "date_order": date_order, "decimal": decimal,
                              "sign": sign}
    if account_id is not None:
        fields["account_id"] = accounts_service.get_account(session, user_id=user_id, account_id=account_id).id
    payload = json.dumps(fields, ensure_ascii=False)
    if len(payload) > MAX_MAPPING_CHARS:
        raise ValidationError(f"The mapped columns' names are {len(payload):,} characters long together; BudgetWise "
                              f"remembers at most {MAX_MAPPING_CHARS:,}. Import this file without saving the mapping.",
                              field="mapping")
    m = session.scalar(
        select(ImportMapping).where(ImportMapping.user_id == user_id, ImportMapping.header_signature == header_signature)
    )
    if m is None and count_under_user_lock(  # under the user's lock: requests at once queue
        session, user_id, select(func.count(ImportMapping.id)).where(ImportMapping.user_id == user_id)
    ) >= MAX_MAPPINGS_PER_USER:
        raise ValidationError(f"You have {MAX_MAPPINGS_PER_USER} saved mappings, the most BudgetWise keeps: delete one "
                              "you no longer use first.", field="name")
    if m is None:
        m = ImportMapping(user_id=user_id, name=clean, header_signature=header_signature, mapping_json=payload)
        session.add(m)
    else:
        m.name, m.mapping_json, m.updated_at = clean, payload, utcnow()
    session.flush()
    return _mapping_view(m)


def delete_mapping(session: Session, *, user_id: int, mapping_id: int) -> None:
    result = session.execute(
        delete(ImportMapping).where(ImportMapping.id == mapping_id, ImportMapping.user_id == user_id)
    )
    if not result.rowcount:
        raise NotFoundError("That saved mapping does not exist.")


def _apply_saved(saved: MappingView, parsed: ParsedFile, options: ImportOptions) -> ImportOptions | None:
    try:
        mapping = ColumnMapping.from_names(saved.columns, parsed.columns).validate(len(parsed.columns))
    except ValidationError:
        return None
    return replace(
        options,
        mapping=mapping,
        date_order=options.date_order or saved.date_order,
        decimal=options.decimal or saved.decimal,
        sign=saved.sign if options.sign == "auto" else options.sign,
        account_id=options.account_id if options.account_id is not None else saved.account_id,
    )
